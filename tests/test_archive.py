"""Archive-ready output: every DOCX kind clean for WPS (no foreign or theme fonts, a font table of the
fonts used) and every PDF kind PDF/A (pdfaid, OutputIntent, embedded fonts with ToUnicode, /ID),
checked offline with pikepdf; ``--pdfa 3b`` embeds the source. Full conformance needs veraPDF."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import draftmaker as dm
import pikepdf
import pytest
from docx import Document as WordDocument
from lxml import etree
from typer.testing import CliRunner

from kongchuo_docs import gbt9704
from kongchuo_docs.cli import app
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds import demo
from kongchuo_docs.kinds.sample_roster import generate_rows, write_sample_roster
from kongchuo_docs.system.libreoffice import soffice_path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
OFFICIAL = {gbt9704.FONT_XIAOBIAOSONG, gbt9704.FONT_FANGSONG, gbt9704.FONT_KAITI, gbt9704.FONT_HEITI,
            gbt9704.FONT_SONGTI}  # fmt: skip
THEME_ATTRIBUTE = re.compile(r"\bw:(asciiTheme|hAnsiTheme|eastAsiaTheme|cstheme)=")
RFONTS = re.compile(r"<w:rFonts\b[^>]*>")
FONT_NAME = re.compile(r'\bw:(?:ascii|hAnsi|eastAsia|cs)="([^"]*)"')
FONT_PARTS = re.compile(r"word/(document|styles|numbering|header\d*|footer\d*)\.xml")
FOREIGN = ("Calibri", "Cambria", "ＭＳ 明朝", "ＭＳ ゴシック", "맑은 고딕", "新細明體", "Arial", "Courier", "Symbol")


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole demo: every kind the tool writes (公文, letters, 责任书, 自查报告, 整改, 总结, 登记表)."""
    out = tmp_path_factory.mktemp("demo")
    demo.run_demo(out)
    return out


def _fonts(xml: str) -> set[str]:
    return {font for tag in RFONTS.findall(xml) for font in FONT_NAME.findall(tag)}


def _docx_problems(path: Path) -> list[str]:
    """Everything that makes `path` not WPS-clean."""
    problems = []
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name).decode("utf-8") for name in zf.namelist() if name.endswith(".xml")}
    for name, text in parts.items():
        if name.startswith("word/") and THEME_ATTRIBUTE.search(text):
            problems.append(f"{name}: theme font attribute")
        problems += [f"{name}: {font}" for font in FOREIGN if re.search(f'="{font}( [^"]*)?"', text)]
    for name, text in parts.items():
        if re.fullmatch(r"word/theme/theme\d*\.xml", name):
            root = etree.fromstring(text.encode())
            for scheme in root.iter(f"{{{A}}}majorFont", f"{{{A}}}minorFont"):
                faces = {child.tag.split("}")[1]: child.get("typeface") for child in scheme}
                if faces != {"latin": "Times New Roman", "ea": "宋体", "cs": "Times New Roman"}:
                    problems.append(f"{name}: theme fonts {faces}")
    table = etree.fromstring(parts["word/fontTable.xml"].encode())
    declared = {font.get(f"{{{W}}}name"): font for font in table.iter(f"{{{W}}}font")}
    named = set().union(*(_fonts(text) for name, text in parts.items() if FONT_PARTS.fullmatch(name)))
    body_fonts = _fonts(parts["word/document.xml"])
    problems += [f"fontTable: {font} not used" for font in declared if font not in named]
    problems += [f"fontTable: {font} missing" for font in body_fonts if font not in declared]
    for font in OFFICIAL & set(declared):
        if declared[font].find(f"{{{W}}}altName") is None:
            problems.append(f"fontTable: {font} without altName")
    return problems


def test_every_docx_kind_is_clean_for_wps(demo_out: Path) -> None:
    docx_files = sorted(p for p in demo_out.rglob("*.docx") if "样例输入" not in p.parts)
    kinds = {p.relative_to(demo_out).parts[0] for p in docx_files}
    assert {"通知", "入学通知书", "责任书"} <= kinds and len(kinds) >= 7, kinds
    problems = {p.name: _docx_problems(p) for p in docx_files}
    assert {name: found for name, found in problems.items() if found} == {}
    for path in docx_files:  # the tool's own documents use the official fonts only
        with zipfile.ZipFile(path) as zf:
            table = etree.fromstring(zf.read("word/fontTable.xml"))
        assert {f.get(f"{{{W}}}name") for f in table} <= OFFICIAL, path.name


