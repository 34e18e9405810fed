"""The words clerks type on a 回执's cut line (「--------（请沿此线剪下）--------」, 「✂……沿虚线剪开……」,
「------ 此联剪下交回学校 ------」) are kept — the dashes and scissors dropped — as 回执 裁剪线文字 and
printed on the cut line: centred in a gap of the dashes in the PDF, between the two hyphen-leader tabs
in the DOCX (LibreOffice's render measured), a ✂ at the line's left end, the slip where it stood
without the words."""

from __future__ import annotations

import zipfile
from pathlib import Path

import draftmaker as dm
import pymupdf
import pytest
from lxml import etree
from pdfmeasure import MM_PER_PT, text_lines
from test_draft_corpus import DEFAULTS
from test_draft_receipt import SLIP, cut_lines, letter, read_notice_text
from test_page_rules import needs_soffice
from test_slip_placement import _roster, _run

from kongchuo_docs import gbt9704 as g
from kongchuo_docs.errors import InputError
from kongchuo_docs.files.output import OutputSet
from kongchuo_docs.files.resources import template_path
from kongchuo_docs.kinds.publish import write_document
from kongchuo_docs.letters.spec_model import spec_problems
from kongchuo_docs.model import Receipt, ReceiptField
from kongchuo_docs.readers.draft import mapping_yaml, outline_lines, read_draft
from kongchuo_docs.readers.notice_yaml import read_notice
from kongchuo_docs.system import fonts
from kongchuo_docs.system.libreoffice import render_docx_to_pdf
from kongchuo_docs.wording.sentences import sentences

TYPED = {"--------------（请沿此线剪下）--------------": "（请沿此线剪下）",
         "✂……沿虚线剪开……": "沿虚线剪开",
         "------ 此联剪下交回学校 ------": "此联剪下交回学校",
         "--------------------------": ""}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LEFT_MM, CENTRE_MM = g.MARGIN_LEFT_MM, g.MARGIN_LEFT_MM + g.TYPE_AREA_WIDTH_MM / 2


def draft(typed: str, suffix: str, tmp_path: Path) -> Path:
    """The 入学通知书 of test_draft_receipt with `typed` as its cut line, as a .docx or .txt draft."""
    parts = [("p", typed) if part == SLIP[0] else part for part in letter(1)]
    folder = tmp_path / suffix.strip(".")
    folder.mkdir(parents=True, exist_ok=True)
    return dm.write_shape(parts, folder / f"入学通知书{suffix}")


def build(path: Path, formats: tuple[str, ...] = ("docx", "pdf")) -> Path:
    """The draft read and built; the PDF's path."""
    reading = read_draft(path, path.parent / "work", defaults=DEFAULTS)
    assert not reading.errors, [str(p) for p in reading.errors]
    with OutputSet(path.parent / "out", force=False) as out:
        write_document(out, reading.document, path.stem, kind="notice", source=path, formats=formats)
    return path.parent / "out" / f"{path.stem}.pdf"


@pytest.mark.parametrize("suffix", [".docx", ".txt"])
@pytest.mark.parametrize("typed", list(TYPED))
def test_the_words_typed_on_the_cut_line_are_kept(typed: str, suffix: str, tmp_path: Path) -> None:
    """Each way of typing the cut line: the 回执's fields as before, its 裁剪线文字 the words without
    dashes and scissors, said in the outline, written to the YAML, which reads back the same."""
    path = draft(typed, suffix, tmp_path)
    reading = read_draft(path, tmp_path / "work", defaults=DEFAULTS)
    assert not reading.errors, [str(p) for p in reading.errors]
    fields = [ReceiptField(label="学生姓名", value="赵小明"), ReceiptField(label="家长签名")]
    assert reading.document.receipt == Receipt(text=["已收到入学通知书，将按时报到。"], fields=fields, dated=True,
                                               cut_text=TYPED[typed])
    said = f"，剪切线上印“{TYPED[typed]}”" if TYPED[typed] else ""
    assert f"回执（页脚剪切{said}）：学生姓名：赵小明、家长签名" in outline_lines(reading)
    written = tmp_path / "草稿.yaml"
    written.write_text(mapping_yaml(reading, path.name), encoding="utf-8")
    assert ("裁剪线文字: " + TYPED[typed] in written.read_text(encoding="utf-8")) == bool(TYPED[typed])
    assert read_notice(written)[0] == reading.document


