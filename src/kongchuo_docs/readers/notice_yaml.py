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
(〔〕 brackets, half-width punctuation, a missing "：") are corrected with a warning. The key tables
are in notice_keys.py, the readers of 附件, 印发件, tables, 签字栏 and 版记 in notice_blocks.py.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import InputError, Location, Problem, Problems
from ..gbt9704 import NOTE_BRACKETS, TYPE_AREA_WIDTH_MM
from ..model import Document, Image, Signature
from ..model.document import Block
from ..model.limits import title_problem
from ..store.issuing import auto_number
from ..support.normalize import (
    NormalizeError,
    check_number_year,
    checked_doc_number,
    fix_half_width_punctuation,
    format_date,
    parse_date,
    warn_half_width,
)
from .body_text import SourceLine, parse_body
from .glyphs import check_yaml_glyphs
from .notice_blocks import BlockReaders
from .notice_keys import (
    BLOCK_KEYS,
    FALSE,
    FOLDED_HEADING,
    FORMATS,
    HAND_DATE,
    KEYS,
    MAX_SIGNER_CHARS,
    SIGNATURE_KEYS,
    TRUE,
)
from .yaml_records import LineDict, load_yaml


class NoticeReader(BlockReaders):
    """Reads one 公文 mapping (YAML, or a draft turned into the same keys) into a `Document`,
    collecting every problem with its location; `check` reuses its checks, the draft reader subclasses it."""

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
        if "sign_fields" in f:
            self.problems.error(f["sign_fields"][1], "签字栏排在正文的最后：不能夹在段落之间（写在“签字栏:”下，"
                                "网页上把这一行移到正文框的最后一行）")
            return None
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
        if not signatures and not issuers and "sign_fields" not in f:  # a 责任书 is signed in its 签字栏
            self.problems.warning(get("signatures")[1], "没有署名和发文机关：按无版头排，不印署名")
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
        if colophon and colophon.print_date and not colophon.printer and fmt != "letter":
            self.problems.warning(get("colophon")[1], "版记有印发日期而没有印发机关：“印发”一行的左边会空着；"
                                  "请写 印发机关（一般为发文机关的办公室，§7.4.3）")  # fmt: skip
        receipt = self.receipt(*get("receipt")) if "receipt" in f else None
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
                receipt=receipt,
                colophon=colophon,
                author=self.text(*get("author")),
            )
        except ValidationError as exc:
            for err in exc.errors():
                self.problems.error(self.loc(data), str(err.get("ctx", {}).get("error", err["msg"])))
            return None

    def doc_number(self, value: Any, loc: Location) -> str | None:
        text = self.text(value, loc)
        if text is None:
            return None
        return auto_number(text) or checked_doc_number(text, loc, self.problems)  # 自动: taken when written

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


def read_notice(path: Path) -> tuple[Document, list[Problem]]:
    """Read a 公文 YAML file; returns the document and the warnings. Raises InputError."""
    reader = NoticeReader(path)
    data = load_yaml(path)
    check_yaml_glyphs(data, Path(path).name, reader.problems)
    doc = reader.document(data)
    if doc is None or reader.problems.errors:
        raise InputError(reader.problems.items)
    return doc, reader.problems.warnings
