"""网页版 end to end in a real Chromium (Debian's ``chromium`` + ``chromium-driver``, via Selenium):
the server runs as ``kongchuo-docs serve`` on a free loopback port.

Writes the README's screenshot to docs/web-notice.png when KONGCHUO_SCREENSHOT=1.
"""

from __future__ import annotations

import os
import shutil
import time
import zipfile
from pathlib import Path

import pymupdf
import pytest
from chromium import NEEDS_CHROMIUM, WAIT, chromium, served

from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds.letters import checked_roster
from kongchuo_docs.kinds.sample_roster import write_sample_file
from kongchuo_docs.profile import load_profile

pytestmark = NEEDS_CHROMIUM
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium 未安装（pip install -e '.[dev]'）")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

SCREENSHOT = Path(__file__).parent.parent / "docs" / "web-notice.png"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("server")
    profile = folder / "单位设置.yaml"
    shutil.copyfile(sample_path("profile", "单位设置.yaml"), profile)
    with served(profile) as url:
        yield url


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads):
    with chromium(downloads) as driver:
        yield driver


def _wait_for_file(folder: Path, suffix: str) -> Path:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = [p for p in folder.iterdir() if p.suffix == suffix]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} downloaded into {folder}")


def _new_notice(browser) -> None:
    """新建（清空）, then wait until the page it posts has replaced this one: a field found sooner would
    be the old page's, stale a moment later."""
    button = browser.find_element(By.ID, "new-notice")
    button.click()
    WebDriverWait(browser, WAIT).until(ec.staleness_of(button))


def _type(browser, name: str, text: str) -> None:
    field = browser.find_element(By.NAME, name)
    field.clear()
    field.send_keys(text)


def test_notice_form_outline_field_error_preview_and_pdf(server, browser, downloads):
    browser.get(server + "/notice")
    _type(browser, "issuers", "某某县教育局")
    _type(browser, "doc_number", "某教综〔20〕5号")
    _type(browser, "title", "某某县教育局关于做好秋季学期控辍保学工作的通知")
    _type(browser, "recipients", "各乡（镇）中心学校：")
    body = "\n".join(("为做好秋季学期控辍保学工作，现就有关事项通知如下。", "一、摸清底数", "（一）逐户核查",
                      "各校要逐户核查适龄儿童少年入学情况。", "三、加强劝返"))
    _type(browser, "body", body)
    _type(browser, "signatures", "某某县教育局")
    _type(browser, "date", "2026年9月1日")
    wait = WebDriverWait(browser, WAIT)
    wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#outline li")) == 3)  # live, as typed
    outline = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#outline li")]
    assert outline == ["一、摸清底数", "（一）逐户核查", "三、加强劝返"]
    wait.until(lambda b: "应为“二、”" in b.find_element(By.ID, "outline-problems").text)

    browser.find_element(By.CSS_SELECTOR, "button[value=check]").click()
    error = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#field-doc_number .field-error")))
    assert "年份应写全四位数" in error.text
    assert "第 5 行" in browser.find_element(By.ID, "field-body").text  # the body's numbering, by its line

    _type(browser, "doc_number", "某教综〔2026〕5号")
    body_field = browser.find_element(By.NAME, "body")
    body_field.clear()
    body_field.send_keys(body.replace("三、加强劝返", "二、加强劝返\n各校要落实劝返复学责任。\n[分页]\n特此通知。"))
    browser.find_element(By.ID, "preview-button").click()
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#preview img")))
    images = browser.find_elements(By.CSS_SELECTOR, "#preview img")
    wait.until(lambda b: all(b.execute_script("return arguments[0].complete && arguments[0].naturalWidth", i)
                             for i in images))  # fmt: skip
    assert len(images) >= 2  # the [分页] makes a second page
    if os.environ.get("KONGCHUO_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(exist_ok=True)
        browser.save_screenshot(str(SCREENSHOT))

    browser.find_element(By.ID, "pdf-button").click()
    pdf = _wait_for_file(downloads, ".pdf")
    time.sleep(0.5)  # let Chromium finish moving the file into place
    with pymupdf.open(pdf) as opened:
        assert opened.page_count == len(images)


def test_roster_with_two_bad_rows_then_fixed_roster_to_the_zip(server, browser, downloads, tmp_path):
    bad, good = tmp_path / "名册-有错.xlsx", tmp_path / "名册.xlsx"
    profile = load_profile(sample_path("profile", "单位设置.yaml"))
    write_sample_file(bad, rows=30, invalid=2, seed=11, year=profile.first_year)
    write_sample_file(good, rows=30, invalid=0, seed=11, year=profile.first_year)
    wait = WebDriverWait(browser, WAIT)

    browser.get(server + "/letters")
    browser.find_element(By.NAME, "roster").send_keys(str(bad))
    browser.find_element(By.CSS_SELECTOR, "form[action='/letters/check'] button").click()
    wait.until(ec.presence_of_element_located((By.ID, "problems")))
    cells = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "#problems td.cell")]
    expected = [p.location.cell for p in checked_roster(bad, profile, "入学")[1].problems.errors]
    assert len(expected) == 2 and sorted(cells) == sorted(expected)
    assert "共 2 处错误" in browser.find_element(By.ID, "problem-count").text

    browser.get(server + "/letters")
    browser.find_element(By.NAME, "roster").send_keys(str(good))
    browser.find_element(By.CSS_SELECTOR, "form[action='/letters/check'] button").click()
    wait.until(ec.element_to_be_clickable((By.ID, "generate"))).click()
    link = wait.until(ec.element_to_be_clickable((By.ID, "download")))  # the page follows the progress
    link.click()
    archive = _wait_for_file(downloads, ".zip")
    time.sleep(0.5)
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        assert "manifest.json" not in names  # only when she asks for it
        assert any(n.endswith(".pdf") for n in names) and any(n.endswith(".docx") for n in names)


