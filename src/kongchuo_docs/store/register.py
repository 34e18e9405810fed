"""The 发文登记簿 (issue 21 #4): numbers taken atomically per 代字 and calendar year, never given twice;
a voided number stays as 作废; gaps (numbers never registered here) are shown.

`take_number` is one transaction that bumps the counter row (``UPDATE … RETURNING``, which holds the
row's lock on PostgreSQL and the database's write lock on SQLite) and writes the entry, so two runs
at once get two consecutive numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Select, select, update
from sqlalchemy.orm import Session

from ..errors import KongchuoError
from .database import Store, dialect_insert
from .tables import STATUS_ISSUED, STATUS_TAKEN, STATUS_VOID, NumberCounter, RegisterEntry

_CANONICAL = re.compile(r"(?P<prefix>.+)〔(?P<year>\d{4})〕(?P<seq>\d+)号")


@dataclass(frozen=True)
class Issue:
    """What the register records of a document issued under a number (DA/T 22 and the 发文登记簿)."""

    title: str = ""
    genre: str = ""
    recipients: str = ""
    copies_to: str = ""
    secrecy: str = ""
    urgency: str = ""
    signers: str = ""
    issuer: str = ""
    written_on: dt.date | None = None
    printed_on: dt.date | None = None
    attachments: int = 0
    remark: str = ""


@dataclass(frozen=True)
class Year:
    """One 代字's year in the register: its entries in number order and the numbers missing."""

    prefix: str
    year: int
    entries: list[RegisterEntry] = field(default_factory=list)

    @property
    def gaps(self) -> list[int]:
        """顺序号 between 1 and the highest given that the register does not hold."""
        held = {e.sequence for e in self.entries}
        return [n for n in range(1, max(held, default=0) + 1) if n not in held]

    def numbered(self) -> list[tuple[int, RegisterEntry | None]]:
        """Every 顺序号 from 1 to the highest given, with its entry (None for a gap)."""
        by_sequence = {e.sequence: e for e in self.entries}
        return [(n, by_sequence.get(n)) for n in range(1, max(by_sequence, default=0) + 1)]


def doc_number(prefix: str, year: int, sequence: int) -> str:
    """GB/T 9704 §7.2.4: 代字〔年份〕序号号 — the year in full, no 虚位, no 第."""
    return f"{prefix}〔{year}〕{sequence}号"


def parse_number(text: str) -> tuple[str, int, int]:
    """(代字, 年份, 顺序号) of a 发文字号 in any spelling `normalize_doc_number` accepts; KongchuoError
    naming the number if none."""
    from ..support.normalize import NormalizeError, normalize_doc_number

    try:
        fixed, _ = normalize_doc_number(text)
    except NormalizeError as exc:
        raise KongchuoError(f"发文字号 {text}：{exc}") from None
    m = _CANONICAL.fullmatch(fixed)
    assert m is not None, fixed
    return m["prefix"], int(m["year"]), int(m["seq"])


def take_number(store: Store, prefix: str, year: int, issue: Issue) -> RegisterEntry:
    """The next number for `prefix` in `year`, registered as 取号 with `issue`; returns the entry."""
    key = {"area_code": store.area_code, "prefix": prefix, "year": year}
    with store.engine.begin() as connection:
        _ensure_counter(connection, key)
        sequence = connection.execute(
            update(NumberCounter).where(*_matching(NumberCounter, key))
            .values(last=NumberCounter.last + 1).returning(NumberCounter.last)
        ).scalar_one()
        entry_id = _insert(connection, key, sequence, STATUS_TAKEN, issue)
    return _entry(store, entry_id)


