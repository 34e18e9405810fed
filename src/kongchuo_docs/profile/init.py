"""``kongchuo-docs init``: write a blank, fully commented 单位设置.yaml for a new county."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..files.output import OutputSet
from ..files.resources import template_path
from .load import KEY_SEPARATOR
from .model import PROFILE_NAME

KIND = "profile"


def blank_profile_path() -> Path:
    """The commented blank profile shipped in templates/profile/."""
    return template_path("profile", PROFILE_NAME)


def init_profile(folder: Path, *, force: bool = False) -> list[str]:
    """Write ``folder/单位设置.yaml`` (refused when it exists unless `force`); return the paths written."""
    with OutputSet(folder, force=force) as out:
        out.copy_in(blank_profile_path(), PROFILE_NAME)
        out.record(PROFILE_NAME, kind=KIND, title="单位设置（待填写）")
    return out.written


@dataclass(frozen=True)
class BlankRow:
    """One 项目 of the blank profile as the Excel twin lists it: key (实施方案.标题 when nested),
    the blank's value (a list item gives one row each) and its explanation."""

    key: str
    value: str
    note: str

    @property
    def required(self) -> bool:
        return self.note.startswith("必填")


_ENTRY = re.compile(r"(?P<indent> *)(?P<key>[^\s#:\-][^:#]*):\s*(?P<value>[^#]*?)\s*(?:#\s*(?P<note>.*))?")
_ITEM = re.compile(r" +- (?P<value>[^#{]*?)\s*(?:#.*)?")


def blank_rows() -> list[BlankRow]:
    """The 项目 of the blank profile in order, with their comments (乡镇/学校 have sheets of their own)."""
    rows: list[BlankRow] = []
    section = list_key = ""
    for line in blank_profile_path().read_text(encoding="utf-8").splitlines():
        item = _ITEM.fullmatch(line)
        if item and list_key:
            rows.append(BlankRow(list_key, item["value"], ""))
            continue
        entry = _ENTRY.fullmatch(line)
        if entry is None:
            continue
        key, raw, note = entry["key"].strip(), entry["value"], entry["note"] or ""
        list_key = ""
        if not entry["indent"]:
            section = key if raw == "" else ""
            if raw in ("", "[]"):
                continue  # a section header, or 乡镇/学校
        full = f"{section}{KEY_SEPARATOR}{key}" if entry["indent"] else key
        if raw == "":
            list_key = full  # a list: its items follow
        rows.append(BlankRow(full, raw.strip('"'), note))
    return _merge_list_notes(rows)


def _merge_list_notes(rows: list[BlankRow]) -> list[BlankRow]:
    """A list's note row followed by its items: the note goes on the first item."""
    merged: list[BlankRow] = []
    for row in rows:
        if merged and merged[-1].key == row.key and merged[-1].value == "" and merged[-1].note:
            merged[-1] = BlankRow(row.key, row.value, merged[-1].note)
        else:
            merged.append(row)
    return merged
