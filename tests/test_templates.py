"""Wording as data: ``templates export``, ``--templates`` folders (checked at file:line before anything
is written), one source for DOCX and PDF, and the sandbox every user template runs in."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pymupdf
import pytest
import yaml
from docx import Document as WordDocument
from profiles import write_profile
from typer.testing import CliRunner

from kongchuo_docs.cli import app
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds.sample_roster import generate_rows, write_sample_roster
from kongchuo_docs.profile import load_profile
from kongchuo_docs.system.libreoffice import soffice_path
from kongchuo_docs.wording import files as wording

W_T = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
HOSTILE = {
    "code": "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}",
    "loop": "{% for i in range(100000000) %}x{% endfor %}",
    "class": "{{ ''.__class__ }}",
    "include": "{% include '/etc/passwd' %}",
}
YEAR = load_profile(sample_path("profile", "单位设置.yaml")).first_year  # the profile every test finds
NEW_SENTENCE = "请家长务必提前一天到校熟悉环境。"


@pytest.fixture(autouse=True)
def _no_user_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--templates` sets an environment variable for worker processes; keep it inside each test."""
    monkeypatch.setenv(wording.TEMPLATES_ENV, "")
    monkeypatch.setenv(wording.TEMPLATES_BY_ENV, "")


def _roster(path: Path, rows: int = 6) -> Path:
    generated = generate_rows(rows, seed=11, year=YEAR)
    school = sorted({r.values["入读学校"] for r in generated if r.values.get("入读学校")})[0]
    write_sample_roster(path, [r for r in generated if r.values.get("入读学校") == school], year=YEAR)
    return path


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def _export(folder: Path) -> Path:
    code, output = _run("templates", "export", str(folder))
    assert code == 0, output
    return folder


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "".join(W_T.findall(zf.read("word/document.xml").decode("utf-8")))


def _pdf_text(path: Path) -> str:
    with pymupdf.open(path) as doc:
        return re.sub(r"\s+", "", "".join(page.get_text() for page in doc))


def _written(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_export_writes_every_kind_with_a_variables_comment_on_every_field(tmp_path: Path) -> None:
    folder = _export(tmp_path / "模板")
    for rel in wording.WORDING_FILES:
        text = (folder / rel).read_text(encoding="utf-8")
        lines = text.splitlines()
        assert yaml.safe_load(text)  # still valid YAML
        for i, line in enumerate(lines):
            if "{{" in line and re.match(r"\s*(- )?[\w-]+:", line):
                above = lines[i - 1].strip()
                assert above.startswith("# 可用变量："), f"{rel}:{i + 1} {line}"
    report = (folder / "report/self_check.yaml").read_text(encoding="utf-8")
    assert "# 可用变量：basis、basis_title、period、we、whole\nopening:" in report
    wording.check_folder(folder)  # an untouched export passes its own check


def test_a_changed_sentence_is_in_both_the_docx_and_the_pdf_of_the_same_child(tmp_path: Path) -> None:
    folder = _export(tmp_path / "模板")
    path = folder / "letters/enrolment.yaml"
    text = path.read_text(encoding="utf-8")
    old = "孩子因身体状况需要延缓入学的，请在报到前向学校提出申请，由乡镇人民政府或者县级人民政府教育行政部门批准。"
    assert old in text
    path.write_text(text.replace(old, NEW_SENTENCE), encoding="utf-8")
    roster = _roster(tmp_path / "名册.xlsx")
    code, output = _run("--templates", str(folder), "letters", str(roster), "-o", str(tmp_path / "out"))
    assert code == 0, output
    docx = next((tmp_path / "out").rglob("*.docx"))
    pdf = docx.with_suffix(".pdf")
    with zipfile.ZipFile(docx) as zf:
        sections = zf.read("word/document.xml").decode("utf-8").split("</w:sectPr>")
    docx_letters = ["".join(W_T.findall(section)) for section in sections]
    with pymupdf.open(pdf) as doc:
        pdf_pages = [re.sub(r"\s+", "", page.get_text()) for page in doc]
    ids = {i for text in docx_letters for i in re.findall(r"\d{17}[\dX]", text)}
    assert ids
    for child in ids:  # the letter of each child says the new sentence in both files, never the old one
        in_docx = next(text for text in docx_letters if child in text)
        in_pdf = next(text for text in pdf_pages if child in text)
        assert NEW_SENTENCE in in_docx and NEW_SENTENCE in in_pdf
        assert old not in in_docx and old not in in_pdf


def test_a_changed_report_sentence_reaches_docx_and_pdf_and_a_missing_file_falls_back(tmp_path: Path) -> None:
    folder = _export(tmp_path / "模板")
    (folder / "letters/enrolment.yaml").unlink()  # not used here; a missing file is the default
    path = folder / "report/self_check.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("现将自查情况报告如下：", "特报告如下："), encoding="utf-8"
    )
    form = tmp_path / "表.yaml"
    form.write_text(
        yaml.safe_dump({"单位名称": "某乡人民政府", "单位类型": "乡", "报告日期": "2026.10.9",
                        "适龄儿童少年数": 10, "已入学适龄儿童少年数": 10, "学期初在校学生数": 10,
                        "本届入学时人数": 5, "本届在校人数": 5, "辍学人数": 0, "劝返复学人数": 0,
                        "适龄残疾儿童数": 0, "残疾儿童入学人数": 0, "未到校人数": 0, "病假": 0, "休学": 0,
                        "延缓入学": 0, "送教上门": 0, "转学": 0, "死亡": 0, "辍学（未到校）": 0},
                       allow_unicode=True),
        encoding="utf-8",
    )  # fmt: skip
    code, output = _run("--templates", str(folder), "self-check", str(form), "-o", str(tmp_path / "out"))
    assert code == 0, output
    docx = next((tmp_path / "out").rglob("*.docx"))
    assert "特报告如下：" in _docx_text(docx) and "特报告如下：" in _pdf_text(docx.with_suffix(".pdf"))


