"""Characters no installed font can draw, found in a YAML document before layout, so the message
names the YAML line (``通知.yaml:6 标题: 字符“…”…``) instead of a page and line of the output."""

from __future__ import annotations

from typing import Any

from .. import gbt9704 as g
from ..errors import Location, Problems
from ..fonts import FontSet, resolve_fonts
from .yaml_records import LineDict


def check_yaml_glyphs(data: LineDict, file: str, problems: Problems, fonts: FontSet | None = None) -> None:
    """Report in `problems` every character of `data`'s strings that no font has, at its line."""
    fonts = fonts or resolve_fonts()
    strings = list(_strings(data, None, None))
    every = "".join(dict.fromkeys("".join(text for text, _, _ in strings)))
    if not any(fonts.fallback_face(c, g.FONT_FANGSONG) is None for c in fonts.missing_chars(every, g.FONT_FANGSONG)):
        return  # the common case: one pass over the distinct characters
    for text, line, key in strings:
        fonts.check_text(text, g.FONT_FANGSONG, Location(file, line=line, column=key), problems)


def _strings(value: Any, line: int | None, key: str | None):
    """(text, line, key) of every string in `value`, with the line of the key that holds it."""
    if isinstance(value, str):
        yield value, line, key
    elif isinstance(value, LineDict):
        for k, v in value.items():
            yield from _strings(v, value.lines.get(k, line), str(k))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, line, str(k))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, line, key)
