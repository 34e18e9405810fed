"""Turn one raw cell (as openpyxl or the CSV reader gives it) into a clean value of its column's type.

`clean_value` returns None for an empty cell and raises `CellError` (a Chinese message) for a value
that cannot be read. Hand-typed values are forgiven what is harmless: surrounding spaces (also
full-width), full-width digits and letters, "x" for "X" in ID numbers, Excel serial dates.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta

from ..model.limits import cell_problem
from ..support.normalize import DATE_HINT, NormalizeError, parse_date
from .idcard import IdNumberError, parse_id
from .schema import Column

# Full-width ASCII variants (U+FF01–U+FF5E) map to ASCII by a fixed offset; U+3000 is the ideographic space.
_FULLWIDTH_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_FULLWIDTH_DIGITS = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}  # ０–９ → 0–9
_BLANK_CHARS = "\u3000\u00a0\u200b\ufeff"
_ALL_BLANKS = re.compile(rf"[\s{_BLANK_CHARS}]+")
_NAME_DOTS = re.compile(r"[.·•‧・．⋅∙]")
# Excel's date serial 1 is 1900-01-01; with the 1900 leap-year bug, serials ≥ 61 count from 1899-12-30.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_SERIAL_MAX = 2958465  # 9999-12-31
_DATE_SERIAL = re.compile(r"\d{4,5}")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_SCIENTIFIC = re.compile(r"\d(\.\d+)?[eE]\+?\d+")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"(0\d{2,3}-?)?[1-9]\d{6,7}(-\d{1,6})?")
_PHONE_SEPARATORS = re.compile(r"[/、,，;；]")
_EXCEL_SIGNIFICANT_DIGITS = 15  # Excel keeps 15 significant digits of a number
_LOST_DIGITS = (
    "以数字格式存储，Excel 数字只保留 15 位有效数字，18 位身份证号的末几位已丢失，无法还原；"
    "请把该列设为文本格式后重新填写原始号码"
)


class CellError(ValueError):
    """A cell value that cannot be read as its column's type; the message is Chinese."""


def to_ascii(text: str) -> str:
    """Fold full-width digits, letters and punctuation to ASCII (Chinese text is left alone)."""
    return text.translate(_FULLWIDTH_TO_ASCII)


