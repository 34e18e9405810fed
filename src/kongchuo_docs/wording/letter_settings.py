"""The letters' settings file ``templates/letters/settings.yaml``: every key a 单位设置's 通知书 section
or a roster's 设置 sheet may set, and its default, whose type (text, yes/no, whole number, date, list)
is the setting's type. A default date is written without a year ("8月31日": in the first year of the
学年) or as "今天", so no year is fixed in the package.

The profile's model (`profile.model`), the letters (`letters.settings.load_settings`, which layers
defaults → profile → 设置 sheet) and the wording check (the variables a letters wording file may use)
all read the keys here, so none of them imports another for it.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

from ..files.resources import template_path
from ..model.limits import profile_value_problem
from ..support.normalize import NormalizeError, parse_date
from ..support.yaml_load import safe_load

LIST_SEPARATORS = re.compile(r"[、，,；;\n]+")
_TRUE = frozenset({"true", "yes", "1", "是", "对", "要", "需要", "印"})
_FALSE = frozenset({"false", "no", "0", "否", "不", "不要", "不需要", "不印", ""})
_MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})日")
TODAY = "今天"


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
