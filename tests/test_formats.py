"""The formats of issue 10 built from YAML through the notice kind, measured on both outputs (the
PDF writer's PDF and the DOCX rendered by LibreOffice): 无版头 report, 上行文 with 签发人, 请示 with
附注, 联合行文 with three organs, a 签字栏 form with a date left for the hand."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pymupdf
import pytest
from pdfmeasure import TextLine, is_red, page_sizes, rules, text_lines

from kongchuo_docs import gbt9704 as g
from kongchuo_docs.errors import InputError
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds.notice import build_notice_files
from kongchuo_docs.layout.boxes import Line
from kongchuo_docs.layout.pages import layout_document
from kongchuo_docs.model import Document, Paragraph, Signature, SignFields
from kongchuo_docs.readers.notice_yaml import read_notice
from kongchuo_docs.system.libreoffice import render_docx_to_pdf, soffice_path

CHAR_MM = g.BODY_CHAR_PITCH_PT / g.PT_PER_MM  # one character of body text, 5.57 mm
PITCH_MM = g.LINE_PITCH_PT / g.PT_PER_MM  # one line, 10.23 mm
LEFT, RIGHT, TOP = g.MARGIN_LEFT_MM, g.MARGIN_LEFT_MM + g.TYPE_AREA_WIDTH_MM, g.MARGIN_TOP_MM

PLAIN = "格式: 无版头\n标题: 起步镇控辍保学工作进展情况报告\n正文: |\n" + "".join(
    f"  {'测试段落' * 13}第{i}段。\n" for i in range(1, 31)
) + "署名: 起步镇人民政府\n成文日期: 2026年3月30日\n版记:\n  抄送: [县教育局]\n  印发机关: 起步镇党政办\n"

UPWARD = """
发文机关: 起步镇人民政府
发文字号: 起政〔2026〕9号
签发人: [张三, 李四, 王五]
标题: 起步镇人民政府关于增设送教上门经费的请示
主送: 县人民政府：
正文: |
  现将有关事项请示如下。
  妥否，请批示。
盖章: 是
成文日期: 2026年3月20日
联系人: 陈某某
联系电话: 0591-26800000
"""

JOINT = """
发文机关: [县教育局, 县民政局, 县公安局]
发文字号: 教综〔2026〕3号
标题: 关于联合开展适龄儿童少年入学情况核查的通知
主送: 各乡（镇）人民政府：
正文: |
""" + "".join(f"  {'核查工作' * 13}第{i}段。\n" for i in range(1, 6)) + """盖章: {seal}
成文日期: 2026年4月1日
"""

FORM = """
格式: plain
标题: 劝返复学学生清单
正文: |
  下列学生经劝返已返校就读，特此确认。
附件说明: 2026年春季学期劝返复学学生名单
附件:
  - 标题: 2026年春季学期劝返复学学生名单
    表格:
      表头: [序号, 姓名, 班级]
      行:
        - [1, 某某, 七年级1班]
    签字栏:
      栏目: [学校负责人, 班主任, 村（居）委会, 乡镇, 监护人, 学生]
      每行: 2
      日期: 是
