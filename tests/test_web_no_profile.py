"""Every page learns the 单位设置 one way (`web.store_access`): with none, and with one that has errors,
each page that needs it says the same Chinese message (a 409 page, or in its own place: a task's form,
the 模板 preview); the pages that work without one still work; the 单位设置 page shows the errors.
A change of the file while the server runs is seen by the next request."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from fastapi.testclient import TestClient
from web_helpers import csrf_of, own_app, page_client, sample_file

from kongchuo_docs.declare import TASKS
from kongchuo_docs.web.store_access import NO_PROFILE, WRONG_PROFILE
from kongchuo_docs.wording.files import WORDING_FILES

COUNTY_PAGES = ("/rounds", "/rounds/new", "/rounds/1", "/numbers", "/accounts", "/audit")  # the county's store
OPEN_PAGES = ("/", "/notice", "/forms", "/letters", *(t.url for t in TASKS.values() if not t.page))
BROKEN = "县名: [\n"
SUMMARY = list(WORDING_FILES).index("summary/summary.yaml")


def _wording(c: TestClient, index: int) -> str:
    """The text of wording file `index` as its page shows it (the bundled one)."""
    page = c.get(f"/templates/{index}").text
    return html.unescape(re.search(r'<textarea name="text"[^>]*>(.*?)</textarea>', page, re.S)[1])


def _told(c: TestClient, told: str | None, wording: str) -> None:
    """Each page as it must be while the 单位设置 says `told` (None: it is usable)."""
    for path in COUNTY_PAGES:
        page = c.get(path)
        if told is None:
            assert page.status_code in (200, 404) and NO_PROFILE not in page.text, path  # no 报送 1 yet: 404
        else:
            assert page.status_code == 409 and told in page.text, path
    for path in OPEN_PAGES:
        page = c.get(path)
        assert page.status_code == 200 and NO_PROFILE not in page.text and WRONG_PROFILE not in page.text, path
    added = c.post("/accounts", data={"username": "a", "role": "学校", "csrf": csrf_of(c)})  # no password
    assert (added.status_code == 409 and told in added.text) if told else added.status_code == 422
    for task in TASKS.values():
        if task.name == "forms":
            continue
        url = "/letters/check" if task.name == "letters" else task.url
        refused = c.post(url, data={"csrf": csrf_of(c)})  # no file chosen: refused on the form itself
        assert refused.url.path == task.url and refused.status_code == 400, url
        assert (told is not None and task.needs_profile) == (told in refused.text if told else False), url
    templates = c.get("/templates")
    preview = c.post(f"/templates/{SUMMARY}", data={"text": wording, "action": "preview", "csrf": csrf_of(c)})
    if told == WRONG_PROFILE:  # where would its 模板目录 be
        assert templates.status_code == 409 and told in templates.text
        assert preview.status_code == 409 and told in preview.text
    else:
        assert templates.status_code == 200 and WRONG_PROFILE not in templates.text
        assert preview.status_code == (422 if told else 200)
        assert told is None or told in preview.text  # in the preview's place


def test_every_page_says_the_same_without_a_usable_profile(tmp_path: Path) -> None:
    app = own_app(tmp_path / "server")
    profile = app.state.config.profile_path()
    kept = profile.read_bytes()
    with page_client(app) as c:
        wording = _wording(c, SUMMARY)
        _told(c, None, wording)
        profile.write_text(BROKEN, encoding="utf-8")  # edited by hand while the server runs
        _told(c, WRONG_PROFILE, wording)
        settings = c.get("/settings")
        assert settings.status_code == 200 and "error-summary" in settings.text  # its errors, on its own page
        profile.unlink()
        _told(c, NO_PROFILE, wording)
        assert c.get("/settings").status_code == 200
        profile.write_bytes(kept)
        _told(c, None, wording)


def test_a_change_of_the_profile_is_seen_by_the_next_request(tmp_path: Path) -> None:
    """The 单位设置 is read once per change, not once per request: a school added on disk shows."""
    app = own_app(tmp_path / "server")
    profile = app.state.config.profile_path()
    with page_client(app) as c:
        assert "新建测试小学" not in c.get("/accounts").text
        text = profile.read_text(encoding="utf-8")
        school = next(line for line in text.splitlines() if line.lstrip().startswith("- {名称:") and "乡镇:" in line)
        town = school.split("乡镇:")[1].strip(" }")
        added = f"{school}\n  - {{名称: 新建测试小学, 乡镇: {town}}}"
        profile.write_text(text.replace(school, added), encoding="utf-8")
        assert "新建测试小学" in c.get("/accounts").text


def test_without_a_profile_a_task_that_needs_one_is_refused_before_its_job(tmp_path: Path) -> None:
    """The letters' 校验 without a 单位设置 is refused on its form, naming the 单位设置 page, and no job
    starts; a task that needs none (登记表) runs."""
    server = tmp_path / "server"
    app = own_app(server)
    app.state.config.profile_path().unlink()
    with page_client(app) as c:
        refused = c.post("/letters/check", files={"roster": ("名册.xlsx", b"PK")}, data={"csrf": csrf_of(c)})
        assert refused.status_code == 400 and NO_PROFILE in refused.text and 'href="/settings"' in refused.text
        assert not app.state.jobs.listed()
        clues = {"clues": ("线索.yaml", sample_file("register", "问题线索.yaml").read_bytes())}
        built = c.post("/batch/register-build", files=clues, data={"csrf": csrf_of(c)})
        assert built.url.path.startswith("/jobs/")
    shutil.rmtree(server)
