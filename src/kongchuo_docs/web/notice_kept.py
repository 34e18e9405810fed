"""What a loaded draft (or YAML) holds that the 写通知 form has no fields for — its 签字栏, the
送达回证/回执 pages after it (a list of 印发件 pages), the 联系人/联系电话 of a 请示 — kept as YAML in
one field of the form (``kept``) and written back into the form's YAML as it was, so 预览 and 下载
give the document ``build DRAFT`` gives (issue 17, web side).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from ..readers.notice_keys import KEYS

KEPT_FIELD = "kept"
KEPT_KEYS = ("sign_fields", "contact", "phone", "author")  # top-level keys the form has no field for


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
    """What of a draft's `mapping` neither the form nor `kept_yaml` holds, said for the page: tables in
    the 正文, and 签字栏 inside a single 印发件 or an 附件."""
    said = []
    items = _value(mapping, "body")
    tables = [i for i in items if isinstance(i, Mapping) and "图片" not in i] if isinstance(items, list) else []
    if tables:
        said.append(f"正文中的 {len(tables)} 个表格不能在表单中保留（预览和下载中没有）："
                    "请用命令行 kongchuo-docs build 草稿，或把表格移到附件中")
    issued = _value(mapping, "issued")
    holders = [issued] if isinstance(issued, Mapping) else []
    for holder in (mapping, *holders):
        attachments = _value(holder, "attachments")
        holders += [a for a in attachments if isinstance(a, Mapping)] if isinstance(attachments, list) else []
    if any(_value(h, "sign_fields") for h in holders):
        said.append("印发件或附件中的签字栏不能在表单中保留（预览和下载中没有）：请用命令行 kongchuo-docs build 草稿")
    return said


def _value(mapping: Mapping[str, Any], key: str) -> Any:
    """The value of canonical `key` in `mapping` under any of its spellings, None if absent."""
    return next((mapping[alias] for alias in KEYS[key] if alias in mapping), None)
