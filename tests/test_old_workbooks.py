"""Old-format (.xls, Excel 97–2003) and OpenDocument (.ods) workbooks read like .xlsx, with the same
cell-located messages. The test files are converted by LibreOffice from generated .xlsx files."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_roster import RULE_2025, _child, _roster

from kongchuo_docs.errors import InputError
from kongchuo_docs.kinds.self_check import read_self_check
from kongchuo_docs.readers.roster import read_roster
from kongchuo_docs.readers.schema import load_schema
from kongchuo_docs.readers.table import read_table
from kongchuo_docs.system.libreoffice import soffice_path
from kongchuo_docs.writers.error_workbook import ERROR_SHEET, write_error_workbook

pytestmark = pytest.mark.skipif(soffice_path() is None, reason="LibreOffice converts the test workbooks")
FILTERS = {"xls": "xls:MS Excel 97", "ods": "ods"}


def convert(xlsx: Path, suffix: str) -> Path:
    """`xlsx` saved as .xls or .ods by headless LibreOffice (a private profile beside the file)."""
    profile = xlsx.parent / f".lo-{suffix}"
    subprocess.run([str(soffice_path()), f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", FILTERS[suffix], "--outdir", str(xlsx.parent), str(xlsx)],
                   capture_output=True, timeout=120, check=True)  # fmt: skip
    shutil.rmtree(profile, ignore_errors=True)
    target = xlsx.with_suffix(f".{suffix}")
    assert target.is_file()
    return target


@pytest.fixture(scope="module")
def rosters(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("old")
    rows = [_child(n) for n in range(1, 6)]
    rows[1][2] = "女"  # gender against the ID: C4
    rows[3][4] = rows[3][4][:17] + ("1" if rows[3][4][17] != "1" else "2")  # check digit: E6
    rows[4][10] = "初一"  # an alias of 七年级 (age then does not fit: the reader says so at K7)
    xlsx = _roster(folder / "名册.xlsx", rows, title=True)
    return {"xlsx": xlsx, "xls": convert(xlsx, "xls"), "ods": convert(xlsx, "ods")}


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_roster_reads_as_its_xlsx_with_the_same_cell_messages(rosters: dict[str, Path], suffix: str) -> None:
    expected = read_roster(rosters["xlsx"], age_rule=RULE_2025)
    got = read_roster(rosters[suffix], age_rule=RULE_2025)
    messages = [str(p).replace("名册.xlsx", "名册") for p in expected.problems.items]
    assert [str(p).replace(f"名册.{suffix}", "名册") for p in got.problems.items] == messages
    assert any(f"名册.{suffix}!学生名册!E6 身份证号" in str(p) for p in got.problems.items)
    assert [s.id_number for s in got.students] == [s.id_number for s in expected.students]
    assert [(s.row, s.birth_date, s.grade) for s in got.students] == \
        [(s.row, s.birth_date, s.grade) for s in expected.students]


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_error_workbook_of_an_old_workbook_marks_the_cells(rosters: dict[str, Path], suffix: str,
                                                           tmp_path: Path) -> None:
    roster = read_roster(rosters[suffix], age_rule=RULE_2025)
    target = tmp_path / "错误.xlsx"
    assert write_error_workbook(roster.table, target) == len(roster.problems.errors)
    workbook = load_workbook(target)
    assert workbook.sheetnames == [ERROR_SHEET, "学生名册"]
    assert workbook["学生名册"]["A1"].value == "罗源县学生名册"
    assert workbook["学生名册"]["E6"].comment is not None


def test_fields_form_and_unreadable_old_workbook(tmp_path: Path) -> None:
    from kongchuo_docs.writers.xlsx_forms import write_blank_form

    blank = tmp_path / "自查表.xlsx"
    write_blank_form(load_schema("自查表"), blank)
    sheet_book = load_workbook(blank)
    sheet = sheet_book.active
    labels = {str(sheet.cell(row=r, column=1).value).rstrip("*"): r for r in range(3, sheet.max_row + 1)}
    sheet.cell(row=labels["单位名称"], column=2, value="罗源县凤山镇人民政府")
    sheet_book.save(blank)
    ods = convert(blank, "ods")
    with pytest.raises(InputError) as err:
        read_self_check(ods)
    assert all(str(p).startswith("自查表.ods!") for p in err.value.problems)
    assert not any("单位名称" in str(p) for p in err.value.problems)  # the value written was read

    broken = tmp_path / "坏.xls"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(InputError, match=r"坏\.xls: 无法作为 Excel 工作簿打开"):
        read_table(broken, load_schema("学生名册"))
