"""写通知 drafts in the store (issue 21 #5): an account's draft survives a restart of the server and is
its own; without accounts the browser session's draft outlives the server's memory of the page;
新建 deletes it; a draft older than the keeping time is gone; the page says how long drafts are kept."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from sqlalchemy import update
from web_helpers import csrf_of, page_client, post_notice, sample_file

from kongchuo_docs.store.database import open_store, store_url
from kongchuo_docs.store.tables import NoticeDraft
from kongchuo_docs.web.app import ServerConfig, create_app
from kongchuo_docs.web.identity import Account
from kongchuo_docs.web.notice_drafts import DRAFT_KEEP_DAYS

TITLE = "某某县教育局关于开展春季学期控辍保学专项检查的通知"


@pytest.fixture
def profile(tmp_path):
    path = tmp_path / "县" / "单位设置.yaml"
    path.parent.mkdir()
    shutil.copyfile(sample_file("profile", "单位设置.yaml"), path)
    return path


def _app(profile, tmp_path):
    """A server on `profile` whose requests carry the account named in the X-Test-Account header."""
    app = create_app(ServerConfig(work_dir=tmp_path / "jobs", profile=profile))

    @app.middleware("http")
    async def signed_in(request, call_next):
        if name := request.headers.get("x-test-account"):
            request.state.account = Account(name, "教育局")
        return await call_next(request)

    return app


def _title(page: str) -> str:
    return page.split('id="f-title" name="title"')[1].split('value="')[1].split('"')[0]


def test_an_accounts_draft_survives_a_restart_and_is_its_own(profile, tmp_path):
    zhang, li = {"x-test-account": "zhang"}, {"x-test-account": "li"}
    with page_client(_app(profile, tmp_path)) as client:
        client.headers.update(zhang)
        assert post_notice(client, "check", title=TITLE).status_code == 200
    with page_client(_app(profile, tmp_path)) as client:  # a new server: nothing of the last one in memory
        client.headers.update(zhang)
        page = client.get("/notice").text
        assert _title(page) == TITLE and "已恢复上次未完成的草稿" in page
        assert f"{DRAFT_KEEP_DAYS} 天未修改自动删除" in page
        client.headers.update(li)
        assert _title(client.get("/notice").text) != TITLE  # another account's draft is not hers
        client.headers.update(zhang)
        client.post("/notice", data={"action": "new", "csrf": csrf_of(client)})
    with page_client(_app(profile, tmp_path)) as client:
        client.headers.update(zhang)
        assert _title(client.get("/notice").text) != TITLE  # 新建 deleted it


def test_a_sessions_draft_outlives_the_servers_memory_and_expires(profile, tmp_path):
    app = _app(profile, tmp_path)
    with page_client(app) as client:
        post_notice(client, "check", title=TITLE)
        app.state.notices.clear()  # what the server kept in memory is gone
        assert _title(client.get("/notice").text) == TITLE
        app.state.notices.clear()
        store = open_store(store_url(None, profile), "350123")
        try:
            with store.engine.begin() as connection:
                old = dt.datetime.now() - dt.timedelta(days=DRAFT_KEEP_DAYS + 1)
                assert connection.execute(update(NoticeDraft).values(saved_at=old)).rowcount == 1
        finally:
            store.close()
        assert _title(client.get("/notice").text) != TITLE


def test_without_a_settings_file_the_page_keeps_the_draft_in_memory(tmp_path):
    app = create_app(ServerConfig(work_dir=tmp_path / "jobs", profile=tmp_path / "无" / "单位设置.yaml"))
    with page_client(app) as client:
        response = post_notice(client, "check", title=TITLE)
        assert response.status_code in (200, 422) and _title(response.text) == TITLE


def test_drafts_in_the_store_on_sqlite_and_postgresql(store_url):
    from kongchuo_docs.store.drafts import forget_draft, load_draft, save_draft

    keep = dt.timedelta(days=DRAFT_KEEP_DAYS)
    first, second = open_store(store_url, "130101"), open_store(store_url, "130102")  # two counties
    try:
        for store in (first, second):
            forget_draft(store, "用户:zhang")
        save_draft(first, "用户:zhang", {"values": {"title": "一"}}, keep)
        save_draft(first, "用户:zhang", {"values": {"title": TITLE}}, keep)  # replaces the last one
        assert load_draft(first, "用户:zhang", keep) == {"values": {"title": TITLE}}
        assert load_draft(second, "用户:zhang", keep) is None  # another county's server sees nothing
        assert load_draft(first, "用户:li", keep) is None
        assert load_draft(first, "用户:zhang", dt.timedelta(0)) is None  # older than the keeping time
        forget_draft(first, "用户:zhang")
        assert load_draft(first, "用户:zhang", keep) is None
    finally:
        first.close()
        second.close()
