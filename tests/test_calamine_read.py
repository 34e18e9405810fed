"""Workbooks are read with python-calamine: a roster gives the same values and the same cell messages
as openpyxl gave (the reader before), also where the two libraries differ — dates typed as text or
stored as dates (openpyxl: datetime, calamine: date), ID numbers stored as numbers, whole numbers
(calamine: floats), a merged title row, formulas with and without a cached result; a formula whose result
is an error value is now said to be one (openpyxl gave its text, e.g. #DIV/0!, as the value). Cells
merged down over several rows differ on purpose (tests/test_merged_cells.py)."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_roster import _roster

from kongchuo_docs.errors import InputError
from kongchuo_docs.readers import table as table_module
from kongchuo_docs.readers.idcard import make_id
from kongchuo_docs.readers.roster import AgeRule, read_roster, school_year_reference
from kongchuo_docs.readers.table import FORMULA_ERROR, UNCALCULATED
from kongchuo_docs.writers.error_workbook import write_error_workbook

RULE = AgeRule(school_year_reference(2025))


def _row(n: int, born: date = date(2019, 3, 15)) -> list:
    return [n, f"林{'一二三四五六七八九十'[n % 10]}", "男", born, make_id("350123", born, 2 * n + 1),
            "福建省罗源县凤山镇西门村1号", "林建国", "父亲", "13905912345", "罗源县实验小学", "一年级",
            "1班"]  # fmt: skip


def _with_cached_results(path: Path, results: dict[str, tuple[str, str]]) -> None:
    """Give formula cells the result Excel would have cached (openpyxl writes none): cell → (t, value)."""
    with zipfile.ZipFile(path) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for cell, (kind, value) in results.items():
        sheet, n = re.subn(rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v>\s*</v></c>',
                           rf'<c r="{cell}"\1 t="{kind}"><f>\2</f><v>{value}</v></c>', sheet)  # fmt: skip
        assert n == 1, cell
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def _hostile_roster(path: Path) -> Path:
    """A roster with every cell shape on which openpyxl and calamine differ, most of them wrong."""
    rows = [_row(n) for n in range(1, 15)]
    rows[0][3] = "2019年3月15日"  # a date typed as text
    rows[1][3] = "2019.3.15"
    rows[2][3] = "2019-13-40"  # a date typed as text that is no date
    rows[3][3] = datetime(2019, 3, 15, 8, 30)  # a date cell with a time
    rows[4][4] = 350123201903150000  # an ID number stored as a number: Excel kept 15 digits
    rows[5][4] = float(rows[5][4][:17] + "0")  # a float ID, as a program writes it
    rows[6][4] = int(rows[6][4][:15])  # 15 digits, as a number
    rows[7][8] = 13905912345  # a phone as a whole number
    rows[7][11] = 2  # 班级 as a number
    rows[8][1] = '="林"&"十"'  # formulas with a cached result (set below)
    rows[8][9] = '="罗源县"&"实验小学"'
    rows[9][1] = "=1/0"  # a formula whose result is an error value (cached below)
    rows[10][1] = '="林"&"一"'  # formulas without a cached result (never calculated)
    rows[10][6] = '="林"&"建国"'
    rows[11][0] = 12.0  # 序号 as a float
    rows[12][1] = "  林\u3000三 "  # spaces (also full-width) around and inside a name
    _roster(path, rows, title=True)  # under a merged title row
    _with_cached_results(path, {"B11": ("str", "林十"), "J11": ("str", "罗源县实验小学"), "B12": ("e", "#DIV/0!")})
    return path


class _OpenpyxlBook:
    """The reader before: openpyxl's read-only workbook, cached results (``data_only``)."""

    def __new__(cls, path: Path):
        return load_workbook(path, read_only=True, data_only=True)


def _read(path: Path, monkeypatch: pytest.MonkeyPatch | None = None):
    if monkeypatch is not None:
        monkeypatch.setattr(table_module, "CalamineWorkbook", _OpenpyxlBook)
    return read_roster(path, age_rule=RULE)


def _problems(roster) -> list[str]:
    return [f"{p.severity} {p}" for p in roster.problems.items]


def test_openpyxl_is_the_reference_being_replaced(tmp_path: Path, monkeypatch) -> None:
    """The comparison below reads the same file both ways: its reference really is openpyxl."""
    path = _hostile_roster(tmp_path / "名册.xlsx")
    opened: list[object] = []
    monkeypatch.setattr(table_module, "CalamineWorkbook", lambda p: opened.append(p) or _OpenpyxlBook(p))
    read_roster(path, age_rule=RULE)
    assert opened == [path]
    assert type(table_module.open_workbook(path)).__module__.startswith("openpyxl")
    monkeypatch.undo()
    assert type(table_module.open_workbook(path)).__name__ == "CalamineWorkbook"


