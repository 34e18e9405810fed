"""The 公文 PDF (WeasyPrint), measured from the PDF itself with PyMuPDF (tests/pdfmeasure.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from pathlib import Path

import docx
import pymupdf
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from pdfmeasure import TextLine, full_width_count, is_red, page_sizes, rules, text_lines

from kongchuo_docs import gbt9704 as g
from kongchuo_docs.errors import InputError
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.layout.boxes import Layout, Line, Measures
from kongchuo_docs.layout.pages import layout_document
from kongchuo_docs.model import Attachment, Colophon, Document, Paragraph, Signature, Table
from kongchuo_docs.readers.notice_yaml import read_notice
from kongchuo_docs.system.fonts import resolve_fonts
from kongchuo_docs.system.libreoffice import render_docx_to_pdf, soffice_path
from kongchuo_docs.writers.docx_writer import write_docx
from kongchuo_docs.writers.pdf_writer import write_pdf

CHAR_MM = g.PAGE_NUMBER_SIZE_PT / g.PT_PER_MM  # one 4号 character, the page number's indent
LEFT, RIGHT = g.MARGIN_LEFT_MM, g.MARGIN_LEFT_MM + g.TYPE_AREA_WIDTH_MM  # 28, 184 mm
TOP, BOTTOM = g.MARGIN_TOP_MM, g.MARGIN_TOP_MM + g.TYPE_AREA_HEIGHT_MM  # 37, 262 mm
FLUSH_MM = 0.3  # flush edges within this
PAGE_NUMBER = re.compile(r"— (\d+) —")
SENTENCE = "各乡镇人民政府要依法履行控辍保学职责，做好适龄儿童少年入学和劝返复学工作。"


def is_page_number(line: TextLine) -> bool:
    return PAGE_NUMBER.fullmatch(line.text) is not None


def layout_of(doc: Document) -> Layout:
    return layout_document(doc, Measures.from_fonts(resolve_fonts()))


def small_doc(**fields: object) -> Document:
    """A short 公文 built with the model: `fields` override the defaults."""
    values: dict[str, object] = {
        "issuers": ["罗源县教育局"],
        "doc_number": "罗教综〔2020〕48号",
        "title": "罗源县教育局关于做好疑似辍学学生劝返复学工作的通知",
        "recipients": "各乡（镇）人民政府：",
        "body": [Paragraph(text=SENTENCE)],
        "signatures": [Signature(name="罗源县教育局")],
        "date": dt.date(2020, 9, 18),
        "colophon": Colophon(printer="罗源县教育局办公室", print_date=dt.date(2020, 9, 18)),
    }
    values.update(fields)
    return Document(**values)


# ------------------------------------------------------------------ the seed notice, built once


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    out = tmp_path_factory.mktemp("pdf")
    doc, _ = read_notice(sample_path("notice", "seed-notice.yaml"))
    pdf, docx_path = out / "seed-notice.pdf", out / "seed-notice.docx"
    pages = write_pdf(doc, pdf)
    write_docx(doc, docx_path)
    return {"doc": doc, "pdf": pdf, "docx": docx_path, "pages": pages, "layout": layout_of(doc),
            "lines": text_lines(pdf)}


def test_a4_pages_as_many_as_the_layout(seed: dict) -> None:
    sizes = page_sizes(seed["pdf"])
    assert len(sizes) == seed["pages"] == seed["layout"].page_count
    assert all(abs(w - g.PAPER_WIDTH_MM) < 0.1 and abs(h - g.PAPER_HEIGHT_MM) < 0.1 for w, h in sizes)


def test_all_text_inside_the_type_area(seed: dict) -> None:
    lines = [line for line in seed["lines"] if not is_page_number(line)]
    assert len(lines) > 150
    for line in lines:
        assert line.x0 >= LEFT - 0.1 and line.x1 <= RIGHT + 0.1, line
        assert line.top >= TOP - 0.1 and line.bottom <= BOTTOM + 0.1, line


def test_full_pages_have_22_lines_on_the_grid(seed: dict) -> None:
    layout: Layout = seed["layout"]
    full = [p.number for p in layout.pages
            if sum(isinstance(pl.item, Line) for pl in p.items) == g.LINES_PER_PAGE == len(p.items)]
    assert len(full) >= 4
    pitch = g.pt_to_mm(g.LINE_PITCH_PT)
    for number in full:
        tops = sorted(line.top for line in seed["lines"] if line.page == number and not is_page_number(line))
        assert len(tops) == g.LINES_PER_PAGE, number
        steps = [b - a for a, b in itertools.pairwise(tops)]
        assert all(abs(step - pitch) < 0.05 for step in steps), number


def test_full_body_lines_are_28_characters_flush_at_both_edges(seed: dict) -> None:
    layout: Layout = seed["layout"]
    pdf_lines = {}
    for line in seed["lines"]:
        pdf_lines.setdefault((line.page, re.sub(r"\s", "", line.text)), line)
    checked = full = 0
    for page in layout.pages:
        for placed in page.items:
            item = placed.item
            if not (isinstance(item, Line) and item.flush):
                continue
            line = pdf_lines[(page.number, re.sub(r"\s", "", item.text))]
            assert abs(line.x0 - (LEFT + g.pt_to_mm(item.indent_pt))) < FLUSH_MM, line
            assert abs(line.x1 - RIGHT) < FLUSH_MM, line
            checked += 1
            if item.indent_pt == 0 and all(ord(c) > 0x2000 for c in item.text):
                # 28 characters, or 27 spread when 禁则 pushed a character with its closing mark on
                cells = full_width_count(item.text)
                assert cells in (g.CHARS_PER_LINE, g.CHARS_PER_LINE - 1), line
                full += cells == g.CHARS_PER_LINE
    assert checked > 100 and full > 80


def test_red_header_geometry(seed: dict) -> None:
    lines, pdf = seed["lines"], seed["pdf"]
    mark = next(line for line in lines if line.text == "罗源县教育局文件")
    assert is_red(mark.color) and mark.page == 1
    assert abs(mark.top - (g.MARGIN_TOP_MM + g.MARK_TOP_BELOW_TYPE_AREA_MM)) <= 1
    number = next(line for line in lines if line.page == 1 and "47" in line.text)
    assert abs((number.x0 + number.x1) / 2 - (LEFT + RIGHT) / 2) < 0.5
    red = [r for r in rules(pdf) if r.page == 1 and is_red(r.color)]
    assert len(red) == 1
    rule = red[0]
    assert abs((rule.x1 - rule.x0) - g.RED_RULE_WIDTH_MM) < 0.3 and abs(rule.x0 - LEFT) < 0.3
    assert abs((rule.y - rule.thickness / 2) - number.bottom - g.RED_RULE_BELOW_DOC_NUMBER_MM) <= 0.5
    titles = [line for line in lines if abs(line.size - g.TITLE_SIZE_PT) < 0.1]
    assert len(titles) == len([line for line in seed["layout"].lines() if line.size_pt == g.TITLE_SIZE_PT]) >= 3
    assert all(abs((t.x0 + t.x1) / 2 - (LEFT + RIGHT) / 2) < 0.5 for t in titles)


def test_page_numbers_odd_right_even_left_one_character_in(seed: dict) -> None:
    numbers = [line for line in seed["lines"] if is_page_number(line)]
    assert [int(PAGE_NUMBER.fullmatch(n.text).group(1)) for n in numbers] == [n.page for n in numbers]
    assert [n.page for n in numbers] == [p.number for p in seed["layout"].pages if p.numbered]
    for n in numbers:
        assert abs(n.size - g.PAGE_NUMBER_SIZE_PT) < 0.1
        assert n.text.count("\u2014") == 2 and re.search(r"\d", n.text).group().isascii()
        assert abs(n.top - (BOTTOM + g.PAGE_NUMBER_BELOW_TYPE_AREA_MM)) < 0.3
        if n.page % 2:
            assert abs(n.x1 - (RIGHT - CHAR_MM)) < 0.3, n
        else:
            assert abs(n.x0 - (LEFT + CHAR_MM)) < 0.3, n


def test_last_page_is_even_and_carries_the_colophon_at_the_bottom(seed: dict) -> None:
    last = len(page_sizes(seed["pdf"]))
    assert last % 2 == 0
    printed = next(line for line in seed["lines"] if line.text.endswith("印发") and line.size < 15)
    assert printed.page == last and abs(printed.size - g.COLOPHON_SIZE_PT) < 0.1
    assert BOTTOM - 1.5 < printed.bottom <= BOTTOM
    assert abs(printed.x0 - (LEFT + CHAR_MM)) < 0.3 and abs(printed.x1 - (RIGHT - CHAR_MM)) < 0.3
    ruled = sorted((r for r in rules(seed["pdf"]) if r.page == last and r.y > printed.top - 10), key=lambda r: r.y)
    assert [round(r.thickness, 2) for r in ruled] == [g.COLOPHON_OUTER_RULE_MM] * 2
    assert ruled[-1].y + ruled[-1].thickness / 2 <= BOTTOM + 0.01


def docx_text(path: Path) -> str:
    """Every paragraph of the DOCX body in order (table cells and frames included)."""
    document = docx.Document(str(path))
    return "".join(DocxParagraph(p, document).text for p in document.element.body.iter(qn("w:p")))


def pdf_text(path: Path) -> str:
    """The PDF's text in drawing order, page numbers removed."""
    with pymupdf.open(path) as pdf:
        return "".join(re.sub(r"—\s*\d+\s*—\s*$", "", page.get_text()) for page in pdf)


