"""报送 rounds on the page (issue 21 #3): the 教育局 opens a round, two units upload the blank 自查表 the
tool writes, filled as a clerk fills it — one with an error, then fixed —, each sees only its own, and
the 教育局 sees 已报/未报/有错误, downloads the 未报 list and compiles the round into a 工作总结 that
names the units, not the files they uploaded. Every user is an account of the store who logged in
through the login page (once for the module: argon2 takes a while)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from web_helpers import (
    CLUES,
    SELF_CHECK_COUNTS,
    add_accounts,
    audit_rows,
    csrf_of,
    fill,
    fill_fields,
    logged_in,
    own_app,
    page_client,
    sample_profile,
    wait_for_job,
)

from kongchuo_docs.kinds.forms import build_forms
from kongchuo_docs.web.app import ServerConfig, close_app, create_app
from kongchuo_docs.web.store_access import NO_PROFILE, WRONG_PROFILE
from kongchuo_docs.writers.error_workbook import ERROR_FILL, ERROR_SHEET

TOWNSHIP, SCHOOL, SILENT = "凤山镇", "罗源县实验小学", "松山镇"
SENT_AS = "自查表（最终版）.xlsx"  # the name both units give their file


USERS = {"jyj": ("教育局", ""), "fs": ("乡镇", TOWNSHIP), "sy": ("学校", SCHOOL), "ss": ("学校", "松山中心小学")}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = own_app(tmp_path_factory.mktemp("server"))
    bureau = sample_profile().bureau
    add_accounts(app.state.store, {name: (role, unit or bureau, f"{name}-password")
                                   for name, (role, unit) in USERS.items()})  # fmt: skip
    yield app
    close_app(app)


@pytest.fixture(scope="module")
def users(app) -> dict:
    """Each user's page, logged in once for the module."""
    return {name: logged_in(app, name, f"{name}-password") for name in USERS}


def _open_round(bureau, units=(TOWNSHIP, SCHOOL, SILENT), **changes) -> str:
    data = {"name": "2026年秋季学期自查", "form": "自查表", "deadline": "2026-10-09", "units": list(units),
            "csrf": csrf_of(bureau), **changes}  # fmt: skip
    response = bureau.post("/rounds", data=data, follow_redirects=False)
    assert response.status_code == 303
    return response.headers["location"]


def _filled(client, round_url: str, tmp_path: Path, unit: str, kind: str, **changes: object) -> bytes:
    """The blank 自查表 linked on the round's page, filled by `unit` (示例 and 说明 left as they come)."""
    blank_url = re.search(r'<a href="(/forms/\d+)" download id="blank-form">', client.get(round_url).text)[1]
    blank = tmp_path / f"blank-{unit}.xlsx"
    blank.write_bytes(client.get(blank_url).content)
    target = tmp_path / unit / SENT_AS
    fill_fields(blank, target, {"单位名称": f"{unit}人民政府" if kind == "乡镇" else unit, "单位类型": kind,
                                "自查时段": "2026年秋季学期", "报告日期": "2026-10-09", **SELF_CHECK_COUNTS,
                                **changes})  # fmt: skip
    return target.read_bytes()


def _upload(client, round_url: str, data: bytes, **extra: str):
    return client.post(f"{round_url}/upload", files={"file": (SENT_AS, data)},
                       data={"csrf": csrf_of(client), **extra})  # fmt: skip


def test_open_round_offers_every_unit_ticked_and_refuses_with_the_red_summary(users) -> None:
    bureau = users["jyj"]
    page = bureau.get("/rounds/new").text
    ticked = re.findall(r'name="units" value="([^"]+)" checked', page)
    profile = sample_profile()
    assert ticked == [t.name for t in profile.townships] + [s.name for s in profile.schools]
    assert '<a href="/rounds">报送</a>' in page  # in the navigation
    response = bureau.post("/rounds", data={"name": "", "form": "自查表", "deadline": "2026-13-01",
                                            "units": [SCHOOL, "外县学校"], "csrf": csrf_of(bureau)})  # fmt: skip
    assert response.status_code == 400 and 'id="error-summary"' in response.text
    assert "名称：请填写" in response.text and "截止日期：" in response.text
    assert "外县学校 不是单位设置中的乡镇或学校" in response.text
    assert bureau.get("/rounds/new").status_code == 200  # shown once
    assert bureau.post("/rounds", data={"name": "x"}).status_code == 403  # no CSRF token


