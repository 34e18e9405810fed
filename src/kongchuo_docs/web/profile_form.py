"""The 单位设置 page's form ↔ the profile YAML (`kongchuo_docs.profile`): one field per 项目 of the
commented blank profile (`profile.init.blank_rows`, the rows the Excel twin lists too), and the
YAML written back as that blank with the values filled in, so its comments stay for a clerk who
opens the file. Checking is `load_profile`'s own, on the written text, before it replaces the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from ..profile.init import blank_profile_path, blank_rows
from ..profile.load import KEY_SEPARATOR

LISTS = ("乡镇", "学校")  # top-level lists of mappings: one per line in a text area
SCHOOL_PARTS = ("名称", "乡镇", "代码")  # a 学校 line: 名称, then optionally 乡镇 and 代码
TOWNSHIP_PARTS = ("名称", "代码")
_ENTRY = re.compile(r"(?P<indent> *)(?P<key>[^\s#:\-][^:#]*):(?P<value>[^#]*?)\s*(?:#\s*(?P<note>.*))?")
_ITEM = re.compile(r" +- ")
_SPLIT = re.compile(r"[,，、\t ]+")


@dataclass(frozen=True)
class Field:
    key: str  # 实施方案.标题
    note: str
    is_list: bool  # one item a line

    @property
    def label(self) -> str:
        return self.key.replace(KEY_SEPARATOR, " · ")

    @property
    def required(self) -> bool:
        return self.note.startswith("必填")

    @property
    def yes_no(self) -> bool:
        """A 是/否 项目 (its note starts with what 是 means)."""
        return self.note.startswith("是：")


@dataclass(frozen=True)
class Section:
    """A headed group of the page: a ``# ---- 标题：说明`` part of the blank profile."""

    title: str
    hint: str
    fields: tuple[Field, ...]
    lists: tuple[str, ...]  # of `LISTS`, shown as text areas of their own


_SECTION = re.compile(r"# ----\s*(?P<title>[^：；，]+)[：；，]?(?P<hint>.*)")


def sections() -> list[Section]:
    """The profile's own sections, in the blank's order, each with its 项目."""
    by_top = {f.key.split(KEY_SEPARATOR)[0]: [] for f in fields()}
    for f in fields():
        by_top[f.key.split(KEY_SEPARATOR)[0]].append(f)
    found: list[Section] = []
    title, hint, tops = "", "", []  # the section being read and its top-level keys
    for line in [*blank_profile_path().read_text(encoding="utf-8").splitlines(), "# ---- 完"]:
        head = _SECTION.fullmatch(line.strip())
        if head:
            section = Section(title.replace("（必填）", ""), hint.strip(),
                              tuple(f for t in tops for f in by_top.get(t, [])), tuple(t for t in tops if t in LISTS))
            if section.fields or section.lists:
                found.append(section)
            title, hint, tops = head["title"].strip(), head["hint"], []
            continue
        entry = _ENTRY.fullmatch(line)
        if entry and not entry["indent"] and not line.startswith("#"):
            tops.append(entry["key"].strip())
    return found


def fields() -> list[Field]:
    """The profile's 项目 in the blank's order (a list 项目 once)."""
    found: dict[str, Field] = {}
    counts: dict[str, int] = {}
    for row in blank_rows():
        counts[row.key] = counts.get(row.key, 0) + 1
        found.setdefault(row.key, Field(row.key, row.note, False))
    return [Field(f.key, f.note, counts[f.key] > 1) for f in found.values()]


def values_of(data: Mapping[str, Any]) -> dict[str, str]:
    """A profile mapping as the form shows it (lists one item a line)."""
    values = {}
    for field in fields():
        node: Any = data
        for part in field.key.split(KEY_SEPARATOR):
            node = node.get(part) if isinstance(node, Mapping) else None
        values[field.key] = _shown(node)
    for key in LISTS:
        items = data.get(key) or []
        parts = SCHOOL_PARTS if key == "学校" else TOWNSHIP_PARTS
        values[key] = "\n".join(
            "，".join(str(item.get(p) or "") for p in parts).rstrip("，") if isinstance(item, Mapping) else str(item)
            for item in items
        )
    return values


def to_yaml(values: Mapping[str, str]) -> str:
    """The blank profile with `values` filled in (comments kept)."""
    known = {f.key: f for f in fields()}
    out: list[str] = []
    section = ""
    skipping = False  # the blank's own items of a list being replaced
    for line in blank_profile_path().read_text(encoding="utf-8").splitlines():
        if skipping and _ITEM.match(line):
            continue
        skipping = False
        entry = _ENTRY.fullmatch(line)
        if entry is None or line.lstrip().startswith("#"):
            out.append(line)
            continue
        key, indent, note = entry["key"].strip(), entry["indent"], entry["note"]
        if not indent:
            section = key if entry["value"].strip() == "" else ""
        full = f"{section}{KEY_SEPARATOR}{key}" if indent else key
        comment = f"  # {note}" if note else ""
        if key in LISTS and not indent:
            out += _list_lines(key, values.get(key, ""), comment)
        elif full in known and known[full].is_list:
            items = [t.strip() for t in values.get(full, "").splitlines() if t.strip()]
            out.append(f"{indent}{key}:{' []' if not items else ''}{comment}")
            out += [f"{indent}  - {_scalar(item)}" for item in items]
            skipping = True
        elif full in known:
            out.append(f"{indent}{key}: {_scalar(values.get(full, '').strip())}{comment}")
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def _list_lines(key: str, text: str, comment: str) -> list[str]:
    parts = SCHOOL_PARTS if key == "学校" else TOWNSHIP_PARTS
    lines = [f"{key}:{comment}" if text.strip() else f"{key}: []{comment}"]
    for raw in text.splitlines():
        cells = [c for c in _SPLIT.split(raw.strip()) if c]
        if cells:
            item = dict(zip(parts, cells, strict=False))
            flow = yaml.safe_dump(item, allow_unicode=True, default_flow_style=True, width=10**6)
            lines.append(f"  - {flow.strip()}")
    return lines


def _scalar(text: str) -> str:
    """A value as YAML text that reads back as this exact string."""
    return yaml.safe_dump(text, allow_unicode=True, default_style='"', width=10**6).strip()


def _shown(node: Any) -> str:
    if node is None:
        return ""
    if isinstance(node, list):
        return "\n".join(_shown(item) for item in node)
    if isinstance(node, bool):
        return "是" if node else "否"
    return str(node)