def _pdfa_problems(path: Path, part: int) -> list[str]:
    """What makes `path` not the PDF/A-`part`b this smoke test can check (veraPDF checks the rest)."""
    problems = []
    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        if (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) != (str(part), "B"):
            problems.append(f"pdfaid {meta.get('pdfaid:part')}{meta.get('pdfaid:conformance')}")
        info = pdf.docinfo  # PDF/A: each Info entry agrees with its XMP twin
        if "/Title" in info and str(info.Title) != meta.get("dc:title"):
            problems.append("Info /Title differs from dc:title")
        if "/Author" in info and [str(info.Author)] != meta.get("dc:creator"):
            problems.append("Info /Author differs from dc:creator")
        intents = pdf.Root.get("/OutputIntents", [])
        if not any(i.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in i for i in intents):
            problems.append("no sRGB OutputIntent")
        trailer_id = pdf.trailer.get("/ID")
        if trailer_id is None or len(trailer_id) != 2:
            problems.append("no /ID")
        if pdf.is_encrypted or "/Encrypt" in pdf.trailer:
            problems.append("encrypted")
        for obj in pdf.objects:
            if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
                continue
            if "/JS" in obj or obj.get("/S") == "/JavaScript":
                problems.append("JavaScript")
            # Type0 fonts and simple fonts (their CID descendants are checked through the Type0)
            if obj.get("/Type") == "/Font" and obj.get("/Subtype") not in ("/Type3", "/CIDFontType0", "/CIDFontType2"):
                if "/ToUnicode" not in obj:
                    problems.append(f"{obj.get('/BaseFont')}: no ToUnicode")
                font = obj.DescendantFonts[0] if obj.get("/Subtype") == "/Type0" else obj
                descriptor = font.get("/FontDescriptor", {})
                if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    problems.append(f"{obj.get('/BaseFont')}: not embedded")
            if obj.get("/Subtype") == "/Image" and obj.get("/Interpolate") is True:
                problems.append("interpolated image")
        problems += pdf.check_pdf_syntax()
    return problems


def _metadata(path: Path) -> dict[str, object]:
    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        return {"title": meta.get("dc:title"), "creator": meta.get("dc:creator"), "date": meta.get("xmp:CreateDate"),
                "files": {spec.filename: spec for spec in pdf.attachments.values()}}  # fmt: skip


def test_every_pdf_kind_is_pdfa_2b(demo_out: Path) -> None:
    pdfs = sorted(demo_out.rglob("*.pdf"))
    kinds = {p.relative_to(demo_out).parts[0] for p in pdfs}
    assert {"通知", "入学通知书", "责任书"} <= kinds and len(kinds) >= 7, kinds
    problems = {p.relative_to(demo_out).as_posix(): _pdfa_problems(p, 2) for p in pdfs}
    assert {name: found for name, found in problems.items() if found} == {}
    for path in pdfs:
        meta = _metadata(path)
        assert meta["title"] and meta["creator"] and meta["creator"][0], path  # 标题, 发文机关
        assert re.match(r"\d{4}-\d{2}-\d{2}", meta["date"] or ""), path  # the document's own date
        assert meta["files"] == {}, path  # PDF/A-2b: no source attached


def test_letters_pdf_names_the_issuing_school_and_the_date(demo_out: Path) -> None:
    school = sorted((demo_out / "入学通知书").glob("*.pdf"))[0]
    meta = _metadata(school)
    assert meta["title"] == f"{school.stem}入学通知书"
    assert meta["creator"] == [school.stem]  # 署名: the school itself (入学发文机关 left empty)
    with pikepdf.open(school) as pdf:
        assert str(pdf.docinfo["/Author"]) == school.stem
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:" + meta["date"][:10].replace("-", ""))


def _roster(path: Path, schools: int = 2) -> Path:
    rows = generate_rows(24, seed=3)
    kept = sorted({r.values["入读学校"] for r in rows if r.values.get("入读学校")})[:schools]
    write_sample_roster(path, [r for r in rows if r.values.get("入读学校") in kept])
    return path


