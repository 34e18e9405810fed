"""Planning a letters run: the settings checked, the roster read and validated against them, every
character's glyph checked and the fonts subset once for the roster — what `kinds.letters` decides
before anything is laid out or written (`letters.run` then runs it), and what the web page's 校验
reports (`checked_roster`, `spilled_rows`).

The command never holds the roster: its rows are spooled per school as they are read
(`letters.spool`), and what is planned here reads them back (`spooled_schools`); the web page's 校验
holds its (smaller) roster whole.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

from .. import console
from .. import gbt9704 as g
from ..errors import InputError, Location, Problems
from ..profile import Profile
from ..profile.checks import check_dates
from ..profile.scope import RowScope
from ..readers.roster import AgeRule, Roster, Student, read_roster
from ..readers.table import Table
from ..system.fonts import Fallback, FontSet, fallback_lines, resolve_fonts
from .fields import ROSTER_FIELDS
from .grouping import SORT_KEYS, WITHIN_ORDERS, group_letters, group_students
from .jobs import spilled_in
from .layout import BODY, SLIP_TITLE, TITLE, LetterLayout
from .pdf_fonts import FontPack, build_font_pack
from .settings import LetterSettings, load_settings
from .spec import load_spec
from .spec_model import LetterSpec
from .spool import Spool, SpooledRows

SLIP_STYLES = ("回执", "送达回证")
ISSUED_SOURCE = "本次指定的成文日期"  # where an `issued` override of the 成文日期 is said to come from


SPILLED_NAMED = 10  # roster rows a message names of the letters whose slip goes to the next side, then 等


def spilled_message(rows: Sequence[int], kind: str, settings: LetterSettings, table: Table) -> str:
    """What to tell when the letters of roster `rows` (of `table`) have their tear-off slip on the
    next side: how many, where they are in the roster (the first `SPILLED_NAMED` rows, so a secretary
    finds them to shorten them; never a child's name or ID number), and why."""
    slip_name = str(settings["入学回执样式"]) if kind == "入学" else "送达回证"  # 劝返/责令: always 送达回证
    shown = sorted(rows)[:SPILLED_NAMED]
    numbers = f"第 {'、'.join(map(str, shown))} 行" + ("等" if len(rows) > len(shown) else "")
    place = f"{table.file} {numbers}" if table.is_csv else f"{table.file}!{table.sheet}!{numbers}"
    return (f"{len(rows)} 封通知书的{slip_name}被挤到第 2 页（名册 {place}；正文较长：{slip_name}的裁剪线与"
            f"落款日期之间至少空 {g.LETTER_CUT_CLEARANCE_LINES} 行，以免剪到印章）")  # fmt: skip


class SpillNotice:
    """Tells a clerk of the letters whose tear-off slip goes to the next side while the run is still
    young: as soon as the first school (largest first) with such letters is laid out, that school's
    letters (`school_laid_out`); at the end (`end`) all of them, when other schools were still to come.
    `table`: the roster read, whose rows the messages name."""

    def __init__(self, kind: str, settings: LetterSettings, schools: Sequence[str], group_by: str, table: Table):
        self.kind, self.settings, self.schools, self.group_by, self.table = kind, settings, schools, group_by, table
        self.rows: list[int] = []

    def school_laid_out(self, index: int, spilled: tuple[int, ...]) -> None:
        """The `index`-th school's letters are laid out: those of roster rows `spilled` spill."""
        if spilled and not self.rows:
            later = f"；其他{self.group_by}的排好后在最后合计" if len(self.schools) > 1 else ""
            message = spilled_message(spilled, self.kind, self.settings, self.table)
            console.warn(f"{self.schools[index]}：{message}{later}")
        self.rows += spilled

    def end(self) -> None:
        """Every school is laid out: all the rows, when more than one school was to be laid out."""
        if self.rows and len(self.schools) > 1:
            console.warn(f"合计：{spilled_message(self.rows, self.kind, self.settings, self.table)}")


def checked_settings(roster: Path, profile: Profile, kind: str,
                     issued: dt.date | None = None) -> tuple[LetterSettings, AgeRule]:  # fmt: skip
    """The letters' settings (`issued`, when given, as their 成文日期), checked (sort key, dates), and
    the age rule of their 学年 the roster is checked against."""
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
    problems.items += date_problems(settings, kind).items
    problems.raise_if_errors()
    console.problems(problems.warnings)
    if kind == "责令" and not settings["省级处罚条款"]:
        console.warn("未设置“省级处罚条款”：责令限期复学通知书只引用义务教育法第五十八条，"
                     "逾期后果写作“依法作进一步处理”；请在设置中填写本省条例的处罚条款")  # fmt: skip
    return settings, AgeRule(profile.age_reference(str(settings["学年"])))


def date_problems(settings: LetterSettings, kind: str) -> Problems:
    """The settings' dates cross-checked for a letter `kind` (`profile.checks.check_dates`), each
    problem at the setting's source: what the command says, and the web page's 校验 too."""
    problems = Problems()
    check_dates(settings.values, lambda key: Location(settings.sources[key], column=key), problems, kind)
    return problems


def checked_roster(roster: Path, profile: Profile, kind: str, issued: dt.date | None = None,
                   scope: RowScope | None = None) -> tuple[LetterSettings, Roster]:  # fmt: skip
    """The checked settings (`checked_settings`) and the roster read against their 学年, held whole
    (only `scope`'s schools' rows, when given): all the web page's 校验 of a roster does (the command spools
    the rows instead: `spooled_schools`)."""
    settings, rule = checked_settings(roster, profile, kind, issued)
    return settings, read_roster(roster, age_rule=rule, scope=scope)


def spilled_rows(settings: LetterSettings, data: Roster, kind: str) -> tuple[int, ...]:
    """The roster rows of the letters of a checked roster whose tear-off slip would go to the next side: the
    web page's 校验 tells it before anything is generated (the command tells it before it writes:
    `letters.run.run_units`)."""
    spec = load_spec(kind)
    groups = group_students(data.students, spec.group_by, SORT_KEYS[str(settings["排序"])], str(settings["班内排序"]))
    layout = LetterLayout(spec, font_pack(spec, settings, roster_chars(data.students), resolve_fonts(), []))
    context = settings.context()
    letters = [letter for group in group_letters(groups).values() for letter in group]
    return spilled_in([layout.lay_out(letter, context) for letter in letters])


@dataclass
class SpooledSchools:
    """A spooled roster's schools (townships) with valid rows, in name order: their rows
    (`letters.spool`), how many, every character of their fields, the fallback fonts those need."""

    parts: dict[str, SpooledRows]
    counts: dict[str, int]
    chars: set[str]
    fallbacks: list[Fallback]

    @property
    def letters(self) -> int:
        return sum(self.counts.values())


def spooled_schools(spool: Spool, data: Roster, fontset: FontSet, skip_invalid: bool) -> SpooledSchools:
    """The schools of a roster read into `spool` (`data`: what reading it found), less its invalid
    rows; their glyphs checked (`check_glyphs`: an unprintable character stops the run, or with
    `skip_invalid` its row is left out and marked too). Reads the spool back once (twice when a
    character has no glyph in the body face)."""
    parts = spool.parts(data.invalid_rows)
    counts, chars = _survey(parts)
    fallbacks, dropped = check_glyphs(fontset, chars, lambda: _students(parts), data.table, skip_invalid)
    if dropped:
        parts = spool.parts(data.invalid_rows)
        counts, chars = _survey(parts)
    kept = {group: part for group, part in parts.items() if counts[group]}
    return SpooledSchools(kept, {group: counts[group] for group in kept}, chars, fallbacks)


def _survey(parts: dict[str, SpooledRows]) -> tuple[dict[str, int], set[str]]:
    """Each school's count of valid rows, and every character of their text fields (`roster_chars`)."""
    counts: dict[str, int] = {}
    chars: set[str] = set()
    for group, part in parts.items():
        students = list(part.students())
        counts[group] = len(students)
        chars |= roster_chars(students)
    return counts, chars


def _students(parts: dict[str, SpooledRows]) -> Iterator[Student]:
    return (student for part in parts.values() for student in part.students())


def check_glyphs(fontset: FontSet, chars: set[str], students: Callable[[], Iterable[Student]], table: Table,
                 skip_invalid: bool) -> tuple[list[Fallback], set[int]]:  # fmt: skip
    """The fallback fonts the students' fields need (`chars`: every character of them), and the rows
    left out: a character no font has is an error at its cell; it stops the run, or with
    `skip_invalid` its row is marked in `table` like any bad row and left out (the caller drops it).
    Coverage is looked up once per distinct character; only the cells holding a character the body
    face lacks are then located (`students()` read again, for the report)."""
    lacking = set(fontset.missing_chars("".join(chars), BODY))
    if not lacking:
        return [], set()
    problems = Problems()
    fallbacks: dict[int, list[Fallback]] = defaultdict(list)  # by roster row
    unprintable: dict[int, list[tuple[str, str]]] = defaultdict(list)  # row → (field, message)
    values = [(student, attr, value) for student in students() for attr in ROSTER_FIELDS
              if isinstance(value := getattr(student, attr), str) and not lacking.isdisjoint(value)]  # fmt: skip
    for student, attr, value in values:
        found = Problems()
        fallbacks[student.row] += fontset.check_text(value, BODY, student.location(attr), found)
        problems.items += found.items
        unprintable[student.row] += [(attr, p.message) for p in found.errors]
    if problems.errors and not skip_invalid:
        raise InputError(problems.items)
    for number, flags in unprintable.items():
        for attr, message in flags:
            table.flag(number, attr, message)
    if problems.errors:
        table.sort_problems()
    dropped = {number for number, flags in unprintable.items() if flags}
    return [f for number, found in fallbacks.items() if number not in dropped for f in found], dropped


def roster_chars(students: Iterable[Student]) -> set[str]:
    """Every distinct character of the students' text fields (dates and numbers print only digits and 年月日)."""
    values = attrgetter(*ROSTER_FIELDS)
    return set("".join(v for student in students for v in values(student) if isinstance(v, str)))


def font_pack(spec: LetterSpec, settings: LetterSettings, chars: set[str], fontset: FontSet,
              fallbacks: list[Fallback]) -> FontPack:  # fmt: skip
    """Check every character of the settings has a glyph, subset the fonts once for the students'
    characters `chars` (`roster_chars`; `check_glyphs` checked them, giving `fallbacks`)."""
    problems = Problems()
    body_chars = set("0123456789X-年月日号：") | chars  # numbers, dates; the fill's colon
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
    if any(block.type == "cut" for block in spec.slip):  # the ✂ on the cut line, where a face has it
        face, note = fontset.mark_face(g.LETTER_CUT_MARK, BODY)
        if face is not None:
            body_chars.add(g.LETTER_CUT_MARK)
        fontset.announce(once=[note] if note else [])
    return build_font_pack(fontset, {BODY: body_chars, TITLE: title_chars, SLIP_TITLE: slip_title_chars})
