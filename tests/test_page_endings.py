"""Issue 17 page rules, measured on both outputs (the PDF writer's PDF and the LibreOffice render of
the DOCX): the ending (附件说明, 署名, 日期, 附注) and closing signature lines never stand alone, and
at most two empty lines stay at the foot of a page text continues from — the page's pitch is
narrowed first (§7.3.5.4), else the fewest lines are carried over; table header rows never end a
page; 文号 never break; only a run-in heading's own sentence is 楷体; pasted web spaces go; short
table header words never split; a 版记 page with no blank page before it is numbered (§7.5)."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pymupdf
import pytest
from pdfmeasure import TextLine, full_width_count, text_lines
from test_page_rules import ONE_LINE, SIGNER, body_lines_on_first_page, content, layout_of, needs_soffice, notice

from kongchuo_docs import gbt9704 as g
from kongchuo_docs.layout.boxes import HEIGHT, PITCH, Gap, Line, Measures, TableBox
from kongchuo_docs.model import Attachment, Colophon, Document, PageBreak, Paragraph, SignFields, Table
from kongchuo_docs.readers.notice_yaml import read_notice
from kongchuo_docs.system.fonts import resolve_fonts
from kongchuo_docs.system.libreoffice import render_docx_to_pdf
from kongchuo_docs.writers.docx_writer import write_docx
from kongchuo_docs.writers.pdf_writer import write_pdf

DATE = "2026年9月1日"
TYPE_AREA_FOOT_MM = g.MARGIN_TOP_MM + g.TYPE_AREA_HEIGHT_MM  # 262 mm from the paper's top
PITCH_MM = g.pt_to_mm(PITCH)
RIGHT_EDGE_MM = g.MARGIN_LEFT_MM + g.TYPE_AREA_WIDTH_MM
# a line's box ends this far under its glyphs (baseline 80 % down the line, glyph box 0.2 em under it)
GLYPH_TO_LINE_FOOT_MM = g.pt_to_mm((1 - g.EXACT_LINE_BASELINE_FRACTION) * PITCH - 0.2 * g.BODY_SIZE_PT)


def rendered(doc: Document, tmp_path: Path) -> dict[str, Path]:
    """The PDF writer's PDF and the LibreOffice render of the DOCX, from one layout."""
    layout = layout_of(doc)
    write_pdf(doc, tmp_path / "doc.pdf", layout)
    write_docx(doc, tmp_path / "doc.docx", layout)
    return {"pdf": tmp_path / "doc.pdf", "docx": render_docx_to_pdf(tmp_path / "doc.docx", tmp_path / "render")}


def empty_lines_at_foot(lines: list[TextLine], page: int) -> float:
    """Grid lines left empty under the last text line of `page` (page number not counted)."""
    bottom = max(line.bottom for line in content(lines, page)) + GLYPH_TO_LINE_FOOT_MM
    return (TYPE_AREA_FOOT_MM - bottom) / PITCH_MM


def pages_of(lines: list[TextLine]) -> int:
    return max(line.page for line in lines)


def plain(text: str) -> str:
    return text.replace(" ", "")


def font_texts(pdf: Path, starts: str) -> dict[str, str]:
    """Text per font of the first line whose text starts with `starts`."""
    with pymupdf.open(pdf) as doc:
        blocks = [b for page in doc for b in page.get_text("dict")["blocks"]]
        for block in blocks:
            for line in block.get("lines", []):
                spans = [s for s in line["spans"] if s["text"].strip()]
                if spans and plain("".join(s["text"] for s in spans)).startswith(starts):
                    out: dict[str, str] = {}
                    for s in spans:
                        out[s["font"]] = out.get(s["font"], "") + plain(s["text"])
                    return out
    raise AssertionError(f"no line starting {starts!r}")


# ---------------------------------------------------------------- the 署名 that would fall alone


