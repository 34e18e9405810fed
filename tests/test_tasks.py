"""One task, two doors: every declared option at the command line and on the task's page, and the
declared tasks run from the tool's own blank forms, filled as a clerk fills them (the 示例 row and
the 填写说明 left as they come), at the command line and through the web page, with the same text."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner
from web_helpers import CLUES, FINDINGS, csrf_of, fill, sample_profile, wait_for_job

from kongchuo_docs.cli import app
from kongchuo_docs.declare import TASKS, Task
from kongchuo_docs.kinds.forms import build_forms
from kongchuo_docs.support.normalize import format_date

DOOR_FLAGS = {"--output", "--settings", "--force", "--help"}  # the command line's own
PAGE_FIELDS = {"csrf", "manifest"}  # the page's own


def cli(*args: str):
    return CliRunner().invoke(app, list(args))


# ------------------------------------------------------------------ the declarations


@pytest.mark.parametrize("task", TASKS.values(), ids=list(TASKS))
def test_every_declared_option_is_in_the_command_help_and_on_the_page(task: Task, web_client):
    help_text = cli(*task.command, "--help").output
    door = DOOR_FLAGS | ({"--jobs"} if task.parallel else set())  # --jobs: this computer's processes
    flags = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", help_text)) - door
    declared = {o.flag for o in task.options} | {o.off_flag for o in task.options if o.off_flag}
    assert flags == declared | {i.flag for i in task.inputs if i.flag}  # nothing at one door only
    page = web_client.get(task.url)
    assert page.status_code == 200
    fields = set(re.findall(r'<(?:input|select|textarea)[^>]* name="([^"]+)"', page.text)) - PAGE_FIELDS
    assert fields == {o.name for o in task.options} | {i.name for i in task.inputs}
    for o in task.options:
        assert o.label in page.text and f'id="field-{o.name}"' in page.text
    for i in task.inputs:
        if i.blank_form:
            assert f"下载空白表 {i.blank_form}" in page.text  # the blank form goes with its input


def test_a_repeated_option_reads_the_same_from_the_command_words_and_the_page_lines():
    option = TASKS["build"].option("set")
    at_cli = option.read(["发文机关=某某县教育局", "版记=是"])
    assert at_cli == option.read("发文机关=某某县教育局\r\n\n 版记=是 \n") == {"发文机关": "某某县教育局", "版记": "是"}
    assert option.read(None) == option.read("") == {}
    formats = TASKS["build"].option("formats")
    assert formats.read(None) == ("docx", "pdf") and formats.read("PDF, ofd") == ("pdf", "ofd")
    assert TASKS["build"].option("pdfa").read("PDF/A-3b") == "3b"  # the spellings build has always taken


def test_every_declared_task_is_in_the_navigation(web_client):
    nav = web_client.get("/").text.split("<nav>")[1].split("</nav>")[0]
    for task in TASKS.values():
        assert f'href="{task.url}"' in nav
    for short in ("通知书", "责任书", "自查报告", "整改", "汇总", "登记表"):
        assert f">{short}<" in nav


# ------------------------------------------------------------------ helpers: blank forms, both doors


@pytest.fixture(scope="module")
def blank_forms(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("forms") / "空白表"
    build_forms(folder, first_year=sample_profile().first_year)
    return folder


def run_on_page(client, task: str, files: dict[str, list[Path]], **values: Any) -> tuple[dict, str, str]:
    """Post the task's page as the browser does; (progress, job page, job URL)."""
    upload = [(name, (p.name, p.read_bytes())) for name, paths in files.items() for p in paths]
    response = client.post(f"/batch/{task}", files=upload, data={"csrf": csrf_of(client), **values})
    assert response.url.path.startswith("/jobs/"), response.text
    progress = wait_for_job(client, response.url.path)
    return progress, client.get(response.url.path).text, response.url.path


def zip_of(client, job_url: str) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(client.get(f"{job_url}/download").content)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return re.sub(r"<[^>]+>", "", zf.read("word/document.xml").decode())


