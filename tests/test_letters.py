"""Letters (入学/劝返/责令): nothing lost, order, duplex sheets, per-child zip, templates, refusals, bytes."""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import zipfile
from pathlib import Path

import pymupdf
import pytest
from docx import Document as WordDocument
from lxml import etree
from openpyxl import load_workbook
from profiles import write_profile
from typer.testing import CliRunner

from kongchuo_docs.cli import app
from kongchuo_docs.errors import InputError
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds.letters import ERROR_WORKBOOK, build_letters_files
from kongchuo_docs.kinds.sample_roster import generate_rows, write_sample_roster
from kongchuo_docs.letters.jobs import per_record_name
from kongchuo_docs.letters.layout import BODY
from kongchuo_docs.letters.settings import load_settings
from kongchuo_docs.profile import load_profile
from kongchuo_docs.readers.roster import read_roster

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SAMPLE_YEAR = load_profile(sample_path("profile", "单位设置.yaml")).first_year
ID_PATTERN = re.compile(r"\d{17}[\dX]")


def _roster(path: Path, rows: int, *, invalid: int = 0, seed: int = 7, schools: int = 3,
            year: int = SAMPLE_YEAR) -> Path:
    """A generated roster (of the sample profile's school year) limited to its first `schools` schools."""
    generated = generate_rows(rows, invalid=invalid, seed=seed, year=year)
    kept = sorted({r.values["入读学校"] for r in generated if r.values.get("入读学校")})[:schools]
    write_sample_roster(path, [r for r in generated if r.values.get("入读学校") in kept or r.defect], year=year)
    return path


def _manifest(outdir: Path) -> list[dict]:
    return json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))["files"]


def _pdf_pages(path: Path) -> list[str]:
    with pymupdf.open(path) as doc:
        return [re.sub(r"\s+", "", page.get_text()) for page in doc]


def _docx_body(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as zf:
        return etree.fromstring(zf.read("word/document.xml")).find(f"{W}body")


def _docx_letters(path: Path) -> list[str]:
    """The text of each letter (section) of a merged DOCX, in order."""
    letters, current = [], []
    for p in _docx_body(path).iter(f"{W}p"):
        current.append("".join(t.text or "" for t in p.iter(f"{W}t")))
        if p.find(f"{W}pPr/{W}sectPr") is not None:
            letters.append("".join(current))
            current = []
    letters.append("".join(current))
    return letters


def _ids(texts: list[str]) -> list[str]:
    return [found for text in texts for found in ID_PATTERN.findall(text)]


def _natural(text: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text) if p)


