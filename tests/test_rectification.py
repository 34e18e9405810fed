"""整改通知 + 问题清单: one notice per unit, numbered problems, open items with deadlines, 销号 shown."""

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from profiles import write_profile

from kongchuo_docs.errors import InputError
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds import rectification
from kongchuo_docs.model import Paragraph
from kongchuo_docs.profile import load_profile

HEADERS = ["被检查单位", "问题类别", "问题描述", "整改要求", "整改时限", "整改状态", "检查日期"]


def _sheet(tmp_path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "检查发现问题"
    ws.append(["罗源县控辍保学检查问题汇总"])
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    path = tmp_path / "问题.xlsx"
    wb.save(path)
    return path


ROWS = [
    ["甲乡人民政府", "台账数据", "台账未更新", "更新台账", "2020-10-23", "未整改", "2020-10-12"],
    ["乙小学", "劝返程序", "未上门劝返", "上门劝返", "2020-10-25", "整改中", "2020-10-14"],
    ["甲乡人民政府", "宣传", "未宣传", "开展宣传", "2020-10-20", "销号", "2020-10-13"],
]


PROFILE = load_profile(sample_path("profile", "单位设置.yaml"))


def _read(tmp_path, rows=ROWS, **options):
    options = {"first_number": "罗教综〔2020〕52号", "profile": PROFILE, **options}
    return rectification.read_inspection(_sheet(tmp_path, rows), date=dt.date(2020, 10, 16), **options)


def test_one_notice_per_unit_numbered_on(tmp_path):
    inspection = _read(tmp_path)
    assert inspection.units() == ["甲乡人民政府", "乙小学"]
    assert inspection.inspected == "2020年10月12日至14日"
    numbers = [rectification.nth_number(inspection.first_number, i) for i in range(2)]
    assert numbers == ["罗教综〔2020〕52号", "罗教综〔2020〕53号"]
    doc = rectification.notice_document(inspection, "甲乡人民政府", numbers[0])
    assert doc.kind == "rectification-notice"
    assert doc.recipients == "甲乡人民政府："
    assert doc.issuers == ["罗源县教育局"] and doc.colophon is not None
    attachment = doc.attachments[0]
    assert attachment.landscape
    table = attachment.blocks[0]
    assert [row[0] for row in table.rows] == ["序号", "1", "2"]
    assert [row[7] for row in table.rows[1:]] == ["未整改", "销号"]


def test_problems_numbered_and_open_items_carry_deadlines(tmp_path):
    inspection = _read(tmp_path)
    doc = rectification.notice_document(inspection, "甲乡人民政府", None)
    texts = [b.text for b in doc.body if isinstance(b, Paragraph)]
    assert "1. 台账数据方面：台账未更新。" in texts
    assert "2. 宣传方面：未宣传。（已销号）" in texts
    assert "（1）更新台账（2020年10月23日前完成）" in texts
    assert not any(t.startswith("（2）") for t in texts)  # the closed problem needs no action
    assert any("你乡" in t for t in texts)
    assert any("已销号1个" in t and "尚有1个未完成整改" in t for t in texts)


def test_county_register_renumbers_and_counts_statuses(tmp_path):
    inspection = _read(tmp_path)
    register, progress = rectification.county_register(inspection)
    assert [row[0] for row in register.rows] == [1, 2, 3]
    assert [row[1] for row in register.rows] == ["甲乡人民政府", "甲乡人民政府", "乙小学"]
    assert register.fills == (None, "D9D9D9", "FFF2CC")
    rows = progress.tables[0].rows
    assert rows[-1] == ("合计", 3, 1, 1, 0, 1)


def test_missing_date_and_bad_cells_are_reported_together(tmp_path):
    rows = [["甲乡人民政府", "吃饭", "台账未更新", "更新台账", "十月底", "未整改", None]]
    with pytest.raises(InputError) as info:
        rectification.read_inspection(_sheet(tmp_path, rows))
    messages = [str(p) for p in info.value.problems]
    assert any(m.startswith("问题.xlsx!检查发现问题!B3 问题类别") for m in messages)
    assert any(m.startswith("问题.xlsx!检查发现问题!E3 整改时限") for m in messages)
    assert any("成文日期" in m for m in messages)


def test_doc_number_in_brackets_is_corrected_with_a_warning(tmp_path):
    inspection = rectification.read_inspection(
        _sheet(tmp_path, ROWS), date=dt.date(2020, 10, 16), first_number="罗教综[2020]7号"
    )
    assert inspection.first_number == "罗教综〔2020〕7号"
    assert inspection.warnings


def test_written_files_and_register(tmp_path, monkeypatch):
    written_docs = []
    monkeypatch.setattr(
        rectification, "write_document",
        lambda out, doc, stem, **kw: written_docs.append((stem, doc.doc_number)),
    )  # fmt: skip
    inspection = _read(tmp_path)
    from kongchuo_docs.files.output import OutputSet

    with OutputSet(tmp_path / "out") as out:
        rectification.write_rectification(out, inspection, "问题.xlsx")
    assert written_docs == [
        ("01_甲乡人民政府_整改通知", "罗教综〔2020〕52号"),
        ("02_乙小学_整改通知", "罗教综〔2020〕53号"),
    ]
    wb = openpyxl.load_workbook(tmp_path / "out" / "问题清单.xlsx")  # directly in -o DIR
    assert wb.sheetnames == ["问题清单", "整改进度"]


def test_blank_form_filled_in_reads_back(tmp_path):
    """The blank 检查发现问题 form (with its example row left in place) reads back."""
    from kongchuo_docs.readers.schema import load_schema
    from kongchuo_docs.writers.xlsx_forms import write_blank_form

    schema = load_schema("检查发现问题")
    path = tmp_path / "检查发现问题.xlsx"
    write_blank_form(schema, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["检查发现问题"]
    header_row = next(r for r in ws.iter_rows() if any(c.value == "问题描述*" for c in r))
    column = {str(c.value).rstrip("*"): c.column for c in header_row if c.value}
    values = {"被检查单位": "丙镇人民政府", "问题类别": "档案", "问题描述": "档案不全", "整改要求": "补齐档案",
              "整改时限": "2020-10-23", "整改状态": "已销号"}
    row = ws.max_row + 1
    for label, value in values.items():
        ws.cell(row, column[label], value)
    wb.save(path)
    inspection = rectification.read_inspection(path, date=dt.date(2020, 10, 16))
    assert [(f.unit, f.status) for f in inspection.findings] == [("丙镇人民政府", "销号")]


def _sample_notice():
    from kongchuo_docs.files.resources import sample_path

    inspection = rectification.read_inspection(sample_path("cycle", "检查发现问题.yaml"))
    return rectification.notice_document(inspection, inspection.units()[0], inspection.first_number)


@pytest.fixture(scope="module", params=["docx-libreoffice", "pdf-writer"])
def rendered_notice(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's first 整改通知: DOCX rendered by LibreOffice, and the PDF writer's own PDF."""
    out = tmp_path_factory.mktemp("notice")
    if request.param == "pdf-writer":
        from kongchuo_docs.writers.pdf_writer import write_pdf

        write_pdf(_sample_notice(), out / "整改通知.pdf")
        return out / "整改通知.pdf"
    from kongchuo_docs.system.libreoffice import render_docx_to_pdf, soffice_path
    from kongchuo_docs.writers.docx_writer import write_docx

    if soffice_path() is None:
        pytest.skip("LibreOffice 未安装：跳过渲染检查（CI 会安装）")
    write_docx(_sample_notice(), out / "整改通知.docx")
    return render_docx_to_pdf(out / "整改通知.docx", out)


def test_rendered_notice_meets_the_red_header_rules(rendered_notice):
    from pdfmeasure import is_red, page_sizes, text_lines

    lines = text_lines(rendered_notice)
    mark = next(line for line in lines if line.text == "罗源县教育局文件")
    assert is_red(mark.color) and abs(mark.top - 72) <= 1
    assert any(line.text.replace(" ", "") == "罗教综〔2020〕52号" and line.page == 1 for line in lines)
    numbers = [line for line in lines if line.text.startswith("—")]
    assert numbers and all(abs(line.size - 14) < 0.01 for line in numbers)
    last = len(page_sizes(rendered_notice))
    assert last % 2 == 0  # 版记 on an even page (duplex)
    printed = next(line for line in lines if line.text.endswith("日印发"))
    assert printed.page == last and abs(printed.bottom - 262) < 1.5
    texts = {line.text for line in lines}
    assert "附件" in texts and any("控辍保学问题清单" in t for t in texts)
    body_pages = range(1, printed.page)  # the notice itself, before the 版记 page
    per_page = [sum(1 for line in lines if line.page == p and not line.text.startswith("—")) for p in body_pages]
    assert max(per_page[:2]) == 22  # a full page holds 22 lines


def test_defaults_and_numbering_come_from_the_profile(tmp_path):
    profile = load_profile(write_profile(tmp_path / "p", {
        "县": "古田县", "教育局": "古田县教育局", "办公室": "", "文号代字": {"通知": "古教综", "整改": "古教督"},
        "实施方案": {"标题": "古田县控辍保学工作实施方案", "文号": "古教综〔2021〕12号"}}))
    inspection = _read(tmp_path, profile=profile, first_number="7")
    assert inspection.first_number == "古教督〔2020〕7号"
    doc = rectification.notice_document(inspection, "乙小学", inspection.first_number)
    assert doc.issuers == ["古田县教育局"] and doc.colophon.printer == "古田县教育局办公室"
    assert doc.body[0].text.startswith("根据《古田县控辍保学工作实施方案》（古教综〔2021〕12号）工作安排")
    late = _read(tmp_path, profile=profile, first_number="古教督〔2019〕7号")
    assert any("年份 2019" in str(w) for w in late.warnings)
