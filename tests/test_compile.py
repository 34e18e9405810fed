"""compile: every file accounted for, totals from summed counts, malformed files rejected not fatal,
charts and workbook byte-identical from run to run."""

import datetime as dt
import hashlib
from pathlib import Path

import openpyxl
import pytest
import yaml

from kongchuo_docs.files.output import OutputSet
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds import summary, summary_compile
from kongchuo_docs.model import Image, Table, stats
from kongchuo_docs.profile import load_profile
from kongchuo_docs.readers.units import Unit
from kongchuo_docs.writers import charts

PROFILE = load_profile(sample_path("profile", "单位设置.yaml"))


def _form(unit: str, unit_type: str, township: str, *, dropouts: int, returned: int, school_age: int,
          enrolled: int, absent_extra: int = 0) -> dict:
    return {
        "单位名称": unit, "单位类型": unit_type, "所属乡镇": township, "自查时段": "2020年秋季学期",
        "报告日期": "2020-10-09", "适龄儿童少年数": school_age, "已入学适龄儿童少年数": enrolled,
        "学期初在校学生数": enrolled, "本届入学时人数": 100, "本届在校人数": 99, "辍学人数": dropouts,
        "劝返复学人数": returned, "适龄残疾儿童数": 0, "残疾儿童入学人数": 0,
        "未到校人数": 2 + dropouts - returned + absent_extra, "病假": 2, "休学": 0, "延缓入学": 0,
        "送教上门": 0, "转学": 0, "死亡": 0, "辍学（未到校）": dropouts - returned,
        "存在问题": f"{unit}的问题。\n第二行。",
    }  # fmt: skip


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "收件"
    folder.mkdir()

    def put(name: str, data: dict) -> None:
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    put("a.yaml", _form("甲镇人民政府", "乡镇", "甲镇", dropouts=3, returned=1, school_age=1000, enrolled=999))
    put("b.yaml", _form("乙乡人民政府", "乡镇", "乙乡", dropouts=0, returned=0, school_age=500, enrolled=500,
                        absent_extra=1))  # 未到校 does not add up
    put("c.yaml", _form("甲镇中心小学", "学校", "甲镇", dropouts=1, returned=1, school_age=300, enrolled=300))
    put("d.yaml", _form("甲镇人民政府", "乡镇", "甲镇", dropouts=9, returned=0, school_age=1, enrolled=1))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自查表"
    ws.append(["单位名称", "丙镇人民政府"])
    ws.append(["辍学人数", "两个"])
    wb.save(folder / "e.xlsx")
    (folder / "f.xlsx").write_bytes(b"not a workbook")
    (folder / "说明.docx").write_bytes(b"")
    return folder


UNITS = [
    Unit("甲镇人民政府", "乡镇", "甲镇", "甲政", "甲镇人民政府", "", ""),
    Unit("乙乡人民政府", "乡镇", "乙乡", "", "乙乡人民政府", "", ""),
    Unit("丙镇人民政府", "乡镇", "丙镇", "", "丙镇人民政府", "", ""),
    Unit("甲镇中心小学", "学校", "甲镇", "", "甲镇中心小学", "", ""),
    Unit("丁乡人民政府", "乡镇", "丁乡", "", "丁乡人民政府", "李四", "13905912345"),
]


def test_every_file_is_accounted_for(tmp_path):
    comp = summary_compile.compile_folder(_folder(tmp_path), UNITS)
    status = {o.name: o.status for o in comp.outcomes}
    assert status == {
        "a.yaml": "aggregated", "b.yaml": "inconsistent", "c.yaml": "aggregated", "d.yaml": "duplicate",
        "e.xlsx": "rejected", "f.xlsx": "rejected", "说明.docx": "skipped",
    }  # fmt: skip
    assert [u.name for u in comp.missing] == ["丁乡人民政府"]  # 丙镇 sent a form, rejected
    rejected = next(o for o in comp.outcomes if o.name == "e.xlsx")
    assert rejected.unit == "丙镇人民政府"
    assert "e.xlsx!自查表!B2 辍学人数: 应为数字（两个）" in rejected.details
    rows = summary.receipt_rows(comp)
    assert len(rows) == len(comp.outcomes) + len(comp.missing)
    assert rows[-1][2:4] == ["丁乡人民政府", "未报送"]


