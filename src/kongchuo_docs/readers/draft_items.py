"""A draft as its readers hand it over — `DraftItem`s, one per paragraph, table or picture — and the
mapping the recogniser builds from them: values with the paragraph they were found at (`put`), 正文
lists with each entry's paragraph (`Paras`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .yaml_records import LineDict

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # invisible control characters a draft may carry


@dataclass(frozen=True)
class DraftItem:
    """One paragraph, table or picture of a draft; `number` is its place in the draft (1-based)."""

    number: int
    text: str = ""
    align: str = "left"  # left, center, right, justify
    bold: bool = False
    size_pt: float | None = None  # the largest run's size, when the draft says
    indented: bool = False  # left indent of four characters or more (a signature block)
    table: list[list[str]] | None = None
    image: tuple[str, float] | None = None  # (file name in `Draft.images`, width mm)

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", _CONTROL.sub("", self.text))

    @property
    def is_text(self) -> bool:
        return self.table is None and self.image is None


class Paras(list):
    """A 正文 value: paragraph texts and table/picture mappings, with each one's paragraph number."""

    def __init__(self, items: list[Any] = (), numbers: list[int] = ()):  # type: ignore[assignment]
        super().__init__(items)
        self.numbers = list(numbers)

    def add(self, value: Any, number: int) -> None:
        self.append(value)
        self.numbers.append(number)


def located(number: int | None = None) -> LineDict:
    """An empty mapping placed at paragraph `number` (None: a part the draft lacks)."""
    d = LineDict()
    d.line = number
    return d


def put(d: LineDict, key: str, value: Any, number: int | None) -> None:
    """Set `key` of `d` to `value`, found at paragraph `number`."""
    d[key] = value
    d.lines[key] = number
