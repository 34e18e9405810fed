"""Small builders for WordprocessingML elements python-docx has no API for.

Units: OOXML sizes are twips (1/20 pt) for lengths, half-points for font sizes (``w:sz``),
eighths of a point for border widths, whole points for border spacing.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml.etree import _Element

from .. import gbt9704 as g
from ..layout import cut_mark
from ..layout.text import units

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed timestamp of every zip member: same input, same bytes


def el(tag: str, children: list[_Element] | None = None, **attrs: str | int | float) -> _Element:
    """``el("w:spacing", before=0)`` → ``<w:spacing w:before="0"/>`` (attribute names get ``w:``)."""
    node = OxmlElement(tag)
    for name, value in attrs.items():
        node.set(qn(name if ":" in name else f"w:{name}"), str(value))
    for child in children or []:
        node.append(child)
    return node


def run_properties(
    font: str,
    size_pt: float,
    *,
    spacing_twips: int = 0,
    color: str | None = None,
    scale_pct: int = 100,
    bold: bool = False,
) -> _Element:
    """``w:rPr`` naming `font` for every script with the eastAsia hint, and no theme fonts."""
    rpr = el("w:rPr")
    rpr.append(el("w:rFonts", ascii=font, hAnsi=font, eastAsia=font, cs=font, hint="eastAsia"))
    if bold:
        rpr.append(el("w:b"))
    if color:
        rpr.append(el("w:color", val=color))
    if spacing_twips:
        rpr.append(el("w:spacing", val=spacing_twips))
    if scale_pct != 100:
        rpr.append(el("w:w", val=scale_pct))
    half_points = round(size_pt * 2)
    rpr.append(el("w:sz", val=half_points))
    rpr.append(el("w:szCs", val=half_points))
    rpr.append(el("w:lang", val="en-US", eastAsia="zh-CN"))
    return rpr


# A hyphen inside a number or word ("0591-26831234"): LibreOffice 7.4 breaks a line after it, and
# around a non-breaking hyphen (U+2011, w:noBreakHyphen) too, but not before a word joiner (measured).
_INNER_HYPHEN = re.compile(r"(?<=[A-Za-z0-9])-(?=[A-Za-z0-9])")
_CLOSING_MARKS = frozenset("。，、；：！？）》〕】」』”’")


def run(text: str, rpr: _Element, after: str = "") -> _Element:
    """``w:r`` of `text` (following `after` in its paragraph) breaking where the layout may
    (`layout.text.units`): a word joiner after a hyphen inside a number, and a zero-width space
    where the layout may break between a closing mark and a Latin word ("、｜APP", "；｜0591"),
    which LibreOffice breaks or not depending on how its text portions fall (measured)."""
    r = el("w:r", [rpr])
    t = el("w:t")
    before = after[-1:]
    pieces = units(before + text)
    joined = pieces[0] if pieces else ""
    for piece in pieces[1:]:
        joined += ("\u200b" if joined[-1] in _CLOSING_MARKS and piece[0].isascii() and piece[0].isalnum()
                   else "") + piece
    t.text = _INNER_HYPHEN.sub("-\u2060", joined)[len(before):]
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.append(t)
    return r


def paragraph_properties(
    *,
    line_twips: int = g.LINE_PITCH_TWIPS,
    line_rule: str = "exact",
    before_twips: int = 0,
    jc: str | None = None,
    left_twips: int = 0,
    right_twips: int = 0,
    first_line_twips: int = 0,
    page_break_before: bool = False,
    keep_next: bool = False,
    keep_lines: bool = False,
    frame: _Element | None = None,
    borders: list[_Element] | None = None,
    tabs: list[_Element] | None = None,
) -> _Element:
    """``w:pPr`` with the GB/T 9704 defaults: exact line, no grid snapping, no widow control, no
    hanging punctuation (they would change the 28-character line). LibreOffice hangs punctuation
    past the margin when ``w:overflowPunct`` is 0 and keeps it inside when it is 1 (its import
    reads the flag the other way round from ECMA-376's wording); 1 is also Word's default, so the
    file behaves like a document the clerk made in Word. The automatic space between
    Chinese and Latin/digits stays on, as in Word's default and LibreOffice (which cannot turn it
    off); the layout counts it (``gbt9704.AUTOSPACE_EM``).
    Children are emitted in the schema's order (Word rejects files that break it)."""
    ppr = el("w:pPr")
    if keep_next:
        ppr.append(el("w:keepNext"))
    if keep_lines:
        ppr.append(el("w:keepLines"))
    if page_break_before:
        ppr.append(el("w:pageBreakBefore"))
    if frame is not None:
        ppr.append(frame)
    ppr.append(el("w:widowControl", val=0))
    if borders:
        ppr.append(el("w:pBdr", borders))
    if tabs:
        ppr.append(el("w:tabs", tabs))
    ppr.append(el("w:overflowPunct", val=1))
    ppr.append(el("w:adjustRightInd", val=0))
    ppr.append(el("w:snapToGrid", val=0))
    ppr.append(el("w:spacing", before=before_twips, after=0, line=line_twips, lineRule=line_rule))
    ind = {}
    if left_twips:
        ind["left"] = left_twips
    if right_twips:
        ind["right"] = right_twips
    if first_line_twips > 0:
        ind["firstLine"] = first_line_twips
    elif first_line_twips < 0:
        ind["hanging"] = -first_line_twips
    if ind:
        ppr.append(el("w:ind", **ind))
    if jc:
        ppr.append(el("w:jc", val=jc))
    return ppr


def border(side: str, eighths: int, *, color: str = "000000", space_pt: int = 0, style: str = "single") -> _Element:
    return el(f"w:{side}", val=style, sz=eighths, space=space_pt, color=color)


def deterministic_zip(path: Path, transform: Callable[[list[tuple[str, bytes]]], list[tuple[str, bytes]]]) -> None:
    """Rewrite the zip at `path` with its members (name, bytes) passed through `transform`, fixed
    timestamps and member order."""
    with zipfile.ZipFile(path) as src:
        members = transform([(info.filename, src.read(info.filename)) for info in src.infolist()])
    first = "[Content_Types].xml"
    members.sort(key=lambda m: (m[0] != first, m[0]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, data)
    path.write_bytes(buffer.getvalue())


def cut_line_tabs() -> list[_Element]:
    """``w:tab`` stops of the cut line above a 回执 (`layout.cut_mark`): hyphen leaders to the words
    centred in the 版心 and on to its right edge."""
    return [el("w:tab", val=val, leader="hyphen", pos=pos) for val, pos in cut_mark.docx_tab_stops()]


def cut_line_runs(text: str, font: str) -> list[_Element]:
    """The runs of the cut line: the ✂ (`LETTER_CUT_MARK_SIZE_PT`, in `font` — the official name; the
    program showing the file takes the glyph from another font where that one lacks it), a tab, the
    words with a blank on each side, a tab, in `LETTER_CUT_TEXT_SIZE_PT` (the leaders' hyphens too)."""
    size = g.LETTER_CUT_TEXT_SIZE_PT
    runs = [run(g.LETTER_CUT_MARK, run_properties(font, g.LETTER_CUT_MARK_SIZE_PT)),
            el("w:r", [run_properties(font, size), el("w:tab")])]
    if text:
        runs.append(run(cut_mark.docx_words(text), run_properties(font, size)))
    return [*runs, el("w:r", [run_properties(font, size), el("w:tab")])]

