"""The 写通知 form ↔ the 公文 YAML the CLI reads (`readers.notice_yaml`): the page never checks a
field itself — it writes the YAML, lets the reader check it, and puts each problem back next to
the field whose YAML lines it names.

Form fields are named by the reader's canonical keys (``title``, ``doc_number``…); attachments are
``att-N-title``, ``att-N-body``, ``att-N-header``, ``att-N-rows`` (one row a line, cells separated by
tabs as pasted from Excel, or by “|”), ``att-N-caption``, ``att-N-blank``, ``att-N-widths``,
``att-N-header_rows`` (its 表格), ``att-N-after`` (表后说明), ``att-N-landscape`` and ``att-N-separate``
(checkboxes: 横排, 另行发送). A picture of an uploaded
draft stands in the 正文 as a line ``[图片：图片1.png，宽度 80 毫米]`` (`IMAGE_LINE`), a table as a line
``[表格 空行=5：…]`` and the 签字栏 ending a 正文 (the notice's, the 印发件's, an 附件's) as its last line
``[签字栏：…]`` (`notice_lines`); such a 正文 is written as a list, one YAML line per text line (the 签字栏
on the line after it), so the reader's line numbers stay the text area's. A draft's parts with no field
are kept as YAML in the field ``kept`` (`notice_kept`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem
from ..readers.notice_keys import ATTACHMENT_KEYS, COLOPHON_KEYS, ISSUED_KEYS, KEYS, TABLE_KEYS, TRUE
from .notice_kept import KEPT_FIELD, kept_yaml
from .notice_lines import SIGN, is_line, line_item, number, split_sign, table_line, with_sign

TEXT_FIELDS = ("format", "issuers", "mark_suffix", "doc_number", "signers", "copy_number", "secrecy", "urgency",
               "title", "recipients", "body", "attachment_notes", "signatures", "signature_note", "date", "note",
               "issued_title", "issued_body", "cc", "printer", "print_date", KEPT_FIELD)  # fmt: skip
LABELS = {
    "format": "格式", "issuers": "发文机关", "doc_number": "发文字号", "signers": "签发人", "copy_number": "份号",
    "secrecy": "密级和保密期限", "urgency": "紧急程度", "mark_suffix": "标志后缀", "title": "标题",
    "recipients": "主送",
    "body": "正文", "attachment_notes": "附件说明", "signatures": "署名", "signature_note": "署名备注", "seal": "盖章",
    "date": "成文日期", "note": "附注", "issued_title": "印发件标题", "issued_body": "印发件正文", "cc": "抄送",
    "printer": "印发机关", "print_date": "印发日期", KEPT_FIELD: "表单以外的部分",
}  # fmt: skip
ATTACHMENT_FIELDS = ("title", "body", "caption", "header", "rows", "blank", "widths", "header_rows", "after",
                     "landscape", "separate")  # the last two: checkboxes ("1" when ticked)
_CELL_SPLIT = re.compile(r"\t|\s*\|\s*")
_ITEM_SPLIT = re.compile(r"[\n、]")
IMAGE_FOLDER = "图片"  # next to the form's YAML: where the page puts the session's pictures
IMAGE_LINE = re.compile(r"\[图片[：:]\s*(?P<name>[^\]\s，,/\\]+)"
                        r"(?:\s*[，,]?\s*宽度\s*(?P<width>[\d.]+)\s*(?:毫米|mm)?)?\]")


@dataclass
class NoticeForm:
    """The form's values (strings, as typed) and its attachments."""

    values: dict[str, str] = field(default_factory=dict)
    seal: bool = False
    attachments: list[dict[str, str]] = field(default_factory=list)

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    @classmethod
    def from_post(cls, form: Mapping[str, Any]) -> NoticeForm:
        values = {name: str(form.get(name, "")).replace("\r\n", "\n") for name in TEXT_FIELDS}
        attachments = []
        for n in range(_attachment_count(form)):
            att = {k: str(form.get(f"att-{n}-{k}", "")).replace("\r\n", "\n") for k in ATTACHMENT_FIELDS}
            if any(v.strip() for v in att.values()):
                attachments.append(att)
        return cls(values, seal=str(form.get("seal", "")) in ("1", "on", "是"), attachments=attachments)

    @classmethod
    def from_yaml(cls, data: Mapping[str, Any]) -> NoticeForm:
        """Fill the form from a 公文 YAML mapping (any accepted key spelling)."""
        top = _canonical(data, KEYS)
        values = {name: _text(top.get(name)) for name in TEXT_FIELDS if name in top}
        if kept := kept_yaml(top):  # 回执, 送达回证 pages…: kept as they are
            values[KEPT_FIELD] = kept
        values["body"] = with_sign(_area(top.get("body")), top)
        issued = _canonical(top.get("issued"), ISSUED_KEYS)
        holder = issued if issued else top
        if issued:
            values["issued_title"] = _text(issued.get("title"))
            values["issued_body"] = with_sign(_area(issued.get("body")), issued)
            values["attachment_notes"] = _text(issued.get("attachment_notes"))
        colophon = _canonical(top.get("colophon"), COLOPHON_KEYS)
        for name in ("cc", "printer", "print_date"):
            if name in colophon:
                values[name] = _text(colophon[name])
        attachments = []
        for item in holder.get("attachments") or []:
            att = _canonical(item, ATTACHMENT_KEYS)
            body, table_data = att.get("body"), att.get("table")
            last = _canonical(body[-1], ATTACHMENT_KEYS) if isinstance(body, list) and body else {}
            if table_data is None and "table" in last:  # a draft's 附件 ending in its table: the table's fields
                body, table_data = body[:-1], last["table"]
            table = _canonical(table_data, TABLE_KEYS)
            attachments.append({
                "title": _text(att.get("title")),
                "body": with_sign(_area(body), att),
                "header": "\t".join(str(c) for c in table.get("header") or []),
                "rows": "\n".join("\t".join("" if c is None else str(c) for c in row)
                                  for row in table.get("rows") or [] if isinstance(row, list)),
                "blank": _text(table.get("blank_rows")),
                "widths": " ".join(str(w) for w in table.get("widths") or []),
                "caption": _text(table.get("caption")),
                "header_rows": _text(table.get("header_rows")),
                "after": _text(att.get("after")),
                "landscape": "1" if _yes(att.get("landscape")) else "",
                "separate": "1" if _yes(att.get("separate")) else "",
            })  # fmt: skip
        return cls(values, seal=_yes(top.get("seal")), attachments=attachments)

    def without_image(self, name: str) -> NoticeForm:
        """The form with the 正文 lines that place picture `name` taken out."""
        lines = self.get("body").split("\n")
        kept = [line for line in lines if (m := IMAGE_LINE.fullmatch(line.strip())) is None or m["name"] != name]
        return NoticeForm({**self.values, "body": "\n".join(kept)}, seal=self.seal, attachments=self.attachments)

    def to_yaml(self) -> tuple[str, Spans]:
        """The YAML text the CLI would read, and where each field is: the lines (first, last;
        1-based) each field fills, and the field of each YAML key (a field left empty has no lines)."""
        writer = _Writer()
        v = self.values
        writer.put("format", "格式", v.get("format") or "文件")
        writer.put("issuers", "发文机关", _items(v.get("issuers", "")))
        for name, key in (("mark_suffix", "标志后缀"), ("copy_number", "份号"), ("secrecy", "密级"),
                          ("urgency", "紧急程度"), ("doc_number", "发文字号")):  # fmt: skip
            writer.put(name, key, v.get(name))
        writer.put("signers", "签发人", _items(v.get("signers", "")))
        for name, key in (("title", "标题"), ("recipients", "主送")):
            writer.put(name, key, v.get(name))
        writer.area("body", v.get("body", ""))
        issued = bool(v.get("issued_title", "").strip() or v.get("issued_body", "").strip())
        if not issued:
            self._attachments(writer, 0)
        writer.put("signatures", "署名", _items(v.get("signatures", "")))
        writer.put("signature_note", "署名备注", v.get("signature_note"))
        writer.put("seal", "盖章", "是" if self.seal else None)
        writer.put("date", "成文日期", v.get("date"))
        writer.put("note", "附注", v.get("note"))
        if issued:
            writer.open("印发件")
            writer.put("issued_title", "标题", v.get("issued_title"), indent=1)
            writer.area("issued_body", v.get("issued_body", ""), indent=1)
            self._attachments(writer, 1)
        if v.get(KEPT_FIELD, "").strip():
            writer.verbatim(KEPT_FIELD, v[KEPT_FIELD])
        if any(v.get(n, "").strip() for n in ("cc", "printer", "print_date")):
            writer.open("版记")
            writer.put("cc", "抄送", _items(v.get("cc", ""), _ITEM_SPLIT), indent=1)
            writer.put("printer", "印发机关", v.get("printer"), indent=1)
            writer.put("print_date", "印发日期", v.get("print_date"), indent=1)
        return writer.text(), Spans(writer.spans, writer.fields)

    def _attachments(self, writer: _Writer, indent: int) -> None:
        writer.put("attachment_notes", "附件说明", _items(self.values.get("attachment_notes", "")), indent=indent)
        if not self.attachments:
            return
        writer.open("附件", indent)
        for n, typed in enumerate(self.attachments):
            att = {key: typed.get(key, "") for key in ATTACHMENT_FIELDS}  # a draft kept before a field was added
            text, sign, _ = split_sign(att["body"].strip("\n"))
            item: dict[str, Any] = {"标题": att["title"].strip() or None, "正文": _value(_body(text))}
            table: dict[str, Any] = {"标题": att["caption"].strip()} if att["caption"].strip() else {}
            if att["header"].strip():
                table["表头"] = _cells(att["header"])
            rows = [_cells(line) for line in att["rows"].splitlines() if line.strip()]
            if rows:
                table["行"] = rows
            if att["blank"].strip():
                table["空行"] = number(att["blank"])
            if att["widths"].strip():
                table["列宽"] = [number(w) for w in att["widths"].replace("，", " ").replace(",", " ").split()]
            if att["header_rows"].strip():
                table["表头行数"] = number(att["header_rows"])
            if table:
                item["表格"] = table
            item["表后说明"] = _block(att["after"])
            if sign is not None:
                item["签字栏"] = _Flow(sign)
            for key, name in (("横排", "landscape"), ("另行发送", "separate")):
                item[key] = "是" if att[name] else None
            writer.item(f"att-{n}", {k: val for k, val in item.items() if val not in (None, "")}, indent + 1)


