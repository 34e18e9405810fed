"""The rates of 控辍保学 reports, computed from counts (never typed), and the breakdown check.

documents.md "Numbers these documents report": 入学率, 巩固率, 辍学率, 劝返率 and 残疾儿童入学率 (with its
denominator stated) are printed in percent with 2 decimals; a rate whose numerator equals its
denominator prints plainly as ``100%``. Rounding is a setting: round half up, or truncate (some
offices never round a rate up). A zero denominator is not an error of the tool: it prints as
``—（分母为0）``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Literal

RoundingMode = Literal["half-up", "truncate"]
ROUNDING_MODES: dict[str, RoundingMode] = {
    "half-up": "half-up",
    "四舍五入": "half-up",
    "truncate": "truncate",
    "截尾": "truncate",
    "去尾": "truncate",
}
"""Accepted spellings of the rounding setting (CLI option, YAML 设置) → the mode."""

RATE_DECIMALS = 2  # documents.md: rates printed with 2 decimals
ZERO_DENOMINATOR_TEXT = "—（分母为0）"

_QUANTUM = Decimal(1).scaleb(-RATE_DECIMALS)
_DECIMAL_ROUNDING = {"half-up": ROUND_HALF_UP, "truncate": ROUND_DOWN}


def parse_rounding(value: str) -> RoundingMode:
    """The rounding mode named by `value` (``half-up``/``四舍五入`` or ``truncate``/``截尾``)."""
    try:
        return ROUNDING_MODES[value.strip().lower()]
    except KeyError:
        known = "、".join(ROUNDING_MODES)
        raise ValueError(f"舍入方式应为 {known} 之一") from None


@dataclass(frozen=True)
class Rate:
    """One rate: ``numerator ÷ denominator`` in percent, with what each count is."""

    name: str  # 入学率
    numerator: int
    denominator: int
    numerator_label: str  # 已入学适龄儿童少年数
    denominator_label: str  # 适龄儿童少年数

    def percent(self, rounding: RoundingMode = "half-up") -> Decimal | None:
        """The rate in percent rounded to `RATE_DECIMALS`, or None for a zero denominator."""
        if self.denominator == 0:
            return None
        exact = Decimal(self.numerator) * 100 / Decimal(self.denominator)
        return exact.quantize(_QUANTUM, rounding=_DECIMAL_ROUNDING[rounding])

    def text(self, rounding: RoundingMode = "half-up") -> str:
        """``99.85%``; ``100%`` when numerator equals denominator; ``—（分母为0）``."""
        value = self.percent(rounding)
        if value is None:
            return ZERO_DENOMINATOR_TEXT
        if self.numerator == self.denominator:
            return "100%"
        return f"{value}%"

    @property
    def formula(self) -> str:
        """The definition with its counts, e.g.
        ``入学率 = 已入学适龄儿童少年数 1997 ÷ 适龄儿童少年数 2000``."""
        return (
            f"{self.name} = {self.numerator_label} {self.numerator} ÷ "
            f"{self.denominator_label} {self.denominator}"
        )

    @property
    def exceeds_whole(self) -> bool:
        """True when the numerator is larger than the denominator (a data error for these rates)."""
        return self.numerator > self.denominator


def enrolment_rate(enrolled: int, school_age: int) -> Rate:
    """入学率 = 已入学适龄儿童少年数 ÷ 适龄儿童少年数."""
    return Rate("入学率", enrolled, school_age, "已入学适龄儿童少年数", "适龄儿童少年数")


def retention_rate(completing: int, cohort: int) -> Rate:
    """巩固率 = 本届在校（完成）人数 ÷ 本届入学时人数."""
    return Rate("巩固率", completing, cohort, "本届在校（完成）人数", "本届入学时人数")


def dropout_rate(dropouts: int, enrolled_at_term_start: int) -> Rate:
    """辍学率 = 辍学人数 ÷ 学期初在校学生数."""
    return Rate("辍学率", dropouts, enrolled_at_term_start, "辍学人数", "学期初在校学生数")


def return_rate(returned: int, dropouts: int) -> Rate:
    """劝返率 = 劝返复学人数 ÷ 辍学人数."""
    return Rate("劝返率", returned, dropouts, "劝返复学人数", "辍学人数")


def disabled_enrolment_rate(enrolled: int, disabled_school_age: int) -> Rate:
    """残疾儿童入学率 = 入学（含随班就读、送教上门）残疾儿童数 ÷ 适龄残疾儿童数 (the stated denominator)."""
    return Rate(
        "残疾儿童入学率",
        enrolled,
        disabled_school_age,
        "入学（含随班就读、送教上门）残疾儿童数",
        "适龄残疾儿童数",
    )


ABSENCE_PARTS = ("病假", "休学", "延缓入学", "送教上门", "转学", "死亡", "辍学")
"""documents.md: 未到校 = 病假 + 休学 + 延缓入学 + 送教上门 + 转学 + 死亡 + 辍学."""


@dataclass(frozen=True)
class BreakdownMismatch:
    """A total that its parts do not add up to; `message` states both numbers."""

    total_label: str
    total: int
    parts: tuple[tuple[str, int], ...]

    @property
    def parts_sum(self) -> int:
        return sum(n for _, n in self.parts)

    @property
    def message(self) -> str:
        terms = " + ".join(f"{label} {n}" for label, n in self.parts)
        return (
            f"{self.total_label} {self.total} 人，分项合计 {self.parts_sum} 人（{terms}），"
            f"相差 {self.total - self.parts_sum} 人"
        )


def check_breakdown(
    total_label: str, total: int, parts: Mapping[str, int]
) -> BreakdownMismatch | None:
    """None when ``total == sum(parts)``, else the mismatch with both numbers."""
    mismatch = BreakdownMismatch(total_label, total, tuple(parts.items()))
    return None if mismatch.parts_sum == total else mismatch