def squeeze(text: str) -> str:
    """`text` without spaces, nor the DOCX's zero-width break controls (`ooxml.run`)."""
    return re.sub(r"[\s\u200b\u2060]", "", text)


def test_text_identical_to_the_docx(seed: dict) -> None:
    assert squeeze(pdf_text(seed["pdf"])) == squeeze(docx_text(seed["docx"]))


def test_letter_sample_text_identical_to_the_docx(tmp_path: Path) -> None:
    doc, _ = read_notice(sample_path("notice", "letter-notice.yaml"))
    pdf, docx_path = tmp_path / "letter.pdf", tmp_path / "letter.docx"
    write_pdf(doc, pdf)
    write_docx(doc, docx_path)
    assert squeeze(pdf_text(pdf)) == squeeze(docx_text(docx_path))


@pytest.fixture(scope="module")
def libreoffice_pages(seed: dict, tmp_path_factory: pytest.TempPathFactory) -> int:
    if soffice_path() is None:
        pytest.skip("LibreOffice 未安装：跳过 DOCX 页数对照（CI 会安装）")
    return len(page_sizes(render_docx_to_pdf(seed["docx"], tmp_path_factory.mktemp("lo"))))


def test_same_page_count_as_the_docx_in_libreoffice(seed: dict, libreoffice_pages: int) -> None:
    assert libreoffice_pages == len(page_sizes(seed["pdf"]))


