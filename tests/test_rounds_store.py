"""报送 rounds in the store (issue 21 #3) on SQLite and PostgreSQL: every upload kept, the latest valid
one of a unit counts, states 已报/未报/有错误, counties kept apart, refusals in Chinese; the check of a
登记表 upload by the merge's own reader; and the bureau's command line (`rounds open|status|compile`)
merging the round's 登记表 with each unit's name as 报送单位."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import docx
import openpyxl
import pytest
from profiles import write_profile
from typer.testing import CliRunner
from web_helpers import CLUES, SELF_CHECK_COUNTS, fill, fill_fields

from kongchuo_docs.cli import app
from kongchuo_docs.errors import KongchuoError
from kongchuo_docs.kinds.forms import build_forms
from kongchuo_docs.model.limits import ROUND_UPLOAD_MAX_BYTES
from kongchuo_docs.rounds.check import Checked, check_upload
from kongchuo_docs.store import rounds
from kongchuo_docs.store.audit import command_line, entries
from kongchuo_docs.store.database import open_store

_AREAS = itertools.count(140101)  # one county per test, a range of its own: the PostgreSQL database is shared
VALID = Checked([])
FAILED = Checked([{"severity": "错误", "where": "a.xlsx!自查表!B5", "column": "报告日期", "message": "不是日期",
                   "value": "x"}])  # fmt: skip


@pytest.fixture
def store(store_url: str):
    opened = open_store(store_url, str(next(_AREAS)))
    yield opened
    opened.close()


def _round(store, units=("凤山镇", "实验小学", "松山镇"), form="自查表"):
    return rounds.open_round(store, name="秋季自查", form=form, deadline=dt.date(2026, 10, 9), units=units,
                             opened_by="局办")  # fmt: skip


def _send(store, round_, unit: str, data: bytes, checked: Checked):
    return rounds.add_upload(store, round_, unit=unit, uploader="u", file_name="表.xlsx", data=data, checked=checked)


def test_the_latest_valid_upload_counts_and_every_upload_is_kept(store) -> None:
    round_ = _round(store)
    first = _send(store, round_, "凤山镇", b"first", VALID)
    _send(store, round_, "凤山镇", b"broken", FAILED)
    _send(store, round_, "实验小学", b"broken", FAILED)
    states = {s.unit: s for s in rounds.unit_states(store, round_)}
    assert [(u, s.state, s.uploads) for u, s in states.items()] == [
        ("凤山镇", "已报", 2), ("实验小学", "有错误", 1), ("松山镇", "未报", 0)]
    assert states["凤山镇"].counted.id == first.id and states["凤山镇"].latest.status == "有错误"
    second = _send(store, round_, "凤山镇", b"second", VALID)
    assert [u.data for u in rounds.counted_uploads(store, round_)] == [b"second"]
    assert rounds.get_upload(store, first.id).data == b"first"  # earlier ones kept
    assert [u.id for u in rounds.uploads_of(store, round_, unit="凤山镇")] == [second.id, first.id + 1, first.id]
    assert rounds.get_round(store, round_.id).opened_by == "局办"


def test_counties_are_kept_apart(store, store_url: str) -> None:
    round_ = _round(store)
    upload = _send(store, round_, "凤山镇", b"x", VALID)
    other = open_store(store_url, str(next(_AREAS)))
    try:
        assert rounds.list_rounds(other) == []
        with pytest.raises(KongchuoError, match="没有编号为"):
            rounds.get_round(other, round_.id)
        with pytest.raises(KongchuoError, match="没有编号为"):
            rounds.get_upload(other, upload.id)
    finally:
        other.close()
    assert [r.id for r in rounds.list_rounds(store, unit="凤山镇")] == [round_.id]
    assert rounds.list_rounds(store, unit="外县学校") == []


def test_refusals_say_why_in_chinese(store) -> None:
    for changes, message in (({"name": " "}, "请填写报送的名称"), ({"form": "通知"}, "应为 自查表或问题线索登记表"),
                             ({"units": ["", " "]}, "请至少选择一个报送单位")):  # fmt: skip
        with pytest.raises(KongchuoError, match=message):
            rounds.open_round(store, **{"name": "x", "form": "自查表", "deadline": dt.date(2026, 10, 9),
                                        "units": ["凤山镇"], "opened_by": "", **changes})  # fmt: skip
    round_ = _round(store)
    with pytest.raises(KongchuoError, match="不要求 外县学校 报送"):
        _send(store, round_, "外县学校", b"x", VALID)
    with pytest.raises(KongchuoError, match="文件过大"):
        _send(store, round_, "凤山镇", b"x" * (ROUND_UPLOAD_MAX_BYTES + 1), VALID)
    rounds.close_round(store, round_.id)
    with pytest.raises(KongchuoError, match="已结束报送"):
        _send(store, round_, "凤山镇", b"x", VALID)
    assert rounds.list_rounds(store, open_only=True) == []
    rounds.close_round(store, round_.id, reopen=True)
    assert _send(store, round_, "凤山镇", b"x", VALID).status == "有效"


def test_a_register_round_from_the_command_line_names_each_unit(store_url: str, tmp_path: Path) -> None:
    area = str(next(_AREAS))
    profile = write_profile(tmp_path / "县", {"行政区划代码": area})
    build_forms(tmp_path / "空白", first_year=2026)
    blank = tmp_path / "空白" / "问题线索登记.xlsx"
    cli = ["--settings", str(profile), "--db", store_url]
    opened = CliRunner().invoke(app, ["rounds", "open", "十月登记表", "--form", "问题线索登记表", "--deadline",
                                      "2026-10-20", "--unit", "凤山镇", "--unit", "松山镇", "--unit", "起步镇", *cli])
    assert opened.exit_code == 0, opened.output
    store = open_store(store_url, area)
    try:
        [round_] = rounds.list_rounds(store)
        bad = fill(blank, [{**CLUES[0], "移送日期": "2026-13-01"}], tmp_path / "凤山镇" / "登记表.xlsx").read_bytes()
        checked = check_upload(round_.form, "凤山镇", "登记表.xlsx", bad)
        assert not checked.valid and checked.error_workbook is not None
        assert any(p["where"].startswith("登记表.xlsx!问题线索登记!J") for p in checked.problems)
        good = fill(blank, [CLUES[0]], tmp_path / "凤山镇" / "登记表-改.xlsx").read_bytes()
        checked = check_upload(round_.form, "凤山镇", "登记表-改.xlsx", good)
        assert checked.valid, checked.problems
        _send(store, round_, "凤山镇", good, checked)
    finally:
        store.close()
    # a file 松山镇 sent by e-mail, uploaded by the 教育局: refused by cell first (exit 2, kept as 有错误), then fixed
    sent = fill(blank, [{**CLUES[1], "移送日期": "2026-02-30"}], tmp_path / "松山镇" / "登记表-改.xlsx")
    upload = ["rounds", "upload", str(round_.id), str(sent), "--unit", "松山镇", *cli]
    refused = CliRunner().invoke(app, upload)
    assert refused.exit_code == 2 and "登记表-改.xlsx!问题线索登记!J" in refused.output, refused.output
    fill(blank, [CLUES[1]], sent)
    assert CliRunner().invoke(app, upload).exit_code == 0
    status = CliRunner().invoke(app, ["rounds", "status", str(round_.id), "--missing", str(tmp_path / "未报.xlsx"),
                                      *cli])  # fmt: skip
    assert status.exit_code == 0, status.output
    assert "凤山镇\t已报" in status.output and "松山镇\t已报" in status.output and "起步镇\t未报" in status.output
    missing = openpyxl.load_workbook(tmp_path / "未报.xlsx").active
    assert [r[1] for r in missing.iter_rows(min_row=3, values_only=True)] == ["起步镇"]
    merged = CliRunner().invoke(app, ["rounds", "compile", str(round_.id), "-o", str(tmp_path / "汇总"), *cli])
    assert merged.exit_code == 0, merged.output
    [workbook] = (tmp_path / "汇总").rglob("*.xlsx")
    sheet = openpyxl.load_workbook(workbook).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if r and "报送单位" in r)
    column = header.index("报送单位")
    units = {r[column] for r in rows[rows.index(header) + 1:] if r[column]}
    assert units == {"凤山镇", "松山镇"}  # the units, not 登记表-改
    assert CliRunner().invoke(app, ["rounds", "close", str(round_.id), *cli]).exit_code == 0
    store = open_store(store_url, area)
    try:
        logged = [(e.account, e.action, e.counts, e.files, e.outcome) for e in reversed(entries(store))]
    finally:
        store.close()
    cli_user = command_line().name
    assert logged == [
        (cli_user, "发起报送", "问题线索登记表，3 个单位，截止 2026-10-20", "", "成功"),
        (cli_user, "报送上传", "松山镇", "登记表-改.xlsx", "有错误（1 处）"),
        (cli_user, "报送上传", "松山镇", "登记表-改.xlsx", "通过"),
        (cli_user, "汇总报送", "写出 1 个文件", workbook.name, "成功"),
        (cli_user, "结束报送", "", "", "成功"),
    ]  # fmt: skip


def test_the_command_line_refuses_bad_input_with_exit_2(tmp_path: Path) -> None:
    profile = write_profile(tmp_path / "县")
    cli = ["--settings", str(profile)]
    for args, message in ((["open", "x", "--form", "通知", "--deadline", "2026-10-09"], "--form 应为"),
                          (["open", "x", "--form", "自查表", "--deadline", "2026-02-30"], "--deadline"),
                          (["open", "x", "--form", "自查表", "--deadline", "2026-10-09", "--unit", "外县"], "外县"),
                          (["status", "7"], "没有编号为 7 的报送"),
                          (["status", "1", "--missing", "x.csv"], ".xlsx")):  # fmt: skip
        result = CliRunner().invoke(app, ["rounds", *args, *cli])
        assert result.exit_code == 2 and message in result.output, result.output
        assert "Traceback" not in result.output


def test_a_self_check_round_from_the_command_line_names_who_did_not_report(store_url: str, tmp_path: Path) -> None:
    area = str(next(_AREAS))
    profile = write_profile(tmp_path / "县", {"行政区划代码": area})
    build_forms(tmp_path / "空白", first_year=2026)
    store = open_store(store_url, area)
    try:
        round_ = rounds.open_round(store, name="秋季自查", form="自查表", deadline=dt.date(2026, 10, 9),
                                   units=["凤山镇", "松山镇", "起步镇", "南山镇"], opened_by="")  # fmt: skip
        for unit, date in (("凤山镇", "2026-10-09"), ("起步镇", "2026-10-09"), ("南山镇", "10月9号")):
            sent = tmp_path / unit / "自查表.xlsx"
            fill_fields(tmp_path / "空白" / "自查表.xlsx", sent, {
                "单位名称": f"某县{unit}人民政府", "单位类型": "乡镇", "所属乡镇": unit, "自查时段": "2026年秋季学期",
                "报告日期": date, **SELF_CHECK_COUNTS})  # fmt: skip
            checked = check_upload(round_.form, unit, sent.name, sent.read_bytes())
            assert checked.valid == (unit != "南山镇"), checked.problems
            _send(store, round_, unit, sent.read_bytes(), checked)
    finally:
        store.close()
    cli = ["--settings", str(profile), "--db", store_url]
    status = CliRunner().invoke(app, ["rounds", "status", str(round_.id), *cli])
    assert "南山镇\t有错误" in status.output and "松山镇\t未报" in status.output, status.output
    compiled = CliRunner().invoke(app, ["rounds", "compile", str(round_.id), "-o", str(tmp_path / "汇总"), *cli])
    assert compiled.exit_code == 0, compiled.output
    assert "未报送单位 1 个" in compiled.output
    assert "有错误（退回）：南山镇.xlsx（某县南山镇人民政府）" in compiled.output
    [summary] = (tmp_path / "汇总").rglob("*.docx")
    document = docx.Document(summary)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "名单共4个单位，尚有1个单位未报送" in text and "未报送自查表的单位（1个）：松山镇。" in text
    assert "南山镇" not in text.split("未报送自查表的单位")[1].split("\n")[0]
    receipt = {row.cells[2].text: row.cells[3].text for table in document.tables for row in table.rows
               if len(row.cells) == 5}  # 序号, 文件, 单位, 处理结果, 说明
    assert receipt["某县南山镇人民政府"] == "有错误（退回）" and receipt["松山镇"] == "未报送", receipt