# ------------------------------------------------------------------ the dead ends of issue 16

CHECK_SCREENSHOT = Path(__file__).parent.parent / "docs" / "web-letters-check.png"
SETTINGS_SCREENSHOT = Path(__file__).parent.parent / "docs" / "web-settings.png"
TEMPLATES_SCREENSHOT = Path(__file__).parent.parent / "docs" / "web-templates.png"


def _screenshot(browser, path: Path, top=None) -> None:
    """The README's picture of this page at 1366×768 (KONGCHUO_SCREENSHOT=1), scrolled so that
    `top` (an element) is near the top of the window."""
    if os.environ.get("KONGCHUO_SCREENSHOT") != "1":
        return
    browser.set_window_size(1366, 768)
    try:
        browser.execute_script("window.scrollTo(0, 0)")
        if top is not None:
            browser.execute_script("window.scrollBy(0, arguments[0].getBoundingClientRect().top - 12)", top)
        time.sleep(0.3)
        browser.save_screenshot(str(path))
    finally:
        browser.set_window_size(1400, 1000)


def _upload_and_run(browser, server: str, task: str, files: dict[str, Path], **typed: str):
    browser.get(f"{server}/batch/{task}")
    for name, path in files.items():
        browser.find_element(By.NAME, name).send_keys(str(path))
    for name, text in typed.items():
        _type(browser, name, text)
    browser.find_element(By.CSS_SELECTOR, "#task-form button[type=submit]").click()
    return WebDriverWait(browser, WAIT).until(lambda b: b.find_elements(By.ID, "download")
                                              or b.find_elements(By.ID, "job-message")
                                              or b.find_elements(By.ID, "problems"))  # fmt: skip


def test_rectification_from_the_blank_form_asks_for_its_date_on_the_page(server, browser, tmp_path):
    from web_helpers import FINDINGS, fill, sample_profile

    from kongchuo_docs.kinds.forms import build_forms

    build_forms(tmp_path / "空白表", first_year=sample_profile().first_year)
    filled = fill(tmp_path / "空白表" / "检查发现问题.xlsx", FINDINGS, tmp_path / "检查发现问题.xlsx")
    _upload_and_run(browser, server, "rectification", {"findings": filled})
    text = browser.find_element(By.ID, "job").text
    assert "成文日期" in text and "--date" not in text  # the page names its own field
    _upload_and_run(browser, server, "rectification", {"findings": filled}, date="2026-10-16")
    assert browser.find_elements(By.ID, "download"), browser.find_element(By.ID, "job").text
    files = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "ul.files li")]
    assert sum(f.endswith(".docx") for f in files) == 2 and any(f.endswith(".xlsx") for f in files)  # per unit


