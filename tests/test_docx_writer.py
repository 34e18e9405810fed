"""The GB/T 9704 DOCX: XML rules always; geometry from a LibreOffice render where it is installed."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pdfmeasure import full_width_count, is_red, page_sizes, rules, text_lines

from kongchuo_docs import gbt9704 as g
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.layout.boxes import Measures
from kongchuo_docs.layout.pages import layout_document
from kongchuo_docs.model import Colophon, Document, Paragraph, Signature
from kongchuo_docs.readers.notice_yaml import read_notice
from kongchuo_docs.system.fonts import resolve_fonts
from kongchuo_docs.system.libreoffice import render_docx_to_pdf, soffice_path
from kongchuo_docs.writers.docx_writer import write_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SEED_TEXT = Path(__file__).resolve().parents[2] / "shared" / "examples" / "seed-notice.txt"
needs_soffice = pytest.mark.skipif(soffice_path() is None, reason="LibreOffice 未安装：跳过渲染检查（CI 会安装）")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("docx")
    paths = {}
    for name in ("seed-notice", "letter-notice"):
        doc, _ = read_notice(sample_path("notice", f"{name}.yaml"))
        paths[name] = out / f"{name}.docx"
        write_docx(doc, paths[name])
    return paths


@pytest.fixture(scope="module")
def rendered(built: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if soffice_path() is None:
        pytest.skip("LibreOffice 未安装：跳过渲染检查（CI 会安装）")
    out = tmp_path_factory.mktemp("render")
    return {name: render_docx_to_pdf(path, out) for name, path in built.items()}


def part(docx: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(docx) as z:
        return etree.fromstring(z.read(name))


def predicted_pages(name: str) -> int:
    doc, _ = read_notice(sample_path("notice", f"{name}.yaml"))
    return layout_document(doc, Measures.from_fonts(resolve_fonts())).page_count


# ------------------------------------------------------------------ XML rules (always)


def test_page_setup_and_grid(built: dict[str, Path]) -> None:
    body = part(built["seed-notice"], "word/document.xml")
    for sect in body.iter(f"{W}sectPr"):
        size = sect.find(f"{W}pgSz")
        assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")
        mar = sect.find(f"{W}pgMar")
        assert [mar.get(f"{W}{k}") for k in ("top", "bottom", "left", "right")] == ["2098", "1984", "1587", "1474"]
        grid = sect.find(f"{W}docGrid")
        assert grid.get(f"{W}type") == "lines" and grid.get(f"{W}linePitch") == "579"


def test_body_lines_exact_no_grid_snap_and_condensed(built: dict[str, Path]) -> None:
    body = part(built["seed-notice"], "word/document.xml")
    checked = 0
    for p in body.iter(f"{W}p"):
        runs = [r for r in p.iter(f"{W}r") if r.find(f"{W}t") is not None]
        sizes = {r.find(f"{W}rPr/{W}sz").get(f"{W}val") for r in runs}
        if sizes != {"32"} or p.getparent().tag == f"{W}tc":
            continue
        spacing = p.find(f"{W}pPr/{W}spacing")
        assert spacing.get(f"{W}line") == "579" and spacing.get(f"{W}lineRule") == "exact"
        assert spacing.get(f"{W}before") in ("0", None) or p.find(f"{W}pPr/{W}framePr") is None
        assert p.find(f"{W}pPr/{W}snapToGrid").get(f"{W}val") == "0"
        for r in runs:
            assert r.find(f"{W}rPr/{W}spacing").get(f"{W}val") == "-5"
        checked += 1
    assert checked > 30  # paragraphs of 3号 text: the notice, the 实施方案, signature and date


def test_fonts_by_official_name_with_east_asia_hint_and_no_theme_fonts(built: dict[str, Path]) -> None:
    official = {g.FONT_XIAOBIAOSONG, g.FONT_FANGSONG, g.FONT_KAITI, g.FONT_HEITI, g.FONT_SONGTI}
    used = set()
    for name in ("word/document.xml", "word/styles.xml", "word/footer1.xml"):
        root = part(built["seed-notice"], name)
        for fonts in root.iter(f"{W}rFonts"):
            assert not any("theme" in k.lower() for k in fonts.attrib), name
            if name != "word/styles.xml" or fonts.getparent().getparent().tag == f"{W}rPrDefault":
                assert fonts.get(f"{W}hint") == "eastAsia"
                assert len({fonts.get(f"{W}{k}") for k in ("ascii", "hAnsi", "eastAsia", "cs")}) == 1
            used.add(fonts.get(f"{W}eastAsia"))
    assert {g.FONT_XIAOBIAOSONG, g.FONT_FANGSONG, g.FONT_KAITI, g.FONT_HEITI, g.FONT_SONGTI} <= used | {None}
    assert used - {None} <= official


def test_mark_is_red_xiaobiaosong(built: dict[str, Path]) -> None:
    body = part(built["seed-notice"], "word/document.xml")
    mark = next(r for r in body.iter(f"{W}r") if r.findtext(f"{W}t") == "罗源县教育局文件")
    assert mark.find(f"{W}rPr/{W}color").get(f"{W}val") == "FF0000"
    assert mark.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "方正小标宋简体"
    assert mark.find(f"{W}rPr/{W}sz").get(f"{W}val") == "84"  # 初号 42 pt fits 8 characters
    rule = body.find(f".//{W}pBdr/{W}bottom")
    assert rule.get(f"{W}color") == "FF0000"


def test_odd_even_page_number_footers(built: dict[str, Path]) -> None:
    settings = part(built["seed-notice"], "word/settings.xml")
    assert settings.find(f"{W}evenAndOddHeaders") is not None
    body = part(built["seed-notice"], "word/document.xml")
    rels = part(built["seed-notice"], "word/_rels/document.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    sect = body.find(f"{W}body/{W}sectPr")
    rel_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    refs = {ref.get(f"{W}type"): targets[ref.get(rel_id)] for ref in sect.findall(f"{W}footerReference")}
    odd = part(built["seed-notice"], f"word/{refs['default']}")
    even = part(built["seed-notice"], f"word/{refs['even']}")
    indent = str(g.pt_to_twips(g.PAGE_NUMBER_SIZE_PT))
    assert odd.find(f".//{W}jc").get(f"{W}val") == "right" and odd.find(f".//{W}ind").get(f"{W}right") == indent
    assert even.find(f".//{W}jc").get(f"{W}val") == "left" and even.find(f".//{W}ind").get(f"{W}left") == indent
    for footer in (odd, even):
        assert "PAGE" in "".join(footer.itertext())
        text = "".join(t.text for t in footer.iter(f"{W}t"))
        assert re.fullmatch("— 1 —", text)


def test_same_input_same_bytes(tmp_path: Path) -> None:
    doc, _ = read_notice(sample_path("notice", "seed-notice.yaml"))
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    write_docx(doc, a)
    write_docx(doc, b)
    assert a.read_bytes() == b.read_bytes()
    core = part(a, "docProps/core.xml")
    assert "2020-09-10T00:00:00Z" in etree.tostring(core, encoding="unicode")
    assert "罗源县教育局" in etree.tostring(core, encoding="unicode")


# ------------------------------------------------------------------ geometry (LibreOffice render)


@needs_soffice
def test_rendered_pages_match_the_layout(rendered: dict[str, Path]) -> None:
    for name, pdf in rendered.items():
        assert len(page_sizes(pdf)) == predicted_pages(name), name
        for w, h in page_sizes(pdf):
            assert abs(w - 210) < 0.5 and abs(h - 297) < 0.5


@needs_soffice
def test_all_text_inside_the_type_area(rendered: dict[str, Path]) -> None:
    for name, pdf in rendered.items():
        for line in text_lines(pdf):
            if line.text.startswith("—"):
                continue  # page numbers stand below the 版心 by rule
            if name == "letter-notice" and line.page == 1 and is_red(line.color):
                continue  # the 信函 mark sits 30 mm from the paper top by rule
            assert line.x0 >= 27.5 and line.x1 <= 184.5, (name, line)
            assert line.top >= 36.5 and line.bottom <= 262.5, (name, line)


@needs_soffice
def test_full_pages_have_22_lines_of_28_characters(rendered: dict[str, Path]) -> None:
    lines = [line for line in text_lines(rendered["seed-notice"]) if not line.text.startswith("—")]
    pages = sorted({line.page for line in lines})
    full_pages = [p for p in pages if p not in (1, 2, 3, pages[-2], pages[-1])]
    assert full_pages
    for p in full_pages:
        assert len([line for line in lines if line.page == p]) == 22, p
    checked = 0
    for line, after in itertools.pairwise(lines):
        text, following = line.text.replace(" ", ""), after.text.replace(" ", "")
        flush = abs(line.x0 - 28) < 0.4 and abs(line.x1 - 184) < 0.6 and line.size == 16
        if not flush or not all(ord(c) > 0x2000 for c in text):
            continue
        checked += 1
        # 禁则 push-out: one character moves down with the mark that may not start a line, or a
        # number (never split) does not fit in the last cell
        pushed = (following[:1] in g.NO_LINE_END or following[1:2] in g.NO_LINE_START
                  or (following[:1].isascii() and following[:1].isalnum()))
        assert full_width_count(text) == 28 or (pushed and full_width_count(text) == 27), line
    assert checked > 80


@needs_soffice
def test_red_header_geometry(rendered: dict[str, Path]) -> None:
    pdf = rendered["seed-notice"]
    lines = text_lines(pdf)
    mark = next(line for line in lines if line.text == "罗源县教育局文件")
    assert is_red(mark.color) and abs(mark.top - 72) <= 1
    number = next(line for line in lines if "47" in line.text and line.page == 1)
    red = [r for r in rules(pdf) if r.page == 1 and is_red(r.color)]
    assert red
    rule = red[0]
    assert abs((rule.x1 - rule.x0) - 156) < 1
    assert abs((rule.y - rule.thickness / 2) - number.bottom - 4) <= 0.5
    titles = [line for line in lines if line.size == 22]
    assert titles and all(abs((t.x0 + t.x1) / 2 - 106) < 1 for t in titles)


@needs_soffice
def test_page_numbers_and_even_last_page_with_colophon(rendered: dict[str, Path]) -> None:
    pdf = rendered["seed-notice"]
    lines = text_lines(pdf)
    numbers = [line for line in lines if line.text.startswith("—")]
    char = g.PAGE_NUMBER_SIZE_PT / g.PT_PER_MM
    for n in numbers:
        assert n.size == 14 and re.fullmatch(r"— \d+ —", n.text)
        assert abs(n.top - (262 + 7)) < 0.6
        if n.page % 2:
            assert abs(n.x1 - (184 - char)) < 0.5
        else:
            assert abs(n.x0 - (28 + char)) < 0.5
    last = len(page_sizes(pdf))
    assert last % 2 == 0
    printed = next(line for line in lines if line.text.endswith("日印发"))
    assert printed.page == last and abs(printed.bottom - 262) < 1.5


@needs_soffice
def test_letter_format_geometry(rendered: dict[str, Path]) -> None:
    pdf = rendered["letter-notice"]
    lines = text_lines(pdf)
    mark = next(line for line in lines if line.text == "罗源县教育局")
    assert is_red(mark.color) and abs(mark.top - 30) <= 1
    assert not [line for line in lines if line.page == 1 and line.text.startswith("—")]
    assert [line for line in lines if line.page == 2 and line.text.startswith("—")]
    red = sorted((r for r in rules(pdf) if r.page == 1 and is_red(r.color)), key=lambda r: r.y)
    assert all(abs((r.x1 - r.x0) - 170) < 1 for r in red)
    top, bottom = red[0], red[-1]
    assert abs(top.y - mark.bottom - 4) < 1
    assert abs((297 - bottom.y) - 20) < 1
    assert top.thickness > red[1].thickness  # thick over thin at the top
    assert bottom.thickness > red[-2].thickness  # thin over thick at the foot


@needs_soffice
@pytest.mark.skipif(not SEED_TEXT.is_file(), reason="shared/examples/seed-notice.txt 不在仓库旁")
def test_every_paragraph_of_the_seed_is_present(rendered: dict[str, Path], built: dict[str, Path]) -> None:
    rendered_text = "".join(line.text for line in text_lines(rendered["seed-notice"])
                            if not line.text.startswith("—"))
    docx_text = "".join(part(built["seed-notice"], "word/document.xml").itertext())

    def norm(text: str) -> str:
        text = re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")
        return re.sub(r"^(\d+)\.", r"\1.", text)

    flat = norm(rendered_text)
    missing = []
    for para in SEED_TEXT.read_text(encoding="utf-8").splitlines():
        para = norm(para)
        if not para:
            continue
        if "\t" in para or para.startswith("序号"):
            cells = [c for c in re.split(r"\t", para) if c]
            assert all(c in docx_text for c in cells)
            continue
        if para not in flat:
            missing.append(para[:30])
    assert missing == []


JOINT = """
发文机关: [罗源县教育局, 罗源县民政局, 罗源县公安局]
发文字号: 罗教综〔2020〕50号
签发人: [张三, 李四]
份号: "000123"
紧急程度: 特急
标题: 关于联合开展适龄儿童少年入学情况核查的报告
主送: 罗源县人民政府：
正文: |
  现将有关情况报告如下。
  一、基本情况
  全县共核查适龄儿童少年12345人。
