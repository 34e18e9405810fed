"""The draft corpus: 24 shapes of drafts as county and school clerks type them (通知, 请示, 报告, 函, 责任书,
清单, 入学/劝返 letters; with and without dates, 版记, 文号, signing lines, tables, pictures; .docx, .doc,
.odt, .txt, .md), generated here. Each is read with a profile whose organ is 某县教育局, its outline and
the origin of its 发文机关 and 版记 asserted, and built to DOCX and PDF with at most warnings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import draftmaker as dm
import fitz
import pytest
from test_drafts import assert_blocks_and_warnings

from kongchuo_docs.files.output import OutputSet
from kongchuo_docs.kinds.publish import write_document
from kongchuo_docs.model import Heading, SignFields
from kongchuo_docs.readers.draft import DraftDefaults, mapping_yaml, outline_lines, read_draft
from kongchuo_docs.readers.notice_yaml import read_notice
from kongchuo_docs.system.libreoffice import render_docx_to_pdf, soffice_path

BUREAU = "某县教育局"
DEFAULTS = DraftDefaults(issuer=BUREAU, number_code="某教综", printer="某县教育局办公室")
DATE = "2026年3月2日"
BODY = "为做好2026年春季学期控辍保学工作，确保适龄儿童少年依法接受义务教育，现将有关事项通知如下。"
MORE = "各校要落实控辍保学工作责任，开学后一周内完成学生到校情况排查，对未到校学生逐一登记。"
END = "特此通知。"
TABLE = [["序号", "学校", "应到人数", "实到人数"], ["1", "城关小学", "320", "318"], ["2", "城关中学", "410", "409"]]
PAST = object()  # a date given in `Expect.date`: 2026-03-02


@dataclass
class Expect:
    """What the outline must say for a shape."""

    title: str
    format: str = "file"  # the Document format
    issuers: list[str] = field(default_factory=lambda: [BUREAU])
    issuer_origin: str | None = "草稿"  # None: no 发文机关
    colophon_origin: str | None = None  # None: no 版记
    printer: str | None = None
    print_date: dt.date | None = None
    recipients: str | None = None
    doc_number: str | None = None
    signatures: list[str] = field(default_factory=lambda: [BUREAU])
    date: dt.date | None = dt.date(2026, 3, 2)
    date_origin: str = "草稿"
    sign_fields: list[str] = field(default_factory=list)
    sign_dated: bool = False
    headings: list[str] = field(default_factory=list)
    slip: str | None = None  # the title of a 送达回证/回执 page
    slip_fields: list[str] = field(default_factory=list)  # its 签字栏
    receipt: list[str] | None = None  # the tear-off 回执's fields ("标签：内容"), None: no 回执
    tables: int = 0
    images: int = 0
    warnings: list[str] = field(default_factory=list)  # a part of each expected warning
    settings: dict[str, str] = field(default_factory=dict)


@dataclass
class Shape:
    parts: list[tuple[str, object]]
    expect: Expect


def notice(title: str, *, head: list[tuple[str, object]] = (), recipients: str = "各乡（镇）中心学校，县直各学校：",
           body: list[tuple[str, object]] = (), notes: list[str] = (), signature: str | None = BUREAU,
           date: str | None = DATE, tail: list[tuple[str, object]] = ()) -> list[tuple[str, object]]:
    """A notice's parts: 版头 lines, title, 主送, body, 附件说明, 署名, date, what follows the date."""
    parts = [*head, ("title", title)]
    if recipients:
        parts.append(("p", recipients))
    parts += [("p", BODY), *body, ("p", END), *(("p", note) for note in notes)]
    if signature:
        parts.append(("right", signature))
    if date:
        parts.append(("right", date))
    return parts + list(tail)


GUARDIAN_SLIP = [("p", "-------------------（沿此线剪下）-------------------"), ("title", "送达回证"),
                 ("p", "送达文书名称：入学通知书"), ("p", "受送达人：赵某某"), ("p", "监护人签名："),
                 ("p", "年  月  日")]