@dataclass
class Spans:
    """Where the form's fields are in its YAML (see `NoticeForm.to_yaml`)."""

    lines: dict[str, tuple[int, int]]
    fields: dict[str, str]

    def field_of(self, problem: Problem) -> str:
        """The field a problem is about: the one its column (YAML key) names when it is a top-level
        field (a missing 发文机关 is the 发文机关 field's, not line 1's), else the one whose lines
        hold its line; ``_form`` when neither."""
        named = self.fields.get(problem.location.column or "")
        line = problem.location.line
        if named and (named not in self.lines or line is None or _within(line, self.lines[named])):
            return named
        return next((n for n, span in self.lines.items() if line is not None and _within(line, span)), "_form")


def _within(line: int, span: tuple[int, int]) -> bool:
    return span[0] <= line <= span[1]


def field_problems(problems: list[Problem], where: Spans) -> dict[str, list[str]]:
    """Each problem's message under its field (`Spans.field_of`); a line inside a text area is
    named as its line there, and a message's own mention of the YAML line (「请把第 6 行的 , 改为
    全角」) as the line it is about (「这一行」): the clerk sees her field, not the YAML."""
    found: dict[str, list[str]] = {}
    spans = where.lines
    for p in problems:
        line = p.location.line
        name = where.field_of(p)
        text = p.message + (f"（{p.value}）" if p.value else "")
        first, last = spans.get(name, (0, 0))
        if name != "_form" and line is not None:
            text = text.replace(f"第 {line} 行", "这一行")
        key = p.location.column or ""
        if key and key not in where.fields and key not in text:  # a key of a line's block the message leaves out
            text = f"{key}：{text}"
        if name in ("body", "issued_body", "attachment_notes") and last > first and line is not None:
            text = f"第 {line - first} 行：{text}"
        if p.severity == "warning":
            text = f"提示：{text}"
        found.setdefault(name, []).append(text)
    return found


