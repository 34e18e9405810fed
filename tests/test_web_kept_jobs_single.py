"""Kept jobs of the page without accounts (issue 21 #5): one person at her own PC. A job belongs to her
browser's session; after a restart (a second app on the same 单位设置, store and work folder) the same
browser's session is still hers (the cookie's key is kept beside the jobs), so 首页's 最近的任务 lists
her job again and its page and download work — and another browser still sees none of it. With
accounts the list shows each account its own jobs and the 教育局 every unit's, after a restart too."""

from __future__ import annotations

from pathlib import Path

from web_helpers import (
    PASSWORDS,
    add_accounts,
    csrf_of,
    logged_in,
    own_app,
    page_client,
    sample_file,
    sample_profile,
    wait_for_job,
)

from kongchuo_docs.web.app import close_app
from kongchuo_docs.web.kept_jobs import KEPT_FOLDER, SESSION_KEY

PARTIES = "责任书名单.yaml"


def _submit(c) -> str:
    """Upload the sample 责任书名单 and wait: the job's path."""
    data = sample_file("cycle", PARTIES).read_bytes()
    url = c.post("/batch/agreements", files={"parties": (PARTIES, data)}, data={"csrf": csrf_of(c)}).url.path
    assert wait_for_job(c, url)["state"] == "done"
    return url


def _listed(c) -> str:
    """The 最近的任务 table of her 首页 ("" when there is none)."""
    home = c.get("/").text
    return home[home.index('id="recent-jobs"'):] if 'id="recent-jobs"' in home else ""


def test_without_accounts_her_job_is_listed_and_downloaded_after_a_restart(tmp_path: Path) -> None:
    app = own_app(tmp_path / "server")
    assert app.state.store is not None  # a 单位设置, so jobs are kept
    c = page_client(app)
    url = _submit(c)
    result = c.get(f"{url}/download").content
    assert f'href="{url}"' in _listed(c) and _listed(page_client(app)) == ""
    close_app(app)

    app = own_app(tmp_path / "server")  # the restart
    try:
        browser = page_client(app)
        browser.cookies = c.cookies  # the same browser, with the cookie of the last start
        listed = _listed(browser)
        assert f'href="{url}"' in listed and "目标责任书" in listed and "已完成" in listed
        assert browser.get(url).status_code == 200
        assert browser.get(f"{url}/download").content == result
        stranger = page_client(app)  # another browser
        assert _listed(stranger) == "" and stranger.get(url).status_code == 404
        key = tmp_path / "server" / "jobs" / KEPT_FOLDER / SESSION_KEY
        assert key.stat().st_mode & 0o777 == 0o600
    finally:
        close_app(app)


def test_with_accounts_each_lists_its_own_jobs_and_the_bureau_every_units(tmp_path: Path) -> None:
    app = own_app(tmp_path / "server")
    before = _submit(page_client(app))  # made before there were accounts
    county = sample_profile()
    add_accounts(app.state.store)
    mine = _submit(logged_in(app, "yixiao", PASSWORDS["yixiao"]))
    close_app(app)

    app = own_app(tmp_path / "server")  # the restart
    try:
        school = _listed(logged_in(app, "yixiao", PASSWORDS["yixiao"]))
        assert f'href="{mine}"' in school and f'href="{before}"' not in school and "提交单位" not in school
        other = logged_in(app, "erxiao", PASSWORDS["erxiao"])
        assert _listed(other) == "" and other.get(mine).status_code == 403
        bureau = _listed(logged_in(app, "jyj", PASSWORDS["jyj"]))
        assert f'href="{mine}"' in bureau and f'href="{before}"' in bureau
        assert "提交单位" in bureau and county.schools[0].name in bureau and "（无账号时提交）" in bureau
        assert page_client(app).get("/").status_code == 200 and _listed(page_client(app)) == ""  # not logged in
    finally:
        close_app(app)