SHAPES: dict[str, Shape] = {
    "红头通知.docx": Shape(
        notice("某县教育局关于做好春季学期控辍保学工作的通知", head=[("center", "某县教育局文件"),
                                                                   ("center", "某教综〔2026〕3号")],
               body=[("h1", "总体要求"), ("p", MORE), ("h1", "工作措施"), ("h2", "加强排查"), ("p", MORE)],
               tail=[("p", "抄送：县人民政府办公室。"), ("p", "某县教育局办公室          2026年3月2日印发")]),
        Expect("某县教育局关于做好春季学期控辍保学工作的通知", colophon_origin="草稿", printer="某县教育局办公室",
               print_date=dt.date(2026, 3, 2), recipients="各乡（镇）中心学校，县直各学校：",
               doc_number="某教综〔2026〕3号",
               headings=["一、总体要求", "二、工作措施", "（一）加强排查"])),
    "无红头通知.docx": Shape(
        notice("某县教育局关于开展学籍核查的通知"),
        Expect("某县教育局关于开展学籍核查的通知", recipients="各乡（镇）中心学校，县直各学校：")),
    "督导室通知.txt": Shape(
        notice("某县人民政府教育督导室关于开展控辍保学专项督导的通知", signature="某县人民政府教育督导室"),
        Expect("某县人民政府教育督导室关于开展控辍保学专项督导的通知", issuers=["某县人民政府教育督导室"],
               signatures=["某县人民政府教育督导室"], recipients="各乡（镇）中心学校，县直各学校：")),
    "请示.md": Shape(
        notice("某县教育局关于增加控辍保学工作经费的请示", recipients="县人民政府：", body=[("p", MORE)],
               tail=[("p", "（联系人：张某；联系电话：1234567）")]),
        Expect("某县教育局关于增加控辍保学工作经费的请示", recipients="县人民政府：")),
    "乡镇报告.docx": Shape(
        notice("某某乡关于控辍保学工作情况的报告", recipients="县教育局：", signature="某某乡人民政府",
               body=[("table", TABLE)]),
        Expect("某某乡关于控辍保学工作情况的报告", issuers=["某某乡人民政府"], signatures=["某某乡人民政府"],
               recipients="县教育局：", tables=1)),
    "商请函.docx": Shape(
        notice("某县教育局关于商请协助劝返辍学学生的函", recipients="某县公安局："),
        Expect("某县教育局关于商请协助劝返辍学学生的函", recipients="某县公安局：")),
    "目标责任书.docx": Shape(
        [("title", "某某学校控辍保学目标责任书"), ("p", BODY), ("table", TABLE), ("p", MORE),
         ("p", "甲方（盖章）：                    乙方（盖章）："),
         ("p", "法定代表人（签字）：              法定代表人（签字）："),
         ("p", "年   月   日                      年   月   日")],
        Expect("某某学校控辍保学目标责任书", format="plain", issuers=[], issuer_origin=None, signatures=[],
               date=None, date_origin="默认", tables=1, sign_dated=True,
               sign_fields=["甲方（盖章）", "乙方（盖章）", "法定代表人（签字）", "法定代表人（签字）"],
               warnings=["草稿没有成文日期"])),
    "教师责任书.txt": Shape(
        [("title", "控辍保学教师责任书"), ("p", BODY), ("p", MORE),
         ("p", "教师（签名）：            校长（签名）：")],
        Expect("控辍保学教师责任书", format="plain", issuers=[], issuer_origin=None, signatures=[], date=None,
               date_origin="默认", sign_fields=["教师（签名）", "校长（签名）"], sign_dated=True,
               warnings=["草稿没有成文日期"])),
    "劝返清单.md": Shape(
        [("title", "某某镇春季学期劝返学生清单"), ("table", TABLE), ("right", "20XX年")],
        Expect("某某镇春季学期劝返学生清单", format="plain", issuers=[], issuer_origin=None, signatures=[],
               date=None, tables=1, warnings=["没有署名和发文机关"])),
    "入学通知书.docx": Shape(
        [("title", "入学通知书"), ("p", "赵某某：（监护人姓名）"), ("p", BODY), ("p", MORE),
         ("right", "某某小学"), ("right", DATE), *GUARDIAN_SLIP],
        Expect("入学通知书", format="plain", issuers=[], issuer_origin=None, signatures=["某某小学"],
               recipients="赵某某：", slip="送达回证", tables=1,  # the letters' form
               warnings=["填写提示", "送达回证：另起一页排成送达回证表格"])),
    "劝返通知书.txt": Shape(
        [("title", "劝返复学通知书"), ("p", "尊敬的家长："), ("p", BODY), ("right", "某某中学"), ("right", DATE),
         ("p", "…………………………（请沿此线剪下）…………………………"), ("title", "回执"),
         ("p", "学生姓名：张某某"), ("p", "家长签名：")],
        Expect("劝返复学通知书", format="plain", issuers=[], issuer_origin=None, signatures=["某某中学"],
               recipients="尊敬的家长：", receipt=["学生姓名：张某某", "家长签名："],
               warnings=["回执：排在最后一页页脚的剪切线下"])),
    "文号在标题下.docx": Shape(
        [("title", "义务教育阶段入学通知"), ("title", "义入通字[2013]第1号"), ("p", "各学校："), ("p", BODY),
         ("right", BUREAU), ("right", "2013年8月20日")],
        Expect("义务教育阶段入学通知", recipients="各学校：", doc_number="义入通字〔2013〕1号",
               date=dt.date(2013, 8, 20), warnings=["六角括号", "不加“第”"])),
    "附件另发.txt": Shape(
        notice("某县教育局关于报送辍学学生名册的通知", notes=["附件：1. 辍学学生统计表", "2. 劝返学生名册"]),
        Expect("某县教育局关于报送辍学学生名册的通知", recipients="各乡（镇）中心学校，县直各学校：",
               warnings=["另行发送，不在本文件中"])),
    "带图片通知.docx": Shape(
        notice("某县教育局关于规范学生到校登记的通知", body=[("picture", 80), ("p", MORE)]),
        Expect("某县教育局关于规范学生到校登记的通知", recipients="各乡（镇）中心学校，县直各学校：", images=1)),
    "带表格通知.md": Shape(
        notice("某县教育局关于公布到校情况的通知", body=[("table", TABLE), ("picture", 60)]),
        Expect("某县教育局关于公布到校情况的通知", recipients="各乡（镇）中心学校，县直各学校：", tables=1, images=1)),
    "要版记.txt": Shape(
        notice("某县教育局关于做好学籍管理的通知"),
        Expect("某县教育局关于做好学籍管理的通知", recipients="各乡（镇）中心学校，县直各学校：",
               colophon_origin="--set", printer="某县教育局办公室", print_date=dt.date(2026, 3, 2),
               settings={"版记": "是", "发文字号": "3"}, doc_number="某教综〔2026〕3号")),
    "手填日期要版记.txt": Shape(
        notice("某县教育局关于做好学籍管理的通知"),
        Expect("某县教育局关于做好学籍管理的通知", recipients="各乡（镇）中心学校，县直各学校：",
               colophon_origin="--set", printer="某县教育局办公室", date=None, date_origin="--set",
               settings={"版记": "是", "成文日期": "手填"})),
    "别家要版记.txt": Shape(
        notice("关于开展家访活动的通知", signature="某某中心学校", recipients="各村小："),
        Expect("关于开展家访活动的通知", issuers=["某某中心学校"], signatures=["某某中心学校"], recipients="各村小：",
               colophon_origin="--set", printer="某某中心学校", print_date=dt.date(2026, 3, 2),
               settings={"版记": "是"})),
    "工作总结.md": Shape(
        [("title", "某某学校2025年控辍保学工作总结"), ("p", BODY), ("h1", "主要做法"), ("p", MORE),
         ("h1", "存在问题"), ("p", MORE), ("right", "某某学校"), ("right", "2026年1月10日")],
        Expect("某某学校2025年控辍保学工作总结", issuers=["某某学校"], signatures=["某某学校"],
               date=dt.date(2026, 1, 10), headings=["一、主要做法", "二、存在问题"])),
    "无日期报告.docx": Shape(
        notice("某某镇中心学校关于控辍保学工作的报告", recipients="县教育局：", signature="某某镇中心学校",
               date=None),
        Expect("某某镇中心学校关于控辍保学工作的报告", issuers=["某某镇中心学校"], signatures=["某某镇中心学校"],
               recipients="县教育局：", date=None, date_origin="默认", warnings=["草稿没有成文日期"])),
    "文号带第.txt": Shape(
        notice("某县教育局关于做好控辍保学工作的请示", head=[("p", "某县教育局文件"), ("p", "某教[2026]第05号")],
               recipients="县人民政府："),
        Expect("某县教育局关于做好控辍保学工作的请示", recipients="县人民政府：", doc_number="某教〔2026〕5号",
               warnings=["六角括号", "不编虚位"])),
    "监护人承诺书.txt": Shape(
        [("title", "适龄儿童入学监护人承诺书"), ("p", BODY), ("p", MORE), ("p", "监护人签名："), ("p", "日期：")],
        Expect("适龄儿童入学监护人承诺书", format="plain", issuers=[], issuer_origin=None, signatures=[], date=None,
               date_origin="默认", sign_fields=["监护人签名"], sign_dated=True, warnings=["草稿没有成文日期"])),
    "自动编号通知.doc": Shape(
        notice("某县教育局关于做好秋季学期控辍保学工作的通知",
               body=[("h1", "总体要求"), ("p", MORE), ("h1", "工作措施"), ("h2", "加强排查"), ("p", MORE)]),
        Expect("某县教育局关于做好秋季学期控辍保学工作的通知", recipients="各乡（镇）中心学校，县直各学校：",
               headings=["一、总体要求", "二、工作措施", "（一）加强排查"])),
    "开放格式通知.odt": Shape(
        notice("某县教育局关于开展送教上门工作的通知", body=[("h1", "工作对象"), ("p", MORE), ("table", TABLE)]),
        Expect("某县教育局关于开展送教上门工作的通知", recipients="各乡（镇）中心学校，县直各学校：",
               headings=["一、工作对象"], tables=1)),
}

