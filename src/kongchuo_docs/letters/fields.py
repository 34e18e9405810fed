"""The merge fields of one letter: a roster row as Chinese-named strings, ready for Jinja.

Template authors (and clerks writing their own Word template) use these names: ``{{ 姓名 }}``.
Missing optional values are empty strings, never ``None``; dates are written 2020年9月10日.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Protocol

from ..readers.schema import load_schema
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
ROSTER_FORM = "学生名册"  # the blank form (forms/学生名册.yaml) whose headers a template may use as names
ROW_KEY = "\x00row"  # a letter's roster row among its fields: no template can name it
_TAG = re.compile(r"(\{\{|\{%)(.*?)(\}\}|%\})", re.S)


@cache
def header_aliases() -> dict[str, str]:
    """The 学生名册 form's column headers that differ from their merge field name → that name
    (入读学校 → 学校), each also with full-width brackets (户籍所在村（社区）): a secretary writing a
    Word template copies the roster's headers."""
    schema = load_schema(ROSTER_FORM)
    aliases: dict[str, str] = {}
    for attr, label in ROSTER_FIELDS.items():
        header = schema.column(attr).header
        if header != label:
            aliases[header] = label
            aliases[header.translate(str.maketrans("()", "（）"))] = label
    return aliases


def with_field_names(source: str) -> str:
    """`source` with every roster header used as a name inside a Jinja tag (``{{ 入读学校 }}``,
    ``{% if 户籍所在村(社区) %}``) replaced by its merge field name (`field_names_in`)."""
    return _TAG.sub(lambda tag: tag[1] + field_names_in(tag[2]) + tag[3], source)


def field_names_in(expression: str) -> str:
    """The Jinja `expression` (a tag's inside, a wording block's ``if:``) with every roster header
    used as a name (`header_aliases`: 入读学校) replaced by its merge field name (学校)."""
    aliases = header_aliases()
    return _alias_pattern().sub(lambda m: aliases[m[0]], expression)


@cache
def _alias_pattern() -> re.Pattern[str]:
    names = "|".join(re.escape(a) for a in sorted(header_aliases(), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{names})(?!\w)")


def valid_names_text(known: set[str]) -> str:
    """The names a template may use, for a message: roster fields with their form header
    (学校（名册列名：入读学校）), derived fields, then the settings."""
    headers = {label: header for header, label in header_aliases().items() if "（" not in header}
    roster = [f"{name}（名册列名：{headers[name]}）" if name in headers else name for name in ROSTER_FIELDS.values()]
    others = sorted(known - set(ROSTER_FIELDS.values()) - set(DERIVED_FIELDS))
    return "、".join([*roster, *DERIVED_FIELDS, *others])


class StudentLike(Protocol):
    """What the letters need of a roster row (`readers.roster.Student` provides it)."""

    name: str
    id_number: str
    school: str
    row: int


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


def letter_fields(student: StudentLike, school_index: int, sequence: int) -> dict[str, str]:
    """One letter's fields: the student's (`student_fields`), its 序号 and 编号 (`number_fields`), and
    its roster row under `ROW_KEY` (not a merge field: where a letter is named in a message)."""
    return {**student_fields(student), **number_fields(school_index, sequence), ROW_KEY: str(student.row)}


def number_fields(school_index: int, sequence: int) -> dict[str, str]:
    """序号 and 编号 of the `sequence`-th letter (from 1) of the `school_index`-th school (from 1)."""
    return {"序号": str(sequence), "编号": f"{school_index:02d}-{sequence:04d}"}