def test_unknown_variable_and_unknown_key_are_reported_with_file_and_line(tmp_path: Path) -> None:
    folder = _export(tmp_path / "模板")
    path = folder / "rectification/notice.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append("标题二: 多出来的键")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = folder / "report/self_check.yaml"
    text = report.read_text(encoding="utf-8").replace("{{ unit }}关于", "{{ 单位 }}关于", 1)
    report.write_text(text, encoding="utf-8")
    bad_line = 1 + next(i for i, line in enumerate(text.splitlines()) if "{{ 单位 }}关于" in line)
    roster = _roster(tmp_path / "名册.xlsx", 3)
    code, output = _run("--templates", str(folder), "letters", str(roster), "-o", str(tmp_path / "out"))
    assert code == 2
    flat = output.replace("\n", "")
    assert f"self_check.yaml:{bad_line} 第 1 段: 〔单位〕不是可用的字段（此处可用：〔单位名称〕" in flat
    assert f"notice.yaml:{len(lines)}" in flat and "未知的键" in flat
    assert "Traceback" not in output and not _written(tmp_path / "out")


@pytest.mark.parametrize("payload", sorted(HOSTILE))
def test_hostile_wording_file_is_refused_before_anything_runs(tmp_path: Path, payload: str) -> None:
    folder = _export(tmp_path / "模板")
    path = folder / "letters/enrolment.yaml"
    text = path.read_text(encoding="utf-8")
    hostile_line = 1 + next(i for i, line in enumerate(text.splitlines()) if "编号：{{ 编号 }}" in line)
    path.write_text(
        text.replace('"编号：{{ 编号 }}"', json.dumps(HOSTILE[payload], ensure_ascii=False)), encoding="utf-8"
    )
    roster = _roster(tmp_path / "名册.xlsx", 3)
    code, output = _run("--templates", str(folder), "letters", str(roster), "-o", str(tmp_path / "out"))
    assert code == 2, output
    assert f"enrolment.yaml:{hostile_line}" in output.replace("\n", "") and "Traceback" not in output
    assert not _written(tmp_path / "out") and not Path("PWNED").exists()


def _hostile_docx(path: Path, payload: str) -> Path:
    doc = WordDocument()
    doc.add_paragraph("{{ 姓名 }}")
    doc.add_paragraph(payload)
    doc.save(path)
    return path


@pytest.mark.parametrize("payload", sorted(HOSTILE))
def test_hostile_word_template_is_refused_in_chinese_before_the_roster_is_read(tmp_path: Path, payload: str) -> None:
    template = _hostile_docx(tmp_path / "模板.docx", HOSTILE[payload])
    roster = _roster(tmp_path / "名册.xlsx", 3)
    result = CliRunner().invoke(app, ["letters", str(roster), "-o", str(tmp_path / "out"), "--template", str(template)])
    assert result.exit_code == 2, result.output
    assert "模板.docx" in result.output and re.search(r"[\u4e00-\u9fff]{4}", result.output)
    assert "Traceback" not in result.output
    assert not _written(tmp_path / "out") and not Path("PWNED").exists()


