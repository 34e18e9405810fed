"""A clerk merges a column's cells down over the rows they share (入读学校 over one school's children,
甲方 over one party's agreements): every row of the merge reads the value she sees in it, in the blank
form of the tool itself, at the CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pymupdf
from blank_forms import blank_book, type_row
from typer.testing import CliRunner

from kongchuo_docs.cli import app
from kongchuo_docs.readers.idcard import make_id

SCHOOLS = ("罗源县实验小学", "凤山中心小学")


def _merge_down(sheet, headers: tuple[str, ...]) -> None:
    """Merge the cells of each of `headers`' columns over rows 3–5, as a clerk merges a shared value
    (the lower cells emptied first: Excel keeps only the first cell's value)."""
    header = [c.value for c in sheet[1]]
    for title in headers:
        column = header.index(title) + 1
        for row in (4, 5):
            sheet.cell(row, column).value = None
        letter = openpyxl.utils.get_column_letter(column)
        sheet.merge_cells(f"{letter}3:{letter}5")


def _pdf_texts(folder: Path) -> dict[str, list[str]]:
    """The text of every page of each PDF under `folder`, by file name (without .pdf)."""
    texts = {}
    for pdf in folder.rglob("*.pdf"):
        with pymupdf.open(pdf) as doc:
            texts[pdf.stem] = [page.get_text().replace("\n", "") for page in doc]
    return texts


def test_a_school_merged_down_over_its_children_is_each_childs_school(tmp_path: Path) -> None:
    profile, book = blank_book(tmp_path, "学生名册.xlsx")
    sheet = book.worksheets[0]
    names = ["陈一鸣", "林可馨", "黄子轩", "吴思远"]
    for n, name in enumerate(names):  # under the form's 示例 row, left as it came
        type_row(sheet, {"姓名*": name, "身份证号*": make_id("350123", dt.date(2020, 3, n + 1), 2 * n + 11),
                         "户籍地址*": "福建省罗源县凤山镇西门村1号", "监护人姓名*": "陈建国",
                         "入读学校*": SCHOOLS[n // 3], "年级*": "一年级", "班级": "1班"})  # fmt: skip
    _merge_down(sheet, ("入读学校*", "年级*", "班级"))  # the first school's three children: one cell each
    roster = tmp_path / "名册.xlsx"
    book.save(roster)

    out = tmp_path / "通知书"
    result = CliRunner().invoke(app, ["letters", str(roster), "-o", str(out), "--simplex", "--settings", str(profile)])
    assert result.exit_code == 0, result.output
    assert "不能为空" not in result.output
    pages = _pdf_texts(out)
    assert sorted(pages) == sorted(SCHOOLS)
    first = [page for page in pages[SCHOOLS[0]] if "入学通知书" in page]
    assert [next(name for name in names if f"您的孩子{name}" in page) for page in first] == names[:3]
    assert all(f"入读{SCHOOLS[0]}一年级" in page for page in first)
    assert [page for page in pages[SCHOOLS[1]] if f"您的孩子{names[3]}" in page]


def test_a_party_a_merged_down_over_its_agreements_signs_each_of_them(tmp_path: Path) -> None:
    profile, book = blank_book(tmp_path, "责任书名单.xlsx")
    sheet = book.worksheets[0]
    parties = ["罗源县第二中学", "起步中心小学", "中房中心小学"]
    for party in parties:
        type_row(sheet, {"层级*": "县教育局—学校", "甲方*": "罗源县教育局", "乙方*": party})
    _merge_down(sheet, ("层级*", "甲方*"))
    table = tmp_path / "名单.xlsx"
    book.save(table)

    out = tmp_path / "责任书"
    result = CliRunner().invoke(app, ["agreements", str(table), "-o", str(out), "--settings", str(profile)])
    assert result.exit_code == 0, result.output
    texts = {name: "".join(pages) for name, pages in _pdf_texts(out).items()}
    for party in parties:
        [own] = [text for name, text in texts.items() if party in name]
        assert "罗源县教育局" in own and party in own
