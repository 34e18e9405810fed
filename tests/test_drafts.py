"""Drafts → 公文: each draft generated the way Word/WPS, Notepad or a Markdown editor saves it,
read, its outline asserted, and built through the same pipeline as a YAML input."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import draftmaker as dm
import pytest

from kongchuo_docs.errors import Location
from kongchuo_docs.model import Heading, Image, Table
from kongchuo_docs.readers.draft import DraftDefaults, DraftReading, read_draft
from kongchuo_docs.readers.draft_docx import _format_number

ORGAN = "古田县教育局"
TITLE = "古田县教育局关于做好2026年春季学期控辍保学工作的通知"
RECIPIENTS = "各乡（镇）中心学校，县直各学校："
OPENING = "为做好2026年春季学期控辍保学工作，确保适龄儿童少年依法接受义务教育，现将有关事项通知如下。"
BODY = "各校要落实控辍保学工作责任，开学后一周内完成学生到校情况排查，对未到校学生逐一登记。"
RUN_IN = "落实职责。根据县政府要求，各校校长为控辍保学第一责任人，班主任为直接责任人。"
CLOSING = "特此通知。"
DATE = "2026年3月2日"


@dataclass
class Expect:
    title: str = TITLE
    recipients: str | None = RECIPIENTS
    headings: list[tuple[int, str]] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    signatures: list[str] = field(default_factory=lambda: [ORGAN])
    date: dt.date = dt.date(2026, 3, 2)
    cc: list[str] = field(default_factory=list)
    printer: str | None = None
    warnings: list[str] = field(default_factory=list)  # a part of each expected warning
    tables: int = 0
    images: int = 0


def read(path: Path, tmp_path: Path, **kw) -> DraftReading:
    return read_draft(path, tmp_path / "work", defaults=DraftDefaults(issuer=ORGAN), **kw)


def assert_outline(reading: DraftReading, expect: Expect) -> None:
    assert not reading.errors, [str(p) for p in reading.errors]
    doc = reading.document
    assert doc is not None
    assert doc.title == expect.title
    assert doc.recipients == expect.recipients
    assert [(b.level, b.text) for b in doc.body if isinstance(b, Heading)] == expect.headings
    assert [a.title for a in doc.attachments] == expect.attachments
    assert [s.name for s in doc.signatures] == expect.signatures
    assert doc.date == expect.date
    assert (doc.colophon.cc if doc.colophon else []) == expect.cc
    assert (doc.colophon.printer if doc.colophon else None) == expect.printer
    assert_blocks_and_warnings([*doc.body, *(b for a in doc.attachments for b in a.blocks)], reading, expect)


def assert_blocks_and_warnings(blocks: list, reading: DraftReading, expect: Any) -> None:
    """`expect.tables` tables and `expect.images` pictures among `blocks`; a warning holding each of
    `expect.warnings`."""
    assert sum(isinstance(b, Table) for b in blocks) == expect.tables
    assert sum(isinstance(b, Image) for b in blocks) == expect.images
    messages = [str(p) for p in reading.warnings]
    for part in expect.warnings:
        assert any(part in m for m in messages), (part, messages)


# ------------------------------------------------------------------ the drafts


def auto_numbering(path: Path) -> Expect:
    """Word automatic numbering: 一、 and （一） are in numbering.xml, not in the text."""
    doc = dm.new()
    dm.title(doc, TITLE)
    dm.para(doc, RECIPIENTS)
    dm.para(doc, OPENING)
    outline = dm.numbering(doc, [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")])
    dm.numbered(doc, "总体要求", outline, 0)
    dm.para(doc, BODY)
    dm.numbered(doc, "工作措施", outline, 0)
    dm.numbered(doc, "加强排查", outline, 1)
    dm.para(doc, BODY)
    dm.numbered(doc, "强化劝返", outline, 1)
    dm.numbered(doc, RUN_IN, outline, 2)
    dm.numbered(doc, "保障措施", outline, 0)
    dm.para(doc, BODY)
    dm.para(doc, CLOSING)
    dm.signature(doc, ORGAN, date=DATE)
    dm.save(doc, path)
    return Expect(headings=[(1, "一、总体要求"), (1, "二、工作措施"), (2, "（一）加强排查"), (2, "（二）强化劝返"),
                            (3, "1.落实职责。"), (1, "三、保障措施")])


def manual_numbering(path: Path) -> Expect:
    """Numbers typed by hand, a run-in heading, runs in different fonts, blank paragraphs between."""
    doc = dm.new()
    dm.title(doc, TITLE)
    dm.para(doc)
    dm.para(doc, RECIPIENTS)
    dm.para(doc, OPENING, runs=[OPENING[:10], OPENING[10:30], OPENING[30:]])
    dm.para(doc, "一、总体要求")
    dm.para(doc, BODY)
    dm.para(doc)
    dm.para(doc, "二、工作措施")
    dm.para(doc, "（一）加强排查")
    dm.para(doc, "1. " + RUN_IN)
    dm.para(doc, "（1）建立台账")
    dm.para(doc, BODY)
    dm.para(doc, CLOSING)
    dm.para(doc)
    dm.signature(doc, ORGAN, date=DATE)
    dm.save(doc, path)
    return Expect(headings=[(1, "一、总体要求"), (1, "二、工作措施"), (2, "（一）加强排查"), (3, "1.落实职责。"),
                            (4, "（1）建立台账")])


def wps_styles(path: Path) -> Expect:
    """Formatting through named paragraph styles (WPS), the title over two styled paragraphs."""
    doc = dm.new()
    title_style = dm.style(doc, "公文标题", align=dm.CENTER, bold=True, size=22)
    sign_style = dm.style(doc, "落款", align=dm.RIGHT)
    dm.para(doc, TITLE[:18], style=title_style)
    dm.para(doc, TITLE[18:], style=title_style)
    dm.para(doc, "各乡（镇）中心学校：")
    dm.para(doc, OPENING)
    dm.para(doc, "一、总体要求")
    dm.para(doc, BODY)
    dm.para(doc, CLOSING)
    dm.para(doc, ORGAN, style=sign_style)
    dm.para(doc, DATE, style=sign_style)
    dm.save(doc, path)
    return Expect(recipients="各乡（镇）中心学校：", headings=[(1, "一、总体要求")])


def table_attachment(path: Path) -> Expect:
    """附件 after the date: a table with a merged header cell; 附件说明 names it."""
    doc = dm.new()
    dm.title(doc, TITLE)
    dm.para(doc, RECIPIENTS)
    dm.para(doc, OPENING)
    dm.para(doc, BODY)
    dm.para(doc, "附件：疑似辍学学生名单")
    dm.signature(doc, ORGAN, date=DATE)
    dm.para(doc, "附件")
    dm.para(doc, "疑似辍学学生名单", align=dm.CENTER)
    dm.table(doc, [["序号", "姓名", "学校", ""], ["1", "张某某", "古田一中", "外出务工"],
                   ["2", "李某某", "古田二中", "厌学"]], merge=(0, 2, 0, 3))
    dm.save(doc, path)
    return Expect(attachments=["疑似辍学学生名单"], tables=1, warnings=["合并单元格"])


def tracked_changes(path: Path) -> Expect:
    """Revisions still marked: insertions kept, deletions dropped; a comment is ignored."""
    doc = dm.new()
    dm.title(doc, TITLE)
    dm.para(doc, RECIPIENTS)
    dm.tracked(doc, "各校要落实控辍保学工作责任，", "开学后一周内", "两周内", "完成学生到校情况排查。")
    p = dm.para(doc, BODY)
    doc.add_comment(p.runs, text="请核实时间", author="李四")
    dm.para(doc, CLOSING)
    dm.signature(doc, ORGAN, date=DATE)
    dm.save(doc, path)
    return Expect(warnings=["接受全部修订", "1 处插入", "1 处删除"])


def gbk_text(path: Path) -> Expect:
    """A Notepad .txt in GBK: one line per paragraph, the signature indented with spaces."""
    lines = [TITLE, RECIPIENTS, OPENING, "一、总体要求", BODY, "二、工作措施", BODY, CLOSING,
             "                                        " + ORGAN, "                                      " + DATE]
    path.write_bytes("\r\n".join(lines).encode("gbk"))
    return Expect(headings=[(1, "一、总体要求"), (1, "二、工作措施")])


def markdown(path: Path) -> Expect:
    """A Markdown draft: # title, **bold** marks dropped, a table and a picture in the body; a picture
    outside the draft's folder is not read (and said)."""
    (path.parent / "流程图.png").write_bytes(dm.png())
    path.write_text(
        f"# {TITLE}\n\n{RECIPIENTS}\n\n{OPENING}\n\n一、**总体要求**\n\n{BODY}\n\n"
        "| 学段 | 目标 |\n| --- | --- |\n| 小学 | 100% |\n| 初中 | 99% |\n\n![劝返流程](流程图.png)\n\n"
        f"![外部](../../etc/图.png)\n\n{CLOSING}\n\n{ORGAN}\n{DATE}\n", encoding="utf-8")
    return Expect(headings=[(1, "一、总体要求")], tables=1, images=1,
                  warnings=[f"{path.name}:18: 图片未读取（应为草稿所在文件夹中的图片文件）（../../etc/图.png）"])


