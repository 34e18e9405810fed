"""Cross-checks of the dates a profile (or a letter run) sets: 学年 vs 报到日期 vs 成文日期 vs 文号 (a 劝返 or
责令 letter dated before term starts: the 报到日期);
and the 省级处罚条款 a 责令 letter cites.

Each problem names the field. A 学年 whose first year is not the 报到 year is an error (the letter
would send a child to school in the wrong year); dates in an unusual order are warnings, and so is a
处罚条款 written out as its text (the letter prints "将依照{条款}的规定处理": only its name and number fit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from ..errors import Location, Problems
from ..support.normalize import format_date, number_year_problem

NUMBER_PREFIX_KEYS = {"劝返": "劝返文号前缀", "责令": "责令文号前缀"}


def check_dates(values: Mapping[str, object], where: Callable[[str], Location], problems: Problems,
                kind: str | None = None) -> None:
    """Check the dates in `values` (Chinese keys, as the letter settings) for a letter `kind`
    (None: all the checks that do not depend on the kind); `where` locates a key."""
    school_year = str(values.get("学年") or "")
    issued = values.get("成文日期")
    report = values.get("报到日期")
    issued = issued if isinstance(issued, dt.date) else None
    if kind in (None, "入学") and isinstance(report, dt.date):
        if school_year and report.year != int(school_year[:4]):
            problems.error(where("报到日期"), f"报到日期应在学年 {school_year} 的第一年（{school_year[:4]}年）",
                           format_date(report))
        if issued and issued > report:
            problems.warning(where("成文日期"), f"入学通知书的成文日期晚于报到日期 {format_date(report)}",
                             format_date(issued))
    if kind in ("劝返", "责令") and issued and isinstance(report, dt.date) and issued < report:
        problems.warning(where("成文日期"), f"{kind}通知书的成文日期早于开学（报到日期 {format_date(report)}，"
                         f"取自{where('报到日期')}）：{kind}通知书发给开学后仍未到校的学生，请核对成文日期或报到日期",
                         format_date(issued))  # fmt: skip
    deadline = values.get("复学截止日期")
    if kind == "责令" and issued and isinstance(deadline, dt.date) and deadline <= issued:
        problems.warning(where("复学截止日期"), f"复学截止日期不晚于成文日期 {format_date(issued)}",
                         format_date(deadline))
    clause = str(values.get("省级处罚条款") or "").strip()
    if kind == "责令" and any(mark in clause for mark in ("。", "：", ":")):
        problems.warning(where("省级处罚条款"), "写的像是条文内容：责令通知书中印作“将依照（此项）的规定处理”，"
                         "此项只写法规名称和条款序号，如《某某省实施〈中华人民共和国义务教育法〉办法》第四十条",
                         clause[:30] + ("……" if len(clause) > 30 else ""))  # fmt: skip
    key = NUMBER_PREFIX_KEYS.get(kind or "")
    prefix = str(values.get(key) or "") if key else ""
    if key and prefix and issued:
        message = number_year_problem(f"{prefix}1号", issued)
        if message:
            problems.warning(where(key), message, prefix)
