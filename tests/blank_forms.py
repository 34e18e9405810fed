"""The tool's blank workbooks as a clerk starts from them: `forms` run with a profile, one workbook
opened, rows typed under its 示例 row by their headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from profiles import write_profile
from typer.testing import CliRunner

from kongchuo_docs.cli import app


def blank_book(tmp_path: Path, name: str) -> tuple[Path, openpyxl.Workbook]:
    """The sample profile written in `tmp_path/县` and the blank workbook `name` that `forms` writes."""
    profile = write_profile(tmp_path / "县")
    folder = tmp_path / "空白"
    result = CliRunner().invoke(app, ["forms", "-o", str(folder), "--settings", str(profile)])
    assert result.exit_code == 0, result.output
    return profile, openpyxl.load_workbook(folder / name)


def type_row(sheet: Any, values: dict[str, object]) -> None:
    """Append a row under the sheet's header (row 1): `values` by header text (with its "*")."""
    header = [c.value for c in sheet[1]]
    row = dict.fromkeys(header)
    row.update(values)
    sheet.append([row[key] for key in header])