def two_line_title(path: Path) -> Expect:
    """A title over two centred lines plus one broken with Shift+Enter, joined; a soft break in the body."""
    doc = dm.new()
    dm.soft_break(doc, TITLE[:10], TITLE[10:22], align=dm.CENTER, size=22)
    dm.para(doc, TITLE[22:], align=dm.CENTER, size=22)
    dm.para(doc, RECIPIENTS)
    dm.soft_break(doc, OPENING[:20], OPENING[20:])
    dm.para(doc, CLOSING)
    dm.signature(doc, ORGAN, date=DATE)
    dm.save(doc, path)
    return Expect()


def joint_signature(path: Path) -> Expect:
    """联合行文: two organs sign, the date under them, indented rather than right-aligned."""
    doc = dm.new()
    dm.title(doc, "古田县教育局 古田县民政局关于做好困境儿童控辍保学工作的通知")
    dm.para(doc, RECIPIENTS)
    dm.para(doc, OPENING)
    dm.para(doc, CLOSING)
    for line in ("古田县教育局", "古田县民政局", DATE):
        dm.para(doc, line, indent_mm=90)
    dm.save(doc, path)
    return Expect(title="古田县教育局 古田县民政局关于做好困境儿童控辍保学工作的通知",
                  signatures=["古田县教育局", "古田县民政局"])


