"""Read a 公文 written by hand in YAML (Chinese or English keys) into a `Document`.

Example (the README shows a fuller one)::

    发文机关: 某某县教育局
    发文字号: 某教综〔2020〕47号
    标题: 某某县关于印发进一步加强控辍保学工作实施方案的通知
    主送: 各乡（镇）人民政府、县直有关单位：
    正文: |
      为助推全县打赢脱贫攻坚战，……
    署名: 某某县控辍保学工作领导小组
    成文日期: 2020年9月10日

Every problem is collected with its YAML line before anything is written; fixable slips
(〔〕 brackets, half-width punctuation, a missing "：") are corrected with a warning.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import InputError, Location, Problem, Problems
from ..gbt9704 import NOTE_BRACKETS, TYPE_AREA_WIDTH_MM
from ..model import Attachment, Colophon, Document, Image, IssuedDocument, Signature, SignFields, Table
from ..model.document import Block
from ..model.limits import title_problem
from .body_text import SourceLine, parse_body
from .glyphs import check_yaml_glyphs
from .normalize import (
    NormalizeError,
    check_number_year,
    checked_doc_number,
    fix_half_width_punctuation,
    format_date,
    parse_date,
    warn_half_width,
)
from .yaml_records import LineDict, load_yaml

# canonical key → accepted spellings (Chinese first: the README documents these)
KEYS: dict[str, tuple[str, ...]] = {
    "format": ("格式", "format"),
    "issuers": ("发文机关", "发文机关标志", "issuer", "issuers"),
    "mark_suffix": ("标志后缀", "mark_suffix"),
    "doc_number": ("发文字号", "文号", "doc_number"),
    "signers": ("签发人", "signers", "signer"),
    "copy_number": ("份号", "copy_number"),
    "secrecy": ("密级", "密级和保密期限", "secrecy"),
    "urgency": ("紧急程度", "urgency"),
    "title": ("标题", "title"),
    "recipients": ("主送", "主送机关", "recipients"),
    "body": ("正文", "body"),
    "attachment_notes": ("附件说明", "attachment_notes"),
    "signatures": ("署名", "signature", "signatures"),
    "signature_note": ("署名备注", "代章", "signature_note"),
    "seal": ("盖章", "印章", "seal"),
    "date": ("成文日期", "日期", "date"),
    "note": ("附注", "note"),
    "contact": ("联系人", "contact"),
    "phone": ("联系电话", "phone"),
    "sign_fields": ("签字栏", "sign_fields"),
    "issued": ("印发件", "印发文件", "转发件", "issued"),
    "attachments": ("附件", "attachments"),
    "colophon": ("版记", "colophon"),
    "author": ("作者", "author"),
}
ISSUED_KEYS = {k: KEYS[k] for k in ("title", "body", "attachments", "attachment_notes")}
ATTACHMENT_KEYS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "number"),
    "title": ("标题", "title"),
    "body": ("正文", "body"),
    "table": ("表格", "table"),
    "after": ("表后说明", "after"),
    "landscape": ("横排", "landscape"),
    "sign_fields": ("签字栏", "sign_fields"),
}
SIGN_FIELD_KEYS: dict[str, tuple[str, ...]] = {
    "labels": ("栏目", "labels"),
    "per_row": ("每行", "per_row"),
    "dated": ("日期", "dated"),
}
BLOCK_KEYS: dict[str, tuple[str, ...]] = {
    "table": ("表格", "table"),
    "image": ("图片", "image"),
    "width": ("宽度", "width"),
}
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "header": ("表头", "header"),
    "rows": ("行", "rows"),
    "blank_rows": ("空行", "blank_rows"),
    "widths": ("列宽", "widths"),
}
COLOPHON_KEYS: dict[str, tuple[str, ...]] = {
    "recipients": ("主送", "recipients"),
    "cc": ("抄送", "cc"),
    "printer": ("印发机关", "printer"),
    "print_date": ("印发日期", "print_date"),
}
SIGNATURE_KEYS: dict[str, tuple[str, ...]] = {"name": ("名称", "name"), "note": ("备注", "note")}
FORMATS = {"文件": "file", "文件格式": "file", "file": "file", "信函": "letter", "信函格式": "letter",
           "函": "letter", "letter": "letter", "无版头": "plain", "无版头格式": "plain", "plain": "plain"}
# a 成文日期 left for the hand: "手填", "20  年  月  日", "____年__月__日"
HAND_DATE = re.compile(r"^(手填|手写|(20)?[\s_\u3000]*年[\s_\u3000]*月[\s_\u3000]*日)$")
MAX_SIGN_LABEL_CHARS = 20  # a 签字栏 label and its writing line fit on one line
MAX_SIGNER_CHARS = 10  # a 签发人 is a person's name; two of them fit beside the 发文字号
LIST_NUMBER = re.compile(r"^\d{1,2}\s*[.．、]\s*")  # "1." "2、" before an 附件 name, not "2026年"
# a heading number (一、 （一） 1.) after a space: what YAML's folding of a body written without "|" leaves
FOLDED_HEADING = re.compile(r"\s(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．](?!\d))")
TRUE = {"是", "有", "盖章", "true", "yes", "y", "1"}
FALSE = {"否", "无", "不盖章", "false", "no", "n", "0"}


class _Reader:
    literal_dates = False  # True: a date is document text as the clerk typed it (a draft), not a YAML value

    def __init__(self, path: Path):
        self.path = Path(path)
        self.file = self.path.name
        self.problems = Problems()

    # ---------------------------------------------------------------- helpers

    def loc(self, data: Any, key: str | None = None, label: str | None = None) -> Location:
        lines = getattr(data, "lines", {})
        line = lines.get(key) if key is not None else None
        return Location(self.file, line=line or getattr(data, "line", None), column=label)

    def fields(self, data: Any, keys: dict[str, tuple[str, ...]], what: str) -> dict[str, tuple[Any, Location]]:
        """Map the spellings in `data` to canonical keys; unknown keys are errors."""
        if not isinstance(data, Mapping):
            self.problems.error(self.loc(data), f"{what}应为键值对")
            return {}
        lookup = {alias.lower(): canon for canon, aliases in keys.items() for alias in aliases}
        found: dict[str, tuple[Any, Location]] = {}
        for key, value in data.items():
            canon = lookup.get(str(key).strip().lower())
            loc = self.loc(data, key, str(key))
            if canon is None:
                close = difflib.get_close_matches(str(key).strip(), [a for al in keys.values() for a in al], n=1,
                                                  cutoff=0.5)
                hint = f"，是不是“{close[0]}”？" if close else ""
                known = "、".join(aliases[0] for aliases in keys.values())
                self.problems.error(loc, f"{what}中没有这一项{hint}（可用：{known}）")
            elif canon in found:
                self.problems.error(loc, "重复填写")
            else:
                found[canon] = (value, loc)
        return found

    def text(self, value: Any, loc: Location, *, required: bool = False) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problems.error(loc, "必填，不能为空")
            return None
        if isinstance(value, (Mapping, list)):
            self.problems.error(loc, "应为一段文字")
            return None
        text = " ".join(str(value).split())
        fixed, changed = fix_half_width_punctuation(text)
        if changed:
            warn_half_width(self.problems, loc, changed)
        return fixed

    def title(self, value: Any, loc: Location) -> str | None:
        """A required title within `limits.TITLE_MAX_CHARS`."""
        text = self.text(value, loc, required=True)
        too_long = text and title_problem(text)
        if too_long:
            self.problems.error(loc, too_long)
            return None
        return text

    def text_list(self, value: Any, loc: Location) -> list[str]:
        items = value if isinstance(value, list) else [value] if value is not None else []
        out = []
        for item in items:
            t = self.text(item, loc)
            if t:
                out.append(t)
        return out

    def boolean(self, value: Any, loc: Location) -> bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in TRUE:
            return True
        if text not in FALSE:
            self.problems.error(loc, "应填 是 或 否", value)
        return False

    def date(self, value: Any, loc: Location, *, required: bool = False):
        if value is None or value == "":
            if required:
                self.problems.error(loc, "必填，不能为空")
            return None
        try:
            date = parse_date(value)
        except NormalizeError as exc:
            self.problems.error(loc, str(exc), value)
            return None
        written = "".join(str(value).split()) if isinstance(value, str) else ""
        if written and ("年" in written or self.literal_dates) and written != format_date(date):
            self.problems.warning(loc, f"日期用阿拉伯数字、不编虚位（§7.3.5），已改为 {format_date(date)}", written)
        return date

    def body(self, value: Any, loc: Location) -> list[Block]:
        """A 正文: a text block, or a list of paragraphs and of tables (``表格:``) or pictures (``图片:``)."""
        if value is None:
            return []
        if isinstance(value, str):
            if "\n" not in value.strip() and FOLDED_HEADING.search(value):
                self.problems.error(loc, "各段被并成了一段（“正文:”后面缺少“|”，YAML 把换行当成了空格）。"
                                         "请把这一行改为“正文: |”，下面每段一行、缩进两个空格")
                return []
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, Mapping)) for v in value):
            self.problems.error(loc, "正文应为多行文字（用 | 开头的文本块）或段落列表")
            return []
        items: list[SourceLine | Block] = []
        line = (loc.line or 0) + 1  # a block scalar or list starts on the line after its key
        for n, item in enumerate(value):
            where = self.item_loc(value, n, line, loc)
            if isinstance(item, Mapping):
                block = self.block(item, where)
                if block is not None:
                    items.append(block)
                line += 1
                continue
            for text in item.splitlines() or [""]:
                items.append(SourceLine(text, where))
                line += 1
                where = self.item_loc(value, n, line, loc)
        return parse_body(items, self.problems)

    def item_loc(self, value: list[Any], n: int, line: int, loc: Location) -> Location:
        """Where the n-th 正文 entry is: its YAML line (counted from the key)."""
        return Location(self.file, line=line if loc.line else None, column=loc.column)

    def block(self, item: Any, loc: Location) -> Block | None:
        """A table or a picture written among the paragraphs of a 正文."""
        f = self.fields(item, BLOCK_KEYS, "正文")
        if "table" in f:
            return self.table(*f["table"])
        if "image" in f:
            return self.image(f["image"], f.get("width"), loc)
        self.problems.error(loc, "正文中的一项应为段落文字、表格或图片")
        return None

    def picture_path(self, value: Any) -> Path:
        """A picture named in the input: relative to the input's folder."""
        return self.path.parent / str(value)

    def image(self, path_field: tuple[Any, Location], width_field: tuple[Any, Location] | None,
              loc: Location) -> Image | None:
        """``图片: 文件名`` (PNG, relative to the input's folder) and ``宽度`` in mm (default: the line)."""
        value, where = path_field
        path = self.picture_path(value)
        if not path.is_file():
            self.problems.error(where, "找不到图片文件", value)
            return None
        width = TYPE_AREA_WIDTH_MM
        if width_field is not None:
            try:
                width = min(float(width_field[0]), TYPE_AREA_WIDTH_MM)
                if width <= 0:
                    raise ValueError
            except (TypeError, ValueError):
                self.problems.error(width_field[1], "图片宽度应为正数（毫米）", width_field[0])
                return None
        return Image(path=path, width_mm=width)

    # ---------------------------------------------------------------- parts

    def document(self, data: LineDict) -> Document | None:
        f = self.fields(data, KEYS, "公文")
        get = lambda k: f.get(k, (None, self.loc(data, None, KEYS[k][0])))  # noqa: E731
        fmt_value, fmt_loc = get("format")
        fmt = "file"
        if fmt_value is not None:
            fmt = FORMATS.get(str(fmt_value).strip(), "")
            if not fmt:
                self.problems.error(fmt_loc, "格式应为 文件、信函 或 无版头", fmt_value)
                fmt = "file"
        issuers = self.text_list(*get("issuers"))
        if not issuers and fmt != "plain":
            self.problems.error(get("issuers")[1], "必填，不能为空（只有“格式: 无版头”的文件可以不填）")
        suffix_value, suffix_loc = get("mark_suffix")
        suffix: str | None = "文件"
        if "mark_suffix" in f:
            suffix = self.text(suffix_value, suffix_loc)
            if suffix in ("无", "none"):
                suffix = None
        doc_number = self.doc_number(*get("doc_number"))
        title = self.title(*get("title"))
        recipients = self.recipients(*get("recipients"))
        body = self.body(*get("body")) + self.sign_fields(*get("sign_fields"))
        attachments = self.attachments(*get("attachments"))
        issued = self.issued(*get("issued"))
        self.check_notes(f.get("attachment_notes"), attachments, issued, data)
        signatures = self.signatures(get("signatures"), get("signature_note"), issuers)
        if not signatures and not issuers:
            self.problems.error(get("signatures")[1], "无版头的文件没有发文机关时，“署名”必填")
        seal = self.boolean(*get("seal")) if "seal" in f else False
        date_value, date_loc = get("date")
        by_hand = isinstance(date_value, str) and HAND_DATE.match(date_value.strip()) is not None
        date = None if by_hand else self.date(date_value, date_loc, required=True)
        check_number_year(doc_number, date, get("doc_number")[1], self.problems)
        note = self.note(get("note"), get("contact"), get("phone"))
        signers = self.signers(*get("signers"))
        if fmt == "plain":  # these belong to the 版头, which a 无版头 document does not print
            for key in ("copy_number", "secrecy", "urgency", "doc_number", "signers", "mark_suffix"):
                if key in f:
                    self.problems.warning(f[key][1], "无版头的文件不排版头，这一项不会印出")
        colophon = self.colophon(*get("colophon")) if "colophon" in f else None
        if self.problems.errors:
            return None
        try:
            return Document(
                format=fmt,
                copy_number=self.text(*get("copy_number")),
                secrecy=self.text(*get("secrecy")),
                urgency=self.text(*get("urgency")),
                issuers=issuers,
                mark_suffix=suffix,
                doc_number=doc_number,
                signers=signers,
                title=title or "",
                recipients=recipients,
                body=body,
                signatures=signatures,
                seal=seal,
                date=date,
                note=note,
                issued=issued,
                attachments=attachments,
                colophon=colophon,
                author=self.text(*get("author")),
            )
        except ValidationError as exc:
            for err in exc.errors():
                self.problems.error(self.loc(data), str(err.get("ctx", {}).get("error", err["msg"])))
            return None

    def doc_number(self, value: Any, loc: Location) -> str | None:
        text = self.text(value, loc)
        return None if text is None else checked_doc_number(text, loc, self.problems)

    def recipients(self, value: Any, loc: Location) -> str | None:
        text = self.text(value, loc)
        if text and not text.endswith("："):
            self.problems.warning(loc, "主送机关末尾应有全角冒号“：”，已补上", text)
            text = text.rstrip(":：，,。") + "："
        return text

    def signers(self, value: Any, loc: Location) -> list[str]:
        names = self.text_list(value, loc)
        for name in names:
            if len(name) > MAX_SIGNER_CHARS:
                self.problems.error(loc, f"签发人填写姓名（每人不超过 {MAX_SIGNER_CHARS} 个字），多人写成列表", name)
        return names

    def note(self, note_field: tuple[Any, Location], contact_field: tuple[Any, Location],
             phone_field: tuple[Any, Location]) -> str | None:
        """附注 (§7.3.6) in full-width parentheses; 联系人/联系电话 make the 请示's "（联系人：…；联系电话：…）"."""
        note = self.text(*note_field)
        contact, phone = self.text(*contact_field), self.text(*phone_field)
        if contact or phone:
            if note:
                self.problems.error(note_field[1], "已填“联系人/联系电话”时不再填“附注”（附注由它们生成）")
                return None
            parts = [f"联系人：{contact}" if contact else "", f"联系电话：{phone}" if phone else ""]
            note = "；".join(p for p in parts if p)
        if not note:
            return None
        opening, closing = NOTE_BRACKETS
        if not (note.startswith(opening) and note.endswith(closing)):
            note = opening + note.strip("（）()") + closing
        return note

    def sign_fields(self, value: Any, loc: Location) -> list[SignFields]:
        """签字栏: a list of labels, or 栏目 (labels), 每行 (fields per line, 1–4), 日期 (是: a blank date
        under each field)."""
        if value is None:
            return []
        f = self.fields(value, SIGN_FIELD_KEYS, "签字栏") if isinstance(value, Mapping) else {"labels": (value, loc)}
        labels_loc = f.get("labels", (None, loc))[1]
        labels = self.text_list(*f.get("labels", (None, loc)))
        for label in labels:
            if len(label) > MAX_SIGN_LABEL_CHARS:
                self.problems.error(labels_loc, f"签字栏的栏目名称不超过 {MAX_SIGN_LABEL_CHARS} 个字", label)
        if not labels:
            self.problems.error(f.get("labels", (None, loc))[1], "签字栏需要至少一个栏目（如 [学校负责人, 班主任]）")
            return []
        per_row = 2
        if "per_row" in f:
            per_value, per_loc = f["per_row"]
            if str(per_value).strip() not in ("1", "2", "3", "4"):
                self.problems.error(per_loc, "每行栏目数应为 1 到 4", per_value)
            else:
                per_row = int(per_value)
        dated = self.boolean(*f["dated"]) if "dated" in f else False
        return [SignFields(labels=labels, per_row=per_row, dated=dated)]

    def signatures(self, sig_field: tuple[Any, Location], note_field: tuple[Any, Location],
                   issuers: list[str]) -> list[Signature]:
        value, loc = sig_field
        note = self.text(*note_field)
        items = value if isinstance(value, list) else [value] if value is not None else []
        out: list[Signature] = []
        for item in items:
            if isinstance(item, Mapping):
                sf = self.fields(item, SIGNATURE_KEYS, "署名")
                name = self.text(*sf.get("name", (None, self.loc(item, None, "名称"))), required=True)
                item_note = self.text(*sf.get("note", (None, loc)))
                if name:
                    out.append(Signature(name=name, note=item_note))
            else:
                name = self.text(item, loc)
                if name:
                    out.append(Signature(name=name))
        if not out and issuers:
            out = [Signature(name=i) for i in issuers]  # §7.3.5: 署名 defaults to the issuer
        if note and out:
            out[-1] = Signature(name=out[-1].name, note=note)
        return out

    def issued(self, value: Any, loc: Location) -> list[IssuedDocument]:
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        out = []
        for item in items:
            f = self.fields(item, ISSUED_KEYS, "印发件")
            if not f:
                continue
            title = self.title(*f.get("title", (None, self.loc(item, None, "标题"))))
            body = self.body(*f.get("body", (None, loc)))
            attachments = self.attachments(*f.get("attachments", (None, loc)))
            self.check_notes(f.get("attachment_notes"), attachments, [], item)
            if title:
                out.append(IssuedDocument(title=title, blocks=body, attachments=attachments))
        return out

    def attachments(self, value: Any, loc: Location) -> list[Attachment]:
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        out = []
        for i, item in enumerate(items, start=1):
            f = self.fields(item, ATTACHMENT_KEYS, "附件")
            if not f:
                continue
            item_loc = self.loc(item, None, "附件")
            title = self.title(*f.get("title", (None, item_loc)))
            number = i if len(items) > 1 else None
            if "number" in f:
                num_value, num_loc = f["number"]
                if str(num_value).strip() != str(i):
                    self.problems.error(num_loc, f"附件序号应为 {i}", num_value)
            blocks = self.body(*f.get("body", (None, item_loc)))
            if "table" in f:
                table = self.table(*f["table"])
                if table is not None:
                    blocks.append(table)
            blocks += self.body(*f.get("after", (None, item_loc)))
            blocks += self.sign_fields(*f.get("sign_fields", (None, item_loc)))
            landscape = self.boolean(*f["landscape"]) if "landscape" in f else False
            if title:
                out.append(Attachment(number=number, title=title, blocks=blocks, landscape=landscape))
        return out

    def table(self, value: Any, loc: Location) -> Table | None:
        f = self.fields(value, TABLE_KEYS, "表格")
        header_value, header_loc = f.get("header", (None, loc))
        header = [str(h) for h in header_value] if isinstance(header_value, list) else []
        if not header:
            self.problems.error(header_loc, "表格需要“表头”（列名列表）")
            return None
        rows: list[list[str]] = [header]
        rows_value, rows_loc = f.get("rows", ([], loc))
        for n, row in enumerate(rows_value or [], start=1):
            cells = ["" if c is None else str(c) for c in (row if isinstance(row, list) else [row])]
            if len(cells) != len(header):
                self.problems.error(rows_loc, f"第 {n} 行有 {len(cells)} 列，表头有 {len(header)} 列")
                continue
            rows.append(cells)
        blank_value, blank_loc = f.get("blank_rows", (0, loc))
        try:
            blank = int(blank_value or 0)
        except (TypeError, ValueError):
            self.problems.error(blank_loc, "空行数应为整数", blank_value)
            blank = 0
        widths_value, widths_loc = f.get("widths", (None, loc))
        widths = None
        if widths_value is not None:
            try:
                widths = [float(w) for w in widths_value]
                if len(widths) != len(header):
                    raise ValueError
            except (TypeError, ValueError):
                self.problems.error(widths_loc, f"列宽应为 {len(header)} 个数字", widths_value)
                widths = None
        return Table(rows=rows, blank_rows=blank, widths=widths)

    def check_notes(self, notes_field: tuple[Any, Location] | None, attachments: list[Attachment],
                    issued: list[IssuedDocument], where: Any) -> None:
        """附件说明, when written, must name the 附件 in order (§7.3.4)."""
        if notes_field is None:
            return
        value, loc = notes_field
        names = [LIST_NUMBER.sub("", n) for n in self.text_list(value, loc)]
        titles = [a.title for a in attachments] or [a.title for d in issued for a in d.attachments]
        if names != titles:
            self.problems.error(
                loc,
                f"附件说明与附件标题不一致：附件说明为“{'、'.join(names) or '（空）'}”，"
                f"附件标题为“{'、'.join(titles) or '（无附件）'}”",
            )
        for name in names:
            if name and name[-1] in "。，；：、.,;:":
                self.problems.error(loc, "附件名称后不加标点符号", name)

    def colophon(self, value: Any, loc: Location) -> Colophon | None:
        f = self.fields(value, COLOPHON_KEYS, "版记")
        if not f and value is not None:
            return None
        get = lambda k: f.get(k, (None, loc))  # noqa: E731
        cc = [c.rstrip("。，、") for c in self.text_list(*get("cc"))]
        return Colophon(
            recipients=self.text(*get("recipients")),
            cc=cc,
            printer=self.text(*get("printer")),
            print_date=self.date(*get("print_date")),
        )


def read_notice(path: Path) -> tuple[Document, list[Problem]]:
    """Read a 公文 YAML file; returns the document and the warnings. Raises InputError."""
    reader = _Reader(path)
    data = load_yaml(path)
    check_yaml_glyphs(data, Path(path).name, reader.problems)
    doc = reader.document(data)
    if doc is None or reader.problems.errors:
        raise InputError(reader.problems.items)
    return doc, reader.problems.warnings
