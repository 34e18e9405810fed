"""The OFD's embedded fonts: for each font of the source PDF, a new TrueType font holding only the
glyphs the pages use, with a cmap from their characters.

The PDF's own fonts are the source — the faces the run resolved and embedded, so exactly those whose
licence lets them be embedded (`fonts.resolve_fonts` chooses embeddable faces only). They come as
OpenType/CFF (WeasyPrint's CJK subsets), bare CID-keyed CFF (the letters' own PDF writer) or TrueType.
CFF outlines are converted to quadratic TrueType outlines (fontTools cu2qu), since some OFD readers
reject CFF and the archive profile's table list is written for glyf fonts.

Glyph ids are those PyMuPDF's text trace reports: the CID for a CID-keyed CFF program, the glyph
index otherwise. A glyph whose character maps to another glyph of the same font (a shaped
alternate) is reached by a `CGTransform` in the text; `OfdFont.cmap_glyph` tells which.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pymupdf
from fontTools.cffLib import CFFFontSet
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

MAX_CURVE_ERROR = 1.0  # font units: cu2qu's tolerance (1/1000 em for a 1000-unit CFF font)
FIXED_TIMESTAMP = 0  # head.created/modified: same input, same bytes
_TAG = re.compile(r"^[A-Z]{6}\+")


@dataclass
class UsedFont:
    """What the pages use of one PDF font: glyph id → character, advance (font units per em)."""

    name: str  # without subset tag
    xref: int
    chars: dict[int, str] = field(default_factory=dict)
    advances: dict[int, float] = field(default_factory=dict)  # per em (0–1)
    pairs: set[tuple[str, int]] = field(default_factory=set)


@dataclass(frozen=True)
class OfdFont:
    """An embedded TrueType subset: `glyphs` maps source glyph id → new glyph index, `cmap`
    character → new glyph index."""

    name: str
    family: str
    bold: bool
    data: bytes
    glyphs: dict[int, int]
    cmap: dict[str, int]

    def cmap_glyph(self, chars: str, gid: int) -> bool:
        """Whether `chars` (one character) reach source glyph `gid` through the cmap."""
        return self.cmap.get(chars) == self.glyphs[gid]


def font_names(doc: pymupdf.Document) -> dict[str, list[int]]:
    """Every font of `doc` by the name the text trace gives (subset tag removed) → its xrefs."""
    names: dict[str, list[int]] = {}
    for number in range(doc.page_count):
        for xref, _ext, _type, basefont, *_ in doc.get_page_fonts(number):
            xrefs = names.setdefault(_TAG.sub("", basefont), [])
            if xref not in xrefs:
                xrefs.append(xref)
    return names


def font_xref(names: dict[str, list[int]], name: str) -> int:
    """The xref of the one PDF font the text trace names `name` (PyMuPDF may cut a long name short).
    The trace does not tell several subsets of one font apart (LibreOffice writes CJK text as many
    256-glyph Type 1 subsets): such a PDF is refused rather than drawn with another subset's glyphs."""
    xrefs = names.get(name) or [x for full, found in names.items() if full.startswith(name) for x in found]
    if len(xrefs) != 1:
        raise ValueError(f"font {name!r} is {'embedded as several subsets' if xrefs else 'not embedded'} "
                         "in the PDF: its glyphs cannot be told apart")  # fmt: skip
    return xrefs[0]