@pytest.fixture(scope="module")
def enrolment(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One run shared by several tests: 45 children in 3 schools, per-child zips."""
    base = tmp_path_factory.mktemp("enrolment")
    roster = _roster(base / "名册.xlsx", 45)
    build_letters_files(roster, base / "out", per_record=True, duplex=True)
    return roster, base / "out"


def test_every_valid_row_gets_exactly_one_letter_in_each_format(enrolment: tuple[Path, Path]) -> None:
    roster, out = enrolment
    expected = sorted(s.id_number for s in read_roster(roster).students)
    files = _manifest(out)
    pdfs = [out / f["path"] for f in files if f["format"] == "pdf"]
    docxs = [out / f["path"] for f in files if f["format"] == "docx"]
    assert len(pdfs) == len(docxs) == 3
    assert sorted(_ids([t for p in pdfs for t in _pdf_pages(p)])) == expected
    assert sorted(_ids([t for d in docxs for t in _docx_letters(d)])) == expected
    for fmt in ("pdf", "docx", "zip"):
        assert sum(f["records"] for f in files if f["format"] == fmt) == len(expected)
    assert {f["kind"] for f in files} == {"letters"}
    pymupdf.TOOLS.mupdf_warnings()  # clear, then check the PDFs parse without complaint
    for pdf in pdfs:
        with pymupdf.open(pdf) as doc:
            assert doc.page_count > 0 and all(page.get_fonts() for page in doc if page.get_text())
    assert pymupdf.TOOLS.mupdf_warnings() == ""
    assert WordDocument(docxs[0]).paragraphs  # python-docx opens the merged package


def test_letters_sorted_by_class_then_roster_order_within_each_school(enrolment: tuple[Path, Path]) -> None:
    roster, out = enrolment
    students = read_roster(roster).students
    for entry in (f for f in _manifest(out) if f["format"] == "docx"):
        school = Path(entry["path"]).stem
        mine = [s for s in students if s.school == school]
        expected = [s.id_number for s in sorted(mine, key=lambda s: (_natural(s.class_name or ""), s.row))]
        assert _ids(_docx_letters(out / entry["path"])) == expected


def test_each_letter_starts_on_a_new_sheet(enrolment: tuple[Path, Path]) -> None:
    _, out = enrolment
    students = {s.name for s in read_roster(enrolment[0]).students}
    for entry in (f for f in _manifest(out) if f["format"] == "pdf"):
        pages = _pdf_pages(out / entry["path"])
        starts = [i for i, t in enumerate(pages) if t.startswith("入学通知书") and not t.startswith("入学通知书回执")]
        assert len(starts) == entry["records"]
        with pymupdf.open(out / entry["path"]) as doc:  # one bookmark per letter, on its first page
            toc = doc.get_toc()
        assert [page - 1 for _, _, page in toc] == starts
        assert [title.split()[0] for _, title, _ in toc] == [str(n) for n in range(1, len(starts) + 1)]
        assert all(title.split()[1] in students for _, title, _ in toc)
        assert all(i % 2 == 0 for i in starts)  # page i+1 is odd: a front side
        assert len(pages) % 2 == 0 == entry["pages"] % 2
    for entry in (f for f in _manifest(out) if f["format"] == "docx"):
        sections = list(_docx_body(out / entry["path"]).iter(f"{W}sectPr"))
        assert len(sections) == entry["records"]
        assert {s.find(f"{W}type").get(f"{W}val") for s in sections} == {"oddPage"}


@pytest.mark.parametrize(("repeats", "sheets"), [(12, 2), (40, 3)])
def test_long_letters_blank_backs_slip_on_a_front_and_village_order(
    tmp_path: Path, repeats: int, sheets: int
) -> None:
    """The 送达回证 is an own-page form, in duplex on the front of a new sheet with a blank back.
    12 repeats: the body ends on page 2, the form is page 3; 40 repeats: the body ends on page 3,
    its back stays blank and the form is page 5."""
    roster = _roster(tmp_path / "名册.xlsx", 8, schools=1)
    story = "学校、村委会和乡镇多次上门劝返，家长仍未送孩子返校。" * repeats
    settings = write_profile(tmp_path, letters={"排序": "村", "前期劝返情况": story})
    build_letters_files(roster, tmp_path / "out", kind="责令", settings_file=settings, duplex=True)
    students = read_roster(roster).students
    entries = [f for f in _manifest(tmp_path / "out") if f["format"] == "pdf"]
    assert sorted(Path(f["path"]).stem for f in entries) == sorted({s.township for s in students})  # per 乡镇
    for entry in entries:
        pages = _pdf_pages(tmp_path / "out" / entry["path"])
        starts = [i for i, text in enumerate(pages) if text.startswith("责令限期复学通知书")]
        assert len(starts) == entry["records"]
        assert all(i % 2 == 0 for i in starts)
        lengths = [b - a for a, b in zip(starts, [*starts[1:], len(pages)], strict=True)]
        assert set(lengths) == {2 * sheets}
        slips = [i for i, text in enumerate(pages) if "送达回证" in text]
        assert len(slips) == entry["records"]
        assert all(i % 2 == 0 and not pages[i + 1] and pages[i].startswith("送达回证") for i in slips)
        mine = [s for s in students if s.township == Path(entry["path"]).stem]
        by_village = sorted(mine, key=lambda s: (_natural(s.village or ""), s.row))  # roster order in a village
        assert _ids([pages[i] + pages[i + 1] for i in starts]) == [s.id_number for s in by_village]


def test_per_record_zip_names_and_contents(enrolment: tuple[Path, Path]) -> None:
    roster, out = enrolment
    students = {s.id_number: s for s in read_roster(roster).students}
    seen = []
    for entry in (f for f in _manifest(out) if f["format"] == "zip"):
        with zipfile.ZipFile(out / entry["path"]) as zf:
            assert len(zf.namelist()) == entry["records"]
            for name in zf.namelist():
                body = etree.fromstring(zipfile.ZipFile(zf.open(name)).read("word/document.xml"))
                (number,) = _ids(["".join(t.text or "" for t in body.iter(f"{W}t"))])
                assert name == f"{students[number].name}-{number[-4:]}.docx"
                seen.append(number)
    assert sorted(seen) == sorted(students)


def test_per_record_names_are_safe_and_deduplicated() -> None:
    taken: set[str] = set()
    fields = {"姓名": "阿依古丽·买买提", "身份证后四位": "123X"}
    assert per_record_name(fields, taken) == "阿依古丽·买买提-123X.docx"
    assert per_record_name(fields, taken) == "阿依古丽·买买提-123X-2.docx"
    assert per_record_name({"姓名": "王/五 ", "身份证后四位": "0001"}, taken) == "王_五_-0001.docx"


def test_refuses_all_letters_when_any_row_is_invalid(tmp_path: Path) -> None:
    roster = _roster(tmp_path / "名册.xlsx", 20, invalid=2)
    result = CliRunner().invoke(app, ["letters", str(roster), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    errors = read_roster(roster).problems.errors
    assert errors and f"共 {len(errors)} 处错误" in result.output
    assert all(str(p.location) in result.output for p in errors)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.*"))


def test_skip_invalid_writes_valid_letters_and_the_error_workbook(tmp_path: Path) -> None:
    roster = _roster(tmp_path / "名册.xlsx", 30, invalid=3)
    data = read_roster(roster)
    assert data.invalid_rows
    written = build_letters_files(roster, tmp_path / "out", skip_invalid=True)
    assert f"入学通知书/{ERROR_WORKBOOK}" in written
    marked = load_workbook(tmp_path / "out" / "入学通知书" / ERROR_WORKBOOK)
    assert "错误清单" in marked.sheetnames
    files = _manifest(tmp_path / "out")
    pdf_ids = _ids([t for f in files if f["format"] == "pdf" for t in _pdf_pages(tmp_path / "out" / f["path"])])
    assert sorted(pdf_ids) == sorted(s.id_number for s in data.students)


def _word_template(path: Path, *fields: str) -> Path:
    doc = WordDocument()
    doc.add_paragraph("入学通知书")
    para = doc.add_paragraph()
    for field in fields:  # each field split over two runs, as Word often stores it
        para.add_run("{{ " + field[:1])
        para.add_run(field[1:] + " }}")
        para.add_run("，")
    doc.save(path)
    return path


def test_unknown_template_fields_are_reported_before_anything_is_read(tmp_path: Path) -> None:
    template = _word_template(tmp_path / "模板.docx", "姓名", "学生名字", "报到地址")
    missing_roster = tmp_path / "名册.xlsx"
    missing_roster.write_bytes(b"not a workbook")  # never opened: the template fails first
    with pytest.raises(InputError) as caught:
        build_letters_files(missing_roster, tmp_path / "out", word_template=template)
    text = str(caught.value)
    assert "学生名字" in text and "报到地址" in text and "{{ 姓名 }}" not in text
    assert not any((tmp_path / "out").rglob("*.*"))


def test_clerk_template_fields_are_filled_and_escaped(tmp_path: Path) -> None:
    roster = _roster(tmp_path / "名册.xlsx", 10, schools=1)
    template = _word_template(tmp_path / "模板.docx", "姓名", "身份证号", "报到地点")
    settings = write_profile(tmp_path, letters={"报到地点": "教学楼A&B座<一楼>"})
    build_letters_files(roster, tmp_path / "out", word_template=template, settings_file=settings)
    entry = next(f for f in _manifest(tmp_path / "out") if f["format"] == "docx")
    letters = _docx_letters(tmp_path / "out" / entry["path"])  # parses: the XML is well-formed
    students = sorted(read_roster(roster).students, key=lambda s: s.id_number)
    assert len(letters) == len(students)
    assert sorted(_ids(letters)) == [s.id_number for s in students]
    assert all("教学楼A&B座<一楼>" in text for text in letters)


def test_roster_headers_are_merge_fields_and_unknown_names_list_the_valid_ones(tmp_path: Path) -> None:
    """A secretary writes the roster's column headers: 入读学校, 户籍所在乡镇, 户籍所在村(社区) (either bracket
    width) are the fields 学校, 乡镇, 村; a name still unknown is refused naming the file, its paragraph and
    every valid name in both spellings."""
    roster = _roster(tmp_path / "名册.xlsx", 6, schools=1)
    template = _word_template(tmp_path / "模板.docx", "姓名", "入读学校", "户籍所在乡镇", "户籍所在村(社区)",
                              "户籍所在村（社区）")
    result = CliRunner().invoke(app, ["letters", str(roster), "-o", str(tmp_path / "out"), "--template", str(template)])
    assert result.exit_code == 0, result.output
    entry = next(f for f in _manifest(tmp_path / "out") if f["format"] == "docx")
    letters = _docx_letters(tmp_path / "out" / entry["path"])
    students = read_roster(roster).students
    expected = {f"{s.name}，{s.school}，{s.township}，{s.village}，{s.village}，" for s in students}
    assert {t for text in letters for t in expected if t in text} == expected

    wrong = _word_template(tmp_path / "错字.docx", "姓名", "就读学校名")
    refused = CliRunner().invoke(app, ["letters", str(roster), "-o", str(tmp_path / "out2"), "--template", str(wrong)])
    assert refused.exit_code == 2
    assert "错字.docx 第 2 段" in refused.output and "{{ 就读学校名 }}" in refused.output
    assert "学校（名册列名：入读学校）" in refused.output and "村（名册列名：户籍所在村(社区)）" in refused.output
    assert "Traceback" not in refused.output and not (tmp_path / "out2").exists()


def test_roster_headers_in_a_template_uploaded_on_the_letters_page(tmp_path: Path, web_client) -> None:
    """The same template on the 通知书 page: checked, generated, each letter with its school and village."""
    from web_helpers import csrf_of, wait_for_job

    roster = _roster(tmp_path / "名册.xlsx", 4, schools=1)
    template = _word_template(tmp_path / "模板.docx", "姓名", "入读学校", "户籍所在村(社区)")
    files = {"roster": (roster.name, roster.read_bytes()), "template": (template.name, template.read_bytes())}
    checked = web_client.post("/letters/check", files=files, data={"csrf": csrf_of(web_client)})
    assert wait_for_job(web_client, checked.url.path)["state"] == "done"
    generated = web_client.post(checked.url.path.replace("/jobs/", "/letters/generate/"),
                                data={"csrf": csrf_of(web_client)})  # fmt: skip
    assert wait_for_job(web_client, generated.url.path)["state"] == "done"
    with zipfile.ZipFile(io.BytesIO(web_client.get(f"{generated.url.path}/download").content)) as zf:
        [name] = [n for n in zf.namelist() if n.endswith(".docx")]
        (tmp_path / "页面.docx").write_bytes(zf.read(name))
    letters = _docx_letters(tmp_path / "页面.docx")
    expected = {f"{s.name}，{s.school}，{s.village}，" for s in read_roster(roster).students}
    assert {t for text in letters for t in expected if t in text} == expected

    wrong = _word_template(tmp_path / "错字.docx", "姓名", "就读学校名")
    files["template"] = (wrong.name, wrong.read_bytes())
    refused = web_client.post("/letters/check", files=files, data={"csrf": csrf_of(web_client)})
    assert wait_for_job(web_client, refused.url.path)["state"] == "failed"
    page = html.unescape(web_client.get(refused.url.path).text)
    row = re.search(r"<tr[^>]*>((?:(?!</tr>).)*就读学校名.*?)</tr>", page, re.S)[1]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert (cells[1], cells[3]) == ("错字.docx", "第2段")  # 文件, 单元格/行: where her wrong field is
    assert "学校（名册列名：入读学校）" in page and "村（名册列名：户籍所在村(社区)）" in page


def test_settings_sheet_and_file_override_defaults_with_located_errors(tmp_path: Path) -> None:
    roster = _roster(tmp_path / "名册.xlsx", 5, schools=1)
    workbook = load_workbook(roster)
    sheet = workbook.create_sheet("设置")
    sheet.append(["项目", "内容"])
    sheet.append(["报到日期", "2026.9.2"])
    sheet.append(["所需材料", "户口簿、出生医学证明"])
    workbook.save(roster)
    profile = load_profile(write_profile(tmp_path, {"报到日期": "2026-09-03", "双面打印": "否"}))
    settings = load_settings(roster, profile)
    assert settings.context()["报到日期"] == "2026年9月2日"  # the sheet overrides the profile
    assert settings["所需材料"] == ["户口簿", "出生医学证明"]
    assert settings["双面打印"] is False and settings.sources["双面打印"] == "单位设置.yaml"
    sheet.append(["报道日期", "2026-09-01"])
    sheet.append(["入学回执", "也许"])
    workbook.save(roster)
    with pytest.raises(InputError) as caught:
        load_settings(roster)
    messages = [str(p) for p in caught.value.problems]
    assert any("名册.xlsx!设置!B4" in m and "未知" in m for m in messages)
    assert any("名册.xlsx!设置!B5" in m and "是" in m for m in messages)


def test_province_penalty_clause_is_a_setting(tmp_path: Path) -> None:
    roster = _roster(tmp_path / "名册.xlsx", 4, schools=1)
    build_letters_files(roster, tmp_path / "plain", kind="责令")
    clause = "《某省义务教育条例》第四十条"
    settings = write_profile(tmp_path, {"省级处罚条款": clause})
    build_letters_files(roster, tmp_path / "province", kind="责令", settings_file=settings)
    for name, present in (("plain", False), ("province", True)):
        entry = next(f for f in _manifest(tmp_path / name) if f["format"] == "pdf")
        text = "".join(_pdf_pages(tmp_path / name / entry["path"]))
        assert "第五十八条" in text
        assert (clause in text) is present


def test_same_input_same_bytes_with_one_or_two_processes(tmp_path: Path) -> None:
    roster = _roster(tmp_path / "名册.xlsx", 24, schools=2)
    build_letters_files(roster, tmp_path / "a", kind="劝返", per_record=True)
    build_letters_files(roster, tmp_path / "b", kind="劝返", per_record=True, jobs=2)

    def digests(root: Path) -> dict[str, str]:
        return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}  # fmt: skip

    first = digests(tmp_path / "a")
    assert len(first) == 2 * 3 + 1
    assert first == digests(tmp_path / "b")


def test_rare_character_missing_from_the_body_font_is_drawn_from_a_fallback_font(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kongchuo_docs.system.fonts import resolve_fonts

    fonts = resolve_fonts()
    rare = next(
        (chr(cp) for cp in range(0x3400, 0x4DC0)
         if not fonts.face(BODY).covers(cp) and fonts.fallback_face(chr(cp), BODY) is not None),
        None,
    )  # fmt: skip
    if rare is None:
        pytest.skip("no installed font has a CJK Ext-A character the body font lacks")
    rows = generate_rows(6, seed=3)
    school = rows[0].values["入读学校"]
    rows = [r for r in rows if r.values["入读学校"] == school]
    rows[0].values["姓名"] = "林" + rare
    write_sample_roster(tmp_path / "名册.xlsx", rows)
    build_letters_files(tmp_path / "名册.xlsx", tmp_path / "out")
    assert f"“{rare}”" in capsys.readouterr().err
    entry = next(f for f in _manifest(tmp_path / "out") if f["format"] == "pdf")
    with pymupdf.open(tmp_path / "out" / entry["path"]) as doc:
        families = {font[3] for page in doc for font in page.get_fonts()}
        text = "".join(page.get_text() for page in doc)
    assert "林" + rare in text.replace("\n", "")
    fallback = fonts.fallback_face(rare, BODY)
    assert fallback is not None
    assert any(fallback.family.replace(" ", "") in name for name in families)


def test_demo_step_writes_all_three_kinds_from_the_copied_roster(tmp_path: Path) -> None:
    from kongchuo_docs.files.output import OutputSet
    from kongchuo_docs.kinds.letters import demo

    with OutputSet(tmp_path) as out:
        demo(out, load_profile(sample_path("profile", "单位设置.yaml")))
    files = _manifest(tmp_path)
    assert (tmp_path / "样例输入" / "通知书" / "名册.xlsx").is_file()
    valid = len(read_roster(tmp_path / "样例输入" / "通知书" / "名册.xlsx").students)
    for label in ("入学通知书", "劝返复学通知书", "责令限期复学通知书"):
        mine = [f for f in files if f["path"].startswith(f"{label}/")]
        assert {f["format"] for f in mine} == {"pdf", "docx"}
        assert sum(f["records"] for f in mine if f["format"] == "pdf") == valid
        assert all(f["source"] == "样例输入/通知书/名册.xlsx" for f in mine)


def test_picture_in_a_clerk_template_keeps_unique_drawing_ids(tmp_path: Path) -> None:
    from docx.shared import Mm
    from PIL import Image

    Image.new("RGB", (8, 8), "red").save(tmp_path / "logo.png")
    template = _word_template(tmp_path / "模板.docx", "姓名")
    doc = WordDocument(template)
    doc.add_paragraph().add_run().add_picture(str(tmp_path / "logo.png"), width=Mm(10))
    doc.save(template)
    roster = _roster(tmp_path / "名册.xlsx", 12, schools=1)
    build_letters_files(roster, tmp_path / "out", word_template=template)
    entry = next(f for f in _manifest(tmp_path / "out") if f["format"] == "docx")
    with zipfile.ZipFile(tmp_path / "out" / entry["path"]) as zf:
        xml = zf.read("word/document.xml").decode()
        assert any(name.startswith("word/media/") for name in zf.namelist())
    ids = re.findall(r'<wp:docPr\b[^>]*?\bid="(\d+)"', xml)
    assert len(ids) == entry["records"] > 1
    assert len(set(ids)) == len(ids)


def test_cli_rejects_an_unknown_kind_and_a_missing_roster_in_chinese(tmp_path: Path) -> None:
    roster = _roster(tmp_path / "名册.xlsx", 3, schools=1)
    unknown = CliRunner().invoke(app, ["letters", str(roster), "-o", str(tmp_path / "out"), "--kind", "通知"])
    assert unknown.exit_code == 2 and "入学、劝返、责令" in unknown.output
    missing = CliRunner().invoke(app, ["letters", str(tmp_path / "无.xlsx"), "-o", str(tmp_path / "out")])
    assert missing.exit_code == 2 and "找不到名册" in missing.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.*"))


def test_a_return_or_order_letter_dated_before_term_starts_is_warned_of(tmp_path: Path) -> None:
    """劝返 and 责令 letters go to children who did not come back after term started: dated before the
    报到日期 (the term's start), the run says so, naming the setting and where it was set; still written."""
    from profiles import PROFILE_NAME

    from kongchuo_docs.letters.plan import ISSUED_SOURCE

    roster = _roster(tmp_path / "名册.xlsx", 30, schools=1)
    profile = write_profile(tmp_path / "p", {"报到日期": f"{SAMPLE_YEAR}-09-01"})
    said = {}
    for kind, date in (("劝返", "08-20"), ("责令", "08-31"), ("责令", "09-10"), ("入学", "08-20")):
        out = tmp_path / f"{kind}{date}"
        result = CliRunner().invoke(app, ["letters", str(roster), "-o", str(out), "--kind", kind, "--settings",
                                          str(profile), "--date", f"{SAMPLE_YEAR}-{date}"])  # fmt: skip
        assert result.exit_code == 0, result.output
        assert list(out.rglob("*.pdf"))
        said[kind, date] = result.output.replace("\n", "")
    month_day = {"08-20": "8月20日", "08-31": "8月31日"}
    for kind, date in (("劝返", "08-20"), ("责令", "08-31")):
        assert (f"{ISSUED_SOURCE} 成文日期: {kind}通知书的成文日期早于开学（报到日期 {SAMPLE_YEAR}年9月1日，"
                f"取自{PROFILE_NAME} 报到日期）") in said[kind, date], said[kind, date]
        assert f"{SAMPLE_YEAR}年{month_day[date]}" in said[kind, date]
    assert "早于开学" not in said["责令", "09-10"] and "早于开学" not in said["入学", "08-20"]
