"""Fixtures and helpers of the web tests: an app with the sample 单位设置, a client with its CSRF
token, rosters of the profile's 学年, waiting for jobs, the seed as form data, the tool's blank
forms filled as a clerk fills them."""

from __future__ import annotations

import html
import re
import shutil
import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds.sample_roster import write_sample_file
from kongchuo_docs.profile import Profile, load_profile
from kongchuo_docs.readers.yaml_records import load_yaml
from kongchuo_docs.store.accounts import add_account
from kongchuo_docs.web.app import ServerConfig, create_app
from kongchuo_docs.web.notice_form import NoticeForm

JOB_TIMEOUT = 120.0  # seconds; a small roster takes a few
PAGE_URL = "http://127.0.0.1:8765"  # where the tests' browser opened the page


def page_client(app, **options) -> TestClient:
    """A browser session on the page at `PAGE_URL`: the server's own address, and the page's
    origin on every request (a browser sends it with each POST). As ``with page_client(app) as c:`` it
    runs the app's lifespan, so leaving the block closes the app (`web.app.close_app`); an app used
    without such a block is closed by its test or fixture with `close_app`."""
    return TestClient(app, base_url=PAGE_URL, headers={"origin": PAGE_URL}, **options)


def csrf_of(client: httpx.Client, path: str = "/") -> str:
    """The CSRF token of the page at `path` (the home page; the login page before login), for a test's
    client or one on a real server."""
    page = client.get(path).text
    return re.search(r'name="csrf-token" content="([^"]+)"', page)[1]


def wait_for_job(client: TestClient, job_url: str) -> dict:
    deadline = time.monotonic() + JOB_TIMEOUT
    while time.monotonic() < deadline:
        progress = client.get(f"{job_url}/progress").json()
        if progress["state"] in ("done", "failed", "cancelled"):
            return progress
        time.sleep(0.1)
    raise AssertionError(f"job {job_url} did not finish in {JOB_TIMEOUT} s")


def form_data(sample: str = "seed-notice.yaml") -> dict[str, str]:
    """A sample notice as the 写通知 form posts it."""
    return posted(NoticeForm.from_yaml(load_yaml(sample_path("notice", sample))))


def posted(form: NoticeForm) -> dict[str, str]:
    """`form` as the 写通知 page posts it."""
    data = dict(form.values)
    if form.seal:
        data["seal"] = "1"
    for n, attachment in enumerate(form.attachments):
        data.update({f"att-{n}-{key}": value for key, value in attachment.items()})
    return data


def sample_file(*parts: str) -> Path:
    return sample_path(*parts)


def sample_profile() -> Profile:
    return load_profile(sample_file("profile", "单位设置.yaml"))


def shared_app(folder: Path):
    """The app a test module shares (its `web_app` fixture), with a copy of the sample 单位设置."""
    profile = folder / "单位设置.yaml"
    shutil.copyfile(sample_file("profile", "单位设置.yaml"), profile)
    return create_app(ServerConfig(workers=2, work_dir=folder, profile=profile))


def write_rosters(folder: Path) -> tuple[Path, Path]:
    """A 20-row roster of the sample profile's 学年 with two bad rows, and the same roster fixed."""
    bad, good = folder / "bad.xlsx", folder / "good.xlsx"
    year = sample_profile().first_year
    write_sample_file(bad, rows=20, invalid=2, seed=7, year=year)
    write_sample_file(good, rows=20, invalid=0, seed=7, year=year)
    return bad, good


def own_app(folder: Path, **options):
    """An app of its own (closed by the test) with a copy of the sample 单位设置."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = folder / "单位设置.yaml"
    shutil.copyfile(sample_file("profile", "单位设置.yaml"), profile)
    return create_app(ServerConfig(work_dir=folder / "jobs", profile=profile, **options))


def post_notice(client: TestClient, action: str, **changes: str):
    return client.post("/notice", data={**form_data(), **changes, "action": action, "csrf": csrf_of(client)})


def check_roster(client, name: str, data: bytes, **extra: str):
    return client.post("/letters/check", files={"roster": (name, data)}, data={"csrf": csrf_of(client), **extra})


def job_of(app, job_url: str):
    """The `Job` behind a job page's URL (tests look into its folder and process)."""
    return app.state.jobs._jobs[job_url.rsplit("/", 1)[1]]


