"""A 学校 secretary's journey in a real Chromium (issue 21 #1): the login page shows no navigation;
she logs in, uploads a roster listing two schools' children, the 校验 page tells her the other
school's rows are left out, and the letters she downloads are for her school's children only. The
server runs as ``kongchuo-docs serve`` with accounts in the SQLite store beside its 单位设置."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from chromium import NEEDS_CHROMIUM, WAIT, chromium, served
from web_helpers import PASSWORDS, pdf_text, profile_with_accounts, two_schools_roster

pytestmark = NEEDS_CHROMIUM
pytest.importorskip("selenium.webdriver", reason="selenium 未安装（pip install -e '.[dev]'）")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture
def server(tmp_path):
    with served(profile_with_accounts(tmp_path / "county")) as url:
        yield url


def _zip_in(folder: Path) -> Path:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = [p for p in folder.iterdir() if p.suffix == ".zip"]
        if found:
            time.sleep(0.5)  # written to its end
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no .zip downloaded into {folder}")


def test_a_school_secretary_gets_letters_for_her_schools_children_only(server, tmp_path) -> None:
    roster, mine, others = two_schools_roster(tmp_path, 3, 4)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with chromium(downloads) as browser:
        wait = WebDriverWait(browser, WAIT)
        browser.get(server + "/letters")
        wait.until(lambda b: b.current_url.endswith("/login"))
        assert not browser.find_elements(By.CSS_SELECTOR, "header nav a")  # nobody's links before login
        browser.find_element(By.NAME, "username").send_keys("yixiao")
        browser.find_element(By.NAME, "password").send_keys(PASSWORDS["yixiao"])
        browser.find_element(By.CSS_SELECTOR, "form[action='/login'] button").click()
        wait.until(ec.presence_of_element_located((By.ID, "who")))
        nav = browser.find_element(By.CSS_SELECTOR, "header nav").text
        assert "通知书" in nav and "汇总" not in nav and "单位设置" not in nav

        browser.get(server + "/letters")
        browser.find_element(By.NAME, "roster").send_keys(str(roster))
        browser.find_element(By.CSS_SELECTOR, "form[action='/letters/check'] button").click()
        said = wait.until(ec.presence_of_element_located((By.ID, "left-out"))).text
        assert "4 行不属于" in said and "已略去" in said
        assert "3 名学生" in browser.find_element(By.ID, "check-ok").text
        wait.until(ec.element_to_be_clickable((By.ID, "generate"))).click()
        wait.until(ec.element_to_be_clickable((By.ID, "download"))).click()
        text = pdf_text(_zip_in(downloads).read_bytes())
    assert all(name in text for name in mine)
    assert not [name for name in others if name in text]