def display(raw: object) -> str:
    """A raw cell as the clerk sees it, for messages: 17 not 17.0, dates as 2020-09-10."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e16:
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat(" ")
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw)


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip(" \t\r\n" + _BLANK_CHARS))


def clean_value(column: Column, raw: object) -> object:
    """The clean value of `raw` for `column`, None when blank; `CellError` when unreadable."""
    if is_blank(raw):
        return None
    if isinstance(raw, str) and (too_long := cell_problem(raw, short=column.type != "text")):
        raise CellError(too_long)
    cleaner = _CLEANERS[column.type]
    return cleaner(column, raw)


def _text(column: Column, raw: object) -> str:
    """The text as typed, blanks around it dropped and full-width digits made Arabic (一年级１班 →
    一年级1班: a 公文 prints half-width numerals, and file names follow the text)."""
    return display(raw).strip(" \t\r\n" + _BLANK_CHARS).translate(_FULLWIDTH_DIGITS)


def _name(column: Column, raw: object) -> str:
    text = _ALL_BLANKS.sub("", display(raw))
    text = _NAME_DOTS.sub("·", text).strip("·")
    if any(ch.isdigit() for ch in text):
        raise CellError("姓名中不应有数字")
    return text


def _enum(column: Column, raw: object) -> str:
    text = _ALL_BLANKS.sub("", to_ascii(display(raw)))
    if text in column.values:
        return text
    if text in column.aliases:
        return column.aliases[text]
    raise CellError(f"应为 {'、'.join(column.values)} 之一")


def _parse_number(raw: object) -> float:
    if isinstance(raw, bool):
        raise CellError("应为数字")
    if isinstance(raw, (int, float)):
        value = float(raw)
    else:
        text = _ALL_BLANKS.sub("", to_ascii(display(raw))).replace(",", "")
        if not _NUMBER.fullmatch(text):
            raise CellError("应为数字")
        value = float(text)
    if not math.isfinite(value):
        raise CellError("应为数字")
    return value


def _number(column: Column, raw: object) -> float:
    value = _parse_number(raw)
    _check_bounds(column, value)
    return value


def _int(column: Column, raw: object) -> int:
    value = _number(column, raw)
    if not value.is_integer():
        raise CellError("应为整数")
    return int(value)


def _percent(column: Column, raw: object) -> float:
    """A fraction: "98.5%" → 0.985, 0.985 → 0.985, 98.5 → 0.985 (a plain number above 1 is a percent)."""
    text = _ALL_BLANKS.sub("", to_ascii(raw)) if isinstance(raw, str) else None
    if text is not None and text.endswith("%"):
        fraction = _parse_number(text[:-1]) / 100
    else:
        number = _parse_number(raw if text is None else text)
        fraction = number / 100 if number > 1 else number
    _check_bounds(column, fraction)
    return fraction


def _check_bounds(column: Column, value: float) -> None:
    """`min`/`max` of a percent column are fractions too (0.95 = 95%)."""
    if column.min is not None and value < column.min:
        raise CellError(f"不应小于 {_bound_text(column, column.min)}")
    if column.max is not None and value > column.max:
        raise CellError(f"不应大于 {_bound_text(column, column.max)}")


def _bound_text(column: Column, bound: float) -> str:
    if column.type == "percent":
        return f"{bound * 100:g}%"
    return f"{bound:g}"


def _date(column: Column, raw: object) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return _from_serial(raw)
    text = to_ascii(display(raw)).strip(" \t\r\n" + _BLANK_CHARS)
    if _DATE_SERIAL.fullmatch(text):
        return _from_serial(int(text))
    try:
        return parse_date(text)
    except NormalizeError as exc:
        raise CellError(str(exc)) from None


def _from_serial(serial: float) -> date:
    """An Excel date serial number (days, 1900 date system) as a date."""
    if not (1 <= serial <= _EXCEL_SERIAL_MAX) or not float(serial).is_integer():
        raise CellError(f"不是有效日期，{DATE_HINT}")
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def _id_number(column: Column, raw: object) -> str:
    if isinstance(raw, bool):
        raise CellError("应为 18 位身份证号")
    if isinstance(raw, float):
        raise CellError(_LOST_DIGITS)
    if isinstance(raw, int):
        text = str(raw)
        if _lost_trailing_digits(text) and not _id_is_valid(text):
            raise CellError(_LOST_DIGITS)
    else:
        text = _ALL_BLANKS.sub("", to_ascii(display(raw))).lstrip("'").upper()
        if _SCIENTIFIC.fullmatch(text):
            raise CellError(_LOST_DIGITS)
    try:
        parse_id(text, today=date.today())
    except IdNumberError as exc:
        raise CellError(str(exc)) from None
    return text


def _lost_trailing_digits(digits: str) -> bool:
    """True when an 18-digit number ends in the zeros Excel puts after its 15 significant digits."""
    return len(digits) > _EXCEL_SIGNIFICANT_DIGITS and set(digits[_EXCEL_SIGNIFICANT_DIGITS:]) == {"0"}


def _id_is_valid(text: str) -> bool:
    try:
        parse_id(text)
    except IdNumberError:
        return False
    return True


def _phone(column: Column, raw: object) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = _ALL_BLANKS.sub("", to_ascii(display(raw)))
    numbers = [n for n in _PHONE_SEPARATORS.split(text) if n]
    cleaned = []
    for number in numbers:
        plain = number.removeprefix("+86").replace("(", "").replace(")", "-").lstrip("-")
        if len(plain) == 13 and plain.startswith("86"):
            plain = plain[2:]
        if not (_MOBILE.fullmatch(plain) or _LANDLINE.fullmatch(plain)):
            raise CellError("不是有效的电话号码（11 位手机号，或 区号-号码）")
        cleaned.append(plain)
    return "/".join(cleaned)


_CLEANERS = {
    "text": _text,
    "name": _name,
    "enum": _enum,
    "int": _int,
    "number": _number,
    "percent": _percent,
    "date": _date,
    "id_number": _id_number,
    "phone": _phone,
}
