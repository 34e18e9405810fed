"""The student roster (学生名册, schema ``forms/学生名册.yaml``): read, clean and validate every row.

Beyond the cell checks of `readers.table` (required values, 18-character ID with its MOD 11-2 check
digit, dates, phones, enumerations), a row is checked against itself and the others:
性别 and 出生日期, when filled, must agree with the ID number; the child's age on the reference date
(31 August of the school year) must fit the 年级; an ID number may appear only once (every row
sharing it is named). All problems are reported at once; `Roster.students` holds only the valid rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, SkipValidation

from ..errors import Location, Problems
from .idcard import parse_id
from .schema import load_schema
from .table import Table, TableRow, read_table

if TYPE_CHECKING:
    from ..profile.scope import RowScope

ROSTER_SCHEMA = "学生名册"
# 义务教育法 第十一条: a child enrols in 一年级 in the autumn of the year it turns 6 (by 31 August),
# so a pupil of grade g is g + 5 years old on 31 August of the school year (or one year more where
# enrolment at 7 is the rule).
SCHOOL_YEAR_CUTOFF = (8, 31)  # month, day: the age reference of the school year
GRADES = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "七年级", "八年级", "九年级")
FIRST_GRADE_AGE = 6  # years on the cutoff date
USUAL_AGE_SPREAD = 1  # enrolling at 6 or at 7 is both normal
DEFAULT_OLDER_TOLERANCE = 1  # years older than usual still accepted (延缓入学, repeated year)


class Student(BaseModel):
    """One valid roster row. `row` is its Excel row (or CSV line); `columns` maps field → column
    letter (one dict shared by the students of a sheet, not copied: `SkipValidation`)."""

    model_config = ConfigDict(frozen=True)

    name: str
    gender: str
    birth_date: date
    id_number: str
    household_address: str
    current_address: str | None = None
    guardian_name: str
    guardian_relation: str | None = None
    phone: str | None = None
    school: str
    grade: str
    class_name: str | None = None
    township: str | None = None
    village: str | None = None
    row: int
    file: str
    sheet: str | None = None
    columns: SkipValidation[dict[str, str]] = {}

    @property
    def cells(self) -> dict[str, str]:
        """field → cell ("E17")."""
        return {key: f"{letter}{self.row}" for key, letter in self.columns.items()}

    def location(self, field: str | None = None) -> Location:
        """Where this student (or one of its fields, e.g. "id_number") is in the input."""
        label = load_schema(ROSTER_SCHEMA).column(field).header if field else None
        if self.sheet is None:
            return Location(self.file, line=self.row, column=label)
        letter = self.columns.get(field) if field else None
        cell = f"{letter}{self.row}" if letter else f"第{self.row}行"
        return Location(self.file, self.sheet, cell, column=label)


@dataclass
class Roster:
    """A read roster: the valid students, every problem found, the invalid row numbers."""

    students: list[Student]
    problems: Problems
    invalid_rows: set[int]
    table: Table  # the sheet as read, for the error workbook (`writers.error_workbook`)
    left_out: dict[str, int] = field(default_factory=dict)  # 学校 as written ("" blank) → rows not read

    @property
    def left_out_rows(self) -> int:
        """Rows left out as other schools' (`read_roster`'s `scope`)."""
        return sum(self.left_out.values())

    @property
    def row_count(self) -> int:
        """Data rows read (valid + invalid), blank rows and the form's example row not counted."""
        return self.table.row_count


@dataclass(frozen=True)
class AgeRule:
    """Which ages fit a grade: on `reference_date` a pupil of grade g (1–9) should be
    g + 5 … g + 6 years old, up to `older_tolerance` years older and `younger_tolerance` younger."""

    reference_date: date
    older_tolerance: int = DEFAULT_OLDER_TOLERANCE
    younger_tolerance: int = 0

    def allowed(self, grade: str) -> tuple[int, int]:
        """(youngest, oldest) accepted age in whole years for `grade`."""
        usual = FIRST_GRADE_AGE + GRADES.index(grade)
        return usual - self.younger_tolerance, usual + USUAL_AGE_SPREAD + self.older_tolerance

    def age(self, birth_date: date) -> int:
        ref = self.reference_date
        return ref.year - birth_date.year - ((ref.month, ref.day) < (birth_date.month, birth_date.day))


def school_year_reference(year: int | None = None) -> date:
    """31 August of `year` (default: the current year — the intake the 入学通知书 are for)."""
    return date(year or date.today().year, *SCHOOL_YEAR_CUTOFF)


