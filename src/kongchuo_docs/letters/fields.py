"""The merge fields of one letter: a roster row as Chinese-named strings, ready for Jinja.

Template authors (and clerks writing their own Word template) use these names: ``{{ 姓名 }}``.
Missing optional values are empty strings, never ``None``; dates are written 2020年9月10日.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from ..support.normalize import format_date

# Roster attribute → merge field name.
ROSTER_FIELDS: dict[str, str] = {
    "name": "姓名",
    "gender": "性别",
    "birth_date": "出生日期",
    "id_number": "身份证号",
    "household_address": "户籍地址",
    "current_address": "现住址",
    "guardian_name": "监护人姓名",
    "guardian_relation": "与学生关系",
    "phone": "联系电话",
    "school": "学校",
    "grade": "年级",
    "class_name": "班级",
    "township": "乡镇",
    "village": "村",
}
DERIVED_FIELDS: dict[str, str] = {
    "身份证后四位": "last four characters of the ID number",
    "序号": "position of the letter in its school's file, from 1",
    "编号": "学校序号-顺序号, unique in the run (e.g. 03-0017)",
}
FIELD_NAMES: frozenset[str] = frozenset(ROSTER_FIELDS.values()) | frozenset(DERIVED_FIELDS)


class StudentLike(Protocol):
    """What the letters need of a roster row (`readers.roster.Student` provides it)."""

    name: str
    id_number: str
    school: str


def student_fields(student: StudentLike) -> dict[str, str]:
    """The roster fields of one student as merge-field strings (derived fields not included)."""
    fields: dict[str, str] = {}
    for attr, label in ROSTER_FIELDS.items():
        value = getattr(student, attr, None)
        if isinstance(value, dt.date):
            fields[label] = format_date(value)
        else:
            fields[label] = "" if value is None else str(value)
    fields["身份证后四位"] = student.id_number[-4:]
    return fields


def number_fields(school_index: int, sequence: int) -> dict[str, str]:
    """序号 and 编号 of the `sequence`-th letter (from 1) of the `school_index`-th school (from 1)."""
    return {"序号": str(sequence), "编号": f"{school_index:02d}-{sequence:04d}"}
