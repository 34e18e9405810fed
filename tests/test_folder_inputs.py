"""The bureau's inbox is a folder: `self-check` and `register merge` take it as `compile` does, and read
every unit's workbook in it (not Excel's ``~$`` lock file, not a note beside them)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pymupdf
from profiles import write_profile
from typer.testing import CliRunner
from web_helpers import SELF_CHECK_COUNTS, fill_fields

from kongchuo_docs.cli import app

TOWNS = ("凤山镇人民政府", "起步镇人民政府")


def _forms(tmp_path: Path) -> tuple[Path, Path]:
    profile = write_profile(tmp_path / "县")
    folder = tmp_path / "空白"
    result = CliRunner().invoke(app, ["forms", "-o", str(folder), "--settings", str(profile)])
    assert result.exit_code == 0, result.output
    return profile, folder


def _inbox_extras(inbox: Path) -> None:
    (inbox / "~$凤山镇人民政府.xlsx").write_bytes(b"lock")  # Excel's lock file of an open workbook
    (inbox / "说明.txt").write_text("各单位报送的材料", encoding="utf-8")


def test_self_check_of_a_folder_reports_for_every_unit_in_it(tmp_path: Path) -> None:
    profile, blank = _forms(tmp_path)
    inbox = tmp_path / "报送"
    for unit in TOWNS:
        fill_fields(blank / "自查表.xlsx", inbox / f"{unit}.xlsx",
                    {"单位名称": unit, "单位类型": "乡镇", "报告日期": "2026-10-09", **SELF_CHECK_COUNTS})  # fmt: skip
    _inbox_extras(inbox)
    out = tmp_path / "报告"
    result = CliRunner().invoke(app, ["self-check", str(inbox), "-o", str(out), "--settings", str(profile)])
    assert result.exit_code == 0, result.output
    pdfs = sorted(out.glob("*.pdf"))
    assert [p.stem for p in pdfs] == [f"{unit}_自查报告" for unit in sorted(TOWNS)]
    for pdf in pdfs:
        with pymupdf.open(pdf) as doc:
            text = "".join(page.get_text() for page in doc).replace("\n", "")
        assert pdf.stem.removesuffix("_自查报告") in text


def test_register_merge_of_a_folder_holds_every_units_clues(tmp_path: Path) -> None:
    profile, blank = _forms(tmp_path)
    inbox = tmp_path / "登记表"
    inbox.mkdir()
    for n, unit in enumerate(TOWNS):
        book = openpyxl.load_workbook(blank / "问题线索登记.xlsx")
        sheet = book.worksheets[0]
        header = [c.value for c in sheet[1]]
        row = dict.fromkeys(header)
        row.update({"线索简要内容*": f"{unit}第{n + 1}条线索：一名七年级学生未到校", "办理情况": "办理中"})
        sheet.append([row[key] for key in header])
        book.save(inbox / f"{unit}.xlsx")
    _inbox_extras(inbox)
    out = tmp_path / "汇总"
    result = CliRunner().invoke(app, ["register", "merge", str(inbox), "-o", str(out), "--settings", str(profile)])
    assert result.exit_code == 0, result.output
    [merged] = out.glob("*.xlsx")
    book = openpyxl.load_workbook(merged, read_only=True)
    cells = {str(v) for row in book.worksheets[0].iter_rows(values_only=True) for v in row if v}
    assert {f"{unit}第{n + 1}条线索：一名七年级学生未到校" for n, unit in enumerate(TOWNS)} <= cells


def test_a_folder_without_any_form_is_refused_and_named(tmp_path: Path) -> None:
    profile, _ = _forms(tmp_path)
    inbox = tmp_path / "报送"
    inbox.mkdir()
    _inbox_extras(inbox)
    out = tmp_path / "报告"
    result = CliRunner().invoke(app, ["self-check", str(inbox), "-o", str(out), "--settings", str(profile)])
    assert result.exit_code == 2
    assert f"文件夹 {inbox} 中没有各单位的自查表" in result.output
    assert "Traceback" not in result.output and not out.exists()
