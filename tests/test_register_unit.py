"""A unit's secretary fills the tool's blank 问题线索登记 form (it has no 填报单位 line) and names her
unit with ``register build --unit`` (the page's 填报单位 field): the register prints it, and the
county's merge of that register reports its clues under it."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pymupdf
from blank_forms import blank_book, type_row
from typer.testing import CliRunner

from kongchuo_docs.cli import app

UNIT = "起步镇人民政府"


def _cells(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path, read_only=True)
    return [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v]


def test_the_unit_given_is_the_registers_and_the_merges_reporting_unit(tmp_path: Path) -> None:
    profile, book = blank_book(tmp_path, "问题线索登记.xlsx")
    type_row(book.worksheets[0], {"线索简要内容*": "一名八年级学生自9月起未到校", "办理情况": "办理中"})
    book.save(tmp_path / "线索.xlsx")
    runner = CliRunner()

    built = tmp_path / "登记表"
    args = ["register", "build", str(tmp_path / "线索.xlsx"), "-o", str(built), "--unit", f" {UNIT} ",
            "--date", "2026-10-09", "--settings", str(profile)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    [xlsx] = built.glob("*.xlsx")
    assert f"填报单位：{UNIT}" in "".join(_cells(xlsx))
    [pdf] = built.glob("*.pdf")
    with pymupdf.open(pdf) as doc:
        assert f"填报单位：{UNIT}" in doc[0].get_text().replace("\n", "")

    inbox = tmp_path / "报送"
    inbox.mkdir()
    xlsx.rename(inbox / "登记表1.xlsx")  # the file's name says nothing of the unit
    merged = tmp_path / "汇总"
    result = runner.invoke(app, ["register", "merge", str(inbox / "登记表1.xlsx"), "-o", str(merged),
                                 "--as-of", "2026-10-20", "--settings", str(profile)])  # fmt: skip
    assert result.exit_code == 0, result.output
    [county] = merged.glob("*.xlsx")
    assert UNIT in _cells(county) and "登记表1" not in _cells(county)


def test_without_a_unit_the_line_is_left_for_the_hand(tmp_path: Path) -> None:
    clues = tmp_path / "线索.yaml"
    clues.write_text("线索:\n  - {线索简要内容: 一名八年级学生自9月起未到校, 办理情况: 办理中}\n", encoding="utf-8")
    out = tmp_path / "登记表"
    result = CliRunner().invoke(app, ["register", "build", str(clues), "-o", str(out), "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    [xlsx] = out.glob("*.xlsx")
    [line] = [c for c in _cells(xlsx) if c.startswith("填报单位")]
    assert line.removeprefix("填报单位：").split("填报时间")[0].strip("\u3000 ") == ""
