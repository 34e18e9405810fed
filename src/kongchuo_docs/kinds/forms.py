"""``kongchuo-docs forms``: one blank input workbook per schema (manifest kind ``form``)."""

from __future__ import annotations

from pathlib import Path

from ..output import OutputSet, in_folder
from ..profile import EXCEL_NAME
from ..schema import available_schemas
from ..writers.xlsx_forms import write_blank_form
from ..writers.xlsx_profile import write_profile_form

KIND = "form"
DEMO_FOLDER = "空白表格"


def write_forms(out: OutputSet, folder: str = "") -> list[str]:
    """Write every schema's blank form as ``folder/<表名>.xlsx`` and the blank 单位设置.xlsx;
    return the paths written."""
    written = []
    for schema in available_schemas():
        rel = in_folder(folder, f"{schema.name}.xlsx")
        write_blank_form(schema, out.reserve(rel))
        out.record(rel, kind=KIND, title=f"{schema.name}（空白录入表）")
        written.append(rel)
    rel = in_folder(folder, EXCEL_NAME)
    write_profile_form(out.reserve(rel))
    out.record(rel, kind=KIND, title="单位设置（空白录入表）")
    written.append(rel)
    return written


def build_forms(outdir: Path, *, force: bool = False) -> list[str]:
    """The ``forms`` command: all blank forms into `outdir`."""
    with OutputSet(outdir, force=force) as out:
        write_forms(out)
    return out.written


def demo(out: OutputSet) -> None:
    """Demo step: the blank forms into ``空白表格/`` of the demo output."""
    write_forms(out, DEMO_FOLDER)
