"""The 操作日志 (issue 21 #2): who did what and when — the account, its role and unit, the action, the
task, its counts, the names of the files uploaded, the outcome. Never a child's name or ID number:
callers pass counts and file names, never rows or messages about rows."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from .database import Store
from .tables import AuditEntry

SUCCEEDED = "成功"
FILES_MAX_CHARS = 2_000  # of the joined file names of one entry (200 uploads make a long line)


@dataclass(frozen=True)
class Actor:
    """Who acted: 用户名 ("" without accounts or for a failed login's unknown name), role and unit."""

    name: str = ""
    role: str = ""
    unit: str = ""


def command_line() -> Actor:
    """The actor of a ``kongchuo-docs`` command: 「命令行：」 and the operating system's user name."""
    try:
        return Actor(name=f"命令行：{getpass.getuser()}")
    except (OSError, KeyError):  # no user name in the environment nor in the password database
        return Actor(name="命令行")


def record(store: Store, actor: Actor, action: str, *, task: str = "", counts: str = "",
           files: Sequence[str] = (), outcome: str = SUCCEEDED) -> None:  # fmt: skip
    """Add one entry, timed now."""
    joined = "、".join(files)
    if len(joined) > FILES_MAX_CHARS:
        joined = joined[: FILES_MAX_CHARS - 1] + "…"
    with store.engine.begin() as connection:
        connection.execute(AuditEntry.__table__.insert().values(
            area_code=store.area_code, at=dt.datetime.now().replace(microsecond=0), account=actor.name,
            role=actor.role, unit=actor.unit, action=action, task=task, counts=counts, files=joined,
            outcome=outcome))  # fmt: skip


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to show: from the day `start` to the day `end` (both included, None: open), of
    the 用户名 `account` and the action `action` ("" for any)."""

    start: dt.date | None = None
    end: dt.date | None = None
    account: str = ""
    action: str = ""

    def described(self) -> str:
        """The filter in words ("" when it lets everything through)."""
        days = f"{self.start or '最早'} 至 {self.end or '今天'}" if self.start or self.end else ""
        parts = [days, f"用户 {self.account}" if self.account else "", f"操作 {self.action}" if self.action else ""]
        return "，".join(p for p in parts if p)

    def where(self, query: Select) -> Select:
        """`query` on this county's entries narrowed to this filter."""
        if self.start is not None:
            query = query.where(AuditEntry.at >= dt.datetime.combine(self.start, dt.time()))
        if self.end is not None:
            query = query.where(AuditEntry.at < dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time()))
        if self.account:
            query = query.where(AuditEntry.account == self.account)
        if self.action:
            query = query.where(AuditEntry.action == self.action)
        return query


def entries(store: Store, *, limit: int | None = None, offset: int = 0,
            only: AuditFilter = AuditFilter()) -> list[AuditEntry]:  # fmt: skip
    """This county's entries that `only` lets through, newest first (at most `limit`, after `offset`)."""
    query = only.where(select(AuditEntry).where(AuditEntry.area_code == store.area_code))
    query = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit).offset(offset)
    with Session(store.engine, expire_on_commit=False) as session:
        rows = list(session.scalars(query))
        session.expunge_all()
    return rows


def count_entries(store: Store, only: AuditFilter = AuditFilter()) -> int:
    """How many of this county's entries `only` lets through."""
    query = only.where(select(func.count()).select_from(AuditEntry).where(AuditEntry.area_code == store.area_code))
    with store.engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def logged_names(store: Store) -> tuple[list[str], list[str]]:
    """The 用户名 and the actions this county's log holds, each sorted (the filter's choices)."""
    mine = AuditEntry.area_code == store.area_code
    with store.engine.connect() as connection:
        names = connection.execute(select(AuditEntry.account).where(mine).distinct()).scalars()
        accounts = sorted(n for n in names if n)
        actions = sorted(connection.execute(select(AuditEntry.action).where(mine).distinct()).scalars())
    return accounts, actions
