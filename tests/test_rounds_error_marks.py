"""The error workbook of a 报送 upload that is not an .xlsx (issue 21 #3): a 登记表 sent as .csv and a
自查表 sent as .ods come back as an .xlsx copy of their values with the bad cell filled red, its
comment saying what is wrong, and the 错误清单 linking to it — as an .xlsx upload does."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from test_old_workbooks import convert
from web_helpers import CLUES, SELF_CHECK_COUNTS, fill, fill_fields

from kongchuo_docs.kinds.forms import build_forms
from kongchuo_docs.rounds.check import check_upload
from kongchuo_docs.rounds.forms import FORM_REGISTER, FORM_SELF_CHECK
from kongchuo_docs.system.libreoffice import soffice_path
from kongchuo_docs.writers.error_workbook import ERROR_FILL, ERROR_SHEET


def _red(book: openpyxl.Workbook, sheet: str) -> dict[str, tuple[object, str]]:
    """The red cells of `sheet`: coordinate -> (value, comment)."""
    return {c.coordinate: (c.value, c.comment.text if c.comment else "") for row in book[sheet].iter_rows()
            for c in row if c.fill.fgColor.rgb == ERROR_FILL.fgColor.rgb}  # fmt: skip


@pytest.fixture(scope="module")
def blanks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("blank")
    build_forms(folder, first_year=2026)
    return folder


def test_a_csv_register_comes_back_marked_at_its_cell(blanks: Path, tmp_path: Path) -> None:
    filled = fill(blanks / "问题线索登记.xlsx", [CLUES[0], {**CLUES[1], "移送日期": "2026-13-01"}], tmp_path / "x.xlsx")
    sheet = openpyxl.load_workbook(filled).worksheets[0]
    text = io.StringIO()
    csv.writer(text).writerows([["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)])
    checked = check_upload(FORM_REGISTER, "凤山镇", "登记表.csv", text.getvalue().encode("utf-8-sig"))
    [error] = [p for p in checked.problems if p["severity"] == "错误"]
    line = int(error["where"].split(":")[1].split()[0])
    assert error["where"].startswith("登记表.csv:") and error["column"] == "移送日期"
    book = openpyxl.load_workbook(io.BytesIO(checked.error_workbook))
    assert book.sheetnames == [ERROR_SHEET, "问题线索登记"]
    [(cell, (value, comment))] = _red(book, "问题线索登记").items()
    header = [c.value for c in book["问题线索登记"][1]]
    column = openpyxl.utils.get_column_letter(header.index(error["column"]) + 1)
    assert value == "2026-13-01" and cell == f"{column}{line}"
    assert comment.startswith(error["message"].split("（")[0])
    assert book[ERROR_SHEET]["A2"].hyperlink.target == f"#'问题线索登记'!{cell}"


@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice converts the test workbook to .ods")
def test_an_ods_self_check_comes_back_marked_at_its_cell(blanks: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / "自查表.xlsx"
    fill_fields(blanks / "自查表.xlsx", xlsx, {"单位名称": "凤山镇人民政府", "单位类型": "乡镇",
                                             "自查时段": "2026年秋季学期", "报告日期": "2026-13-40",
                                             **SELF_CHECK_COUNTS})  # fmt: skip
    ods = convert(xlsx, "ods")
    checked = check_upload(FORM_SELF_CHECK, "凤山镇", "自查表.ods", ods.read_bytes())
    [error] = [p for p in checked.problems if p["severity"] == "错误"]
    assert error["where"].startswith("自查表.ods!自查表!B") and error["column"] == "报告日期"
    book = openpyxl.load_workbook(io.BytesIO(checked.error_workbook))
    assert book.sheetnames == [ERROR_SHEET, "自查表"]  # the sheet a problem names, as values
    [(cell, (value, _))] = _red(book, "自查表").items()
    assert error["where"] == f"自查表.ods!自查表!{cell}" and value == "2026-13-40"