def test_metadata_and_same_bytes_for_the_same_input(seed: dict, tmp_path: Path) -> None:
    again = tmp_path / "again.pdf"
    write_pdf(seed["doc"], again)
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (seed["pdf"], again)]
    assert digest[0] == digest[1]
    with pymupdf.open(again) as pdf:
        meta = pdf.metadata
    assert meta["title"] == seed["doc"].title and meta["author"] == "罗源县教育局"
    assert meta["creationDate"].startswith("D:20200910") and meta["modDate"].startswith("D:20200910")


# ------------------------------------------------------------------ documents built with the model


def test_letter_format(tmp_path: Path) -> None:
    doc = small_doc(format="letter", doc_number="罗教函〔2020〕12号", body=[Paragraph(text=SENTENCE * 20)],
                    colophon=Colophon(cc=["罗源县人民政府教育督导室"]))
    pdf = tmp_path / "letter.pdf"
    assert write_pdf(doc, pdf) == layout_of(doc).page_count >= 2
    lines = text_lines(pdf)
    mark = next(line for line in lines if line.text == "罗源县教育局")
    assert is_red(mark.color) and abs(mark.top - g.LETTER_MARK_TOP_MM) <= 1
    number = next(line for line in lines if "12" in line.text and line.page == 1)
    assert abs(number.x1 - RIGHT) < FLUSH_MM  # 发文字号 flush right under the double rule
    assert not [line for line in lines if line.page == 1 and is_page_number(line)]
    assert [line for line in lines if line.page == 2 and is_page_number(line)]
    red = sorted((r for r in rules(pdf) if r.page == 1 and is_red(r.color)), key=lambda r: r.y)
    assert len(red) == 4
    assert all(abs((r.x1 - r.x0) - g.LETTER_RULE_WIDTH_MM) < 0.3 for r in red)
    assert all(abs((r.x0 + r.x1) / 2 - g.PAPER_WIDTH_MM / 2) < 0.3 for r in red)
    assert abs((red[0].y - red[0].thickness / 2) - mark.bottom - g.LETTER_TOP_RULE_BELOW_MARK_MM) < 0.5
    assert red[0].thickness > red[1].thickness  # thick over thin under the mark
    assert red[2].thickness < red[3].thickness  # thin over thick at the foot
    foot = red[2].y - red[2].thickness / 2
    assert abs((g.PAPER_HEIGHT_MM - foot) - g.LETTER_BOTTOM_RULE_ABOVE_PAPER_BOTTOM_MM) < 0.5


