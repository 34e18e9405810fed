"""A 学校 secretary's journey in a real Chromium (issue 21 #1): the login page shows no navigation;
she logs in, uploads a roster listing two schools' children, the 校验 page tells her the other
school's rows are left out, and the letters she downloads are for her school's children only; she
uploads the county's 责任书名单 and gets only the agreements her school signs as 甲方, the job in
首页's 最近的任务. The server runs as ``kongchuo-docs serve`` with accounts in the SQLite store beside
its 单位设置."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from chromium import NEEDS_CHROMIUM, WAIT, chromium, served
from test_web_roles_rows import _cell_of
from web_helpers import PASSWORDS, fill, pdf_text, profile_with_accounts, sample_profile, two_schools_roster

from kongchuo_docs.kinds.forms import build_forms

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


def test_a_school_secretary_gets_only_the_agreements_her_school_signs(server, tmp_path: Path) -> None:
    url, county = server, sample_profile()
    school, far = county.schools[0].name, next(s.name for s in county.schools if s.township != "凤山镇")
    build_forms(tmp_path / "空白", first_year=county.first_year)
    parties = fill(tmp_path / "空白" / "责任书名单.xlsx", [
        {"层级": "县教育局—学校", "甲方": county.bureau, "乙方": school},
        {"层级": "学校—班主任", "甲方": school, "乙方": "林芳", "班级": "六年级（2）班"},
        {"层级": "学校—班主任", "甲方": far, "乙方": "陈红", "班级": "三年级（1）班"},
    ], tmp_path / "全县责任书名单.xlsx")  # fmt: skip
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with chromium(downloads) as browser:
        wait = WebDriverWait(browser, WAIT)
        browser.get(url + "/login")
        browser.find_element(By.NAME, "username").send_keys("yixiao")
        browser.find_element(By.NAME, "password").send_keys(PASSWORDS["yixiao"])
        browser.find_element(By.CSS_SELECTOR, "form[action='/login'] button").click()
        wait.until(ec.presence_of_element_located((By.ID, "who")))

        browser.get(url + "/batch/agreements")
        browser.find_element(By.NAME, "parties").send_keys(str(parties))
        browser.find_element(By.CSS_SELECTOR, "#task-form button[type=submit]").click()
        wait.until(ec.element_to_be_clickable((By.ID, "download")))
        problems = browser.find_element(By.ID, "problems").text
        assert "有 2 份责任书不属于本单位" in problems and "已略去" in problems
        assert "全县责任书名单.xlsx" in problems and _cell_of(parties, county.bureau) in problems
        job = browser.current_url
        browser.find_element(By.ID, "download").click()
        archive = _zip_in(downloads).read_bytes()
        browser.get(url + "/")
        listed = wait.until(ec.presence_of_element_located((By.ID, "recent-jobs")))
        assert "目标责任书" in listed.text and "已完成" in listed.text
        assert listed.find_element(By.TAG_NAME, "a").get_attribute("href") == job
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        names = zf.namelist()
    assert any("林芳" in n for n in names) and not any("陈红" in n for n in names)
    assert {n.split("/")[0] for n in names if "/" in n} == {school}
