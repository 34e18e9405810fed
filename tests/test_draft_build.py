"""`kongchuo-docs build DRAFT…` and `kongchuo-docs check`: outputs, outline, refusals, and the layout
of draft-built documents measured as YAML-built ones are (tests/pdfmeasure.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import draftmaker as dm
import pytest
from pdfmeasure import is_red, page_sizes, text_lines
from test_drafts import DATE, DRAFTS, ORGAN, RECIPIENTS, TITLE
from typer.testing import CliRunner

from kongchuo_docs import gbt9704 as g
from kongchuo_docs.cli import app
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.readers.draft import read_draft
from kongchuo_docs.readers.notice_yaml import read_notice
from kongchuo_docs.system.libreoffice import render_docx_to_pdf, soffice_path

LEFT, RIGHT = g.MARGIN_LEFT_MM, g.MARGIN_LEFT_MM + g.TYPE_AREA_WIDTH_MM
TOP, BOTTOM = g.MARGIN_TOP_MM, g.MARGIN_TOP_MM + g.TYPE_AREA_HEIGHT_MM


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kongchuo_docs", *args], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"})


def check(path: Path, *options: str) -> tuple[int, str]:
    """``kongchuo-docs check PATH [OPTIONS]`` in this process: exit code and what it printed on stdout."""
    result = CliRunner().invoke(app, ["check", str(path), *options])
    return result.exit_code, result.stdout


@pytest.fixture(autouse=True)
def no_user_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No 单位设置 of the machine's user is found: the config folder is empty, the cwd a fresh one."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)


PROFILE = """\
省: 福建省
县: 古田县
行政区划代码: "350922"
教育局: 古田县教育局
文号代字: {通知: 古教综}
学年: 2026-2027
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Every test draft in one folder, built in one run with the 发文机关 given by --set."""
    folder = tmp_path_factory.mktemp("drafts")
    for name, make in DRAFTS.items():
        make(folder / name)
    out = folder.parent / f"{folder.name}-out"
    with pytest.MonkeyPatch.context() as patch:  # no 单位设置 (conftest gives every test the sample one)
        patch.setenv("XDG_CONFIG_HOME", str(folder / "config"))
        result = run("build", str(folder), "-o", str(out), "--set", f"发文机关={ORGAN}", cwd=folder)
    return {"folder": folder, "out": out, "result": result}


def test_a_folder_of_drafts_builds_each_with_its_yaml_and_outline(built: dict) -> None:
    result, out = built["result"], built["out"]
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    paths = {e["path"] for e in manifest["files"]}
    for name in DRAFTS:
        stem = Path(name).stem
        assert {f"{stem}.yaml", f"{stem}.docx", f"{stem}.pdf"} <= paths
        assert f"【{name}】识别结果" in result.stderr
    assert (out / "图片-图片" / "图1.png").read_bytes()[:4] == b"\x89PNG" and "图片-图片/图1.png" in paths
    assert "  1级标题 一、总体要求" in result.stderr and "    2级标题 （一）加强排查" in result.stderr
    assert "  署名：古田县教育局、古田县民政局" in result.stderr and "  抄送：县人民政府办公室" in result.stderr


@pytest.mark.parametrize("name", DRAFTS)
def test_draft_pdfs_keep_the_gbt9704_layout(name: str, built: dict) -> None:
    pdf = built["out"] / f"{Path(name).stem}.pdf"
    assert all(abs(w - g.PAPER_WIDTH_MM) < 0.1 and abs(h - g.PAPER_HEIGHT_MM) < 0.1 for w, h in page_sizes(pdf))
    lines = text_lines(pdf)
    for line in lines:
        if line.text.startswith("—"):  # page numbers sit below the type area (§7.5)
            assert abs(line.top - (BOTTOM + g.PAGE_NUMBER_BELOW_TYPE_AREA_MM)) < 0.3
            continue
        assert line.x0 >= LEFT - 0.1 and line.x1 <= RIGHT + 0.1, line
        assert line.top >= TOP - 0.1 and line.bottom <= BOTTOM + 0.1, line
    mark = next(line for line in lines if line.text == f"{ORGAN}文件")
    assert is_red(mark.color) and abs(mark.top - (g.MARGIN_TOP_MM + g.MARK_TOP_BELOW_TYPE_AREA_MM)) <= 1
    titles = [line for line in lines if line.page == 1 and abs(line.size - g.TITLE_SIZE_PT) < 0.1]
    assert titles and all(abs((t.x0 + t.x1) / 2 - (LEFT + RIGHT) / 2) < 0.5 for t in titles)


def test_the_written_yaml_rebuilds_the_same_document(built: dict, tmp_path: Path) -> None:
    for name in ("自动编号.docx", "表格附件.docx", "记事本.txt", "版记.docx", "图片.docx"):
        reading = read_draft(built["folder"] / name, tmp_path / name, settings={"发文机关": ORGAN})
        doc, _ = read_notice(built["out"] / f"{Path(name).stem}.yaml")
        if name == "图片.docx":
            [a], [b] = ([blk for blk in d.body if blk.type == "image"] for d in (doc, reading.document))
            assert a.path.read_bytes() == b.path.read_bytes() and a.width_mm == b.width_mm
            continue
        assert doc == reading.document, name


@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("name", ["自动编号.docx", "表格附件.docx"])
def test_draft_docx_renders_like_the_pdf(name: str, built: dict, tmp_path: Path) -> None:
    stem = Path(name).stem
    rendered = render_docx_to_pdf(built["out"] / f"{stem}.docx", tmp_path)
    assert len(page_sizes(rendered)) == len(page_sizes(built["out"] / f"{stem}.pdf"))
    lines = [line for line in text_lines(rendered) if not line.text.startswith("—")]
    assert all(line.x0 >= LEFT - 0.3 and line.x1 <= RIGHT + 0.3 for line in lines)
    titles = [line for line in lines if line.page == 1 and abs(line.size - g.TITLE_SIZE_PT) < 0.1]
    assert titles and all(abs((t.x0 + t.x1) / 2 - (LEFT + RIGHT) / 2) < 0.5 for t in titles)


# ------------------------------------------------------------------ refusals


def test_a_draft_without_a_title_exits_2_naming_the_paragraph(tmp_path: Path) -> None:
    doc = dm.new()
    dm.para(doc, "根据县人民政府的部署，各校要落实控辍保学责任，确保适龄儿童少年全部入学，不让一个孩子因贫失学。")
    dm.signature(doc, ORGAN, date=DATE)
    path = dm.save(doc, tmp_path / "无标题.docx")
    out = tmp_path / "out"
    result = run("build", str(path), "-o", str(out), "--set", f"发文机关={ORGAN}")
    assert result.returncode == 2
    assert "无标题.docx 第 1 段: 找不到标题" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_two_dates_exit_2_naming_both_paragraphs_and_nothing_is_written(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("\n".join([TITLE, RECIPIENTS, "为做好工作，特此通知。", ORGAN, DATE]), encoding="utf-8")
    doc = dm.new()
    dm.title(doc, TITLE)
    dm.para(doc, RECIPIENTS)
    dm.para(doc, "特此通知。")
    dm.signature(doc, ORGAN, date=DATE)
    dm.para(doc, "2026年3月5日", align=dm.RIGHT)
    bad = dm.save(doc, tmp_path / "两个日期.docx")
    out = tmp_path / "out"
    result = run("build", str(good), str(bad), "-o", str(out), "--set", f"发文机关={ORGAN}")
    assert result.returncode == 2
    assert "两个日期.docx 第 6 段: 有两个成文日期（两个日期.docx 第 5 段、两个日期.docx 第 6 段）" in result.stderr
    assert not out.exists()  # the good draft is not written either: all or nothing


def test_the_draft_itself_is_never_overwritten(tmp_path: Path) -> None:
    DRAFTS["记事本.txt"](tmp_path / "记事本.txt")
    (tmp_path / "记事本.docx").write_bytes(b"not a draft")
    DRAFTS["手工编号.docx"](tmp_path / "手工编号.docx")
    before = (tmp_path / "手工编号.docx").read_bytes()
    result = run("build", str(tmp_path / "手工编号.docx"), "-o", str(tmp_path), "--force", "--set", f"发文机关={ORGAN}")
    assert result.returncode == 2 and "输出会覆盖草稿" in result.stderr
    assert (tmp_path / "手工编号.docx").read_bytes() == before


def test_doc_and_wps_without_libreoffice_are_refused_with_how_to_save_as_docx(tmp_path: Path) -> None:
    path = tmp_path / "旧格式.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0 old word file")
    env = {**os.environ, "NO_COLOR": "1", "PATH": str(Path(sys.executable).parent)}
    result = subprocess.run([sys.executable, "-m", "kongchuo_docs", "build", str(path), "-o", str(tmp_path / "o")],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 2 and "另存为”Word 文档（*.docx）" in result.stderr
    assert path.read_bytes() == b"\xd0\xcf\x11\xe0 old word file"


@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice not installed")
def test_a_doc_draft_is_converted_through_libreoffice(tmp_path: Path) -> None:
    DRAFTS["手工编号.docx"](tmp_path / "手工编号.docx")
    subprocess.run([str(soffice_path()), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path / "doc"), str(tmp_path / "手工编号.docx")],
                   check=True, capture_output=True, timeout=180)
    before = (tmp_path / "doc" / "手工编号.doc").read_bytes()
    reading = read_draft(tmp_path / "doc" / "手工编号.doc", tmp_path / "w", settings={"发文机关": ORGAN})
    assert reading.document is not None and reading.document.title == TITLE
    assert sorted(os.listdir(tmp_path / "doc")) == ["手工编号.doc"]  # no lock file, nothing beside it
    assert (tmp_path / "doc" / "手工编号.doc").read_bytes() == before
    assert [b.text for b in reading.document.body if b.type == "heading"][:2] == ["一、总体要求", "二、工作措施"]


# ------------------------------------------------------------------ check


def test_check_clean_yaml_exits_0() -> None:
    code, out = check(sample_path("notice", "seed-notice.yaml"))
    assert code == 0 and "未发现问题" in out, out


def test_check_lists_each_finding_with_rule_clause_and_severity(tmp_path: Path) -> None:
    path = tmp_path / "通知.yaml"
    path.write_text(
        "发文机关: 古田县教育局\n发文字号: 古教综[2026]第03号\n标题: 关于做好控辍保学工作的通知。\n"
        "主送: 各中心学校\n正文: |\n  一、总体要求\n  各校要落实责任,确保入学。\n  三、工作措施\n  共２０所学校。\n"
        "成文日期: 2026年03月02日\n", encoding="utf-8")
    code, out = check(path)
    assert code == 1, out
    assert "通知.yaml:2 发文字号 [更正] 发文字号（GB/T 9704-2012 7.2.5）：年份应使用六角括号〔〕" in out
    assert "发文字号不加“第”" in out and "序号不编虚位" in out
    assert "通知.yaml:3 标题 [提示] 标题（GB/T 9704-2012 7.3.1）：标题末尾不加标点符号" in out
    assert "通知.yaml:4 主送 [更正] 主送机关（GB/T 9704-2012 7.3.2）" in out
    assert "通知.yaml:7 正文 [更正] 标点符号（GB/T 15834-2011 标点符号用法）" in out
    assert "通知.yaml:8 正文 [错误] 结构层次序数（GB/T 9704-2012 7.3.3）：1级标题编号不连续" in out
    assert ("通知.yaml:9 正文 [提示] 数字用法（GB/T 15835-2011 出版物上数字用法）：阿拉伯数字应使用半角字形（２０）"
            in out)
    assert "通知.yaml:10 成文日期 [更正] 成文日期（GB/T 9704-2012 7.3.5）" in out


def test_check_a_draft_by_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "不规范写法.docx"
    DRAFTS["不规范写法.docx"](path)
    code, out = check(path)
    assert code == 1
    assert "不规范写法.docx 第 4 段 正文 [更正] 标点符号" in out
    assert "发文机关 [错误]" not in out  # the draft's 署名 speaks: nothing is missing


def test_check_unreadable_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "坏.docx"
    path.write_bytes(b"this is not a zip")
    code, out = check(path)
    assert code == 2 and "坏.docx [错误] 无法读取：不是可以读取的 Word 文档" in out and "另存为" in out
    bad_yaml = tmp_path / "坏.yaml"
    bad_yaml.write_text("标题: [未闭合\n", encoding="utf-8")
    assert check(bad_yaml)[0] == 2


def test_read_draft_form_for_the_web_page(tmp_path: Path) -> None:
    from kongchuo_docs.kinds.check import read_draft_form

    path = tmp_path / "附件说明.docx"
    DRAFTS["附件说明.docx"](path)
    mapping, outline, findings = read_draft_form(path.read_bytes(), "附件说明.docx")
    assert mapping["标题"] == TITLE and mapping["附件说明"] == ["1. 控辍保学工作责任清单", "2. 劝返复学工作流程"]
    assert mapping["正文"].startswith("为做好2026年") and mapping["附件"][1]["标题"] == "劝返复学工作流程"
    assert "附件2：劝返复学工作流程（1 项内容）" in outline or any("发文机关" in str(f) for f in findings)


def test_the_profile_supplies_issuer_number_code_and_printer(tmp_path: Path) -> None:
    (tmp_path / "单位设置.yaml").write_text(PROFILE, encoding="utf-8")
    draft = tmp_path / "草稿.txt"
    draft.write_text("\n".join([TITLE, RECIPIENTS, "为做好工作，特此通知。", ORGAN, DATE]), encoding="utf-8")
    result = run("build", str(draft), "-o", str(tmp_path / "out"), "--format", "docx", "--set", "发文字号=3",
                 "--set", "版记=是", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for line in ("发文机关：古田县教育局（草稿）", "发文字号：古教综〔2026〕3号（--set）",
                 "印发：古田县教育局办公室 2026年3月2日（单位设置）"):
        assert line in result.stderr
    code, out = check(draft, "--set", "发文字号=3")
    assert code == 0, out  # check reads the draft as build does: with the profile and the --set values


def test_check_a_draft_names_reading_notes_and_placement_errors(tmp_path: Path) -> None:
    DRAFTS["修订.docx"](tmp_path / "修订.docx")
    code, out = check(tmp_path / "修订.docx")
    assert code == 1 and "修订.docx [提示] 草稿读取：草稿含修订标记" in out
    doc = dm.new()
    dm.title(doc, TITLE)
    dm.para(doc, "特此通知。")
    dm.signature(doc, ORGAN, date=DATE)
    dm.para(doc, "2026年3月5日", align=dm.RIGHT)
    code, out = check(dm.save(doc, tmp_path / "两个日期.docx"))
    assert code == 2 and "两个日期.docx 第 5 段 [错误] 草稿结构（GB/T 9704-2012 7.3）：有两个成文日期" in out


def test_the_seed_typed_as_a_draft_builds_the_seed_pdf(tmp_path: Path) -> None:
    """Same pages and the same text, line by line, as the seed notice built from its YAML, up to the 附件
    table (whose column widths and blank rows the YAML sets and the draft does not)."""
    from test_drafts import seed_as_draft

    from kongchuo_docs.writers.pdf_writer import write_pdf

    seed_as_draft(tmp_path / "印发方案.docx")
    result = run("build", str(tmp_path / "印发方案.docx"), "-o", str(tmp_path / "out"), "--format", "pdf",
                 "--set", "发文机关=罗源县教育局", "--set", "盖章=是", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "印发件：罗源县控辍保学工作领导小组关于进一步加强控辍保学工作实施方案" in result.stderr
    write_pdf(read_notice(sample_path("notice", "seed-notice.yaml"))[0], tmp_path / "seed.pdf")
    drafted, seed = text_lines(tmp_path / "out" / "印发方案.pdf"), text_lines(tmp_path / "seed.pdf")
    assert len(page_sizes(tmp_path / "seed.pdf")) == len(page_sizes(tmp_path / "out" / "印发方案.pdf")) == 10
    def upto_table(lines: list) -> list[tuple[int, str]]:
        cut = next(n for n, line in enumerate(lines) if line.text == "问题线索移送登记表")
        return [(line.page, line.text) for line in lines[: cut + 1]]

    assert upto_table(drafted) == upto_table(seed) and len(upto_table(seed)) > 150


def test_settings_names_the_profile_for_build_and_check(tmp_path: Path) -> None:
    profile = tmp_path / "设置" / "单位设置.yaml"
    profile.parent.mkdir()
    profile.write_text(PROFILE, encoding="utf-8")
    draft = tmp_path / "草稿.txt"
    draft.write_text("\n".join([TITLE, RECIPIENTS, "为做好工作，特此通知。", ORGAN, DATE]), encoding="utf-8")
    code, out = check(draft, "--set", "发文字号=3")
    # no profile found from here: no 文号代字 for "3" — bad input of --set (exit 2), saying what it lacks
    assert code == 2 and "发文字号 [错误]" in out and "只写序号须有代字" in out
    result = CliRunner().invoke(app, ["check", str(draft), "--settings", str(profile), "--set", "发文字号=3"])
    assert result.exit_code == 0, result.stdout
    result = CliRunner().invoke(app, ["build", str(draft), "-o", str(tmp_path / "out"), "--format", "docx",
                                      "--settings", str(profile), "--set", "发文字号=3"])
    assert result.exit_code == 0, result.output
    assert "发文字号: 古教综〔2026〕3号" in (tmp_path / "out" / "草稿.yaml").read_text(encoding="utf-8")
