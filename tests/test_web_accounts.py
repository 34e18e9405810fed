"""网页版 with accounts (issue 21 #1, #2): 用户名 + 密码, roles, another unit's job, lockout with its end
time, 登出 and disabling ending a session, the 账号 and 操作日志 pages and the log's XLSX export."""

from __future__ import annotations

import asyncio
import io
import re
import zipfile

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from web_helpers import (
    PASSWORDS,
    add_accounts,
    check_roster,
    csrf_of,
    logged_in,
    own_app,
    page_client,
    wait_for_job,
)

from kongchuo_docs.profile import load_profile
from kongchuo_docs.store.audit import entries
from kongchuo_docs.web import security, sessions
from kongchuo_docs.web.app import ServerConfig, close_app, create_app


@pytest.fixture
def app(accounts_app):
    return accounts_app()


def test_the_login_asks_name_and_password_and_every_page_waits_for_it(app) -> None:
    c = page_client(app)
    assert c.get("/notice", follow_redirects=False).headers["location"] == "/login"
    page = c.get("/login").text
    assert 'name="username"' in page and "访问密码" not in page
    wrong = c.post("/login", data={"username": "jyj", "password": "not-it", "csrf": csrf_of(c, "/login")})
    assert wrong.status_code == 401 and "用户名或密码不正确" in wrong.text
    assert c.get("/notice", follow_redirects=False).status_code == 303
    bureau = logged_in(app, "jyj")
    home = bureau.get("/").text
    assert all(f'href="{path}"' in home for path in ("/settings", "/templates", "/accounts", "/audit"))
    assert "jyj" in home


@pytest.mark.parametrize("path", ["/settings", "/templates", "/templates/0", "/accounts", "/audit", "/audit.xlsx"])
def test_a_school_gets_a_chinese_403_for_the_bureaus_pages(app, path: str) -> None:
    c = logged_in(app, "yixiao")
    response = c.get(path)
    assert response.status_code == 403
    assert "只供教育局使用" in response.text and "<h1>出错了</h1>" in response.text
    home = c.get("/").text
    assert 'href="/settings"' not in home and 'href="/templates"' not in home and 'href="/accounts"' not in home


def test_a_school_cannot_save_the_settings_nor_add_an_account(app) -> None:
    c = logged_in(app, "yixiao")
    token = csrf_of(c)
    assert c.post("/settings", data={"csrf": token, "教育局": "别的局"}).status_code == 403
    added = c.post("/accounts", data={"csrf": token, "username": "me2", "role": "教育局", "password": "x" * 10,
                                      "again": "x" * 10})  # fmt: skip
    assert added.status_code == 403
    assert "me2" not in [e.counts for e in entries(app.state.store)]


def test_another_schools_job_is_a_403_the_bureau_sees_it_and_the_log_names_no_child(app, web_rosters) -> None:
    bad, _ = web_rosters
    one = logged_in(app, "yixiao")
    started = check_roster(one, "一小名册.xlsx", bad.read_bytes())
    job_url = started.url.path
    assert job_url.startswith("/jobs/")
    assert wait_for_job(one, job_url)["state"] == "done"
    two = logged_in(app, "erxiao")
    for suffix in ("", "/progress", "/errors", "/download"):
        refused = two.get(job_url + suffix)
        assert refused.status_code == 403, suffix
    assert "其他账号提交的" in two.get(job_url).text
    assert logged_in(app, "jyj").get(job_url).status_code == 200
    assert page_client(app).get(job_url, follow_redirects=False).status_code == 303  # nobody logged in
    again = logged_in(app, "yixiao")  # another browser of the same account
    assert again.get(job_url).status_code == 200

    [entry] = [e for e in entries(app.state.store) if e.action == "生成"]
    assert (entry.account, entry.role, entry.files) == ("yixiao", "学校", "一小名册.xlsx")
    assert "略去其他学校" in entry.counts and entry.outcome == "成功" and entry.task  # her school's rows only
    rows = list(load_workbook(bad).worksheets[0].iter_rows(3, values_only=True))  # under the title and header
    children = [str(v) for row in rows for v in (row[1], row[4]) if v]  # 姓名, 身份证号码
    assert len(children) >= 30
    logged = " ".join(f"{e.counts} {e.files} {e.outcome} {e.task}" for e in entries(app.state.store))
    assert not [v for v in children if v in logged]


