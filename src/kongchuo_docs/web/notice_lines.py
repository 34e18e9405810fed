"""One line of a 写通知 text area for a block that text cannot spell: a table among the paragraphs of a
正文, and the 签字栏 that ends a 正文 (the notice's, its 印发件's, an 附件's):

    [表格 标题=各校到校情况 列宽=1,3,2 空行=5 表头行数=0：序号|学校|人数 / 1|城关小学|320]
    [签字栏 每行=3 日期=是：甲方（盖章）|乙方（盖章）]

Settings are ``键=值`` between the name and the first “：” — any key of the YAML 表格 (`TABLE_KEYS`: 标题,
列宽, 空行, 表头行数) or 签字栏 (`SIGN_FIELD_KEYS`: 每行, 日期); a 标题 holding spaces, “：” or “=” is quoted
「…」; 列宽 numbers are separated by “,”. After the “：”: table rows separated by “ / ”, cells (签字栏 labels)
by “|”. The form writes a line as the YAML mapping the CLI reads and leaves every check to the reader
(an unknown key becomes a key the reader names); a YAML block is shown as a line only when the line
reads back as the same block (`table_line`, `sign_line` give None otherwise).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..readers.notice_keys import BLOCK_KEYS, KEYS, SIGN_FIELD_KEYS, TABLE_KEYS

TABLE, SIGN = "表格", "签字栏"
LINE = re.compile(r"\[(?P<kind>表格|签字栏)(?P<rest>(?:[\s：:].*)?)\]")
_SEPARATOR = re.compile(r"(?P<settings>(?:「[^」]*」|[^：:「])*)[：:](?P<content>.*)")  # the first “：” outside 「」
_ROW_SPLIT = re.compile(r"\s+/\s+")
_NUMBER_SPLIT = re.compile(r"[,，、\s]+")
_SETTING = re.compile(r"(?P<key>[^\s=＝「」]+)(?:\s*[=＝]\s*(?P<value>「[^」]*」|[^\s「」]*))?")
_QUOTED = re.compile(r"[\s：:=＝「]")
_KEYS = {TABLE: TABLE_KEYS, SIGN: SIGN_FIELD_KEYS}
_NUMBERS = {"widths"}  # settings holding a list of numbers
_TABLE_SETTINGS = ("caption", "widths", "blank_rows", "header_rows")  # in the order a line writes them
_DEFAULTS = {"blank_rows": "0", "header_rows": "1"}  # table settings not written when at their default


def is_line(line: str) -> bool:
    """Whether `line` stands for a table or a 签字栏."""
    return LINE.fullmatch(line.strip()) is not None


def line_item(line: str) -> tuple[str, dict[str, Any]] | None:
    """The block a text-area line stands for, as the YAML reader takes it: ``("表格", {表头, 行, …})`` or
    ``("签字栏", {栏目, 每行, …})``; None for any other line."""
    found = LINE.fullmatch(line.strip())
    if found is None:
        return None
    kind, rest = found["kind"], found["rest"]
    colon = _SEPARATOR.match(rest)
    settings, content = (colon["settings"], colon["content"]) if colon else (rest, "")
    data: dict[str, Any] = {}  # a table with no rows: the reader asks for its 表头
    if kind == SIGN:
        data = {"栏目": [label.strip() for label in content.split("|") if label.strip()]}
    elif content.strip():
        header, *rows = [[cell.strip() for cell in row.split("|")] for row in _ROW_SPLIT.split(content.strip())]
        data = {"表头": header, "行": rows}
    names = {spelling: (canon, aliases[0]) for canon, aliases in _KEYS[kind].items() for spelling in aliases}
    for setting in _SETTING.finditer(settings):
        canon, key = names.get(setting["key"], ("", setting["key"]))  # an unknown key: the reader names it
        value = setting["value"]
        if value is None or canon in ("header", "rows", "labels"):
            data[key] = value
        elif canon in _NUMBERS:
            data[key] = [number(n) for n in _NUMBER_SPLIT.split(value.strip(",，、 ")) if n]
        else:
            data[key] = value[1:-1] if value.startswith("「") else number(value)
    return kind, data


def table_line(item: Any) -> str | None:
    """A 正文 entry ``{表格: {…}}`` as its text-area line; None for anything else, and for a table the
    line cannot spell (a cell holding “|” or “ / ”)."""
    table = alias(item, BLOCK_KEYS["table"]) if isinstance(item, Mapping) and len(item) == 1 else None
    plain = _canonical(table, TABLE_KEYS)
    if plain is None or not isinstance(plain.get("header"), list):
        return None
    rows = plain.get("rows") or []
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        return None
    settings = [f"{TABLE_KEYS[canon][0]}={_setting(canon, plain[canon])}" for canon in _TABLE_SETTINGS
                if plain.get(canon) is not None and _text(plain[canon]) != _DEFAULTS.get(canon)]  # fmt: skip
    content = " / ".join("|".join(_text(c) for c in row) for row in [plain["header"], *rows])
    return _checked(f"[表格{''.join(' ' + s for s in settings)}：{content}]", TABLE, plain)


def sign_line(value: Any) -> str | None:
    """A 签字栏 (a list of labels, or ``{栏目, 每行, 日期}``) as its text-area line; None when there is none
    or the line cannot spell it."""
    plain = _canonical(value, SIGN_FIELD_KEYS) if isinstance(value, Mapping) else {"labels": value}
    if plain is None or plain.get("labels") in (None, "", []):
        return None
    labels = plain["labels"] if isinstance(plain["labels"], list) else [plain["labels"]]
    settings = [f"{SIGN_FIELD_KEYS[canon][0]}={_setting(canon, value)}"
                for canon, value in plain.items() if canon != "labels" and value is not None]  # fmt: skip
    line = f"[签字栏{''.join(' ' + s for s in settings)}：{'|'.join(_text(label) for label in labels)}]"
    return _checked(line, SIGN, {**plain, "labels": labels})


def split_sign(text: str) -> tuple[str, dict[str, Any] | None, int]:
    """A text area's text without its last line when that line is a 签字栏, the 签字栏 (None if not),
    and that line's number (1-based)."""
    lines = text.rstrip().split("\n")
    found = line_item(lines[-1])
    if found is None or found[0] != SIGN:
        return text, None, 0
    return "\n".join(lines[:-1]), found[1], len(lines)


