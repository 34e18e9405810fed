"""Find and read the 单位设置 profile (YAML, or its Excel twin) with every problem located.

Search order (`find_profile_path`): the explicit file, else 单位设置.yaml (then 单位设置.xlsx) in the
start folder or any parent, else the user config folder ``$XDG_CONFIG_HOME/kongchuo-docs/``.
Problems are located ``单位设置.yaml:LINE 项目`` or ``单位设置.xlsx!单位设置!B7 项目``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import InputError, KongchuoError, Location, Problem, Problems
from ..model.limits import profile_value_problem
from ..readers.yaml_records import LineDict, TextLoader, load_yaml
from ..wording.files import use_profile_templates
from .checks import check_dates
from .model import PROFILE_NAME, TOP_LEVEL_LETTER_KEYS, LetterSection, NumberCodes, PlanRef, Profile, School, Township

EXCEL_NAME = "单位设置.xlsx"
SHEET = "单位设置"
LIST_SHEETS: dict[str, tuple[str, ...]] = {"乡镇": ("名称", "代码"), "学校": ("名称", "代码", "乡镇")}
KEY_SEPARATOR = "."  # 实施方案.标题 in the Excel twin's 项目 column
CONFIG_DIR_NAME = "kongchuo-docs"

Locate = Callable[[tuple[Any, ...]], Location]


def user_config_dir() -> Path:
    """``$XDG_CONFIG_HOME/kongchuo-docs`` (default ``~/.config/kongchuo-docs``)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / CONFIG_DIR_NAME


def find_profile_path(explicit: Path | None = None, start: Path | None = None) -> Path | None:
    """The profile to use: `explicit`, else the nearest 单位设置.yaml/.xlsx from `start` (default
    the current folder) upwards, else the one in the user config folder; None when there is none."""
    if explicit is not None:
        return Path(explicit)
    folder = Path(start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents, user_config_dir()):
        for name in (PROFILE_NAME, EXCEL_NAME):
            if (candidate / name).is_file():
                return candidate / name
    return None


def load_profile(explicit: Path | None = None, *, required: bool = True) -> Profile | None:
    """Read the profile `find_profile_path` finds. InputError (located) for bad input; when none is
    found, KongchuoError naming ``kongchuo-docs init`` if `required`, else None."""
    path = find_profile_path(explicit)
    if path is None:
        if not required:
            return None
        raise KongchuoError(
            f"找不到单位设置文件（{PROFILE_NAME}）。请先运行 kongchuo-docs init 生成并填写本县（区）的单位设置，"
            f"放在当前文件夹（或其上级文件夹、{user_config_dir()}）中，或用 --settings 指定。"
        )
    if not path.is_file():
        raise InputError([Problem(Location(path.name), "找不到单位设置文件（可运行 kongchuo-docs init 生成）")])
    if path.suffix.lower() == ".xlsx":
        data, locate = _read_excel(path)
    else:
        data, locate = _read_yaml(path)
    problems = Problems()
    for loc, message in _too_long(data, ()):
        problems.error(locate(loc), message)
    problems.raise_if_errors()
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            problems.error(locate(error["loc"]), _message(error))
    problems.raise_if_errors()
    _check_places(profile, locate, problems)
    fixed_date = profile.date_rule if isinstance(profile.date_rule, dt.date) else None
    dates = {"学年": profile.school_year, "报到日期": profile.report_date, "成文日期": fixed_date}
    check_dates(dates, lambda key: locate((key,)), problems)
    problems.raise_if_errors()
    profile._source = path.resolve()
    profile._warnings = tuple(problems.warnings)
    folder = profile.templates_path
    if folder is not None and not folder.is_dir():
        problems.error(locate(("模板目录",)), "模板目录不存在（用 kongchuo-docs templates export 导出）", folder)
        problems.raise_if_errors()
    use_profile_templates(folder)  # 模板目录: the wording every command then reads
    return profile