def settings_post(c: TestClient, **changes: str):
    """The 单位设置 form as the page shows it, with `changes`, saved."""
    page = c.get("/settings").text
    data = {name: html.unescape(value) for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', page)}
    data.update({name: html.unescape(value) for name, value in
                 re.findall(r'<textarea id="[^"]+" name="([^"]+)" rows="\d+">(.*?)</textarea>', page, re.S)})
    data.update(re.findall(r'<select id="[^"]+" name="([^"]+)">.*?<option value="([^"]*)" selected>', page))
    data.update(changes)
    return c.post("/settings", data=data)


def fill(blank: Path, rows: list[dict[str, Any]], target: Path) -> Path:
    """The blank workbook with `rows` typed under its 示例 row, by header (the * of required ones
    left in the header), saved as `target`."""
    wb = load_workbook(blank)
    sheet = wb.worksheets[0]
    header = {str(c.value).rstrip("*"): c.column for c in sheet[1] if c.value}
    start = sheet.max_row + 1
    for n, row in enumerate(rows):
        for key, value in row.items():
            sheet.cell(start + n, header[key], value)
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target


FINDINGS = [
    {"被检查单位": "城东镇人民政府", "问题类别": "台账数据", "问题描述": "控辍保学台账未及时更新。",
     "整改要求": "逐一核实学生去向，更新台账。", "整改时限": date(2026, 10, 30)},
    {"被检查单位": "城东镇人民政府", "问题类别": "劝返程序", "问题描述": "劝返记录缺家长签字。",
     "整改要求": "补齐劝返记录。", "整改时限": date(2026, 10, 30)},
    {"被检查单位": "实验小学", "问题类别": "档案", "问题描述": "学籍档案未归档。", "整改要求": "按规定归档。",
     "整改时限": date(2026, 11, 6)},
]  # fmt: skip

CLUES = [
    {"移送单位": "县教育局督导室", "线索来源": "督导检查", "线索简要内容": "一名八年级学生自9月起未到校。",
     "办理情况": "办理中"},
    {"移送单位": "县教育局督导室", "线索来源": "信访举报", "线索简要内容": "一名七年级学生随父母外出。",
     "办理情况": "未办理"},
]  # fmt: skip


SELF_CHECK_COUNTS = {
    "适龄儿童少年数": 1000, "已入学适龄儿童少年数": 998, "学期初在校学生数": 990, "本届入学时人数": 100,
    "本届在校人数": 99, "辍学人数": 2, "劝返复学人数": 1, "适龄残疾儿童数": 5, "残疾儿童入学人数": 5,
    "未到校人数": 3, "病假": 1, "休学": 0, "延缓入学": 0, "送教上门": 1, "转学": 0, "死亡": 0, "辍学（未到校）": 1,
}  # fmt: skip


def fill_fields(blank: Path, target: Path, values: dict[str, object]) -> None:
    """Type `values` into the 填写内容 column next to their labels, as a clerk does in Excel."""
    book = load_workbook(blank)
    sheet = book.worksheets[0]
    typed = set()
    for label, value_cell, _note in sheet.iter_rows(min_row=3, max_col=3):
        name = str(label.value or "").rstrip("*")
        if name in values:
            value_cell.value = values[name]
            typed.add(name)
    assert typed == set(values), set(values) - typed
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)


PASSWORDS = {"jyj": "bureau-pass", "yixiao": "school-one", "erxiao": "school-two", "zhen": "town-pass"}


def sample_accounts() -> dict[str, tuple[str, str, str]]:
    """The tests' accounts on the sample 单位设置, 用户名 → (role, unit, password): the 教育局 (jyj), its first
    two schools (yixiao, erxiao) and the first school's 乡镇 (zhen), each with its password of `PASSWORDS`."""
    county = sample_profile()
    units = {"jyj": ("教育局", county.bureau), "yixiao": ("学校", county.schools[0].name),
             "erxiao": ("学校", county.schools[1].name), "zhen": ("乡镇", county.schools[0].township)}  # fmt: skip
    return {name: (role, unit, PASSWORDS[name]) for name, (role, unit) in units.items()}


