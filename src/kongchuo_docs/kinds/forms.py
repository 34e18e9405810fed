"""``kongchuo-docs forms``: one blank input workbook per schema (manifest kind ``form``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..files.output import OutputSet, in_folder
from ..profile import EXCEL_NAME, Profile
from ..readers.schema import available_schemas
from ..writers.xlsx_forms import write_blank_form
from ..writers.xlsx_profile import write_profile_form

KIND = "form"
DEMO_FOLDER = "空白表格"


def write_forms(out: OutputSet, folder: str = "", *, first_year: int) -> list[str]:
    """Write every schema's blank form as ``folder/<表名>.xlsx``, its examples in the 学年 starting in
    `first_year`, and the blank 单位设置.xlsx; return the paths written."""
    written = []
    for schema in available_schemas():
        rel = in_folder(folder, f"{schema.name}.xlsx")
        write_blank_form(schema.in_school_year(first_year), out.reserve(rel))
        out.record(rel, kind=KIND, title=f"{schema.name}（空白录入表）")
        written.append(rel)
    rel = in_folder(folder, EXCEL_NAME)
    write_profile_form(out.reserve(rel))
    out.record(rel, kind=KIND, title="单位设置（空白录入表）")
    written.append(rel)
    return written


def forms_year(profile: Profile | None) -> int:
    """The first year of the 学年 the blank forms speak of: the profile's, else the one that starts
    this calendar year (forms are handed out before the autumn intake)."""
    return profile.first_year if profile is not None else dt.date.today().year


def build_forms(outdir: Path, *, first_year: int, force: bool = False) -> list[str]:
    """The ``forms`` command: all blank forms into `outdir`."""
    with OutputSet(outdir, force=force) as out:
        write_forms(out, first_year=first_year)
    return out.written


def demo(out: OutputSet, profile: Profile) -> None:
    """Demo step: the blank forms into ``空白表格/`` of the demo output."""
    write_forms(out, DEMO_FOLDER, first_year=profile.first_year)
