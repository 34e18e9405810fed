"""Digits typed full-width in a text cell (一年级１班, 红光村１２号) print as Arabic numerals, in the
document and in its file name, as a 公文 writes them."""

from __future__ import annotations

from pathlib import Path

import pymupdf
from blank_forms import blank_book, type_row
from typer.testing import CliRunner

from kongchuo_docs.cli import app


def test_a_class_typed_with_full_width_digits_prints_half_width(tmp_path: Path) -> None:
    profile, book = blank_book(tmp_path, "责任书名单.xlsx")
    type_row(book.worksheets[0], {"层级*": "学校—班主任", "甲方*": "凤山中心小学", "乙方*": "王老师",
                                  "班级": "一年级１２班"})
    book.save(tmp_path / "名单.xlsx")
    out = tmp_path / "责任书"
    args = ["agreements", str(tmp_path / "名单.xlsx"), "-o", str(out), "--settings", str(profile)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    [pdf] = out.glob("凤山中心小学/*.pdf")
    assert pdf.name == "01_王老师（一年级12班）.pdf"
    with pymupdf.open(pdf) as doc:
        text = "".join(page.get_text() for page in doc).replace("\n", "")
    assert "王老师（一年级12 班）" in text or "王老师（一年级12班）" in text
    assert "１" not in text and "２" not in text
