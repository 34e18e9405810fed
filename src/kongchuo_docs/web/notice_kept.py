"""What a loaded draft (or YAML) holds beyond the 写通知 form's fields and lines, kept so 预览 and 下载
give the document ``build DRAFT`` gives (issue 17, web side):

- its tear-off 回执, the 送达回证 page after it (a list of 印发件 pages), the 联系人/联系电话 of a 请示
  (and a main 签字栏 no line can spell): YAML in one field of the form (``kept``), written back into the
  form's YAML as it was;
- tables and 签字栏 are lines of the text areas (`notice_lines`);
- what neither holds is said when the draft or YAML is loaded (`unkept`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from ..readers.notice_keys import BLOCK_KEYS, KEYS
from .notice_lines import alias, sign_line, table_line

KEPT_FIELD = "kept"
KEPT_KEYS = ("receipt", "contact", "phone", "author")  # top-level keys the form has no field for


def kept_yaml(top: Mapping[str, Any]) -> str:
    """The YAML of the parts of `top` (a 公文 mapping by canonical key) the form cannot show: the keys
    of `KEPT_KEYS`, a 签字栏 its line cannot spell, and 印发件 when it is a list of pages (送达回证 after a
    letter); "" if none."""
    kept = {KEYS[key][0]: top[key] for key in KEPT_KEYS if top.get(key) not in (None, "", [])}
    if top.get("sign_fields") not in (None, "", []) and sign_line(top["sign_fields"]) is None:
        kept[KEYS["sign_fields"][0]] = top["sign_fields"]
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
    """What of a loaded `mapping` neither the form nor `kept_yaml` holds, said for the page: 正文 tables
    and 签字栏 of the 印发件 or an 附件 that no line can spell (a cell holding “|” or “ / ”)."""
    issued = _value(mapping, "issued")
    holders = [issued] if isinstance(issued, Mapping) else []
    attachments = [a for h in (mapping, *holders) if isinstance(atts := _value(h, "attachments"), list)
                   for a in atts if isinstance(a, Mapping)]  # fmt: skip
    said = []
    bodies = [_value(h, "body") for h in (mapping, *holders, *attachments)]
    items = [item for body in bodies if isinstance(body, list) for item in body if isinstance(item, Mapping)]
    tables = [item for item in items if alias(item, BLOCK_KEYS["table"]) is not None and table_line(item) is None]
    if tables:
        said.append(f"正文中的 {len(tables)} 个表格不能写成正文框中的一行（单元格中有“|”或“ / ”），表单中没有它们"
                    "（预览和下载中也没有）：请改写这些单元格，或用命令行 kongchuo-docs build")
    signs = [s for h in (*holders, *attachments) if (s := _value(h, "sign_fields")) not in (None, "", [])]
    if any(sign_line(s) is None for s in signs):
        said.append("印发件或附件中的签字栏不能写成一行（栏目中有“|”），表单中没有它（预览和下载中也没有）："
                    "请用命令行 kongchuo-docs build")
    return said


def _value(mapping: Mapping[str, Any], key: str) -> Any:
    """The value of canonical `key` in `mapping` under any of its spellings, None if absent."""
    return alias(mapping, KEYS[key])