def build_font(doc: pymupdf.Document, used: UsedFont) -> OfdFont:
    """The TrueType subset of `used` (glyphs drawn from the PDF's font program)."""
    source = _program(doc, used.xref)
    gids = sorted(used.chars)
    order = [".notdef", *(f"g{gid}" for gid in gids)]
    upm = source.upm
    glyphs = {".notdef": source.tt_glyph(0) or TTGlyphPen(None).glyph()}  # an empty .notdef if it has none
    for gid in gids:
        glyph = source.tt_glyph(gid)
        if glyph is None:
            raise ValueError(f"glyph {gid} of font {used.name} is missing from the PDF")
        glyphs[f"g{gid}"] = glyph
    index = {gid: i for i, gid in enumerate(gids, start=1)}
    cmap: dict[str, int] = {}
    for chars, gid in sorted(used.pairs, key=lambda p: (p[1], p[0])):
        if len(chars) == 1:  # a glyph of several characters is reached by CGTransform only
            cmap.setdefault(chars, index[gid])
    metrics = {".notdef": (upm, 0)}
    for gid in gids:
        glyph = glyphs[f"g{gid}"]
        glyph.recalcBounds(None)
        metrics[f"g{gid}"] = (round(used.advances.get(gid, 1.0) * upm), getattr(glyph, "xMin", 0))
    ascent, descent = source.ascent, source.descent
    bold = "bold" in used.name.lower()
    ps_name = re.sub(r"[^A-Za-z0-9-]", "", used.name)[:63] or "Font"
    builder = FontBuilder(upm, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({ord(c): order[i] for c, i in cmap.items()})
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics(metrics)
    builder.setupHorizontalHeader(ascent=ascent, descent=descent)
    builder.setupNameTable({"familyName": used.name, "styleName": "Bold" if bold else "Regular",
                            "psName": ps_name})  # fmt: skip
    builder.setupOS2(sTypoAscender=ascent, sTypoDescender=descent, usWinAscent=ascent, usWinDescent=-descent,
                     fsType=source.fs_type, usWeightClass=700 if bold else 400)  # fmt: skip
    builder.setupPost(keepGlyphNames=False)
    head = builder.font["head"]
    head.created = head.modified = FIXED_TIMESTAMP
    buffer = io.BytesIO()
    builder.save(buffer)
    return OfdFont(ps_name, used.name, bold, buffer.getvalue(), index, cmap)


def _program(doc: pymupdf.Document, xref: int) -> GlyphSource:
    name, _ext, _type, data = doc.extract_font(xref)
    if not data:
        raise ValueError(f"font {name} is not embedded in the PDF")
    return glyph_source(data)


@lru_cache(maxsize=8)
def glyph_source(data: bytes) -> GlyphSource:
    """The glyph source of a font program; cached, since every school's letters PDF of a run embeds
    the same subsets (each glyph is then converted once per run, not once per file)."""
    if data[:4] not in (b"OTTO", b"\x00\x01\x00\x00", b"true"):  # a bare CFF program (FontFile3)
        top = _cff_font(data)
        upm = round(1 / top.FontMatrix[0])
        return GlyphSource(top.CharStrings, top.charset, hasattr(top, "ROS"), False, upm, round(0.88 * upm),
                            -round(0.12 * upm), 0)  # fmt: skip
    font = TTFont(io.BytesIO(data), lazy=True)
    hhea = font["hhea"]
    fs_type = font["OS/2"].fsType if "OS/2" in font else 0
    if "CFF " in font:  # the CFF table read directly: quicker than a glyph set over every metrics table
        top = _cff_font(font.reader["CFF "])
        return GlyphSource(top.CharStrings, top.charset, hasattr(top, "ROS"), False, font["head"].unitsPerEm,
                            hhea.ascent, hhea.descent, fs_type)  # fmt: skip
    return GlyphSource(font.getGlyphSet(), font.getGlyphOrder(), False, True, font["head"].unitsPerEm,
                        hhea.ascent, hhea.descent, fs_type)  # fmt: skip


def _cff_font(data: bytes):
    cff_set = CFFFontSet()
    cff_set.decompile(io.BytesIO(data), None)
    return cff_set[cff_set.fontNames[0]]


@dataclass(eq=False)
class GlyphSource:
    """One embedded PDF font program: glyph outlines by the id the text trace uses."""

    outlines: Any  # glyph name → glyph with a draw(pen) method
    order: list[str]
    cid_keyed: bool
    quadratic: bool
    upm: int
    ascent: int
    descent: int
    fs_type: int
    converted: dict[int, Any] = field(default_factory=dict)  # gid → TrueType glyph (None: absent)

    def tt_glyph(self, gid: int):
        """Glyph `gid` as a TrueType glyph (cubic CFF outlines made quadratic, contours reversed to
        TrueType's direction), or None if this program lacks it."""
        if gid not in self.converted:
            self.converted[gid] = self._convert(gid)
        return self.converted[gid]

    def _convert(self, gid: int):
        name = f"cid{gid:05d}" if self.cid_keyed else None
        if name is None or name not in self.outlines:
            if not 0 <= gid < len(self.order):
                return None
            name = self.order[gid]
        if name not in self.outlines:
            return None
        outline = DecomposingRecordingPen(self.outlines)  # a TrueType composite's parts stay behind
        self.outlines[name].draw(outline)
        pen = TTGlyphPen(None)
        outline.replay(pen if self.quadratic else Cu2QuPen(pen, MAX_CURVE_ERROR, reverse_direction=True))
        return pen.glyph()
