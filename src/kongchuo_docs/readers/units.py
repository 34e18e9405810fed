"""Read the 单位信息 list (``forms/单位信息.yaml``): every township and school of the county.

The list names who must report (compile lists the units that did not) and gives each unit's
发文机关标志 and 机关代字 for the documents it issues. Accepts .xlsx/.csv or YAML (``单位: [...]``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Location, Problem, Problems
from .schema import load_schema
from .table import read_table
from .yaml_records import YAML_SUFFIXES, load_yaml, read_record

LIST_KEY = "单位"


@dataclass(frozen=True)
class Unit:
    name: str
    unit_type: str  # 乡镇 / 学校
    township: str  # for a school: its township; for a township: its own short name or ""
    code: str  # 机关代字, "" when not given
    mark: str  # 发文机关标志; the name when not given
    contact: str
    phone: str


def read_units(path: Path) -> list[Unit]:
    """Every unit of the list in order; InputError with every problem located."""
    path = Path(path)
    schema = load_schema("单位信息")
    problems = Problems()
    rows: list[tuple[dict, Location]] = []
    if path.suffix.lower() in YAML_SUFFIXES:
        data = load_yaml(path)
        items = data.get(LIST_KEY)
        if not isinstance(items, list) or not items:
            raise InputError([Problem(Location(path.name, column=LIST_KEY), "应列出至少一个单位")])
        for item in items:
            if isinstance(item, dict):
                record = read_record(item, schema, path.name, problems)
                rows.append((record.values, record.where))
            else:
                problems.error(Location(path.name, column=LIST_KEY), "每个单位应为键值对（单位名称、类型…）")
    else:
        table = read_table(path, schema)
        problems.items.extend(table.problems.items)
        rows = [(r.values, table.location(r.number, "name")) for r in table.valid_rows()]
    units: list[Unit] = []
    seen: dict[str, Location] = {}
    for values, where in rows:
        name = values["name"]
        if name is None or values["unit_type"] is None:
            continue
        if name in seen:
            problems.error(where, f"单位重复（已见于 {seen[name]}）", name)
            continue
        seen[name] = where
        units.append(
            Unit(
                name=name,
                unit_type=values["unit_type"],
                township=values["township"] or "",
                code=values["code"] or "",
                mark=values["mark"] or name,
                contact=values["contact"] or "",
                phone=values["phone"] or "",
            )
        )
    problems.raise_if_errors()
    return units
