"""Characters no installed font can draw, found in a YAML input before layout, so the message names
the YAML line (``通知.yaml:6 标题: 字符“…”…``) instead of a page and line of the output."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .. import gbt9704 as g
from ..errors import Location, Problems
from ..system.fonts import resolve_fonts


def check_glyphs(texts: Iterable[tuple[str, Location]], problems: Problems) -> None:
    """Report in `problems` every character of the texts that no installed font has, at its location."""
    texts = list(texts)
    fonts = resolve_fonts()
    every = "".join(dict.fromkeys("".join(text for text, _ in texts)))
    missing = fonts.missing_chars(every, g.FONT_FANGSONG)
    if all(fonts.fallback_face(c, g.FONT_FANGSONG) is not None for c in missing):
        return  # the common case: one pass over the distinct characters
    for text, where in texts:
        fonts.check_text(text, g.FONT_FANGSONG, where, problems)


def check_yaml_glyphs(data: Any, file: str, problems: Problems) -> None:
    """`check_glyphs` over every string of a loaded YAML document (a `LineDict`), at its key's line."""
    check_glyphs(_strings(data, Location(file), set()), problems)


def _strings(value: Any, where: Location, seen: set[int]) -> Iterator[tuple[str, Location]]:
    """(text, location) of every string in `value`, located at the line of the key that holds it.

    A mapping or list that YAML aliases repeat is walked once (`seen` holds the ids of the walked ones),
    so the walk is linear in the file's size, whatever its aliases would expand to."""
    if isinstance(value, str):
        yield value, where
        return
    if not isinstance(value, (dict, list)) or id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, dict):
        lines = getattr(value, "lines", {})
        for key, item in value.items():
            line = lines.get(key, where.line)
            yield from _strings(item, Location(where.file, line=line, column=str(key)), seen)
    else:
        for item in value:
            yield from _strings(item, where, seen)
