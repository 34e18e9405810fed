"""Issue 17: lines with digits and Latin ("2026年", "0.5%", "〔2014〕215号", "0591-26831234", "APP")
break at the same characters in the PDF (our layout) and in the LibreOffice render of the DOCX, on
every page — in generated documents, some of them with a paragraph set closer (调整字距) to keep a
long ending on its page. All DOCX files are rendered in one start of LibreOffice."""

from __future__ import annotations

import random
from pathlib import Path

from pdfmeasure import text_lines
from test_page_endings import long_ending, plain
from test_page_rules import layout_of, needs_soffice, notice

from kongchuo_docs import gbt9704 as g
from kongchuo_docs.layout.boxes import Line
from kongchuo_docs.model import Document, Paragraph
from kongchuo_docs.system.libreoffice import render_docxs_to_pdf
from kongchuo_docs.writers.docx_writer import write_docx
from kongchuo_docs.writers.pdf_writer import write_pdf

WORDS = ("各校要按照县教育局统一部署认真做好适龄儿童少年入学工作落实控辍保学责任制度建立健全劝返复学机制"
         "确保义务教育阶段学生应入尽入不得出现新的辍学现象乡镇人民政府村委会家长监护人学籍管理系统核查比对")
PLAIN_DOCUMENTS = 16
CLOSER_DOCUMENTS = 6


def token(rng: random.Random) -> str:
    """A number, date, rate, 文号, phone number or Latin word as clerks type them."""
    return rng.choice([
        lambda: f"{rng.randrange(2000, 2030)}年",
        lambda: f"{rng.randrange(1, 13)}月{rng.randrange(1, 29)}日",
        lambda: f"{rng.choice(['0.5', '1.2', '99.8', '100', '3'])}%",
        lambda: f"（{rng.choice(['临教发', '某政办', '教基'])}〔{rng.randrange(2010, 2027)}〕"
                f"{rng.randrange(1, 300)}号）",
        lambda: f"0591-{rng.randrange(20000000, 29999999)}",
        lambda: rng.choice(["QQ群", "PDF", "Excel表格", "APP", "WPS"]),
        lambda: f"{rng.randrange(1, 500)}人",
        lambda: f"第{rng.randrange(1, 20)}条",
        lambda: f"{rng.randrange(6, 16)}周岁",
    ])()


def paragraph(rng: random.Random) -> Paragraph:
    """40–160 characters of Chinese with tokens and punctuation (also a closing mark before a token)."""
    text, length = "", rng.randrange(40, 160)
    while len(text) < length:
        roll = rng.random()
        if roll < 0.25:
            text += token(rng)
        elif roll < 0.35:
            text += rng.choice("，。、；")
        else:
            start = rng.randrange(len(WORDS) - 6)
            text += WORDS[start:start + rng.randrange(2, 7)]
    return Paragraph(text=text.rstrip("，、；") + "。")


def set_closer_with_digits(doc: Document) -> bool:
    """Whether the layout sets a line holding digits or Latin closer than the grid (§7.3.5.4)."""
    return any(isinstance(pl.item, Line) and pl.item.spacing_twips != g.BODY_CHAR_SPACING_TWIPS
               and any(c.isascii() and c.isalnum() for c in pl.item.text)
               for page in layout_of(doc).pages for pl in page.items)


def corpus() -> list[Document]:
    """16 notices of 8–15 mixed paragraphs, then 6 long endings whose last mixed paragraphs the
    layout sets closer (the first such of 120 seeded candidates)."""
    docs = []
    for seed in range(PLAIN_DOCUMENTS):
        rng = random.Random(seed)
        docs.append(notice([paragraph(rng) for _ in range(rng.randrange(8, 16))]))
    rng = random.Random(1000)
    for _ in range(20 * CLOSER_DOCUMENTS):
        doc = long_ending(rng.choice([3, 4, 5]), [paragraph(rng) for _ in range(rng.randrange(2, 5))])
        if set_closer_with_digits(doc):
            docs.append(doc)
            if len(docs) == PLAIN_DOCUMENTS + CLOSER_DOCUMENTS:
                return docs
    raise AssertionError("too few long endings set closer with digits")


@needs_soffice
def test_lines_with_digits_and_latin_break_alike_in_pdf_and_docx(tmp_path: Path) -> None:
    docs = corpus()
    docxs = []
    for i, doc in enumerate(docs):
        layout = layout_of(doc)
        write_pdf(doc, tmp_path / f"d{i}.pdf", layout)
        write_docx(doc, tmp_path / f"d{i}.docx", layout)
        docxs.append(tmp_path / f"d{i}.docx")
    rendered = render_docxs_to_pdf(docxs, tmp_path / "render")
    differing, all_lines = [], []
    for i, render in enumerate(rendered):
        ours = [(line.page, plain(line.text)) for line in text_lines(tmp_path / f"d{i}.pdf")]
        theirs = [(line.page, plain(line.text)) for line in text_lines(render)]
        all_lines += [text for _, text in ours]
        if ours != theirs:
            first = next(((a, b) for a, b in zip(ours, theirs, strict=False) if a != b), (len(ours), len(theirs)))
            differing.append((i, first))
    assert not differing, differing  # (document, first differing (page, line) in PDF and render)
    for needle in ("0591-", "〕", "%", "APP", "年"):  # what the lines hold, as typed
        assert sum(needle in text for text in all_lines) > 10, needle
    assert sum(text[-1].isascii() or text[0].isascii() for text in all_lines) > 20  # breaks at digits
