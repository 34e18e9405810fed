"""A tear-off 回执 (reply slip) after a letter's date: drafts typed as clerks type them (a 入学通知书, a
long 劝返 letter) and a YAML notice with 回执. The slip stands whole under a dashed cut line at the
foot of the letter's last page — or at the foot of the next page when it does not fit — its fields
filled from what was typed, in the PDF writer's PDF and in the LibreOffice render of the DOCX alike."""

from __future__ import annotations

from pathlib import Path

import draftmaker as dm
import pymupdf
import pytest
from pdfmeasure import MM_PER_PT, text_lines
from test_draft_corpus import BODY, DATE, DEFAULTS, MORE
from test_page_rules import layout_of, needs_soffice

from kongchuo_docs import gbt9704 as g
from kongchuo_docs.errors import InputError
from kongchuo_docs.files.output import OutputSet
from kongchuo_docs.kinds.publish import write_document
from kongchuo_docs.layout import cut_mark
from kongchuo_docs.layout.flow import stacked_height
from kongchuo_docs.model import Document, Receipt, ReceiptField
from kongchuo_docs.readers.draft import mapping_yaml, outline_lines, read_draft
from kongchuo_docs.readers.notice_yaml import read_notice
from kongchuo_docs.system.libreoffice import render_docx_to_pdf
from kongchuo_docs.writers.docx_writer import write_docx
from kongchuo_docs.writers.pdf_writer import write_pdf

SCHOOL = "某某小学"
SLIP = [("p", "…………………………（请沿此线剪下）…………………………"), ("title", "回执"),
        ("p", "已收到入学通知书，将按时报到。"), ("p", "学生姓名：赵小明"), ("p", "家长签名："), ("p", "年　月　日")]
SLIP_TEXTS = ("回执", "已收到入学通知书，将按时报到。", "学生姓名：赵小明", "家长签名：", "年月日")
TYPE_AREA_FOOT_MM = g.MARGIN_TOP_MM + g.TYPE_AREA_HEIGHT_MM


def letter(paragraphs: int) -> list[tuple[str, object]]:
    """A 入学通知书 to a guardian, `paragraphs` body paragraphs after the first, signed and dated, then
    the cut line and the 回执 as typed."""
    return [("title", "入学通知书"), ("p", "赵某某：（监护人姓名）"), ("p", BODY), *[("p", MORE)] * paragraphs,
            ("right", SCHOOL), ("right", DATE), *SLIP]


def ink_row(page: pymupdf.Page, x0_mm: float, x1_mm: float, top_mm: float, bottom_mm: float) -> float:
    """y (mm) of the darkest pixel row between `top_mm` and `bottom_mm` over `x0_mm`…`x1_mm` of `page`,
    rendered at 1200 dpi: where a row of dashes typed as characters (a tab leader's hyphens) is inked."""
    dpi = 1200
    clip = pymupdf.Rect(x0_mm / MM_PER_PT, top_mm / MM_PER_PT, x1_mm / MM_PER_PT, bottom_mm / MM_PER_PT)
    pix = page.get_pixmap(dpi=dpi, clip=clip, colorspace=pymupdf.csGRAY)
    dark = [sum(255 - v for v in pix.samples[r * pix.stride:r * pix.stride + pix.width]) for r in range(pix.height)]
    peak = max(dark)
    rows = [r for r, v in enumerate(dark) if v >= peak * 0.5]
    return top_mm + (sum(rows) / len(rows) + 0.5) * 25.4 / dpi


def cut_lines(pdf: Path) -> list[tuple[int, float]]:
    """(page, y mm) of each dashed cut line: a row of short thin strokes or a dashed path across the
    版心 (the PDF writer's), or of hyphens filling tabs (the DOCX's leaders in LibreOffice's render,
    measured where they are inked)."""
    found = []
    with pymupdf.open(pdf) as doc:
        for page in doc:
            rows: dict[float, float] = {}
            for d in page.get_drawings():
                r = d["rect"]
                if r.height * MM_PER_PT < 1 and (r.width * MM_PER_PT < 3 or d.get("dashes") not in (None, "[] 0")):
                    y = round((r.y0 + r.y1) / 2 * MM_PER_PT, 1)
                    rows[y] = rows.get(y, 0.0) + r.width * MM_PER_PT
            found += [(page.number + 1, y) for y, width in rows.items() if width > g.TYPE_AREA_WIDTH_MM * 0.35]
        for line in text_lines(pdf):
            if line.page == page.number + 1 and line.text.count("-") > 20:
                found.append((line.page, ink_row(page, line.x0 + 8, line.x0 + 40, line.top - 1, line.bottom + 1)))
    return found


