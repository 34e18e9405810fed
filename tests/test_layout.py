"""Line breaking (禁则), title shaping and pagination (版记 on an even page)."""

from __future__ import annotations

import datetime as dt

import pytest

from kongchuo_docs import gbt9704 as g
from kongchuo_docs.layout.boxes import Layout, Line
from kongchuo_docs.layout.pages import layout_document
from kongchuo_docs.layout.text import LineMemo, body_measure, break_lines, em_measure, units
from kongchuo_docs.layout.title import shape_title
from kongchuo_docs.model import Attachment, Colophon, Document, Paragraph, Signature, Table

WIDTH = g.TYPE_AREA_WIDTH_PT


def test_units_keep_punctuation_with_their_neighbours() -> None:
    expected = ["《教", "育", "法》、", "（一）", "2020", "年", "“零", "起", "点”"]
    assert units("《教育法》、（一）2020年“零起点”") == expected


def test_full_lines_hold_28_characters() -> None:
    text = "控" * 60
    lines = break_lines(text, WIDTH, body_measure())
    assert [len(line) for line in lines] == [28, 28, 4]


@pytest.mark.parametrize("mark", sorted("。，、；：？！）》”"))
def test_no_closing_mark_starts_a_line(mark: str) -> None:
    text = "字" * 28 + mark + "后" * 10
    lines = break_lines(text, WIDTH, body_measure())
    assert all(line[0] not in g.NO_LINE_START for line in lines[1:])
    assert lines[0] == "字" * 27  # push-out: the last character goes down with the mark


@pytest.mark.parametrize("mark", sorted("（《“"))
def test_no_opening_mark_ends_a_line(mark: str) -> None:
    text = "字" * 27 + mark + "后" * 10
    lines = break_lines(text, WIDTH, body_measure())
    assert all(line[-1] not in g.NO_LINE_END for line in lines)


def test_numbers_are_never_split_and_half_width_counts_half() -> None:
    lines = break_lines("字" * 25 + "2020年", WIDTH, em_measure(16))  # 400 + 32 pt fit, 年 does not
    assert lines == ["字" * 25 + "2020", "年"]
    assert break_lines("字" * 26 + "2020年", WIDTH, em_measure(16)) == ["字" * 26, "2020年"]


def test_autospace_counts_where_chinese_meets_digits() -> None:
    measure = em_measure(16)
    without = break_lines("字" * 25 + "12年", WIDTH, measure)
    with_space = break_lines("字" * 25 + "12年", WIDTH, measure, autospace_pt=6.0)  # 432 pt + 2 × 6 pt
    assert without == ["字" * 25 + "12年"]
    assert with_space == ["字" * 25 + "12", "年"]


def test_title_shaped_as_trapezoid_without_splitting_words() -> None:
    lines = shape_title("罗源县关于印发进一步加强控辍保学工作实施方案的通知", WIDTH, em_measure(22))
    assert lines == ["罗源县关于印发进一步加强控辍保学", "工作实施方案的通知"]
    assert all(len(line) * 22 <= WIDTH for line in lines)


def test_title_never_breaks_inside_a_book_title_when_avoidable() -> None:
    book = "《福建省教育厅关于控辍保学工作的通知》"  # 19 characters: fits one line of 22 pt
    lines = shape_title(f"罗源县教育局关于转发{book}的通知", WIDTH, em_measure(22))
    assert book in lines


def doc_with(paragraphs: int, *, colophon: bool = True) -> Document:
    return Document(
        issuers=["罗源县教育局"], doc_number="罗教综〔2020〕1号", title="关于测试分页的通知",
        recipients="各学校：", body=[Paragraph(text="测" * 26) for _ in range(paragraphs)],
        signatures=[Signature(name="罗源县教育局")], date=dt.date(2020, 9, 10),
        colophon=Colophon(printer="罗源县教育局办公室", print_date=dt.date(2020, 9, 10)) if colophon else None,
    )


def body_lines_on(layout: Layout, number: int) -> int:
    page = layout.pages[number - 1]
    return sum(1 for p in page.items if isinstance(p.item, Line) and p.item.role == "body")


def test_full_pages_hold_22_lines() -> None:
    layout = layout_document(doc_with(60))
    assert body_lines_on(layout, 2) == 22


def test_colophon_on_an_even_page_with_room() -> None:
    layout = layout_document(doc_with(20))  # ends on page 2 with room left
    assert layout.page_count == 2
    assert layout.pages[-1].colophon is not None and layout.pages[-1].numbered


def test_odd_ending_gets_a_numbered_colophon_page() -> None:
    layout = layout_document(doc_with(40))  # content ends on page 3
    assert layout.page_count == 4
    last = layout.pages[-1]
    assert last.role == "colophon" and last.colophon is not None
    assert all(p.numbered for p in layout.pages)  # §7.5: no blank page before it, so it has its number


