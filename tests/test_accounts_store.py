"""Accounts, their sessions and the 操作日志 in the store (issue 21 #1, #2), on SQLite and PostgreSQL:
argon2 hashes only, sessions that survive a restart and end with 登出 or the account's disabling,
one county's accounts invisible to another's."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select, update

from kongchuo_docs.errors import KongchuoError
from kongchuo_docs.store.accounts import (
    add_account,
    disable_account,
    end_session,
    has_accounts,
    list_accounts,
    reset_password,
    session_account,
    start_session,
    unit_for,
    verify_login,
)
from kongchuo_docs.store.audit import Actor, entries, record
from kongchuo_docs.store.database import open_store
from kongchuo_docs.store.tables import LoginSession

_AREAS = itertools.count(120101)  # one county per test: the PostgreSQL database is shared by the session


@pytest.fixture
def store(store_url: str):
    opened = open_store(store_url, str(next(_AREAS)))
    yield opened
    opened.close()


def test_an_account_keeps_only_an_argon2_hash_and_logs_in_with_its_password(store) -> None:
    assert not has_accounts(store)
    added = add_account(store, " 王老师 ", "学校", "实验小学", "正确的密码123")
    assert added.name == "王老师" and has_accounts(store)
    assert added.password_hash.startswith("$argon2id$") and "正确的密码123" not in added.password_hash
    assert verify_login(store, "王老师", "正确的密码123").unit == "实验小学"
    assert verify_login(store, "王老师", "错误的密码123") is None
    assert verify_login(store, "没有这个人", "正确的密码123") is None
    with pytest.raises(KongchuoError, match="已存在"):
        add_account(store, "王老师", "学校", "实验小学", "另一个密码123")
    with pytest.raises(KongchuoError, match="8–256"):
        add_account(store, "李老师", "学校", "实验小学", "短")
    with pytest.raises(KongchuoError, match="不含空格"):
        add_account(store, "李 老师", "学校", "实验小学", "足够长的密码")


def test_a_session_survives_a_reopened_store_and_ends_with_logout(store_url: str) -> None:
    area = str(next(_AREAS))
    first = open_store(store_url, area)
    account = add_account(first, "jyj", "教育局", "某县教育局", "password1")
    token = start_session(first, account, 3600)
    first.close()
    again = open_store(store_url, area)  # the server restarted
    try:
        assert session_account(again, token).name == "jyj"
        with again.engine.connect() as connection:  # only the id's hash is kept
            assert connection.execute(select(LoginSession.token_hash)).scalars().all().count(token) == 0
        end_session(again, token)
        assert session_account(again, token) is None
    finally:
        again.close()


def test_disabling_ends_every_session_and_refuses_the_login_until_a_new_password(store) -> None:
    account = add_account(store, "xx", "学校", "实验小学", "password1")
    tokens = [start_session(store, account, 3600) for _ in range(2)]
    other = start_session(store, add_account(store, "yy", "学校", "二小", "password2"), 3600)
    disable_account(store, "xx")
    assert [session_account(store, t) for t in tokens] == [None, None]
    assert session_account(store, other).name == "yy"  # another account's session goes on
    assert verify_login(store, "xx", "password1") is None
    assert {a.name: a.disabled for a in list_accounts(store)} == {"xx": True, "yy": False}
    reset_password(store, "xx", "newpassword")
    assert verify_login(store, "xx", "password1") is None
    assert verify_login(store, "xx", "newpassword").name == "xx"
    with pytest.raises(KongchuoError, match="没有用户名"):
        disable_account(store, "nobody")


def test_an_expired_session_logs_nobody_in(store) -> None:
    account = add_account(store, "xx", "学校", "实验小学", "password1")
    token = start_session(store, account, 3600)
    with store.engine.begin() as connection:
        connection.execute(update(LoginSession).values(expires_at=LoginSession.created_at))
    assert session_account(store, token) is None


def test_one_county_never_sees_another_countys_accounts_sessions_or_log(store_url: str) -> None:
    here, there = (open_store(store_url, str(next(_AREAS))) for _ in range(2))
    try:
        account = add_account(here, "jyj", "教育局", "甲县教育局", "password1")
        token = start_session(here, account, 3600)
        add_account(there, "jyj", "教育局", "乙县教育局", "password2")  # the same 用户名 in another county
        record(here, Actor("jyj", "教育局", "甲县教育局"), "登录")
        assert verify_login(there, "jyj", "password1") is None
        assert session_account(there, token) is None
        assert [a.unit for a in list_accounts(there)] == ["乙县教育局"]
        assert entries(there) == []
    finally:
        here.close()
        there.close()


def test_the_log_lists_newest_first_and_bounds_a_long_list_of_file_names(store) -> None:
    who = Actor("xx", "学校", "实验小学")
    record(store, who, "登录")
    record(store, who, "生成", task="通知书", counts="写出 2 个文件", files=[f"名册{n}.xlsx" for n in range(500)])
    newest, oldest = entries(store)
    assert (newest.action, newest.task, newest.counts, newest.outcome) == ("生成", "通知书", "写出 2 个文件", "成功")
    assert newest.files.startswith("名册0.xlsx、名册1.xlsx") and len(newest.files) == 2000 and newest.files[-1] == "…"
    assert oldest.action == "登录" and [e.id for e in entries(store, limit=1)] == [newest.id]


def test_the_unit_is_one_of_the_profiles_and_the_bureau_its_own() -> None:
    from kongchuo_docs.files.resources import sample_path
    from kongchuo_docs.profile import load_profile

    profile = load_profile(sample_path("profile", "单位设置.yaml"))
    school = profile.schools[0].name
    assert unit_for(profile, "学校", f" {school} ") == school
    assert unit_for(profile, "教育局", "") == profile.bureau
    assert unit_for(profile, "乡镇", profile.townships[0].name) == profile.townships[0].name
    with pytest.raises(KongchuoError, match="不是单位设置中的乡镇"):
        unit_for(profile, "乡镇", school)  # a school is no township
    with pytest.raises(KongchuoError, match="角色应为"):
        unit_for(profile, "老师", school)

