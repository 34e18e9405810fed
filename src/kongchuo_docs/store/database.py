"""Where the store is and how it is opened: a URL (``sqlite:///…`` or ``postgresql+psycopg://…``),
by default the SQLite file beside the 单位设置; the schema brought to the newest Alembic revision
on every open (a no-op when it is there)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event

from ..errors import KongchuoError

STORE_FILE = "kongchuo-docs.sqlite3"  # beside 单位设置.yaml
URL_ENV = "KONGCHUO_DB"  # a database URL for every command (serve --db and --db take precedence)
SQLITE_BUSY_MS = 30_000  # a second writer waits this long for the first (ms) before 数据库正忙
MIGRATION_LOCK = 0x6B6F6E67  # PostgreSQL advisory lock key held while the schema is upgraded
_MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@dataclass(frozen=True)
class Store:
    """An open store: its engine and the county whose rows it reads and writes."""

    engine: Engine
    area_code: str

    def close(self) -> None:
        self.engine.dispose()


def store_url(explicit: str | None, profile_source: Path | None) -> str:
    """The database URL: `explicit`, else $KONGCHUO_DB, else the SQLite file beside the 单位设置."""
    url = explicit or os.environ.get(URL_ENV)
    if url:
        return url
    if profile_source is None:
        raise KongchuoError("发文登记簿保存在单位设置旁边：请先生成单位设置，或用 --db 指定数据库")
    return f"sqlite:///{profile_source.parent / STORE_FILE}"


def open_store(url: str, area_code: str) -> Store:
    """Open (and if needed create or upgrade) the store at `url` for the county `area_code`."""
    try:
        engine = create_engine(url, **_engine_options(url))
    except Exception as exc:  # a malformed URL or a driver that is not installed
        raise KongchuoError(f"无法打开数据库 {_shown(url)}：{exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    try:
        _upgrade(engine)
    except Exception as exc:
        engine.dispose()
        raise KongchuoError(f"无法打开数据库 {_shown(url)}：{type(exc).__name__}：{exc}") from None
    return Store(engine, area_code)


def dialect_insert(connection: Connection) -> Any:
    """The INSERT of the connection's dialect (SQLite or PostgreSQL), which has ``on_conflict_do_…``."""
    from sqlalchemy.dialects import postgresql, sqlite

    return postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert


def _engine_options(url: str) -> dict[str, Any]:
    if url.startswith("sqlite"):
        # the driver's own transaction handling off: BEGIN IMMEDIATE is issued by _sqlite_begin, so
        # two processes taking numbers queue on the write lock instead of failing to upgrade a read lock
        return {"connect_args": {"timeout": SQLITE_BUSY_MS / 1000, "isolation_level": None}}
    return {"pool_pre_ping": True}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the one writer
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _upgrade(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":  # two servers starting at once migrate one after the other
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _shown(url: str) -> str:
    """`url` without its password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "（无法识别的地址）"


def rekey(store: Store, area_code: str, then: Callable[[], None]) -> Store:
    """Move every row of the county `store.area_code` to the county `area_code` (a corrected
    行政区划代码 in 单位设置) in one transaction: accounts, sessions, 操作日志, 发文登记簿 — every table
    keyed by ``area_code`` — and run `then` (saving the 单位设置) inside it, so that the two change
    together or not at all. Refused when the database already holds rows of `area_code` (another
    county of a shared server). Returns the store of the new county."""
    from sqlalchemy import func, select, update

    from .tables import Base

    keyed = [t for t in Base.metadata.sorted_tables if "area_code" in t.c]
    with store.engine.begin() as connection:
        for table in keyed:
            taken = connection.execute(select(func.count()).select_from(table).where(table.c.area_code == area_code))
            if taken.scalar_one():
                raise KongchuoError(f"数据库中已有行政区划代码 {area_code} 的数据（另一个县的账号、日志或发文登记），"
                                    "不能把本县的数据改到这个代码下：请核对行政区划代码，或联系管理员")
        for table in keyed:
            connection.execute(update(table).where(table.c.area_code == store.area_code).values(area_code=area_code))
        then()
    return dataclasses.replace(store, area_code=area_code)
