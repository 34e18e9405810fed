"""Issue 17, long endings: an ending (附件说明 of 1–6 附件, 署名 with or without a seal, 日期, 附注) of
any length against any room left on a page of full lines (0–21 lines) never stands alone, and the
page text continues from keeps at most 2 empty lines at its foot — by narrowing the ending's page,
setting it closer, narrowing the pages before it (lines flow back), or carrying the fewest lines
over. Swept on the layout; a sample of the hardest cases measured in the PDF and in the
LibreOffice-rendered DOCX (one LibreOffice start). The 版记 shares the page of text after 调整字距,
and a 回执 is counted under a closing 签字栏."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from pathlib import Path

import pytest
from pdfmeasure import text_lines
from test_page_endings import DATE, SIGNER, empty_lines_at_foot, plain, rendered
from test_page_rules import ONE_LINE, body_lines_on_first_page, content, layout_of, needs_soffice, notice

from kongchuo_docs import gbt9704 as g
from kongchuo_docs.layout.boxes import HEIGHT, PITCH, Layout, Line
from kongchuo_docs.model import Attachment, Colophon, Document, Heading, Paragraph, Receipt, ReceiptField, SignFields
from kongchuo_docs.system.libreoffice import render_docxs_to_pdf
from kongchuo_docs.writers.docx_writer import write_docx
from kongchuo_docs.writers.pdf_writer import write_pdf

ENDINGS = list(itertools.product(range(0, 7), (False, True), (False, True)))  # 附件, 附注, seal
FREE = range(0, 22)
GRID_SPARE_PT = HEIGHT - g.LINES_PER_PAGE * PITCH  # the 版心 is 0.9 pt over 22 grid lines


def ending_doc(pages: int, free: int, attachments: int, note: bool, seal: bool) -> Document:
    """`pages` pages of one-line paragraphs, the last filled to `free` lines above its foot, then the
    ending: 附件说明 of `attachments` 附件 (sent as separate files: no 附件 pages), 署名, 日期, 附注."""
    body = [Paragraph(text=f"{i:03d}" + ONE_LINE[3:]) for i in range(body_lines_on_first_page()
                                                                    + 22 * (pages - 1) - free)]
    return notice(body, seal=seal).model_copy(update={
        "attachments": [Attachment(number=i, title=f"附件标题第{i}个", separate=True)
                        for i in range(1, attachments + 1)],
        "note": "（此件公开发布）" if note else None})


def ending_page(layout: Layout) -> int:
    return next(p.number for p in layout.pages if any(isinstance(pl.item, Line) and pl.item.role == "date"
                                                      for pl in p.items))


def check_layout(doc: Document) -> Layout:
    """The ending with text above it on its page; the page before it (text continues from it) with
    at most 2 empty lines at its foot; every body line placed once, none narrower than §7.3.5.4
    allows."""
    layout = layout_of(doc)
    number = ending_page(layout)
    page = layout.pages[number - 1]
    rows = [pl.item for pl in page.items if isinstance(pl.item, Line) and not pl.item.beside]
    first = next(i for i, line in enumerate(rows) if line.role in ("attachment-note", "signature", "date"))
    assert any(line.role == "body" for line in rows[:first]), "ending alone"
    if number > 1:
        before = layout.pages[number - 2]
        assert HEIGHT - before.used_pt <= g.SPREAD_EMPTY_LINES_MAX * PITCH + GRID_SPARE_PT + 1e-6
    body = [line.text for line in layout.lines() if line.role == "body"]
    assert body == [p.text for p in doc.body]
    assert min(line.height_pt for line in layout.lines() if line.size_pt >= g.BODY_SIZE_PT
               and line.role not in ("mark", "mark-suffix")) >= g.SQUEEZED_LINE_PITCH_MIN_TWIPS / g.TWIPS_PER_PT - 1e-6
    return layout


@pytest.mark.parametrize("pages", [1, 2, 3])
def test_every_ending_against_every_free_space_keeps_the_rules(pages: int) -> None:
    """On page 1 (under the 版头), 2 or 3, as many free lines as the page has body lines (but one)."""
    widest = 0.0
    free_lines = FREE if pages > 1 else range(body_lines_on_first_page())
    for (attachments, note, seal), free in itertools.product(ENDINGS, free_lines):
        layout = check_layout(ending_doc(pages, free, attachments, note, seal))
        widest = max(widest, max(line.height_pt for line in layout.lines() if line.role == "body"))
    if pages == 3:  # two full pages before the ending's page: narrowing them always does it
        assert widest <= g.SPREAD_LINE_PITCH_MAX_TWIPS / g.TWIPS_PER_PT


def test_an_ending_five_lines_too_long_narrows_the_pages_before_it() -> None:
    """5 free lines, a 12-line ending: carrying a line would leave 6 empty lines (the cap on setting a
    page wider fills 3.7 of them); the three pages are narrowed instead, the ending stays on page 3
    with its text, no line carried."""
    doc = ending_doc(3, 5, 6, True, True)
    layout = check_layout(doc)
    assert ending_page(layout) == 3 and layout.page_count == 3
    pitches = {pl.item.height_pt for p in layout.pages for pl in p.items if isinstance(pl.item, Line)
               and pl.item.role == "body"}
    assert max(pitches) < PITCH and min(pitches) >= g.SQUEEZED_LINE_PITCH_MIN_TWIPS / g.TWIPS_PER_PT - 1e-6


SAMPLE = [(3, 5, 6, True, True), (3, 7, 6, False, False), (3, 5, 3, True, False), (2, 5, 4, True, True),
          (2, 6, 6, True, True), (2, 8, 6, True, False), (3, 0, 6, True, True), (2, 3, 2, True, True),
          (1, 6, 6, True, True), (1, 3, 3, False, False)]


@needs_soffice
def test_a_sample_of_the_sweep_agrees_in_both_outputs(tmp_path: Path) -> None:
    """The hardest cases of the sweep (and two easy ones), measured: the same text on the same pages
    in the PDF and the LibreOffice render; the 署名 with text above it; at most 2 empty lines at the
    foot of the page before."""
    docs = [ending_doc(*case) for case in SAMPLE]
    pdfs, docxs, tolerances = [], [], []
    for i, doc in enumerate(docs):
        layout = layout_of(doc)
        before = layout.pages[ending_page(layout) - 2].items
        pitch = max((pl.item.height_pt for pl in before if isinstance(pl.item, Line)), default=PITCH)
        # a widened line's box reaches further under its glyphs (its baseline 80 % down the line)
        tolerances.append((GRID_SPARE_PT + (1 - g.EXACT_LINE_BASELINE_FRACTION) * max(0.0, pitch - PITCH)) / PITCH
                          + 0.01)
        pdfs.append(tmp_path / f"{i}.pdf")
        docxs.append(tmp_path / f"{i}.docx")
        write_pdf(doc, pdfs[-1], layout)
        write_docx(doc, docxs[-1], layout)
    renders = render_docxs_to_pdf(docxs, tmp_path / "render")
    for case, pdf, render, tolerance in zip(SAMPLE, pdfs, renders, tolerances, strict=True):
        ours, theirs = text_lines(pdf), text_lines(render)
        assert [(line.page, plain(line.text)) for line in ours] == [(line.page, plain(line.text)) for line in theirs], \
            case
        for name, lines in (("pdf", ours), ("docx", theirs)):
            signer = next(line for line in lines if line.text == SIGNER)
            date = next(line for line in lines if plain(line.text) == DATE)
            assert date.page == signer.page, (case, name)
            above = [line for line in content(lines, signer.page) if line.top < signer.top]
            assert any(ONE_LINE[3:] in plain(line.text) for line in above), (case, name)  # text above
            if signer.page > 1:
                assert empty_lines_at_foot(lines, signer.page - 1) <= g.SPREAD_EMPTY_LINES_MAX + tolerance, \
                    (case, name)
            assert max(line.bottom for line in content(lines, signer.page)) <= g.MARGIN_TOP_MM \
                + g.TYPE_AREA_HEIGHT_MM, (case, name)


def generated(seed: int) -> Document:
    """A notice of 30–80 lines: paragraphs of 10–130 characters (straddling pages), 一、 headings (kept
    with the next line), and a long ending: 2–6 附件, 附注 or not, a seal or not."""
    rnd = random.Random(seed)
    body: list = []
    lines = 0
    target = rnd.randint(30, 80)
    while lines < target:
        if rnd.random() < 0.12:
            body.append(Heading(level=1, text=f"{'一二三四五六七八九十'[len(body) % 10]}、工作要求"))
            lines += 1
        else:
            n = rnd.choice([10, 26, 40, 54, 60, 82, 100, 130])
            body.append(Paragraph(text="".join(rnd.choice("测试文本控辍保学") for _ in range(n))))
            lines += n // 28 + 1
    return notice(body, seal=rnd.random() < 0.5).model_copy(update={
        "attachments": [Attachment(number=i, title=f"附件标题第{i}个", separate=True)
                        for i in range(1, rnd.randint(3, 7))],
        "note": "（此件公开发布）" if rnd.random() < 0.6 else None})


@needs_soffice
def test_narrowed_pages_with_headings_and_straddling_paragraphs_agree_in_both_outputs(tmp_path: Path) -> None:
    """Generated notices whose ending needed the pages before it narrowed — headings kept with the next
    line, paragraphs straddling a page break at one pitch: the ending with text, at most 2 empty lines
    before it, and the same text on the same pages in the PDF and the LibreOffice render."""
    picked: list[tuple[Document, Layout]] = []
    for seed in range(400):
        doc = generated(seed)
        layout = layout_of(doc)
        number = ending_page(layout)
        if any(isinstance(pl.item, Line) and pl.item.role == "body" and pl.item.height_pt < PITCH - 1e-6
               for page in layout.pages[:number - 1] for pl in page.items):
            picked.append((doc, layout))
            if len(picked) == 4:
                break
    assert len(picked) == 4
    pdfs, docxs = [], []
    for i, (doc, layout) in enumerate(picked):
        page = layout.pages[ending_page(layout) - 1]
        rows = [pl.item for pl in page.items if isinstance(pl.item, Line) and not pl.item.beside]
        first = next(i for i, line in enumerate(rows) if line.role in ("attachment-note", "signature", "date"))
        assert any(line.role in ("body", "h1") for line in rows[:first])
        assert HEIGHT - layout.pages[page.number - 2].used_pt <= g.SPREAD_EMPTY_LINES_MAX * PITCH + GRID_SPARE_PT
        pdfs.append(tmp_path / f"{i}.pdf")
        docxs.append(tmp_path / f"{i}.docx")
        write_pdf(doc, pdfs[-1], layout)
        write_docx(doc, docxs[-1], layout)
    for pdf, render in zip(pdfs, render_docxs_to_pdf(docxs, tmp_path / "render"), strict=True):
        assert [(line.page, plain(line.text)) for line in text_lines(pdf)] == \
            [(line.page, plain(line.text)) for line in text_lines(render)], pdf.name


# ---------------------------------------------------------------- the 版记 after 调整字距

SHORT = "短" * (26 + 28 + 28 + 3)  # four lines, the last of 3 characters: three lines at 29 to the line
FULL = "满" * (26 + 28 * 3)  # four full lines: nothing to gain set closer
COLOPHON = Colophon(cc=["县政府办"], printer="某某县教育局办公室", print_date=dt.date(2026, 9, 1))


def colophon_doc(free: int, last: str) -> Document:
    """Page 2 filled to `free` lines above its foot with two 4-line paragraphs `last` at its end,
    then 署名, 日期 and a 版记 of two rows."""
    body = [Paragraph(text=ONE_LINE)] * (body_lines_on_first_page() + 22 - free - 8) + [Paragraph(text=last)] * 2
    return notice(body).model_copy(update={"colophon": COLOPHON})


@needs_soffice
def test_the_colophon_shares_the_page_of_text_when_setting_it_closer_makes_room(tmp_path: Path) -> None:
    """Where narrowing the pitch alone leaves no room for the 版记 under the date, a paragraph is set
    closer (调整字距, §7.3.5.4) and the 版记 stays on page 2 with the text — the same paragraphs as full
    lines put it on a page of its own — in both outputs."""
    def closer(layout: Layout) -> bool:
        return any(pl.item.spacing_twips != g.BODY_CHAR_SPACING_TWIPS for pl in layout.pages[1].items
                   if isinstance(pl.item, Line))

    free = next(f for f in range(2, 12) if layout_of(colophon_doc(f, SHORT)).pages[1].colophon is not None
                and closer(layout_of(colophon_doc(f, SHORT))))
    layout = layout_of(colophon_doc(free, SHORT))
    assert layout.page_count == 2
    expected = [len(line.text) for line in layout.lines() if set(line.text) == {"短"}]
    assert [p.role for p in layout_of(colophon_doc(free, FULL)).pages] == ["content", "content", "blank", "colophon"]
    outputs = rendered(colophon_doc(free, SHORT), tmp_path)
    pages = {name: [(line.page, plain(line.text)) for line in text_lines(pdf)] for name, pdf in outputs.items()}
    assert pages["pdf"] == pages["docx"]
    for name, pdf in outputs.items():
        lines = text_lines(pdf)
        printed = next(line for line in lines if "印发" in line.text)
        assert printed.page == 2 and max(line.page for line in lines) == 2, name
        short = [len(plain(line.text)) for line in content(lines, 2) if set(plain(line.text)) == {"短"}]
        assert short == expected and 29 in short, name  # set closer: 29 to the line


# ---------------------------------------------------------------- a 回执 under a closing 签字栏

SLIP = Receipt(title="回执", text=["已收到入学通知书，将按时报到。"], dated=True,
               fields=[ReceiptField(label="学生姓名", value="赵小明"), ReceiptField(label="家长签名")])


def signed_letter(lines: int, receipt: bool = True) -> Document:
    """A 无版头 letter of four 4-line paragraphs and `lines` one-line ones closing with a 签字栏 of four
    fields (no 署名), its 回执 torn off at the foot."""
    body = [Paragraph(text=SHORT)] * 4 + [Paragraph(text=ONE_LINE)] * lines
    body += [SignFields(labels=["校长（签名）", "班主任（签名）", "家长（签名）", "学生（签名）"])]
    return Document(format="plain", title="入学通知书", recipients="赵某某：", body=body, date=dt.date(2026, 3, 2),
                    receipt=SLIP if receipt else None)


def set_closer(layout: Layout) -> bool:
    return any(line.spacing_twips != g.BODY_CHAR_SPACING_TWIPS for line in layout.lines())


@needs_soffice
def test_a_receipt_is_counted_under_a_closing_sign_field_block(tmp_path: Path) -> None:
    """A 签字栏 that needs its page narrowed, and a slip that fits under it only with paragraphs set
    closer too: the 签字栏 is placed counting the slip, so the slip stays on page 1 under its cut line
    (it used to go whole to page 2); a line more and it goes — in both outputs."""
    from test_draft_receipt import cut_lines

    alone = layout_of(signed_letter(0, receipt=False))
    assert alone.page_count == 1 and not set_closer(alone) and any(
        line.height_pt < PITCH - 1e-6 for line in alone.lines())  # the 签字栏 alone: narrowed only
    layout = layout_of(signed_letter(0))
    assert layout.page_count == 1 and set_closer(layout)
    assert [pl.item.role for pl in layout_of(signed_letter(1)).pages[1].items][:2] == ["receipt-space", "cut"]
    for name, pdf in rendered(signed_letter(0), tmp_path).items():
        ((page, cut_y),) = cut_lines(pdf)
        lines = text_lines(pdf)
        assert page == 1 and max(line.page for line in lines) == 1, name
        field = next(line for line in lines if line.text.startswith("家长（签名）"))
        assert field.bottom < cut_y < next(line for line in lines if plain(line.text) == "回执").top, name