def test_register_build_from_the_blank_form_runs_with_the_date_the_page_shows(server, browser, tmp_path):
    from datetime import date

    from web_helpers import CLUES, fill, sample_profile

    from kongchuo_docs.kinds.forms import build_forms

    build_forms(tmp_path / "空白表", first_year=sample_profile().first_year)
    filled = fill(tmp_path / "空白表" / "问题线索登记.xlsx", CLUES, tmp_path / "线索.xlsx")
    browser.get(f"{server}/batch/register-build")
    assert browser.find_element(By.NAME, "date").get_attribute("value") == date.today().isoformat()
    _upload_and_run(browser, server, "register-build", {"clues": filled})
    assert browser.find_elements(By.ID, "download"), browser.find_element(By.ID, "job").text


def test_notice_without_its_issuer_shows_a_summary_linked_to_the_field(server, browser):
    browser.get(server + "/notice")
    _new_notice(browser)  # a blank notice: it starts from the 单位设置
    wait = WebDriverWait(browser, WAIT)
    issuers = wait.until(ec.presence_of_element_located((By.NAME, "issuers")))
    assert issuers.get_attribute("value").strip()  # 发文机关 from the 单位设置
    issuers.clear()
    _type(browser, "title", "某某县教育局关于做好寒假控辍保学工作的通知")
    _type(browser, "body", "请各校做好寒假期间控辍保学工作。")
    browser.find_element(By.ID, "preview-button").click()
    summary = wait.until(ec.visibility_of_element_located((By.ID, "error-summary")))
    link = summary.find_element(By.CSS_SELECTOR, "a[href='#field-issuers']")
    assert "发文机关：必填" in link.text
    link.click()
    assert browser.execute_script("return location.hash") == "#field-issuers"
    browser.back()  # after a POST: no 「确认重新提交表单」, the page as it was
    browser.back()
    wait.until(ec.presence_of_element_located((By.NAME, "issuers")))
    assert browser.find_element(By.NAME, "title").get_attribute("value") == "某某县教育局关于做好寒假控辍保学工作的通知"


def test_letters_check_shows_the_first_letter_and_the_warnings_before_generating(server, browser, tmp_path):
    profile = load_profile(sample_path("profile", "单位设置.yaml"))
    roster = tmp_path / "名册.xlsx"
    write_sample_file(roster, rows=12, invalid=0, seed=5, year=profile.first_year)
    wait = WebDriverWait(browser, WAIT)
    browser.get(server + "/letters")
    browser.find_element(By.NAME, "roster").send_keys(str(roster))
    _type(browser, "date", f"{profile.first_year}-09-15")  # after the 报到日期
    browser.find_element(By.CSS_SELECTOR, "#task-form button[type=submit]").click()
    box = wait.until(ec.visibility_of_element_located((By.ID, "warnings")))
    image = browser.find_element(By.ID, "first-letter")
    wait.until(lambda b: b.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image))
    assert "共 12 份通知书" in box.text and "晚于报到日期" in box.text
    assert "kongchuo-docs" not in browser.find_element(By.TAG_NAME, "main").text
    _screenshot(browser, CHECK_SCREENSHOT, browser.find_element(By.TAG_NAME, "h1"))
    browser.find_element(By.ID, "fix-date").click()
    wait.until(ec.element_to_be_clickable((By.ID, "download")))
    assert "保留到" in browser.find_element(By.ID, "kept").text


def test_settings_page_in_sections_and_a_refused_save_says_so_at_the_top(server, browser):
    browser.get(server + "/settings")
    legends = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "fieldset.section legend")]
    assert legends[:2] == ["单位", "文号"]
    _type(browser, "行政区划代码", "35012")
    browser.find_element(By.CSS_SELECTOR, "form.settings button[type=submit]").click()
    summary = WebDriverWait(browser, WAIT).until(ec.visibility_of_element_located((By.ID, "error-summary")))
    assert "未保存：1 处需要改正" in summary.text
    _screenshot(browser, SETTINGS_SCREENSHOT)
    summary.find_element(By.CSS_SELECTOR, "a[href='#field-行政区划代码']").click()
    assert browser.find_element(By.NAME, "行政区划代码").get_attribute("value") == "35012"  # kept as typed


LEAVING = "var e = new Event('beforeunload', {cancelable: true}); window.dispatchEvent(e); return e.defaultPrevented;"


