"""Blank forms generated from the schemas: their features, and the round trip form → filled → reader."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

from kongchuo_docs.cli import app
from kongchuo_docs.files.output import OutputSet
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds.forms import demo as forms_demo
from kongchuo_docs.kinds.sample_roster import generate_rows
from kongchuo_docs.profile import load_profile
from kongchuo_docs.readers.idcard import make_id
from kongchuo_docs.readers.roster import AgeRule, read_roster, school_year_reference
from kongchuo_docs.readers.schema import Column, Schema, available_schemas, load_schema
from kongchuo_docs.readers.table import read_fields, read_table
from kongchuo_docs.writers.xlsx_forms import INSTRUCTIONS_SHEET, OPTIONS_SHEET, write_blank_form

PROFILE = load_profile(sample_path("profile", "单位设置.yaml"))

SCHEMAS = available_schemas()
FILLED_ROWS = 12


def _value(col: Column, i: int) -> Any:
    """A value a clerk could type into `col` (row `i`), as openpyxl writes it."""
    low = col.min if col.min is not None else 0
    high = col.max if col.max is not None else low + 1000
    if col.type == "enum":
        return col.values[i % len(col.values)]
    if col.type == "int":
        return int(low) + i % (int(high - low) + 1)
    if col.type == "number":
        return low + (high - low) * i / FILLED_ROWS
    if col.type == "percent":
        return round(low + (min(high, 1) - low) * i / FILLED_ROWS, 4)
    if col.type == "date":
        return date(2020, 9, 1) + timedelta(days=i)
    if col.type == "id_number":
        return make_id("350123", date(2012, 1, 1) + timedelta(days=37 * i), i)
    if col.type == "phone":
        return f"139{i:08d}"
    if col.type == "name":
        return "林" + "一二三四五六七八九十"[i % 10] + "·" * (i % 2) + "生"
    return f"{col.header}第{i}项"


def _written(path: Path, schema: Schema) -> Path:
    target = path / f"{schema.name}.xlsx"
    write_blank_form(schema, target)
    return target


@pytest.mark.parametrize("schema", SCHEMAS, ids=[s.name for s in SCHEMAS])
def test_filled_form_is_read_back_unchanged(tmp_path: Path, schema: Schema) -> None:
    path = _written(tmp_path, schema)
    workbook = load_workbook(path)
    sheet = workbook[schema.sheet]
    if schema.layout == "fields":
        labels = {sheet.cell(row=r, column=1).value: r for r in range(1, sheet.max_row + 1)}
        expected = {c.key: _value(c, 3) for c in schema.columns}
        for col in schema.columns:
            sheet.cell(row=labels[col.form_header], column=2, value=expected[col.key])
        workbook.save(path)
        form = read_fields(path, schema)
        assert form.problems.items == []
        assert form.values == expected
        return
    expected_rows = []
    for i in range(FILLED_ROWS):
        values = {c.key: _value(c, i) for c in schema.columns}
        for index, col in enumerate(schema.columns, start=1):
            sheet.cell(row=3 + i, column=index, value=values[col.key])
        expected_rows.append(values)
    workbook.save(path)
    table = read_table(path, schema)
    assert [str(p) for p in table.problems.items] == []
    assert [r.number for r in table.rows] == list(range(3, 3 + FILLED_ROWS))  # example row 2 skipped
    assert [r.values for r in table.rows] == expected_rows


def test_filled_roster_form_passes_read_roster(tmp_path: Path) -> None:
    schema = load_schema("学生名册")
    path = _written(tmp_path, schema)
    workbook = load_workbook(path)
    sheet = workbook[schema.sheet]
    headers = {col.header: index for index, col in enumerate(schema.columns, start=1)}
    sample = generate_rows(40, seed=2, year=2025)
    for offset, row in enumerate(sample):
        for header, value in row.values.items():
            column = headers.get(header.replace("身份证号码", "身份证号"))
            if column:
                sheet.cell(row=3 + offset, column=column, value=value)
    workbook.save(path)
    roster = read_roster(path, age_rule=AgeRule(school_year_reference(2025)))
    assert [str(p) for p in roster.problems.items] == []
    assert len(roster.students) == 40


@pytest.mark.parametrize("schema", SCHEMAS, ids=[s.name for s in SCHEMAS])
def test_untouched_blank_form_reads_as_empty(tmp_path: Path, schema: Schema) -> None:
    path = _written(tmp_path, schema)
    if schema.layout == "fields":
        form = read_fields(path, schema)
        assert all(form.values[c.key] is None for c in schema.columns)
        assert {p.message for p in form.problems.items} <= {"必填，不能为空"}
    else:
        table = read_table(path, schema)
        assert table.rows == [] and table.problems.items == []


def test_roster_form_features(tmp_path: Path) -> None:
    schema = load_schema("学生名册")
    workbook = load_workbook(_written(tmp_path, schema))
    assert workbook.sheetnames[:2] == ["学生名册", INSTRUCTIONS_SHEET]
    sheet = workbook["学生名册"]
    assert sheet.freeze_panes == "A2"
    letters = {col.key: get_column_letter(i) for i, col in enumerate(schema.columns, start=1)}
    header = {col.key: sheet[f"{letters[col.key]}1"] for col in schema.columns}
    assert header["name"].value == "姓名*" and header["name"].font.color.rgb.endswith("C00000")
    assert header["gender"].value == "性别" and not header["gender"].font.color
    for key in ("id_number", "phone"):
        assert sheet.column_dimensions[letters[key]].number_format == "@"
        assert sheet[f"{letters[key]}2"].data_type == "s"  # the example ID is text, not a float
    validations = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    assert validations[f"{letters['gender']}2"].type == "list"
    assert validations[f"{letters['gender']}2"].formula1 == '"男,女"'
    assert "七年级" in validations[f"{letters['grade']}2"].formula1
    assert validations[f"{letters['id_number']}2"].type == "textLength"
    assert all(v.prompt and v.showInputMessage for v in validations.values())
    assert len(validations) == len(schema.columns)
    notes = " ".join(str(c.value) for row in workbook[INSTRUCTIONS_SHEET].iter_rows() for c in row if c.value)
    assert "带 *" in notes and "示例" in notes and "身份证号" in notes


def test_long_enum_lists_go_to_a_hidden_sheet(tmp_path: Path) -> None:
    values = ", ".join(f"选项{i:03d}" for i in range(80))
    column = f"{{key: kind, header: 类别, required: true, type: enum, values: [{values}]}}"
    (tmp_path / "长表.yaml").write_text(f"name: 长表\ncolumns:\n  - {column}\n", encoding="utf-8")
    schema = load_schema(tmp_path / "长表.yaml")
    workbook = load_workbook(_written(tmp_path, schema))
    assert workbook[OPTIONS_SHEET].sheet_state == "hidden"
    (validation,) = workbook["长表"].data_validations.dataValidation
    assert validation.formula1 == "'选项'!$A$2:$A$81"


def test_forms_are_byte_for_byte_reproducible(tmp_path: Path) -> None:
    schema = load_schema("学生名册")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert _written(tmp_path / "a", schema).read_bytes() == _written(tmp_path / "b", schema).read_bytes()


def test_forms_command_writes_every_schema_with_manifest(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["forms", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    forms = {e["path"]: e for e in manifest["files"]}
    assert set(forms) == {f"{s.name}.xlsx" for s in SCHEMAS} | {"单位设置.xlsx"}
    assert {e["kind"] for e in forms.values()} == {"form"}
    assert CliRunner().invoke(app, ["forms", "-o", str(tmp_path)]).exit_code == 2  # no overwrite


def test_demo_step_writes_the_forms_folder(tmp_path: Path) -> None:
    with OutputSet(tmp_path) as out:
        forms_demo(out, PROFILE)
    expected = sorted([f"{s.name}.xlsx" for s in SCHEMAS] + ["单位设置.xlsx"])
    assert sorted(p.name for p in (tmp_path / "空白表格").iterdir()) == expected


def _validations(sheet: Any, schema: Schema) -> dict[str, Any]:
    letters = {col.key: get_column_letter(i) for i, col in enumerate(schema.columns, start=1)}
    by_cell = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    return {key: by_cell.get(f"{letter}2") for key, letter in letters.items()}


def test_roster_grade_dropdown_offers_what_its_instructions_allow(tmp_path: Path) -> None:
    schema = load_schema("学生名册")
    assert "初一至初三也可" in schema.description
    grade = _validations(load_workbook(_written(tmp_path, schema))["学生名册"], schema)["grade"]
    offered = grade.formula1.strip('"').split(",")
    assert offered[:9] == list(schema.column("grade").values) and offered[9:] == ["初一", "初二", "初三"]
    assert grade.showErrorMessage  # anything else is still refused by Excel


def test_agreement_level_dropdown_lists_the_template_levels(tmp_path: Path) -> None:
    from kongchuo_docs.kinds.agreement import agreement_templates

    schema = load_schema("责任书名单")
    level = _validations(load_workbook(_written(tmp_path, schema))["责任书名单"], schema)["level"]
    assert level.type == "list" and level.errorStyle == "warning"  # another spelling may stay (aliases)
    assert level.formula1.strip('"').split(",") == sorted({t.level for t in agreement_templates().values()},
                                                          key=schema.column("level").values.index)


def test_percent_examples_show_as_a_person_writes_them(tmp_path: Path) -> None:
    schema = load_schema("责任书名单")
    sheet = load_workbook(_written(tmp_path, schema))["责任书名单"]
    letters = {col.key: get_column_letter(i) for i, col in enumerate(schema.columns, start=1)}
    shown = {}
    for key in ("enrolment_target", "retention_target", "dropout_target"):
        cell = sheet[f"{letters[key]}2"]
        shown[key] = (cell.value, cell.number_format)
    assert shown == {"enrolment_target": (1, "0%"), "retention_target": (0.998, "0.0%"),
                     "dropout_target": (0, "0%")}
    assert sheet.column_dimensions[letters["retention_target"]].number_format == "0.0#%"


def test_schema_choices_must_be_values_or_aliases(tmp_path: Path) -> None:
    from kongchuo_docs.errors import InputError

    column = "{key: grade, header: 年级, type: enum, values: [一年级], aliases: {1年级: 一年级}, choices: [初一]}"
    (tmp_path / "坏表.yaml").write_text(f"name: 坏表\ncolumns:\n  - {column}\n", encoding="utf-8")
    with pytest.raises(InputError, match="choices 中的 初一"):
        load_schema(tmp_path / "坏表.yaml")
