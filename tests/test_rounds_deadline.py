"""报送 deadlines (issue 21 #3): a round's deadline day is open to its end; an upload after it is taken
while the round is open and marked 逾期 with its time in the store's unit states, in `rounds status`
and on the 报送情况 sheet of the 未报 workbook; a unit reads how long is left."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import openpyxl
from profiles import write_profile
from typer.testing import CliRunner
from web_helpers import CLUES, fill

from kongchuo_docs.cli import app
from kongchuo_docs.kinds.forms import build_forms
from kongchuo_docs.rounds.check import Checked
from kongchuo_docs.rounds.deadline import closing, late_note, time_left
from kongchuo_docs.store import rounds
from kongchuo_docs.store.database import open_store

_AREAS = itertools.count(130101)  # one county per test: the PostgreSQL database is shared by the session
LATE = re.compile(r"逾期（\d{4}-\d\d-\d\d \d\d:\d\d 上传）")


def test_the_deadline_day_is_open_to_its_end() -> None:
    day = dt.date(2026, 10, 9)
    assert late_note(day, dt.datetime(2026, 10, 9, 23, 59)) == ""
    assert late_note(day, dt.datetime(2026, 10, 10, 0, 0)) == "逾期（2026-10-10 00:00 上传）"
    assert late_note(day, None) == ""
    assert time_left(day, dt.datetime(2026, 10, 7, 12, 0)) == "还剩 2 天 12 小时"
    assert time_left(day, dt.datetime(2026, 10, 8, 0, 0)) == "还剩 2 天"
    assert time_left(day, dt.datetime(2026, 10, 9, 20, 30)) == "还剩 3 小时 30 分"
    assert time_left(day, dt.datetime(2026, 10, 9, 23, 58, 30)) == "还剩 1 分"
    assert time_left(day, dt.datetime(2026, 10, 11, 1, 5)) == "已过截止时间 1 天 1 小时，现在上传将标为逾期"
    assert closing(day, dt.datetime(2026, 10, 9, 20, 30)) == "还剩 3 小时 30 分"  # the 教育局's list of rounds
    assert closing(day, dt.datetime(2026, 10, 10, 0, 0)) == "已截止"


def test_a_late_upload_is_taken_and_marked_with_its_time(store_url: str, tmp_path: Path) -> None:
    area = str(next(_AREAS))
    profile = write_profile(tmp_path / "县", {"行政区划代码": area})
    store = open_store(store_url, area)
    today = dt.date.today()
    try:
        past = rounds.open_round(store, name="上周的自查", form="自查表", deadline=today - dt.timedelta(days=2),
                                 units=["凤山镇", "松山镇", "起步镇"], opened_by="")  # fmt: skip
        coming = rounds.open_round(store, name="下月的自查", form="自查表", deadline=today + dt.timedelta(days=30),
                                   units=["凤山镇"], opened_by="")  # fmt: skip
        failed = Checked([{"severity": "错误", "where": "a.xlsx!自查表!B5", "column": "", "message": "x", "value": ""}])
        for round_, unit, checked in ((past, "凤山镇", Checked([])), (past, "松山镇", failed),
                                      (coming, "凤山镇", Checked([]))):  # fmt: skip
            rounds.add_upload(store, round_, unit=unit, uploader="u", file_name="表.xlsx", data=b"x", checked=checked)
        late = {s.unit: (s.state, s.late) for s in rounds.unit_states(store, past)}
        assert late["凤山镇"][0] == "已报" and LATE.fullmatch(late["凤山镇"][1])
        assert late["松山镇"][0] == "有错误" and LATE.fullmatch(late["松山镇"][1])
        assert late["起步镇"] == ("未报", "")
        assert [s.late for s in rounds.unit_states(store, coming)] == [""]
    finally:
        store.close()
    cli = ["--settings", str(profile), "--db", store_url]
    target = tmp_path / "未报.xlsx"
    status = CliRunner().invoke(app, ["rounds", "status", str(past.id), "--missing", str(target), *cli])
    assert status.exit_code == 0, status.output
    assert "已过截止时间 1 天" in status.output
    lines = {line.split("\t")[0].strip(): line.split("\t")[1:] for line in status.output.splitlines() if "\t" in line}
    assert lines["凤山镇"][0] == "已报" and LATE.fullmatch(lines["凤山镇"][2])
    assert lines["起步镇"] == ["未报", ""]
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["未报单位", "报送情况"]
    missing = list(book["未报单位"].iter_rows(min_row=3, values_only=True))
    assert [(r[1], r[2]) for r in missing] == [("松山镇", "有错误"), ("起步镇", "未报")]
    rows = {r[1]: r for r in book["报送情况"].iter_rows(min_row=3, values_only=True)}
    header = next(book["报送情况"].iter_rows(min_row=2, max_row=2, values_only=True))
    column = header.index("逾期")
    assert LATE.fullmatch(rows["凤山镇"][column]) and rows["起步镇"][column] is None
    assert "逾期 2 个" in book["报送情况"]["A1"].value
    coming_status = CliRunner().invoke(app, ["rounds", "status", str(coming.id), *cli])
    assert "还剩 30 天" in coming_status.output and "逾期" not in coming_status.output


def test_the_bureau_uploading_late_is_told_so(tmp_path: Path) -> None:
    profile = write_profile(tmp_path / "县")
    build_forms(tmp_path / "空白", first_year=2026)
    sent = fill(tmp_path / "空白" / "问题线索登记.xlsx", [CLUES[0]], tmp_path / "起步镇" / "登记表.xlsx")
    cli = ["--settings", str(profile)]
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    opened = CliRunner().invoke(app, ["rounds", "open", "登记表", "--form", "问题线索登记表", "--deadline", yesterday,
                                      "--unit", "起步镇", *cli])  # fmt: skip
    assert opened.exit_code == 0, opened.output
    uploaded = CliRunner().invoke(app, ["rounds", "upload", "1", str(sent), "--unit", "起步镇", *cli])
    assert uploaded.exit_code == 0, uploaded.output
    assert re.search(rf"登记表.xlsx 校验通过，已报送（上传编号 1），{LATE.pattern}", uploaded.output), uploaded.output