def test_odd_last_page_gets_a_numbered_colophon_page(tmp_path: Path) -> None:
    doc = small_doc()
    layout = layout_of(doc)
    assert layout.page_count == 2 and layout.pages[1].role == "colophon"
    pdf = tmp_path / "odd.pdf"
    write_pdf(doc, pdf)
    lines = text_lines(pdf)
    assert len(page_sizes(pdf)) == 2
    # §7.5: only a blank page and the 版记 page after it go unnumbered; no blank page precedes this one
    assert [line.text for line in lines if is_page_number(line)] == ["— 1 —", "— 2 —"]
    assert {line.page for line in lines if not is_page_number(line)} == {1, 2}
    printed = next(line for line in lines if line.text.endswith("印发") and line.size < 15)
    assert printed.page == 2 and BOTTOM - 1.5 < printed.bottom <= BOTTOM


def test_landscape_attachment_page(tmp_path: Path) -> None:
    header = ["序号", "被检查单位", "问题类别", "问题描述", "整改要求", "责任单位", "责任人", "整改时限", "整改状态",
              "备注"]
    rows = [[str(i), "凤山中心小学", "台账数据", "疑似辍学学生未及时标注", "十日内完成标注并书面报告",
             "凤山镇", "张某", "2020年10月23日", "整改中", ""] for i in range(1, 13)]
    table = Table(rows=[header, *rows], widths=[1, 2.5, 2, 4, 4, 2, 1.5, 2.5, 1.5, 1.5])
    doc = small_doc(attachments=[Attachment(title="问题清单", blocks=[table], landscape=True)])
    layout = layout_of(doc)
    turned = [p.number for p in layout.pages if p.landscape]
    assert len(turned) >= 2  # twelve tall rows: the table continues on another 横排 page
    pdf = tmp_path / "landscape.pdf"
    write_pdf(doc, pdf)
    sizes = page_sizes(pdf)
    lines = text_lines(pdf)
    for number in turned:
        w, h = sizes[number - 1]
        assert abs(w - g.PAPER_HEIGHT_MM) < 0.1 and abs(h - g.PAPER_WIDTH_MM) < 0.1
        text = [line for line in lines if line.page == number and not is_page_number(line)]
        assert any("疑似辍学" in line.text for line in text)
        assert any("被检查" in line.text for line in text)  # header row repeated on every page of the table
        left, top = g.LANDSCAPE_MARGIN_LEFT_MM, g.LANDSCAPE_MARGIN_TOP_MM
        for line in text:  # inside the turned 版心: 225 mm wide, 156 mm high
            assert left - 0.1 <= line.x0 and line.x1 <= left + g.TYPE_AREA_HEIGHT_MM + 0.1, line
            assert top - 0.1 <= line.top and line.bottom <= top + g.TYPE_AREA_WIDTH_MM + 0.1, line
        # the page number stays where the portrait page has it: turned with the page (a quarter
        # clockwise, the table's top at the 订口), 7 mm beyond the portrait 版心's foot (= the landscape
        # left side); odd pages at the portrait right (landscape bottom), even at the portrait left
        number_line = next(line for line in lines if line.page == number and is_page_number(line))
        assert abs(number_line.x1 - (g.PAPER_HEIGHT_MM - BOTTOM - g.PAGE_NUMBER_BELOW_TYPE_AREA_MM)) < 0.3
        if number % 2:
            assert abs(number_line.bottom - (RIGHT - CHAR_MM)) < 0.3
        else:
            assert abs(number_line.top - (LEFT + CHAR_MM)) < 0.3


def test_a_character_no_font_has_is_an_error_naming_where(tmp_path: Path) -> None:
    doc = small_doc(body=[Paragraph(text="请各校核实学生\U0010fffd的去向。")])
    pdf = tmp_path / "missing.pdf"
    with pytest.raises(InputError) as caught:
        write_pdf(doc, pdf)
    message = str(caught.value)
    assert "U+10FFFD" in message and "第 1 页" in message and "正文" in message
    assert not pdf.exists()


