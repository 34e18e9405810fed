"""GB 11643 公民身份号码: check digit, birth date, gender."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from kongchuo_docs.readers.idcard import IdNumberError, check_char, make_id, parse_id


def _weighted_sum_check(first17: str) -> str:
    """Independent MOD 11-2: weights 2^(17-i) mod 11, check value (12 - sum mod 11) mod 11, 10 → X."""
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def test_check_char_agrees_with_the_iso_7064_formula() -> None:
    rng = random.Random(5)
    for _ in range(500):
        first17 = "".join(rng.choice("0123456789") for _ in range(17))
        assert check_char(first17) == _weighted_sum_check(first17)


def test_make_id_round_trips_birth_date_and_gender() -> None:
    rng = random.Random(11)
    for _ in range(200):
        born = date(2005, 1, 1) + timedelta(days=rng.randrange(6000))
        sequence = rng.randrange(1000)
        info = parse_id(make_id("350123", born, sequence))
        assert info.birth_date == born
        assert info.gender == ("男" if sequence % 2 else "女")
        assert info.area_code == "350123"


def test_every_wrong_check_character_sends_the_clerk_to_the_household_register() -> None:
    number = make_id("350123", date(2019, 3, 15), 2)
    for wrong in "0123456789X":
        if wrong == number[-1]:
            continue
        with pytest.raises(IdNumberError, match="第 18 位校验位与前 17 位不符）：请核对户口簿上的身份证号"):
            parse_id(number[:17] + wrong)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("35012320190315002", "应为 18 位，实际 17 位"),
        ("3501232019031500A8", "前 17 位应为数字"),
        ("990123201903150028", "省级行政区划代码"),
    ],
)
def test_malformed_numbers_say_why(number: str, message: str) -> None:
    with pytest.raises(IdNumberError, match=message):
        parse_id(number)


def test_impossible_birth_date_is_refused_even_with_a_matching_check_digit() -> None:
    first17 = "35012320190230001"  # 30 February
    with pytest.raises(IdNumberError, match="20190230 不是有效日期"):
        parse_id(first17 + check_char(first17))


def test_future_birth_date_is_refused_when_today_is_given() -> None:
    number = make_id("350123", date(2031, 1, 2), 5)
    assert parse_id(number).birth_date == date(2031, 1, 2)
    with pytest.raises(IdNumberError, match="晚于今天"):
        parse_id(number, today=date(2030, 12, 31))