def read_roster(
    path: Path,
    sheet: str | None = None,
    *,
    age_rule: AgeRule | None = None,
    scope: RowScope | None = None,
    take: Callable[[Student], None] | None = None,
) -> Roster:
    """Read and validate a roster (.xlsx or .csv).

    Raises `InputError` only when the file as a whole cannot be read (no header, a required column
    missing…); row problems are in `Roster.problems` (call ``roster.problems.raise_if_errors()`` to stop
    on any) and their rows in `Roster.invalid_rows`. `age_rule` defaults to 31 August of this year.
    `scope`, when given, holds the only schools whose rows are read (`RowScope.has_school`: names compared
    as people write them): every other row (its 学校 another school's or blank) is left out before any
    check, counted by school in `Roster.left_out`.
    `take`, when given, is handed each row's `Student` as soon as the row has passed its own checks, and
    no row is held: `Roster.students` is then empty, and the valid rows are those handed over less
    `Roster.invalid_rows` (a row handed over may still share its ID number with a later row). What is
    kept while reading is then the problems and each row's ID number.
    """
    rule = age_rule or AgeRule(school_year_reference())
    left_out: Counter[str] = Counter()
    first_rows: dict[str, int] = {}  # ID number → the first row with it
    repeats: dict[str, list[int]] = defaultdict(list)  # ID number on several rows → all of them

    def admit(table: Table, row: TableRow) -> bool:
        if scope is None:
            return True
        school = str(row.values.get("school") or row.raw.get("school") or "").strip()
        if not scope.has_school(school):
            left_out[school] += 1
            return False
        return True

    def keep(table: Table, row: TableRow) -> bool:
        _check_row(table, row, rule)
        number = row.values["id_number"]
        if number is not None:
            first = first_rows.setdefault(number, row.number)
            if first != row.number:
                repeats[number] += [first] if not repeats[number] else []
                repeats[number].append(row.number)
        if take is None:
            return True
        if row.number not in table.invalid_rows:
            take(_student(table, row))
        return False

    table = read_table(Path(path), load_schema(ROSTER_SCHEMA), sheet, admit=admit, keep=keep)
    _flag_duplicates(table, repeats)
    table.sort_problems()
    students = [_student(table, row) for row in table.valid_rows()]
    return Roster(students, table.problems, table.invalid_rows, table, dict(left_out))


def _check_row(table: Table, row: TableRow, rule: AgeRule) -> None:
    values = row.values
    birth = values["birth_date"]
    number = values["id_number"]
    if number is not None:
        info = parse_id(number)
        if values["gender"] is not None and values["gender"] != info.gender:
            table.flag(row, "gender", f"与身份证号不符：身份证号第 17 位表示{info.gender}", values["gender"])
        if birth is not None and birth != info.birth_date:
            table.flag(
                row, "birth_date", f"与身份证号不符：身份证号中的出生日期为 {info.birth_date.isoformat()}",
                birth.isoformat(),
            )  # fmt: skip
        birth = info.birth_date
    grade = values["grade"]
    class_name = values.get("class_name")
    if grade is not None and class_name:  # 班级 written with its grade: the same grade (五年级（1）班)
        named = next((g for g in GRADES if str(class_name).startswith(g)), None)
        if named is not None and named != grade:
            table.flag(row, "class_name", f"班级写的是{named}，与年级“{grade}”不符", class_name)
    if birth is not None and grade is not None:
        youngest, oldest = rule.allowed(grade)
        age = rule.age(birth)
        if not youngest <= age <= oldest:
            table.flag(
                row, "grade",
                f"出生日期 {birth.isoformat()}，{rule.reference_date.isoformat()} 时 {age} 周岁，"
                f"与{grade}不符（应为 {youngest}–{oldest} 周岁）",
                grade,
            )  # fmt: skip


def _flag_duplicates(table: Table, repeats: dict[str, list[int]]) -> None:
    """Flag every row of an ID number written on several rows (`repeats`: ID → its rows, in order)."""
    for number, rows in repeats.items():
        for row in rows:
            others = "、".join(str(other) for other in rows if other != row)
            table.flag(row, "id_number", f"身份证号重复，与第 {others} 行相同", number)


def _student(table: Table, row: TableRow) -> Student:
    values = row.values
    info = parse_id(values["id_number"])  # a valid row's ID passed this check already
    fields = {key: values[key] for key in Student.model_fields if key in values}
    fields.update(gender=values["gender"] or info.gender, birth_date=info.birth_date)
    return Student(**fields, row=row.number, file=table.file, sheet=table.sheet, columns=row.columns)
