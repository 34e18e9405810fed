"""The store's side of issue 21's roles work, on SQLite and PostgreSQL: a corrected 行政区划代码 moves a
county's rows (and nobody else's), an account's lockout kept across a reopen, the 操作日志's filter."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from kongchuo_docs.errors import KongchuoError
from kongchuo_docs.store.accounts import account_lockouts, add_account, list_accounts, lock_account
from kongchuo_docs.store.audit import Actor, AuditFilter, count_entries, entries, record
from kongchuo_docs.store.database import open_store, rekey

_AREAS = itertools.count(130101, 3)  # distinct counties per test: the PostgreSQL database is shared


def test_rekey_moves_one_countys_rows_and_refuses_a_code_another_county_holds(store_url: str) -> None:
    here, there = (open_store(store_url, str(next(_AREAS))) for _ in range(2))
    try:
        add_account(here, "jyj", "教育局", "某县教育局", "bureau-pass")
        record(here, Actor("jyj", "教育局"), "登录")
        add_account(there, "other", "教育局", "别县教育局", "other-pass")
        saved: list[str] = []
        with pytest.raises(KongchuoError, match="已有行政区划代码"):
            rekey(here, there.area_code, lambda: saved.append("x"))
        assert saved == [] and [a.name for a in list_accounts(here)] == ["jyj"]
        new_code = str(next(_AREAS))
        moved = rekey(here, new_code, lambda: saved.append("saved"))
        assert saved == ["saved"] and moved.area_code == new_code
        assert [a.name for a in list_accounts(moved)] == ["jyj"] and [e.action for e in entries(moved)] == ["登录"]
        assert list_accounts(here) == [] and [a.name for a in list_accounts(there)] == ["other"]

        def failing() -> None:
            raise OSError("磁盘已满")

        with pytest.raises(OSError):  # the 单位设置 not saved: the rows stay where they were
            rekey(moved, str(next(_AREAS)), failing)
        assert [a.name for a in list_accounts(moved)] == ["jyj"]
    finally:
        here.close()
        there.close()


def test_an_accounts_lockout_is_kept_until_its_end(store_url: str) -> None:
    area = str(next(_AREAS))
    store = open_store(store_url, area)
    add_account(store, "yixiao", "学校", "某小学", "school-one")
    lock_account(store, "yixiao", 2_000.0)
    lock_account(store, "nobody", 2_000.0)  # no such account: nothing kept
    store.close()
    again = open_store(store_url, area)
    try:
        assert account_lockouts(again, 1_000.0) == {"yixiao": 2_000.0}
        assert account_lockouts(again, 2_500.0) == {}
    finally:
        again.close()


def test_the_logs_filter_runs_in_the_database(store_url: str) -> None:
    store = open_store(store_url, str(next(_AREAS)))
    try:
        for name, action in (("jyj", "登录"), ("yixiao", "生成"), ("yixiao", "登录")):
            record(store, Actor(name, "学校"), action)
        today = dt.date.today()
        assert count_entries(store) == 3
        assert count_entries(store, AuditFilter(account="yixiao")) == 2
        assert count_entries(store, AuditFilter(action="登录", start=today, end=today)) == 2
        assert count_entries(store, AuditFilter(end=today - dt.timedelta(days=1))) == 0
        assert [e.account for e in entries(store, only=AuditFilter(action="登录"), limit=1, offset=1)] == ["jyj"]
    finally:
        store.close()
