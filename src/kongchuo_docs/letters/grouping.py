"""The letters of a run grouped by school (责令: by township, the issuer), the groups in name order,
each sorted by class (or village) and within it by roster row, pinyin of the name or ID number, and
numbered (序号, 编号)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from ..errors import Problems
from ..readers.roster import Student
from .fields import letter_fields, student_fields

GROUP_ATTRIBUTES = {"学校": "school", "乡镇": "township"}  # merge field → roster attribute
SORT_KEYS = {"班级": ("班级",), "村": ("村",)}
"""Setting 排序 → the merge field the letters of a school (township) are grouped by, in natural order."""
WITHIN_ORDERS = ("名册", "拼音", "身份证号")
"""Order of the letters within a class (village): roster rows, 姓名 in pinyin, or ID number."""
_DIGITS = re.compile(r"(\d+)")


def group_of(student: Student, group_by: str) -> str:
    """The name of the group (学校 or 乡镇, `group_by`) whose file holds `student`'s letter ("" when
    blank): its merge field (`fields.student_fields`), read alone."""
    value = getattr(student, GROUP_ATTRIBUTES[group_by])
    return "" if value is None else str(value)


def group_letters(groups: dict[str, list[Student]]) -> dict[str, list[dict[str, str]]]:
    """Each group's letters as merge fields: the student's, and 序号/编号 in the group's order."""
    return {
        group: [letter_fields(s, index, n) for n, s in enumerate(students, start=1)]
        for index, (group, students) in enumerate(groups.items(), start=1)
    }


def group_students(
    students: Iterable[Student], group_by: str, order: Sequence[str], within: str = "名册"
) -> dict[str, list[Student]]:
    """Students per `group_by` value (学校 or 乡镇; groups in name order), each group sorted by `order`
    (班级/村) and within that by `within` (`WITHIN_ORDERS`: roster row, pinyin of the name, ID number).
    A student without a `group_by` value is an error (its row named)."""
    groups: dict[str, list[Student]] = defaultdict(list)
    problems = Problems()
    attribute = GROUP_ATTRIBUTES[group_by]
    for student in students:
        value = group_of(student, group_by)
        if not value:
            problems.error(student.location(attribute), f"未填写，无法按{group_by}合并通知书")
        groups[value].append(student)
    problems.raise_if_errors()
    if within == "拼音":  # pypinyin's dictionaries take ~60 MB: loaded only in a process that needs them
        from pypinyin import Style, lazy_pinyin

    def key(student: Student) -> tuple:
        values = student_fields(student)
        if within == "拼音":
            tie: tuple = (tuple(lazy_pinyin(student.name, style=Style.TONE3)), student.name, student.row)
        elif within == "身份证号":
            tie = (student.id_number, student.row)
        else:
            tie = (student.row,)
        return (*(_natural(values[k]) for k in order), *tie)

    return {name: sorted(groups[name], key=key) for name in sorted(groups)}


def _natural(text: str) -> tuple:
    """Sort key reading digit runs as numbers: 二年级(2)班 before 二年级(10)班."""
    return tuple(int(p) if p.isdigit() else p for p in _DIGITS.split(text) if p)
