"""Body text pasted from Word → model blocks, heading levels recognised from their numbering.

One non-empty line is one paragraph. Numbering (§7.3.3): ``一、`` level 1, ``（一）`` level 2,
``1.`` level 3, ``（1）`` level 4 (half-width brackets and ``1．``/``1、`` are accepted and
normalised with a warning). A level-2…4 heading whose first sentence ends in "。" and goes on
is a run-in heading: ``1. 落实控辍保学职责。根据…``; a level-1 line that is a whole sentence, and a
level-2…4 item that is one sentence with an inner "，" or longer than a line, is a numbered
paragraph in body type. A line ``[分页]`` (or ``【分页】``) is a
page break. Numbering is checked: each level counts 1, 2, 3… and restarts under a new parent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Location, Problems
from ..model import Heading, PageBreak, Paragraph
from ..model.document import Block
from ..model.limits import paragraph_problem
from ..support.normalize import fix_half_width_punctuation, fix_web_spaces, warn_half_width, warn_web_spaces

_CN = "一二三四五六七八九十"
_LEVELS = (
    (1, re.compile(rf"([{_CN}]+)\s*[、.．]\s*(.*)")),
    (2, re.compile(rf"[（(]\s*([{_CN}]+)\s*[）)]\s*(.*)")),
    (3, re.compile(r"(\d+)\s*([.．、])(?!\d)\s*(.*)")),
    (4, re.compile(r"[（(]\s*(\d+)\s*[）)]\s*(.*)")),
)
PAGE_BREAK_MARKS = ("[分页]", "【分页】")


def cn_to_int(text: str) -> int:
    """一…九十九 → 1…99 (heading numbers)."""
    if "十" not in text:
        return _CN.index(text) + 1 if len(text) == 1 else -1
    tens, _, ones = text.partition("十")
    t = _CN.index(tens) + 1 if tens else 1
    o = _CN.index(ones) + 1 if ones else 0
    return t * 10 + o


def int_to_cn(n: int) -> str:
    """1…999 → 一…九百九十九 (一百零一, 一百一十); other numbers stay in digits."""
    if not 1 <= n <= 999:
        return str(n)
    hundreds, rest = divmod(n, 100)
    if not hundreds:
        return _below_hundred(rest)
    head = _CN[hundreds - 1] + "百"
    if not rest:
        return head
    if rest < 10:
        return head + "零" + _CN[rest - 1]
    return head + ("一" if rest < 20 else "") + _below_hundred(rest)


def _below_hundred(n: int) -> str:
    if n <= 10:
        return _CN[n - 1]
    tens, ones = divmod(n, 10)
    return (_CN[tens - 1] if tens > 1 else "") + "十" + (_CN[ones - 1] if ones else "")


def _label(level: int, n: int) -> str:
    if level == 1:
        return f"{int_to_cn(n)}、"
    if level == 2:
        return f"（{int_to_cn(n)}）"
    return f"{n}." if level == 3 else f"（{n}）"


@dataclass(frozen=True)
class SourceLine:
    text: str
    location: Location


def parse_body(lines: list[SourceLine | Block], problems: Problems) -> list[Block]:
    """Blocks of a body; numbering and punctuation problems go to `problems` with their line.
    Blocks already made (a table among the lines) are passed through in their place."""
    blocks: list[Block] = []
    counters = [0, 0, 0, 0, 0]  # index = level
    spaced: list[SourceLine] = []  # lines whose pasted spaces were removed: one warning for all
    for src in lines:
        if not isinstance(src, SourceLine):
            blocks.append(src)
            continue
        text, changed_spaces = fix_web_spaces(src.text.strip())
        if changed_spaces:
            spaced.append(src)
        text = text.replace("\u3000", " ").strip()
        if not text:
            continue
        too_long = paragraph_problem(text)
        if too_long:
            problems.error(src.location, too_long)
            continue
        if text in PAGE_BREAK_MARKS:
            blocks.append(PageBreak())
            continue
        text, changed = fix_half_width_punctuation(text)
        if changed:
            warn_half_width(problems, src.location, changed)
        heading = heading_of(text)
        if heading is None:
            blocks.append(Paragraph(text=text))
            continue
        level, number, rest = heading
        expected = counters[level] + 1
        if number != expected:
            problems.error(
                src.location,
                f"{level}级标题编号不连续：此处为“{_label(level, number)}”，应为“{_label(level, expected)}”",
                text[:20],
            )
        counters[level] = number
        for deeper in range(level + 1, 5):
            counters[deeper] = 0
        label = _label(level, number)
        written = text[: len(text) - len(rest)].strip()
        if written != label:
            problems.warning(src.location, f"{level}级标题序号应写作“{label}”，已由“{written}”改正")
        blocks.append(_heading_block(level, label, rest))
    if spaced:
        warn_web_spaces(problems, [src.location for src in spaced])
    return blocks


def heading_of(text: str) -> tuple[int, int, str] | None:
    """(level, number, text after the number) when `text` starts with a heading number."""
    for level, pattern in _LEVELS:
        m = pattern.fullmatch(text)
        if not m:
            continue
        number = cn_to_int(m[1]) if level <= 2 else int(m[1])
        rest = m.groups()[-1]
        if number < 1 or not rest:
            return None
        return level, number, rest
    return None


HEADING_MAX_CHARS = 26  # a heading fits on one indented line; a longer item is a numbered paragraph


def _heading_block(level: int, label: str, rest: str) -> Heading | Paragraph:
    """A heading; a level-1 "heading" that is a whole sentence ("一、请你乡于…。") is a numbered
    paragraph in body type — 黑体 is for short headings only. A level-2…4 item is a run-in heading
    when a first sentence ending in "。" goes on (only that sentence in the heading face); an item
    that is one sentence ending in "。；！？" with an inner "，；" or longer than a line is a
    numbered paragraph in body type (a heading has no full stop, or is a short phrase)."""
    if level == 1 and any(mark in rest for mark in "。；！？"):
        return Paragraph(text=label + rest)
    if level >= 2:
        stop = rest.find("。")
        if 0 <= stop < len(rest) - 1:
            return Heading(level=level, text=label + rest[: stop + 1], run_in=rest[stop + 1 :])
        inner = rest.rstrip("。；！？")
        sentence = inner != rest and (any(mark in inner for mark in "，；！？")
                                      or len(label + rest) > HEADING_MAX_CHARS)
        if sentence:
            return Paragraph(text=label + rest)
    return Heading(level=level, text=label + rest)
