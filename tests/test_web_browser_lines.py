"""写通知 in a real Chromium: a clerk loads a YAML whose 正文 holds a table with blank rows for the hand,
changes the table line's 空行 in the 正文 box, and the preview grows by the rows she asked for.

Writes a screenshot of the page to $KONGCHUO_LINES_SCREENSHOT when it is set."""

from __future__ import annotations

import os
import re
import shutil

import pytest
from chromium import NEEDS_CHROMIUM, WAIT, chromium, served
from test_web_notice_lines import MAIN_TABLE, NOTICE

from kongchuo_docs.files.resources import sample_path

pytestmark = NEEDS_CHROMIUM
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium 未安装（pip install -e '.[dev]'）")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def _preview(browser) -> tuple[int, list[str]]:
    """预览, then the pages the preview says it has and its images' addresses, once drawn."""
    button = browser.find_element(By.ID, "preview-button")
    button.click()
    wait = WebDriverWait(browser, WAIT)
    wait.until(ec.staleness_of(button))
    heading = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#preview h2")))
    images = browser.find_elements(By.CSS_SELECTOR, "#preview img")
    wait.until(lambda b: all(b.execute_script("return arguments[0].complete && arguments[0].naturalWidth", i)
                             for i in images[:2]))  # fmt: skip
    return int(re.search(r"共 (\d+) 页", heading.text)[1]), [i.get_attribute("src") for i in images]


def test_a_clerk_adds_blank_rows_to_a_table_line_and_the_preview_grows(tmp_path):
    profile = tmp_path / "单位设置.yaml"
    shutil.copyfile(sample_path("profile", "单位设置.yaml"), profile)
    source = tmp_path / "责任书通知.yaml"
    source.write_text(NOTICE, encoding="utf-8")
    with served(profile) as url, chromium(tmp_path / "downloads") as browser:
        browser.get(url + "/notice")
        browser.find_element(By.CSS_SELECTOR, "form.load input[type=file]").send_keys(str(source))
        browser.find_element(By.CSS_SELECTOR, "form.load button").click()
        body = WebDriverWait(browser, WAIT).until(ec.presence_of_element_located((By.NAME, "body")))
        text = body.get_attribute("value")
        assert MAIN_TABLE in text.splitlines()
        pages, first = _preview(browser)

        body = browser.find_element(By.NAME, "body")
        body.clear()
        body.send_keys(text.replace("空行=3", "空行=60"))  # a page and more of rows to fill in by hand
        more, second = _preview(browser)
        assert more >= pages + 1 and second != first
        assert "空行=60" in browser.find_element(By.NAME, "body").get_attribute("value")  # kept as she typed it
        if os.environ.get("KONGCHUO_LINES_SCREENSHOT"):
            browser.execute_script("document.getElementById('field-body').scrollIntoView()")
            browser.save_screenshot(os.environ["KONGCHUO_LINES_SCREENSHOT"])
