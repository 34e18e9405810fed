"""The one YAML loader base for every YAML file the program reads, and PyYAML errors in Chinese.

`BoundedLoader` is PyYAML's SafeLoader with an alias budget: while composing, it knows the expanded
size of every node (items plus characters, each alias counted as the whole node it repeats), and the
alias whose expansion would add more than `limits.YAML_ALIAS_EXPANSION` to the document, or that
repeats a node containing itself, stops the load at that alias's line. Composing stays linear in the
file's size (the expanded size of a node is the sum of its children's, computed once), so an alias
bomb is refused in milliseconds. Every loader of the project subclasses it; `safe_load` is the plain
one for files without line bookkeeping.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.composer import ComposerError

from ..errors import Location, Problem
from ..model.limits import YAML_ALIAS_EXPANSION


class BoundedLoader(yaml.SafeLoader):
    """SafeLoader refusing aliases whose expansion passes `YAML_ALIAS_EXPANSION` (see the module)."""

    def __init__(self, stream: Any):
        super().__init__(stream)
        self._sizes: dict[int, int] = {}  # id(node) → expanded size, for every finished node
        self._added = 0  # items and characters added by aliases so far

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            node = super().compose_node(parent, index)
            size = self._sizes.get(id(node))
            if size is None:  # the alias sits inside the node it names
                raise ComposerError(problem=f"别名“*{event.anchor}”引用了包含它自身的内容，请删去这个别名",
                                    problem_mark=event.start_mark)  # fmt: skip
            self._added += size
            if self._added > YAML_ALIAS_EXPANSION:
                raise ComposerError(
                    problem=f"别名“*{event.anchor}”展开后内容过多（别名共展开超过 {YAML_ALIAS_EXPANSION} 个字和项目）："
                    "请不要用 & 和 * 反复引用同一段内容",
                    problem_mark=event.start_mark,
                )
            return node
        node = super().compose_node(parent, index)
        if isinstance(node, yaml.ScalarNode):
            size = 1 + len(node.value)
        elif isinstance(node, yaml.SequenceNode):
            size = 1 + sum(self._sizes[id(item)] for item in node.value)
        else:
            size = 1 + sum(self._sizes[id(key)] + self._sizes[id(value)] for key, value in node.value)
        self._sizes[id(node)] = size
        return node


def safe_load(text: str) -> Any:
    """`yaml.safe_load` with the alias budget (files without line bookkeeping: schemas, settings)."""
    return yaml.load(text, Loader=BoundedLoader)  # a SafeLoader subclass


# PyYAML's problem texts (prefixes) → what to change, in Chinese; PyYAML's English is never shown.
_TAB = "用了制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格"
_INDENT = "缩进不一致：同一层的项目要左端对齐，下一层多缩进两个空格"
YAML_PROBLEMS: tuple[tuple[str, str], ...] = (
    ("found character '\\t'", _TAB),
    ("found a tab character", _TAB),
    ("mapping values are not allowed here", "此处不能出现“: ”：内容中有冒号时请给整段内容加引号，或检查缩进"),
    ("could not find expected ':'", "缺少冒号：项目名和内容之间要写英文冒号和空格（如“标题: ……”）"),
    ("did not find expected key", _INDENT),
    ("expected <block end>", _INDENT),
    ("did not find expected '-' indicator", "列表项（- 开头的行）缩进不一致"),
    ("found unexpected end of stream", "引号没有配对：开头的引号在文件结束前没有闭合"),
    ("found unknown escape character", "双引号内的“\\”无效：请改用单引号，或去掉反斜杠"),
    ("found undefined alias", "“*”不能放在内容开头：请给这段内容加引号"),
    ("found unhashable key", "项目名不能是列表或键值对"),
    ("expected a single document", "文件中只能有一份内容：请删去多余的“---”行"),
    ("found character '@'", "“@”或“`”不能放在内容开头：请给这段内容加引号"),
    ("found character '`'", "“@”或“`”不能放在内容开头：请给这段内容加引号"),
)
_OWN_PROBLEM = re.compile(r"[“\u4e00-\u9fff]")
_YAML_FALLBACK = "请检查这一行和上一行的缩进、冒号和引号"
TAB_PROBLEM = _TAB


def yaml_problem(exc: yaml.YAMLError, file: str) -> Problem:
    """A PyYAML error as a Chinese problem at file:line, the column in the message."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = str(getattr(exc, "problem", None) or "")
    if _OWN_PROBLEM.match(problem):  # raised by our loaders themselves, already Chinese
        return Problem(Location(file, line=mark.line + 1 if mark else None), problem)
    text = next((zh for en, zh in YAML_PROBLEMS if problem.startswith(en)), _YAML_FALLBACK)
    if mark is None:
        return Problem(Location(file), f"YAML 格式错误：{text}")
    return Problem(Location(file, line=mark.line + 1), f"YAML 格式错误：{text}（第 {mark.column + 1} 列）")
