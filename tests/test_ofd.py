"""OFD output (GB/T 33190-2016): the seed notice, one school's letters and a draft with a picture as OFD,
checked by the project's structural validator (tests/ofdcheck.py) and read back by an independent reader
(ofdkit): the same text on the same baselines as the PDF (PyMuPDF), the DocInfo and DA/T 46 CustomDatas,
fonts embedded as TrueType subsets; rules as paths, pictures as images; the 下载 OFD button."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import draftmaker
import ofdkit
import pymupdf
import pytest
from docx import Document as WordDocument
from fontTools.ttLib import TTFont
from lxml import etree
from ofdcheck import NS, ofd_problems
from ofdrender import draw_ofd, grey_difference
from typer.testing import CliRunner
from web_helpers import post_notice

from kongchuo_docs.cli import app
from kongchuo_docs.files.output import sha256_of
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds.sample_roster import generate_rows, write_sample_roster
from kongchuo_docs.profile import load_profile
from kongchuo_docs.system.libreoffice import soffice_path
from kongchuo_docs.writers.ofd import OfdMeta, write_ofd

SEED = sample_path("notice", "seed-notice.yaml")
MM = 25.4 / 72
SAME_BASELINE_MM = 0.05


def q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def build(*args: str) -> None:
    result = CliRunner().invoke(app, ["-q", "build", *args])
    assert result.exit_code == 0, result.output


def _lines(items: list[tuple[float, float, str]]) -> list[str]:
    """(baseline mm, x mm, text) pieces joined per baseline, top to bottom, left to right; no spaces."""
    lines: list[list[tuple[float, float, str]]] = []
    for item in sorted(items):
        if lines and item[0] - lines[-1][-1][0] <= SAME_BASELINE_MM:
            lines[-1].append(item)
        else:
            lines.append([item])
    texts = ("".join(t for _y, _x, t in sorted(line, key=lambda i: i[1])) for line in lines)
    return [re.sub(r"\s", "", t) for t in texts if t.strip()]


def pdf_lines(pdf: Path) -> list[list[str]]:
    """Each page's text lines as PyMuPDF reads the PDF (every character at its origin)."""
    with pymupdf.open(pdf) as doc:
        return [_lines([(c["origin"][1] * MM, c["origin"][0] * MM, c["c"])
                        for block in page.get_text("rawdict")["blocks"] for line in block.get("lines", [])
                        for span in line["spans"] for c in span["chars"]]) for page in doc]  # fmt: skip


def ofd_lines(document: ofdkit.OFDDocument) -> list[list[str]]:
    """Each page's text lines as ofdkit reads the OFD (its runs at their baselines)."""
    return [_lines([(run.y, run.x, run.text) for run in page.runs]) for page in document.pages]


