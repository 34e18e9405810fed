"""The 操作日志 page (issue 21 #2): filters by date range, user and action, pages of 100 newest first,
and the export holding exactly what the filter lets through."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from web_helpers import own_app, page_client

from kongchuo_docs.store.tables import AuditEntry
from kongchuo_docs.web.app import close_app

DAYS = {"jyj": dt.datetime(2026, 1, 5, 9), "yixiao": dt.datetime(2026, 2, 10, 15)}


@pytest.fixture
def client(tmp_path):
    app = own_app(tmp_path / "server")
    store = app.state.store
    rows = [{"area_code": store.area_code, "at": DAYS[name] + dt.timedelta(minutes=n), "account": name,
             "role": "学校", "unit": "", "action": action, "task": "", "counts": f"第 {n} 条", "files": "",
             "outcome": "成功"}
            for name, action, count in (("jyj", "登录", 130), ("yixiao", "生成", 120)) for n in range(count)]
    with store.engine.begin() as connection:
        connection.execute(AuditEntry.__table__.insert(), rows)
    yield page_client(app)
    close_app(app)


def _shown(page: str) -> list[str]:
    return re.findall(r"<td>(第 \d+ 条)</td>", page)


def test_the_log_pages_newest_first_and_filters_by_user_action_and_days(client) -> None:
    first = client.get("/audit").text
    assert "共 250 条，第 1 / 3 页" in first and len(_shown(first)) == 100
    assert _shown(first)[0] == "第 119 条"  # yixiao's last, the newest
    last = client.get("/audit?page=3").text
    assert len(_shown(last)) == 50 and _shown(last)[-1] == "第 0 条" and 'id="page-older"' not in last
    mine = client.get("/audit", params={"user": "yixiao"}).text
    assert "共 120 条" in mine and "用户 yixiao" in mine
    assert 'href="/audit?user=yixiao&amp;page=2"' in mine  # the next page keeps the filter
    february = client.get("/audit", params={"from": "2026-02-01", "to": "2026-02-28"}).text
    assert "共 120 条" in february
    one_day = client.get("/audit", params={"to": "2026-01-05", "action": "登录"}).text
    assert "共 130 条" in one_day and 'option value="登录" selected' in one_day
    none = client.get("/audit", params={"from": "2026-03-01"}).text
    assert "共 0 条" in none and "没有符合筛选的记录" in none


def test_the_export_holds_what_the_filter_lets_through(client) -> None:
    page = client.get("/audit", params={"user": "yixiao", "from": "2026-02-10"}).text
    link = re.search(r'href="([^"]+)" id="audit-export"', page)[1].replace("&amp;", "&")
    assert link.startswith("/audit.xlsx?")
    response = client.get(link)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    users = [row[1] for row in sheet.iter_rows(values_only=True) if row[0] and re.match(r"\d{4}-", str(row[0]))]
    assert len(users) == 120 and set(users) == {"yixiao"}
    assert any("筛选：" in str(c) for row in sheet.iter_rows(max_row=4, values_only=True) for c in row if c)


def test_a_date_that_is_none_is_said_in_chinese(client) -> None:
    page = client.get("/audit", params={"from": "2026-13-01"})
    assert page.status_code == 400 and "起始日期“2026-13-01”不是日期" in page.text
    assert client.get("/audit.xlsx", params={"to": "昨天"}).status_code == 400
    backwards = client.get("/audit", params={"from": "2026-03-01", "to": "2026-02-01"})
    assert "起始日期晚于截止日期" in backwards.text