署名: 某某中学
成文日期: "____年__月__日"
"""

SOURCES = {
    "plain": PLAIN,
    "upward": UPWARD,
    "joint-sealed": JOINT.format(seal="是"),
    "joint": JOINT.format(seal="否"),
    "joint-sealed-short": JOINT.format(seal="是").replace("工作" * 13, "工作"),  # the seal rows would straddle a page
    "form": FORM,
}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """{name: {"pdf": the PDF writer's PDF, "docx": the DOCX rendered by LibreOffice}}."""
    if soffice_path() is None:
        pytest.skip("LibreOffice 未安装：跳过渲染检查（CI 会安装）")
    root = tmp_path_factory.mktemp("formats")
    out: dict[str, dict[str, Path]] = {}
    for name, text in SOURCES.items():
        source = root / f"{name}.yaml"
        source.write_text(text, encoding="utf-8")
        build_notice_files([source], root / name, formats=("docx", "pdf"), force=False)
        out[name] = {"pdf": root / name / f"{name}.pdf",
                     "docx": render_docx_to_pdf(root / name / f"{name}.docx", root / "render" / name)}
    return out


BOTH = pytest.mark.parametrize("writer", ["pdf", "docx"])


def baseline(line: TextLine) -> float:
    """mm from the paper top (pdfmeasure's glyph box is 0.2 em below the baseline)."""
    return line.bottom - 0.2 * line.size / g.PT_PER_MM


def body_lines(pdf: Path) -> list[TextLine]:
    """Text lines without page numbers, the automatic Chinese/Latin spaces taken out."""
    return [replace(line, text=line.text.replace(" ", "")) for line in text_lines(pdf)
            if not line.text.startswith("—")]


def find(pdf: Path, text: str) -> TextLine:
    return next(line for line in body_lines(pdf) if line.text == text)


def red_rows(pdf: Path) -> list[str]:
    """Red text of page 1 row by row (the 发文机关标志), characters joined left to right."""
    chars: list[tuple[float, float, str]] = []
    with pymupdf.open(pdf) as doc:
        for block in doc[0].get_text("rawdict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    if is_red(span["color"]):
                        chars += [(round(span["origin"][1]), c["origin"][0], c["c"]) for c in span["chars"]]
    rows: dict[float, list[tuple[float, str]]] = {}
    for y, x, c in chars:
        if c.strip():
            rows.setdefault(y, []).append((x, c))
    return ["".join(c for _, c in sorted(row)) for _, row in sorted(rows.items())]


def word_box(pdf: Path, page: int, word: str) -> pymupdf.Rect:
    """The first place `word` is printed on `page`, in mm."""
    with pymupdf.open(pdf) as doc:
        hits = doc[page - 1].search_for(word)
    assert hits, word
    return hits[0] * (1 / g.PT_PER_MM)


def word_font(pdf: Path, page: int, word: str) -> str:
    with pymupdf.open(pdf) as doc:
        for block in doc[page - 1].get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    if word in span["text"]:
                        return span["font"]
    raise AssertionError(word)


# ------------------------------------------------------------------ 无版头


@BOTH
def test_plain_report_title_at_the_top_then_one_blank_line_and_22_lines_a_page(outputs, writer) -> None:
    pdf = outputs["plain"][writer]
    lines = body_lines(pdf)
    assert not any(is_red(line.color) for line in lines) and not [r for r in rules(pdf) if is_red(r.color)]
    title = lines[0]
    assert abs(title.size - 22) < 0.01 and title.text == "起步镇控辍保学工作进展情况报告"
    # the title's line opens the 版心: 37 mm ± 1 (its baseline 0.8 of a line below the line's top)
    assert abs(baseline(title) - g.EXACT_LINE_BASELINE_FRACTION * PITCH_MM - TOP) <= 1
    first = lines[1]
    assert first.text.startswith("测试段落")
    assert abs(baseline(first) - baseline(title) - 2 * PITCH_MM) < 0.5  # one blank line between them
    pages = len(page_sizes(pdf))
    assert pages >= 3
    assert len([line for line in lines if line.page == 2]) == 22
    signature, date = find(pdf, "起步镇人民政府"), find(pdf, "2026年3月30日")
    assert signature.page == date.page and abs(baseline(date) - baseline(signature) - PITCH_MM) < 0.5
    cc, printer = find(pdf, "抄送：县教育局。"), find(pdf, "起步镇党政办")  # the optional 版记 …
    assert cc.page == printer.page == pages and pages % 2 == 0  # … on an even last page
    assert abs(printer.bottom - (TOP + g.TYPE_AREA_HEIGHT_MM)) < 3


def test_plain_report_pages_agree_and_the_cli_builds_it(outputs, tmp_path: Path) -> None:
    assert len(page_sizes(outputs["plain"]["pdf"])) == len(page_sizes(outputs["plain"]["docx"]))
    source = tmp_path / "report.yaml"
    source.write_text(PLAIN, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kongchuo_docs", "build", str(source), "-o", str(tmp_path / "o"),
                             "--format", "docx"], capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "o" / "report.docx").is_file()


# ------------------------------------------------------------------ 上行文, 请示


@BOTH
def test_three_signers_two_a_line_number_on_the_last_line(outputs, writer) -> None:
    pdf = outputs["upward"][writer]
    zhang, li, wang = (word_box(pdf, 1, name) for name in ("张三", "李四", "王五"))
    label = word_box(pdf, 1, "签发人")
    number = word_box(pdf, 1, "起政")
    assert abs(li.x1 - (RIGHT - CHAR_MM)) < 0.6  # 居右空一字
    assert abs(label.y1 - zhang.y1) < 0.3 and abs(zhang.y1 - li.y1) < 0.3 and zhang.x1 < li.x0
    assert abs(wang.y1 - zhang.y1 - PITCH_MM) < 0.5  # the third name on the next line …
    assert abs(wang.x0 - zhang.x0) < 0.6  # … under the first name
    assert abs(number.y1 - wang.y1) < 0.3 and abs(number.x0 - (LEFT + CHAR_MM)) < 0.6  # 发文字号 on its line
    assert "Kai" in word_font(pdf, 1, "张三") and "Kai" not in word_font(pdf, 1, "签发人")
    red = [r for r in rules(pdf) if r.page == 1 and is_red(r.color)]
    assert red and abs(red[0].y - red[0].thickness / 2 - number.y1) < 4.5  # the red rule under that line


@BOTH
def test_request_contact_note_below_the_date(outputs, writer) -> None:
    pdf = outputs["upward"][writer]
    date = find(pdf, "2026年3月20日")
    note = next(line for line in body_lines(pdf) if line.text.startswith("（联系人"))
    assert note.text == "（联系人：陈某某；联系电话：0591-26800000）"
    assert note.page == date.page and abs(baseline(note) - baseline(date) - PITCH_MM) < 0.5
    assert abs(note.x0 - (LEFT + 2 * CHAR_MM)) < 0.6  # 居左空二字


@BOTH
def test_single_signer_sample_on_the_number_line(tmp_path: Path, writer: str) -> None:
    if writer == "docx" and soffice_path() is None:
        pytest.skip("LibreOffice 未安装")
    build_notice_files([sample_path("notice", "request.yaml")], tmp_path, formats=(writer,), force=False)
    pdf = tmp_path / "request.pdf" if writer == "pdf" else render_docx_to_pdf(tmp_path / "request.docx", tmp_path)
    number, label = word_box(pdf, 1, "〔2026〕"), word_box(pdf, 1, "签发人")
    line = next(line for line in text_lines(pdf) if "签发人" in line.text)
    assert abs(number.y1 - label.y1) < 0.3 and line.page == 1
    assert abs(line.x1 - (RIGHT - CHAR_MM)) < 0.6 and abs(line.x0 - (LEFT + CHAR_MM)) < 0.6


# ------------------------------------------------------------------ 联合行文


@BOTH
def test_joint_issue_three_organs_in_order(outputs, writer) -> None:
    pdf = outputs["joint"][writer]
    assert red_rows(pdf) == ["县教育局", "县民政局文件", "县公安局"]  # 主办机关 first, "文件" beside the middle
    names = [line for line in body_lines(pdf) if line.text in ("县教育局", "县民政局", "县公安局", "2026年4月1日")
             and not is_red(line.color)]
    assert [n.text for n in names] == ["县教育局", "县民政局", "县公安局", "2026年4月1日"]  # 不加盖印章: stacked
    assert len({n.page for n in names}) == 1 and all(abs(n.x0 - names[0].x0) < 0.3 for n in names[:3])
    assert all(abs(baseline(b) - baseline(a) - PITCH_MM) < 0.5 for a, b in itertools.pairwise(names))
    assert abs(names[3].x0 - names[0].x0 - 2 * CHAR_MM) < 0.6  # date 2 characters right of the 署名


@BOTH
def test_joint_issue_with_seals_names_in_rows_last_over_the_date(outputs, writer) -> None:
    pdf = outputs["joint-sealed"][writer]
    assert red_rows(pdf) == ["县教育局", "县民政局文件", "县公安局"]
    pages = len(page_sizes(pdf))
    a, b, c = (word_box(pdf, pages, name) for name in ("县教育局", "县民政局", "县公安局"))
    date = find(pdf, "2026年4月1日")
    assert date.page == pages
    assert abs(a.y1 - b.y1) < 0.3 and a.x1 < b.x0  # first row: 主办机关, then the second organ
    assert abs(c.y1 - a.y1 - g.SEAL_ROW_PITCH_LINES * PITCH_MM) < 0.5  # rows far enough apart for 42 mm seals
    assert abs(date.bottom - c.y1 - PITCH_MM) < 0.5
    centre = lambda r: (r.x0 + r.x1) / 2  # noqa: E731
    assert abs(centre(c) - centre(date)) < 1 and abs(centre(b) - centre(c)) < 1  # the last seal covers name and date
    assert abs(RIGHT - date.x1 - 4 * CHAR_MM) < 0.6  # 成文日期 右空四字
    assert centre(b) - centre(a) >= g.SEAL_DIAMETER_MM and centre(a) - LEFT >= g.SEAL_DIAMETER_MM / 2


@BOTH
def test_seal_rows_and_date_never_straddle_a_page(outputs, writer) -> None:
    pdf = outputs["joint-sealed-short"][writer]
    lines = body_lines(pdf)
    pages = {line.page for line in lines if line.text in ("县教育局县民政局", "县公安局", "2026年4月1日")
             and not is_red(line.color)}
    assert len(pages) == 1 and len(page_sizes(pdf)) == len(page_sizes(outputs["joint-sealed-short"]["pdf"]))


@pytest.mark.parametrize("paragraphs", range(1, 24))
def test_seal_rows_stay_together_wherever_the_body_ends(paragraphs: int) -> None:
    organs = ["县教育局", "县民政局", "县公安局"]
    doc = Document(issuers=organs, signatures=[Signature(name=o) for o in organs], title="关于核查的通知", seal=True,
                   body=[Paragraph(text="测" * 30) for _ in range(paragraphs)], date=dt.date(2026, 4, 1))
    placed = [(page.number, pl.item.text) for page in layout_document(doc).pages for pl in page.items
              if isinstance(pl.item, Line) and pl.item.role in ("signature", "date")]
    assert [t for _, t in placed] == ["县教育局", "县民政局", "县公安局", "2026年4月1日"]
    assert len({n for n, _ in placed}) == 1


# ------------------------------------------------------------------ 签字栏, dates by hand


@BOTH
def test_sign_fields_rows_and_blank_dates(outputs, writer) -> None:
    pdf = outputs["form"][writer]
    pages = len(page_sizes(pdf))
    labels = ["学校负责人", "班主任", "村（居）委会", "乡镇", "监护人", "学生"]
    boxes = [word_box(pdf, 2, f"{label}：") for label in labels]
    column = g.TYPE_AREA_WIDTH_MM / 2
    for i, box in enumerate(boxes):
        assert abs(box.x0 - (LEFT + (i % 2) * column)) < 0.6, labels[i]
        assert abs(box.y1 - boxes[2 * (i // 2)].y1) < 0.3  # two to a line
    assert abs(boxes[2].y1 - boxes[0].y1 - 3 * PITCH_MM) < 0.5  # the date line and a blank line between rows
    lines = [line for line in body_lines(pdf) if line.page == 2]
    field_lines = [line for line in lines if "____" in line.text]
    assert len(field_lines) == 6 and all(line.x1 <= RIGHT + 0.5 for line in field_lines)
    assert sum(line.text.count("____年__月__日") for line in field_lines) == 6
    assert pages == 2
    date = [line for line in body_lines(pdf) if line.page == 1][-1]
    assert date.text.replace("\u3000", "") == "年月日"  # 成文日期 left for the hand
    note = next(line for line in body_lines(pdf) if line.text.startswith("附件："))
    assert note.text == "附件：2026年春季学期劝返复学学生名单"  # a name starting with a year is read whole


# ------------------------------------------------------------------ the reader (no rendering)


def read(tmp_path: Path, text: str):
    path = tmp_path / "公文.yaml"
    path.write_text(text, encoding="utf-8")
    return read_notice(path)[0]


@pytest.mark.parametrize("spelling", ["无版头", "plain", "无版头格式"])
def test_plain_needs_no_issuer_and_is_printed_unsigned_with_a_warning(tmp_path: Path, spelling: str) -> None:
    doc = read(tmp_path, f"格式: {spelling}\n标题: 情况说明\n正文: 说明。\n署名: 某某中学\n成文日期: 2026-03-01\n")
    assert doc.format == "plain" and doc.issuers == [] and [s.name for s in doc.signatures] == ["某某中学"]
    assert doc.organisation == "某某中学"
    path = tmp_path / "清单.yaml"  # a 清单 signed by nobody: printed without 署名, said as a warning (issue 17)
    path.write_text("格式: 无版头\n标题: 情况说明\n正文: 说明。\n成文日期: 2026-03-01\n", encoding="utf-8")
    doc, warnings = read_notice(path)
    assert doc.signatures == []
    assert [str(w) for w in warnings] == ["清单.yaml:1 署名: 没有署名和发文机关：按无版头排，不印署名"]
    with pytest.raises(InputError) as err:  # a red-header 文件 still needs its 发文机关
        read(tmp_path, "标题: 情况说明\n正文: 说明。\n署名: 某某中学\n成文日期: 2026-03-01\n")
    assert "发文机关: 必填" in str(err.value) and "无版头" in str(err.value)


def test_plain_warns_that_header_items_are_not_printed(tmp_path: Path) -> None:
    path = tmp_path / "公文.yaml"
    path.write_text("格式: 无版头\n发文字号: 教〔2026〕1号\n标题: 报告\n署名: 某某中学\n成文日期: 2026-03-01\n",
                    encoding="utf-8")
    _, warnings = read_notice(path)
    assert [str(w) for w in warnings] == ["公文.yaml:2 发文字号: 无版头的文件不排版头，这一项不会印出"]


@pytest.mark.parametrize("spelling", ["手填", "20  年  月  日", "____年__月__日", "　　年　　月　　日"])
def test_dates_left_for_the_hand(tmp_path: Path, spelling: str) -> None:
    doc = read(tmp_path, f"格式: 无版头\n标题: 清单\n署名: 某某中学\n成文日期: \"{spelling}\"\n")
    assert doc.date is None
    with pytest.raises(InputError):
        read(tmp_path, "格式: 无版头\n标题: 清单\n署名: 某某中学\n成文日期: 2026年13月1日\n")


def test_attachment_note_starting_with_a_year_is_read_whole(tmp_path: Path) -> None:
    base = "发文机关: 县教育局\n标题: 通知\n成文日期: 2026-03-01\n"
    year = "2026年春季学期劝返复学学生名单"
    doc = read(tmp_path, base + f"附件说明: {year}\n附件:\n  - 标题: {year}\n")
    assert doc.attachments[0].title == year
    two = base + f"附件说明: [1. {year}, 2、2025年台账]\n附件:\n  - 标题: {year}\n  - 标题: 2025年台账\n"
    assert [a.title for a in read(tmp_path, two).attachments] == [year, "2025年台账"]  # list numbers still go


def test_contact_and_phone_make_the_note_in_brackets(tmp_path: Path) -> None:
    base = "发文机关: 县教育局\n标题: 请示\n成文日期: 2026-03-01\n"
    doc = read(tmp_path, base + "联系人: 陈某\n联系电话: 0591-1234567\n")
    assert doc.note == "（联系人：陈某；联系电话：0591-1234567）"
    assert read(tmp_path, base + "附注: 此件公开发布\n").note == "（此件公开发布）"
    with pytest.raises(InputError) as err:
        read(tmp_path, base + "附注: （此件公开发布）\n联系人: 陈某\n")
    assert "联系人" in str(err.value)


def test_sign_fields_as_a_list_or_with_options(tmp_path: Path) -> None:
    base = "格式: 无版头\n标题: 清单\n署名: 某某中学\n成文日期: 手填\n"
    doc = read(tmp_path, base + "签字栏: [班主任, 监护人]\n")
    assert doc.body == [SignFields(labels=["班主任", "监护人"])]
    doc = read(tmp_path, base + "签字栏:\n  栏目: [班主任]\n  每行: 1\n  日期: 是\n")
    assert doc.body == [SignFields(labels=["班主任"], per_row=1, dated=True)]
    with pytest.raises(InputError) as err:
        read(tmp_path, base + "签字栏:\n  栏目: [班主任]\n  每行: 7\n")
    assert "公文.yaml:7 每行" in str(err.value)
    with pytest.raises(InputError) as err:
        read(tmp_path, base + f"签字栏: [{'长' * 21}]\n")
    assert "不超过 20 个字" in str(err.value)


def test_long_labels_take_fewer_fields_to_a_line() -> None:
    block = SignFields(labels=["学校负责人", "班主任", "村（居）民委员会主任"], per_row=3)
    doc = Document(format="plain", title="清单", body=[block], date=None)
    rows: dict[float, list[str]] = {}
    for pl in layout_document(doc).pages[0].items:
        if isinstance(pl.item, Line) and pl.item.role == "sign-field":
            rows.setdefault(pl.y_pt, []).append(pl.item.text)
    assert [len(r) for r in rows.values()] == [2, 1]  # 10-character label: two columns, not three
    assert all(text.endswith(g.WRITING_LINE_CHAR * 4) for r in rows.values() for text in r)


def test_signer_names_are_names(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read(tmp_path, "发文机关: 县教育局\n签发人: 县教育局党组书记兼局长张某某\n标题: 请示\n成文日期: 2026-03-01\n")
    assert "签发人" in str(err.value) and "公文.yaml:2" in str(err.value)