def test_logout_ends_the_session_in_the_store_and_a_copied_cookie_no_longer_works(app) -> None:
    c = logged_in(app, "yixiao")
    copied = dict(c.cookies)
    c.post("/logout", data={"csrf": csrf_of(c)})
    thief = page_client(app, cookies=copied)
    assert thief.get("/", follow_redirects=False).headers["location"] == "/login"
    assert [e.action for e in entries(app.state.store)][:2] == ["登出", "登录"]


def test_disabling_an_account_on_the_page_ends_its_open_session_at_once(app) -> None:
    school = logged_in(app, "erxiao")
    assert school.get("/notice").status_code == 200
    bureau = logged_in(app, "jyj")
    done = bureau.post("/accounts/disable", data={"csrf": csrf_of(bureau, "/accounts"), "username": "erxiao"})
    assert "已停用账号 erxiao" in done.text
    assert school.get("/notice", follow_redirects=False).headers["location"] == "/login"
    refused = school.post("/login", data={"username": "erxiao", "password": PASSWORDS["erxiao"],
                                          "csrf": csrf_of(school, "/login")})  # fmt: skip
    assert refused.status_code == 401
    reset = bureau.post("/accounts/password", data={"csrf": csrf_of(bureau, "/accounts"), "username": "erxiao",
                                                    "password": "brand-new-pass", "again": "brand-new-pass"})
    assert "已为 erxiao 设置新密码" in reset.text
    back = page_client(app)
    ok = back.post("/login", data={"username": "erxiao", "password": "brand-new-pass", "csrf": csrf_of(back, "/login")})
    assert ok.url.path == "/"


def test_the_bureau_adds_an_account_with_a_unit_of_the_settings_only(app) -> None:
    bureau = logged_in(app, "jyj")
    token = csrf_of(bureau, "/accounts")
    refused = bureau.post("/accounts", data={"csrf": token, "username": "sanxiao", "role": "学校",
                                             "unit": "不存在的小学", "password": "long-enough", "again": "long-enough"})
    assert refused.status_code == 422 and "不是单位设置中的学校" in refused.text
    mismatch = bureau.post("/accounts", data={"csrf": token, "username": "sanxiao", "role": "乡镇",
                                              "unit": "", "password": "long-enough", "again": "other-words"})
    assert "两次输入的密码不一致" in mismatch.text
    town = load_profile(app.state.config.profile_path()).townships[0].name
    added = bureau.post("/accounts", data={"csrf": token, "username": "dongzhen", "role": "乡镇", "unit": town,
                                           "password": "long-enough", "again": "long-enough"})
    assert "已添加账号 dongzhen" in added.text and town in added.text
    assert "添加账号" in bureau.get("/audit").text


def test_lockout_after_repeated_wrong_passwords_says_when_it_ends(app, monkeypatch) -> None:
    monkeypatch.setattr(sessions, "BY_ADDRESS", sessions.Brake(0.0, 3, 120))
    c = page_client(app)
    token = csrf_of(c, "/login")
    for _ in range(3):
        assert c.post("/login", data={"username": "jyj", "password": "guess", "csrf": token}).status_code == 401
    locked = c.post("/login", data={"username": "jyj", "password": PASSWORDS["jyj"], "csrf": token})
    assert locked.status_code == 429
    assert re.search(r"登录已暂停，请于 \d\d:\d\d:\d\d 后再试", locked.text)
    other = page_client(app, client=("10.0.0.9", 50000))  # another address is not locked out by this one
    assert other.post("/login", data={"username": "jyj", "password": PASSWORDS["jyj"],
                                      "csrf": csrf_of(other, "/login")}).url.path == "/"  # fmt: skip


def test_one_name_is_locked_out_whatever_the_addresses_guessing_it(monkeypatch) -> None:
    monkeypatch.setattr(sessions, "BY_USER", sessions.Brake(0.0, 4, 600))
    monkeypatch.setattr(sessions, "BY_ADDRESS", sessions.Brake(0.0, 100, 60))
    throttle = sessions.Throttle()

    async def guesses() -> None:
        for n in range(4):
            assert not await throttle.check(f"10.0.0.{n}", lambda: False, user="jyj")
        with pytest.raises(sessions.LockedOut):
            await throttle.check("10.0.1.1", lambda: True, user="jyj")
        assert await throttle.check("10.0.1.1", lambda: True, user="yixiao")  # another name goes on

    asyncio.run(guesses())


