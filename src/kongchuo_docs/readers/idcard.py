"""GB 11643-1999 公民身份号码: the 18-character ID number, its check digit, birth date and gender.

Structure (GB 11643 §4): 6-digit 地址码 (GB/T 2260 administrative division), 8-digit 出生日期码
(YYYYMMDD), 3-digit 顺序码 (odd for men, even for women), 1 校验码 computed with ISO 7064 MOD 11-2
over the first 17 digits; a check value of 10 is written "X".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

ID_LENGTH = 18
# GB 11643 §5.2: weight of position i (1-based, from the left) is 2^(18-i) mod 11.
_WEIGHTS = tuple(pow(2, ID_LENGTH - i, 11) for i in range(1, ID_LENGTH))
# Check character for (weighted sum mod 11) = 0, 1, …, 10.
_CHECK_CHARS = "10X98765432"
# GB/T 2260 province-level codes (first two digits of the 地址码).
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54}
    | {61, 62, 63, 64, 65, 71, 81, 82}
)
_SHAPE = re.compile(r"\d{17}[\dX]")
MALE = "男"
FEMALE = "女"


class IdNumberError(ValueError):
    """An ID number that is not a valid GB 11643 公民身份号码; the message is Chinese."""


# The expected digit is not shown: the mistake is usually among the first 17, and a clerk told
# "应为 7" types a 7 and makes a wrong number pass.
CHECK_DIGIT_MESSAGE = "号码有误（第 18 位校验位与前 17 位不符）：请核对户口簿上的身份证号，逐位抄对，不要只改最后一位"


@dataclass(frozen=True)
class IdInfo:
    """What an ID number says about its holder."""

    number: str
    area_code: str
    birth_date: date
    gender: str  # "男" or "女"


def check_char(first17: str) -> str:
    """The MOD 11-2 check character (0–9 or X) for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def gender_of_sequence(sequence: int) -> str:
    """顺序码 parity: odd → 男, even → 女 (GB 11643 §4.3)."""
    return MALE if sequence % 2 else FEMALE


def parse_id(number: str, *, today: date | None = None) -> IdInfo:
    """Validate an already cleaned ID (upper-case X, no spaces); raise `IdNumberError` saying why.

    `today` bounds the birth date (a birth date in the future is refused); default: no bound.
    """
    if len(number) != ID_LENGTH:
        raise IdNumberError(f"应为 {ID_LENGTH} 位，实际 {len(number)} 位")
    if not _SHAPE.fullmatch(number):
        raise IdNumberError("前 17 位应为数字，第 18 位应为数字或 X")
    if int(number[:2]) not in PROVINCE_CODES:
        raise IdNumberError(f"前两位 {number[:2]} 不是有效的省级行政区划代码")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError(f"第 7–14 位出生日期 {number[6:14]} 不是有效日期") from None
    if today is not None and born > today:
        raise IdNumberError(f"第 7–14 位出生日期 {number[6:14]} 晚于今天")
    expected = check_char(number[:17])
    if number[17] != expected:
        raise IdNumberError(CHECK_DIGIT_MESSAGE)
    return IdInfo(
        number=number,
        area_code=number[:6],
        birth_date=born,
        gender=gender_of_sequence(int(number[14:17])),
    )


def make_id(area_code: str, birth_date: date, sequence: int) -> str:
    """Build a valid ID from a 6-digit area code, a birth date and a 顺序码 0–999 (parity = gender)."""
    if not (len(area_code) == 6 and area_code.isdigit() and 0 <= sequence <= 999):
        raise ValueError(f"bad area code {area_code!r} or sequence {sequence}")
    first17 = f"{area_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)
