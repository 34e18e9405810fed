"""The generic sheet reader: header search, synonyms, value cleaning, locations, CSV encodings."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from kongchuo_docs.errors import InputError
from kongchuo_docs.readers.cleaning import CellError, clean_value
from kongchuo_docs.readers.idcard import make_id
from kongchuo_docs.readers.schema import load_schema
from kongchuo_docs.readers.table import read_fields, read_table

SCHEMA_YAML = """
name: 测试表
sheet: 测试表
columns:
  - {key: name, header: 姓名, required: true, type: name}
  - {key: count, header: 人数, synonyms: [学生人数], type: int, min: 0}
  - {key: rate, header: 比率, type: percent}
  - {key: day, header: 日期, type: date}
  - {key: id_number, header: 身份证号, synonyms: [公民身份号码], type: id_number}
  - {key: phone, header: 联系电话, type: phone}
  - {key: kind, header: 类别, type: enum, values: [甲, 乙], aliases: {A: 甲}}
  - {key: village, header: 户籍所在村(社区), type: text}
"""
HEADERS = ["姓名", "人数", "比率", "日期", "身份证号", "联系电话", "类别", "户籍所在村(社区)"]
ID_A = make_id("350123", date(2019, 3, 15), 21)
ID_B = make_id("350123", date(2012, 11, 2), 8)


@pytest.fixture
def schema(tmp_path: Path):
    path = tmp_path / "测试表.yaml"
    path.write_text(SCHEMA_YAML, encoding="utf-8")
    return load_schema(path)


def _xlsx(path: Path, rows: list[list[object]], *, sheet: str = "测试表") -> Path:
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    workbook.save(path)
    return path


def test_header_on_row_3_under_a_merged_title(schema, tmp_path: Path) -> None:
    path = tmp_path / "表.xlsx"
    workbook = Workbook()
    ws = workbook.active
    ws.title = "测试表"
    ws["A1"] = "罗源县2025年测试表"
    ws.merge_cells("A1:H1")
    ws["A2"] = "填报单位：凤山镇"
    for col, header in enumerate(["序号", *HEADERS], start=1):
        ws.cell(row=3, column=col, value=header)
    ws.append([1, "林小雨", 3, "98.5%", "2020/9/10", ID_A, "13905912345", "甲", "西门村"])
    workbook.save(path)
    table = read_table(path, schema)
    assert table.header_row == 3
    assert not table.problems.items
    (row,) = table.rows
    assert row.number == 4
    assert row.cells["id_number"] == "F4"  # 序号 in column A shifts everything by one
    assert row.values == {
        "name": "林小雨", "count": 3, "rate": pytest.approx(0.985), "day": date(2020, 9, 10),
        "id_number": ID_A, "phone": "13905912345", "kind": "甲", "village": "西门村",
    }  # fmt: skip


def test_synonyms_required_mark_full_width_parentheses_and_extra_columns(schema, tmp_path: Path) -> None:
    headers = ["备注", "姓名*", "学生人数", "公民身份号码", "户籍所在村（社区）", "另一列"]
    path = _xlsx(tmp_path / "表.xlsx", [headers, ["x", "王 五", 2, ID_B, "霍口村", "y"]])
    table = read_table(path, schema)
    assert set(table.columns) == {"name", "count", "id_number", "village"}
    assert table.rows[0].values["name"] == "王五"
    assert table.rows[0].values["village"] == "霍口村"
    assert table.rows[0].values["phone"] is None  # absent column reads as None


def test_value_cleaning(schema, tmp_path: Path) -> None:
    lower_x = make_id("350123", date(2013, 5, 6), 1)
    while not lower_x.endswith("X"):
        lower_x = make_id("350123", date(2013, 5, 6), int(lower_x[14:17]) + 2)
    rows = [
        HEADERS,
        ["\u3000阿依古丽•买买提 ", "１２", 0.9, "2020年9月10日", lower_x.lower(), "１３９ ０５９１ ２３４５",
         " A ", " 西门村 "],
        ["林一", 5.0, "95", 43718, f" {ID_A} ", "0591-26831234/13905912345", "乙", None],
        ["林二", None, None, datetime(2020, 9, 10, 0, 0), None, None, None, None],
        ["林三", None, None, "2020.9.10", None, None, None, None],
        ["林四", None, None, "20200910", None, None, None, None],
    ]
    table = read_table(_xlsx(tmp_path / "表.xlsx", rows), schema)
    assert not table.problems.items, [str(p) for p in table.problems.items]
    first, second, *others = (r.values for r in table.rows)
    assert first["name"] == "阿依古丽·买买提"
    assert first["count"] == 12
    assert first["id_number"] == lower_x
    assert first["phone"] == "13905912345"
    assert first["kind"] == "甲"
    assert first["village"] == "西门村"
    assert second["count"] == 5
    assert second["rate"] == pytest.approx(0.95)
    assert second["day"] == date(2019, 9, 10)  # Excel serial 43718
    assert second["phone"] == "0591-26831234/13905912345"
    assert all(values["day"] == date(2020, 9, 10) for values in [first, *others])


def test_all_cell_problems_at_once_with_cell_references(schema, tmp_path: Path) -> None:
    rows = [
        HEADERS,
        ["", -1, "abc", "2020-13-01", ID_A[:17] + ("0" if ID_A[17] != "0" else "1"), "12345", "丙", ""],
        [None, None, None, None, None, None, None, None],  # blank row: skipped
        ["林七", "3.5", None, "明天", "35012319", "138", None, None],
    ]
    table = read_table(_xlsx(tmp_path / "名册.xlsx", rows), schema)
    messages = [str(p) for p in table.problems.items]
    assert messages[0] == "名册.xlsx!测试表!A2 姓名: 必填，不能为空"
    assert "名册.xlsx!测试表!B2 人数: 不应小于 0（-1）" in messages
    assert any(m.startswith("名册.xlsx!测试表!C2 比率: 应为数字") for m in messages)
    assert any(m.startswith("名册.xlsx!测试表!D2 日期: 不是有效日期") for m in messages)
    assert any(m.startswith("名册.xlsx!测试表!E2 身份证号: 号码有误") for m in messages)
    assert any(m.startswith("名册.xlsx!测试表!G2 类别: 应为 甲、乙 之一") for m in messages)
    assert any(m.startswith("名册.xlsx!测试表!B4 人数: 应为整数") for m in messages)
    assert any(m.startswith("名册.xlsx!测试表!E4 身份证号: 应为 18 位") for m in messages)
    assert len(messages) == 11  # 7 in row 2, 4 in row 4
    assert table.invalid_rows == {2, 4}
    assert [r.number for r in table.valid_rows()] == []


def test_id_stored_as_number(schema, tmp_path: Path) -> None:
    """openpyxl, like Excel, stores a number as a double: an 18-digit ID loses its last digits."""
    exact = make_id("350123", date(2012, 11, 2), 10)
    excel_kept = exact[:15] + "000"  # what Excel keeps of an 18-digit number typed into a number cell
    rows = [HEADERS, ["甲", None, None, None, float(exact[:17] + "1"), None, None, None],
            ["乙", None, None, None, int(excel_kept), None, None, None]]  # fmt: skip
    table = read_table(_xlsx(tmp_path / "表.xlsx", rows), schema)
    problems = {p.location.cell: p.message for p in table.problems.items}
    assert set(problems) == {"E2", "E3"}
    for message in problems.values():
        assert "以数字格式存储" in message and "15 位有效数字" in message and "文本格式" in message


def test_id_stored_as_an_exact_integer_is_accepted(schema) -> None:
    """Some tools write the integer itself into the file; when it is a valid ID nothing was lost."""
    column = schema.column("id_number")
    exact = make_id("350123", date(2012, 11, 2), 10)
    while exact.endswith("X"):
        exact = make_id("350123", date(2012, 11, 2), int(exact[14:17]) + 2)
    assert clean_value(column, int(exact)) == exact
    with pytest.raises(CellError, match="以数字格式存储"):
        clean_value(column, int(exact[:15] + "000"))


def test_scientific_notation_in_csv_is_refused_with_the_reason(schema, tmp_path: Path) -> None:
    path = tmp_path / "表.csv"
    path.write_text("姓名,身份证号\n林一,3.50123E+17\n", encoding="utf-8")
    (problem,) = read_table(path, schema).problems.items
    assert str(problem).startswith("表.csv:2 身份证号: 以数字格式存储")


def test_gbk_csv_with_line_numbers(schema, tmp_path: Path) -> None:
    path = tmp_path / "名册.csv"
    text = f"测试表\n姓名,人数,身份证号,类别\n林小雨,2,{ID_A},甲\n\n陈大明,x,{ID_B},乙\n"
    path.write_bytes(text.encode("gbk"))
    table = read_table(path, schema)
    assert table.encoding == "GBK"
    assert [r.values["name"] for r in table.rows] == ["林小雨", "陈大明"]
    assert [r.number for r in table.rows] == [3, 5]
    assert [str(p) for p in table.problems.items] == ["名册.csv:5 人数: 应为数字（x）"]


def test_utf8_bom_csv_with_a_multiline_field(schema, tmp_path: Path) -> None:
    path = tmp_path / "表.csv"
    path.write_text('姓名,户籍所在村(社区)\n林一,"西门\n村"\n林二,\n', encoding="utf-8-sig")
    table = read_table(path, schema)
    assert table.encoding == "UTF-8"
    assert [(r.number, r.values["name"]) for r in table.rows] == [(2, "林一"), (4, "林二")]


def test_missing_required_column_and_missing_header_stop_the_read(schema, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "表.xlsx", [["人数", "比率", "身份证号"], [1, 0.5, ID_A]])
    with pytest.raises(InputError) as caught:
        read_table(path, schema)
    assert str(caught.value.problems[0]) == "表.xlsx!测试表 姓名: 表头（第 1 行）缺少必填列"
    path = _xlsx(tmp_path / "无表头.xlsx", [["甲", "乙"], [1, 2]])
    with pytest.raises(InputError, match="前 15 行中找不到“测试表”的表头"):
        read_table(path, schema)


def test_sheet_choice_and_unreadable_files(schema, tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.title = "说明"
    other = workbook.create_sheet("数据")
    other.append(["姓名", "人数"])
    other.append(["林一", 1])
    workbook.save(tmp_path / "多表.xlsx")
    assert read_table(tmp_path / "多表.xlsx", schema).sheet == "数据"  # found by its header
    with pytest.raises(InputError, match="找不到此工作表"):
        read_table(tmp_path / "多表.xlsx", schema, sheet="名册")
    (tmp_path / "旧.xls").write_bytes(b"\xd0\xcf\x11\xe0")  # a truncated Excel 97 file
    with pytest.raises(InputError, match=r"旧\.xls: 无法作为 Excel 工作簿打开"):
        read_table(tmp_path / "旧.xls", schema)
    (tmp_path / "表.numbers").write_bytes(b"")
    with pytest.raises(InputError, match=r"不支持的文件类型 \.numbers，应为 \.xlsx、\.xls、\.ods 或 \.csv"):
        read_table(tmp_path / "表.numbers", schema)
    (tmp_path / "坏.xlsx").write_bytes(b"not a zip")
    with pytest.raises(InputError, match="无法作为 Excel 工作簿打开"):
        read_table(tmp_path / "坏.xlsx", schema)


def test_fields_layout(tmp_path: Path) -> None:
    path = tmp_path / "表单.yaml"
    path.write_text(
        "name: 表单\nlayout: fields\nfields:\n"
        "  - {key: unit, header: 单位名称, required: true}\n"
        "  - {key: staff, header: 教职工数, type: int}\n"
        "  - {key: day, header: 报告日期, required: true, type: date}\n",
        encoding="utf-8",
    )
    schema = load_schema(path)
    workbook = Workbook()
    ws = workbook.active
    ws.title = "表单"
    ws.append(["自查表"])
    ws.append(["单位名称*", "凤山镇人民政府", "说明"])
    ws.append(["教职工数", "四十"])
    workbook.save(tmp_path / "表单.xlsx")
    form = read_fields(tmp_path / "表单.xlsx", schema)
    assert form.values["unit"] == "凤山镇人民政府"
    assert form.cells == {"unit": "B2", "staff": "B3"}
    assert [str(p) for p in form.problems.items] == [
        "表单.xlsx!表单!B3 教职工数: 应为数字（四十）",
        "表单.xlsx!表单 报告日期: 找不到此栏目",
    ]


def test_fields_form_label_with_an_empty_value_cell_is_located(tmp_path: Path) -> None:
    schema = load_schema("自查表")
    required = [c for c in schema.columns if c.required]
    wb = Workbook()
    ws = wb.active
    ws.title = schema.sheet
    ws.append([required[0].header])  # the label alone: its value cell never written
    path = tmp_path / "半填.xlsx"
    wb.save(path)
    result = read_fields(path, schema)
    messages = [str(p) for p in result.problems.errors]
    assert f"半填.xlsx!{schema.sheet}!B1 {required[0].header}: 必填，不能为空" in messages


def test_a_workbook_without_any_of_the_forms_labels_is_refused_in_one_message(tmp_path: Path) -> None:
    """A roster uploaded as a 自查表: one message naming the form, not one per label (and no header
    of the roster read as a value: 联系电话 next to 入读学校)."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "学生名册"
    ws.append(["姓名*", "身份证号*", "联系电话", "入读学校*", "年级*"])
    ws.append(["林一", "350123201903150011", "13905912345", "凤山中心小学", "一年级"])
    workbook.save(tmp_path / "名册.xlsx")
    with pytest.raises(InputError) as caught:
        read_fields(tmp_path / "名册.xlsx", load_schema("自查表"))
    [problem] = caught.value.problems
    assert str(problem).startswith("名册.xlsx!学生名册: 前 200 行中找不到“自查表”的栏目（应有 单位名称、单位类型、")
    assert problem.message.endswith("请确认这是填好的自查表")
