"""A round's deadline: a day, open until its end (the next day's 0:00, local time as the store keeps
upload times). An upload after it is taken while the round is open, and marked 逾期 with its time."""

from __future__ import annotations

import datetime as dt

TIME_FORMAT = "%Y-%m-%d %H:%M"


def deadline_end(deadline: dt.date) -> dt.datetime:
    """The moment the deadline day ends: uploads from then on are late."""
    return dt.datetime.combine(deadline + dt.timedelta(days=1), dt.time.min)


def late_note(deadline: dt.date, uploaded_at: dt.datetime | None) -> str:
    """``逾期（2026-10-10 09:15 上传）`` for an upload after `deadline`, else ""."""
    if uploaded_at is None or uploaded_at < deadline_end(deadline):
        return ""
    return f"逾期（{uploaded_at.strftime(TIME_FORMAT)} 上传）"


def closing(deadline: dt.date, now: dt.datetime) -> str:
    """What the 教育局 reads in the list of rounds: how long is left, or 已截止."""
    left = deadline_end(deadline) - now
    return f"还剩 {_span(left)}" if left > dt.timedelta(0) else "已截止"


def time_left(deadline: dt.date, now: dt.datetime) -> str:
    """What a unit reads beside the deadline: how long is left (days and hours, or hours and minutes
    in the last day), or how long ago it passed."""
    left = deadline_end(deadline) - now
    if left > dt.timedelta(0):
        return f"还剩 {_span(left)}"
    return f"已过截止时间 {_span(-left)}，现在上传将标为逾期"


def _span(span: dt.timedelta) -> str:
    minutes = int(span.total_seconds()) // 60
    days, hours, minutes = minutes // 1440, minutes // 60 % 24, minutes % 60
    if days:
        return f"{days} 天 {hours} 小时" if hours else f"{days} 天"
    return f"{hours} 小时 {minutes} 分" if hours else f"{minutes} 分"