def _image_line(item: Any) -> str | None:
    """A 正文 picture (``{图片: …, 宽度: …}``) as the text area's line; None for anything else."""
    if not isinstance(item, Mapping) or "图片" not in item:
        return None
    width = item.get("宽度")
    return f"[图片：{Path(str(item['图片'])).name}" + (f"，宽度 {width} 毫米]" if width else "]")


def _area(value: Any) -> str:
    """A 正文 as its text area shows it: a text block as is, a list one entry a line (a picture or a
    table as its line; a table no line can spell as an empty line: `notice_kept.unkept` says so)."""
    if not isinstance(value, list):
        return _text(value)
    return "\n".join(_image_line(item) or table_line(item) or _text(item) for item in value)


def _body(text: str, *, as_list: bool = False) -> Any:
    """The 正文 as written: a text block, or (with pictures or tables, or `as_list`) a list of lines,
    pictures and tables, one entry a line of `text`."""
    lines = text.split("\n") if as_list else text.strip("\n").rstrip().split("\n")
    if not as_list and not any(IMAGE_LINE.fullmatch(line.strip()) or is_line(line) for line in lines):
        return text
    items: list[Any] = []
    for line in lines:
        if block := line_item(line):  # one YAML line, as in the text area
            items.append(_Flow({block[0]: block[1]}))
            continue
        found = IMAGE_LINE.fullmatch(line.strip())
        if found is None:
            items.append(line)
            continue
        picture = {"图片": f"{IMAGE_FOLDER}/{found['name']}"}
        if found["width"]:
            picture["宽度"] = number(found["width"])
        items.append(_Flow(picture))
    return items


