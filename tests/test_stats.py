"""Rates from counts: rounding modes, 100 % printed plainly, zero denominators, breakdown sums."""

from decimal import Decimal

import pytest

from kongchuo_docs.model import stats


def test_rate_two_decimals_half_up_and_truncate():
    rate = stats.enrolment_rate(1997, 2000)  # 99.85 %
    assert rate.text() == "99.85%"
    third = stats.dropout_rate(1, 3)  # 33.333… %
    assert third.text("half-up") == "33.33%"
    two_thirds = stats.return_rate(2, 3)  # 66.666… %
    assert two_thirds.text("half-up") == "66.67%"
    assert two_thirds.text("truncate") == "66.66%"


def test_half_up_rounds_exact_half_up():
    # 1/160 = 0.625 % exactly: half-up gives 0.63, truncate 0.62 (no binary-float surprise)
    rate = stats.dropout_rate(1, 160)
    assert rate.percent("half-up") == Decimal("0.63")
    assert rate.percent("truncate") == Decimal("0.62")


def test_hundred_percent_printed_plainly_only_when_exact():
    assert stats.retention_rate(412, 412).text() == "100%"
    near = stats.enrolment_rate(19999, 20000)  # 99.995 %
    assert near.text("half-up") == "100.00%"
    assert near.text("truncate") == "99.99%"


def test_zero_denominator_is_stated_not_raised():
    rate = stats.return_rate(0, 0)
    assert rate.percent() is None
    assert rate.text() == stats.ZERO_DENOMINATOR_TEXT
    assert "分母为0" in rate.text("truncate")


def test_zero_numerator_prints_two_decimals():
    assert stats.dropout_rate(0, 350).text() == "0.00%"


def test_disabled_rate_states_its_denominator():
    rate = stats.disabled_enrolment_rate(19, 20)
    assert rate.text() == "95.00%"
    assert "适龄残疾儿童数 20" in rate.formula
    assert rate.formula.startswith("残疾儿童入学率 = ")


def test_exceeds_whole_flags_numerator_above_denominator():
    assert stats.enrolment_rate(101, 100).exceeds_whole
    assert not stats.enrolment_rate(100, 100).exceeds_whole


def test_breakdown_adds_up():
    parts = dict(zip(stats.ABSENCE_PARTS, [3, 1, 2, 1, 4, 0, 2], strict=True))
    assert stats.check_breakdown("未到校", 13, parts) is None


def test_breakdown_mismatch_reports_both_numbers():
    parts = dict(zip(stats.ABSENCE_PARTS, [3, 1, 2, 1, 4, 0, 2], strict=True))
    mismatch = stats.check_breakdown("未到校", 15, parts)
    assert mismatch is not None
    assert mismatch.parts_sum == 13
    assert "未到校 15 人" in mismatch.message
    assert "分项合计 13 人" in mismatch.message
    assert "相差 2 人" in mismatch.message


@pytest.mark.parametrize(
    ("spelling", "mode"), [("截尾", "truncate"), ("Half-Up", "half-up"), ("四舍五入", "half-up")]
)
def test_parse_rounding(spelling, mode):
    assert stats.parse_rounding(spelling) == mode


def test_parse_rounding_rejects_unknown():
    with pytest.raises(ValueError, match="舍入方式"):
        stats.parse_rounding("银行家")
