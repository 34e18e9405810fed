"""Planning a letters run: the settings checked, the roster read and validated against them, every
character's glyph checked and the fonts subset once for the roster, the letters grouped by school
(责令: by township) and sorted — what `kinds.letters` decides before anything is laid out or written
(`letters.run` then runs it), and what the web page's 校验 reports (`count_spilled`)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from operator import attrgetter
from pathlib import Path

from pypinyin import Style, lazy_pinyin

from .. import console
from .. import gbt9704 as g
from ..errors import InputError, Location, Problems
from ..profile import Profile
from ..profile.checks import check_dates
from ..readers.roster import AgeRule, Roster, Student, read_roster
from ..system.fonts import Fallback, FontSet, fallback_lines, resolve_fonts
from ..wording import sandbox
from .fields import ROSTER_FIELDS, number_fields, student_fields
from .layout import BODY, SLIP_TITLE, TITLE, LetterLayout
from .pdf_fonts import FontPack, build_font_pack
from .settings import LetterSettings, load_settings
from .spec import environment, load_spec
from .spec_model import LetterSpec

GROUP_ATTRIBUTES = {"学校": "school", "乡镇": "township"}  # merge field → roster attribute
SORT_KEYS = {"班级": ("班级",), "村": ("村",)}
"""Setting 排序 → the merge field the letters of a school (township) are grouped by, in natural order."""
WITHIN_ORDERS = ("名册", "拼音", "身份证号")
"""Order of the letters within a class (village): roster rows, 姓名 in pinyin, or ID number."""
SLIP_STYLES = ("回执", "送达回证")
ISSUED_SOURCE = "本次指定的成文日期"  # where an `issued` override of the 成文日期 is said to come from
_DIGITS = re.compile(r"(\d+)")


def spilled_message(spilled: int, kind: str, settings: LetterSettings) -> str:
    """What to tell before generating when `spilled` letters' tear-off slip goes to the next side."""
    slip_name = str(settings["入学回执样式"]) if kind == "入学" else "送达回证"  # 劝返/责令: always 送达回证
    return (f"{spilled} 封通知书的{slip_name}被挤到第 2 页（正文较长：{slip_name}的裁剪线与落款日期之间"
            f"至少空 {g.LETTER_CUT_CLEARANCE_LINES} 行，以免剪到印章）")  # fmt: skip


def warn_spilled(spilled: int, kind: str, settings: LetterSettings) -> None:
    if spilled:
        console.warn(spilled_message(spilled, kind, settings))


def checked_roster(roster: Path, profile: Profile, kind: str, issued: dt.date | None = None,
                   schools: frozenset[str] | None = None) -> tuple[LetterSettings, Roster]:
    """The letters' settings (`issued`, when given, as their 成文日期), checked (sort key, dates),
    and the roster read against their 学年 (only `schools`' rows, when given): what `write_letters`
    starts from, and all the web page's 校验 of a roster does."""
    settings = load_settings(roster, profile)
    if issued is not None:
        settings.values["成文日期"] = issued
        settings.sources["成文日期"] = ISSUED_SOURCE
    sort_key = str(settings["排序"])
    problems = Problems()
    if sort_key not in SORT_KEYS:
        problems.error(Location(settings.sources["排序"], column="排序"), "应为“班级”或“村”", sort_key)
    for key, allowed in (("班内排序", WITHIN_ORDERS), ("入学回执样式", SLIP_STYLES)):
        if str(settings[key]) not in allowed:
            problems.error(Location(settings.sources[key], column=key), f"应为{'、'.join(allowed)}之一", settings[key])
    check_dates(settings.values, lambda key: Location(settings.sources[key], column=key), problems, kind)
    problems.raise_if_errors()
    console.problems(problems.warnings)
    if kind == "责令" and not settings["省级处罚条款"]:
        console.warn("未设置“省级处罚条款”：责令限期复学通知书只引用义务教育法第五十八条，"
                     "逾期后果写作“依法作进一步处理”；请在设置中填写本省条例的处罚条款")  # fmt: skip
    rule = AgeRule(profile.age_reference(str(settings["学年"])))
    return settings, read_roster(roster, age_rule=rule, schools=schools)


def group_letters(groups: dict[str, list[Student]]) -> dict[str, list[dict[str, str]]]:
    """Each group's letters as merge fields: the student's, and 序号/编号 in the group's order."""
    return {
        group: [{**student_fields(s), **number_fields(index, n)} for n, s in enumerate(students, start=1)]
        for index, (group, students) in enumerate(groups.items(), start=1)
    }


