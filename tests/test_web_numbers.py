"""发文登记 on the page (issue 21 #4): 写通知 with 自动 takes one number per document as it is written
(not at 预览), shows it and holds it in the form; the 发文登记 page lists the register with its gaps,
voids a number (never given again), registers a hand-given one and downloads both workbooks. The
number-taking path runs on SQLite and on PostgreSQL; two 生成 at once get two consecutive numbers."""

from __future__ import annotations

import io
import itertools
import re
import threading
from datetime import date

import openpyxl
import pymupdf
import pytest
from profiles import write_profile
from web_helpers import audit_rows, csrf_of, page_client, post_notice

from kongchuo_docs.profile import load_profile
from kongchuo_docs.store.database import open_store
from kongchuo_docs.store.register import register_years
from kongchuo_docs.store.tables import STATUS_ISSUED, STATUS_VOID
from kongchuo_docs.web.app import ServerConfig, create_app
from kongchuo_docs.web.store_access import NO_PROFILE

WRITTEN = f"{date.today().year}年3月2日"  # the 成文日期 of the notices: numbers run per its year
_AREAS = itertools.count(150101)  # a county of its own per app (a range of its own: the PostgreSQL database is shared)


@pytest.fixture
def county(tmp_path, store_url, monkeypatch):
    """An app whose 单位设置 names a county of its own, its store at `store_url` (SQLite, PostgreSQL)."""
    if store_url.startswith("postgresql"):
        monkeypatch.setenv("KONGCHUO_DB", store_url)
    profile = write_profile(tmp_path / "县", {"行政区划代码": str(next(_AREAS))})
    app = create_app(ServerConfig(work_dir=tmp_path / "jobs", profile=profile))
    with page_client(app) as client:
        yield app, client
    # the app's lifespan closed its processes and stores


def _register(app) -> list[tuple[int, str, str, int | None]]:
    config = app.state.config
    profile = load_profile(config.profile_path())
    from kongchuo_docs.store.database import store_url

    store = open_store(store_url(None, profile.source), profile.area_code)
    try:
        return [(e.sequence, e.status, e.number, e.pages) for y in register_years(store) for e in y.entries]
    finally:
        store.close()


def _code(app) -> str:
    return load_profile(app.state.config.profile_path()).number_code("通知")


def _issued_number(page: str) -> str:
    return re.search(r'id="issued-number">([^<]+)<', page)[1]