def build(parts: list[tuple[str, object]], tmp_path: Path) -> tuple[Document, dict[str, Path]]:
    """The draft read (no errors, the YAML written for it rebuilds it), built to PDF and DOCX; the PDF
    writer's PDF and the LibreOffice render of the DOCX."""
    path = dm.write_shape(parts, tmp_path / "入学通知书.docx")
    reading = read_draft(path, tmp_path / "work", defaults=DEFAULTS)
    assert not reading.errors, [str(p) for p in reading.errors]
    assert any("回执：排在最后一页页脚的剪切线下" in str(w) for w in reading.warnings)
    assert "回执（页脚剪切，剪切线上印“（请沿此线剪下）”）：学生姓名：赵小明、家长签名" in outline_lines(reading)
    written = tmp_path / "草稿.yaml"
    written.write_text(mapping_yaml(reading, path.name), encoding="utf-8")
    assert read_notice(written)[0] == reading.document
    with OutputSet(tmp_path / "out", force=False) as out:
        write_document(out, reading.document, path.stem, kind="notice", source=path, formats=("docx", "pdf"))
    pdf = tmp_path / "out" / "入学通知书.pdf"
    return reading.document, {"pdf": pdf, "docx": render_docx_to_pdf(pdf.with_suffix(".docx"), tmp_path / "r")}


def assert_slip_under_its_cut(pdf: Path, name: str, page: int) -> float:
    """The cut line and every slip text on `page` (the last), the texts under the line, the slip at
    the page's foot; returns the cut line's y (mm)."""
    lines = [line for line in text_lines(pdf) if not line.text.startswith("—") and "-----" not in line.text]
    assert max(line.page for line in lines) == page, name
    ((cut_page, cut_y),) = cut_lines(pdf)
    assert cut_page == page, name
    texts = {"".join(line.text.split()): line for line in lines}
    for text in SLIP_TEXTS:
        found = next((line for t, line in texts.items() if text in t), None)
        assert found is not None and found.page == page and found.top > cut_y, (name, text)
    assert any("家长签名：__" in t for t in texts), name  # writing space where nothing was typed
    assert TYPE_AREA_FOOT_MM - max(line.bottom for line in lines if line.page == page) < 12, name  # at the foot
    return cut_y


@needs_soffice
def test_a_drafted_receipt_is_torn_off_at_the_foot_of_the_letter_s_page(tmp_path: Path) -> None:
    """A 入学通知书 with its 回执 typed after the date: one page, the slip (fields as typed: 赵小明 printed,
    a writing line for 家长签名, a blank date) under a dashed cut line at the page's foot — where the
    layout puts it in the PDF, on the same page in the LibreOffice render."""
    doc, pdfs = build(letter(1), tmp_path)
    fields = [ReceiptField(label="学生姓名", value="赵小明"), ReceiptField(label="家长签名")]
    assert doc.receipt == Receipt(title="回执", text=["已收到入学通知书，将按时报到。"], fields=fields, dated=True,
                                  cut_text="（请沿此线剪下）")
    assert not doc.issued  # no page of its own
    layout = layout_of(doc)
    ((cut,),) = [[pl for pl in page.items if pl.item.role == "cut"] for page in layout.pages]
    slip_mm = g.pt_to_mm(stacked_height([pl.item for pl in layout.pages[0].items if pl.y_pt >= cut.y_pt]))
    expected = TYPE_AREA_FOOT_MM - g.pt_to_mm(g.LETTER_CUT_BORDER_PT) - slip_mm + g.pt_to_mm(cut_mark.dash_drop())
    assert abs(assert_slip_under_its_cut(pdfs["pdf"], "pdf", 1) - expected) < 0.5
    assert_slip_under_its_cut(pdfs["docx"], "docx", 1)


@needs_soffice
def test_a_long_letter_s_receipt_goes_whole_to_the_foot_of_page_two(tmp_path: Path) -> None:
    """A letter whose date leaves too little room under it: the 署名 and date stay with the text on page
    1, the whole slip with its cut line goes to the foot of page 2 — in both outputs."""
    _, pdfs = build(letter(7), tmp_path)
    for name, pdf in pdfs.items():
        assert_slip_under_its_cut(pdf, name, 2)
        lines = [line for line in text_lines(pdf) if not line.text.startswith("—")]
        date = next(line for line in lines if "".join(line.text.split()) == DATE.replace(" ", ""))
        assert date.page == 1, name
        assert [line.page for line in lines if line.text.strip() == SCHOOL] == [1], name


