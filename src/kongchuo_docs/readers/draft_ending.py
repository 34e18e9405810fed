"""The end of a draft as clerks type it: signing lines (签字栏), a date left for the hand, a 送达回证 or
回执 after the date (a 送达回证 made the letters' form: `service_form`; a 回执 the tear-off slip from
`typed_lines`), and the cut line above it.

Pure text tests on `DraftItem`s; `draft_outline` decides where each found part goes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..support.normalize import NormalizeError, normalize_doc_number
from .cut_line import cut_line_words
from .draft_items import located, put
from .notice_keys import MAX_RECEIPT_FIELDS

if TYPE_CHECKING:
    from .draft_items import DraftItem
    from .yaml_records import LineDict

_BLANK = r"[\s_＿Xx×Ｘ○〇\u3000]*"
# a date left for the hand: "年 月 日", "20  年  月  日", "____年__月__日", "20XX年X月X日", "20XX年", "日期："
_YEAR = r"(?:20\d{2}|20|二〇|二○|二0)?"
HAND_DATE = re.compile(rf"{_YEAR}{_BLANK}年(?:{_BLANK}月{_BLANK}日)?|日\s*期\s*[：:]{_BLANK}")
_HAND_DATE_IN_LINE = re.compile(rf"{_YEAR}{_BLANK}年{_BLANK}月{_BLANK}日|日\s*期\s*[：:]")
SIGN_WORDS = re.compile(r"签\s*名|签\s*字|盖\s*章|签\s*章|手\s*印|捺\s*印")
# one signing field: a label naming a signature or seal, its colon, then only writing space
_SIGN_FIELD = re.compile(r"(?P<label>[^\s：:_＿]{1,20}?)\s*[：:]?[\s_＿]*")
_FIELD_GAP = re.compile(r"[ \t]{2,}|[\u3000\t]+")  # what separates two fields typed on one line
RECEIPT = re.compile(r"[\u4e00-\u9fff（）()]{0,16}(送达回证|回执|回条|回单)")
ATTACHMENT_LABEL = re.compile(r"附\s*件\s*\d*\s*[：:]?")  # "附件2" over an 附件's title
# 联系人：张三，联系电话：1234567 typed under the date (the 附注 of a 请示)
CONTACT = re.compile(r"[（(]?联\s*系\s*人\s*[：:]\s*(?P<who>[^，,；;\s）)]+)[\s，,；;]*(?:联\s*系\s*)?电\s*话\s*"
                     r"[：:]\s*(?P<phone>[\d\-－— ]{5,20})[）)。]?")
MAX_PER_ROW = 4  # 签字栏 fields on one line (the model's limit)
SERVICE = re.compile(r"送达回证")
# the letters' 送达回证 (templates/letters/*.yaml `slip`), in their order, with the words that name each
# when typed (the signature before 受送达人, 受送达人 before 送达人: one contains the other)
SERVICE_FIELDS = (("送达文书名称", ("文书",)), ("送达机关", ("机关", "单位")), ("受送达人", ()),
                  ("送达地点", ("地点", "地址")), ("送达方式", ("方式",)), ("送达人", ()),
                  ("受送达人签名或捺印", ("签名", "签字", "签章", "捺印", "签收人")), ("签收日期", ("日期", "时间")))
_SERVICE_MATCH = ("送达文书名称", "送达机关", "受送达人签名或捺印", "受送达人", "送达地点", "送达方式", "送达人",
                  "签收日期")
HAND_DATE_CELL = "年　月　日"  # a blank 签收日期
# relative column widths of the form, in 4号 characters with the cell margins: 「受送达人签名或捺印」,
# 「送达机关」 and 「年　月　日」 on one line each, and 「入学通知书（城小入字」 before a 文号 that starts
# the next line whole
SERVICE_WIDTHS = (9.9, 10.9, 4.9, 5.9)
_LABELLED = re.compile(r"(?P<label>[^\s：:]{1,12})\s*[：:]\s*(?P<value>.*)")
_PLACEHOLDER = "〈日期〉"


@dataclass(frozen=True)
class SignBlock:
    """签字栏 found in a draft: its labels in reading order, fields per line, a blank date under them."""

    labels: list[str]
    per_row: int
    dated: bool
    number: int  # the first line's paragraph (or line) number


def is_hand_date(text: str) -> bool:
    """A line that is only a date left for the hand ("年 月 日", "20XX年")."""
    squeezed = text.strip()
    return 0 < len(squeezed) <= 24 and HAND_DATE.fullmatch(squeezed) is not None


def sign_labels(text: str) -> tuple[list[str], bool] | None:
    """The signing fields of one line ("教师（签名）：____  校长（签名）：____" → [教师（签名）, 校长（签名）])
    and whether it holds a blank date; None when the line is not only signing fields (and dates)."""
    marked = _HAND_DATE_IN_LINE.sub(f"  {_PLACEHOLDER}  ", text.strip())
    labels: list[str] = []
    dated = False
    for segment in filter(None, (s.strip(" _＿") for s in _FIELD_GAP.split(marked))):
        if _PLACEHOLDER in segment:
            if segment.replace(_PLACEHOLDER, "").strip(" _＿：:"):
                return None
            dated = True
            continue
        field = _SIGN_FIELD.fullmatch(segment)
        if field is None or not SIGN_WORDS.search(field["label"]):
            return None
        labels.append(field["label"].rstrip("：:"))
    return (labels, dated) if labels or dated else None


def sign_block_start(items: list[DraftItem]) -> tuple[int, SignBlock | None]:
    """Where the signing lines at the end of `items` begin (len(items) when there are none) and the
    签字栏 they make. Blank-date lines among them date the fields."""
    start = len(items)
    labels: list[str] = []
    dated = False
    per_row = 1
    while start > 0 and items[start - 1].is_text:
        found = sign_labels(items[start - 1].text)
        if found is None:
            break
        labels = found[0] + labels
        dated |= found[1]
        per_row = max(per_row, len(found[0]))
        start -= 1
    if not labels:
        return len(items), None
    return start, SignBlock(labels, min(per_row, MAX_PER_ROW), dated, items[start].number)


def typed_lines(items: list[DraftItem]) -> tuple[list[str], list[tuple[str, str]], bool]:
    """The lines typed under a slip's heading (cut lines skipped): (sentences, 「标签：内容」 fields —
    the content without its writing line —, whether a blank date line is among them)."""
    text: list[str] = []
    labelled: list[tuple[str, str]] = []
    dated = False
    for item in items:
        if not item.is_text or is_cut_line(item.text):
            continue
        if is_hand_date(item.text):
            dated = True
            continue
        for segment in filter(None, (s.strip() for s in _FIELD_GAP.split(item.text.strip()))):
            field = _LABELLED.fullmatch(segment)
            if field is None:
                text.append(segment)
            else:
                labelled.append((field["label"], field["value"].strip(" _＿")))
    return text, labelled, dated


def tear_off_receipt(items: list[DraftItem], cut_text: str = "") -> LineDict | None:
    """A 回执 typed after the letter (its heading, then sentences, 「标签：」 fields, a blank date) as the
    YAML 回执 mapping (标题, 正文, 栏目 — 「标签: 内容」 where something was typed —, 日期, and the
    words typed on the cut line above it as 裁剪线文字); None when it holds a table or picture,
    nothing, or more fields than a slip takes (`MAX_RECEIPT_FIELDS`)."""
    if not all(i.is_text for i in items):
        return None
    text, labelled, dated = typed_lines(items[1:])
    if len(labelled) > MAX_RECEIPT_FIELDS or not (text or labelled or dated):
        return None
    first = items[0]
    receipt = located(first.number)
    put(receipt, "标题", re.sub(r"\s", "", first.text), first.number)
    if text:
        put(receipt, "正文", text, first.number)
    if labelled:
        put(receipt, "栏目", [{label: value} if value else label for label, value in labelled], first.number)
    if dated:
        put(receipt, "日期", "是", first.number)
    if cut_text:
        put(receipt, "裁剪线文字", cut_text, first.number)
    return receipt


def service_form(items: list[DraftItem], *, document: str, doc_number: str | None, issuer: str,
                 recipient: str) -> tuple[list[str], list[list[str]]]:
    """The letters' 送达回证 from the lines typed under a 送达回证 heading: (lines kept as text above
    the form, the form's rows of four cells — label, value, label, value). Typed 「标签：内容」 fill the
    fields (a label the form lacks is added before 备注); the 送达文书名称 is the letter's title (or
    the typed name) with its 文号, 送达机关 the 署名, 受送达人 the 主送, 签收日期 a blank date."""
    typed: dict[str, str] = {}
    extra: list[tuple[str, str]] = []
    text, labelled, dated = typed_lines(items)
    if dated:
        typed["签收日期"] = ""
    for label, value in labelled:
        name = next((n for n in _SERVICE_MATCH if n in label or any(
            w in label for w in dict(SERVICE_FIELDS)[n])), None)
        if name is None:
            extra.append((label, value))
        else:
            typed[name] = value
    name = typed.get("送达文书名称") or document
    if doc_number and doc_number not in name:
        name = f"{name}（{doc_number}）"
    values = {"送达文书名称": name, "送达机关": typed.get("送达机关") or issuer,
              "受送达人": typed.get("受送达人") or re.sub(r"[：:]$", "", recipient.strip()),
              "签收日期": typed.get("签收日期") if re.search(r"\d", typed.get("签收日期", "")) else HAND_DATE_CELL}
    cells = [(n, values.get(n, typed.get(n, ""))) for n, _ in SERVICE_FIELDS]
    cells += [(label, value) for label, value in extra if label != "备注"]
    remark = next((value for label, value in extra if label == "备注"), None)
    rows = [[*cells[i], *(cells[i + 1] if i + 1 < len(cells) else ("", ""))] for i in range(0, len(cells), 2)]
    if remark is not None:
        rows.append(["备注", remark, "", ""])
    return text, rows


def doc_number_of(item: DraftItem) -> str | None:
    """The 发文字号 a line holds (any brackets, 第, 虚位, in round brackets or not), as typed; else None."""
    if not item.is_text:
        return None
    text = item.text.strip()
    wrapped = re.fullmatch(r"[（(](.+)[）)]", text)
    text = wrapped[1].strip() if wrapped else text
    try:
        normalize_doc_number(text)
    except NormalizeError:
        return None
    return text


def is_cut_line(text: str) -> bool:
    """A cut line above a slip: dashes, dots or scissors, perhaps with words (`cut_line.cut_line_words`)."""
    return cut_line_words(text) is not None


def receipt_start(items: list[DraftItem]) -> int | None:
    """The index of a 送达回证/回执 heading after the letter's title (not an 附件's title), or None."""
    for n in range(2, len(items)):
        item = items[n]
        text = re.sub(r"\s", "", item.text)
        before = next((i for i in reversed(items[:n]) if not (i.is_text and is_cut_line(i.text))), None)
        if (item.is_text and len(text) <= 20 and RECEIPT.fullmatch(text)
                and not (before is not None and before.is_text and ATTACHMENT_LABEL.fullmatch(before.text.strip()))):
            return n
    return None