def test_a_character_the_role_font_lacks_is_drawn_from_a_fallback_font(tmp_path: Path) -> None:
    fonts = resolve_fonts()
    own = fonts.face(g.FONT_FANGSONG)
    rare = next((chr(cp) for cp in range(0x3400, 0x4DC0)
                 if not own.covers(cp) and fonts.fallback_face(chr(cp), g.FONT_FANGSONG)), None)
    if rare is None:
        pytest.skip("本机字体没有可替换的缺字（每个扩展 A 字都在仿宋所用字体中）")
    fallback = fonts.fallback_face(rare, g.FONT_FANGSONG)
    doc = small_doc(body=[Paragraph(text=f"学生王{rare}已返校复学。")])
    pdf = tmp_path / "fallback.pdf"
    write_pdf(doc, pdf)
    line = next(line for line in text_lines(pdf) if rare in line.text)
    assert "王" + rare in line.text.replace(" ", "")
    assert any(fallback.family.replace(" ", "") in font.replace("-", "") for font in line.fonts), line.fonts


def test_without_the_harfbuzz_subsetter_the_build_stops_with_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import weasyprint.text.ffi

    from kongchuo_docs.errors import EnvironmentProblem
    from kongchuo_docs.writers import pdf_writer

    monkeypatch.setattr(weasyprint.text.ffi, "harfbuzz_subset", None)
    pdf_writer._weasyprint.cache_clear()
    pdf = tmp_path / "slow.pdf"
    with pytest.raises(EnvironmentProblem, match="libharfbuzz-subset0"):
        write_pdf(small_doc(), pdf)
    assert not pdf.exists()
    pdf_writer._weasyprint.cache_clear()


def test_image_centred_at_its_width(tmp_path: Path) -> None:
    from kongchuo_docs.model import Image

    png = tmp_path / "chart.png"
    picture = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 300, 150), False)
    picture.clear_with(200)
    picture.save(png)
    doc = small_doc(body=[Paragraph(text=SENTENCE), Image(path=png, width_mm=120, caption="图1 劝返情况")])
    pdf = tmp_path / "image.pdf"
    write_pdf(doc, pdf)
    with pymupdf.open(pdf) as opened:
        placed = [(page.number + 1, info) for page in opened for info in page.get_image_info()]
    assert len(placed) == 1
    number, info = placed[0]
    x0, y0, x1, y1 = (v / g.PT_PER_MM for v in info["bbox"])
    assert abs((x1 - x0) - 120) < 0.3 and abs((y1 - y0) - 60) < 0.3  # 2:1 picture, 120 mm wide
    assert abs((x0 + x1) / 2 - (LEFT + RIGHT) / 2) < 0.3 and y0 >= TOP - 0.1 and y1 <= BOTTOM
    caption = next(line for line in text_lines(pdf) if line.text.replace(" ", "") == "图1劝返情况")
    assert caption.page == number and caption.top > y1


def test_full_even_last_page_gets_a_blank_page_and_an_unnumbered_colophon_page(tmp_path: Path) -> None:
    # the shortest body whose even last page has no room left for the 版记
    doc = next(d for d in (small_doc(body=[Paragraph(text=SENTENCE * n)]) for n in range(1, 80))
               if any(p.role == "blank" for p in layout_of(d).pages))
    roles = [(p.role, p.numbered) for p in layout_of(doc).pages]
    assert roles[-2:] == [("blank", False), ("colophon", False)] and len(roles) % 2 == 0
    pdf = tmp_path / "blank.pdf"
    write_pdf(doc, pdf)
    lines = text_lines(pdf)
    last = len(roles)
    assert len(page_sizes(pdf)) == last
    assert not [line for line in lines if line.page == last - 1]  # the blank page is empty
    assert [line.page for line in lines if is_page_number(line)] == list(range(1, last - 1))
    printed = next(line for line in lines if line.text.endswith("印发") and line.size < 15)
    assert printed.page == last and BOTTOM - 1.5 < printed.bottom <= BOTTOM


