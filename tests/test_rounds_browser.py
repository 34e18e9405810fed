"""报送 in a real Chromium (issue 21 §3): a 乡镇 uploads its 自查表 to a round and sees only its own, a
学校 gets a Chinese 403 for another unit's file, and the 教育局 sees 已报/未报/有错误 and compiles the
round. The server runs as ``kongchuo-docs serve`` with its accounts added by ``kongchuo-docs users add
--password-stdin``; each user types 用户名 and 密码 into the login page."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import test_web_browser as chromium
from chromium import served
from web_helpers import SELF_CHECK_COUNTS, fill_fields

from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds.forms import build_forms

pytestmark = chromium.pytestmark
WAIT = chromium.WAIT
browser, downloads = chromium.browser, chromium.downloads  # the same Chromium fixtures
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

USERS = {"jyj": ("教育局", ""), "fs": ("乡镇", "凤山镇"), "sy": ("学校", "罗源县实验小学")}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("server")
    profile = folder / "单位设置.yaml"
    shutil.copyfile(sample_path("profile", "单位设置.yaml"), profile)
    for name, (role, unit) in USERS.items():
        subprocess.run([sys.executable, "-m", "kongchuo_docs", "users", "add", name, "--role", role,
                        *(["--unit", unit] if unit else []), "--password-stdin", "--settings", str(profile)],
                       input=f"{name}-password\n".encode(), check=True, capture_output=True)  # fmt: skip
    with served(profile) as url:
        yield url


def _log_in(browser, server: str, name: str) -> None:
    """Log in as `name` on the login page, as a user does (a fresh browser session)."""
    browser.delete_all_cookies()
    browser.get(server + "/login")
    browser.find_element(By.NAME, "username").send_keys(name)
    browser.find_element(By.NAME, "password").send_keys(f"{name}-password")
    browser.find_element(By.CSS_SELECTOR, "form[action='/login'] button").click()
    WebDriverWait(browser, WAIT).until(ec.presence_of_element_located((By.ID, "who")))


def _upload(browser, path: Path) -> None:
    browser.find_element(By.ID, "f-file").send_keys(str(path))
    browser.find_element(By.ID, "upload").click()


def test_units_upload_and_the_bureau_sees_and_compiles(server, browser, downloads, tmp_path: Path) -> None:
    wait = WebDriverWait(browser, WAIT)
    build_forms(tmp_path / "空白", first_year=2026)
    blank = tmp_path / "空白" / "自查表.xlsx"
    township = tmp_path / "凤山镇" / "自查表.xlsx"
    fill_fields(blank, township, {"单位名称": "凤山镇人民政府", "单位类型": "乡镇", "自查时段": "2026年秋季学期",
                                  "报告日期": "2026-10-09", **SELF_CHECK_COUNTS})  # fmt: skip
    school = tmp_path / "实验小学" / "自查表.xlsx"
    fill_fields(blank, school, {"单位名称": "罗源县实验小学", "单位类型": "学校", "报告日期": "2026-10-09",
                                **SELF_CHECK_COUNTS, "辍学人数": "两人"})  # fmt: skip

    _log_in(browser, server, "jyj")  # the 教育局 opens the round: every unit ticked by default
    browser.get(server + "/rounds")
    browser.find_element(By.ID, "new-round").click()
    browser.find_element(By.NAME, "name").send_keys("2026年秋季学期自查")
    browser.execute_script("document.getElementById('f-deadline').value = '2026-10-09'")
    boxes = browser.find_elements(By.NAME, "units")
    assert boxes and all(b.is_selected() for b in boxes)
    browser.find_element(By.ID, "open-round").click()
    round_url = wait.until(lambda b: b.current_url if "/rounds/" in b.current_url and b.find_elements(By.ID, "units")
                           else None)  # fmt: skip

    _log_in(browser, server, "fs")
    browser.get(server + "/rounds")
    browser.find_element(By.LINK_TEXT, "2026年秋季学期自查").click()
    _upload(browser, township)
    assert "校验通过" in wait.until(ec.presence_of_element_located((By.ID, "passed"))).text
    assert len(browser.find_elements(By.CSS_SELECTOR, "#my-uploads tbody tr")) == 1
    assert not browser.find_elements(By.ID, "units")  # no overview for a unit
    own_file = browser.find_element(By.CSS_SELECTOR, "#my-uploads a").get_attribute("href")

    _log_in(browser, server, "sy")
    browser.get(round_url)
    _upload(browser, school)
    wait.until(ec.presence_of_element_located((By.ID, "failed")))
    assert "辍学人数" in browser.find_element(By.ID, "result").text
    rows = browser.find_elements(By.CSS_SELECTOR, "#my-uploads tbody tr")
    assert len(rows) == 1 and "凤山镇" not in browser.page_source
    browser.get(own_file)  # the township's file
    assert "只能查看本单位的报送" in browser.find_element(By.TAG_NAME, "main").text

    _log_in(browser, server, "jyj")
    browser.get(round_url)
    counts = browser.find_element(By.ID, "counts").text
    assert "已报 1" in counts and "有错误 1" in counts and "未报 " in counts
    states = {r.find_elements(By.TAG_NAME, "td")[0].text: r.find_elements(By.TAG_NAME, "td")[1].text
              for r in browser.find_elements(By.CSS_SELECTOR, "#units tbody tr")}  # fmt: skip
    assert states["凤山镇"] == "已报" and states["罗源县实验小学"] == "有错误" and states["松山镇"] == "未报"
    browser.find_element(By.ID, "compile").click()
    wait.until(ec.element_to_be_clickable((By.ID, "download"))).click()
    with zipfile.ZipFile(chromium._wait_for_file(downloads, ".zip")) as zf:
        names = zf.namelist()
    assert any(n.endswith(".pdf") for n in names) and any(n.endswith(".xlsx") for n in names)
