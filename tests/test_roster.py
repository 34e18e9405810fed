"""学生名册: validation across columns and rows, all problems at once, the error workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from kongchuo_docs.errors import InputError
from kongchuo_docs.profile.scope import RowScope
from kongchuo_docs.readers.idcard import CHECK_DIGIT_MESSAGE, make_id
from kongchuo_docs.readers.roster import AgeRule, Student, read_roster, school_year_reference
from kongchuo_docs.writers.error_workbook import ERROR_FILL, ERROR_SHEET, write_error_workbook

HEADERS = ["序号", "姓名", "性别", "出生日期", "身份证号", "户籍地址", "监护人姓名", "与学生关系", "联系电话",
           "入读学校", "年级", "班级"]  # fmt: skip
RULE_2025 = AgeRule(school_year_reference(2025))  # ages on 2025-08-31


def _child(n: int, *, born: date = date(2019, 3, 15), male: bool = True, grade: str = "一年级") -> list:
    number = make_id("350123", born, 2 * n + (1 if male else 0))
    name = f"林{'一二三四五六七八九十'[n % 10]}"
    address = "福建省罗源县凤山镇西门村1号"
    return [n, name, "男" if male else "女", born, number, address, "林建国", "父亲", "13905912345",
            "罗源县实验小学", grade, "1班"]  # fmt: skip


def _roster(path: Path, rows: list[list], *, title: bool = False) -> Path:
    workbook = Workbook()
    ws = workbook.active
    ws.title = "学生名册"
    if title:
        ws.append(["罗源县学生名册"])
        ws.merge_cells("A1:L1")
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    workbook.save(path)
    return path


def _read(path: Path, rule: AgeRule = RULE_2025):
    return read_roster(path, age_rule=rule)


def test_valid_roster_gives_students_with_locations(tmp_path: Path) -> None:
    rows = [_child(1), _child(2, born=date(2012, 10, 1), male=False, grade="七年级")]
    rows[1][2] = None  # 性别 left blank: derived from the ID
    rows[1][3] = None
    roster = _read(_roster(tmp_path / "名册.xlsx", rows, title=True))
    assert not roster.problems.items
    first, second = roster.students
    assert isinstance(first, Student)
    assert (first.row, second.row) == (3, 4)
    assert second.gender == "女" and second.birth_date == date(2012, 10, 1)
    assert second.grade == "七年级"
    assert str(second.location("id_number")) == "名册.xlsx!学生名册!E4 身份证号"


def test_bad_check_digit_names_the_cell_and_the_expected_digit(tmp_path: Path) -> None:
    rows = [_child(n) for n in range(1, 17)]
    good = rows[15][4]
    rows[15][4] = good[:17] + ("1" if good[17] != "1" else "2")
    roster = _read(_roster(tmp_path / "名册.xlsx", rows))
    (problem,) = roster.problems.items
    bad = rows[15][4]
    expected = f"名册.xlsx!学生名册!E17 身份证号: {CHECK_DIGIT_MESSAGE}（{bad}）"
    assert str(problem) == expected
    assert roster.invalid_rows == {17}
    assert len(roster.students) == 15


def test_gender_and_birth_date_must_agree_with_the_id(tmp_path: Path) -> None:
    wrong_gender = _child(1)
    wrong_gender[2] = "女"
    wrong_birth = _child(2)
    wrong_birth[3] = date(2019, 3, 16)
    roster = _read(_roster(tmp_path / "名册.xlsx", [wrong_gender, wrong_birth]))
    assert [str(p) for p in roster.problems.items] == [
        "名册.xlsx!学生名册!C2 性别: 与身份证号不符：身份证号第 17 位表示男（女）",
        "名册.xlsx!学生名册!D3 出生日期: 与身份证号不符：身份证号中的出生日期为 2019-03-15（2019-03-16）",
    ]
    assert roster.students == []


def test_age_must_fit_the_grade_with_a_settable_reference_and_tolerance(tmp_path: Path) -> None:
    rows = [
        _child(1, born=date(2019, 8, 31)),  # 6 on 2025-08-31: usual
        _child(2, born=date(2019, 9, 1)),  # 5 on 2025-08-31: too young
        _child(3, born=date(2017, 9, 1)),  # 7: enrolled at 7, accepted; 8 would be within tolerance 1
        _child(4, born=date(2016, 9, 1), grade="七年级"),  # 8 in 七年级: far too young
        _child(5, born=date(2010, 9, 1), grade="七年级"),  # 14: usual 12–13 plus tolerance 1
    ]
    path = _roster(tmp_path / "名册.xlsx", rows)
    roster = _read(path)
    assert roster.invalid_rows == {3, 5}
    assert str(roster.problems.items[0]) == (
        "名册.xlsx!学生名册!K3 年级: 出生日期 2019-09-01，2025-08-31 时 5 周岁，"
        "与一年级不符（应为 6–8 周岁）（一年级）"
    )
    strict = _read(path, AgeRule(school_year_reference(2025), older_tolerance=0))
    assert strict.invalid_rows == {3, 5, 6}
    next_year = _read(path, AgeRule(school_year_reference(2026)))  # everyone a year older
    assert next_year.invalid_rows == {5, 6}


def test_duplicate_ids_name_every_row(tmp_path: Path) -> None:
    rows = [_child(1), _child(2), _child(3), _child(4)]
    rows[3][4] = rows[0][4]
    rows[2][4] = rows[0][4]
    roster = _read(_roster(tmp_path / "名册.xlsx", rows))
    assert [str(p).split("（")[0] for p in roster.problems.items] == [
        "名册.xlsx!学生名册!E2 身份证号: 身份证号重复，与第 4、5 行相同",
        "名册.xlsx!学生名册!E4 身份证号: 身份证号重复，与第 2、5 行相同",
        "名册.xlsx!学生名册!E5 身份证号: 身份证号重复，与第 2、4 行相同",
    ]
    assert [s.row for s in roster.students] == [3]


def test_all_problems_reported_at_once_in_sheet_order(tmp_path: Path) -> None:
    rows = [_child(n) for n in range(1, 7)]
    rows[0][1] = ""  # missing name
    rows[1][4] = rows[1][4][:10]  # short ID
    rows[2][2] = "女"  # gender mismatch
    rows[3][8] = "139059"  # bad phone
    rows[4][9] = None  # missing school
    rows[5][10] = "十年级"  # unknown grade
    roster = _read(_roster(tmp_path / "名册.xlsx", rows))
    cells = [p.location.cell for p in roster.problems.items]
    assert cells == ["B2", "E3", "C4", "I5", "J6", "K7"]
    assert roster.invalid_rows == {2, 3, 4, 5, 6, 7}
    with pytest.raises(InputError) as caught:
        roster.problems.raise_if_errors()
    assert len(caught.value.problems) == 6


def test_structural_problems_raise(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.title = "学生名册"
    workbook.active.append(["姓名", "身份证号", "年级"])
    workbook.save(tmp_path / "缺列.xlsx")
    with pytest.raises(InputError) as caught:
        _read(tmp_path / "缺列.xlsx")
    missing = {p.location.column for p in caught.value.problems}
    assert missing == {"户籍地址", "监护人姓名", "入读学校"}


def test_gbk_csv_roster(tmp_path: Path) -> None:
    rows = [_child(1), _child(2)]
    good = rows[1][4]
    rows[1][4] = good[:17] + ("0" if good[17] != "0" else "1")
    lines = [",".join(HEADERS)] + [",".join(str(v) for v in row) for row in rows]
    path = tmp_path / "名册.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("gbk"))
    roster = _read(path)
    assert [s.name for s in roster.students] == [rows[0][1]]
    (problem,) = roster.problems.items
    assert str(problem).startswith("名册.csv:3 身份证号: 号码有误")


def test_error_workbook_marks_bad_cells(tmp_path: Path) -> None:
    rows = [_child(n) for n in range(1, 5)]
    rows[1][2] = "女"
    rows[3][4] = rows[3][4][:17] + ("1" if rows[3][4][17] != "1" else "2")
    path = _roster(tmp_path / "名册.xlsx", rows, title=True)
    roster = _read(path)
    target = tmp_path / "名册-错误.xlsx"
    assert write_error_workbook(roster.table, target) == 2
    workbook = load_workbook(target)
    assert workbook.sheetnames == [ERROR_SHEET, "学生名册"]
    sheet = workbook["学生名册"]
    assert sheet["A1"].value == "罗源县学生名册"  # the copy keeps everything else
    for ref in ("C4", "E6"):
        assert sheet[ref].fill.fgColor.rgb.endswith(ERROR_FILL.fgColor.rgb[-6:])
        assert sheet[ref].comment is not None
    assert "身份证号第 17 位表示男" in sheet["C4"].comment.text
    assert "请核对户口簿上的身份证号" in sheet["E6"].comment.text
    assert sheet["C3"].comment is None and sheet["C3"].fill.fill_type is None
    listing = list(workbook[ERROR_SHEET].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in listing] == ["学生名册!C4", "学生名册!E6"]


def test_error_workbook_from_csv(tmp_path: Path) -> None:
    rows = [_child(1), _child(2)]
    rows[0][1] = ""
    path = tmp_path / "名册.csv"
    lines = [",".join(HEADERS)] + [",".join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    roster = _read(path)
    target = tmp_path / "错误.xlsx"
    write_error_workbook(roster.table, target)
    sheet = load_workbook(target)["学生名册"]
    assert sheet["B2"].comment is not None and "必填" in sheet["B2"].comment.text
    assert sheet["E3"].value == rows[1][4]  # IDs stay text


def test_rows_of_other_schools_are_left_out_before_any_check(tmp_path) -> None:
    from web_helpers import sample_profile, two_schools_roster

    path, mine, others = two_schools_roster(tmp_path, 3, 3)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    [cell] = [c for row in sheet.iter_rows() for c in row if c.value == others[0]]
    header = next(r for r in sheet.iter_rows(max_row=5) if any(c.value and "身份证" in str(c.value) for c in r))
    id_column = next(c.column for c in header if c.value and "身份证" in str(c.value))
    sheet.cell(cell.row, id_column).value = "123"  # an error in the other school's row
    book.save(path)
    first = sample_profile().schools[0].name
    everyone = read_roster(path)
    assert everyone.problems.errors and everyone.left_out == {}
    ours = read_roster(path, scope=RowScope(first, frozenset({first})))
    assert [s.name for s in ours.students] == mine and not ours.problems.items and not ours.invalid_rows
    assert ours.left_out_rows == 3 and first not in ours.left_out and ours.row_count == 3


def test_a_school_is_known_by_its_name_as_people_write_it(tmp_path) -> None:
    """The letters scope a school account's roster as the other pages scope their rows
    (`RowScope.has_school`): without the 县 before it or with spaces, it is the same school."""
    school = "某某县实验小学"
    scope = RowScope(school, frozenset({school}), county="某某县")
    rows = [_child(n) for n in range(1, 5)]
    for row, written in zip(rows, ("某某县实验小学", "实验小学", "某某县 实验小学", "某某县第二小学"), strict=True):
        row[9] = written
    roster = read_roster(_roster(tmp_path / "名册.xlsx", rows), age_rule=RULE_2025, scope=scope)
    assert [s.row for s in roster.students] == [2, 3, 4] and roster.left_out == {"某某县第二小学": 1}