@needs_soffice
def test_the_page_is_set_closer_to_keep_the_slip_with_the_ending(tmp_path: Path) -> None:
    """Where the ending fits on the page but the slip only fits with the page set closer (§7.3.5.4),
    the page is narrowed (without the 回执 it is not) and the slip stays, its cut line the clearance
    below the date — one page with the slip in the LibreOffice render too; one paragraph more and
    the slip goes to the next page, the ending staying with the text."""
    def document(paragraphs: int) -> Document:
        return read_notice_text(f"正文: [{', '.join([MORE] * paragraphs)}]", tmp_path)

    def pages(paragraphs: int, receipt: bool = True) -> list:
        doc = document(paragraphs)
        return layout_of(doc if receipt else doc.model_copy(update={"receipt": None})).pages

    def narrowed(page) -> bool:
        return any(pl.item.role == "date" and pl.item.height_pt < g.LINE_PITCH_PT for pl in page.items)

    last = next(n for n in range(3, 12) if len(pages(n + 1)) == 2)
    (page,) = pages(last)
    assert narrowed(page) and not narrowed(pages(last, receipt=False)[0])
    date = next(pl for pl in page.items if pl.item.role == "date")
    cut = next(pl for pl in page.items if pl.item.role == "cut")
    dashes = cut.y_pt + cut_mark.dash_drop()  # the clearance is kept to the dashes, as the letters keep it
    assert dashes - date.y_pt - date.item.height_pt >= g.LETTER_CUT_CLEARANCE_PT - 0.05
    first, second = pages(last + 1)
    assert not any(pl.item.role == "cut" for pl in first.items) and any(pl.item.role == "date" for pl in first.items)
    assert [pl.item.role for pl in second.items][:2] == ["receipt-space", "cut"]
    doc = document(last)
    layout = layout_of(doc)
    write_pdf(doc, tmp_path / "doc.pdf", layout)
    write_docx(doc, tmp_path / "doc.docx", layout)
    docx = render_docx_to_pdf(tmp_path / "doc.docx", tmp_path / "render")
    for name, pdf in (("pdf", tmp_path / "doc.pdf"), ("docx", docx)):
        ((cut_page, cut_y),) = cut_lines(pdf)
        lines = [line for line in text_lines(pdf) if not line.text.startswith("—")]
        assert cut_page == 1 and max(line.page for line in lines) == 1, name
        assert any("".join(line.text.split()).startswith("联系电话：__") and line.top > cut_y for line in lines), name


YAML = """格式: 无版头
标题: 入学通知书
主送: 赵某某：
{body}
署名: 某某小学
成文日期: 2026年3月2日
回执:
  正文: 已收到入学通知书，将按时报到。
  栏目:
    - 学生姓名: 赵小明
    - 家长签名
    - 联系电话
  日期: 是
"""


def read_notice_text(body: str, tmp_path: Path) -> Document:
    """The YAML notice with 回执 and `body` (a 正文 line), read without errors."""
    path = tmp_path / "回执.yaml"
    path.write_text(YAML.format(body=body), encoding="utf-8")
    doc, problems = read_notice(path)
    assert doc is not None, [str(p) for p in problems]
    return doc


def test_a_yaml_notice_with_a_receipt_prints_it_under_the_cut_line(tmp_path: Path) -> None:
    """回执 in the YAML (正文, 栏目 with a typed value or none, 日期): the slip at the foot of page 1 in
    the PDF, the typed value printed, writing lines for the others; a wrong key is named."""
    doc = read_notice_text("正文: 您的孩子赵小明应于2026年秋季学期入读某某小学一年级。", tmp_path)
    assert doc.receipt == Receipt(text=["已收到入学通知书，将按时报到。"], dated=True, fields=[
        ReceiptField(label="学生姓名", value="赵小明"), ReceiptField(label="家长签名"), ReceiptField(label="联系电话")])
    with OutputSet(tmp_path / "out", force=False) as out:
        write_document(out, doc, "回执", kind="notice", source=tmp_path / "回执.yaml", formats=("pdf",))
    pdf = tmp_path / "out" / "回执.pdf"
    ((page, cut_y),) = cut_lines(pdf)
    lines = [line for line in text_lines(pdf) if line.top > cut_y and not line.text.startswith("—")]
    assert page == 1 and {line.page for line in lines} == {1}
    texts = ["".join(line.text.split()) for line in lines]
    assert texts[0] == "回执" and "学生姓名：赵小明" in texts[2]
    assert any(t.startswith("联系电话：__") for t in texts) and texts[-1] == "年月日"
    bad = tmp_path / "坏.yaml"
    bad.write_text(YAML.format(body="正文: 通知。").replace("  日期: 是", "  日子: 是"), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_notice(bad)
    assert "坏.yaml:13 日子: 回执中没有这一项，是不是“日期”？" in str(raised.value)
    bad.write_text(YAML.format(body="正文: 通知。").replace("已收到入学通知书", "已收到" * 100), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_notice(bad)
    assert "坏.yaml:8 正文: 回执的正文最多 300 个字" in str(raised.value)