@needs_soffice
@pytest.mark.parametrize(("seal", "last_lines"), [(False, 3), (True, 1)])
def test_a_署名_that_would_fall_alone_takes_one_line_of_text_along(tmp_path: Path, seal: bool,
                                                                  last_lines: int) -> None:
    n = body_lines_on_first_page() + 22  # the last body line is the last line of page 2
    last = "段" * (28 * last_lines - 2)
    doc = notice([Paragraph(text=ONE_LINE)] * (n - last_lines) + [Paragraph(text=last)], seal=seal)
    for name, pdf in rendered(doc, tmp_path).items():
        lines = text_lines(pdf)
        date = next(line for line in lines if plain(line.text) == DATE)
        signer = next(line for line in lines if line.text == SIGNER)
        assert signer.page == date.page == 3, name
        above = [line for line in content(lines, 3) if line.top < signer.top]
        assert [plain(line.text) for line in above] == ["段" * 28 if last_lines > 1 else last], name  # one line
        assert sum(len(line.text) for line in lines if set(line.text) == {"段"}) == len(last), name
        assert empty_lines_at_foot(lines, 2) <= 1.2, name  # the carried line's place only
        if last_lines > 1:  # the paragraph's lines left on page 2 fill the width (DOCX: "distribute")
            kept = [line for line in content(lines, 2) if set(line.text) == {"段"}]
            assert len(kept) == last_lines - 1 and abs(kept[-1].x1 - RIGHT_EDGE_MM) < 0.6, name


# ---------------------------------------------------------------- the ending that used to empty a page


@needs_soffice
def test_an_ending_that_used_to_leave_five_empty_lines_fits_on_a_narrowed_page(tmp_path: Path) -> None:
    """Page 2 has 3 free lines; 署名 with seal, 日期 and 附注 take 5. Carrying the last 2-line
    paragraph left 5 empty lines at the foot of page 2; now page 2 is narrowed by two lines."""
    n = body_lines_on_first_page() + 17
    doc = notice([Paragraph(text=ONE_LINE)] * n + [Paragraph(text="段" * 54)], seal=True).model_copy(
        update={"note": "（此件公开发布）"})
    layout = layout_of(doc)
    assert layout.page_count == 2
    pitch = {pl.item.height_pt for pl in layout.pages[1].items if isinstance(pl.item, (Line, Gap))}
    assert pitch == {g.SQUEEZED_LINE_PITCH_MIN_TWIPS / g.TWIPS_PER_PT}
    for name, pdf in rendered(doc, tmp_path).items():
        lines = text_lines(pdf)
        assert pages_of(lines) == 2, name
        page = content(lines, 2)
        assert [plain(line.text) for line in page[-4:]] == ["段" * 26, "段" * 28, SIGNER, DATE] \
            or [plain(line.text) for line in page[-5:-1]] == ["段" * 26, "段" * 28, SIGNER, DATE], name
        assert plain(page[-1].text) == "（此件公开发布）", name  # the 附注 stays with its date
        steps = [b.top - a.top for a, b in itertools.pairwise(page) if b.top - a.top < 12]
        assert max(steps) < PITCH_MM - 0.5, name  # narrowed: more than 22 lines in the 版心
        assert page[-1].bottom <= TYPE_AREA_FOOT_MM, name


@needs_soffice
def test_a_署名_after_a_table_takes_the_table_s_last_row_along(tmp_path: Path) -> None:
    """A table ending at the foot of a page: its last row goes over with the 署名 (under the repeated
    header row), not the 署名 alone."""
    filler = [Paragraph(text=ONE_LINE)] * body_lines_on_first_page()
    for count in range(10, 40):  # the first row count whose table would end the page
        rows = [["序号", "项目"]] + [[str(i), f"数据{i}"] for i in range(1, count + 1)]
        doc = notice([*filler, Table(rows=rows)])
        layout = layout_of(doc)
        boxes = [pl.item for pl in layout.pages[-1].items if isinstance(pl.item, TableBox)]
        if boxes and boxes[0].keep_with_next:
            break
    else:
        raise AssertionError("no row count ends a page with the table")
    assert boxes[0].rows == (0, count)
    for name, pdf in rendered(doc, tmp_path).items():
        lines = text_lines(pdf)
        signer = next(line for line in lines if line.text == SIGNER)
        above = [plain(line.text) for line in content(lines, signer.page) if line.top < signer.top]
        assert above == ["序号项目", f"{count}数据{count}"], name
        assert any(plain(line.text) == f"{count - 1}数据{count - 1}" for line in content(lines, signer.page - 1)), name


# ---------------------------------------------------------------- long endings: 7 lines against 3–4 free