def test_the_log_exports_to_xlsx_with_user_text_never_a_formula(app, web_rosters) -> None:
    bad, _ = web_rosters
    school = logged_in(app, "yixiao")
    job = check_roster(school, "=SUM(1,2)名册.xlsx", bad.read_bytes()).url.path
    wait_for_job(school, job)
    bureau = logged_in(app, "jyj")
    response = bureau.get("/audit.xlsx")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        sheet_xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert ("yixiao", "=SUM(1,2)名册.xlsx") in [(row[1], row[7]) for row in rows]  # the text, not 3
    assert any(row and row[4] == "登录" and row[1] == "jyj" for row in rows)


def test_behind_a_proxy_the_cookie_is_secure_and_a_start_without_login_is_refused(tmp_path) -> None:
    with pytest.raises(security.StartRefused, match="--proxy"):
        security.check_bind("127.0.0.1", None, proxy=True)
    security.check_bind("127.0.0.1", None, accounts=True, proxy=True)
    security.check_bind("0.0.0.0", None, accounts=True)
    application = create_app(ServerConfig(password="开门123", proxy=True, work_dir=tmp_path))
    try:
        https = "https://127.0.0.1:8765"  # as nginx forwards the page (a Secure cookie is sent over HTTPS only)
        c = TestClient(application, base_url=https, headers={"origin": https})
        logged_in = c.post("/login", data={"password": "开门123", "csrf": csrf_of(c, "/login")}, follow_redirects=False)
        assert logged_in.status_code == 303
        assert "; secure" in logged_in.headers["set-cookie"].lower()
    finally:
        close_app(application)


def test_settings_and_notice_downloads_are_logged_with_who_did_them(app) -> None:
    from web_helpers import post_notice, settings_post

    bureau = logged_in(app, "jyj")
    assert settings_post(bureau).status_code == 200
    school = logged_in(app, "yixiao")
    pdf = post_notice(school, "pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    logged = [(e.account, e.action, e.task, e.counts) for e in entries(app.state.store)]
    assert ("jyj", "保存单位设置", "", "") in logged
    assert ("yixiao", "生成", "写通知", "下载 PDF") in logged


def test_serve_db_keeps_the_accounts_in_the_database_it_names(tmp_path, store_url: str) -> None:
    """``serve --db URL``: the page's accounts, sessions and log live there (SQLite or PostgreSQL)."""
    application = own_app(tmp_path / "server", db=store_url)
    try:
        store = application.state.store
        assert store.engine.url.render_as_string(hide_password=False) == store_url
        add_accounts(store)
        c = logged_in(application, "jyj")
        assert c.get("/accounts").status_code == 200
        assert "登录" in [e.action for e in entries(store)]
        assert not (tmp_path / "server" / "kongchuo-docs.sqlite3").exists()  # not the file beside 单位设置
    finally:
        close_app(application)


def test_an_accounts_session_survives_a_restart_of_the_server(app, tmp_path) -> None:
    c = page_client(app)
    login = c.post("/login", data={"username": "yixiao", "password": PASSWORDS["yixiao"], "csrf": csrf_of(c, "/login")},
                   follow_redirects=False)  # fmt: skip
    set_cookie = next(v for v in login.headers.get_list("set-cookie") if v.startswith("kongchuo_account="))
    assert "httponly" in set_cookie.lower() and "samesite=strict" in set_cookie.lower()
    cookie = c.cookies.get("kongchuo_account")
    restarted = create_app(app.state.config)  # a new process: a new key for its signed page cookie
    try:
        again = page_client(restarted, cookies={"kongchuo_account": cookie})
        page = again.get("/notice")
        assert page.status_code == 200 and page.url.path == "/notice" and "yixiao" in page.text
    finally:
        close_app(restarted)


def test_the_first_account_added_on_the_page_turns_the_login_to_name_and_password(tmp_path) -> None:
    application = own_app(tmp_path / "alone")  # one person on her own PC: no login yet
    try:
        c = page_client(application)
        assert "还没有账号" in c.get("/accounts").text
        first = c.post("/accounts", data={"csrf": csrf_of(c, "/accounts"), "username": "jyj", "role": "教育局",
                                          "unit": "", "password": "bureau-pass", "again": "bureau-pass"})
        assert first.url.path == "/login" and 'name="username"' in first.text
        assert c.get("/notice", follow_redirects=False).headers["location"] == "/login"
        login = c.post("/login", data={"username": "jyj", "password": "bureau-pass", "csrf": csrf_of(c, "/login")})
        assert login.url.path == "/"
        assert [e.action for e in entries(application.state.store)] == ["登录", "添加账号"]
    finally:
        close_app(application)