def test_leaving_the_notice_with_unsaved_changes_asks_first_and_the_form_comes_back(server, browser):
    browser.get(server + "/notice")
    _type(browser, "title", "某某县教育局关于做好春季学期控辍保学工作的通知")
    assert browser.execute_script(LEAVING)  # typed, not sent: the browser asks before leaving
    browser.find_element(By.CSS_SELECTOR, "button[value=check]").click()  # sent: kept for the session
    wait = WebDriverWait(browser, WAIT)
    wait.until(ec.presence_of_element_located((By.NAME, "title")))
    assert not browser.execute_script(LEAVING)  # nothing unsaved
    browser.find_element(By.CSS_SELECTOR, "nav a[href='/letters']").click()
    wait.until(ec.url_contains("/letters"))
    browser.find_element(By.CSS_SELECTOR, "nav a[href='/notice']").click()
    title = wait.until(ec.presence_of_element_located((By.NAME, "title")))
    assert title.get_attribute("value") == "某某县教育局关于做好春季学期控辍保学工作的通知"  # restored


@pytest.mark.parametrize("width", [1366, 1920])
def test_the_notice_preview_is_readable_at_common_screen_widths(server, browser, width):
    browser.set_window_size(width, 900)
    try:
        browser.get(server + "/notice")
        _new_notice(browser)
        WebDriverWait(browser, WAIT).until(ec.presence_of_element_located((By.NAME, "doc_number")))
        for name, text in (("doc_number", "某教综〔2026〕5号"), ("title", "某某县教育局关于做好春季学期工作的通知"),
                           ("recipients", "各乡（镇）中心学校："), ("body", "请各校做好春季学期控辍保学工作。"),
                           ("signatures", "某某县教育局"), ("date", "2026年3月2日")):  # fmt: skip
            _type(browser, name, text)
        browser.find_element(By.ID, "preview-button").click()
        image = WebDriverWait(browser, WAIT).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#preview img")))
        shown = browser.execute_script("return arguments[0].getBoundingClientRect().width", image)
        body_px = 16 * shown / 595.3  # 3号 = 16 pt on an A4 page 595.3 pt wide
        assert body_px >= (14 if width == 1366 else 18), f"{width}: 3号 shown at {body_px:.1f} px"
    finally:
        browser.set_window_size(1400, 1000)


PIXELS = """var img = arguments[0], c = document.createElement('canvas');
c.width = img.naturalWidth; c.height = img.naturalHeight; c.getContext('2d').drawImage(img, 0, 0);
return c.toDataURL();"""


def _preview_pixels(browser) -> str:
    image = WebDriverWait(browser, WAIT).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#preview img")))
    WebDriverWait(browser, WAIT).until(lambda b: b.execute_script("return arguments[0].complete && "
                                                                  "arguments[0].naturalWidth", image))  # fmt: skip
    return browser.execute_script(PIXELS, image)


def test_a_wording_sentence_edited_on_the_templates_page_changes_the_preview(server, browser):
    from kongchuo_docs.wording.files import WORDING_FILES

    page = f"{server}/templates/{list(WORDING_FILES).index('letters/enrolment.yaml')}"
    browser.get(page)
    boxes = browser.find_elements(By.CSS_SELECTOR, "#sentences textarea")
    box = next(b for b in boxes if "延缓入学" in b.get_attribute("value"))
    box_id = box.get_attribute("id")
    phone = "//textarea[contains(., '咨询电话：')]"
    condition = browser.find_element(By.XPATH, phone + "/preceding-sibling::span[@class='condition']")
    assert condition.text == "仅当有咨询电话时"
    browser.find_element(By.CSS_SELECTOR, "#sentences button[value=preview]").click()
    before = _preview_pixels(browser)

    box = browser.find_element(By.ID, box_id)
    box.clear()
    box.send_keys("孩子确因身体状况需要延缓入学的，请尽早联系学校，")
    browser.find_element(By.XPATH, "//button[@class='chip'][. = '〔学校〕']").click()  # a chip at the cursor
    assert browser.find_element(By.ID, box_id).get_attribute("value").endswith("请尽早联系学校，〔学校〕")
    browser.find_element(By.CSS_SELECTOR, "#sentences button[value=preview]").click()
    WebDriverWait(browser, WAIT).until(ec.staleness_of(box))
    assert browser.find_element(By.ID, box_id).get_attribute("value").endswith("〔学校〕")  # kept as typed
    assert "error-summary" not in browser.page_source
    assert _preview_pixels(browser) != before  # the letter drawn with the new sentence
    _screenshot(browser, TEMPLATES_SCREENSHOT, browser.find_element(By.XPATH, "//textarea[@id='s7']/.."))