CONVERTED = (".doc", ".odt")
SERVICE_LABELS = ("送达文书名称", "送达机关", "受送达人", "送达地点", "送达方式", "送达人", "受送达人签名或捺印",
                  "签收日期")  # the letters' 送达回证


def test_the_corpus_has_twenty_shapes_in_every_format() -> None:
    assert len(SHAPES) >= 20
    assert {Path(name).suffix for name in SHAPES} == {".docx", ".doc", ".odt", ".txt", ".md"}


@pytest.mark.parametrize("name", SHAPES)
def test_every_draft_shape_builds_with_at_most_warnings(name: str, tmp_path: Path) -> None:
    if Path(name).suffix in CONVERTED and soffice_path() is None:
        pytest.skip("LibreOffice not installed")
    shape = SHAPES[name]
    expect = shape.expect
    path = dm.write_shape(shape.parts, tmp_path / name, tmp_path / "made")
    reading = read_draft(path, tmp_path / "work", settings=expect.settings, defaults=DEFAULTS)
    assert not reading.errors, [str(p) for p in reading.errors]
    doc = reading.document
    assert doc.format == expect.format and doc.title == expect.title
    assert doc.issuers == expect.issuers and reading.origins.get("发文机关") == expect.issuer_origin
    assert reading.origins.get("版记") == expect.colophon_origin
    assert (doc.colophon.printer if doc.colophon else None) == expect.printer
    assert (doc.colophon.print_date if doc.colophon else None) == expect.print_date
    assert doc.recipients == expect.recipients and doc.doc_number == expect.doc_number
    assert [s.name for s in doc.signatures] == expect.signatures
    assert doc.date == expect.date and reading.origins["成文日期"] == expect.date_origin
    fields = [b for b in doc.body if isinstance(b, SignFields)]
    assert [label for f in fields for label in f.labels] == expect.sign_fields
    assert all(f.dated == expect.sign_dated for f in fields)
    assert [b.text for b in doc.body if isinstance(b, Heading)] == expect.headings
    assert [d.title for d in doc.issued] == ([expect.slip] if expect.slip else [])
    assert [label for d in doc.issued for b in d.blocks if isinstance(b, SignFields) for label in b.labels] \
        == expect.slip_fields
    assert ([f"{f.label}：{f.value}" for f in doc.receipt.fields] if doc.receipt else None) == expect.receipt
    assert_blocks_and_warnings([*doc.body, *(b for d in doc.issued for b in d.blocks)], reading, expect)
    outline = outline_lines(reading)
    assert any(line.startswith("发文机关：") and line.endswith(f"（{expect.issuer_origin}）") for line in outline) \
        or expect.issuer_origin is None
    assert ("版记：无" in outline) == (expect.colophon_origin is None)
    signing = f"签字栏：{'、'.join(expect.sign_fields)}"
    assert any(line.startswith(signing) for line in outline) or not expect.sign_fields
    with OutputSet(tmp_path / "out", force=False) as out:
        write_document(out, doc, path.stem, kind="notice", source=path, formats=("docx", "pdf"))
    with fitz.open(tmp_path / "out" / f"{path.stem}.pdf") as pdf:
        text = "".join(page.get_text() for page in pdf)
    assert "手填" not in text  # a placeholder is never printed
    assert ("印发" in text) == (expect.print_date is not None)
    assert expect.printer is None or expect.printer in text
    assert expect.title[:8] in text.replace("\n", "")