def with_sign(text: str, holder: Mapping[str, Any]) -> str:
    """A text area's `text` with the 签字栏 of `holder` (a 公文, 印发件 or 附件 mapping) as its last line."""
    line = sign_line(alias(holder, KEYS["sign_fields"]))
    return "\n".join(t for t in (text.rstrip("\n"), line) if t) if line else text


def _checked(line: str, kind: str, plain: dict[str, Any]) -> str | None:
    """`line` when it reads back as `plain` (cells and labels compared stripped, numbers as written)."""
    found = line_item(line)
    back = _canonical(found[1], _KEYS[kind]) if found and found[0] == kind else None
    return line if back is not None and _same(back, plain) else None


def _same(back: dict[str, Any], plain: dict[str, Any]) -> bool:
    def norm(data: dict[str, Any]) -> dict[str, Any]:
        return {k: _text(v) for k, v in data.items() if v not in (None, []) and _text(v) != _DEFAULTS.get(k)}

    return norm(back) == norm(plain)


def _setting(canon: str, value: Any) -> str:
    if canon in _NUMBERS and isinstance(value, list):
        return ",".join(_text(v) for v in value)
    text = _text(value)
    return f"「{text}」" if canon == "caption" and (not text or _QUOTED.search(text)) else text


def _text(value: Any) -> Any:
    """A value as the line writes it: a scalar as text (None as ""; True/False as 是/否), a list item by item."""
    if isinstance(value, list):
        return [_text(v) for v in value]
    if isinstance(value, bool):
        return "是" if value else "否"
    return "" if value is None else str(value).strip()


def number(text: str) -> int | float | str:
    """A number as typed in the form (the text itself when it is none: the reader names it)."""
    text = text.strip()
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def _canonical(data: Any, keys: dict[str, tuple[str, ...]]) -> dict[str, Any] | None:
    """`data` by canonical key; None when it is no mapping or holds a key outside `keys`."""
    if not isinstance(data, Mapping):
        return None
    lookup = {spelling: canon for canon, aliases in keys.items() for spelling in aliases}
    if any(str(k) not in lookup for k in data):
        return None
    return {lookup[str(k)]: v for k, v in data.items()}


def alias(mapping: Mapping[str, Any], aliases: tuple[str, ...]) -> Any:
    """The value in `mapping` under the first of `aliases` it holds, None if none."""
    return next((mapping[spelling] for spelling in aliases if spelling in mapping), None)
