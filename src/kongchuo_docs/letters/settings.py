"""Letter settings: defaults in ``templates/letters/settings.yaml``, then the 单位设置 profile (its
top-level 学年/日期 and its 通知书 section), then the roster workbook's 设置 sheet.

The defaults file is also the schema: every key a user may set appears there, and its default
value gives the type (text, yes/no, whole number, date, list). A default date is written without
a year ("8月31日": in the first year of the 学年) or as "今天", so no year is fixed in the package.
Unknown keys and values of the wrong type are reported together, located by file, sheet and cell.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .. import console
from ..errors import InputError, Location, Problems
from ..files.resources import template_path
from ..model.limits import profile_value_problem
from ..readers.normalize import NormalizeError, format_date, parse_date
from ..readers.table import WORKBOOK_SUFFIXES, hidden_sheet_warning, open_workbook, workbook_errors
from ..readers.yaml_load import safe_load

if TYPE_CHECKING:
    from ..profile import Profile

SETTINGS_SHEET = "设置"
SHEET_HEADER = ("项目", "内容")
LIST_SEPARATORS = re.compile(r"[、，,；;\n]+")
_TRUE = frozenset({"true", "yes", "1", "是", "对", "要", "需要", "印"})
_FALSE = frozenset({"false", "no", "0", "否", "不", "不要", "不需要", "不印", ""})
_MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})日")
TODAY = "今天"
SCHOOL_YEAR_KEY = "学年"


@dataclass(frozen=True)
class LetterSettings:
    """Typed setting values by their Chinese key, and where each non-default one came from."""

    values: dict[str, object]
    sources: dict[str, str]

    def __getitem__(self, key: str) -> object:
        return self.values[key]

    def context(self) -> dict[str, object]:
        """The settings as merge fields: dates as 2026年9月1日, everything else as typed."""
        return {k: format_date(v) if isinstance(v, dt.date) else v for k, v in self.values.items()}


def default_settings_path() -> Path:
    return template_path("letters", "settings.yaml")


@cache
def _raw_defaults() -> dict[str, object]:
    data = safe_load(default_settings_path().read_text(encoding="utf-8"))
    return {str(k): v for k, v in data.items()}


def default_values(first_year: int, today: dt.date | None = None) -> dict[str, object]:
    """The defaults with their dates made real: "8月31日" in `first_year`, "今天" as `today`."""
    values: dict[str, object] = {}
    for key, value in _raw_defaults().items():
        if value == TODAY:
            value = today or dt.date.today()
        elif isinstance(value, str) and (m := _MONTH_DAY.fullmatch(value)):
            value = dt.date(first_year, int(m[1]), int(m[2]))
        values[key] = value
    return values


def setting_keys() -> frozenset[str]:
    """Every key a profile's 通知书 section or a 设置 sheet may set (the keys of the defaults file)."""
    return frozenset(_raw_defaults())


def load_settings(roster: Path | None = None, profile: Profile | None = None) -> LetterSettings:
    """Defaults, overridden by the `profile`, overridden by the roster workbook's 设置 sheet."""
    from ..profile.model import normal_school_year

    problems = Problems()
    layers: list[tuple[dict[str, tuple[object, Location]], str]] = []
    if profile is not None:
        origin = profile.source.name if profile.source else "单位设置"
        layers.append(({k: (v, Location(origin, column=k)) for k, v in profile.letter_settings().items()}, origin))
    if roster is not None and roster.suffix.lower() in WORKBOOK_SUFFIXES:
        layers.append((_read_sheet(roster), f"{roster.name}!{SETTINGS_SHEET}"))
    school_year = ""  # the last layer's, which also dates the defaults
    for layer, _ in layers:
        if SCHOOL_YEAR_KEY in layer:
            raw, loc = layer[SCHOOL_YEAR_KEY]
            try:
                school_year = normal_school_year(str(raw).strip())
            except ValueError as exc:
                problems.error(loc, str(exc), raw)
    first_year = int(school_year[:4]) if school_year else dt.date.today().year
    defaults = default_values(first_year)
    values = dict(defaults)
    sources = dict.fromkeys(defaults, "默认设置")
    for layer, origin in layers:
        for key, (raw_value, loc) in layer.items():
            if key not in defaults:
                problems.error(loc, f"未知的设置项目（可用项目见 {default_settings_path().name}）", key)
                continue
            try:
                values[key] = coerce_setting(raw_value, defaults[key])
                sources[key] = origin
            except ValueError as exc:
                problems.error(loc, str(exc), raw_value)
    problems.raise_if_errors()
    values[SCHOOL_YEAR_KEY] = school_year
    return LetterSettings(values, sources)


def _read_sheet(path: Path) -> dict[str, tuple[object, Location]]:
    """The 设置 sheet as key → (value, cell of the value); empty when the workbook has none."""
    try:
        workbook = open_workbook(path)
    except InputError:
        return {}  # an unreadable workbook is reported by the roster reader
    try:
        if SETTINGS_SHEET not in workbook.sheetnames:
            return {}
        with workbook_errors(Location(path.name, SETTINGS_SHEET)):  # a damaged sheet: said at it, no traceback
            sheet = workbook[SETTINGS_SHEET]
            rows = list(sheet.iter_rows(max_col=2, values_only=True))
        if sheet.sheet_state != "visible":
            console.problems([hidden_sheet_warning(path, sheet)])
        found: dict[str, tuple[object, Location]] = {}
        for number, row in enumerate(rows, start=1):
            key_value, value = (*row, None, None)[:2]
            key = None if key_value is None else str(key_value).strip()
            if not key or key == SHEET_HEADER[0]:
                continue
            found[key] = (value, Location(path.name, SETTINGS_SHEET, f"B{number}", column=key))
        return found
    finally:
        workbook.close()


def coerce_setting(value: object, default: object) -> object:
    """`value` converted to the type of `default`; ValueError with a Chinese message otherwise (a text
    longer than `limits.PROFILE_VALUE_MAX_CHARS` too)."""
    if isinstance(value, str) and (too_long := profile_value_problem(value)):
        raise ValueError(too_long)
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        text = "" if value is None else str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError("应填“是”或“否”")
    if isinstance(default, int):
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValueError("应为整数") from None
        if number < 0:
            raise ValueError("不能为负数")
        return number
    if isinstance(default, dt.date):
        if isinstance(value, str) and value.strip() == TODAY:
            return dt.date.today()
        try:
            return parse_date(value)
        except NormalizeError as exc:
            raise ValueError(str(exc)) from None
    if isinstance(default, list):
        if isinstance(value, list):
            return [str(v).strip() for v in value if str(v).strip()]
        return [item.strip() for item in LIST_SEPARATORS.split(str(value or "")) if item.strip()]
    return "" if value is None else str(value).strip()
