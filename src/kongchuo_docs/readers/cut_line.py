"""A cut line as clerks type it above a tear-off 回执: a row of dashes, dots or scissors, perhaps with
words in it — 「--------（请沿此线剪下）--------」, 「✂……沿虚线剪开……」, 「------ 此联剪下交回学校 ------」.
The words are kept (without the dashes and scissors around them) and printed on the drawn cut line
(`model.Receipt.cut_text`)."""

from __future__ import annotations

import re

from .notice_keys import MAX_CUT_TEXT_CHARS

_DECOR = "-－—–─━┄┅┈┉╌╍…⋯·•.．。=＝~～_＿*＊✂✃✄✁✀"
_DECOR_CHARS = frozenset(_DECOR)
_AROUND = re.compile(rf"^[{re.escape(_DECOR)}\s]+|[{re.escape(_DECOR)}\s]+$")
_CUT_VERB = re.compile(r"剪|撕|裁")
_BRACKETED = re.compile(r"[（(][^（）()]+[）)]")
MIN_DECOR = 4  # dashes, dots or scissors a typed line needs to be a cut line


def cut_line_words(text: str) -> str | None:
    """The words typed on a cut line ("" when it is only dashes or scissors), None when `text` is not
    one: at least `MIN_DECOR` dashes, dots or scissors (or only 「（沿此线剪下）」), any words between them short
    (`MAX_CUT_TEXT_CHARS`) and about cutting (剪, 撕, 裁)."""
    words = clean_cut_text(text)
    if sum(c in _DECOR_CHARS for c in text) < MIN_DECOR and not _BRACKETED.fullmatch(words):
        return None
    if words and (len(words) > MAX_CUT_TEXT_CHARS or not _CUT_VERB.search(words)):
        return None
    return words


def clean_cut_text(text: str) -> str:
    """`text` without the dashes, dots, scissors and spaces around it, and without spaces inside it:
    「-----（请沿此线剪下）-----」 → 「（请沿此线剪下）」."""
    return re.sub(r"\s+", "", _AROUND.sub("", text.strip()))