def texts(files: dict[str, bytes]) -> dict[str, str]:
    return {name: docx_text(data) for name, data in files.items() if name.endswith(".docx")}


def folder_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# ------------------------------------------------------------------ 整改通知


def test_rectification_from_the_blank_form_needs_its_date_at_both_doors_and_says_where(blank_forms, tmp_path,
                                                                                        web_client):
    filled = fill(blank_forms / "检查发现问题.xlsx", FINDINGS, tmp_path / "检查发现问题.xlsx")
    refused = cli("rectification", str(filled), "-o", str(tmp_path / "cli-none"))
    assert refused.exit_code == 2 and "成文日期" in refused.output and "--date" in refused.output

    progress, page, _ = run_on_page(web_client, "rectification", {"findings": [filled]})
    assert progress["state"] == "failed"
    assert "成文日期" in page and "--date" not in page  # the page names its own field, not a command
    assert 'href="/batch/rectification#field-date">去填写“成文日期”' in page  # and leads to it

    out = tmp_path / "cli"
    done = cli("rectification", str(filled), "-o", str(out), "--date", "2026-10-16")
    assert done.exit_code == 0, done.output
    progress, page, url = run_on_page(web_client, "rectification", {"findings": [filled]}, date="2026年10月16日")
    assert progress["state"] == "done", page
    at_cli, on_page = texts(folder_files(out)), texts(zip_of(web_client, url))
    assert len(at_cli) == 2 and on_page == at_cli  # one notice per unit, the same text at both doors
    assert all("2026年10月16日" in text for text in at_cli.values())
    assert any("城东镇人民政府" in text for text in at_cli.values())


def test_a_refused_form_comes_back_with_a_summary_linked_to_each_field(web_client):
    response = web_client.post("/batch/rectification", files=[("findings", ("", b""))],
                               data={"csrf": csrf_of(web_client), "date": "2026-13-45", "number": "52"})  # fmt: skip
    assert response.status_code == 400 and response.url.path == "/batch/rectification"  # POST → redirect → GET
    summary = response.text.split('id="error-summary"')[1].split("</div>")[0]
    assert "2 处需要改正" in summary
    assert 'href="#field-findings"' in summary and "检查发现问题表：请选择文件" in summary
    assert 'href="#field-date"' in summary and "成文日期" in summary and "2026-13-45" in summary
    assert 'id="f-number" name="number" value="52"' in response.text  # what she typed is kept
    assert web_client.get("/batch/rectification").status_code == 200  # shown once


# ------------------------------------------------------------------ 问题线索登记表


def test_register_build_from_the_blank_form_takes_the_date_at_both_doors(blank_forms, tmp_path, web_client):
    filled = fill(blank_forms / "问题线索登记.xlsx", CLUES, tmp_path / "线索.xlsx")
    out = tmp_path / "cli"
    done = cli("register", "build", str(filled), "-o", str(out), "--format", "xlsx,docx", "--date", "2026-10-09")
    assert done.exit_code == 0, done.output
    progress, page, url = run_on_page(web_client, "register-build", {"clues": [filled]}, date="2026-10-09",
                                      formats=["xlsx", "docx"])  # fmt: skip
    assert progress["state"] == "done", page
    at_cli, on_page = texts(folder_files(out)), texts(zip_of(web_client, url))
    assert len(at_cli) == 1 and on_page == at_cli
    assert "2026年10月9日" in next(iter(at_cli.values()))


def test_register_build_without_a_date_uses_today_at_both_doors(blank_forms, tmp_path, web_client):
    filled = fill(blank_forms / "问题线索登记.xlsx", CLUES, tmp_path / "线索.xlsx")
    done = cli("register", "build", str(filled), "-o", str(tmp_path / "cli"), "--format", "docx")
    assert done.exit_code == 0, done.output
    today = format_date(date.today())
    assert today in next(iter(texts(folder_files(tmp_path / "cli")).values()))
    page = web_client.get("/batch/register-build").text
    assert f'value="{date.today().isoformat()}"' in page  # the page shows the default it will use


