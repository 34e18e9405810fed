"""Read a folder of units' 自查表 for ``compile``: every file accounted for (aggregated, aggregated
with its inconsistencies, rejected with its errors, a second form of the same unit, or not a form),
township and school forms kept apart, and the listed units that sent nothing. A file answers for the
listed unit its form names or, failing that, the listed unit it is named after (a 报送 round names
each unit's file by the unit: ``凤山镇.xlsx`` holding 某县凤山镇人民政府's form). `kinds.summary`
turns the `Compilation` into the 工作总结 and its workbook."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Location, Problem
from ..readers.table import WORKBOOK_SUFFIXES
from ..readers.units import Unit
from ..readers.yaml_records import YAML_SUFFIXES
from .self_check import SelfCheck, inconsistencies, read_self_check

FORM_SUFFIXES = (*WORKBOOK_SUFFIXES, *YAML_SUFFIXES)


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file of the folder; `status` is a key of the wording's ``status``."""

    name: str
    status: str  # aggregated, inconsistent, rejected, duplicate, skipped
    unit: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitData:
    form: SelfCheck
    label: str  # short name for tables and charts: 凤山镇, 实验小学
    found: tuple[Problem, ...]


@dataclass(frozen=True)
class Compilation:
    outcomes: tuple[FileOutcome, ...]
    townships: tuple[UnitData, ...]
    schools: tuple[UnitData, ...]
    missing: tuple[Unit, ...]  # listed units with no form at all (a rejected form names its unit)
    units_listed: int | None  # None without a 单位信息 list

    @property
    def aggregated(self) -> tuple[UnitData, ...]:
        return self.townships + self.schools

    @property
    def base(self) -> tuple[UnitData, ...]:
        """The rows county totals add up: the townships, or the schools when no township sent a form."""
        return self.townships or self.schools

    def total(self, key: str) -> int:
        return sum(u.form.count(key) for u in self.base)


def _label(form: SelfCheck, county: str) -> str:
    if form.values["unit_type"] == "乡镇" and form.values.get("township"):
        return form.values["township"]
    return form.unit.removeprefix(county).removesuffix("人民政府") or form.unit


def compile_folder(folder: Path, units: Sequence[Unit] | None = None, *, county: str = "") -> Compilation:
    """Read every file of `folder` (sorted by name); nothing in it stops the others. `county` (the
    profile's 县) is dropped from unit names in the tables' labels."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError([Problem(Location(str(folder)), "不是文件夹")])
    outcomes: list[FileOutcome] = []
    accepted: dict[str, UnitData] = {}
    answered: dict[str, str] = {}  # listed unit -> the form's unit that answers for it
    listed = {u.name for u in units} if units is not None else None
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        outcome, data = _one_file(path, accepted, listed, county)
        outcomes.append(outcome)
        if data is not None:
            accepted[data.form.unit] = data
        if outcome.status != "skipped" and (name := _listed_name(outcome.unit, path, listed)):
            answered.setdefault(name, outcome.unit)
    order = {answered.get(u.name, u.name): i for i, u in enumerate(units or ())}
    ranked = sorted(accepted.values(), key=lambda d: (order.get(d.form.unit, len(order)), d.form.source.name))
    return Compilation(
        outcomes=tuple(outcomes),
        townships=tuple(d for d in ranked if d.form.values["unit_type"] == "乡镇"),
        schools=tuple(d for d in ranked if d.form.values["unit_type"] == "学校"),
        missing=tuple(u for u in units or () if u.name not in answered),
        units_listed=None if units is None else len(units),
    )


def _listed_name(unit: str, path: Path, listed: set[str] | None) -> str | None:
    """The listed unit a file answers for: `unit` (the name its form gives) when listed, else its file
    name's stem when that is listed; None without a list or when neither is on it."""
    if listed is None:
        return None
    return unit if unit in listed else path.stem if path.stem in listed else None


def _one_file(
    path: Path, accepted: dict[str, UnitData], listed: set[str] | None, county: str
) -> tuple[FileOutcome, UnitData | None]:
    if path.is_dir():
        return FileOutcome(path.name, "skipped", "", ("是文件夹，未读取",)), None
    if path.name.startswith(("~$", ".")):
        return FileOutcome(path.name, "skipped", "", ("Excel 临时文件或隐藏文件，未读取",)), None
    if path.suffix.lower() not in FORM_SUFFIXES:
        return FileOutcome(path.name, "skipped", "", ("不是自查表（应为 .xlsx、.xls、.ods 或 .yaml 文件）",)), None
    try:
        form = read_self_check(path)
    except InputError as exc:
        unit = getattr(exc, "unit", None) or ""  # FormRejected knows the unit when its name was readable
        return FileOutcome(path.name, "rejected", unit, tuple(str(p) for p in exc.problems)), None
    if form.unit in accepted:
        first = accepted[form.unit].form.source.name
        return FileOutcome(path.name, "duplicate", form.unit, (f"与 {first} 是同一单位，只汇总 {first}",)), None
    found = tuple(inconsistencies(form))
    details = [str(p) for p in found]
    if listed is not None and _listed_name(form.unit, path, listed) is None:
        details.append(f"{form.unit} 不在单位信息名单中（已汇总，请核对单位名称）")
    status = "inconsistent" if found else "aggregated"
    return FileOutcome(path.name, status, form.unit, tuple(details)), UnitData(form, _label(form, county), found)