def test_sandbox_limits_hold_at_render_time() -> None:
    from kongchuo_docs.errors import InputError
    from kongchuo_docs.wording import sandbox

    env = sandbox.environment(autoescape=False)
    nested = env.from_string("{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}")
    with pytest.raises(InputError, match="循环次数超过上限"):
        sandbox.render(nested, {}, where="t.yaml", field="x")
    repeated = env.from_string("{{ 'x' * 100000000 }}")
    with pytest.raises(InputError, match="重复的文字或列表"):
        sandbox.render(repeated, {}, where="t.yaml", field="x")
    method = env.from_string("{{ 名单.append(1) }}")
    with pytest.raises(InputError, match="不允许"):
        sandbox.render(method, {"名单": []}, where="t.yaml", field="x")
    assert sandbox.render(env.from_string("{% for i in range(3) %}{{ i }}{% endfor %}"), {}, where="t") == "012"


@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice not installed")
def test_clerk_template_pdf_is_the_same_merged_docx(tmp_path: Path) -> None:
    doc = WordDocument()
    doc.add_paragraph("自定义通知：{{ 姓名 }}，身份证号{{ 身份证号 }}，请到{{ 学校 }}报到。")
    doc.save(tmp_path / "模板.docx")
    roster = _roster(tmp_path / "名册.xlsx", 4)
    code, output = _run("letters", str(roster), "-o", str(tmp_path / "out"), "--template", str(tmp_path / "模板.docx"))
    assert code == 0, output
    docx = next((tmp_path / "out").rglob("*.docx"))
    docx_text, pdf_text = _docx_text(docx), _pdf_text(docx.with_suffix(".pdf"))
    ids = re.findall(r"\d{17}[\dX]", docx_text)
    assert ids and re.findall(r"\d{17}[\dX]", pdf_text) == ids
    assert re.sub(r"\s+", "", docx_text) == pdf_text  # the PDF says exactly what the DOCX says
    assert "入学通知书" not in pdf_text  # none of the built-in wording


def test_clerk_template_without_libreoffice_writes_no_pdf_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kongchuo_docs.kinds.letters as letters

    monkeypatch.setattr(letters, "soffice_path", lambda: None)
    doc = WordDocument()
    doc.add_paragraph("{{ 姓名 }}")
    doc.save(tmp_path / "模板.docx")
    roster = _roster(tmp_path / "名册.xlsx", 3)
    code, output = _run("letters", str(roster), "-o", str(tmp_path / "out"), "--template", str(tmp_path / "模板.docx"))
    assert code == 0, output
    assert "未生成 PDF" in output.replace("\n", "") and "LibreOffice" in output
    assert not list((tmp_path / "out").rglob("*.pdf")) and list((tmp_path / "out").rglob("*.docx"))


def test_a_letter_template_cannot_name_an_output_folder_outside_the_output(tmp_path: Path) -> None:
    folder = _export(tmp_path / "模板")
    path = folder / "letters/enrolment.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("file_label: 入学通知书", "file_label: ../../逃出"), encoding="utf-8")
    line = 1 + next(i for i, x in enumerate(text.splitlines()) if x.startswith("file_label:"))
    roster = _roster(tmp_path / "名册.xlsx", 3)
    code, output = _run("--templates", str(folder), "letters", str(roster), "-o", str(tmp_path / "a" / "out"))
    assert code == 2 and f"enrolment.yaml:{line} 第 2 段: 通知书模板格式错误：" in output.replace("\n", "")
    assert not (tmp_path / "逃出").exists() and not _written(tmp_path / "a")


def test_an_output_name_from_edited_wording_never_leaves_the_output_folder(tmp_path: Path) -> None:
    from kongchuo_docs.errors import KongchuoError
    from kongchuo_docs.files.output import OutputSet

    with pytest.raises(KongchuoError, match="输出文件夹之外"), OutputSet(tmp_path / "out") as out:
        out.reserve("工作总结/../../逃出.docx")
    assert not (tmp_path / "逃出.docx").exists() and not _written(tmp_path / "out")