def add_number(store: Store, prefix: str, year: int, sequence: int, issue: Issue) -> RegisterEntry:
    """Register a number given by hand (from the paper 发文簿) as 已发文; the counter moves past it, so
    自动 never gives it again and the numbers skipped on the way show as gaps. KongchuoError if the
    register already holds it."""
    key = {"area_code": store.area_code, "prefix": prefix, "year": year}
    with store.engine.begin() as connection:
        _ensure_counter(connection, key)
        last = connection.execute(
            select(NumberCounter.last).where(*_matching(NumberCounter, key)).with_for_update()
        ).scalar_one()
        held = connection.execute(
            select(RegisterEntry.status).where(*_matching(RegisterEntry, key), RegisterEntry.sequence == sequence)
        ).first()
        if held is not None:
            raise KongchuoError(f"{doc_number(prefix, year, sequence)} 已在发文登记簿中（{held.status}），不能重复登记")
        if sequence > last:
            connection.execute(update(NumberCounter).where(*_matching(NumberCounter, key)).values(last=sequence))
        entry_id = _insert(connection, key, sequence, STATUS_ISSUED, issue)
    return _entry(store, entry_id)


def _matching(table: type[NumberCounter] | type[RegisterEntry], key: dict[str, object]) -> list[Any]:
    return [getattr(table, column) == value for column, value in key.items()]


def _ensure_counter(connection: Connection, key: dict[str, object]) -> None:
    connection.execute(dialect_insert(connection)(NumberCounter).values(**key, last=0).on_conflict_do_nothing())


def _insert(connection: Connection, key: dict[str, object], sequence: int, status: str, issue: Issue) -> int:
    prefix, year = key["prefix"], key["year"]
    assert isinstance(prefix, str) and isinstance(year, int)
    values = {**key, "sequence": sequence, "number": doc_number(prefix, year, sequence), "status": status,
              "taken_at": dt.datetime.now(), **issue.__dict__}  # fmt: skip
    return connection.execute(RegisterEntry.__table__.insert().values(**values)).inserted_primary_key[0]


def mark_issued(store: Store, entry_id: int, *, pages: int | None) -> None:
    """The document under `entry_id` was written: 已发文, with its page count."""
    _set(store, entry_id, status=STATUS_ISSUED, pages=pages)


def void_taken(store: Store, entry_id: int, reason: str) -> None:
    """A number taken for a run that then failed: 作废 (never given again)."""
    _set(store, entry_id, status=STATUS_VOID, remark=reason)


def void_number(store: Store, number: str, reason: str) -> RegisterEntry:
    """Void the entry whose 发文字号 is `number` (the clerk's 作废); KongchuoError if none or already void."""
    with store.engine.begin() as connection:
        row = connection.execute(
            select(RegisterEntry.id, RegisterEntry.status)
            .where(RegisterEntry.area_code == store.area_code, RegisterEntry.number == number.strip())
        ).first()
        if row is None:
            raise KongchuoError(f"发文登记簿中没有 {number}")
        if row.status == STATUS_VOID:
            raise KongchuoError(f"{number} 已经作废")
        connection.execute(update(RegisterEntry).where(RegisterEntry.id == row.id)
                           .values(status=STATUS_VOID, remark=reason))
    return _entry(store, row.id)


def register_years(store: Store, *, year: int | None = None, prefix: str | None = None) -> list[Year]:
    """The register of this county by 代字 and year, in number order."""
    query = select(RegisterEntry).where(RegisterEntry.area_code == store.area_code)
    if year is not None:
        query = query.where(RegisterEntry.year == year)
    if prefix:
        query = query.where(RegisterEntry.prefix == prefix)
    query = query.order_by(RegisterEntry.year, RegisterEntry.prefix, RegisterEntry.sequence)
    years: dict[tuple[str, int], Year] = {}
    for entry in _entries(store, query):
        years.setdefault((entry.prefix, entry.year), Year(entry.prefix, entry.year)).entries.append(entry)
    return list(years.values())


def _entries(store: Store, query: Select[tuple[RegisterEntry]]) -> list[RegisterEntry]:
    """The entries `query` selects, detached from their session (plain records to read)."""
    with Session(store.engine, expire_on_commit=False) as session:
        entries = list(session.scalars(query))
        session.expunge_all()
    return entries


def _entry(store: Store, entry_id: int) -> RegisterEntry:
    [entry] = _entries(store, select(RegisterEntry).where(RegisterEntry.id == entry_id))
    return entry


def _set(store: Store, entry_id: int, **values: object) -> None:
    with store.engine.begin() as connection:
        connection.execute(update(RegisterEntry).where(RegisterEntry.id == entry_id).values(**values))