def parts(ofd: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(ofd) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def objects(ofd: Path, tag: str) -> list[tuple[int, etree._Element]]:
    """(page index, element) of every ofd:`tag` on the pages."""
    found = []
    for name, data in parts(ofd).items():
        page = re.fullmatch(r"Doc_0/Pages/Page_(\d+)/Content\.xml", name)
        if page:
            found += [(int(page[1]), e) for e in etree.fromstring(data).iter(q(tag))]
    return sorted(found, key=lambda item: item[0])


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed") / "out"
    build(str(SEED), "-o", str(out), "--format", "pdf,ofd")
    return out


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One school's 入学通知书 (PDF, DOCX, OFD) from a generated roster."""
    base = tmp_path_factory.mktemp("school")
    year = load_profile(sample_path("profile", "单位设置.yaml")).first_year
    rows = generate_rows(60, seed=5, year=year)
    first = sorted({r.values["入读学校"] for r in rows})[0]
    write_sample_roster(base / "名册.xlsx", [r for r in rows if r.values["入读学校"] == first], year=year)
    result = CliRunner().invoke(app, ["-q", "letters", str(base / "名册.xlsx"), "-o", str(base / "out"), "--ofd"])
    assert result.exit_code == 0, result.output
    return base / "out"


def test_seed_notice_ofd_is_sound_and_reads_back_as_its_pdf(seed: Path) -> None:
    ofd, pdf = seed / "seed-notice.ofd", seed / "seed-notice.pdf"
    assert ofd_problems(ofd) == []
    with ofdkit.open(ofd) as document:
        assert ofd_lines(document) == pdf_lines(pdf)
        info = document.info
        assert document.warnings == [] and len(document.pages) == 10
    assert info.title == "罗源县关于印发进一步加强控辍保学工作实施方案的通知"
    assert info.author == "罗源县教育局" and info.creation_date == "2020-09-10"
    assert info.custom_data == {"文号": "罗教综〔2020〕47号", "成文日期": "2020-09-10", "页数": "10", "文种": "通知"}
    entry = next(e for e in json.loads((seed / "manifest.json").read_text("utf-8"))["files"] if e["format"] == "ofd")
    assert entry["kind"] == "notice" and entry["pages"] == 10 and entry["title"] == info.title
    assert entry["sha256"] == sha256_of(ofd)


def test_text_stays_text_with_every_glyph_advance_and_the_rules_are_paths(seed: Path) -> None:
    ofd = seed / "seed-notice.ofd"
    with pymupdf.open(seed / "seed-notice.pdf") as pdf:
        glyphs = sum(len(s["chars"]) for page in pdf for s in page.get_texttrace())
        red_rule = next(d["rect"] for d in pdf[0].get_drawings() if d.get("fill") == (1.0, 0.0, 0.0))
    codes = [code for _page, code in objects(ofd, "TextCode")]
    assert sum(len(code.text) for code in codes) == glyphs
    assert all(code.get("DeltaX") for code in codes if len(code.text) > 1)
    first_page_paths = [p for page, p in objects(ofd, "PathObject") if page == 0]
    [rule] = [p for p in first_page_paths if p.find(q("FillColor")) is not None
              and p.find(q("FillColor")).get("Value") == "255 0 0"]  # fmt: skip
    x, y, w, h = (float(v) for v in rule.get("Boundary").split())
    assert (x, y, w, h) == pytest.approx((red_rule.x0 * MM, red_rule.y0 * MM, red_rule.width * MM,
                                          red_rule.height * MM), abs=0.002)  # fmt: skip
    assert objects(ofd, "ImageObject") == []  # no picture stands in for text or rules


def test_fonts_are_embedded_trueType_subsets(seed: Path) -> None:
    files = parts(seed / "seed-notice.ofd")
    res = etree.fromstring(files["Doc_0/PublicRes.xml"])
    fonts = list(res.iter(q("Font")))
    assert fonts
    text = "".join(code.text for _page, code in objects(seed / "seed-notice.ofd", "TextCode"))
    for font in fonts:
        data = files[f"Doc_0/Res/{font.findtext(q('FontFile'))}"]
        parsed = TTFont(io.BytesIO(data))
        assert "glyf" in parsed and "CFF " not in parsed
        assert parsed["maxp"].numGlyphs <= len(set(text)) + 1  # only the glyphs used (and .notdef)


def test_the_ofd_drawn_with_its_own_fonts_looks_like_the_pdf(seed: Path, school: Path) -> None:
    """Every page drawn from the OFD's parts (tests/ofdrender.py) against the PDF's render: at most
    one grey level of 255 apart on average, where another page of the same PDF is far more."""
    for pdf in (seed / "seed-notice.pdf", next(school.glob("入学通知书/*.pdf"))):
        with draw_ofd(pdf.with_suffix(".ofd")) as drawn, pymupdf.open(pdf) as source:
            assert drawn.page_count == source.page_count
            differences = [grey_difference(drawn[i], source[i]) for i in range(source.page_count)]
            assert max(differences) < 1.0, differences
            assert grey_difference(drawn[0], source[1]) > 5 * max(differences)


def test_ofd_alone_is_written_without_its_pdf_and_the_same_input_gives_the_same_bytes(
    seed: Path, tmp_path: Path
) -> None:
    build(str(SEED), "-o", str(tmp_path / "ofd-only"), "--format", "ofd")
    assert sorted(p.name for p in (tmp_path / "ofd-only").iterdir()) == ["manifest.json", "seed-notice.ofd"]
    assert (tmp_path / "ofd-only" / "seed-notice.ofd").read_bytes() == (seed / "seed-notice.ofd").read_bytes()


def test_one_schools_letters_as_ofd(school: Path) -> None:
    pdfs = sorted(school.glob("入学通知书/*.pdf"))
    assert len(pdfs) == 1
    pdf, ofd = pdfs[0], pdfs[0].with_suffix(".ofd")
    assert ofd_problems(ofd) == []
    with ofdkit.open(ofd) as document:
        assert ofd_lines(document) == pdf_lines(pdf)
        info = document.info
        pages = len(document.pages)
    assert info.title == f"{pdf.stem}入学通知书" and info.author == pdf.stem  # the school signs
    assert info.custom_data["文种"] == "入学通知书" and info.custom_data["页数"] == str(pages)
    entries = {e["path"]: e for e in json.loads((school / "manifest.json").read_text("utf-8"))["files"]}
    entry = entries[f"入学通知书/{ofd.name}"]
    assert entry["kind"] == "letters" and entry["pages"] == pages
    assert entry["records"] == entries[f"入学通知书/{pdf.name}"]["records"]
    dashed = [p for _page, p in objects(ofd, "PathObject") if p.get("DashPattern")]
    assert dashed  # the 回执's cut line


@pytest.mark.skipif(soffice_path() is None, reason="needs LibreOffice")
def test_letters_from_a_clerks_word_template_say_why_they_have_no_ofd(tmp_path: Path) -> None:
    """The PDF of a clerk's template is LibreOffice's, its CJK text in many Type 1 subsets the text
    trace cannot tell apart: no OFD, said plainly, the PDF and DOCX written as ever."""
    year = load_profile(sample_path("profile", "单位设置.yaml")).first_year
    rows = [r for r in generate_rows(30, seed=5, year=year) if r.values.get("入读学校")][:3]
    write_sample_roster(tmp_path / "名册.xlsx", rows, year=year)
    template = WordDocument()
    template.add_paragraph("入学通知书 {{ 姓名 }}")
    template.save(tmp_path / "模板.docx")
    result = CliRunner().invoke(app, ["letters", str(tmp_path / "名册.xlsx"), "-o", str(tmp_path / "out"),
                                      "--template", str(tmp_path / "模板.docx"), "--ofd"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "未生成 OFD" in result.output
    written = {p.suffix for p in (tmp_path / "out").rglob("*.*")}
    assert {".pdf", ".docx"} <= written and ".ofd" not in written


def test_a_drafts_picture_becomes_an_image_object(tmp_path: Path) -> None:
    doc = draftmaker.new()
    draftmaker.title(doc, "关于报送图片的通知")
    draftmaker.para(doc, "各学校：")
    draftmaker.para(doc, "现将示意图印发给你们。")
    draftmaker.picture(doc, draftmaker.png(), 60)
    draftmaker.signature(doc, "某县教育局", date="2026年3月2日")
    draft = draftmaker.save(doc, tmp_path / "图片.docx")
    build(str(draft), "-o", str(tmp_path / "out"), "--format", "pdf,ofd", "--set", "发文机关=某县教育局")
    ofd = tmp_path / "out" / "图片.ofd"
    assert ofd_problems(ofd) == []
    [(_page, image)] = objects(ofd, "ImageObject")
    res = etree.fromstring(parts(ofd)["Doc_0/DocumentRes.xml"])
    [media] = res.iter(q("MultiMedia"))
    assert media.get("ID") == image.get("ResourceID") and media.get("Type") == "Image"
    with pymupdf.open(tmp_path / "out" / "图片.pdf") as pdf:
        [placed] = [i for page in pdf for i in page.get_image_info()]
    assert [float(v) for v in image.get("Boundary").split()][2] == pytest.approx(
        (placed["bbox"][2] - placed["bbox"][0]) * MM, abs=0.01)  # fmt: skip


@pytest.mark.parametrize(
    ("part", "old", "new", "problem"),
    [
        ("Doc_0/Document.xml", rb"<ofd:MaxUnitID>\d+", b"<ofd:MaxUnitID>3", "MaxUnitID 3 below"),
        ("Doc_0/Pages/Page_0/Content.xml", rb'Font="\d+"', b'Font="999999"', "missing font 999999"),
        ("Doc_0/Pages/Page_1/Content.xml", rb'<ofd:Layer ID="\d+"', b'<ofd:Layer ID="1"', "ID 1 used twice"),
        ("Doc_0/PublicRes.xml", rb"font_(\d+)\.ttf", b"gone.ttf", "fonts must be embedded"),
        ("OFD.xml", rb"http://www.ofdspec.org/2016", b"http://www.ofdspec.org", "outside the OFD namespace"),
    ],
)
def test_the_validator_finds_a_broken_package(seed: Path, tmp_path: Path, part: str, old: bytes, new: bytes,
                                              problem: str) -> None:  # fmt: skip
    files = parts(seed / "seed-notice.ofd")
    files[part] = re.sub(old, new, files[part], count=1)
    broken = tmp_path / "broken.ofd"
    with zipfile.ZipFile(broken, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    assert any(problem in found for found in ofd_problems(broken)), ofd_problems(broken)


def test_the_notice_page_downloads_the_ofd(web_client, tmp_path: Path) -> None:
    response = post_notice(web_client, "ofd")
    assert response.status_code == 200 and response.headers["content-type"] == "application/ofd"
    assert "filename*=utf-8''" in response.headers["content-disposition"]
    assert '.ofd' in response.headers["content-disposition"]
    target = tmp_path / "通知.ofd"
    target.write_bytes(response.content)
    assert ofd_problems(target) == []
    with ofdkit.open(target) as document:
        assert document.info.title == "罗源县关于印发进一步加强控辍保学工作实施方案的通知"
    page = web_client.get("/notice")
    assert 'value="ofd"' in page.text and "下载 OFD" in page.text


def test_a_landscape_register_with_turned_page_numbers_becomes_ofd(tmp_path: Path) -> None:
    """Any PDF the tool writes: the register's 横排 pages carry page numbers written top to bottom,
    which the OFD turns with a CTM onto the same origins."""
    result = CliRunner().invoke(app, ["-q", "register", "build", str(sample_path("register", "问题线索.yaml")),
                                      "-o", str(tmp_path), "--format", "pdf"])  # fmt: skip
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "问题线索移送登记表.pdf"
    write_ofd(pdf, tmp_path / "登记表.ofd", OfdMeta("问题线索移送登记表", "罗源县教育局", None))
    assert ofd_problems(tmp_path / "登记表.ofd") == []
    with pymupdf.open(pdf) as doc:
        turned = [(page.number, line["spans"][0]["chars"][0]["origin"], "".join(c["c"] for s in line["spans"]
                                                                              for c in s["chars"]))
                  for page in doc for block in page.get_text("rawdict")["blocks"] for line in block.get("lines", [])
                  if abs(line["dir"][0]) < 0.5]  # fmt: skip
    assert turned
    with ofdkit.open(tmp_path / "登记表.ofd") as document:
        for number, (x, y), text in turned:
            assert any(abs(run.x - x * MM) < 0.01 and abs(run.y - y * MM) < 0.01 and run.text == text
                       for run in document.pages[number].runs), text  # fmt: skip
        assert document.info.custom_data.get("文种") is None  # a register is no 公文 of the 15 文种


def test_letters_ofds_in_two_processes_are_the_same_bytes(tmp_path: Path) -> None:
    year = load_profile(sample_path("profile", "单位设置.yaml")).first_year
    rows = generate_rows(60, seed=9, year=year)
    schools = sorted({r.values["入读学校"] for r in rows if r.values.get("入读学校")})[:2]
    write_sample_roster(tmp_path / "名册.xlsx", [r for r in rows if r.values.get("入读学校") in schools][:12],
                        year=year)  # fmt: skip
    digests = []
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}"
        result = CliRunner().invoke(app, ["-q", "letters", str(tmp_path / "名册.xlsx"), "-o", str(out), "--ofd",
                                          "--jobs", jobs])  # fmt: skip
        assert result.exit_code == 0, result.output
        digests.append({p.name: sha256_of(p) for p in out.glob("*/*.ofd")})
    assert len(digests[0]) == 2 and digests[0] == digests[1]