def notes_over_lines(path: Path) -> Expect:
    """附件说明 over three lines; two text 附件 after the date, each starting "附件N"."""
    doc = dm.new()
    dm.title(doc, TITLE)
    dm.para(doc, RECIPIENTS)
    dm.para(doc, OPENING)
    dm.para(doc, BODY)
    dm.para(doc, "附件：1. 控辍保学工作责任清单")
    dm.para(doc, "2. 劝返复学工作流程")
    dm.signature(doc, ORGAN, date=DATE)
    dm.para(doc, "附件1")
    dm.para(doc, "控辍保学工作责任清单", align=dm.CENTER, bold=True)
    dm.para(doc, "一、县教育局负责统筹全县控辍保学工作。")
    dm.para(doc, "附件2")
    dm.para(doc, "劝返复学工作流程", align=dm.CENTER, bold=True)
    dm.para(doc, BODY)
    dm.save(doc, path)
    return Expect(attachments=["控辍保学工作责任清单", "劝返复学工作流程"])


def colophon_lines(path: Path) -> Expect:
    """抄送 and "…印发" lines at the end become the 版记."""
    doc = dm.new()
    dm.title(doc, TITLE)
    dm.para(doc, RECIPIENTS)
    dm.para(doc, OPENING)
    dm.para(doc, CLOSING)
    dm.signature(doc, ORGAN, date=DATE)
    dm.para(doc, "抄送：县人民政府办公室，县人民政府教育督导室。")
    dm.para(doc, "古田县教育局办公室          2026年3月2日印发")
    dm.save(doc, path)
    return Expect(cc=["县人民政府办公室", "县人民政府教育督导室"], printer="古田县教育局办公室")


def pictures(path: Path) -> Expect:
    """A picture in the body is kept; a text box is reported as not read."""
    doc = dm.new()
    dm.title(doc, TITLE)
    dm.para(doc, RECIPIENTS)
    dm.para(doc, OPENING)
    dm.picture(doc, dm.png(), 100)
    dm.text_box(doc, "此处为文本框")
    dm.para(doc, CLOSING)
    dm.signature(doc, ORGAN, date=DATE)
    dm.save(doc, path)
    return Expect(images=1, warnings=["文本框或图形中的文字未读取"])


def variants(path: Path) -> Expect:
    """一. / (一) / 1、 / half-width commas: corrected, each with a warning naming its paragraph;
    a date in Chinese numerals becomes Arabic."""
    doc = dm.new()
    dm.title(doc, TITLE)
    dm.para(doc, RECIPIENTS)
    dm.para(doc, "一.总体要求")
    dm.para(doc, "各校要落实控辍保学责任,确保适龄儿童少年全部入学。")
    dm.para(doc, "(一)加强排查")
    dm.para(doc, "1、建立台账")
    dm.para(doc, CLOSING)
    dm.signature(doc, ORGAN, date="二〇二六年三月二日")
    dm.save(doc, path)
    return Expect(headings=[(1, "一、总体要求"), (2, "（一）加强排查"), (3, "1.建立台账")],
                  warnings=["第 3 段 正文: 1级标题序号应写作“一、”", "第 4 段 正文: 中文中使用了半角标点 ,",
                            "第 5 段 正文: 中文中使用了半角标点 ()", "第 6 段 正文: 3级标题序号应写作“1.”",
                            "第 9 段 成文日期: 日期用阿拉伯数字"])