def test_auto_previews_a_placeholder_and_takes_one_number_when_written(county):
    app, client = county
    code, year = _code(app), date.today().year
    preview = post_notice(client, "preview", doc_number="", auto_number="1", date=WRITTEN)
    assert preview.status_code == 200, preview.text
    assert 'id="f-auto-number" name="auto_number" value="1" checked' in preview.text
    preview_id = re.search(r"/notice/preview/([^/]+)/1\.png", preview.text)[1]
    pdf = pymupdf.open(app.state.previews[preview_id].folder / "first-pages.pdf")
    assert f"{code}〔{year}〕□号" in re.sub(r"\s", "", pdf[0].get_text())
    assert _register(app) == []  # 预览 takes no number

    response = post_notice(client, "pdf", doc_number="", auto_number="1", date=WRITTEN)
    assert response.status_code == 200 and [r.status_code for r in response.history] == [303]
    number = _issued_number(response.text)
    assert number == f"{code}〔{year}〕1号" and 'href="/numbers">发文登记簿' in response.text
    assert 'id="f-auto-number" name="auto_number" value="1" checked' not in response.text  # the form holds it
    assert f'value="{number}"' in response.text
    pdf_bytes = client.get("/notice/issued/pdf").content
    assert number in re.sub(r"\s", "", pymupdf.open(stream=pdf_bytes)[0].get_text())
    docx = client.get("/notice/issued/docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    [(sequence, status, registered, pages)] = _register(app)
    assert (sequence, status, registered) == (1, STATUS_ISSUED, number) and pages >= 1

    again = post_notice(client, "docx", doc_number=number)  # the number typed back: no second number
    assert again.status_code == 200 and len(_register(app)) == 1


def test_auto_numbering_is_offered_only_for_the_bureaus_own_draft(county):
    """写通知 offers 自动取号 (the bureau's 代字 and register) only when the draft's 发文机关/署名 is the
    bureau, its 办公室 or its 领导小组; a school's draft is told why instead, and 自动 typed anyway is
    refused when written, taking no number."""
    app, client = county
    profile = load_profile(app.state.config.profile_path())
    for organ in (profile.bureau, profile.office, profile.leading_group):
        own = post_notice(client, "check", issuers=organ, signatures=organ, signature_note="")
        assert f"自动取号（代字 {_code(app)}，来自单位设置）" in own.text and 'id="auto-refused"' not in own.text
    school = f"{profile.county}实验小学"
    page = post_notice(client, "check", issuers=school, signatures=school, signature_note="")
    assert 'id="f-auto-number"' not in page.text and "来自单位设置）" not in page.text
    refused = re.search(r'id="auto-refused">([^<]+)<', page.text)[1]
    assert f"由 {school} 发出" in refused and profile.bureau in refused and "某小〔自动〕" in refused
    typed = post_notice(client, "docx", issuers=school, signatures=school, signature_note="", doc_number="自动",
                        date=WRITTEN)  # fmt: skip
    assert typed.status_code == 422 and f"由 {school} 发出" in typed.text and _register(app) == []


def test_two_downloads_at_once_get_two_consecutive_numbers(county):
    app, _ = county
    clients = [page_client(app) for _ in range(2)]
    numbers: list[str] = []

    def generate(client) -> None:
        response = post_notice(client, "docx", doc_number="自动", date=WRITTEN)
        numbers.append(_issued_number(response.text))

    threads = [threading.Thread(target=generate, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    code, year = _code(app), date.today().year
    assert sorted(numbers) == [f"{code}〔{year}〕1号", f"{code}〔{year}〕2号"]
    assert [(s, status) for s, status, *_ in _register(app)] == [(1, STATUS_ISSUED), (2, STATUS_ISSUED)]


def test_the_register_page_voids_adds_shows_gaps_and_exports(county):
    app, client = county
    code, year = _code(app), date.today().year
    first = _issued_number(post_notice(client, "docx", doc_number="自动", date=WRITTEN).text)
    page = client.get("/numbers").text
    assert first in page and "已发文" in page and "关于" in page  # the seed's title

    refused = client.post("/numbers/void", data={"number": first, "reason": " ", "csrf": csrf_of(client)})
    assert "需要填写原因" in refused.text and [r.status_code for r in refused.history] == [303]
    voided = client.post("/numbers/void", data={"number": first, "reason": "标题有误", "csrf": csrf_of(client)})
    assert "已作废" in voided.text and 'class="void"' in voided.text and "标题有误" in voided.text
    assert client.get("/numbers").text.count("已作废") == 0  # the outcome is shown once

    second = _issued_number(post_notice(client, "docx", doc_number="自动", date=WRITTEN).text)
    assert second == f"{code}〔{year}〕2号"  # the voided 1 is never given again

    added = client.post("/numbers/add", data={"number": f"{code}（{year}）5号", "title": "关于手工编号的通知",
                                              "date": f"{year}年3月2日", "csrf": csrf_of(client)})  # fmt: skip
    assert f"已补登：{code}〔{year}〕5号" in added.text and f"<td>{year}年3月2日</td>" in added.text
    assert added.text.count('class="gap"') == 2 and "缺号 3、4" in added.text
    duplicate = client.post("/numbers/add", data={"number": f"{code}〔{year}〕5号", "csrf": csrf_of(client)})
    assert "不能重复登记" in duplicate.text and f'value="{code}〔{year}〕5号"' in duplicate.text
    third = _issued_number(post_notice(client, "docx", doc_number="自动", date=WRITTEN).text)
    assert third == f"{code}〔{year}〕6号"

    register = openpyxl.load_workbook(io.BytesIO(client.get(f"/numbers/export/register.xlsx?year={year}").content))
    values = [[c for c in row] for row in register.active.iter_rows(values_only=True)]
    statuses = [row[14] for row in values if isinstance(row[0], int)]
    assert statuses == [STATUS_VOID, STATUS_ISSUED, "缺号", "缺号", STATUS_ISSUED, STATUS_ISSUED]
    catalogue = client.get("/numbers/export/catalogue.xlsx?fonds=J001&retention=30年")
    rows = [r for r in openpyxl.load_workbook(io.BytesIO(catalogue.content)).active.iter_rows(values_only=True)
            if isinstance(r[0], int)]  # fmt: skip
    assert [r[2] for r in rows] == [second, f"{code}〔{year}〕5号", third]  # by 成文日期, then number
    assert rows[0][1] == f"J001-{year}-D30-0001"
    assert client.get("/numbers/export/other.xlsx").status_code == 404
    assert client.get("/numbers?year=20x6").status_code == 400

    # the 操作日志 lists each number taken at 写通知, the 作废 with its reason, the 补登 and both exports
    logged = [(r["操作"], r["任务"], r["数量"], r["文件"]) for r in reversed(audit_rows(client))]
    assert logged == [("取发文字号", "", first, ""), ("作废发文字号", "", f"{first}（原因：标题有误）", ""),
                      ("取发文字号", "", second, ""),
                      ("补登发文字号", "关于手工编号的通知", f"{code}〔{year}〕5号", ""), ("取发文字号", "", third, ""),
                      ("导出发文登记簿", "", f"{year}年", "发文登记簿.xlsx"),
                      ("导出归档文件目录", "", "全部年度", "归档文件目录.xlsx")]  # fmt: skip


def test_a_void_or_add_needs_the_csrf_token_and_a_school_gets_403(tmp_path):
    from web_helpers import own_app

    from kongchuo_docs.web.identity import Account

    app = own_app(tmp_path)

    @app.middleware("http")
    async def as_school(request, call_next):
        if request.headers.get("x-test-school"):
            request.state.account = Account("实验小学", "学校", "实验小学")
        return await call_next(request)

    with page_client(app) as client:
        assert client.post("/numbers/void", data={"number": "x", "reason": "y"}).status_code == 403
        forbidden = client.get("/numbers", headers={"x-test-school": "1"})
        assert forbidden.status_code == 403 and "只供教育局使用" in forbidden.text
        assert 'href="/numbers"' not in client.get("/notice", headers={"x-test-school": "1"}).text
        assert client.get("/numbers").status_code == 200
        assert 'href="/numbers"' in client.get("/notice").text


def test_without_settings_the_register_page_says_what_to_do(tmp_path):
    app = create_app(ServerConfig(work_dir=tmp_path / "jobs", profile=tmp_path / "无" / "单位设置.yaml"))
    with page_client(app) as client:
        page = client.get("/numbers")
        assert page.status_code == 409 and NO_PROFILE in page.text
        refused = post_notice(client, "docx", doc_number="自动", date=WRITTEN)
        assert refused.status_code == 422 and NO_PROFILE in refused.text
