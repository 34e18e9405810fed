"""Readers for the blocks of a 公文 YAML below the top level: 附件 (with tables and 签字栏), 印发件,
附件说明 checked against the 附件, and the 版记. A mixin of `notice_yaml.NoticeReader`, which supplies the
field readers (fields, text, title, text_list, boolean, date, body, loc) and collects the problems."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import Location, Problems
from ..model import Attachment, Colophon, IssuedDocument, Receipt, ReceiptField, SignFields, Table
from ..model.limits import blank_rows_problem
from .cut_line import clean_cut_text
from .notice_keys import (
    ATTACHMENT_KEYS,
    COLOPHON_KEYS,
    ISSUED_KEYS,
    LIST_NUMBER,
    MAX_CUT_TEXT_CHARS,
    MAX_RECEIPT_FIELDS,
    MAX_RECEIPT_TEXT_CHARS,
    MAX_SIGN_LABEL_CHARS,
    RECEIPT_KEYS,
    SIGN_FIELD_KEYS,
    TABLE_KEYS,
)


class BlockReaders:
    """Reads 签字栏, 印发件, 附件, tables, 附件说明 and 版记 into model blocks."""

    problems: Problems

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

    def receipt(self, value: Any, loc: Location) -> Receipt | None:
        """回执: 标题 (default 回执), 正文 (sentences), 栏目 (each a label — writing space — or a
        「标签: 内容」 mapping, printed filled in), 日期 (是: a blank date line for the hand), 裁剪线文字
        (printed on the cut line; dashes and scissors typed around it dropped)."""
        f = self.fields(value, RECEIPT_KEYS, "回执")
        if not f:
            return None
        fields: list[ReceiptField] = []
        items, fields_loc = f.get("fields", (None, loc))
        for item in items if isinstance(items, list) else [items] if items is not None else []:
            pairs = list(item.items()) if isinstance(item, Mapping) else [(item, "")]
            for label_value, typed in pairs:
                label = self.text(label_value, fields_loc)
                if label and len(label) > MAX_SIGN_LABEL_CHARS:
                    self.problems.error(fields_loc, f"回执的栏目名称不超过 {MAX_SIGN_LABEL_CHARS} 个字", label)
                elif label:
                    fields.append(ReceiptField(label=label, value=self.text(typed, fields_loc) or ""))
        if len(fields) > MAX_RECEIPT_FIELDS:
            self.problems.error(fields_loc, f"回执最多 {MAX_RECEIPT_FIELDS} 个栏目（它是页脚的一联）")
        title = self.title(*f["title"]) if "title" in f else "回执"
        text = self.text_list(*f.get("text", (None, loc)))
        if sum(map(len, text)) > MAX_RECEIPT_TEXT_CHARS:
            self.problems.error(f["text"][1], f"回执的正文最多 {MAX_RECEIPT_TEXT_CHARS} 个字（它是页脚的一联）")
        dated = self.boolean(*f["dated"]) if "dated" in f else False
        if not (fields or text or dated):
            self.problems.error(loc, "回执需要正文或栏目（如 栏目: [学生姓名, 家长签名]）")
            return None
        cut_text = clean_cut_text(self.text(*f["cut_text"]) or "") if "cut_text" in f else ""
        if len(cut_text) > MAX_CUT_TEXT_CHARS:
            self.problems.error(f["cut_text"][1], f"裁剪线文字最多 {MAX_CUT_TEXT_CHARS} 个字（印在裁剪线的空当中）")
        return Receipt(title=title or "回执", text=text, fields=fields, dated=dated, cut_text=cut_text)

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
            body = self.body(*f.get("body", (None, loc))) + self.sign_fields(*f.get("sign_fields", (None, loc)))
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
        separate = []
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
            alone = self.boolean(*f["separate"]) if "separate" in f else False
            if alone and blocks:
                self.problems.error(item_loc, "另行发送的附件不在本文件中排印：删去它的正文、表格和签字栏，"
                                    "或删去“另行发送”", title)
            if title:
                out.append(Attachment(number=number, title=title, blocks=blocks, landscape=landscape,
                                      separate=alone))
            if alone and title:
                separate.append((title, item_loc))
        if separate:
            self.problems.warning(separate[0][1], f"附件“{'”“'.join(t for t, _ in separate)}”另行发送，不在本文件中："
                                  "附件说明照排，附件请随文另附")
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
        sources = [str(header_loc), *[str(rows_loc)] * (len(rows) - 1)]
        blank_value, blank_loc = f.get("blank_rows", (0, loc))
        blank = 0
        if blank_value is not None and (wrong := blank_rows_problem(blank_value)):
            self.problems.error(blank_loc, wrong, blank_value)
        elif blank_value is not None:
            blank = int(str(blank_value).strip())
        widths_value, widths_loc = f.get("widths", (None, loc))
        widths = None
        if widths_value is not None:
            try:
                widths = [float(w) for w in widths_value]
                if len(widths) != len(header) or min(widths) <= 0:
                    raise ValueError
            except (TypeError, ValueError):
                self.problems.error(widths_loc, f"列宽应为 {len(header)} 个正数（每列一个，表格有 {len(header)} 列）",
                                    widths_value)
                widths = None
        caption = self.title(*f["caption"]) if "caption" in f else None
        header_rows_value, header_rows_loc = f.get("header_rows", (1, loc))
        if str(header_rows_value).strip() not in ("0", "1"):
            self.problems.error(header_rows_loc, "表头行数应为 1（第一行是表头）或 0（表单，无表头）",
                                header_rows_value)
            header_rows_value = 1
        return Table(rows=rows, blank_rows=blank, widths=widths, header_rows=int(str(header_rows_value).strip()),
                     caption=caption, sources=sources)

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