def test_full_even_page_gets_a_blank_page_then_the_colophon() -> None:
    for n in range(25, 40):  # find a document whose content fills page 2 to the bottom
        layout = layout_document(doc_with(n))
        if layout.pages[1].role == "content" and layout.page_count == 4 and layout.pages[2].role == "blank":
            break
    else:
        pytest.fail("no paragraph count filled page 2")
    assert [p.role for p in layout.pages] == ["content", "content", "blank", "colophon"]
    assert [p.numbered for p in layout.pages] == [True, True, False, False]


def test_attachment_starts_a_new_page_with_its_label() -> None:
    doc = doc_with(2).model_copy(update={"attachments": [
        Attachment(title="名单", blocks=[Table(rows=[["序号", "姓名"], ["1", "张三"]])])]})
    layout = layout_document(doc)
    page = layout.pages[1]
    first = page.items[0].item
    assert isinstance(first, Line) and first.text == "附件" and first.font == g.FONT_HEITI
    assert layout.page_count % 2 == 0


def test_several_attachment_notes_align_under_the_first_name() -> None:
    doc = doc_with(1).model_copy(update={"attachments": [
        Attachment(number=1, title="名单"), Attachment(number=2, title="统计表")]})
    layout = layout_document(doc)
    notes = [p.item for p in layout.pages[0].items
             if isinstance(p.item, Line) and p.item.role == "attachment-note"]
    assert [n.text for n in notes] == ["附件：1. 名单", "2. 统计表"]
    char = g.BODY_CHAR_PITCH_PT
    assert notes[0].indent_pt == 2 * char and notes[1].indent_pt == 5 * char  # under "1." after "附件："


def test_plain_format_opens_with_the_title() -> None:
    doc = doc_with(1).model_copy(update={"format": "plain"})
    layout = layout_document(doc)
    first = layout.pages[0].items[0]
    assert first.y_pt == 0 and first.item.role == "title"
    assert not [p for p in layout.pages[0].items if getattr(p.item, "role", "") in ("mark", "red-rule", "doc-number")]


def test_plain_document_without_signatures_has_no_date_line() -> None:
    doc = doc_with(1).model_copy(update={"format": "plain", "signatures": [], "colophon": None})
    roles = [p.item.role for page in layout_document(doc).pages for p in page.items if isinstance(p.item, Line)]
    assert "date" not in roles and "signature" not in roles


def test_landscape_plain_document() -> None:
    doc = doc_with(1).model_copy(update={"format": "plain", "landscape": True, "colophon": None})
    assert all(p.landscape for p in layout_document(doc).pages)
    with pytest.raises(ValueError, match="横排"):
        Document(**{**doc_with(1).model_dump(), "landscape": True})


def test_keep_with_next_moves_signature_lines_together() -> None:
    signature = [Paragraph(text=t, indent=False, keep_with_next=True) for t in ("甲方（盖章）", "负责人（签字）")]
    signature.append(Paragraph(text="日期：", indent=False))
    for filler in range(14, 24):  # find a body whose last line leaves room for one or two lines only
        doc = doc_with(filler).model_copy(update={"body": doc_with(filler).body + signature})
        layout = layout_document(doc)
        pages_of = {p.item.text: page.number for page in layout.pages for p in page.items
                    if isinstance(p.item, Line) and p.item.text in ("甲方（盖章）", "负责人（签字）", "日期：")}
        assert len(set(pages_of.values())) == 1, (filler, pages_of)


def test_table_caption_stays_with_the_header_row() -> None:
    table = Table(rows=[["乡镇", "入学率"], ["凤山镇", "100%"]], caption="表1 各乡镇入学率")
    doc = doc_with(1).model_copy(update={"body": [table]})
    items = [p.item for p in layout_document(doc).pages[0].items]
    caption = next(i for i in items if isinstance(i, Line) and i.role == "caption")
    assert caption.text == "表1 各乡镇入学率" and caption.align == "center" and caption.keep_with_next


def test_recto_issued_document_starts_on_an_odd_page() -> None:
    from kongchuo_docs.model import IssuedDocument

    issued = [IssuedDocument(title=f"第{i}份", blocks=[Paragraph(text="测" * 26)], recto=True) for i in range(2)]
    doc = doc_with(1).model_copy(update={"issued": issued, "colophon": None})
    layout = layout_document(doc)
    starts = [page.number for page in layout.pages for p in page.items
              if isinstance(p.item, Line) and p.item.role == "issued-title"]
    assert starts == [3, 5]
    assert layout.pages[1].items == [] and layout.pages[3].items == []  # blank backs


