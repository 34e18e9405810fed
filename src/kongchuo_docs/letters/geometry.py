"""Layout rules the DOCX and PDF engines share, in characters (em of the 3号 body font).

GB/T 9704 §7.3.5.1 (with seal): the date is right-indented 4 characters and the issuer is centred
over the date. Widths count full-width characters as 1 and half-width ones as ½ (`layout.text.char_em`).
"""

from __future__ import annotations

from .. import gbt9704
from ..layout.text import char_em


def text_em(text: str) -> float:
    """Width of `text` in em of its font size (full-width 1, half-width ½)."""
    return sum(char_em(c) for c in text)


def seal_signature_indents(issuer: str, date: str) -> tuple[float, float]:
    """(issuer, date) right indents in characters: date 4 in, issuer centred over the date (≥ 0)."""
    date_indent = float(gbt9704.SEAL_DATE_RIGHT_INDENT_CHARS)
    issuer_indent = date_indent + (text_em(date) - text_em(issuer)) / 2
    return max(issuer_indent, 0.0), date_indent