def count_spilled(settings: LetterSettings, data: Roster, kind: str) -> int:
    """How many letters of a checked roster would have their tear-off slip on the next side: the
    web page's 校验 tells it before anything is generated (the command tells it as its first step)."""
    spec = load_spec(kind)
    groups = group_students(data.students, spec.group_by, SORT_KEYS[str(settings["排序"])], str(settings["班内排序"]))
    layout = LetterLayout(spec, font_pack(spec, settings, data.students, resolve_fonts(), []))
    context = settings.context()
    letters = [letter for group in group_letters(groups).values() for letter in group]
    return sum(layout.lay_out(letter, context).spilled for letter in letters)


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
        value = student_fields(student)[group_by]
        if not value:
            problems.error(student.location(attribute), f"未填写，无法按{group_by}合并通知书")
        groups[value].append(student)
    problems.raise_if_errors()

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


def check_glyphs(fontset: FontSet, data: Roster, skip_invalid: bool) -> list[Fallback]:
    """The fallback fonts the students' fields need; a character no font has is an error at its
    cell: it stops the run, or with `skip_invalid` its row is skipped and marked like any bad row.
    Coverage is looked up once per distinct character of the roster; only the cells holding a
    character the body face lacks are then located (for the report)."""
    lacking = set(fontset.missing_chars("".join(roster_chars(data.students)), BODY))
    if not lacking:
        return []
    problems = Problems()
    fallbacks: dict[int, list[Fallback]] = defaultdict(list)  # by roster row
    unprintable: dict[int, list[tuple[str, str]]] = defaultdict(list)  # row → (field, message)
    values = [(student, attr, value) for student in data.students for attr in ROSTER_FIELDS
              if isinstance(value := getattr(student, attr), str) and not lacking.isdisjoint(value)]  # fmt: skip
    for student, attr, value in values:
        found = Problems()
        fallbacks[student.row] += fontset.check_text(value, BODY, student.location(attr), found)
        problems.items += found.items
        unprintable[student.row] += [(attr, p.message) for p in found.errors]
    if problems.errors and not skip_invalid:
        raise InputError(problems.items)
    rows = {row.number: row for row in data.table.rows}
    for number, flags in unprintable.items():
        for attr, message in flags:
            data.table.flag(rows[number], attr, message)
    if problems.errors:
        data.table.sort_problems()
        data.students = [s for s in data.students if not unprintable.get(s.row)]
    return [f for s in data.students for f in fallbacks[s.row]]


def roster_chars(students: list[Student]) -> set[str]:
    """Every distinct character of the students' text fields (dates and numbers print only digits and 年月日)."""
    values = attrgetter(*ROSTER_FIELDS)
    return set("".join(v for student in students for v in values(student) if isinstance(v, str)))


def font_pack(spec: LetterSpec, settings: LetterSettings, students: list[Student], fontset: FontSet,
               fallbacks: list[Fallback]) -> FontPack:
    """Check every character of the settings has a glyph, subset the fonts once for `students`
    (whose glyphs `check_glyphs` checked, giving `fallbacks`)."""
    problems = Problems()
    body_chars = set("0123456789X-年月日号：") | roster_chars(students)  # numbers, dates; the fill's colon
    fallbacks = list(fallbacks)
    for key, value in settings.context().items():
        text = "".join(value) if isinstance(value, list) else str(value)
        body_chars.update(text)
        fallbacks += fontset.check_text(text, BODY, Location(settings.sources[key], column=key), problems)
    problems.raise_if_errors()
    for line in fallback_lines(fallbacks):
        console.warn(line)
    title_chars: set[str] = set()
    slip_title_chars: set[str] = set()
    for i, block in enumerate(spec.all_blocks()):
        text = "".join(block.texts())
        body_chars.update(text)
        slip_index = i - len(spec.blocks)
        if block.type in ("title", "cut"):  # an own-page form's title is set like the letter's
            (slip_title_chars if slip_index >= 0 and not spec.in_form(slip_index) else title_chars).update(text)
    for chars in (title_chars, slip_title_chars):
        if "{" in chars:
            chars |= body_chars
    return build_font_pack(fontset, {BODY: body_chars, TITLE: title_chars, SLIP_TITLE: slip_title_chars})


def issuer_of(spec: LetterSpec, fields: dict[str, object]) -> str:
    """The 署名 of a file's letters (the school or township issuing them), as its PDF's creator."""
    signature = next((b for b in spec.blocks if b.type == "signature"), None)
    if signature is None:
        return ""
    template = environment(autoescape=False).from_string(signature.issuer)
    return sandbox.render(template, fields, where=spec.source, field="issuer").strip()
