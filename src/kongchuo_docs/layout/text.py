"""Break Chinese text into lines that fill the 版心, with 禁则 (line-breaking rules).

Text is cut into *units* that never split: an ASCII word or number ("2020", "16.5%"), the year and
number of a 发文字号 ("〔2014〕215号"), a doubled dash or ellipsis ("——", "……"), or one character;
opening punctuation (《（“) clings to the unit after it and closing punctuation (。，、）》”) to the unit
before it, so no line starts with a closing mark or ends with an opening one
(``gbt9704.NO_LINE_START`` / ``NO_LINE_END``). Lines are filled
greedily; a unit that does not fit moves whole to the next line ("push-out", as Word and
LibreOffice do with hanging punctuation off).

Widths are measured by a `Measure`, a function from text to its advance width in pt. The default
`em_measure` counts full-width characters as 1 em and half-width ones as ½ em, which is what the
official fonts (仿宋_GB2312, 方正小标宋简体) do; the PDF writer passes a measure from the real font.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter

from .. import gbt9704

Measure = Callable[[str], float]
"""Advance width of a piece of text in pt, letter spacing included."""

_WIDE = frozenset("WFA")  # East Asian Width: wide, full-width, ambiguous (“”—… with the eastAsia hint)
# the year and number of a 发文字号 in running text ("〔2014〕215号", "[2013]第1号"): one unit
_DOC_NUMBER_UNIT = r"[〔\[［【]\d{4}[〕\]］】]第?\d+号"
_PIECE = _DOC_NUMBER_UNIT + r"|[A-Za-z0-9][A-Za-z0-9.,:/%\-_@+]*[A-Za-z0-9%]|[A-Za-z0-9]|——|……|\s+|."
"""What never splits: a 发文字号's year and number, a Latin word or number, a doubled dash or
ellipsis, a run of spaces, else one character."""
_OPENING = f"(?:(?!{_DOC_NUMBER_UNIT})[{re.escape(''.join(sorted(gbt9704.NO_LINE_END)))}])"
_CLOSING = f"(?:——|……|[{re.escape(''.join(sorted(gbt9704.NO_LINE_START)))}])"
_UNIT = re.compile(f"{_OPENING}*(?:{_PIECE}){_CLOSING}*", re.S)
"""A unit: opening marks (those that start no 发文字号), one piece, the closing marks after it."""
_DOC_NUMBER = re.compile(_DOC_NUMBER_UNIT)
_FIT_EPSILON_PT = 0.01  # float tolerance when comparing widths
_ROUNDING_PT = 1e-6  # far above the float error of summing a paragraph's widths in another order
_LATIN_CHAR = re.compile(r"[A-Za-z0-9]")
_LATIN_RUN = re.compile(r"[A-Za-z0-9]{2,}")
_LATIN_WORD = re.compile(r"[A-Za-z0-9]+")
_INNER_HYPHEN = re.compile(r"(?<=[A-Za-z0-9])-[A-Za-z0-9]")  # the character after it starts a run


@lru_cache(maxsize=4096)
def char_em(ch: str) -> float:
    """Width of one character in em: 1 for full-width (CJK, full-width punctuation), ½ otherwise."""
    if ch in "\u2014\u2026\u201c\u201d\u2018\u2019\u00b7":
        return 1.0
    return 1.0 if unicodedata.east_asian_width(ch) in _WIDE else 0.5


def em_measure(size_pt: float, spacing_pt: float = 0.0) -> Measure:
    """A measure for a font whose full-width glyphs are 1 em and half-width ½ em wide."""

    def measure(text: str) -> float:
        return sum(char_em(c) * size_pt + spacing_pt for c in text)

    return measure


def body_measure() -> Measure:
    """三号 body text with the −0.25 pt condensing of the DOCX (28 characters per line)."""
    return em_measure(gbt9704.BODY_SIZE_PT, gbt9704.BODY_CHAR_SPACING_TWIPS / gbt9704.TWIPS_PER_PT)


def units(text: str) -> list[str]:
    """Cut `text` into unbreakable units with punctuation attached per 禁则: opening marks cling to
    the piece after them, closing marks to the piece before them (at the very start, to the first);
    opening marks ending the text cling to the unit before them."""
    merged = _UNIT.findall(text)
    if len(merged) > 1 and all(c in gbt9704.NO_LINE_END for c in merged[-1]):
        tail = merged.pop()
        merged[-1] += tail
    return _glued(merged)


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _glued(pieces: list[str]) -> list[str]:
    """`pieces` with no break between a Latin word or number and an opening mark after it ("A（"):
    LibreOffice breaks none there (measured), so the layout must not."""
    out: list[str] = []
    for piece in pieces:
        if out and piece[0] in gbt9704.NO_LINE_END and _latin(out[-1][-1]):
            out[-1] += piece
        else:
            out.append(piece)
    return out


def starts_with_doc_number(text: str) -> bool:
    """Whether a line starts with a 发文字号 unit (after opening marks): the line above it must end
    with a forced break, as Word and LibreOffice would put part of the unit on it ("〔2014〕215 / 号";
    LibreOffice does so even with word joiners in the unit)."""
    return _DOC_NUMBER.match(text.lstrip("（《“‘「『(")) is not None


@lru_cache(maxsize=4096)
def script(ch: str) -> str:
    """"latin" for ASCII letters and digits, "cjk" for full-width text, "" for the rest."""
    if ch.isascii():
        return "latin" if ch.isalnum() else ""
    return "cjk" if char_em(ch) == 1.0 and unicodedata.category(ch).startswith("L") else ""


def _script_change(before: str, after: str) -> bool:
    """Whether Chinese meets Latin letters or digits between `before` and `after` (an automatic space)."""
    a, b = script(before), script(after)
    return bool(a and b and a != b)


def autospace_gaps(text: str) -> list[int]:
    """Indices i where an automatic space stands before text[i] (Chinese next to Latin/digits)."""
    gaps = []
    for run in _LATIN_WORD.finditer(text):  # a gap is at either end of a Latin run, where a CJK letter is
        start, end = run.span()
        if start and script(text[start - 1]) == "cjk":
            gaps.append(start)
        if end < len(text) and script(text[end]) == "cjk":
            gaps.append(end)
    return gaps


def script_class(ch: str) -> str:
    """LibreOffice's script of a character: "L" for printable ASCII, "A" for full-width characters
    (CJK and full-width punctuation), "" for the weak rest (spaces, “”—…), which take the script
    of the character before them."""
    if "!" <= ch <= "~":
        return "L"
    return "A" if ch not in "\u2014\u2026\u201c\u201d\u2018\u2019\u00b7" and char_em(ch) == 1.0 else ""


def script_runs(text: str, before: str = "") -> tuple[int, str]:
    """(how many script runs of `text` start in it, the script it ends in), after text ending in the
    script `before` ("" at a line's start): LibreOffice cuts a line into one text portion per run."""
    runs, last = 0, before
    for i, ch in enumerate(text):
        cls = script_class(ch)
        if cls and cls != last:
            runs, last = runs + 1, cls
        elif i and _INNER_HYPHEN.match(text, i - 1):
            runs += 1  # a new run after the word joiner the DOCX has there (`writers.ooxml.run`)
    return runs, last


def line_width(text: str, measure: Measure, autospace_pt: float = 0.0, run_end_pt: float = 0.0) -> float:
    """Natural width of a line in pt, automatic spaces included, and `run_end_pt` for each script run
    of the line that ends other than in an automatic space (see `break_lines`)."""
    width = measure(text)
    if run_end_pt:
        width += run_end_pt * (max(1, script_runs(text)[0]) - len(autospace_gaps(text)))
    if not autospace_pt or len(text) < 2 or text.isascii() or not _LATIN_CHAR.search(text):  # no boundary
        return width
    return width + autospace_pt * len(autospace_gaps(text))


def justifiable(text: str, natural_pt: float, width_pt: float, size_pt: float) -> bool:
    """Whether a line of `text` (natural width `natural_pt`) may be spread to `width_pt`: the
    added space per gap between characters is at most ``gbt9704.JUSTIFY_MAX_GAP_EM`` of `size_pt`.
    Word and LibreOffice never spread the inside of a Latin word or number ("2019"): those
    positions are not gaps."""
    text = text.rstrip()
    gaps = len(text) - 1  # every position between two characters, but inside a Latin word or number
    for run in _LATIN_RUN.findall(text):
        gaps -= len(run) - 1
    if gaps < 1:
        return False
    return (width_pt - natural_pt) / gaps <= gbt9704.JUSTIFY_MAX_GAP_EM * size_pt + _FIT_EPSILON_PT


_TAILS_KEPT = 4096  # tails a `LineMemo` keeps before it starts afresh

_Point = tuple[int, int, str, float, str]
"""Where `break_lines` stood before a unit: (the unit's offset, lines done, the current line, its
width in pt, the script it ends in)."""


def _seam(text: str, offset: int) -> bool:
    """Whether `offset` lies between two CJK ideographs of `text`: no unit, 禁则 mark or Latin run
    spans it, so the units of `text` are those before it followed by those after it."""
    return 0 < offset < len(text) and "\u4e00" <= text[offset - 1] <= "\u9fff" and "\u4e00" <= text[offset] <= "\u9fff"


@dataclass
class LineMemo:
    """What `break_lines` keeps, for one set of widths, of the paragraphs it broke, so a letter's
    paragraph that differs from the last one only in its merge fields is not broken whole again.

    Both shortcuts stand at a *seam* (`_seam`). (1) Where the fill stands before a seam (`_Point`)
    depends on the text before it only: the next paragraph resumes at the last seam of the common
    beginning it shares with the last one (`text`, `points`). (2) A line starting at a seam is laid
    like the first of the text from there with no indent: a text from such a line start to the end
    (`tails`) has the same lines wherever it ends a paragraph. The lines are those of breaking the
    whole text."""

    text: str = ""
    lines: list[str] = field(default_factory=list)
    points: list[_Point] = field(default_factory=list)  # at the seams of `text`, in order
    tails: dict[str, list[str]] = field(default_factory=dict)  # text from a line start at a seam → its lines

    def shared(self, text: str) -> tuple[int, list[_Point]]:
        """(how long a beginning `text` shares with the last paragraph, the points before its end)."""
        if not self.text:
            return len(text), []
        shared = _common_prefix(text, self.text)
        return shared, self.points[: bisect_left(self.points, shared, key=itemgetter(0))]

    def keep(self, text: str, lines: list[str], points: list[_Point], starts: list[tuple[int, int]]) -> None:
        """Remember `text` broken into `lines`, where it stood at the seams of its shared beginning
        (`points`), and the lines from each (offset, line index) of a line starting at a seam (`starts`)."""
        if len(self.tails) > _TAILS_KEPT:
            self.tails.clear()
        for start, index in starts:
            self.tails[text[start:]] = lines[index:]
        self.text, self.lines, self.points = text, lines[:], points


def _common_prefix(a: str, b: str) -> int:
    """Length of the common beginning of `a` and `b` (bisection on slices, compared in C)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        if a[:mid] == b[:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def break_lines(
    text: str,
    width_pt: float,
    measure: Measure,
    first_indent_pt: float = 0.0,
    autospace_pt: float = 0.0,
    run_end_pt: float = 0.0,
    seen: dict[str, float] | None = None,
    memo: LineMemo | None = None,
) -> list[str]:
    """Break one paragraph into lines no wider than `width_pt` (the first line is indented).
    `autospace_pt` is the space added where Chinese meets Latin letters or digits. `run_end_pt` is
    the letter spacing LibreOffice leaves off the last character of each script run (it sets Latin
    and full-width text as separate portions and spaces the characters between, not after, each
    portion's): a line of body text with digits in brackets ("〔2014〕") is that much wider per run.
    `seen` keeps the units' widths between calls with the same measure. `memo`, kept by the caller
    for one set of widths, skips what this paragraph shares with those broken before (`LineMemo`);
    with it, a text clearly narrower than the line (by more than float rounding) is one line
    without the unit walk."""
    limit = width_pt + _FIT_EPSILON_PT
    lines: list[str] = []
    current, used, last = "", first_indent_pt, ""  # the current line, its width, the script it ends in
    offset = 0  # of the next unit in `text`
    shared = 0  # `text` is the memo's up to there: where the fill stands at its seams is kept
    points: list[_Point] = []
    if memo is not None:
        if first_indent_pt + line_width(text, measure, autospace_pt, run_end_pt) < limit - _ROUNDING_PT:
            return [text]
        shared, points = memo.shared(text)
        if points:  # resume at the last seam before the texts part, as it stood then
            offset, done, current, used, last = points.pop()
            lines = memo.lines[:done]
    starts: list[tuple[int, int]] = []  # (offset, line index) of each line that starts at a seam
    ending: list[str] | None = None  # the known lines from a line start at a seam to the end
    widths = {} if seen is None else seen  # units repeat (characters, punctuation): measure each once
    for unit in units(text[offset:]):
        start, offset = offset, offset + len(unit)
        if start < shared and _seam(text, start):  # the next paragraph may part from this one here
            points.append((start, len(lines), current, used, last))
        w = widths.get(unit)
        if w is None:
            w = widths[unit] = line_width(unit, measure, autospace_pt)
        gap = bool(autospace_pt and current) and current[-1].isascii() != unit[0].isascii() \
            and _script_change(current[-1], unit[0])  # fmt: skip
        if gap:
            w += autospace_pt
        ends_in = last  # the script the line ends in with the unit (followed for `run_end_pt` only)
        if run_end_pt:
            runs, ends_in = script_runs(unit, last)
            w += run_end_pt * (runs - len(autospace_gaps(unit)) - gap)
        if used + w <= limit:
            current += unit
            used += w
            last = ends_in
            continue
        if current.strip():  # the unit starts the next line
            lines.append(current)
            current, used = "", 0.0
            if memo is not None and _seam(text, start):
                ending = memo.tails.get(text[start:])
                if ending is not None:
                    break
                starts.append((start, len(lines)))
            unit = unit.lstrip()
        while unit:  # a unit wider than a whole line: as many full lines as it takes
            head, rest = _split_to_fit(unit, width_pt - used - run_end_pt, measure)
            if not rest:
                break
            lines.append(current + head)
            current, used, unit = "", 0.0, rest
        current += unit
        used = line_width(current, measure, autospace_pt, run_end_pt) + (first_indent_pt if not lines else 0.0)
        last = script_runs(current)[1] if run_end_pt else ""
    if ending is not None:
        lines += ending
    elif current or not lines:
        lines.append(current)
    if memo is not None:
        memo.keep(text, lines, points, starts)
    return lines


def _split_to_fit(unit: str, room_pt: float, measure: Measure) -> tuple[str, str]:
    """(head, rest): the longest head of `unit` no wider than `room_pt` (at least one character),
    found by doubling then bisecting, so a long unit costs O(log n) measures per line."""
    def fits(n: int) -> bool:
        return measure(unit[:n]) <= room_pt + _FIT_EPSILON_PT

    if fits(len(unit)):
        return unit, ""
    good, bad = 1, 2
    while bad < len(unit) and fits(bad):
        good, bad = bad, bad * 2
    bad = min(bad, len(unit))
    while bad - good > 1:
        mid = (good + bad) // 2
        good, bad = (mid, bad) if fits(mid) else (good, mid)
    return unit[:good], unit[good:]
