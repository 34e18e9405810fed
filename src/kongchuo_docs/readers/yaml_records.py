"""Read a hand-written YAML record against a form schema, the same way `readers.table` reads Excel.

A YAML input of a form (责任书名单, 自查表, 检查发现问题) uses the form's Chinese labels as keys
(``乙方: 某某县实验小学``); labels are matched with their synonyms and each value is cleaned by
`readers.cleaning.clean_value`, so a percent, a date or a count means the same in YAML and in a
workbook. Problems are located by line: ``名单.yaml:12 巩固率目标: …``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, Location, Problem, Problems
from ..support.yaml_load import TAB_PROBLEM, BoundedLoader, yaml_problem
from .cleaning import CellError, clean_value, display, is_blank
from .glyphs import check_glyphs
from .schema import Schema, normalize_header
from .table import LocatedValues

YAML_SUFFIXES = (".yaml", ".yml")  # a form given as YAML instead of a workbook


class LineDict(dict):
    """A YAML mapping that remembers the line (1-based) of each key in `lines`."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lines: dict[Any, int] = {}
        self.line: int | None = None


class _LineLoader(BoundedLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:  # type: ignore[override]
        mapping = LineDict(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in mapping.lines:  # YAML keeps the last value silently: a clerk's copy-paste slip
                raise yaml.constructor.ConstructorError(
                    problem=f"“{key}”重复（第 {mapping.lines[key]} 行和第 {line} 行），请只保留一处",
                    problem_mark=key_node.start_mark,
                )
            mapping.lines[key] = line
        return mapping

    def construct_yaml_str(self, node: yaml.ScalarNode) -> str:  # type: ignore[override]
        value = super().construct_yaml_str(node)
        bad = _CONTROL.search(value)
        if bad:  # written as an escape ("\0", "\x07"): not allowed in DOCX/XLSX text
            raise yaml.constructor.ConstructorError(
                problem=f"含有不允许的控制字符 U+{ord(bad.group()):04X}，请删除", problem_mark=node.start_mark
            )
        return value


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_LineLoader.add_constructor("tag:yaml.org,2002:str", _LineLoader.construct_yaml_str)  # type: ignore[arg-type]
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _LineLoader.construct_mapping,  # type: ignore[arg-type]
)

def _tab_indents(text: str, file: str) -> list[Problem]:
    """A problem per line indented with a tab (PyYAML would stop at the first with an English message)."""
    return [
        Problem(Location(file, line=number), TAB_PROBLEM)
        for number, line in enumerate(text.splitlines(), start=1)
        if "\t" in line[: len(line) - len(line.lstrip(" \t"))]
    ]


class TextLoader(_LineLoader):
    """`_LineLoader` reading numbers and dates as text: 0591-2683 stays a phone number, 8:00 a time
    (YAML 1.1 would make it 480), and 2026-02-30 reaches the reader (to be reported) instead of failing."""


TextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in _LineLoader.yaml_implicit_resolvers.items()
}


def load_yaml(path: Path, loader: type[BoundedLoader] = _LineLoader) -> LineDict:
    """Load a YAML file whose top level is a mapping; InputError (Chinese, with line) otherwise.
    `loader` is `_LineLoader` or `TextLoader` (no numbers or dates).

    Tab indentation (every such line), a key written twice in one mapping (naming both lines),
    control characters and syntax errors are reported in Chinese at their line.
    """
    file = Path(path).name
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError([Problem(Location(file), f"无法读取文件：{exc.strerror}")]) from None
    except UnicodeDecodeError:
        raise InputError([Problem(Location(file), "文件不是 UTF-8 编码")]) from None
    tabs = _tab_indents(text, file)
    if tabs:
        raise InputError(tabs)
    try:
        data = yaml.load(text, Loader=loader)  # a BoundedLoader (SafeLoader) subclass
    except yaml.reader.ReaderError as exc:  # a control character: the reader knows only its offset
        line = text.count("\n", 0, exc.position) + 1
        where = Location(file, line=line)
        raise InputError([Problem(where, f"含有不允许的控制字符 U+{exc.character:04X}，请删除")]) from None
    except yaml.YAMLError as exc:
        raise InputError([yaml_problem(exc, file)]) from None
    except RecursionError:
        raise InputError([Problem(Location(file), "YAML 嵌套层级过深，无法读取")]) from None
    if not isinstance(data, LineDict):
        raise InputError([Problem(Location(file), "YAML 顶层应为“项目: 内容”的键值对")])
    return data


@dataclass
class Record:
    """One record read from YAML: clean values by schema key, and where each was written."""

    values: dict[str, Any]
    locations: dict[str, Location]
    where: Location  # the record as a whole (its first line)

    def location(self, key: str) -> Location:
        return self.locations.get(key, self.where)


def read_record(
    data: Mapping[Any, Any],
    schema: Schema,
    file: str,
    problems: Problems,
    *,
    defaults: Mapping[str, Any] | None = None,
    ignore: tuple[str, ...] = (),
) -> Record:
    """Clean one mapping against `schema`: labels → keys, values cleaned, required checked.

    `defaults` holds raw values by label (e.g. a list's top-level 学年度) used where the mapping has
    none; labels in `ignore` are skipped; any other label the schema does not know is an error.
    """
    lookup = schema.header_lookup()
    lines = getattr(data, "lines", {})
    where = Location(file, line=getattr(data, "line", None))
    raw: dict[str, tuple[Any, Location]] = {}
    for source in (defaults or {}, data):
        source_lines = getattr(source, "lines", lines)
        for label, value in source.items():
            if str(label) in ignore:
                continue
            col = lookup.get(normalize_header(label))
            loc = Location(file, line=source_lines.get(label), column=str(label))
            if col is None:
                problems.error(loc, f"{schema.name}中没有这一栏目{_did_you_mean(label, lookup)}")
                continue
            raw[col.key] = (value, Location(file, line=source_lines.get(label), column=col.header))
    values: dict[str, Any] = {}
    locations: dict[str, Location] = {}
    for col in schema.columns:
        value, loc = raw.get(col.key, (None, Location(file, line=where.line, column=col.header)))
        locations[col.key] = loc
        values[col.key] = None
        if is_blank(value):
            if col.required:
                problems.error(loc, "必填，不能为空")
            continue
        try:
            values[col.key] = clean_value(col, value)
        except CellError as exc:
            problems.error(loc, str(exc), display(value))
    check_glyphs(((v, locations[k]) for k, v in values.items() if isinstance(v, str)), problems)
    return Record(values, locations, where)


def _did_you_mean(label: Any, lookup: Mapping[str, Any]) -> str:
    """"，是不是“X”？" for the schema label closest to a mistyped one ("" when none is close)."""
    close = difflib.get_close_matches(normalize_header(label), list(lookup), n=1, cutoff=0.6)
    return f"，是不是“{lookup[close[0]].header}”？" if close else ""


def read_records(
    items: list[Any],
    schema: Schema,
    file: str,
    problems: Problems,
    *,
    not_a_mapping: tuple[Location, str],
    defaults: Mapping[str, Any] | None = None,
    ignore: tuple[str, ...] = (),
) -> list[LocatedValues]:
    """`read_record` for each item of a YAML list; an item that is not a mapping is reported as
    `not_a_mapping` (where, message). The YAML twin of `readers.table.Table.located_rows`."""
    rows: list[LocatedValues] = []
    for item in items:
        if not isinstance(item, Mapping):
            problems.error(*not_a_mapping)
            continue
        record = read_record(item, schema, file, problems, defaults=defaults, ignore=ignore)
        rows.append((record.values, record.location))
    return rows
