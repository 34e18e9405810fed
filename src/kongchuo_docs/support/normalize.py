"""Normalise what clerks type: dates, 发文字号, punctuation, spaces pasted from web pages.

Each function returns the normalised value and, where it changed something the clerk should
know about, a warning text; malformed input raises `NormalizeError` with a Chinese message.
"""

from __future__ import annotations

import datetime as dt
import re

from ..errors import Location, Problems
from ..gbt9704 import format_date

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_DATE_NUMERIC = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"  # a time Excel appended to a date typed as text
)
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DATE_CHINESE = re.compile(
    r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)
DATE_HINT = "应写作 2020-09-10、2020/9/10、2020.9.10 或 2020年9月10日"


class NormalizeError(ValueError):
    """A value that cannot be normalised; the message is for the clerk."""


def _cn_number(text: str) -> int:
    """一…三十一 → 1…31."""
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]


def parse_date(value: object) -> dt.date:
    """A date from any common spelling: 2020年9月10日, 2020-09-10, 2020/9/10, 2020.9.10,
    20200910, 二〇二〇年九月十日, or a date object."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().translate(_FULLWIDTH_DIGITS)
    parts: tuple[int, int, int] | None = None
    for pattern in (_DATE_NUMERIC, _DATE_COMPACT):
        m = pattern.fullmatch(text)
        if m:
            parts = (int(m[1]), int(m[2]), int(m[3]))
            break
    else:
        m = _DATE_CHINESE.fullmatch(text)
        if m:
            year = int("".join(str(_CN_DIGITS[c]) for c in m[1]))
            parts = (year, _cn_number(m[2]), _cn_number(m[3]))
    if parts is None:
        raise NormalizeError(f"不是可识别的日期，{DATE_HINT}")
    try:
        return dt.date(*parts)
    except ValueError:
        raise NormalizeError(f"不是有效日期，{DATE_HINT}") from None


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_DOC_NUMBER = re.compile(
    r"(?P<code>[\u4e00-\u9fff][\u4e00-\u9fffA-Za-z]*)\s*"
    r"(?P<open>[〔\[【(（［])\s*(?P<year>\d{2,4})\s*(?P<close>[〕\]】)）］])\s*"
    r"(?P<di>第)?\s*(?P<seq>\d+)\s*(?P<hao>号)?"
)


DOC_NUMBER_MAX_CHARS = 40  # characters: a joint 发文字号 is rarely over 15; longer is a pasting slip


def normalize_doc_number(text: str) -> tuple[str, list[str]]:
    """发文字号 as 代字〔YYYY〕N号 (§7.2.5); returns the normalised text and warnings.

    Square, lenticular or round brackets, a 第, leading zeros or a missing 号 are corrected with
    a warning; a two-digit year or anything unrecognisable is an error (offering the form).
    """
    raw = text.strip().translate(_FULLWIDTH_DIGITS)
    if len(raw) > DOC_NUMBER_MAX_CHARS:
        raise NormalizeError(f"发文字号过长（{len(raw)} 字，最多 {DOC_NUMBER_MAX_CHARS} 字）")
    m = _DOC_NUMBER.fullmatch(raw)
    example = "如 某教综〔2020〕47号"
    if not m:
        raise NormalizeError(f"发文字号应为“机关代字〔年份〕序号号”，{example}")
    code, year, seq = m["code"], m["year"], int(m["seq"])
    fixed = f"{code}〔{year}〕{seq}号"
    if len(year) != 4:
        raise NormalizeError(f"年份应写全四位数，可改为 {code}〔20{year}〕{seq}号")
    warnings = []
    if m["open"] != "〔" or m["close"] != "〕":
        warnings.append(f"年份应使用六角括号〔〕，已改为 {fixed}")
    if m["di"]:
        warnings.append(f"发文字号不加“第”，已改为 {fixed}")
    if m["seq"] != str(seq):
        warnings.append(f"序号不编虚位（不加 0），已改为 {fixed}")
    if not m["hao"]:
        warnings.append(f"序号后应有“号”，已改为 {fixed}")
    if fixed != raw and not warnings:
        warnings.append(f"已规范为 {fixed}")
    return fixed, warnings


def checked_doc_number(text: str, where: Location, problems: Problems) -> str | None:
    """`normalize_doc_number` reporting into `problems`: a correction is a warning, a wrong form an error
    (then None)."""
    try:
        fixed, warnings = normalize_doc_number(text)
    except NormalizeError as exc:
        problems.error(where, str(exc), text)
        return None
    for message in warnings:
        problems.warning(where, message, text)
    return fixed


def number_year_problem(number: str, date: dt.date) -> str | None:
    """The complaint when the 〔year〕 of 发文字号 `number` is not the year of its 成文日期 `date`
    (numbers run per calendar year), else None (also when `number` has no readable year)."""
    m = _DOC_NUMBER.fullmatch(number.strip().translate(_FULLWIDTH_DIGITS))
    if m is None or len(m["year"]) != 4 or int(m["year"]) == date.year:
        return None
    return f"发文字号的年份 {m['year']} 与成文日期 {format_date(date)} 不在同一年"


def check_number_year(number: str | None, date: dt.date | None, where: Location, problems: Problems) -> None:
    """`number_year_problem` as a warning at `where` when both are known."""
    message = number_year_problem(number, date) if number and date else None
    if message:
        problems.warning(where, message, number)


_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_CJK = r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f“”‘’《》（）、。，；：？！]"
_HALF_PUNCT_NEAR_CJK = re.compile(rf"(?<={_CJK})\s*([,;:?!()])|([,;:?!()])\s*(?={_CJK})")


def warn_half_width(problems: Problems, where: Location, changed: list[str]) -> None:
    """The warning for half-width marks fixed in one line of input, saying which line to change."""
    marks = "".join(dict.fromkeys(changed))
    line = f"第 {where.line} 行" if where.line is not None else "此处"
    problems.warning(where, f"中文中使用了半角标点 {marks}，已按全角排版；请把{line}的 {marks} 改为全角")


def fix_half_width_punctuation(text: str) -> tuple[str, list[str]]:
    """Half-width , ; : ? ! ( ) touching Chinese text → full-width; returns text and the marks
    changed (for one warning). "10:30", "(2020)" between digits and ASCII stay as they are."""
    changed: list[str] = []

    def repl(m: re.Match[str]) -> str:
        ch = m.group(1) or m.group(2)
        changed.append(ch)
        return _HALF_TO_FULL[ch]

    fixed = _HALF_PUNCT_NEAR_CJK.sub(repl, text)
    # a parenthesis pair whose one side touched Chinese: convert its partner too
    if "（" in fixed and ")" in fixed:
        fixed = re.sub(r"（([^()（）]*)\)", r"（\1）", fixed)
    if "）" in fixed and "(" in fixed:
        fixed = re.sub(r"\(([^()（）]*)）", r"（\1）", fixed)
    return fixed, changed


# spaces a web page or Word leaves in pasted text: no-break (U+00A0), the U+2000…U+200B family,
# narrow no-break (U+202F), tabs. Ideographic spaces (U+3000) are typed on purpose (the blanks of
# "填报时间：　　年　　月　　日") and stay.
_SPACE = r"[ \t\u00a0\u2000-\u200b\u202f]"
_WIDE = r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f“”‘’《》（）〔〕「」【】、。，；：？！—…·]"
_SPACE_BESIDE_WIDE = re.compile(rf"(?<={_WIDE}){_SPACE}+|{_SPACE}+(?={_WIDE})")
_SPACE_RUN = re.compile(rf"{_SPACE}+")
_LEADING_NUMBER = re.compile(rf"\d+[.．]{_SPACE}+")


def fix_web_spaces(text: str) -> tuple[str, bool]:
    """Pasted spaces next to Chinese text or full-width punctuation removed ("“控辍保学” 工作", "6-15 周岁":
    the type sets its own gap between Chinese and digits), other runs of spaces (no-break ones
    included) made one plain space, ends trimmed; returns the text and whether anything inside
    it changed (for `warn_web_spaces`)."""
    text = text.strip(" \t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b"
                      "\u202f")
    number = _LEADING_NUMBER.match(text)  # "1. 落实…": the space after a heading number is typed
    head, rest = (number[0], text[number.end():]) if number else ("", text)
    fixed = _SPACE_RUN.sub(" ", _SPACE_BESIDE_WIDE.sub("", rest))
    return head + fixed, fixed != rest


def warn_web_spaces(problems: Problems, places: list[Location]) -> None:
    """One warning, at the first of `places`, for the spaces `fix_web_spaces` removed there,
    naming every line (YAML, text) or paragraph (Word draft)."""
    if not places:
        return
    lines = [str(p.line) for p in places if p.line is not None]
    paragraphs = [str(p.paragraph) for p in places if p.line is None and p.paragraph is not None]
    named = "、".join(f"第 {'、'.join(dict.fromkeys(numbers))} {unit}"
                     for numbers, unit in ((lines, "行"), (paragraphs, "段")) if numbers)
    problems.warning(places[0], f"{named or '文字'}中有从网页或 Word 粘贴带来的空格（含不间断空格），"
                                "已删去中文旁的空格、连续空格并为一个；如需留空请改用分段")