# ------------------------------------------------------------------ 发文登记 (issue 21 #4)


def _issue_auto(browser, server: str) -> str:
    """写通知 from the sample notice with 自动 ticked, 下载 DOCX: the number the page says it took."""
    browser.get(server + "/notice")
    _new_notice(browser)
    _type(browser, "title", "某某县教育局关于做好秋季学期控辍保学工作的通知")
    _type(browser, "recipients", "各乡（镇）中心学校：")
    _type(browser, "body", "为做好秋季学期控辍保学工作，现就有关事项通知如下。")
    _type(browser, "signatures", "某某县教育局")
    _type(browser, "date", "2026年9月1日")
    auto = browser.find_element(By.ID, "f-auto-number")
    if not auto.is_selected():
        auto.click()
    browser.find_element(By.CSS_SELECTOR, "button[value=docx]").click()
    return WebDriverWait(browser, WAIT).until(ec.presence_of_element_located((By.ID, "issued-number"))).text


def test_auto_number_shown_listed_voided_and_never_given_again(server, browser):
    code = load_profile(sample_path("profile", "单位设置.yaml")).number_code("通知")
    first = _issue_auto(browser, server)
    assert first.startswith(f"{code}〔2026〕") and first.endswith("号")
    assert "已记入" in browser.find_element(By.ID, "issued").text
    assert browser.find_element(By.NAME, "doc_number").get_attribute("value") == first

    browser.find_element(By.LINK_TEXT, "发文登记").click()
    row = WebDriverWait(browser, WAIT).until(
        ec.presence_of_element_located((By.XPATH, f"//tr[td[@class='number' and text()='{first}']]")))
    assert "已发文" in row.text and "秋季学期控辍保学" in row.text
    row.find_element(By.NAME, "reason").send_keys("标题有误")
    row.find_element(By.CSS_SELECTOR, ".void-form button").click()
    done = WebDriverWait(browser, WAIT).until(ec.presence_of_element_located((By.ID, "numbers-done")))
    assert first in done.text and "不再使用" in done.text
    row = browser.find_element(By.XPATH, f"//tr[td[@class='number' and text()='{first}']]")
    assert "作废" in row.find_element(By.CLASS_NAME, "status").text and "标题有误" in row.text

    second = _issue_auto(browser, server)
    sequence = int(first.removeprefix(f"{code}〔2026〕").removesuffix("号"))
    assert second == f"{code}〔2026〕{sequence + 1}号"


def test_a_draft_uploaded_on_the_build_page_gives_the_text_build_writes(server, browser, downloads, tmp_path):
    import io
    import re

    from test_drafts import DRAFTS, ORGAN
    from typer.testing import CliRunner

    from kongchuo_docs.cli import app
    from kongchuo_docs.declare import TASKS

    def text(docx: bytes) -> str:
        return re.sub(r"<[^>]+>", "", zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode())

    draft = tmp_path / "自动编号.docx"
    DRAFTS[draft.name](draft)
    browser.get(f"{server}/notice")
    browser.find_element(By.CSS_SELECTOR, "#sibling a").click()  # 写通知 → its upload sibling
    assert browser.current_url.endswith("/batch/build")
    browser.find_element(By.NAME, "inputs").send_keys(str(draft))
    browser.find_element(By.CSS_SELECTOR, "input[name=formats][value=pdf]").click()  # DOCX only
    _type(browser, "set", f"发文机关={ORGAN}")
    browser.find_element(By.CSS_SELECTOR, "#task-form button[type=submit]").click()
    WebDriverWait(browser, WAIT).until(ec.element_to_be_clickable((By.ID, "download"))).click()
    archive = downloads / f"{TASKS['build'].title}.zip"
    WebDriverWait(browser, WAIT).until(lambda _: archive.is_file())
    time.sleep(0.5)
    out = tmp_path / "cli"
    done = CliRunner().invoke(app, ["build", str(draft), "-o", str(out), "--format", "docx", "--set",
                                    f"发文机关={ORGAN}", "--settings", str(sample_path("profile", "单位设置.yaml"))])
    assert done.exit_code == 0, done.output
    with zipfile.ZipFile(archive) as zf:
        assert sorted(zf.namelist()) == ["自动编号.docx", "自动编号.yaml"]
        on_page = text(zf.read("自动编号.docx"))
    assert on_page == text((out / "自动编号.docx").read_bytes()) and ORGAN in on_page  # the same at both doors