@pytest.mark.parametrize("settings", [None, {"入学回执样式": "送达回证", "入学文号前缀": "某小入〔2026〕"}])
def test_docx_and_pdf_of_the_same_letters_say_the_same(tmp_path: Path, settings: dict | None) -> None:
    folder = _export(tmp_path / "模板")
    path = folder / "letters/enrolment.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("孩子因身体状况", "孩子确因身体状况"), encoding="utf-8")
    profile = write_profile(tmp_path, letters=settings or {"显示编号": True})
    roster = _roster(tmp_path / "名册.xlsx", 8)
    code, output = _run("--templates", str(folder), "letters", str(roster), "-o", str(tmp_path / "out"),
                        "--settings", str(profile))  # fmt: skip
    assert code == 0, output
    for docx in (tmp_path / "out").rglob("*.docx"):
        docx_text = re.sub(r"\s+", "", _docx_text(docx))
        assert docx_text == _pdf_text(docx.with_suffix(".pdf")) and "孩子确因身体状况" in docx_text


def test_the_profile_templates_folder_is_used_unless_the_command_line_names_one(tmp_path: Path) -> None:
    from kongchuo_docs.files.resources import sample_path
    from kongchuo_docs.profile import load_profile

    _export(tmp_path / "县里的措辞")
    _export(tmp_path / "命令行的措辞")
    profile = tmp_path / "单位设置.yaml"
    text = sample_path("profile", "单位设置.yaml").read_text(encoding="utf-8")
    profile.write_text(re.sub(r"(?m)^模板目录:.*$", "模板目录: 县里的措辞", text), encoding="utf-8")
    load_profile(profile)
    assert wording.user_folder() == (tmp_path / "县里的措辞").resolve()
    assert wording.wording_path("report", "self_check.yaml") == tmp_path / "县里的措辞/report/self_check.yaml"
    profile.write_text(re.sub(r"(?m)^模板目录:.*$", '模板目录: ""', text), encoding="utf-8")
    load_profile(profile)  # the county cleared 模板目录 (a server reads the edited profile again)
    assert wording.user_folder() is None
    wording.use_templates(tmp_path / "命令行的措辞")
    profile.write_text(re.sub(r"(?m)^模板目录:.*$", "模板目录: 县里的措辞", text), encoding="utf-8")
    load_profile(profile)
    assert wording.user_folder() == (tmp_path / "命令行的措辞").resolve()


def test_letter_wording_may_name_the_rosters_column_headers_as_word_templates_may(tmp_path: Path) -> None:
    """A clerk copies the roster's headers into her wording (--templates): {{ 入读学校 }},
    {{ 户籍所在乡镇 }}, a condition on 户籍所在村(社区) read as 学校, 乡镇, 村 — the letters print the
    child's values; a name that is neither field nor header is still refused, at its file and line."""
    folder = _export(tmp_path / "模板")
    path = folder / "letters/enrolment.yaml"
    text = path.read_text(encoding="utf-8")
    old = "孩子因身体状况需要延缓入学的，请在报到前向学校提出申请，由乡镇人民政府或者县级人民政府教育行政部门批准。"
    new = ("{% if 户籍所在村(社区) %}户籍村：{{ 户籍所在村（社区） }}。{% endif %}"
           "入读学校：{{ 入读学校 }}；户籍乡镇：{{ 户籍所在乡镇 }}。")  # fmt: skip
    receipt = "    if: 入学回执 and 入学回执样式 == '回执'"
    assert receipt in text
    path.write_text(text.replace(old, new).replace(receipt, f"{receipt} and 入读学校"), encoding="utf-8")
    roster = _roster(tmp_path / "名册.xlsx")
    code, output = _run("--templates", str(folder), "letters", str(roster), "-o", str(tmp_path / "out"))
    assert code == 0, output
    with pymupdf.open(next((tmp_path / "out").rglob("*.pdf"))) as doc:
        pages = [re.sub(r"\s+", "", page.get_text()) for page in doc]
    from kongchuo_docs.readers.roster import read_roster

    students = read_roster(roster).students
    for student in students:
        page = next(p for p in pages if student.id_number in p)
        assert f"入读学校：{student.school}；户籍乡镇：{student.township}。" in page
        assert (f"户籍村：{student.village}。" in page) == bool(student.village)
    assert "沿虚线剪下，交回学校" in "".join(pages)  # the 回执's conditions naming 入读学校 hold

    path.write_text(text.replace(old, "{{ 就读学校 }}"), encoding="utf-8")
    code, output = _run("--templates", str(folder), "letters", str(roster), "-o", str(tmp_path / "out2"))
    assert code == 2 and re.search(r"enrolment\.yaml:\d+ 第 \d+ 段: 〔就读学校〕不是可用的字段", output), output
