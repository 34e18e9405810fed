"""Whose rows a run may use (issue 21): the page's 学校 or 乡镇 account builds documents of its own unit
only — a 学校 its own, a 乡镇 its own and those of the 学校 that 单位设置 lists under it; the 教育局 (and
the command line, which has no accounts) every row. One scope for every task of the page: the
account's (`web.identity.job_scope`) is handed to the task's run (`declare.Run.scope`), and each
task asks `RowScope.split` which of its rows, forms or registers are the account's.

A unit's name is compared as people write it on a form: the 县 of 单位设置 before it and
「人民政府」 after it may be there or not (「某某县城关镇人民政府」 is the 乡镇 「城关镇」), spaces and
full-width letters do not count.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from ..errors import Location, Problem

T = TypeVar("T")
GOVERNMENT = "人民政府"


@dataclass(frozen=True)
class Foreign:
    """The rows a scope left out: how many, where the first is, and how many of each unit as written."""

    count: int
    first: Location
    units: dict[str, int]


@dataclass(frozen=True)
class RowScope:
    """The units whose rows an account may use: `unit` its own (as 单位设置 names it), `schools` the
    学校 whose roster rows it may use (a 学校: itself; a 乡镇: its 学校), `county` the 县 of 单位设置."""

    unit: str
    schools: frozenset[str]
    county: str = ""

    @property
    def units(self) -> frozenset[str]:
        return self.schools | {self.unit}

    def owns(self, name: str) -> bool:
        """Whether the unit `name` (as a form writes it) is one of this scope's."""
        return self._among(name, self.units)

    def has_school(self, name: str) -> bool:
        """Whether the 学校 `name` (as a roster writes it) is one of this scope's `schools`."""
        return self._among(name, self.schools)

    def _among(self, name: str, units: frozenset[str]) -> bool:
        return bool(name.strip()) and self._key(name) in {self._key(u) for u in units}

    def _key(self, name: str) -> str:
        text = "".join(unicodedata.normalize("NFKC", name).split())
        county = "".join(unicodedata.normalize("NFKC", self.county).split())
        if county and text.startswith(county) and text != county:
            text = text[len(county):]
        return text.removesuffix(GOVERNMENT) or text

    def split(self, items: Iterable[T], unit_of: Callable[[T], str],
              where_of: Callable[[T], Location]) -> tuple[list[T], Foreign | None]:  # fmt: skip
        """The items whose unit is this scope's (in order), and what was left out (None: nothing)."""
        own: list[T] = []
        others: Counter[str] = Counter()
        first: Location | None = None
        for item in items:
            unit = (unit_of(item) or "").strip()
            if self.owns(unit):
                own.append(item)
                continue
            others[unit] += 1
            first = first or where_of(item)
        if first is None:
            return own, None
        return own, Foreign(sum(others.values()), first, dict(others))

    def names(self) -> str:
        """This scope's units as a message names them: 「凤山镇及其学校（甲校、乙校）」 or 「甲校」."""
        if self.schools == {self.unit} or not self.schools:
            return self.unit
        return f"{self.unit}及其学校（{'、'.join(sorted(self.schools))}）"

    def left_out(self, foreign: Foreign, what: str, *, refused: bool) -> Problem:
        """What a task says of `foreign` (its first row's cell as the location): `what` names its rows
        (「行」, 「份自查表」); `refused`: an error (nothing is written), else a warning (the rows were
        left out, the others' documents written)."""
        named = "、".join(f"{unit or '未填单位'} {n}" for unit, n in sorted(foreign.units.items()))
        said = f"有 {foreign.count} {what}不属于本单位（{self.names()}）：{named}；此处是第一处。"
        if refused:
            return Problem(foreign.first, f"{said}本账号只能生成本单位的，请删去其他单位的内容后重新上传。")
        return Problem(foreign.first, f"{said}已略去，未为其生成文书：其他单位的由该单位或教育局生成。",
                       severity="warning")
