"""Letter settings: defaults in ``templates/letters/settings.yaml``, then the 单位设置 profile (its
top-level 学年/日期 and its 通知书 section), then the roster workbook's 设置 sheet.

The defaults file is also the schema (`wording.letter_settings`: its keys, defaults and types).
Unknown keys and values of the wrong type are reported together, located by file, sheet and cell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import console
from ..errors import InputError, Location, Problems
from ..readers.table import WORKBOOK_SUFFIXES, hidden_sheet_warning, open_workbook, workbook_errors
from ..support.normalize import format_date
from ..wording.letter_settings import coerce_setting, default_settings_path, default_values

if TYPE_CHECKING:
    from ..profile import Profile

SETTINGS_SHEET = "设置"
SHEET_HEADER = ("项目", "内容")
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