def _too_long(value: Any, loc: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(where, message) for every text of the read settings longer than `limits.PROFILE_VALUE_MAX_CHARS`."""
    if isinstance(value, str):
        if (message := profile_value_problem(value)) is not None:
            yield loc, message
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _too_long(item, (*loc, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _too_long(item, (*loc, index))


# ---------------------------------------------------------------------------- YAML


def _read_yaml(path: Path) -> tuple[Any, Locate]:
    file = path.name
    data = load_yaml(path, TextLoader)
    lines: dict[tuple[Any, ...], int] = {}
    _collect_lines(data, (), lines)

    def locate(loc: tuple[Any, ...]) -> Location:
        for end in range(len(loc), 0, -1):
            if loc[:end] in lines:
                return Location(file, line=lines[loc[:end]], column=_label(loc))
        return Location(file, line=data.line, column=_label(loc))

    return data, locate


def _collect_lines(node: Any, path: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> None:
    if isinstance(node, LineDict):
        if node.line is not None and path not in lines:
            lines[path] = node.line
        for key, value in node.items():
            lines[(*path, str(key))] = node.lines.get(key, node.line or 0)
            _collect_lines(value, (*path, str(key)), lines)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            _collect_lines(item, (*path, index), lines)


# ---------------------------------------------------------------------------- Excel twin


def _read_excel(path: Path) -> tuple[Any, Locate]:
    """The Excel twin: sheet 单位设置 (项目 | 内容 rows; a repeated 项目 makes a list; 实施方案.标题
    for a nested item) and sheets 乡镇 / 学校 (a header row, one place per row)."""
    from openpyxl import load_workbook

    file = path.name
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        raise InputError([Problem(Location(file), "无法读取该 Excel 文件（应为 .xlsx）")]) from None
    cells: dict[tuple[Any, ...], Location] = {}
    data: dict[str, Any] = {}
    try:
        if SHEET not in workbook.sheetnames:
            raise InputError([Problem(Location(file), f"缺少工作表“{SHEET}”（可运行 kongchuo-docs forms 生成空白表）")])
        for row in workbook[SHEET].iter_rows(max_col=2):
            key_cell, value_cell = (*row, None, None)[:2]
            key = "" if key_cell is None or key_cell.value is None else str(key_cell.value).strip()
            value = None if value_cell is None else _cell_value(value_cell.value)
            if not key or key == "项目":
                continue
            parts = tuple(p.strip() for p in key.split(KEY_SEPARATOR))
            cells.setdefault(parts, Location(file, SHEET, f"B{key_cell.row}", column=key))
            if value is None:
                continue  # left blank: the field's default (a required one is reported at this cell)
            target = data
            for part in parts[:-1]:
                target = target.setdefault(part, {}) if isinstance(target.get(part, {}), dict) else {}
            last = parts[-1]
            if last in target:  # a repeated 项目: one list item per row
                previous = target[last]
                target[last] = [*previous, value] if isinstance(previous, list) else [previous, value]
            else:
                target[last] = value
        for sheet, header in LIST_SHEETS.items():
            if sheet in workbook.sheetnames:
                data[sheet] = _read_list_sheet(workbook[sheet], file, sheet, header, cells)
    finally:
        workbook.close()

    def locate(loc: tuple[Any, ...]) -> Location:
        for end in range(len(loc), 0, -1):
            if loc[:end] in cells:
                return cells[loc[:end]]
        return Location(file, SHEET, column=_label(loc))

    return data, locate


def _read_list_sheet(sheet: Any, file: str, name: str, header: tuple[str, ...],
                     cells: dict[tuple[Any, ...], Location]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    columns: dict[int, str] = {}
    for row in sheet.iter_rows():
        values = [_cell_value(c.value) for c in row]
        if not columns:
            columns = {i: str(v).strip() for i, v in enumerate(values) if v is not None and str(v).strip()}
            continue
        if all(v is None for v in values):
            continue
        index = len(items)
        item: dict[str, Any] = {}
        for i, value in enumerate(values):
            label = columns.get(i)
            if label is None or value is None:
                continue
            item[label] = value
            cells[(name, index, label)] = Location(file, name, row[i].coordinate, column=label)
        cells[(name, index)] = Location(file, name, f"A{row[0].row}")
        items.append(item)
    return items


def _cell_value(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return value.strip() or None
    return value


# ---------------------------------------------------------------------------- messages


_MODELS: dict[str, type[BaseModel]] = {"实施方案": PlanRef, "文号代字": NumberCodes, "通知书": LetterSection,
                                       "乡镇": Township, "学校": School}
_TYPE_MESSAGES = {
    "missing": "必填，不能为空",
    "string_type": "应为文字",
    "list_type": "应为列表（每项一行，以“- ”开头）",
    "tuple_type": "应为列表（每项一行，以“- ”开头）",
    "model_type": "应为“项目: 内容”的键值对",
    "model_attributes_type": "应为“项目: 内容”的键值对",
    "dict_type": "应为“项目: 内容”的键值对",
    "literal_error": "应为日期或“今天”",
}


def _label(loc: tuple[Any, ...]) -> str:
    return "".join(f"[{p + 1}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(loc))


def _known_keys(loc: tuple[Any, ...]) -> list[str]:
    model: type[BaseModel] = _MODELS.get(str(loc[0]), Profile) if len(loc) > 1 else Profile
    return [field.alias or name for name, field in model.model_fields.items()]


def _message(error: Any) -> str:
    kind = error["type"]
    loc = tuple(error["loc"])
    if kind == "extra_forbidden":
        key = str(loc[-1])
        if loc[0] == "通知书" and key in TOP_LEVEL_LETTER_KEYS:
            return f"“{key}”写在单位设置的顶层，不写在“通知书”下"
        if len(loc) == 1 and key in LetterSection.model_fields:
            return f"“{key}”是通知书的设置，写在“通知书”一节下（缩进两格）"
        known = _known_keys(loc)
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.3)
        hint = f"，是不是“{close[0]}”？" if close else ""
        return f"没有这一项{hint}（可用：{'、'.join(known)}）"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    return _TYPE_MESSAGES.get(kind, "格式不对")


# ---------------------------------------------------------------------------- places


def _check_places(profile: Profile, locate: Locate, problems: Problems) -> None:
    """Townships and schools named once each; a school's 乡镇 among the townships; township codes
    under the county's 行政区划代码 (a warning: some counties use their own numbering)."""
    townships = {t.name for t in profile.townships}
    for field, items in (("乡镇", profile.townships), ("学校", profile.schools)):
        seen: set[str] = set()
        for index, item in enumerate(items):
            if item.name in seen:
                problems.error(locate((field, index, "名称")), f"{field}名称重复", item.name)
            seen.add(item.name)
    for index, township in enumerate(profile.townships):
        if township.code and not township.code.startswith(profile.area_code):
            problems.warning(locate(("乡镇", index, "代码")),
                             f"乡镇代码通常以本县行政区划代码 {profile.area_code} 开头", township.code)
    for index, school in enumerate(profile.schools):
        if school.township and townships and school.township not in townships:
            problems.error(locate(("学校", index, "乡镇")), "不在“乡镇”列表中", school.township)