def test_two_units_upload_fix_and_the_bureau_compiles(users, tmp_path: Path) -> None:
    bureau = users["jyj"]
    round_url = _open_round(bureau)
    township = users["fs"]
    school = users["sy"]
    assert "2026年秋季学期自查" in township.get("/rounds").text

    # the township's first file has an impossible 报告日期: refused by cell, the error workbook to fix
    bad = _filled(township, round_url, tmp_path, TOWNSHIP, "乡镇", 报告日期="2026-13-40")
    page = _upload(township, round_url, bad).text
    assert 'id="failed"' in page and f"{SENT_AS}!自查表!B" in page and "报告日期" in page
    errors_url = re.search(r'href="(/rounds/uploads/\d+/errors)"', page)[1]
    marked = openpyxl.load_workbook(io.BytesIO(township.get(errors_url).content))
    assert marked.sheetnames[0] == ERROR_SHEET
    red = [c for row in marked["自查表"].iter_rows() for c in row if c.fill.fgColor.rgb == ERROR_FILL.fgColor.rgb]
    assert [c.value for c in red] == ["2026-13-40"] and red[0].comment is not None
    assert "有错误" in bureau.get(round_url).text
    assert 'id="failed"' in township.get(round_url).text  # her file's problems stay shown until she fixes it

    good = _filled(township, round_url, tmp_path, TOWNSHIP, "乡镇")
    assert 'id="passed"' in _upload(township, round_url, good).text
    school_data = _filled(school, round_url, tmp_path, SCHOOL, "学校")
    assert 'id="passed"' in _upload(school, round_url, school_data).text

    # each unit sees its own uploads only; another unit's file and the overview are a Chinese 403
    mine = township.get(round_url).text
    assert mine.count("/rounds/uploads/") >= 2 and 'id="units"' not in mine
    [school_file] = re.findall(r'href="(/rounds/uploads/\d+)" download', school.get(round_url).text)
    refused = township.get(school_file)
    assert refused.status_code == 403 and "只能查看本单位的报送" in refused.text
    for url in (f"{round_url}/missing.xlsx", "/rounds/new"):
        assert township.get(url).status_code == 403
    assert township.post(f"{round_url}/compile", data={"csrf": csrf_of(township)}).status_code == 403

    # the 教育局: 已报/未报 with times, the 未报 list, 汇总 in one click
    overview = bureau.get(round_url).text
    assert re.search(r"已报 2，未报 1，有错误 0", overview)
    assert re.search(rf"<td>{TOWNSHIP}</td><td>已报</td>\s*<td>\d{{4}}-\d\d-\d\d \d\d:\d\d</td>", overview)
    assert bureau.get(school_file).content == school_data
    missing = openpyxl.load_workbook(io.BytesIO(bureau.get(f"{round_url}/missing.xlsx").content)).active
    assert [r[1] for r in missing.iter_rows(min_row=3, values_only=True)] == [SILENT]

    job_url = bureau.post(f"{round_url}/compile", data={"csrf": csrf_of(bureau)}).url.path
    assert wait_for_job(bureau, job_url)["state"] == "done"
    with zipfile.ZipFile(io.BytesIO(bureau.get(f"{job_url}/download").content)) as zf:
        [workbook] = [n for n in zf.namelist() if n.endswith(".xlsx")]
        book = openpyxl.load_workbook(io.BytesIO(zf.read(workbook)), read_only=True)
        [summary] = [n for n in zf.namelist() if n.endswith(".docx")]
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(zf.read(summary))).paragraphs)
    cells = {str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v}
    assert {f"{TOWNSHIP}.xlsx", f"{SCHOOL}.xlsx", f"{TOWNSHIP}人民政府", SCHOOL} <= cells
    assert not any("最终版" in c for c in cells)  # the units, never the names of the files they sent
    # the round's 3 expected units counted by the round's names: 松山镇 sent nothing and is named
    assert "名单共3个单位，尚有1个单位未报送" in text, text
    assert f"未报送自查表的单位（1个）：{SILENT}。" in text
    rows = [r for sheet in book.worksheets for r in sheet.iter_rows(values_only=True)]
    assert [r[2] for r in rows if "未报送" in r] == [SILENT]