SHORT = "短" * (26 + 28 + 28 + 3)  # four lines, the last of 3 characters: three lines at 29 to the line
# the 版心 is 0.9 pt over 22 lines; a widened line's box reaches further under its glyphs (≤ 1.3 pt)
SPREAD_TOLERANCE = (HEIGHT - g.LINES_PER_PAGE * PITCH + 1.3) / PITCH


def long_ending(free_lines: int, last: list[Paragraph], *, seal: bool = False) -> Document:
    """Page 2 filled with text to `free_lines` above its foot, `last` its last paragraphs; then a
    7-line ending (附件说明 of two 附件, 署名, 日期, 附注; 8 with a seal)."""
    taken = sum(-(-(len(p.text) + 2) // 28) for p in last)
    body = [Paragraph(text=ONE_LINE)] * (body_lines_on_first_page() + 22 - free_lines - taken) + last
    return notice(body, seal=seal).model_copy(update={
        "attachments": [Attachment(number=i, title=f"附件标题第{i}个") for i in (1, 2)], "note": "（此件公开发布）"})


def same_pages(outputs: dict[str, Path]) -> list[TextLine]:
    """The text lines of the PDF, asserting the DOCX render has the same text on the same pages."""
    pages = {name: [(line.page, plain(line.text)) for line in text_lines(pdf)] for name, pdf in outputs.items()}
    assert pages["pdf"] == pages["docx"]
    return text_lines(outputs["pdf"])


@needs_soffice
def test_a_long_ending_stays_on_its_page_with_paragraphs_set_closer(tmp_path: Path) -> None:
    """4 free lines, a 7-line ending: narrowing the pitch gains 2 lines only; of two paragraphs ending
    in 3 characters the lower is set 29 to the line (调整字距, §7.3.5.4), a line less, and the ending
    stays. It used to move with one line of text and leave 5 empty lines at the foot of page 2."""
    doc = long_ending(4, [Paragraph(text=SHORT), Paragraph(text=SHORT), Paragraph(text=ONE_LINE)])
    layout = layout_of(doc)
    closer = {pl.item.spacing_twips for pl in layout.pages[1].items if isinstance(pl.item, Line)}
    assert closer == {g.BODY_CHAR_SPACING_TWIPS, g.char_spacing_twips(29)}
    outputs = rendered(doc, tmp_path)
    same_pages(outputs)
    for name, pdf in outputs.items():
        lines = text_lines(pdf)
        signer = next(line for line in lines if line.text == SIGNER)
        assert signer.page == 2 and pages_of(lines) == 4, name  # 附件1 and 附件2 on pages 3 and 4
        page = content(lines, 2)
        assert plain(page[-1].text) == "（此件公开发布）" and page[-1].bottom <= TYPE_AREA_FOOT_MM, name
        short = [len(plain(line.text)) for line in page if set(plain(line.text)) == {"短"}]
        assert short == [26, 28, 28, 3, 27, 29, 29], name  # the lower one set closer: 29 to the line
        assert abs(max(line.x1 for line in page if line.text.startswith("短")) - RIGHT_EDGE_MM) < 0.6, name


@needs_soffice
def test_a_paragraph_with_digits_and_latin_is_set_closer_alike_in_both_outputs(tmp_path: Path) -> None:
    """Of two paragraphs that would each take a line less set closer, the lower one holds digits, a
    phone number, a 文号 and Latin: it is set closer (it used to be left out, LibreOffice then
    breaking it otherwise), and the DOCX render breaks every line of it where the PDF does."""
    mixed = "混" * 30 + "2026年" + "混" * 10 + "0591-26831234（某教〔2014〕215号）" + "混" * 12 + "、APP" + "混" * 5
    doc = long_ending(4, [Paragraph(text=SHORT), Paragraph(text=mixed)])
    page = [pl.item for pl in layout_of(doc).pages[1].items if isinstance(pl.item, Line)]
    closer = [line.text for line in page if line.spacing_twips != g.BODY_CHAR_SPACING_TWIPS]
    assert closer == [line.text for line in page if "混" in line.text], closer  # the mixed paragraph
    lines = same_pages(rendered(doc, tmp_path))
    assert [plain(line.text) for line in lines if "混" in line.text] == closer


@needs_soffice
@pytest.mark.parametrize("free", [3, 4])
def test_a_long_ending_that_takes_a_line_along_leaves_at_most_two_empty_lines(tmp_path: Path, free: int) -> None:
    """3–4 free lines, an 8-line ending (with a seal), paragraphs of full lines: nothing to set closer,
    so the last line goes over with the ending, and page 2 is set wider (调整行距): at most 2 empty
    lines at its foot, where 4–5 used to stay."""
    doc = long_ending(free, [Paragraph(text="段" * 54)], seal=True)
    outputs = rendered(doc, tmp_path)
    same_pages(outputs)
    for name, pdf in outputs.items():
        lines = text_lines(pdf)
        signer = next(line for line in lines if line.text == SIGNER)
        assert signer.page == 3, name
        above = [plain(line.text) for line in content(lines, 3) if line.top < signer.top]
        assert above == ["段" * 28, "附件：1.附件标题第1个", "2.附件标题第2个"], name  # one line of text came along
        assert empty_lines_at_foot(lines, 2) <= g.SPREAD_EMPTY_LINES_MAX + SPREAD_TOLERANCE, name
        steps = {round(b.top - a.top, 1) for a, b in itertools.pairwise(content(lines, 2))}
        assert min(steps) > PITCH_MM and max(steps) <= g.pt_to_mm(g.SPREAD_LINE_PITCH_MAX_TWIPS / 20) + 0.1, name


# ---------------------------------------------------------------- 签字栏 and closing signature lines

SIGN_LABELS = ["校长（签名）", "班主任（签名）", "家长（签名）", "学生（签名）", "村委会（盖章）", "乡镇（盖章）"]
PARTIES = ["甲方（盖章）：　　　　　　　乙方（盖章）：", "代表签字：　　　　　　　　　代表签字：",
           "2026年9月1日　　　　　　　　2026年9月1日"]


def signed_plain(free_lines_on_page_2: int) -> Document:
    """Page 2 with a 6-field 签字栏 under its text, then a page of text filled to its foot and the
    甲方/乙方 lines after it (a 责任书's end)."""
    n = body_lines_on_first_page() + 22 - free_lines_on_page_2
    body = [Paragraph(text=ONE_LINE)] * n + [SignFields(labels=SIGN_LABELS), PageBreak()]
    body += [Paragraph(text=ONE_LINE)] * 22
    body += [Paragraph(text="", indent=False)]  # the blank line a 责任书 keeps above its party lines
    body += [Paragraph(text=t, indent=False, align="left", keep_with_next=i < 2) for i, t in enumerate(PARTIES)]
    return Document(format="plain", title="控辍保学目标责任书", body=body, date=dt.date(2026, 9, 1))


@needs_soffice
def test_sign_fields_and_closing_party_lines_never_stand_alone(tmp_path: Path) -> None:
    doc = signed_plain(5)  # 6 lines of 签字栏, 5 free: moving it left 5 empty lines
    for name, pdf in rendered(doc, tmp_path).items():
        lines = text_lines(pdf)
        fields = [line for line in lines if "签名）" in line.text or "盖章）：_" in line.text]
        assert {line.page for line in fields} == {2}, name  # the whole 签字栏 under its text
        assert len([line for line in content(lines, 3) if line.text == ONE_LINE]) == 21, name
        party = next(line for line in lines if line.text.startswith("甲方"))
        assert party.page == 4, name
        above = [line for line in content(lines, 4) if line.top < party.top]
        assert [line.text for line in above] == [ONE_LINE], name  # one line of text came along
        assert empty_lines_at_foot(lines, 3) <= 1.2, name


def test_no_bundled_agreement_ends_on_a_page_of_party_lines_alone() -> None:
    from kongchuo_docs.files.resources import sample_path
    from kongchuo_docs.kinds import agreement
    from kongchuo_docs.profile import load_profile

    profile = load_profile(sample_path("profile", "单位设置.yaml"))
    entries, _ = agreement.read_agreement_list(sample_path("cycle", "责任书名单.yaml"), profile)
    for entry in entries:
        layout = layout_of(agreement.agreement_document(entry))
        last = [pl.item for pl in layout.pages[-1].items if isinstance(pl.item, Line) and pl.item.text]
        party = next(i for i, line in enumerate(last) if line.text.startswith("甲方"))
        assert party > 0, (entry.party_b, [line.text for line in last])  # text above the party lines
        before = layout.pages[-2]
        assert (HEIGHT - before.used_pt) / PITCH <= 2 + 1e-6, entry.party_b


# ---------------------------------------------------------------- breaks and faces

PASTED = "各校要把\u00a0“控辍保学” 工作  落到实处，对6-15 周岁适龄儿童少年逐一摸排登记，确保不漏一人，建立台账。"
BREAKS_YAML = """\
格式: 文件
发文机关: 某某县教育局
发文字号: 某教综〔2026〕1号
标题: 关于测试断行与字体的通知
主送: 各学校：
正文: |
{body}
署名: 某某县教育局办公室
成文日期: 2026年9月1日
"""


def breaks_doc(tmp_path: Path) -> tuple[Document, list]:
    """A notice read from YAML: a 文号 at every position along a line, a run-in （一） item, a
    one-sentence （二） item, a pasted line with web spaces, then a table whose header would be
    the last row of a page."""
    body = [f"{'测' * k}按照（临教发〔2014〕215号）文件要求执行。" for k in range(10, 20)]
    body += ["（一）加强组织领导。各校要成立控辍保学工作领导小组，校长任组长，明确分管领导和责任人。",
             "（二）各校要在9月10日前完成学籍核查，并将结果报县教育局。", PASTED]
    source = tmp_path / "breaks.yaml"
    source.write_text(BREAKS_YAML.format(body="\n".join("  " + line for line in body)), encoding="utf-8")
    doc, warnings = read_notice(source)
    rows = [["序号", "目标指标", "目标值", "计算口径"]]
    rows += [[str(i), "适龄儿童少年入学率" + "（含随迁子女）" * 3, "100%", "已入学人数 ÷ 适龄人数"] for i in (1, 2)]
    table = Table(rows=rows, widths=[1, 4, 2.5, 6])
    for filler in range(30):  # the first filler count that leaves room for the header row only
        candidate = doc.model_copy(update={"body": [*doc.body, *[Paragraph(text=ONE_LINE)] * filler, table]})
        layout = layout_of(candidate)
        page = next(p for p in layout.pages if any(isinstance(pl.item, TableBox) for pl in p.items))
        box = next(pl for pl in page.items if isinstance(pl.item, TableBox))
        before = layout.pages[page.number - 2]
        header = box.item.row_heights_pt[0]
        if box.y_pt == 0 and HEIGHT - before.used_pt >= header:
            return candidate, warnings
    raise AssertionError("no filler puts the header row at a page foot")


@needs_soffice
def test_breaks_and_faces_in_both_outputs(tmp_path: Path) -> None:
    doc, warnings = breaks_doc(tmp_path)
    spaced = [w for w in warnings if "空格" in w.message]
    assert len(spaced) == 1 and "第 19 行" in spaced[0].message, warnings  # one warning, naming the line
    assert not any(" " in getattr(b, "text", "") or "\u00a0" in getattr(b, "text", "") for b in doc.body)
    for name, pdf in rendered(doc, tmp_path).items():
        lines = text_lines(pdf)
        numbered = [plain(line.text) for line in lines if "215" in line.text]
        assert len(numbered) == 10 and all("〔2014〕215号" in t for t in numbered), (name, numbered)
        body_font = set(font_texts(pdf, "测" * 10))
        run_in = font_texts(pdf, "（一）")
        (kai,) = set(run_in) - body_font
        assert run_in[kai] == "（一）加强组织领导。", name  # only the heading sentence in 楷体
        assert set(font_texts(pdf, "（二）")) == body_font, name  # a one-sentence item: body type
        pasted = next(line for line in lines if line.text.startswith("各校要把"))
        cleaned = "".join(PASTED.replace("\u00a0", " ").split())
        assert cleaned.startswith(plain(pasted.text)), (name, pasted.text)  # no space kept
        assert full_width_count(plain(pasted.text)) >= 25 and abs(pasted.x1 - RIGHT_EDGE_MM) < 0.6, name
        header = next(line for line in lines if "目标指标" in line.text)  # the cells of a row share a line
        assert plain(header.text).startswith("序号目标指标"), (name, header.text)  # "序号" not split
        assert any(plain(line.text).startswith("1100%") for line in content(lines, header.page)), name


# ---------------------------------------------------------------- §7.5 版记 page after text


@needs_soffice
def test_a_colophon_page_straight_after_the_text_carries_its_number(tmp_path: Path) -> None:
    doc = notice([Paragraph(text=ONE_LINE)] * (body_lines_on_first_page() + 30)).model_copy(
        update={"colophon": Colophon(cc=["县政府办"], printer="某某县教育局办公室", print_date=dt.date(2026, 9, 1))})
    layout = layout_of(doc)
    assert [p.role for p in layout.pages] == ["content", "content", "content", "colophon"]
    for name, pdf in rendered(doc, tmp_path).items():
        lines = text_lines(pdf)
        numbers = {line.page: plain(line.text) for line in lines if line.text.startswith("—")}
        assert numbers == {n: plain(g.page_number_text(n)) for n in (1, 2, 3, 4)}, name
        assert {line.page for line in lines if "印发" in line.text} == {4}, name
        assert not [line for line in content(lines, 4) if line.text == ONE_LINE], name  # the 版记 alone


# ---------------------------------------------------------------- the reader's part: spaces and item faces


def test_pasted_spaces_are_removed_with_one_warning_naming_every_line() -> None:
    from kongchuo_docs.errors import Location, Problems
    from kongchuo_docs.readers.body_text import SourceLine, parse_body

    texts = ["各校要把\u00a0“控辍保学” 工作落实。", "普通的一段。", "对6-15 周岁儿童  逐一摸排。",
             "填报时间：\u3000\u3000年\u3000\u3000月", "1. 落实责任。各校要……", "使用 Microsoft  Word 编辑。"]
    problems = Problems()
    blocks = parse_body([SourceLine(t, Location("正文.yaml", line=n)) for n, t in enumerate(texts, start=10)],
                        problems)
    assert [getattr(b, "text", "") + (getattr(b, "run_in", None) or "") for b in blocks] == [
        "各校要把“控辍保学”工作落实。", "普通的一段。", "对6-15周岁儿童逐一摸排。",
        "填报时间：  年  月",  # typed ideographic blanks stay (as before: plain spaces)
        "1.落实责任。各校要……", "使用Microsoft Word编辑。"]  # the type spaces Chinese from Latin itself
    (warning,) = problems.warnings
    assert warning.location.line == 10 and "第 10、12、15 行" in warning.message


@pytest.mark.parametrize(("line", "heading", "run_in"), [
    ("（一）加强组织领导。各校要成立领导小组。", "（一）加强组织领导。", "各校要成立领导小组。"),
    ("（二）加强学籍管理", "（二）加强学籍管理", None),
    ("（三）提高教育教学质量，促进学生充分发展", "（三）提高教育教学质量，促进学生充分发展", None),
    ("（四）严格执行报告制度。", "（四）严格执行报告制度。", None),
    ("（五）各校要在9月10日前完成学籍核查，并将结果报县教育局。", None, None),
])
def test_only_a_heading_sentence_is_set_in_the_heading_face(line: str, heading: str | None,
                                                           run_in: str | None) -> None:
    from kongchuo_docs.errors import Location, Problems
    from kongchuo_docs.model import Heading
    from kongchuo_docs.readers.body_text import SourceLine, parse_body

    number = "一二三四五".index(line[1]) + 1
    lines = [f"（{'一二三四五'[i]}）项目。" for i in range(number - 1)] + [line]
    block = parse_body([SourceLine(t, Location("正文.yaml", line=1)) for t in lines], Problems())[-1]
    if heading is None:  # one sentence with a comma: a numbered paragraph in body type
        assert isinstance(block, Paragraph) and block.text == line
    else:
        assert isinstance(block, Heading) and (block.text, block.run_in) == (heading, run_in)


def test_a_short_header_word_never_splits_in_the_agreement_table() -> None:
    from kongchuo_docs.layout.text import break_lines

    table = Table(rows=[["序号", "目标指标", "目标值", "计算口径"], ["1", "辍学率", "0%", "辍学人数 ÷ 在校生数"]],
              widths=[1, 4, 2.5, 6])
    layout = layout_of(notice([table]))
    box = next(pl.item for p in layout.pages for pl in p.items if isinstance(pl.item, TableBox))
    measures = Measures.from_fonts(resolve_fonts())
    for cell, width in zip(table.rows[0], box.column_widths_pt, strict=True):
        assert break_lines(cell, width - 2 * g.TABLE_CELL_MARGIN_PT, measures.table) == [cell]
