"""File names made from user text (a school, a 乙方, a child): the one function that makes them safe.

A name is safe on Windows, macOS and Linux: no path separators, no characters Windows refuses
(``\\ / : * ? " < > |``, control characters), no whitespace runs, no trailing dots or spaces, not
a reserved device name (CON, NUL.txt, COM1…), not "." or "..", and at most `MAX_STEM_BYTES` bytes
of UTF-8, leaving room for a suffix within the 255-byte limit of common file systems.
`UniqueNames` keeps the names of one folder distinct when two inputs map to the same name.
"""

from __future__ import annotations

import re

UNNAMED = "未命名"  # the stem of a name with no usable character, when the caller has no better word
MAX_STEM_BYTES = 150  # UTF-8 bytes of a stem: 50 CJK characters; + "_99-单份.zip" stays far below 255
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\s]+')
_RESERVED = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?", re.IGNORECASE)


def safe_stem(text: str, fallback: str) -> str:
    """`text` as a file-name stem (no suffix); `fallback` when nothing usable is left."""
    stem = _UNSAFE.sub("_", text).strip("_. ")
    stem = _shorten(stem, MAX_STEM_BYTES).rstrip("_. ")
    if not stem:
        stem = fallback
    if _RESERVED.fullmatch(stem):
        stem = f"_{stem}"
    return stem


def _shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-8 bytes at a character boundary."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")


class UniqueNames:
    """Stems of one folder, kept distinct: the second "学校" (or "." that falls back to it) becomes
    "学校_2". Compared case-insensitively, as Windows and macOS do."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def stem(self, text: str, fallback: str) -> str:
        base = safe_stem(text, fallback)
        stem, number = base, 1
        while stem.casefold() in self._taken:
            number += 1
            stem = f"{_shorten(base, MAX_STEM_BYTES - 8).rstrip('_. ')}_{number}"
        self._taken.add(stem.casefold())
        return stem
