"""Journeys from the tool's own blank forms: `forms` writes them, a clerk fills the value cells and
leaves the 示例 row and the 说明 column as they come, and the command reads what she typed — and
nothing of the form's own help text."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pymupdf
from profiles import write_profile
from typer.testing import CliRunner
from web_helpers import SELF_CHECK_COUNTS, fill_fields

from kongchuo_docs.cli import app
from kongchuo_docs.readers.idcard import make_id, parse_id
from kongchuo_docs.readers.roster import AgeRule, read_roster
from kongchuo_docs.readers.schema import load_schema
from kongchuo_docs.readers.table import read_table


def _forms(tmp_path: Path, profile: Path | None = None) -> Path:
    folder = tmp_path / "空白"
    args = ["forms", "-o", str(folder)] + (["--settings", str(profile)] if profile else [])
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return folder


def test_compile_from_the_blank_self_check_forms_names_each_township(tmp_path: Path) -> None:
    blank = _forms(tmp_path) / "自查表.xlsx"
    inbox = tmp_path / "报送"
    for unit in ("凤山镇人民政府", "起步镇人民政府"):
        fill_fields(blank, inbox / f"{unit}.xlsx", {"单位名称": unit, "单位类型": "乡镇", "自查时段": "2026年秋季学期",
                                                    "报告日期": "2026-10-09", **SELF_CHECK_COUNTS})
    result = CliRunner().invoke(app, ["compile", str(inbox), "-o", str(tmp_path / "汇总")])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "汇总" / "manifest.json").read_text(encoding="utf-8"))
    [pdf] = [e["path"] for e in manifest["files"] if e["path"].endswith(".pdf")]
    with pymupdf.open(tmp_path / "汇总" / pdf) as doc:
        text = "".join(page.get_text() for page in doc).replace("\n", "")
    assert "凤山镇人民政府" in text and "起步镇人民政府" in text
    assert "必填" not in text and "示例" not in text  # the 说明 column is help, never a unit
    [workbook] = [e["path"] for e in manifest["files"] if e["path"].endswith(".xlsx")]
    book = openpyxl.load_workbook(tmp_path / "汇总" / workbook, read_only=True)
    cells = {str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v}
    assert {"凤山镇人民政府", "起步镇人民政府"} <= cells
    assert not any("必填" in c or "示例：" in c for c in cells)


def test_blank_forms_speak_of_the_profiles_school_year(tmp_path: Path) -> None:
    profile = write_profile(tmp_path / "县", {"学年": "2027—2028", "报到日期": "2027-08-31"})
    folder = _forms(tmp_path, profile)
    agreements = openpyxl.load_workbook(folder / "责任书名单.xlsx").worksheets[0]
    header = [c.value for c in agreements[1]]
    example = dict(zip(header, (c.value for c in agreements[2]), strict=False))
    assert example["学年度"] == "2027—2028"
    assert "2020" not in json.dumps([c.value for row in agreements.iter_rows() for c in row], default=str)
    check = openpyxl.load_workbook(folder / "自查表.xlsx").worksheets[0]
    notes = " ".join(str(c.value) for c in check["C"] if c.value)
    assert "2027年秋季学期" in notes and "2020" not in notes
    roster = openpyxl.load_workbook(folder / "学生名册.xlsx").worksheets[0]
    example_id = dict(zip((c.value for c in roster[1]), (c.value for c in roster[2]), strict=False))["身份证号*"]
    assert parse_id(example_id).birth_date.year == 2021  # the 2020 form's 2014 entrant, moved with the year


def test_the_example_row_of_a_moved_form_is_still_skipped(tmp_path: Path) -> None:
    profile = write_profile(tmp_path / "县", {"学年": "2027—2028", "报到日期": "2027-08-31"})
    blank = _forms(tmp_path, profile) / "学生名册.xlsx"
    book = openpyxl.load_workbook(blank)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, (c.value for c in sheet[2]), strict=False))  # the example, typed over
    row.update({"姓名*": "陈一鸣", "身份证号*": make_id("350123", dt.date(2021, 3, 1), 7), "性别": None,
                "出生日期": None})
    sheet.append([row[k] for k in header])
    target = tmp_path / "名册.xlsx"
    book.save(target)
    table = read_table(target, load_schema("学生名册"))
    assert [r.values["name"] for r in table.rows] == ["陈一鸣"]  # the example row (row 2) is not a child
    roster = read_roster(target, age_rule=AgeRule(reference_date=dt.date(2027, 8, 31)))
    assert [str(p) for p in roster.problems.items] == []
    assert [s.name for s in roster.students] == ["陈一鸣"]


def test_no_blank_form_names_a_place_of_the_demo_county(tmp_path: Path) -> None:
    """Another county's blank forms: their 示例 rows and notes name no township or school of the demo
    county (its clerk would read them as her own)."""
    import yaml

    from kongchuo_docs.files.resources import sample_path

    demo = yaml.safe_load(sample_path("profile", "单位设置.yaml").read_text(encoding="utf-8"))
    places = {t["名称"] for t in demo["乡镇"]} | {s["名称"] for s in demo["学校"]} | {demo["县"]}
    profile = write_profile(tmp_path / "县", {"省": "四川省", "市": "广元市", "县": "青川县", "行政区划代码": "510822",
                                              "教育局": "青川县教育局", "乡镇": [], "学校": []})  # fmt: skip
    folder = _forms(tmp_path, profile)
    for workbook in sorted(folder.glob("*.xlsx")):
        book = openpyxl.load_workbook(workbook)
        text = " ".join(str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value)
        assert not {p for p in places if p in text}, workbook.name