def test_totals_add_township_counts_and_compute_rates(tmp_path):
    comp = summary_compile.compile_folder(_folder(tmp_path), UNITS)
    assert [u.label for u in comp.townships] == ["甲镇", "乙乡"]
    assert [u.label for u in comp.schools] == ["甲镇中心小学"]
    assert comp.total("school_age") == 1500  # the school's pupils are not counted twice
    assert comp.total("dropouts") == 3
    settings = summary.settings_for(comp, PROFILE, period=None, date=None, rounding="half-up")
    assert settings.period == "2020年秋季学期" and settings.date == dt.date(2020, 10, 9)
    doc = summary.summary_document(comp, settings, None)
    table = next(b for b in doc.body if isinstance(b, Table))
    assert table.rows[-1] == ["全县合计", "99.93%", "99.00%", "0.20%", "33.33%", "—（分母为0）"]
    text = "".join(getattr(b, "text", "") for b in doc.body)
    assert "未报送自查表的单位（1个）：丁乡人民政府" in text
    assert "（3个）：d.yaml（甲镇人民政府）、e.xlsx（丙镇人民政府）、f.xlsx，" in text
    assert "乙乡人民政府——未到校 3 人，分项合计 2 人" in text
    assert "全县仍有2名辍学学生未劝返复学" in text
    assert [a.number for a in doc.attachments] == [1, 2, 3]
    assert all(a.landscape for a in doc.attachments)


def test_workbook_rows_and_fills(tmp_path):
    comp = summary_compile.compile_folder(_folder(tmp_path), UNITS)
    settings = summary.settings_for(comp, PROFILE, period=None, date=None, rounding="truncate")
    register, receipt = summary.summary_workbook(comp, settings)
    assert len(receipt.tables[0].rows) == 8  # 7 files + 1 missing unit
    assert [r[1] for r in register.rows] == ["甲镇人民政府", "乙乡人民政府", "乡镇合计", "甲镇中心小学", "学校合计"]
    assert register.fills[1] is not None and register.fills[0] is None
    assert register.rows[2][4] == "99.93%"  # 1499 / 1500 = 99.9333 %, truncated
    assert register.rows[2][2:4] == (1500, 1499)  # counts are numbers in Excel


def test_same_folder_gives_same_bytes(tmp_path, monkeypatch):
    folder = _folder(tmp_path)
    monkeypatch.setattr(summary, "write_document", lambda *a, **k: [])  # the 公文 writers test themselves
    digests = []
    for name in ("one", "two"):
        comp = summary_compile.compile_folder(folder, UNITS)
        settings = summary.settings_for(comp, PROFILE, period=None, date=None, rounding="half-up")
        with OutputSet(tmp_path / name) as out:
            summary.write_summary(out, comp, settings, source=folder)
        files = sorted(p for p in (tmp_path / name).rglob("*") if p.is_file())
        digests.append({p.relative_to(tmp_path / name): hashlib.sha256(p.read_bytes()).hexdigest() for p in files})
    assert digests[0] == digests[1]
    assert {p.suffix for p in digests[0]} == {".png", ".xlsx", ".json"}


def test_document_embeds_both_charts(tmp_path):
    comp = summary_compile.compile_folder(_folder(tmp_path), UNITS)
    settings = summary.settings_for(comp, PROFILE, period=None, date=None, rounding="half-up")
    paths = (tmp_path / "1.png", tmp_path / "2.png")
    doc = summary.summary_document(comp, settings, paths)
    images = [b for b in doc.body if isinstance(b, Image)]
    assert [i.path for i in images] == list(paths)
    assert all(i.width_mm <= 156 for i in images)


def test_chart_bytes_are_reproducible(tmp_path):
    rates = {"入学率": [stats.enrolment_rate(99, 100), stats.enrolment_rate(0, 0)]}
    for name in ("a.png", "b.png"):
        charts.rates_chart(tmp_path / name, ["甲镇", "乙乡"], rates, title="入学率")
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    assert (tmp_path / "a.png").read_bytes().startswith(b"\x89PNG")


def test_no_aggregatable_form_stops_with_every_reason(tmp_path):
    folder = tmp_path / "空"
    folder.mkdir()
    (folder / "x.txt").write_text("x", encoding="utf-8")
    with pytest.raises(summary.InputError) as info:
        summary.build_summary_files(folder, tmp_path / "out")
    assert "x.txt" in str(info.value)
    assert not (tmp_path / "out").exists()


