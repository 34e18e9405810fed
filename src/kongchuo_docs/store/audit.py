"""The 操作日志 (issue 21 #2): who did what and when — the account, its role and unit, the action, the
task, its counts, the names of the files uploaded, the outcome. Never a child's name or ID number:
callers pass counts and file names, never rows or messages about rows."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
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


def entries(store: Store, *, limit: int | None = None) -> list[AuditEntry]:
    """This county's entries, newest first (at most `limit`)."""
    query = select(AuditEntry).where(AuditEntry.area_code == store.area_code)
    query = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    with Session(store.engine, expire_on_commit=False) as session:
        rows = list(session.scalars(query))
        session.expunge_all()
    return rows
