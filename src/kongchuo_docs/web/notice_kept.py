"""What a loaded draft (or YAML) holds beyond the 写通知 form's plain fields, kept so 预览 and 下载 give
the document ``build DRAFT`` gives (issue 17, web side):

- its 签字栏, its tear-off 回执, the 送达回证 page after it (a list of 印发件 pages), the 联系人/联系电话 of a
  请示:
  YAML in one field of the form (``kept``), written back into the form's YAML as it was;
- a table among the 正文's paragraphs: one line of the 正文 text area, ``[表格：序号|学校 / 1|城关小学]``
  (`TABLE_LINE`: rows separated by " / ", cells by "|"), one 正文 entry in the YAML, so the reader's
  line numbers stay the text area's;
- what neither holds is said when the draft is loaded (`unkept`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from ..readers.notice_keys import BLOCK_KEYS, KEYS, TABLE_KEYS

KEPT_FIELD = "kept"
KEPT_KEYS = ("sign_fields", "receipt", "contact", "phone", "author")  # top-level keys the form has no field for
TABLE_LINE = re.compile(r"\[表格[：:](?P<rows>.*)\]")
_ROW_SPLIT = re.compile(r"\s+/\s+")


def kept_yaml(top: Mapping[str, Any]) -> str:
    """The YAML of the parts of `top` (a 公文 mapping by canonical key) the form cannot show: the keys
    of `KEPT_KEYS`, and 印发件 when it is a list of pages (送达回证 after a letter); "" if none."""
    kept = {KEYS[key][0]: top[key] for key in KEPT_KEYS if top.get(key) not in (None, "", [])}
    if isinstance(top.get("issued"), list):
        kept[KEYS["issued"][0]] = top["issued"]
    if not kept:
        return ""
    return yaml.safe_dump(_plain(kept), allow_unicode=True, sort_keys=False, width=10**6)


def _plain(value: Any) -> Any:
    """`value` as plain YAML data (the draft reader's located dicts and lists as dict and list)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def unkept(mapping: Mapping[str, Any]) -> list[str]:
    """What of a draft's `mapping` neither the form nor `kept_yaml` holds, said for the page: 正文 tables
    with more than a header and rows, and 签字栏 inside a single 印发件 or an 附件."""
    said = []
    items = _value(mapping, "body")
    tables = [i for i in items if isinstance(i, Mapping) and "图片" not in i and table_line(i) is None
              ] if isinstance(items, list) else []  # fmt: skip
    if tables:
        said.append(f"正文中的 {len(tables)} 个表格（有空行、列宽等设置）不能在表单中保留（预览和下载中没有）："
                    "请用命令行 kongchuo-docs build 草稿，或把表格移到附件中")
    issued = _value(mapping, "issued")
    holders = [issued] if isinstance(issued, Mapping) else []
    for holder in (mapping, *holders):
        attachments = _value(holder, "attachments")
        holders += [a for a in attachments if isinstance(a, Mapping)] if isinstance(attachments, list) else []
    if any(_value(h, "sign_fields") for h in holders):
        said.append("印发件或附件中的签字栏不能在表单中保留（预览和下载中没有）：请用命令行 kongchuo-docs build 草稿")
    return said


def table_line(item: Any) -> str | None:
    """A 正文 table (``{表格: {表头: […], 行: [[…]…]}}``) as the text area's line; None for anything else
    (a table with 空行 or 列宽 too)."""
    table = _alias(item, BLOCK_KEYS["table"]) if isinstance(item, Mapping) and len(item) == 1 else None
    if not isinstance(table, Mapping) or not {str(k) for k in table} <= {*TABLE_KEYS["header"], *TABLE_KEYS["rows"]}:
        return None
    header, rows = _alias(table, TABLE_KEYS["header"]), _alias(table, TABLE_KEYS["rows"]) or []
    if not isinstance(header, list) or not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        return None
    return "[表格：" + " / ".join("|".join("" if c is None else str(c) for c in row) for row in [header, *rows]) + "]"


def table_item(line: str) -> dict[str, Any] | None:
    """The 正文 table a text-area line ``[表格：…]`` stands for (the first row its header), else None."""
    found = TABLE_LINE.fullmatch(line.strip())
    if found is None:
        return None
    rows = [[cell.strip() for cell in row.split("|")] for row in _ROW_SPLIT.split(found["rows"].strip())]
    return {"表格": {"表头": rows[0], "行": rows[1:]}}


def _alias(mapping: Mapping[str, Any], aliases: tuple[str, ...]) -> Any:
    return next((mapping[alias] for alias in aliases if alias in mapping), None)


def _value(mapping: Mapping[str, Any], key: str) -> Any:
    """The value of canonical `key` in `mapping` under any of its spellings, None if absent."""
    return _alias(mapping, KEYS[key])