@pytest.mark.parametrize("name", [n for n, s in SHAPES.items()
                                  if Path(n).suffix not in CONVERTED and not s.expect.images])
def test_the_written_yaml_of_each_shape_rebuilds_the_same_document(name: str, tmp_path: Path) -> None:
    """The 草稿.yaml written beside the outputs holds everything read (签字栏, 送达回证 page, 手填, 格式)."""
    shape = SHAPES[name]
    path = dm.write_shape(shape.parts, tmp_path / name)
    reading = read_draft(path, tmp_path / "work", settings=shape.expect.settings, defaults=DEFAULTS)
    written = tmp_path / "草稿.yaml"
    written.write_text(mapping_yaml(reading, name), encoding="utf-8")
    assert read_notice(written)[0] == reading.document


@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("name", ["目标责任书.docx", "入学通知书.docx"])
def test_signing_fields_and_the_slip_page_render_alike_in_docx(name: str, tmp_path: Path) -> None:
    """The DOCX, rendered by LibreOffice, has the PDF's pages and their 签字栏 labels and writing lines."""
    shape = SHAPES[name]
    path = dm.write_shape(shape.parts, tmp_path / name)
    document = read_draft(path, tmp_path / "work", defaults=DEFAULTS).document
    with OutputSet(tmp_path / "out", force=False) as out:
        write_document(out, document, path.stem, kind="notice", source=path, formats=("docx", "pdf"))
    rendered = render_docx_to_pdf(tmp_path / "out" / f"{path.stem}.docx", tmp_path / "rendered")
    pages = {}
    for label, pdf_path in (("pdf", tmp_path / "out" / f"{path.stem}.pdf"), ("docx", rendered)):
        with fitz.open(pdf_path) as pdf:
            pages[label] = ["".join(page.get_text().split()) for page in pdf]
    assert len(pages["pdf"]) == len(pages["docx"])
    labels = shape.expect.sign_fields or shape.expect.slip_fields or list(SERVICE_LABELS)
    for pdf_page, docx_page in zip(pages["pdf"], pages["docx"], strict=True):
        for label in labels:
            assert (label in pdf_page) == (label in docx_page), label
    assert all(any(label in page for page in pages["docx"]) for label in labels)