def test_a_font_folder_face_draws_its_role(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A font-folder face (declared to WeasyPrint by @font-face), English name first and the official
    Chinese name second as real 仿宋_GB2312 files have them, draws the characters it has."""
    from test_fonts import _installed, _make_font

    from kongchuo_docs.system import font_faces

    if _installed(g.FONT_FANGSONG):
        pytest.skip("仿宋 is installed on the system")
    folder = tmp_path / "fonts"
    folder.mkdir()
    _make_font(folder / "fs.ttf", {"en": "FangSong_GB2312", "zh": "仿宋_GB2312"}, {"中": 1000, "国": 1000})
    monkeypatch.setenv(font_faces.FONT_DIR_ENV, str(folder))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    role = resolve_fonts()[g.FONT_FANGSONG]
    assert role.source == "font-dir"
    pdf = tmp_path / "folder.pdf"
    write_pdf(small_doc(body=[Paragraph(text="中国中国")]), pdf)
    line = next(line for line in text_lines(pdf) if line.text.replace(" ", "") == "中国中国")
    assert any("FangSong" in font for font in line.fonts), line.fonts


def test_joint_issue_mark_block_centred_with_the_suffix_right_of_the_names(tmp_path: Path) -> None:
    doc = small_doc(issuers=["罗源县教育局", "罗源县公安局", "罗源县民政局"])
    pdf = tmp_path / "joint.pdf"
    write_pdf(doc, pdf)
    red = [line for line in text_lines(pdf) if line.page == 1 and is_red(line.color)]
    names = [line for line in red if not line.text.endswith("文件")]
    middle = next(line for line in red if line.text.endswith("文件"))  # the middle name and 文件 share a baseline
    assert len(names) == 2 and abs(names[0].top - (g.MARGIN_TOP_MM + g.MARK_TOP_BELOW_TYPE_AREA_MM)) <= 1
    assert all(abs(n.x0 - middle.x0) < 0.1 and abs(n.x1 - names[0].x1) < 0.1 for n in names)
    em = middle.size / g.PT_PER_MM
    assert abs((middle.x1 - names[0].x1) - 3 * em) < 0.3  # one em of air, then 文件
    assert abs((middle.x0 + middle.x1) / 2 - (LEFT + RIGHT) / 2) < 0.3


def test_same_bytes_from_another_folder(tmp_path: Path) -> None:
    from kongchuo_docs.model import Image

    built = []
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        png = tmp_path / folder / "chart.png"
        picture = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 40, 20), False)
        picture.clear_with(200)
        picture.save(png)
        write_pdf(small_doc(body=[Paragraph(text=SENTENCE), Image(path=png, width_mm=50)]), tmp_path / folder / "x.pdf")
        built.append((tmp_path / folder / "x.pdf").read_bytes())
    assert built[0] == built[1]


def test_a_table_header_taller_than_a_page_is_an_error_not_a_clipped_page(tmp_path: Path) -> None:
    """A row taller than a page is split over pages (tests/test_table_split.py); a header with not
    one line of a row under it on a page cannot be."""
    table = Table(rows=[["说明", SENTENCE * 40], ["很长", SENTENCE]])
    doc = small_doc(attachments=[Attachment(title="说明表", blocks=[table])])
    pdf = tmp_path / "tall.pdf"
    with pytest.raises(InputError, match="表格的表头太高"):
        write_pdf(doc, pdf)
    assert not pdf.exists()
    write_pdf(small_doc(attachments=[Attachment(title="说明表", blocks=[table.model_copy(update={"header_rows": 0})])]),
              pdf)  # as a form (no header) its tall row is split
    assert pdf.exists()


def test_signer_on_the_doc_number_line_one_character_in(tmp_path: Path) -> None:
    doc = small_doc(signers=["张明"])  # 上行文 (§7.2.6)
    pdf = tmp_path / "signer.pdf"
    write_pdf(doc, pdf)
    char = g.pt_to_mm(g.BODY_CHAR_PITCH_PT)
    lines = [line for line in text_lines(pdf) if line.page == 1]
    row = next(line for line in lines if "签发人" in line.text)  # 发文字号 and 签发人 share the line
    assert row.text.replace(" ", "").startswith(doc.doc_number) and row.text.endswith("签发人：张明")
    assert abs(row.x0 - (LEFT + char)) < FLUSH_MM and abs(row.x1 - (RIGHT - char)) < FLUSH_MM
    assert len(set(row.fonts)) == 2  # the names in 楷体, the rest in 仿宋