def test_calamine_gives_the_values_and_cell_messages_openpyxl_gave(tmp_path: Path, monkeypatch) -> None:
    path = _hostile_roster(tmp_path / "名册.xlsx")
    ours = _read(path)
    before = _read(path, monkeypatch)
    error_row = 12  # the #DIV/0! formula: compared in the next test
    assert [s.model_dump() for s in ours.students] == [s.model_dump() for s in before.students]
    assert ours.invalid_rows == before.invalid_rows
    assert [p for p in _problems(ours) if "B12" not in p] == [p for p in _problems(before) if "B12" not in p]
    assert [(r.number, r.values, r.raw, r.cells) for r in ours.table.rows if r.number != error_row] == \
        [(r.number, r.values, r.raw, r.cells) for r in before.table.rows if r.number != error_row]
    # what the comparison covers: the valid rows and each kind of message
    by_cell = {p.location.cell: p.message for p in ours.problems.items}
    assert {s.row for s in ours.students} == {3, 4, 6, 10, 11, 14, 15, 16}
    named = {s.row: s for s in ours.students}
    assert named[11].name == "林十" and named[11].school == "罗源县实验小学"  # cached formula results
    assert named[6].birth_date == date(2019, 3, 15)  # a date cell with a time
    assert named[10].phone == "13905912345" and named[10].class_name == "2"
    assert named[15].name == "林三"
    assert "不是有效日期" in by_cell["D5"]
    assert "15 位有效数字" in by_cell["E7"] and "15 位有效数字" in by_cell["E8"]
    assert "应为 18 位" in by_cell["E9"]
    assert by_cell["B13"] == UNCALCULATED and by_cell["G13"] == UNCALCULATED


def test_a_formula_whose_result_is_an_error_value_is_said_to_be_one(tmp_path: Path, monkeypatch) -> None:
    path = _hostile_roster(tmp_path / "名册.xlsx")
    ours = {p.location.cell: str(p) for p in _read(path).problems.items}
    assert ours["B12"] == f"名册.xlsx!学生名册!B12 姓名: {FORMULA_ERROR.format('#DIV/0!')}"
    before = {p.location.cell: str(p) for p in _read(path, monkeypatch).problems.items}
    assert before["B12"] == "名册.xlsx!学生名册!B12 姓名: 姓名中不应有数字（#DIV/0!）"  # openpyxl: the error's text


def test_the_error_workbook_marks_the_same_cells_with_the_same_values(tmp_path: Path, monkeypatch) -> None:
    path = _hostile_roster(tmp_path / "名册.xlsx")
    marked = []
    for patch in (None, monkeypatch):
        target = tmp_path / f"标注{len(marked)}.xlsx"
        write_error_workbook(_read(path, patch).table, target)
        sheet = load_workbook(target)["学生名册"]
        filled = [c for row in sheet.iter_rows() for c in row if c.fill.fgColor.rgb not in (None, "00000000")]
        marked.append({(c.coordinate, c.value.date() if isinstance(c.value, datetime) else c.value) for c in filled})
    ours, before = ({(cell, value) for cell, value in m if cell != "B12"} for m in marked)
    assert ours == before and len(ours) >= 6
    assert ("B12", None) in marked[0] and ("B12", "#DIV/0!") in marked[1]  # the error value, not copied as text


def test_a_damaged_xlsx_is_still_refused_at_the_file(tmp_path: Path) -> None:
    path = tmp_path / "名册.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputError, match=r"名册\.xlsx: 无法作为 Excel 工作簿打开"):
        read_roster(path, age_rule=RULE)


def test_a_damaged_sheet_is_refused_at_it_not_with_a_traceback(tmp_path: Path) -> None:
    """calamine parses a sheet when it is opened (openpyxl only while reading its rows): a damaged
    roster sheet or 设置 sheet is still a message at the file and sheet."""
    from kongchuo_docs.files.resources import sample_path
    from kongchuo_docs.letters.settings import load_settings
    from kongchuo_docs.profile import load_profile

    path = _hostile_roster(tmp_path / "名册.xlsx")
    workbook = load_workbook(path)
    workbook.create_sheet("设置").append(["咨询电话", "0591-26831234"])
    workbook.save(path)
    with zipfile.ZipFile(path) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    for sheet, where in (("sheet2", r"名册\.xlsx!设置: 无法作为 Excel 工作簿打开"),
                         ("sheet1", r"名册\.xlsx: 无法作为 Excel 工作簿打开")):  # fmt: skip
        damaged = dict(parts)
        damaged[f"xl/worksheets/{sheet}.xml"] = parts[f"xl/worksheets/{sheet}.xml"][:200]
        with zipfile.ZipFile(path, "w") as zf:
            for name, data in damaged.items():
                zf.writestr(name, data)
        with pytest.raises(InputError, match=where):
            load_settings(path, load_profile(sample_path("profile", "单位设置.yaml")))
            read_roster(path, age_rule=RULE)