@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice not installed")
def test_an_attachment_sent_as_a_separate_file_gets_a_proper_attachment_note(tmp_path: Path) -> None:
    """附件说明 naming 附件 the draft does not hold: §7.3.4 (a blank line under the body, two
    characters in, "2." under "1."), no 附件 page, and one warning that they are not in the file."""
    from pdfmeasure import text_lines

    from kongchuo_docs import gbt9704 as g

    shape = SHAPES["附件另发.txt"]
    path = dm.write_shape(shape.parts, tmp_path / "附件另发.txt")
    reading = read_draft(path, tmp_path / "work", defaults=DEFAULTS)
    doc = reading.document
    assert [(a.number, a.title, a.separate) for a in doc.attachments] == [
        (1, "辍学学生统计表", True), (2, "劝返学生名册", True)]
    assert [p.text for p in doc.body][-1] == END  # no longer a paragraph of the body
    (warning,) = [p for p in reading.warnings if "另行发送" in str(p)]
    assert "辍学学生统计表" in str(warning) and "劝返学生名册" in str(warning) and "不在本文件中" in str(warning)
    assert warning.location.line == reading.mapping.lines["附件说明"]  # the line of the 附件说明
    assert "附件1：辍学学生统计表（另行发送）" in outline_lines(reading)
    with OutputSet(tmp_path / "out", force=False) as out:
        write_document(out, doc, path.stem, kind="notice", source=path, formats=("docx", "pdf"))
    char_mm = g.pt_to_mm(g.BODY_CHAR_PITCH_PT)
    for name, pdf in (("pdf", tmp_path / "out" / "附件另发.pdf"),
                      ("docx", render_docx_to_pdf(tmp_path / "out" / "附件另发.docx", tmp_path / "render"))):
        lines = [line for line in text_lines(pdf) if not line.text.startswith("—")]
        texts = ["".join(line.text.split()) for line in lines]
        assert max(line.page for line in lines) == 1, name  # no 附件 page
        first, second = texts.index("附件：1.辍学学生统计表"), texts.index("2.劝返学生名册")
        assert second == first + 1 and texts[first - 1] == END and texts[second + 1] == BUREAU, name
        gap = (lines[first].top - lines[first - 1].top) / g.pt_to_mm(g.LINE_PITCH_PT)
        assert abs(gap - 2) < 0.05, name  # one blank line under the body
        assert abs(lines[first].x0 - (g.MARGIN_LEFT_MM + 2 * char_mm)) < 0.6, name
        assert abs(lines[second].x0 - (g.MARGIN_LEFT_MM + 5 * char_mm)) < 0.6, name  # "2." under "1."


