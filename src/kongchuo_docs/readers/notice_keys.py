"""The 公文 YAML vocabulary: accepted spellings of every key (Chinese first, as the README documents
them), value words (格式, 是/否) and the input limits and patterns the readers check against."""

from __future__ import annotations

import re

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
    "receipt": ("回执", "receipt"),
    "colophon": ("版记", "colophon"),
    "author": ("作者", "author"),
}
ISSUED_KEYS = {k: KEYS[k] for k in ("title", "body", "attachments", "attachment_notes", "sign_fields")}
ATTACHMENT_KEYS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "number"),
    "title": ("标题", "title"),
    "body": ("正文", "body"),
    "table": ("表格", "table"),
    "after": ("表后说明", "after"),
    "landscape": ("横排", "landscape"),
    "sign_fields": ("签字栏", "sign_fields"),
    "separate": ("另行发送", "separate"),
}
SIGN_FIELD_KEYS: dict[str, tuple[str, ...]] = {
    "labels": ("栏目", "labels"),
    "per_row": ("每行", "per_row"),
    "dated": ("日期", "dated"),
}
RECEIPT_KEYS: dict[str, tuple[str, ...]] = {  # 回执: torn off the foot of the letter's last page
    "title": ("标题", "title"),
    "text": ("正文", "text"),
    "fields": ("栏目", "fields"),  # "家长签名" (writing space) or "学生姓名: 张某某" (printed filled in)
    "dated": ("日期", "dated"),  # 是: a blank "年 月 日" line for the hand
    "cut_text": ("裁剪线文字", "cut_text"),  # printed on the cut line above it: 请沿此线剪下
}
MAX_RECEIPT_FIELDS = 8  # [practice] fields of a 回执: it stays a slip at the foot of a page
MAX_CUT_TEXT_CHARS = 20  # [practice] words on the cut line: under half its width in 小五, the dashes stay a line
MAX_RECEIPT_TEXT_CHARS = 300  # [practice] its sentences: about 8 小四 lines, the slip well under half a page
BLOCK_KEYS: dict[str, tuple[str, ...]] = {
    "table": ("表格", "table"),
    "image": ("图片", "image"),
    "width": ("宽度", "width"),
    "sign_fields": ("签字栏", "sign_fields"),  # refused among the paragraphs: a 签字栏 ends its 正文
}
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "header": ("表头", "header"),
    "rows": ("行", "rows"),
    "blank_rows": ("空行", "blank_rows"),
    "widths": ("列宽", "widths"),
    "header_rows": ("表头行数", "header_rows"),  # 0: a form whose first row is no header
    "caption": ("标题", "caption"),  # centred above the table
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