def test_pdfa_3b_embeds_the_source_of_build_and_letters(tmp_path: Path) -> None:
    runner = CliRunner()
    seed = sample_path("notice", "seed-notice.yaml")
    result = runner.invoke(app, ["build", str(seed), "-o", str(tmp_path / "build"), "--pdfa", "3b"])
    assert result.exit_code == 0, result.output
    roster = _roster(tmp_path / "名册.xlsx")
    result = runner.invoke(app, ["letters", str(roster), "-o", str(tmp_path / "letters"), "--pdfa", "3b",
                                 "--per-record"])  # fmt: skip
    assert result.exit_code == 0, result.output
    zips = sorted((tmp_path / "letters").rglob("*-单份.zip"))
    assert len(zips) == 2
    for archive in zips:  # the per-child DOCX come from the same cleaned template
        with zipfile.ZipFile(archive) as zf:
            (tmp_path / "one.docx").write_bytes(zf.read(zf.namelist()[0]))
        assert _docx_problems(tmp_path / "one.docx") == []
    assert "每份 PDF 都附带完整名册" in result.output  # the whole roster goes into every school's file
    pdfs = [tmp_path / "build" / "seed-notice.pdf", *sorted((tmp_path / "letters").rglob("*.pdf"))]
    assert len(pdfs) == 3
    for path, source in zip(pdfs, [seed, roster, roster], strict=True):
        assert _pdfa_problems(path, 3) == [], path
        with pikepdf.open(path) as pdf:
            [attached] = pdf.attachments.values()
            assert attached.filename == source.name and attached.obj.get("/AFRelationship") == "/Source"
            assert attached.get_file().read_bytes() == source.read_bytes()
            # WeasyPrint 70 lists its one file specification twice in /AF: the same object
            assert {f.objgen for f in pdf.Root.AF} == {attached.obj.objgen}


def test_an_unknown_pdfa_level_is_refused_in_chinese(tmp_path: Path) -> None:
    seed = sample_path("notice", "seed-notice.yaml")
    result = CliRunner().invoke(app, ["build", str(seed), "-o", str(tmp_path), "--pdfa", "1a"])
    assert result.exit_code == 2
    assert "不支持的 PDF/A 级别：1a" in result.output and not any(tmp_path.iterdir())


def test_a_clerks_word_template_with_theme_fonts_comes_out_clean(tmp_path: Path) -> None:
    """python-docx's own default (Calibri, ＭＳ 明朝, theme attributes in styles) and a run set in a
    theme font, as Word writes it: the merged letters name 宋体 / Times New Roman instead."""
    template = tmp_path / "模板.docx"
    word = WordDocument()
    word.add_paragraph("入学通知书", style="Heading 1")
    word.add_paragraph().add_run("{{ 姓名 }}同学：")
    word.save(template)
    with zipfile.ZipFile(template) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"<w:r>", b'<w:r><w:rPr><w:rFonts w:eastAsiaTheme="minorEastAsia"/></w:rPr>', 1)
    with zipfile.ZipFile(template, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    assert _docx_problems(template)  # the check sees what is wrong with it
    roster = _roster(tmp_path / "名册.xlsx", schools=1)
    result = CliRunner().invoke(app, ["letters", str(roster), "-o", str(tmp_path / "out"), "--template",
                                      str(template)])  # fmt: skip
    assert result.exit_code == 0, result.output
    [merged] = (tmp_path / "out").rglob("*.docx")
    problems = _docx_problems(merged)
    assert problems == []
    with zipfile.ZipFile(merged) as zf:
        document = zf.read("word/document.xml").decode()
    assert 'w:eastAsia="宋体"' in document  # the theme font named
    if soffice_path() is not None:  # the PDF is LibreOffice's conversion of that DOCX, as PDF/A
        [pdf] = (tmp_path / "out").rglob("*.pdf")
        with pikepdf.open(pdf) as opened:
            assert opened.open_metadata().get("pdfaid:part") == "2"
            assert "/OutputIntents" in opened.Root and "/ID" in opened.trailer


def test_a_word_draft_with_a_picture_gives_pdfa_3b_and_a_clean_docx(tmp_path: Path) -> None:
    """A draft made in Word (python-docx's theme fonts, a picture): PDF/A-3b with the draft attached,
    the picture not interpolated; the DOCX names the official fonts only."""
    draft = tmp_path / "图片通知.docx"
    doc = dm.new()
    dm.title(doc, "某县教育局关于做好控辍保学工作的通知")
    dm.para(doc, "各乡（镇）中心学校：")
    dm.para(doc, "现将有关事项通知如下。")
    dm.picture(doc, dm.png(), 100)
    dm.para(doc, "特此通知。")
    dm.signature(doc, "某县教育局", date="2026年3月2日")
    dm.save(doc, draft)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(draft), "-o", str(out), "--pdfa", "3b"])
    assert result.exit_code == 0, result.output
    pdf = out / "图片通知.pdf"
    assert _pdfa_problems(pdf, 3) == []
    with pikepdf.open(pdf) as opened:
        images = [o for o in opened.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
        assert images and all(o.get("/Interpolate") is False for o in images)
    assert _metadata(pdf)["files"].keys() == {draft.name}
    assert _docx_problems(out / "图片通知.docx") == []