@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice not installed")
def test_a_drafted_service_slip_becomes_the_letters_form_with_the_letter_s_number(tmp_path: Path) -> None:
    """A 送达回证 typed after a letter's date (cut line, 「送达文书名称：入学通知书」, 「受送达人：赵某某」,
    「监护人签名：」, a blank date) is the letters' form on a page of its own: the eight fields two to a
    row, 送达文书名称 with the letter's 文号 (typed under the title as 「城小入字[2026]第3号」, corrected),
    送达机关 the 署名 — in the PDF and the LibreOffice render alike, the 文号 never broken."""
    from pdfmeasure import text_lines

    parts = list(SHAPES["入学通知书.docx"].parts)
    parts.insert(1, ("title", "城小入字[2026]第3号"))
    path = dm.write_shape(parts, tmp_path / "入学通知书.docx")
    reading = read_draft(path, tmp_path / "work", defaults=DEFAULTS)
    assert not reading.errors, [str(p) for p in reading.errors]
    (slip,) = reading.document.issued
    (form,) = slip.blocks
    assert slip.title == "送达回证" and form.header_rows == 0
    assert form.rows == [["送达文书名称", "入学通知书（城小入字〔2026〕3号）", "送达机关", "某某小学"],
                         ["受送达人", "赵某某", "送达地点", ""], ["送达方式", "", "送达人", ""],
                         ["受送达人签名或捺印", "", "签收日期", "年　月　日"]]
    written = tmp_path / "草稿.yaml"
    written.write_text(mapping_yaml(reading, path.name), encoding="utf-8")
    assert read_notice(written)[0] == reading.document  # 表头行数: 0 and 列宽 in the YAML
    with OutputSet(tmp_path / "out", force=False) as out:
        write_document(out, reading.document, path.stem, kind="notice", source=path, formats=("docx", "pdf"))
    pdf = tmp_path / "out" / "入学通知书.pdf"
    for name, rendered in (("pdf", pdf), ("docx", render_docx_to_pdf(pdf.with_suffix(".docx"), tmp_path / "r"))):
        lines = [line for line in text_lines(rendered) if not line.text.startswith("—")]
        assert max(line.page for line in lines) == 2, name
        page = ["".join(line.text.split()) for line in lines if line.page == 2]
        assert page[0] == "送达回证", name
        assert any("〔2026〕3号）" in text for text in page), (name, page)  # the 文号 whole on its line
        for label in SERVICE_LABELS:
            assert any(label in text for text in page), (name, label)