署名: [罗源县教育局, 罗源县民政局]
成文日期: 2020年10月9日
附件:
  - 标题: 核查情况统计表
    横排: 是
    表格:
      表头: [序号, 乡镇, 适龄人口, 在校人数, 入学率, 辍学人数, 劝返人数, 劝返率, 备注]
      行:
        - [1, 凤山镇, 3200, 3199, 99.97%, 1, 1, 100%, ""]
版记:
  抄送: [福州市教育局, 县委办, 县政府办, 县人大办, 县政协办, 县纪委监委, 县委组织部, 县委宣传部, 县财政局, 县人社局]
  印发机关: 罗源县教育局办公室
  印发日期: 2020年10月9日
"""


def paging_doc(paragraphs: int) -> Document:
    return Document(
        issuers=["罗源县教育局"], doc_number="罗教综〔2020〕1号", title="关于测试分页的通知",
        recipients="各学校：", body=[Paragraph(text="测" * 26) for _ in range(paragraphs)],
        signatures=[Signature(name="罗源县教育局")], date=dt.date(2020, 9, 10),
        colophon=Colophon(cc=["县政府办"], printer="罗源县教育局办公室", print_date=dt.date(2020, 9, 10)),
    )


@needs_soffice
def test_joint_issue_signer_head_lines_landscape_and_long_cc(tmp_path: Path) -> None:
    source = tmp_path / "joint.yaml"
    source.write_text(JOINT, encoding="utf-8")
    doc, _ = read_notice(source)
    pages = write_docx(doc, tmp_path / "joint.docx")
    pdf = render_docx_to_pdf(tmp_path / "joint.docx", tmp_path)
    assert len(page_sizes(pdf)) == pages and pages % 2 == 0
    lines = text_lines(pdf)
    copy_number = next(line for line in lines if line.text == "000123")
    assert copy_number.top < 47 and abs(copy_number.x0 - 28) < 0.5  # line 1, flush left
    marks = [line for line in lines if is_red(line.color)]
    assert [m.text for m in marks] == ["罗源县教育局", "罗源县民政局文件", "罗源县公安局"]
    assert abs(marks[0].top - 72) <= 1
    assert abs((marks[1].x0 + marks[1].x1) / 2 - 106) < 1.5  # the block of names + 文件 is centred
    number = next(line for line in lines if "签发人" in line.text)
    assert number.text.startswith("罗教综") and abs(number.x1 - (184 - 16 / g.PT_PER_MM)) < 0.6
    landscape = [i + 1 for i, (w, h) in enumerate(page_sizes(pdf)) if w > h]
    assert landscape == [3]
    cc = [line for line in lines if line.page == pages and line.size == 14 and "印发" not in line.text
          and not line.text.startswith("—")]  # the 版记 page after the text keeps its number (§7.5)
    assert len(cc) >= 2
    assert all(abs(line.x0 - cc[0].x0 - 3 * 14 / g.PT_PER_MM) < 0.5 for line in cc[1:])  # aligned after "抄送："
    assert all(line.x1 <= 184 - 14 / g.PT_PER_MM + 0.5 for line in cc)


@needs_soffice
@pytest.mark.parametrize(("paragraphs", "roles"), [(26, "cc"), (27, "ccbo"), (40, "cccp")])
def test_colophon_lands_on_an_even_page(tmp_path: Path, paragraphs: int, roles: str) -> None:
    doc = paging_doc(paragraphs)
    layout = layout_document(doc, Measures.from_fonts(resolve_fonts()))
    assert "".join(p.role[0] if p.role != "colophon" else ("o" if p.number > 3 and layout.pages[-2].role == "blank"
                                                            else "p") for p in layout.pages) == roles
    write_docx(doc, tmp_path / "doc.docx", layout)
    pdf = render_docx_to_pdf(tmp_path / "doc.docx", tmp_path)
    assert len(page_sizes(pdf)) == layout.page_count
    lines = text_lines(pdf)
    numbered = {line.page for line in lines if line.text.startswith("—")}
    assert numbered == {p.number for p in layout.pages if p.numbered}
    printed = next(line for line in lines if line.text.endswith("日印发"))
    assert printed.page == layout.page_count and abs(printed.bottom - 262) < 1.5


def test_long_attachment_note_keeps_its_hanging_indent(tmp_path: Path) -> None:
    from kongchuo_docs.model import Attachment

    long_name = "罗源县各乡镇适龄儿童少年入学情况及疑似辍学学生劝返复学工作进展情况统计表（含送教上门学生名单）"
    doc = paging_doc(1).model_copy(update={"attachments": [
        Attachment(number=1, title=long_name), Attachment(number=2, title="名单")]})
    write_docx(doc, tmp_path / "notes.docx")
    body = part(tmp_path / "notes.docx", "word/document.xml")
    # "附件：" and "1." are two runs, a zero-width space between them (a break the layout allows)
    p = next(p for p in body.iter(f"{W}p") if "附件：\u200b1." in "".join(p.itertext()))
    ind = p.find(f"{W}pPr/{W}ind")
    char = g.BODY_CHAR_PITCH_PT
    assert int(ind.get(f"{W}left")) > g.pt_to_twips(5 * char)  # wrapped lines under the first name
    first = int(ind.get(f"{W}left")) - int(ind.get(f"{W}hanging"))
    assert first == g.pt_to_twips(2 * char)  # "附件：" two characters in