def words_on_the_line(pdf: Path, words: str) -> tuple[float, float, float]:
    """(page, y of the cut line, vertical middle of the line of text holding `words`) in mm, the
    words centred in the 版心 and the ✂ at the line's left end."""
    ((page, cut_y),) = cut_lines(pdf)
    with pymupdf.open(pdf) as doc:
        found = doc[page - 1].search_for(words)
        marks = doc[page - 1].search_for(g.LETTER_CUT_MARK)
    assert len(found) == 1, words
    (box,) = found
    assert abs((box.x0 + box.x1) / 2 * MM_PER_PT - CENTRE_MM) < 1.0  # centred in the 版心
    (mark,) = marks
    assert abs(mark.x0 * MM_PER_PT - LEFT_MM) < 0.5 and mark.y0 * MM_PER_PT < cut_y < mark.y1 * MM_PER_PT
    line = next(t for t in text_lines(pdf) if t.page == page and words in "".join(t.text.split()))
    return page, cut_y, (line.top + line.bottom) / 2


@needs_soffice
@pytest.mark.parametrize("suffix", [".docx", ".txt"])
def test_the_words_stand_on_the_cut_line_in_both_outputs(suffix: str, tmp_path: Path) -> None:
    """「------ 此联剪下交回学校 ------」 typed: the words on the cut line (their middle within 1 mm of the
    dashes, in a gap of them in the PDF), centred, the ✂ at the left end — in the PDF and in the
    LibreOffice render of the DOCX; the slip stands where it stands without words (same page, the cut
    line at the same height, no page added)."""
    pdf = build(draft("------ 此联剪下交回学校 ------", suffix, tmp_path))
    plain = build(draft("--------------------------", suffix, tmp_path / "plain"), formats=("pdf",))
    docx = render_docx_to_pdf(pdf.with_suffix(".docx"), tmp_path / "render")
    places = {}
    for name, rendered in (("pdf", pdf), ("docx", docx)):
        page, cut_y, middle = words_on_the_line(rendered, "此联剪下交回学校")
        assert page == 1 and abs(middle - cut_y) < 1.0, (name, middle, cut_y)
        places[name] = cut_y
    with pymupdf.open(pdf) as doc:  # no dash under the words in the PDF
        (box,) = doc[0].search_for("此联剪下交回学校")
        dashes = [d["rect"] for d in doc[0].get_drawings() if abs(d["rect"].y0 * MM_PER_PT - places["pdf"]) < 1]
        assert dashes and not any(r.x1 > box.x0 - 1 and r.x0 < box.x1 + 1 for r in dashes)
    assert abs(places["pdf"] - places["docx"]) < 1.0, places
    ((plain_page, plain_y),) = cut_lines(plain)
    with pymupdf.open(plain) as doc:
        assert doc.page_count == 1 and plain_page == 1
    assert abs(plain_y - places["pdf"]) < 0.05


def mark_middle(rects: list[pymupdf.Rect]) -> float:
    """The vertical middle (mm) of the drawn ✂'s strokes."""
    return (min(r.y0 for r in rects) + max(r.y1 for r in rects)) / 2 * MM_PER_PT


def twice_said_once(face: fonts.FontFace | None, said: str, tmp_path: Path, monkeypatch, capsys) -> Path:
    """The YAML 回执 notice written to PDF twice with the ✂ drawn from `face` (None: no face has it),
    `said` on stderr once; the second PDF."""
    monkeypatch.setattr(fonts.FontSet, "mark_face", lambda self, char, official: (face, said))
    doc = read_notice_text("正文: 您的孩子应于2026年秋季学期入学。", tmp_path)
    for n in range(2):
        with OutputSet(tmp_path / f"out{n}", force=False) as out:
            write_document(out, doc, "回执", kind="notice", source=tmp_path / "回执.yaml", formats=("pdf",))
    assert capsys.readouterr().err.count(said) == 1
    return tmp_path / "out1" / "回执.pdf"