def test_merged_register_names_each_unit_by_the_file_it_sent(blank_forms, tmp_path, web_client):
    sent = [fill(blank_forms / "问题线索登记.xlsx", CLUES[:n], tmp_path / "报送" / f"{unit}.xlsx")
            for n, unit in ((1, "城东镇"), (2, "城西镇"))]  # fmt: skip
    progress, page, url = run_on_page(web_client, "register-merge", {"registers": sent}, as_of="2026-12-20")
    assert progress["state"] == "done", page
    workbooks = {n: d for n, d in zip_of(web_client, url).items() if n.endswith(".xlsx")}
    sheet = load_workbook(io.BytesIO(next(iter(workbooks.values())))).worksheets[0]
    rows = [[str(c.value or "") for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(rows) if "报送单位" in row)
    column = rows[header].index("报送单位")
    units = [row[column] for row in rows[header + 1:] if row[column]]
    assert sorted(units) == ["城东镇", "城西镇", "城西镇"]  # not the server's 000, 001

    out = tmp_path / "cli"
    assert cli("register", "merge", *map(str, sent), "-o", str(out), "--as-of", "2026-12-20").exit_code == 0
    merged = next(out.glob("*.xlsx"))
    at_cli = [[str(c.value or "") for c in row] for row in load_workbook(merged).worksheets[0].iter_rows()]
    assert at_cli == rows  # the same register at both doors


# ------------------------------------------------------------------ 通知书


def test_a_return_letter_dated_before_term_starts_is_warned_of_before_generating(web_client, web_rosters):
    """The web page's 校验 of 劝返 letters dated before the 报到日期 (term's start) says so, as the command does."""
    from web_helpers import check_roster, sample_profile

    _, good = web_rosters
    report = sample_profile().report_date
    for day, warned in ((date(report.year, 8, 1), True), (date(report.year, 9, 15), False)):
        checked = check_roster(web_client, "名册.xlsx", good.read_bytes(), kind="劝返", date=day.isoformat())
        assert wait_for_job(web_client, checked.url.path)["state"] == "done"
        box = web_client.get(checked.url.path).text.split('id="warnings"')[1].split("</div>")[0]
        said = f"劝返通知书的成文日期早于开学（报到日期 {format_date(report)}，取自"
        assert (said in box and format_date(day) in box) == warned, box


def test_letters_warn_before_generating_and_the_date_is_fixed_in_one_click(web_client, web_rosters, tmp_path):
    from web_helpers import check_roster, sample_profile

    _, good = web_rosters
    report = sample_profile().report_date
    late = date(report.year, 9, 15)
    checked = check_roster(web_client, "名册.xlsx", good.read_bytes(), date=late.isoformat())
    assert wait_for_job(web_client, checked.url.path)["state"] == "done"
    page = web_client.get(checked.url.path).text
    box = page.split('id="warnings"')[1].split("</div>")[0]
    assert re.search(r"共 20 份通知书，每份 \d 页，合计约 \d+ 页", box)
    assert f"成文日期 {format_date(late)} 晚于报到日期 {format_date(report)}" in box
    assert "kongchuo-docs" not in page and "--" not in box  # no command on the page
    image = web_client.get(f"{checked.url.path}/first-letter.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    fix = re.search(r'name="date" value="([^"]+)"', box)[1]
    assert fix == report.replace(day=1).isoformat()  # the 报到日期's month

    generated = web_client.post(checked.url.path.replace("/jobs/", "/letters/generate/"),
                                data={"csrf": csrf_of(web_client), "date": fix})  # fmt: skip
    assert wait_for_job(web_client, generated.url.path)["state"] == "done"
    on_page = texts(zip_of(web_client, generated.url.path))
    assert on_page and all(format_date(date.fromisoformat(fix)) in text for text in on_page.values())

    out = tmp_path / "cli"
    done = cli("letters", str(good), "-o", str(out), "--date", fix)
    assert done.exit_code == 0, done.output
    assert texts(folder_files(out)) == on_page  # the same letters at both doors


# ------------------------------------------------------------------ 责任书, 阶段汇总


def test_agreements_from_the_blank_form_are_the_same_at_both_doors(blank_forms, tmp_path, web_client):
    parties = [{"层级": "县教育局—学校", "甲方": "某某县教育局", "乙方": f"某某县{name}", "乙方负责人": head}
               for name, head in (("实验小学", "陈建华"), ("第二中学", "林秀英"))]  # fmt: skip
    filled = fill(blank_forms / "责任书名单.xlsx", parties, tmp_path / "责任书名单.xlsx")
    out = tmp_path / "cli"
    done = cli("agreements", str(filled), "-o", str(out))
    assert done.exit_code == 0, done.output
    progress, page, url = run_on_page(web_client, "agreements", {"parties": [filled]})
    assert progress["state"] == "done", page
    at_cli, on_page = texts(folder_files(out)), texts(zip_of(web_client, url))
    assert on_page == at_cli and len(at_cli) >= 2
    assert sum("某某县实验小学" in text for text in at_cli.values()) >= 1


def test_compile_names_each_form_by_the_file_sent_at_both_doors(tmp_path, web_client):
    from web_helpers import sample_file

    forms = [p for p in sorted(sample_file("cycle", "自查表").iterdir()) if p.suffix in (".xlsx", ".yaml")]
    folder = tmp_path / "自查表"
    folder.mkdir()
    for path in forms:
        (folder / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "cli"
    done = cli("compile", str(folder), "-o", str(out), "--date", "2026-12-30")
    assert done.exit_code == 0, done.output
    progress, page, url = run_on_page(web_client, "compile", {"forms": forms}, date="2026-12-30")
    assert progress["state"] == "done", page
    files = zip_of(web_client, url)
    on_page, at_cli = texts(files), texts(folder_files(out))
    assert on_page == at_cli
    workbook = next(data for name, data in files.items() if name.endswith(".xlsx"))
    cells = {str(c.value) for sheet in load_workbook(io.BytesIO(workbook)).worksheets
             for row in sheet.iter_rows() for c in row if c.value}  # fmt: skip
    assert {p.name for p in forms} <= cells  # 报送情况 names the files she sent
    assert not any(re.fullmatch(r"\d{3}\.(xlsx|yaml)", c) for c in cells)  # not the server's 000.xlsx
    assert all(p.name in page for p in forms)  # and so does the page's account of every file


# ------------------------------------------------------------------ 公文 (build): a draft uploaded, a YAML


def test_a_draft_uploaded_on_the_build_page_is_the_document_build_writes(web_app, web_client, tmp_path):
    from test_drafts import DRAFTS, ORGAN

    draft = tmp_path / "自动编号.docx"
    DRAFTS[draft.name](draft)
    profile = web_app.state.config.profile_path()  # the server's 单位设置, given to the command too
    out = tmp_path / "cli"
    done = cli("build", str(draft), "-o", str(out), "--format", "docx", "--set", f"发文机关={ORGAN}",
               "--settings", str(profile))  # fmt: skip
    assert done.exit_code == 0, done.output
    progress, page, url = run_on_page(web_client, "build", {"inputs": [draft]}, formats=["docx"],
                                      set=f"发文机关={ORGAN}\n")  # fmt: skip
    assert progress["state"] == "done", page
    on_page, at_cli = zip_of(web_client, url), folder_files(out)
    at_cli.pop("manifest.json")  # the page's zip holds it only when asked
    assert sorted(on_page) == sorted(at_cli) == ["自动编号.docx", "自动编号.yaml"]  # her draft's name, its YAML
    assert texts(on_page) == texts(at_cli)  # the same document at both doors
    assert ORGAN in texts(at_cli)["自动编号.docx"]
    assert on_page["自动编号.yaml"] == at_cli["自动编号.yaml"]


def test_several_yaml_files_or_a_folder_of_them_are_each_their_own_document_at_both_doors(web_client, tmp_path):
    from kongchuo_docs.files.resources import sample_path

    seed = sample_path("notice", "seed-notice.yaml").read_text(encoding="utf-8")
    title = re.search(r"^标题: (.+)$", seed, re.M)[1]
    folder = tmp_path / "通知"
    folder.mkdir()
    titles = {"甲.yaml": "关于开展春季入学核查的通知", "乙.yml": "关于做好秋季劝返复学工作的通知"}
    for name, wanted in titles.items():
        (folder / name).write_text(seed.replace(title, wanted), encoding="utf-8")
    paths = sorted(folder.iterdir())
    for args, out in (([str(folder)], tmp_path / "文件夹"), ([str(p) for p in paths], tmp_path / "两份")):
        done = cli("build", *args, "-o", str(out), "--format", "docx")
        assert done.exit_code == 0, done.output
        written = texts(folder_files(out))
        assert sorted(written) == ["乙.docx", "甲.docx"]
        assert all(wanted in written[f"{Path(name).stem}.docx"] for name, wanted in titles.items())
        assert titles["乙.yml"] not in written["甲.docx"]
    progress, page, url = run_on_page(web_client, "build", {"inputs": paths}, formats=["docx"])
    assert progress["state"] == "done", page
    assert texts(zip_of(web_client, url)) == texts(folder_files(tmp_path / "两份"))
    mixed = tmp_path / "草稿.txt"
    mixed.write_text("关于开展检查的通知\n各校：\n请认真开展。\n", encoding="utf-8")
    refused = cli("build", str(paths[0]), str(mixed), "-o", str(tmp_path / "混合"))
    assert refused.exit_code == 2 and "草稿和 YAML 请分两次生成" in refused.output
    assert not (tmp_path / "混合").exists()


def test_the_build_page_refuses_what_the_command_refuses_in_its_own_words(web_client, tmp_path):
    seed = tmp_path / "通知.yaml"
    seed.write_text("标题: 关于开展检查的通知\n", encoding="utf-8")
    refused = cli("build", str(seed), "-o", str(tmp_path / "out"), "--set", "密码=1")
    assert refused.exit_code == 2 and "--set 密码=1：应写作 键=值" in refused.output
    response = web_client.post("/batch/build", files=[("inputs", (seed.name, seed.read_bytes()))],
                               data={"csrf": csrf_of(web_client), "set": "密码=1", "formats": "odt"})  # fmt: skip
    assert response.status_code == 400 and response.url.path == "/batch/build"
    summary = response.text.split('id="error-summary"')[1].split("</div>")[0]
    assert 'href="#field-set"' in summary and "密码=1：应写作 键=值" in summary and "--set" not in summary
    assert 'href="#field-formats"' in summary and "不支持的输出格式：odt" in summary
    assert not (tmp_path / "out").exists()


def test_the_build_page_and_the_notice_editor_lead_to_each_other(web_client):
    assert 'href="/notice"' in web_client.get("/batch/build").text.split('id="sibling"')[1].split("</p>")[0]
    assert 'href="/batch/build"' in web_client.get("/notice").text.split('id="sibling"')[1].split("</p>")[0]


def test_the_blank_forms_page_says_what_the_forms_command_writes(web_client, tmp_path):
    page = web_client.get("/forms").text
    assert f"<h1>{TASKS['forms'].title}</h1>" in page and TASKS["forms"].outputs in page
    done = cli("forms", "-o", str(tmp_path / "forms"))
    assert done.exit_code == 0, done.output
    at_cli = sorted(p.name for p in (tmp_path / "forms").rglob("*.xlsx"))
    assert at_cli and all(f">{name}</a>" in page for name in at_cli)  # the same workbooks at both doors