def test_cli_reports_in_chinese_and_exits_2(tmp_path):
    from typer.testing import CliRunner

    from kongchuo_docs.cli import app

    folder = tmp_path / "空"
    folder.mkdir()
    (folder / "x.txt").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(app, ["compile", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "不是自查表" in result.output
    result = CliRunner().invoke(app, ["compile", str(folder), "-o", str(tmp_path / "out"), "--rounding", "x"])
    assert result.exit_code == 2 and "--rounding" in result.output


def test_cli_compile_writes_everything_twice_identically(tmp_path):
    pytest.importorskip("kongchuo_docs.writers.pdf_writer", reason="PDF writer not built yet")
    from typer.testing import CliRunner

    from kongchuo_docs.cli import app

    folder = _folder(tmp_path)
    units = tmp_path / "单位.yaml"
    units.write_text(yaml.safe_dump({"单位": [{"单位名称": u.name, "类型": u.unit_type} for u in UNITS]},
                                    allow_unicode=True), encoding="utf-8")
    outputs = []
    for name in ("one", "two"):
        result = CliRunner().invoke(app, ["compile", str(folder), "-o", str(tmp_path / name), "--units", str(units)])
        assert result.exit_code == 0, result.output
        assert "未报送：丁乡人民政府" in result.output
        outputs.append({p.name: p.read_bytes() for p in (tmp_path / name).iterdir()
                        if p.name != "manifest.json"})  # the outputs land directly in -o DIR
    assert outputs[0] == outputs[1]
    assert {Path(n).suffix for n in outputs[0]} == {".docx", ".pdf", ".png", ".xlsx"}


def test_units_list_from_a_workbook_and_unlisted_unit(tmp_path):
    from kongchuo_docs.readers.units import read_units

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "单位信息"
    ws.append(["单位名称", "类型", "所属乡镇", "联系人", "电话"])
    ws.append(["甲镇人民政府", "镇", "甲镇", "王五", "0591-26831234"])
    ws.append(["丁乡人民政府", "乡镇", "丁乡", None, None])
    path = tmp_path / "单位信息.xlsx"
    wb.save(path)
    units = read_units(path)
    assert [(u.name, u.unit_type, u.mark) for u in units] == [
        ("甲镇人民政府", "乡镇", "甲镇人民政府"), ("丁乡人民政府", "乡镇", "丁乡人民政府"),
    ]  # fmt: skip
    folder = _folder(tmp_path)
    (folder / "子文件夹").mkdir()
    comp = summary_compile.compile_folder(folder, units)
    assert [u.name for u in comp.missing] == ["丁乡人民政府"]
    outcome = {o.name: o for o in comp.outcomes}
    assert outcome["子文件夹"].status == "skipped"
    assert any("不在单位信息名单中" in d for d in outcome["c.yaml"].details)


def test_open_inspection_findings_are_listed(tmp_path):
    from kongchuo_docs.kinds.rectification import read_inspection

    findings_file = tmp_path / "问题.yaml"
    findings_file.write_text(yaml.safe_dump({"问题": [
        {"被检查单位": "甲镇人民政府", "问题类别": "档案", "问题描述": "档案不全。", "整改要求": "补齐",
         "整改时限": "2020-10-23", "整改状态": "整改中"},
        {"被检查单位": "乙乡人民政府", "问题类别": "宣传", "问题描述": "未宣传", "整改要求": "宣传",
         "整改时限": "2020-10-20", "整改状态": "销号"},
    ]}, allow_unicode=True), encoding="utf-8")  # fmt: skip
    findings = read_inspection(findings_file, date=dt.date(2020, 10, 30)).findings
    comp = summary_compile.compile_folder(_folder(tmp_path), UNITS)
    settings = summary.settings_for(comp, PROFILE, period=None, date=None, rounding="half-up")
    texts = [getattr(b, "text", "") for b in summary.summary_document(comp, settings, None, findings).body]
    assert "县级检查共发现问题2个，已销号1个、已整改待销号0个，尚有1个未完成整改：" in texts
    assert "（1）甲镇人民政府：档案方面，档案不全（整改时限2020年10月23日，整改中）。" in texts