def add_accounts(store, accounts: dict[str, tuple[str, str, str]] | None = None) -> None:
    """Add `accounts` (用户名 → (role, unit, password); `sample_accounts()` when None) to `store`."""
    for name, (role, unit, password) in (accounts or sample_accounts()).items():
        add_account(store, name, role, unit, password)


def profile_with_accounts(folder: Path) -> Path:
    """A copy of the sample 单位设置 in `folder` (made) with `sample_accounts()` in the SQLite store beside
    it, as ``users add`` leaves them for ``serve``."""
    from kongchuo_docs.store.database import open_store, store_url

    folder.mkdir(parents=True, exist_ok=True)
    profile = folder / "单位设置.yaml"
    shutil.copyfile(sample_file("profile", "单位设置.yaml"), profile)
    store = open_store(store_url(None, profile), sample_profile().area_code)
    try:
        add_accounts(store)
    finally:
        store.close()
    return profile


def logged_in(app, name: str, password: str | None = None, **options) -> TestClient:
    """A browser session (`page_client` with `options`) that logged in as `name` through the login page
    (用户名 + 密码, CSRF); the password is the account's of `PASSWORDS` unless given."""
    client = page_client(app, **options)
    response = client.post("/login", data={"username": name, "password": password or PASSWORDS[name],
                                           "csrf": csrf_of(client, "/login")})  # fmt: skip
    assert response.status_code == 200 and response.url.path == "/", response.text
    return client


def audit_rows(client: TestClient) -> list[dict[str, str]]:
    """The 操作日志 page's rows as its columns name them (时间, 用户名, 角色, 单位, 操作, 任务, 数量, 文件, 结果)."""
    page = client.get("/audit")
    assert page.status_code == 200, page.text
    columns = re.findall(r"<th>([^<]*)</th>", page.text)
    rows = re.findall(r"<tr>((?:<td>[^<]*</td>)+)</tr>", page.text)
    return [dict(zip(columns, (html.unescape(c) for c in re.findall(r"<td>([^<]*)</td>", row)), strict=True))
            for row in rows]  # fmt: skip


def two_schools_roster(folder: Path, mine: int, others: int) -> tuple[Path, list[str], list[str]]:
    """A valid roster whose first `mine` rows are the sample profile's first school's and the next
    `others` rows a school of another 乡镇's; with both groups' names."""
    profile = sample_profile()
    first = profile.schools[0]
    other = next(s for s in profile.schools if s.township != first.township)
    path = folder / "两校名册.xlsx"
    write_sample_file(path, rows=mine + others, invalid=0, seed=11, year=profile.first_year)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = next(r for r in sheet.iter_rows(max_row=5) if any(c.value and "学校" in str(c.value) for c in r))
    school_col = next(c.column for c in header if c.value and "学校" in str(c.value))
    name_col = next(c.column for c in header if c.value and "姓名" in str(c.value))
    rows = [r for r in range(header[0].row + 1, sheet.max_row + 1) if sheet.cell(r, name_col).value]
    names: tuple[list[str], list[str]] = ([], [])
    for index, row in enumerate(rows):
        ours = index < mine
        sheet.cell(row, school_col).value = first.name if ours else other.name
        names[0 if ours else 1].append(str(sheet.cell(row, name_col).value))
    book.save(path)
    return path, *names


def pdf_text(archive: bytes) -> str:
    """The text of every PDF in the zip `archive` (a job's download); fails when it holds none."""
    import io
    import zipfile

    import pymupdf

    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        pdfs = [zf.read(n) for n in zf.namelist() if n.endswith(".pdf")]
    assert pdfs, "no PDF in the archive"
    text = ""
    for data in pdfs:
        with pymupdf.open(stream=data, filetype="pdf") as pdf:
            text += "".join(page.get_text() for page in pdf)
    return text