def test_a_unit_whose_uploads_have_errors_is_returned_in_the_summary_not_missing(users, tmp_path: Path) -> None:
    """The round's page says 有错误; the 工作总结 of 汇总 says the same (有错误（退回）, its errors listed), never
    未报送, and counts it as having reported."""
    bureau, township, school = users["jyj"], users["fs"], users["sy"]
    round_url = _open_round(bureau, units=(TOWNSHIP, SCHOOL), name="2026年秋季学期复查")
    assert 'id="passed"' in _upload(township, round_url, _filled(township, round_url, tmp_path, TOWNSHIP, "乡镇")).text
    bad = _filled(school, round_url, tmp_path, SCHOOL, "学校", 报告日期="2026-13-40")
    assert 'id="failed"' in _upload(school, round_url, bad).text
    assert "已报 1，未报 0，有错误 1" in bureau.get(round_url).text
    job_url = bureau.post(f"{round_url}/compile", data={"csrf": csrf_of(bureau)}).url.path
    assert wait_for_job(bureau, job_url)["state"] == "done"
    with zipfile.ZipFile(io.BytesIO(bureau.get(f"{job_url}/download").content)) as zf:
        [summary] = [n for n in zf.namelist() if n.endswith(".docx")]
        document = docx.Document(io.BytesIO(zf.read(summary)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "名单共2个单位，已全部报送" in text and "未报送自查表的单位" not in text, text
    receipt = {row.cells[2].text: (row.cells[3].text, row.cells[4].text) for table in document.tables
               for row in table.rows if len(row.cells) == 5}  # fmt: skip
    assert receipt[SCHOOL][0] == "有错误（退回）" and "报告日期" in receipt[SCHOOL][1], receipt
    assert "未报送" not in {status for status, _ in receipt.values()}


def test_the_bureau_uploads_in_a_units_name_and_a_closed_round_takes_nothing(users, tmp_path: Path) -> None:
    bureau = users["jyj"]
    round_url = _open_round(bureau, units=(SCHOOL,))
    data = _filled(bureau, round_url, tmp_path, SCHOOL, "学校")
    refused = _upload(bureau, round_url, data)
    assert refused.status_code == 400 and "请选择代为上传的单位" in refused.text
    for name, content, message in (("表.xlsx", b"not a zip", "已损坏"), ("表.docx", data, "不支持")):
        refused = bureau.post(f"{round_url}/upload", files={"file": (name, content)},
                              data={"csrf": csrf_of(bureau), "unit": SCHOOL})  # fmt: skip
        assert refused.status_code == 400 and 'id="error-summary"' in refused.text, refused.text
        assert message in refused.text
    assert "未报 1" in bureau.get(round_url).text  # nothing kept of a refused file
    assert 'id="passed"' in _upload(bureau, round_url, data, unit=SCHOOL).text
    assert "已报 1，未报 0" in bureau.get(round_url).text
    bureau.post(f"{round_url}/close", data={"csrf": csrf_of(bureau)})
    school = users["sy"]
    assert 'id="upload-form"' not in school.get(round_url).text
    closed = _upload(school, round_url, data)
    assert closed.status_code == 400 and "已结束报送" in closed.text
    other = users["ss"]
    assert other.get("/rounds").text.count("2026年秋季学期自查") == 0
    assert other.get(round_url).status_code == 403


def test_a_unit_sees_the_time_left_and_a_late_upload_is_taken_marked_late(users, tmp_path: Path) -> None:
    bureau = users["jyj"]
    today = dt.date.today()
    coming = _open_round(bureau, units=(SCHOOL,), deadline=(today + dt.timedelta(days=10)).isoformat())
    past = _open_round(bureau, units=(SCHOOL, SILENT), name="上周的自查",
                       deadline=(today - dt.timedelta(days=2)).isoformat())  # fmt: skip
    school = users["sy"]
    listed = school.get("/rounds").text
    assert re.search(r"还剩 10 天", listed) and "已过截止时间 1 天" in listed
    assert re.search(r'id="time-left">还剩 10 天', school.get(coming).text)
    assert re.search(r'id="time-left">已过截止时间 1 天[^<]*现在上传将标为逾期', school.get(past).text)

    data = _filled(school, past, tmp_path, SCHOOL, "学校")
    passed = _upload(school, past, data).text  # taken while the round is open, and she is told it is late
    assert re.search(r'id="passed">[^<]*校验通过，已报送，<span class="late">逾期（', passed)
    mine = school.get(past).text
    assert re.search(r'（计入汇总），<span class="late">逾期（\d{4}-\d\d-\d\d \d\d:\d\d 上传）</span>', mine)
    overview = bureau.get(past).text
    late = re.search(rf"<td>{SCHOOL}</td><td>已报</td>\s*<td>([\d: -]+)</td>\s*<td class=\"late\">([^<]*)</td>",
                     overview)  # fmt: skip
    assert late and late[2] == f"逾期（{late[1]} 上传）"
    assert re.search(rf'<td>{SILENT}</td><td>未报</td>\s*<td></td>\s*<td class="late"></td>', overview)

    assert 'id="passed"' in _upload(school, coming, data).text
    assert "逾期" not in school.get(coming).text and "逾期（" not in bureau.get(coming).text

    # the 教育局's list: per round the time left or 已截止, and 已报/未报/有错误/逾期
    listed = bureau.get("/rounds").text
    rows = dict(re.findall(r'<tr id="round-(\d+)">(.*?)</tr>', listed, re.S))
    cells = {url: re.findall(r"<td>([^<]*)</td>", rows[url.rsplit("/", 1)[1]]) for url in (coming, past)}
    assert re.fullmatch(r"还剩 10 天( \d+ 小时)?", cells[coming][2]), cells[coming]
    assert cells[coming][3:] == ["1", "0", "0", "0", "报送中"]
    assert cells[past][2:] == ["已截止", "1", "1", "0", "1", "报送中"]
    assert "已报 1，未报 1，有错误 0，逾期 1" in bureau.get(past).text


CHILD, CHILD_ID = "张小明", "350123201001011234"  # what a clerk may type into a 登记表's free text


def test_the_log_has_each_step_of_a_round_and_never_a_childs_name_nor_a_cell(users, tmp_path: Path) -> None:
    bureau, township = users["jyj"], users["fs"]
    round_url = _open_round(bureau, units=(TOWNSHIP,), name="十月问题线索", form="问题线索登记表")
    build_forms(tmp_path / "空白", first_year=2026)
    blank = tmp_path / "空白" / "问题线索登记.xlsx"
    told = {**CLUES[0], "线索简要内容": f"{CHILD}（身份证号 {CHILD_ID}）自9月起未到校。", "备注": CHILD}
    bad = fill(blank, [{**told, "移送日期": "2026-13-01"}], tmp_path / "bad" / SENT_AS).read_bytes()
    good = fill(blank, [told], tmp_path / "good" / SENT_AS).read_bytes()
    assert 'id="failed"' in _upload(township, round_url, bad).text
    assert 'id="passed"' in _upload(township, round_url, good).text
    assert _upload(township, round_url, b"not a zip").status_code == 400
    for _ in ("close", "reopen"):
        bureau.post(f"{round_url}/close", data={"csrf": csrf_of(bureau)})
    job_url = bureau.post(f"{round_url}/compile", data={"csrf": csrf_of(bureau)}).url.path
    assert wait_for_job(bureau, job_url)["state"] == "done"

    rows = list(reversed(audit_rows(bureau)))
    steps = [(r["用户名"], r["单位"], r["操作"], r["数量"], r["文件"], r["结果"]) for r in rows
             if r["任务"] == "十月问题线索"]  # fmt: skip
    bureau_unit = sample_profile().bureau
    assert steps == [
        ("jyj", bureau_unit, "发起报送", "问题线索登记表，1 个单位，截止 2026-10-09", "", "成功"),
        ("fs", TOWNSHIP, "报送上传", TOWNSHIP, SENT_AS, "有错误（1 处）"),
        ("fs", TOWNSHIP, "报送上传", TOWNSHIP, SENT_AS, "通过"),
        ("fs", TOWNSHIP, "报送上传", TOWNSHIP, SENT_AS, "未接收"),
        ("jyj", bureau_unit, "结束报送", "", "", "成功"),
        ("jyj", bureau_unit, "重新开放报送", "", "", "成功"),
        ("jyj", bureau_unit, "开始汇总报送", "1 个单位的有效报送", "", "成功"),
    ]  # fmt: skip
    ended = rows[-1]  # the job's end, logged by the job hook
    assert (ended["用户名"], ended["操作"], ended["文件"], ended["结果"]) == ("jyj", "生成", f"{TOWNSHIP}.xlsx", "成功")
    logged = " ".join(" ".join(r.values()) for r in rows)
    assert CHILD not in logged and CHILD_ID not in logged and "2026-13-01" not in logged and "未到校" not in logged


def test_without_a_usable_profile_the_rounds_and_the_register_say_the_same(tmp_path: Path) -> None:
    """报送 and the 发文登记簿 learn the county one way (`store_access.county`): no 单位设置, then one with
    an error, is the same Chinese 409 on each page, naming what to do."""
    profile = tmp_path / "单位设置.yaml"
    server = create_app(ServerConfig(work_dir=tmp_path / "jobs", profile=profile))
    with page_client(server) as c:
        for told in (NO_PROFILE, WRONG_PROFILE):
            for path in ("/rounds", "/rounds/new", "/rounds/1", "/numbers"):
                page = c.get(path)
                assert page.status_code == 409 and told in page.text, path
            profile.write_text("县名: [\n", encoding="utf-8")