def _value(body: Any) -> Any:
    """A 正文 as an 附件's value: a list as is, a text as a block (None when empty)."""
    return body if isinstance(body, list) else _block(body)


class _Writer:
    """Builds the YAML text top-down, recording each field's lines."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.spans: dict[str, tuple[int, int]] = {}
        self.fields: dict[str, str] = {}  # YAML key → the form field that writes it

    def put(self, name: str, key: str, value: Any, indent: int = 0) -> None:
        self.fields.setdefault(key, name)  # a top-level key names its field before a nested one
        if value is None or value == "" or value == []:
            return
        self._add(name, _dump({key: _block(value) if isinstance(value, str) else value}), indent)

    def area(self, name: str, text: str, indent: int = 0) -> None:
        """A 正文 text area: its text under 正文, its last line when a 签字栏 (`notice_lines`) under 签字栏 on
        the YAML line after it, so that line's number is the text area's too."""
        text = text.strip("\n").rstrip()
        body_text, sign, line = split_sign(text)
        if sign is None:
            self.put(name, "正文", _body(text), indent)
            return
        if body_text.strip():
            self.put(name, "正文", _body(body_text, as_list=True), indent)
        self.fields.setdefault(SIGN, name)
        self._add(name, _dump({SIGN: _Flow(sign)}), indent)
        self.spans[name] = (len(self.lines) - line, len(self.lines))  # the text area's line n is first + n

    def open(self, key: str, indent: int = 0) -> None:
        self.lines.append("  " * indent + f"{key}:")

    def item(self, name: str, mapping: dict[str, Any], indent: int) -> None:
        self._add(name, _dump([mapping]), indent)

    def verbatim(self, name: str, text: str) -> None:
        """Top-level YAML as given (the form's ``kept`` parts)."""
        self._add(name, text, 0)

    def _add(self, name: str, text: str, indent: int) -> None:
        first = len(self.lines) + 1
        self.lines += ["  " * indent + line for line in text.rstrip("\n").split("\n")]
        self.spans[name] = (first, len(self.lines))

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


class _Literal(str):
    """A text written as a YAML literal block (|), line for line as typed."""


def _literal(dumper: yaml.SafeDumper, value: _Literal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|")


class _Flow(dict):  # type: ignore[type-arg]
    """A mapping written on one line ({图片: …}), so each 正文 entry is one YAML line."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Literal, _literal)
_Dumper.add_representer(_Flow, lambda dumper, value: dumper.represent_mapping("tag:yaml.org,2002:map", value,
                                                                              flow_style=True))


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6,
                     default_flow_style=False)  # fmt: skip


def _block(text: str) -> str | None:
    text = text.strip("\n")
    if not text.strip():
        return None
    return _Literal(text.rstrip() + "\n") if "\n" in text else text.strip()


def _items(text: str, split: re.Pattern[str] = re.compile(r"\n")) -> list[str] | str | None:
    items = [t.strip() for t in split.split(text) if t.strip()]
    return None if not items else items[0] if len(items) == 1 else items


def _cells(line: str) -> list[str]:
    return [c.strip() for c in _CELL_SPLIT.split(line.strip())]


def _canonical(data: Any, keys: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        return {}
    lookup = {alias.lower(): canon for canon, aliases in keys.items() for alias in aliases}
    return {lookup[str(k).strip().lower()]: v for k, v in data.items() if str(k).strip().lower() in lookup}


def _text(value: Any) -> str:
    """A YAML value as the form shows it: a list one item a line."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(_text(v) for v in value)
    if isinstance(value, Mapping):
        return _text(value.get("名称") or value.get("name"))
    return str(value).rstrip("\n")


def _yes(value: Any) -> bool:
    """A YAML 是/否 value (是, true, 1…) as the form's checkbox."""
    return str(value).strip().lower() in TRUE


def _attachment_count(form: Mapping[str, Any]) -> int:
    numbers = [int(m[1]) for key in form for m in [re.fullmatch(r"att-(\d+)-\w+", str(key))] if m]
    return min(max(numbers, default=-1) + 1, 50)
