"""网页版 with accounts in a real Chromium (issue 21 §3): a 学校 user gets a Chinese 403 page for 单位设置,
模板 and another school's job; disabling an account (``users disable``) ends its open page; repeated wrong
passwords lock the login out and the page says until when. The server runs as ``kongchuo-docs serve``
with accounts in the SQLite store beside its 单位设置."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from chromium import NEEDS_CHROMIUM, WAIT, chromium, served
from web_helpers import PASSWORDS, profile_with_accounts

from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds.sample_roster import write_sample_file
from kongchuo_docs.profile import load_profile

pytestmark = NEEDS_CHROMIUM
pytest.importorskip("selenium.webdriver", reason="selenium 未安装（pip install -e '.[dev]'）")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def profile_file(tmp_path_factory):
    return profile_with_accounts(tmp_path_factory.mktemp("county"))


@pytest.fixture(scope="module")
def server(profile_file):
    with served(profile_file) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("downloads")) as driver:
        yield driver


def _log_in(browser, server: str, name: str, password: str | None = None) -> None:
    browser.delete_all_cookies()
    browser.get(server + "/login")
    browser.find_element(By.NAME, "username").send_keys(name)
    browser.find_element(By.NAME, "password").send_keys(password or PASSWORDS[name])
    browser.find_element(By.CSS_SELECTOR, "form[action='/login'] button").click()


def _error_page(browser) -> str:
    return WebDriverWait(browser, WAIT).until(ec.presence_of_element_located((By.ID, "error-message"))).text


def test_a_school_gets_a_chinese_403_page_for_settings_templates_and_another_schools_job(
        server, browser, tmp_path) -> None:  # fmt: skip
    roster = tmp_path / "一小名册.xlsx"
    write_sample_file(roster, rows=10, invalid=0, seed=5, year=load_profile(sample_path("profile", "单位设置.yaml"))
                      .first_year)  # fmt: skip
    wait = WebDriverWait(browser, WAIT)
    _log_in(browser, server, "yixiao")
    wait.until(ec.presence_of_element_located((By.ID, "who")))
    nav = browser.find_element(By.CSS_SELECTOR, "header nav").text
    assert "单位设置" not in nav and "模板" not in nav
    for path in ("/settings", "/templates"):
        browser.get(server + path)
        assert "只供教育局使用" in _error_page(browser)
        assert browser.find_element(By.TAG_NAME, "h1").text == "出错了"
    browser.get(server + "/letters")
    browser.find_element(By.NAME, "roster").send_keys(str(roster))
    browser.find_element(By.CSS_SELECTOR, "form[action='/letters/check'] button").click()
    wait.until(lambda b: "/jobs/" in b.current_url)
    job_url = browser.current_url

    _log_in(browser, server, "erxiao")
    wait.until(ec.presence_of_element_located((By.ID, "who")))
    browser.get(job_url)
    assert "其他账号提交的" in _error_page(browser)

    _log_in(browser, server, "jyj")  # the 教育局 sees every unit's job
    wait.until(ec.presence_of_element_located((By.ID, "who")))
    browser.get(job_url)
    assert not browser.find_elements(By.ID, "error-message")
    browser.get(server + "/audit")
    log = browser.find_element(By.CSS_SELECTOR, "table.audit").text
    assert "yixiao" in log and "一小名册.xlsx" in log and "erxiao" in log


def test_disabling_an_account_ends_its_open_page(server, browser, profile_file) -> None:
    wait = WebDriverWait(browser, WAIT)
    _log_in(browser, server, "erxiao")
    wait.until(ec.presence_of_element_located((By.ID, "who")))
    browser.get(server + "/notice")
    assert browser.find_element(By.ID, "who").text.endswith("erxiao")
    result = subprocess.run([sys.executable, "-m", "kongchuo_docs", "users", "disable", "erxiao", "--settings",
                             str(profile_file)], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    browser.refresh()
    wait.until(lambda b: b.current_url.endswith("/login"))
    assert browser.find_elements(By.NAME, "username")


def test_repeated_wrong_passwords_lock_the_login_and_say_until_when(server, browser) -> None:
    """Last in this module: its lockout holds the browser's address for minutes."""
    wait = WebDriverWait(browser, WAIT)
    for attempt in range(6):
        _log_in(browser, server, "jyj", password=f"wrong-{attempt}")
        message = wait.until(ec.presence_of_element_located((By.ID, "login-error"))).text
        if "暂停" in message:
            break
    else:
        raise AssertionError("never locked out")
    assert attempt == 5  # the sixth try, after five wrong passwords from this address
    until = re.search(r"请于 (\d\d):(\d\d):(\d\d) 后再试", message)
    assert until is not None, message
    _log_in(browser, server, "jyj")  # the right password is refused too while locked out
    assert "暂停" in wait.until(ec.presence_of_element_located((By.ID, "login-error"))).text