def test_a_word_wider_than_the_line_is_split_and_nothing_overflows() -> None:
    measure = em_measure(14)
    lines = break_lines("编号KC2020-0001-ABCDEFG说明", 60.0, measure)
    assert "".join(lines) == "编号KC2020-0001-ABCDEFG说明"
    assert all(measure(line) <= 60.0 + 0.01 for line in lines)


class _Walked(dict[str, float]):
    """A `break_lines` widths cache that counts the units the fill walks (it looks each one up)."""

    walked = 0

    def get(self, unit: str, default: float | None = None) -> float | None:  # type: ignore[override]
        self.walked += 1
        return super().get(unit, default)


@pytest.mark.parametrize(
    ("width", "indent", "autospace", "run_end"),
    [
        (WIDTH, 2 * g.BODY_SIZE_PT, g.AUTOSPACE_EM * g.BODY_SIZE_PT, 0.0),  # a letter's paragraph
        (173.0, 0.0, g.AUTOSPACE_EM * g.BODY_SIZE_PT, 0.0),  # a narrow column: many lines, few seams each
        (WIDTH, 2 * g.BODY_SIZE_PT, 0.0, 0.0),
        (WIDTH, -g.BODY_SIZE_PT, g.AUTOSPACE_EM * g.BODY_SIZE_PT, 0.6),  # hanging, with run ends
    ],
)
def test_a_paragraph_resumed_from_the_one_before_breaks_as_if_broken_whole(
    width: float, indent: float, autospace: float, run_end: float
) -> None:
    """Letters' paragraphs share their beginning and often their end: `LineMemo` resumes at a seam of
    the shared beginning and takes a known ending; the lines are those of breaking each text whole,
    whatever the names, digits, Latin words and marks in between, and most units are not walked again."""
    import random

    rng = random.Random(7)
    pieces = ["林", "佳萱", "欧阳", "（女，", "2019年11月8日", "）", "ID2019-A", "“零起点”", "——", "，", "。", "、",
              "中房中心小学", " ", "350123201911180899", "《教育法》", "abc", "（", "x"]  # fmt: skip
    head = "根据《中华人民共和国义务教育法》第五条第二款、第十一条第一款规定，您的孩子"
    tail = "应于2026—2027学年度入读中心小学一年级，请按时报到，并带齐户口簿、出生医学证明等材料。"
    measure = body_measure()
    memo, seen = LineMemo(), _Walked()
    units_in_texts = 0
    text = head + tail
    for _ in range(600):
        middle = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        if rng.random() < 0.3:  # parts from the text before anywhere, even inside a number or a word
            text = text[: rng.randrange(len(text))] + middle + tail
        else:
            start = rng.choice([head, head, head, head[5:], head[:30] + rng.choice(pieces) + head[30:]])
            end = rng.choice([tail, tail, tail, tail[:-9] + rng.choice(pieces) + tail[-9:], tail * 2])
            text = start + middle + end
        whole = break_lines(text, width, measure, indent, autospace, run_end)
        assert break_lines(text, width, measure, indent, autospace, run_end, seen=seen, memo=memo) == whole, text
        units_in_texts += len(units(text))
    assert seen.walked < 0.7 * units_in_texts  # the shortcuts were taken (without them: every unit, 1.0)


@pytest.mark.parametrize(
    ("width", "indent", "run_end"), [(WIDTH, 2 * g.BODY_SIZE_PT, 0.0), (173.0, 0.0, 0.0), (120.0, -g.BODY_SIZE_PT, 0.6)]
)
def test_a_paragraph_parting_from_the_one_before_anywhere_breaks_as_if_broken_whole(
    width: float, indent: float, run_end: float
) -> None:
    """Each text keeps a random beginning of the one before and goes on at random: it parts inside a
    number, a Latin word or a run of marks as often as between ideographs. Where it parts, the units
    before may differ ("2019." then "年", "2019.5"; "v1-" then "佳", "v1-x"): the memo resumes only at
    a seam, where they cannot, so the lines are those of breaking each text whole."""
    import random

    rng = random.Random(3)
    pieces = ["林", "佳萱", "（女，", "）", "ID2019-A", "“零起点”", "——", "，", "。", "、", "中房", " ", "350123",
              "《教育法》", "abc", "（", "x", "2019.", "5", "v1-", "年", "%", ".", "-"]  # fmt: skip
    measure, autospace = body_measure(), g.AUTOSPACE_EM * g.BODY_SIZE_PT
    memo = LineMemo()
    text = "您的孩子"
    for _ in range(3000):
        text = text[: rng.randrange(len(text) + 1)][-120:]
        text += "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        whole = break_lines(text, width, measure, indent, autospace, run_end)
        assert break_lines(text, width, measure, indent, autospace, run_end, memo=memo) == whole, text
