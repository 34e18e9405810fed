"""``kongchuo-docs self-check``: every 自查表 — or narrative 自查报告 (`kinds.self_check_narrative`) — read
and checked before anything is written, then one 自查报告 each. It stands above both, which import
only downwards: the narrative reads the form's model from `kinds.self_check`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import InputError, Location, Problem
from ..files.output import OutputSet
from ..model import stats
from ..profile import load_profile
from ..profile.scope import RowScope
from .self_check import (
    FormRejected,
    SelfCheck,
    check_or_refuse,
    read_self_check,
    units_by_name,
    write_self_check,
)
from .self_check_narrative import Narrative, narrative_document, read_narrative_file


def build_self_check_files(
    inputs: Sequence[Path],
    outdir: Path,
    *,
    units_file: Path | None = None,
    allow_inconsistent: bool = False,
    rounding: stats.RoundingMode = "half-up",
    settings: Path | None = None,
    force: bool = False,
    scope: RowScope | None = None,
) -> tuple[list[str], list[Problem]]:
    """``kongchuo-docs self-check``: every form is read and checked before anything is written.
    `settings` is the 单位设置 profile (default: the one found). With a `scope` (the page's 学校 or
    乡镇 account) only the forms whose 单位名称 is one of its units are checked and reported on, the
    others left out with a warning (refused when none is its own).

    Returns the written paths, and the corrections and inconsistencies let through (to print as warnings).
    """
    profile = load_profile(settings)
    units = units_by_name(units_file)
    problems: list[Problem] = []
    read: list[tuple[Path, SelfCheck | FormRejected, Narrative | None]] = []
    for path in inputs:
        try:
            narrative = read_narrative_file(path)  # a narrative YAML (自检自查报告), else None
            read.append((path, narrative.form if narrative else read_self_check(path), narrative))
        except FormRejected as exc:  # its errors count once it is known to be the account's
            read.append((path, exc, None))
        except InputError as exc:
            problems.extend(exc.problems + exc.warnings)
    if scope is not None:
        read, foreign = scope.split(read, lambda item: item[1].unit or "", _unit_where)
        if foreign is not None:
            problems.append(scope.left_out(foreign, "份自查表", refused=not read and not problems))
    checked: list[tuple[Path, SelfCheck, list[Problem], Narrative | None]] = []
    for path, form, narrative in read:
        if isinstance(form, FormRejected):
            problems.extend(form.problems + form.warnings)
            continue
        try:
            given = narrative.given if narrative else None
            found = check_or_refuse(form, allow_inconsistent=allow_inconsistent, given=given)
            checked.append((path, form, found, narrative))
        except InputError as exc:
            problems.extend(exc.problems + exc.warnings)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    with OutputSet(outdir, force=force) as out:
        for path, form, found, narrative in checked:
            unit = units.get(form.unit)
            doc = narrative and narrative_document(narrative, profile, unit=unit, rounding=rounding, found=found)
            write_self_check(out, form, profile, unit=unit, rounding=rounding, found=found, source=path,
                             doc=doc)
    notes = [*profile.warnings, *problems, *(p for _, form, found, _ in checked for p in (*form.warnings, *found))]
    return out.written, notes


def _unit_where(item: tuple[Path, SelfCheck | FormRejected, Narrative | None]) -> Location:
    """Where a form's 单位名称 is (its file, when the form could not be read)."""
    path, form, _ = item
    return form.location("unit") if isinstance(form, SelfCheck) else Location(path.name, column="单位名称")