DRAFTS = {
    "自动编号.docx": auto_numbering,
    "手工编号.docx": manual_numbering,
    "WPS样式.docx": wps_styles,
    "表格附件.docx": table_attachment,
    "修订.docx": tracked_changes,
    "记事本.txt": gbk_text,
    "草稿.md": markdown,
    "两行标题.docx": two_line_title,
    "联合行文.docx": joint_signature,
    "附件说明.docx": notes_over_lines,
    "版记.docx": colophon_lines,
    "图片.docx": pictures,
    "不规范写法.docx": variants,
}


@pytest.mark.parametrize("name", DRAFTS)
def test_each_draft_is_recognised(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    expect = DRAFTS[name](path)
    before = path.read_bytes()
    assert_outline(read(path, tmp_path), expect)
    assert path.read_bytes() == before  # the draft is only read


def test_twelve_or_more_drafts() -> None:
    assert len(DRAFTS) >= 12


# ------------------------------------------------------------------ details of recognition


def test_automatic_numbering_formats_and_start_values(tmp_path: Path) -> None:
    assert [_format_number(n, "chineseCounting") for n in (1, 10, 12, 21)] == ["一", "十", "十二", "二十一"]
    assert _format_number(2, "ideographTraditional") == "乙" and _format_number(7, "decimal") == "7"
    assert _format_number(3, "decimalEnclosedCircleChinese") == "③" and _format_number(14, "upperRoman") == "XIV"
    doc = dm.new()
    dm.title(doc, TITLE)
    dm.para(doc, RECIPIENTS)
    later = dm.numbering(doc, [("chineseCounting", "%1、"), ("decimal", "（%2）")], start_override=3)
    dm.numbered(doc, "第三部分", later, 0)
    dm.numbered(doc, "甲项", later, 1)
    dm.numbered(doc, "乙项", later, 1)
    dm.numbered(doc, "第四部分", later, 0)
    dm.numbered(doc, "再从一数起", later, 1)
    dm.signature(doc, ORGAN, date=DATE)
    path = dm.save(doc, tmp_path / "起始编号.docx")
    reading = read(path, tmp_path)
    texts = [b.text for b in reading.document.body] if reading.document else []
    assert texts == []  # numbering that starts at 三 is reported, as YAML numbering is
    messages = [str(p) for p in reading.errors]
    assert any("第 3 段" in m and "此处为“三、”，应为“一、”" in m for m in messages), messages
    items = reading.mapping["正文"]
    assert list(items) == ["三、第三部分", "（1）甲项", "（2）乙项", "四、第四部分", "（1）再从一数起"]


def test_a_long_paragraph_ending_in_a_colon_is_body_text(tmp_path: Path) -> None:
    doc = dm.new()
    dm.title(doc, TITLE)
    dm.para(doc, "根据县人民政府关于进一步加强控辍保学工作的部署要求，结合我县实际，现就有关事项通知如下：")
    dm.para(doc, BODY)
    dm.signature(doc, ORGAN, date=DATE)
    reading = read(dm.save(doc, tmp_path / "长冒号.docx"), tmp_path)
    assert reading.document.recipients is None
    assert reading.document.body[0].text.endswith("通知如下：")


def test_dates_in_common_spellings(tmp_path: Path) -> None:
    for n, spelled in enumerate(("2026.3.2", "2026年03月02日", "二〇二六年三月二日")):
        path = tmp_path / f"日期{n}.txt"
        path.write_text("\n".join([TITLE, RECIPIENTS, BODY, ORGAN, spelled]), encoding="utf-8")
        reading = read(path, tmp_path / str(n))
        assert reading.document.date == dt.date(2026, 3, 2), spelled
        assert any(f"{path.name}:5 成文日期" in str(p) and "2026年3月2日" in p.message for p in reading.warnings)


def test_settings_override_and_defaults_fill_in(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("\n".join([TITLE, RECIPIENTS, BODY, ORGAN, DATE]), encoding="utf-8")
    reading = read_draft(path, tmp_path / "w", settings={"发文字号": "古教综[2026]03号", "格式": "信函"},
                         defaults=DraftDefaults(issuer="古田县教育局", number_code="不会用到"))
    doc = reading.document
    assert doc.doc_number == "古教综〔2026〕3号" and doc.format == "letter"
    assert doc.title == TITLE and doc.issuers == ["古田县教育局"]
    found = [p for p in reading.warnings if p.location == Location("--set", column="发文字号")]
    assert len(found) == 2  # brackets and the leading zero, each said


# ------------------------------------------------------------------ the text is the draft's text


def docx_texts(path: Path) -> list[tuple[int, str]]:
    """(paragraph number, text as typed) of the body's paragraphs."""
    import docx

    return [(n, p.text) for n, p in enumerate(docx.Document(str(path)).paragraphs, start=1)]


def model_text(reading: DraftReading) -> str:
    doc = reading.document
    parts = [doc.title, doc.recipients or ""]
    for block in doc.body:
        parts.append(getattr(block, "text", "") + (getattr(block, "run_in", None) or ""))
    parts += [s.name for s in doc.signatures]
    return re.sub(r"\s", "", "".join(parts))


@pytest.mark.parametrize("name", ["手工编号.docx", "不规范写法.docx", "WPS样式.docx"])
def test_output_text_is_the_draft_text_apart_from_the_listed_corrections(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    DRAFTS[name](path)
    reading = read(path, tmp_path)
    corrected = {p.location.paragraph for p in reading.warnings}
    half_to_full = str.maketrans(",;:?!()", "，；：？！（）")
    draft = []
    for n, text in docx_texts(path):
        if text == DATE or text == "二〇二六年三月二日":
            continue
        if n in corrected:
            text = text.translate(half_to_full)
            text = re.sub(r"^一\.", "一、", text)
            text = re.sub(r"^1、", "1.", text)
        draft.append(text)
    assert model_text(reading) == re.sub(r"\s", "", "".join(draft))


def test_set_lists_several_organs_for_a_joint_issue(tmp_path: Path) -> None:
    from kongchuo_docs.readers.draft import parse_settings

    path = tmp_path / "联合行文.docx"
    joint_signature(path)
    settings = parse_settings(["发文机关=古田县教育局、古田县民政局", "文号=古教〔2026〕5号"])
    doc = read_draft(path, tmp_path / "w", settings=settings).document
    assert doc.issuers == ["古田县教育局", "古田县民政局"] and doc.doc_number == "古教〔2026〕5号"
    with pytest.raises(Exception, match="--set 密码=1：应写作 键=值"):
        parse_settings(["密码=1"])


def test_hostile_docx_values_do_not_break_the_reader(tmp_path: Path) -> None:
    """Malformed numbers in numbering.xml, an empty table: read, never a traceback."""
    from docx.oxml.ns import qn

    doc = dm.new()
    dm.title(doc, TITLE)
    dm.para(doc, RECIPIENTS)
    broken = dm.numbering(doc, [("chineseCounting", "%1、")])
    for lvl in doc.part.numbering_part.element.iter(qn("w:lvl")):
        lvl.set(qn("w:ilvl"), "x")
        lvl.find(qn("w:start")).set(qn("w:val"), "abc")
    dm.numbered(doc, "总体要求", broken, 0)
    empty = doc.add_table(rows=0, cols=0)
    assert len(empty.rows) == 0
    dm.para(doc, BODY)
    dm.signature(doc, ORGAN, date=DATE)
    reading = read(dm.save(doc, tmp_path / "坏值.docx"), tmp_path)
    assert reading.document is not None and reading.document.title == TITLE
    assert [b.text for b in reading.document.body][:1] == ["一、总体要求"]


def test_control_characters_in_a_text_draft_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "控制字符.txt"
    path.write_text("\n".join([TITLE + "\x00", RECIPIENTS, "\x07" + BODY, ORGAN, DATE]), encoding="utf-8")
    doc = read(path, tmp_path).document
    assert doc.title == TITLE and doc.body[0].text == BODY


def test_a_typed_header_and_a_note_under_the_date(tmp_path: Path) -> None:
    """A draft that already has "…文件" and the 发文字号 typed above the title, and a 附注."""
    path = tmp_path / "带版头.txt"
    path.write_text("\n".join(["古田县民政局文件", "古民〔2026〕8号", TITLE, RECIPIENTS, BODY, "古田县民政局", DATE,
                               "（此件公开发布）"]), encoding="utf-8")
    doc = read(path, tmp_path).document
    assert doc.issuers == ["古田县民政局"] and doc.doc_number == "古民〔2026〕8号"  # the draft wins over defaults
    assert doc.title == TITLE and doc.note == "（此件公开发布）" and doc.body[0].text == BODY


def test_profile_defaults_number_code_and_printer(tmp_path: Path) -> None:
    """For a draft the profile's own organ signs: --set 发文字号=3 takes the profile's 文号代字 and the
    date's year; no 版记 is added unless asked (--set 版记=是: the profile's 印发机关 on the 成文日期);
    one with 抄送 only gets the 印发机关 added. A draft another organ signs gets neither."""
    defaults = DraftDefaults(issuer=ORGAN, number_code="古教综", printer="古田县教育局办公室")
    path = tmp_path / "a.txt"
    path.write_text("\n".join([TITLE, RECIPIENTS, BODY, ORGAN, DATE]), encoding="utf-8")
    reading = read_draft(path, tmp_path / "w", settings={"发文字号": "3"}, defaults=defaults)
    doc = reading.document
    assert doc.doc_number == "古教综〔2026〕3号" and doc.colophon is None
    assert reading.origins["发文机关"] == "草稿" and reading.origins["发文字号"] == "--set"
    reading = read_draft(path, tmp_path / "w1", settings={"版记": "是"}, defaults=defaults)
    colophon = reading.document.colophon
    assert colophon.printer == "古田县教育局办公室" and colophon.print_date == dt.date(2026, 3, 2)
    assert reading.origins["版记"] == "--set" and reading.origins["印发机关"] == "单位设置"
    path.write_text("\n".join([TITLE, RECIPIENTS, BODY, ORGAN, DATE, "抄送：县人民政府办公室。"]), encoding="utf-8")
    doc = read_draft(path, tmp_path / "w2", defaults=defaults).document
    assert doc.colophon.cc == ["县人民政府办公室"] and doc.colophon.printer == "古田县教育局办公室"
    other, title = "古田县实验小学", "关于做好春季学期控辍保学工作的通知"
    path.write_text("\n".join([title, RECIPIENTS, BODY, other, DATE, "抄送：县人民政府办公室。"]), encoding="utf-8")
    reading = read_draft(path, tmp_path / "w3", settings={"发文字号": "3"}, defaults=defaults)
    assert reading.mapping["发文机关"] == other and reading.mapping["发文字号"] == "3"  # not the profile's code
    assert reading.errors and "古教综" not in str(reading.mapping)
    doc = read_draft(path, tmp_path / "w4", defaults=defaults).document
    assert doc.issuers == [other] and doc.colophon.printer is None


def test_a_bare_number_for_a_school_draft_asks_for_its_code_at_the_command_line(tmp_path: Path) -> None:
    """``build 学校草稿 --set 发文字号=3``: the school's document cannot take the bureau's 代字, so the
    message says a bare number needs one (with an example of the draft's year), naming --set; the
    bureau's own draft still gets the profile's 代字."""
    from profiles import write_profile
    from typer.testing import CliRunner

    from kongchuo_docs.cli import app
    from kongchuo_docs.profile import load_profile

    settings = write_profile(tmp_path / "县")
    bureau = load_profile(settings).bureau
    school = tmp_path / "学校草稿.txt"
    school.write_text("\n".join(["关于做好春季学期控辍保学工作的通知", RECIPIENTS, BODY, "古田县实验小学", DATE]),
                      encoding="utf-8")  # fmt: skip
    build = ["build", str(school), "-o", str(tmp_path / "out"), "--settings", str(settings), "--set", "发文字号=3"]
    refused = CliRunner().invoke(app, build)
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    assert "--set 发文字号: 只写序号须有代字" in refused.output and f"不是{bureau}的公文" in refused.output
    assert "如「某小〔2026〕3号」" in refused.output and "格式" not in refused.output.split("只写序号")[1]
    assert not (tmp_path / "out").exists()
    own = tmp_path / "局草稿.txt"
    own.write_text("\n".join([TITLE, RECIPIENTS, BODY, bureau, DATE]), encoding="utf-8")
    done = CliRunner().invoke(app, [*build[:1], str(own), *build[2:], "--format", "docx"])
    code = load_profile(settings).number_code("通知")
    assert done.exit_code == 0, done.output
    assert f"{code}〔2026〕3号" in done.output


def test_footnotes_and_unnumbered_heading_styles_are_said(tmp_path: Path) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    doc = dm.new()
    dm.title(doc, TITLE)
    dm.para(doc, RECIPIENTS)
    dm.para(doc, "总体要求", style="Heading 1")
    p = dm.para(doc, BODY)
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:footnoteReference w:id="1"/></w:r>'))
    dm.signature(doc, ORGAN, date=DATE)
    reading = read(dm.save(doc, tmp_path / "脚注.docx"), tmp_path)
    messages = [str(p) for p in reading.warnings]
    assert any(m.startswith("脚注.docx 第 3 段: 用了标题样式但没有编号") for m in messages), messages
    assert any(m.startswith("脚注.docx 第 4 段: 脚注未读取") for m in messages), messages
    assert reading.document.body[0].text == "总体要求"


def test_set_format_plain(tmp_path: Path) -> None:
    path = tmp_path / "修订.docx"
    tracked_changes(path)
    doc = read(path, tmp_path, settings={"格式": "无版头"}).document
    assert doc.format == "plain" and doc.title == TITLE


def test_the_outline_of_a_refused_draft_still_shows_its_headings(tmp_path: Path) -> None:
    from kongchuo_docs.readers.draft import outline_lines

    path = tmp_path / "跳号.txt"
    path.write_text("\n".join([TITLE, RECIPIENTS, "一、总体要求", BODY, "三、工作措施", BODY, ORGAN, DATE]),
                    encoding="utf-8")
    reading = read(path, tmp_path)
    assert reading.document is None and any("1级标题编号不连续" in p.message for p in reading.errors)
    lines = outline_lines(reading)
    assert f"标题：{TITLE}" in lines and "  1级标题 三、工作措施" in lines and "成文日期：2026年3月2日（草稿）" in lines


def seed_as_draft(path: Path) -> None:
    """The seed notice 罗教综〔2020〕47号 typed into Word: a 印发 notice, the 实施方案 it issues after
    the date (not labelled), the 实施方案's 附件说明 and its 附件 table, 代章 under the signature."""
    import yaml

    from kongchuo_docs.files.resources import sample_path

    seed = yaml.safe_load(sample_path("notice", "seed-notice.yaml").read_text(encoding="utf-8"))
    issued = seed["印发件"]
    attachment = issued["附件"][0]
    doc = dm.new()
    dm.para(doc, seed["发文字号"], align=dm.CENTER)
    dm.title(doc, seed["标题"])
    dm.para(doc, seed["主送"])
    for line in seed["正文"].splitlines():
        dm.para(doc, line)
    for line in (seed["署名"], seed["署名备注"], seed["成文日期"]):
        dm.para(doc, line, align=dm.RIGHT)
    dm.title(doc, issued["标题"])
    for line in issued["正文"].splitlines():
        dm.para(doc, line)
    dm.para(doc, "附件：" + issued["附件说明"])
    dm.para(doc, "附件")
    dm.para(doc, attachment["标题"], align=dm.CENTER, bold=True)
    dm.para(doc, attachment["正文"].strip())
    dm.table(doc, [attachment["表格"]["表头"]] + [[""] * 8] * attachment["表格"]["空行"])
    dm.para(doc, f"{seed['版记']['印发机关']}    {seed['版记']['印发日期']}印发")
    dm.save(doc, path)


def test_the_seed_notice_typed_as_a_draft_reads_as_its_yaml(tmp_path: Path) -> None:
    from kongchuo_docs.files.resources import sample_path
    from kongchuo_docs.readers.notice_yaml import read_notice

    path = tmp_path / "印发方案.docx"
    seed_as_draft(path)
    reading = read_draft(path, tmp_path / "w", settings={"盖章": "是"},
                         defaults=DraftDefaults(issuer="罗源县教育局"))
    assert not reading.errors, [str(p) for p in reading.errors]
    got, want = reading.document, read_notice(sample_path("notice", "seed-notice.yaml"))[0]
    for field_name in ("issuers", "doc_number", "title", "recipients", "body", "signatures", "seal", "date",
                       "colophon"):
        assert getattr(got, field_name) == getattr(want, field_name), field_name
    [issued], [seed_issued] = got.issued, want.issued
    assert issued.title == seed_issued.title and issued.blocks == seed_issued.blocks
    assert [a.title for a in issued.attachments] == ["问题线索移送登记表"] and not got.attachments
    table = issued.attachments[0].blocks[-1]
    assert table.rows[0] == seed_issued.attachments[0].blocks[-1].rows[0] and len(table.rows) == 9


def test_a_long_recipients_line_and_a_contact_line_above_the_date(tmp_path: Path) -> None:
    """A 主送 of many organs (over 40 characters) is still the 主送; "联系人：…" above an unaligned date is
    body text, not a signature."""
    recipients = "各乡（镇）人民政府、街道办事处，县直有关单位，各中小学、幼儿园，县教育局机关各股室、直属各单位："
    path = tmp_path / "长主送.txt"
    path.write_text("\n".join([TITLE, recipients, BODY, "联系人：张三，电话0593-1234567", DATE]), encoding="utf-8")
    doc = read(path, tmp_path).document
    assert len(recipients) > 40 and doc.recipients == recipients
    assert doc.body[-1].text == "联系人：张三，电话0593-1234567"
    assert [s.name for s in doc.signatures] == [ORGAN]  # none in the draft: the 发文机关 signs


def test_a_blank_date_field_in_the_body_is_no_date(tmp_path: Path) -> None:
    """「日期：」 or 「年 月 日」 inside the body (a form's field) is body text; only a blank date ending the
    letter is its hand date. Signing lines in a filled form (「甲方（盖章）：某县教育局」) stay text."""
    path = tmp_path / "表.txt"
    path.write_text("\n".join([TITLE, RECIPIENTS, BODY, "日期：", "甲方（盖章）：某县教育局", CLOSING, ORGAN,
                               "    年    月    日"]), encoding="utf-8")
    reading = read(path, tmp_path)
    assert not reading.errors, [str(p) for p in reading.errors]
    doc = reading.document
    assert doc.date is None and reading.origins["成文日期"] == "草稿" and [s.name for s in doc.signatures] == [ORGAN]
    assert [b.text for b in doc.body] == [BODY, "日期：", "甲方（盖章）：某县教育局", CLOSING]
    assert not any("草稿没有成文日期" in str(p) for p in reading.warnings)


def test_what_follows_the_date_unlabelled(tmp_path: Path) -> None:
    """A contact line under the date is the 附注 (联系人/联系电话); a titled form after it, not marked
    “附件”, is set on a page of its own (said); untitled text there is still refused, named."""
    lines = [TITLE, RECIPIENTS, BODY, CLOSING, ORGAN, DATE, "联系人：张某，联系电话：0591-1234567",
             "学生信息登记表", "姓名：", "班主任（签名）：      家长（签名）："]
    path = tmp_path / "后面.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    reading = read(path, tmp_path)
    assert not reading.errors, [str(p) for p in reading.errors]
    doc = reading.document
    assert doc.note == "（联系人：张某；联系电话：0591-1234567）"
    [page] = doc.issued
    assert page.title == "学生信息登记表" and page.blocks[0].text == "姓名："
    assert page.blocks[-1].labels == ["班主任（签名）", "家长（签名）"]
    assert any("没有“附件”标注" in str(p) for p in reading.warnings)
    path.write_text("\n".join([*lines[:6], BODY]), encoding="utf-8")
    reading = read(path, tmp_path / "again")
    [error] = reading.errors
    assert str(error).startswith("后面.txt:7: 成文日期之后只能是附件") and BODY[:20] in str(error)


@pytest.mark.parametrize(("line", "labels"), [
    ("教师（签名）：________    校长（签名）：________", (["教师（签名）", "校长（签名）"], False)),
    ("甲方（盖章）：          乙方（盖章）：", (["甲方（盖章）", "乙方（盖章）"], False)),
    ("学生家长（签字）：            日期：", (["学生家长（签字）"], True)),
    ("监护人签名：", (["监护人签名"], False)),
    ("年   月   日        年   月   日", ([], True)),
    ("甲方（盖章）：某县教育局", None),  # filled in: text, not a field
    ("联系电话：", None),
    ("某县教育局", None),
])
def test_signing_lines_as_typed(line: str, labels: tuple | None) -> None:
    from kongchuo_docs.readers.draft_ending import sign_labels

    assert sign_labels(line) == labels


@pytest.mark.parametrize(("line", "hand", "cut"), [
    ("年  月  日", True, False), ("20XX年", True, False), ("2026年  月  日", True, False),
    ("二〇  年  月  日", True, False), ("2026年3月2日", False, False), ("日期：", True, False),
    ("-----------（沿此线剪下）-----------", False, True), ("…………（请沿此线剪下）…………", False, True),
    ("✂- - - - - - - -", False, True), ("一、总体要求", False, False),
])
def test_blank_dates_and_cut_lines(line: str, hand: bool, cut: bool) -> None:
    from kongchuo_docs.readers.draft_ending import is_cut_line, is_hand_date

    assert (is_hand_date(line), is_cut_line(line)) == (hand, cut)


def test_a_reply_slip_titled_as_an_attachment_stays_an_attachment(tmp_path: Path) -> None:
    """「附件」 over a 「回执」 page: the 附件 it is, not a loose slip."""
    path = tmp_path / "附件回执.txt"
    path.write_text("\n".join([TITLE, RECIPIENTS, BODY, "附件：回执", ORGAN, DATE, "附件", "回执", "学校名称："]),
                    encoding="utf-8")
    reading = read(path, tmp_path)
    assert not reading.errors, [str(p) for p in reading.errors]
    assert [a.title for a in reading.document.attachments] == ["回执"] and reading.document.issued == []