def test_a_font_without_the_scissors_gets_them_drawn_and_said_once(tmp_path: Path, monkeypatch, capsys) -> None:
    """No face with ✂: the PDF draws it as lines at the cut line's left end (no ✂ text, no error),
    and says so once however many documents are written."""
    pdf = twice_said_once(None, "裁剪线上的“✂”：测试中没有字形", tmp_path, monkeypatch, capsys)
    ((_, cut_y),) = cut_lines(pdf)
    with pymupdf.open(pdf) as document:
        page = document[0]
        assert not page.search_for(g.LETTER_CUT_MARK)
        drawn = [d["rect"] for d in page.get_drawings() if d["rect"].x1 * MM_PER_PT < LEFT_MM + 5]
    assert drawn and mark_middle(drawn) - cut_y == pytest.approx(0, abs=0.3)  # centred on the dashes


def test_the_yaml_key_takes_the_words_without_dashes(tmp_path: Path) -> None:
    """裁剪线文字 in a YAML 回执: the dashes typed around it dropped; more than a gap holds is named."""
    doc = read_notice_text("正文: 通知。", tmp_path)
    path = tmp_path / "回执.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  裁剪线文字: ✂------ 请沿此线剪下 ------\n", encoding="utf-8")
    assert read_notice(path)[0].receipt == doc.receipt.model_copy(update={"cut_text": "请沿此线剪下"})
    path.write_text(path.read_text(encoding="utf-8").replace("请沿此线剪下", "请" * 30), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_notice(path)
    assert "回执.yaml:14 裁剪线文字: 裁剪线文字最多 20 个字" in str(raised.value)


def one_letter(tmp_path: Path) -> Path:
    """The PDF of one 入学通知书 with its tear-off 回执 (single-sided)."""
    roster = _roster(tmp_path / "名册.xlsx", 3)
    _run(tmp_path, roster, "入学", letters={"所需材料": []})
    pdf = next((tmp_path / "out").rglob("*.pdf"))
    with pymupdf.open(pdf) as doc:
        doc.select([0])
        doc.save(tmp_path / "first.pdf")
    return tmp_path / "first.pdf"


@needs_soffice
def test_the_letters_cut_line_is_drawn_as_the_drafts(tmp_path: Path) -> None:
    """The 入学通知书's 回执: its cut_text (沿虚线剪下，交回学校, data of templates/letters) on the dashed
    line, centred, in a gap of it, the ✂ at the left end — in the letters' PDF and in the LibreOffice
    render of their DOCX, as in a draft's 回执."""
    pdf = one_letter(tmp_path)
    docx = next((tmp_path / "out").rglob("*.docx"))
    rendered = render_docx_to_pdf(docx, tmp_path / "render")
    with pymupdf.open(rendered) as doc:
        doc.select([0])
        doc.save(tmp_path / "rendered.pdf")
    places = {}
    for name, path in (("pdf", pdf), ("docx", tmp_path / "rendered.pdf")):
        _, cut_y, middle = words_on_the_line(path, "沿虚线剪下，交回学校")
        assert abs(middle - cut_y) < 1.0, (name, middle, cut_y)
        places[name] = cut_y
    with pymupdf.open(pdf) as doc:
        (box,) = doc[0].search_for("沿虚线剪下，交回学校")
        runs = [d["rect"] for d in doc[0].get_drawings() if d.get("dashes") not in (None, "[] 0")]
    assert len(runs) == 2 and runs[0].x1 < box.x0 and runs[1].x0 > box.x1  # the gap holds the words


def test_the_letters_draw_the_scissors_without_a_font_for_them(tmp_path: Path, monkeypatch) -> None:
    """No face with ✂: the letters' PDF draws it as lines at the cut line's left end."""
    monkeypatch.setattr(fonts.FontSet, "mark_face", lambda self, char, official: (None, "裁剪线上的“✂”：测试"))
    pdf = one_letter(tmp_path)
    ((_, cut_y),) = cut_lines(pdf)
    with pymupdf.open(pdf) as doc:
        assert not doc[0].search_for(g.LETTER_CUT_MARK)
        drawn = [d["rect"] for d in doc[0].get_drawings() if d["rect"].x1 * MM_PER_PT < LEFT_MM + 5]
    assert drawn and mark_middle(drawn) - cut_y == pytest.approx(0, abs=0.3)  # centred on the dashes


def test_the_docx_cut_line_is_one_paragraph_of_leader_tabs(tmp_path: Path) -> None:
    """The DOCX's cut line: ✂ in 小四 under the official 仿宋 name (no stand-in named), a tab to a
    centred and a tab to a right stop, both with hyphen leaders, the words between them in 小五."""
    doc = read_notice_text("正文: 通知。", tmp_path)
    doc = doc.model_copy(update={"receipt": doc.receipt.model_copy(update={"cut_text": "请沿此线剪下"})})
    with OutputSet(tmp_path / "out", force=False) as out:
        write_document(out, doc, "回执", kind="notice", source=tmp_path / "回执.yaml", formats=("docx",))
    with zipfile.ZipFile(tmp_path / "out" / "回执.docx") as zf:
        body = etree.fromstring(zf.read("word/document.xml"))
    (p,) = [p for p in body.iter(W + "p") if g.LETTER_CUT_MARK in "".join(p.itertext())]
    tabs = [(t.get(W + "val"), t.get(W + "leader")) for t in p.iter(W + "tab") if t.get(W + "val")]
    assert tabs == [("center", "hyphen"), ("right", "hyphen")]
    runs = [(("tab" if r.find(W + "tab") is not None else "".join(r.itertext())),
             r.find(f"{W}rPr/{W}rFonts").get(W + "eastAsia"), int(r.find(f"{W}rPr/{W}sz").get(W + "val")) / 2)
            for r in p.iter(W + "r")]
    assert runs == [(g.LETTER_CUT_MARK, g.FONT_FANGSONG, 12), ("tab", g.FONT_FANGSONG, 9),
                    ("\u3000请沿此线剪下\u3000", g.FONT_FANGSONG, 9), ("tab", g.FONT_FANGSONG, 9)]


def test_a_role_face_without_the_scissors_borrows_them_and_says_so_once(tmp_path: Path, monkeypatch, capsys) -> None:
    """The 仿宋 face without ✂ and another face with it: the PDF prints the ✂ from that face, said once."""
    other = fonts.resolve_fonts().face(g.FONT_HEITI)
    pdf = twice_said_once(other, "裁剪线上的“✂”：测试中改用另一字体", tmp_path, monkeypatch, capsys)
    with pymupdf.open(pdf) as document:
        spans = {s["text"]: s["font"] for b in document[0].get_text("dict")["blocks"] for line in b.get("lines", [])
                 for s in line["spans"]}
    # the ✂ in the 黑体 face (the slip's title's), not in the 仿宋 one (the slip's sentence's)
    assert spans[g.LETTER_CUT_MARK] == spans["回执"] != spans["已收到入学通知书，将按时报到。"]


def test_the_letters_cut_words_are_a_paragraph_of_their_own_on_the_template_page() -> None:
    """templates/letters: 沿虚线剪下，交回学校 is the cut block's cut_text, shown on the 模板 page as its own
    paragraph, named for where it is printed; cut_text on another block is refused in words."""
    source = template_path("letters/enrolment.yaml").read_text(encoding="utf-8")
    found = {s.key_path: s for s in sentences(source, "letters/enrolment.yaml")}
    assert found["slip[0].cut_text"].text == "沿虚线剪下，交回学校"
    assert found["slip[0].cut_text"].place == "回执的裁剪线上的文字"
    assert found["slip[0].text"].text == "入学通知书回执"
    data = {"title": "t", "file_label": "t", "blocks": [{"type": "paragraph", "text": "x", "cut_text": "剪下"}]}
    assert [p.message for p in spec_problems(data, "t.yaml")] == [
        "通知书模板格式错误：cut_text 只用于 type: cut 的块（印在裁剪线上的文字）"]
