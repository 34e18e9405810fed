"""The fonts a letters PDF embeds: one subset per face for the whole run, shared by every file.

Each role (仿宋 body, 小标宋 title, 黑体 slip title) draws a character from its own face, or from the
first fallback face of `fonts.FontSet.chain` that has it (生僻字 in names). The glyph *code* written
in the page content does not depend on the subset: for a CID-keyed CFF font (Noto CJK) it is the
character's CID, for a TrueType font (仿宋_GB2312, LXGW WenKai) the glyph id, kept by subsetting
with ``retain_gids``. So pages can be written while the letters stream by, and the fonts — subset
once per run by HarfBuzz to every character the run can print — are appended at the end of each
file. Widths are in PDF units (1/1000 em), rounded as the PDF stores them, so layout and viewer agree.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from fontTools.ttLib import TTFont

from ..errors import EnvironmentProblem
from ..system.fonts import FontFace, FontSet

PDF_UNITS_PER_EM = 1000


@dataclass(frozen=True)
class EmbeddedFont:
    """One subset face, ready to be written as a Type0 font with Identity-H encoding."""

    base_font: str  # subset tag + PostScript name, e.g. ABCDEF+NotoSerifCJKsc-Regular
    cff: bool  # True: CID-keyed CFF (FontFile3/CIDFontType0C), False: TrueType (FontFile2)
    data: bytes  # the CFF table or the whole subset TrueType font
    widths: dict[int, int]  # code → advance in 1/1000 em
    to_unicode: dict[int, str]  # code → character (for copy and search)
    bbox: tuple[int, int, int, int]  # 1/1000 em
    ascent: int
    descent: int
    cap_height: int


@dataclass(frozen=True)
class Glyph:
    font: int  # index into FontPack.fonts
    code: int  # 2-byte code in the content stream
    advance: float  # em


@dataclass(frozen=True)
class FontPack:
    """Every embedded font of a run and, per role, the glyph of every character it may print."""

    fonts: tuple[EmbeddedFont, ...]
    glyphs: dict[str, dict[str, Glyph]]  # official role name → char → glyph
    em_centre: float  # height of the ideographic em box centre above the baseline, in em (body face)

    _hex: dict[str, dict[str, tuple[int, str]]] = field(default_factory=dict, compare=False, repr=False)

    def has(self, role: str, char: str) -> bool:
        """Whether `char` was embedded for `role` (a face has it and it was asked for)."""
        return char in self.glyphs[role]

    def glyph(self, role: str, char: str) -> Glyph:
        return self.glyphs[role].get(char) or self.glyphs[role]["\ufffd"]

    def hex_codes(self, role: str) -> dict[str, tuple[int, str]]:
        """Per character of `role` drawn so far: (font index, its code as 4 hex digits for a content stream)."""
        return self._hex.setdefault(role, {})

    def hex_code(self, role: str, char: str) -> tuple[int, str]:
        glyph = self.glyph(role, char)
        self.hex_codes(role)[char] = found = (glyph.font, f"{glyph.code:04X}")
        return found

    def advance_em(self, role: str, text: str) -> float:
        return sum(self.glyph(role, c).advance for c in text)


def build_font_pack(fontset: FontSet, chars_by_role: Mapping[str, Iterable[str]]) -> FontPack:
    """Subset the faces serving `chars_by_role` (characters no face has are drawn as .notdef)."""
    wanted: dict[tuple[str, int], set[str]] = {}
    faces: dict[tuple[str, int], FontFace] = {}
    placement: dict[str, dict[str, tuple[str, int]]] = {}
    for role, chars in chars_by_role.items():
        own = fontset.face(role)
        faces[own.key] = own
        placement[role] = {}
        for char in set(chars) | {"\ufffd"}:
            face = own if own.covers(ord(char)) else fontset.fallback_face(char, role)
            face = face or own
            faces[face.key] = face
            wanted.setdefault(face.key, set()).add(char)
            placement[role][char] = face.key
    order = sorted(wanted)
    embedded, codes = [], {}
    for key in order:
        font, face_codes = _embed(faces[key], wanted[key])
        embedded.append(font)
        codes[key] = face_codes
    glyphs = {
        role: {
            char: Glyph(order.index(key), codes[key][char], embedded[order.index(key)].widths[codes[key][char]]
                        / PDF_UNITS_PER_EM)
            for char, key in chars.items()
        }
        for role, chars in placement.items()
    }  # fmt: skip
    body_role = next(iter(chars_by_role))
    return FontPack(tuple(embedded), glyphs, _em_centre(fontset.face(body_role)))


def _load(face: FontFace) -> TTFont:
    return TTFont(str(face.path), fontNumber=face.index, lazy=True)


def _em_centre(face: FontFace) -> float:
    font = _load(face)
    os2 = font["OS/2"]
    return (os2.sTypoAscender + os2.sTypoDescender) / 2 / font["head"].unitsPerEm


def _embed(face: FontFace, chars: set[str]) -> tuple[EmbeddedFont, dict[str, int]]:
    """Subset `face` to `chars` with HarfBuzz, then read codes and metrics from the small subset."""
    from ..system.harfbuzz import SUBSET_NOTDEF_OUTLINE, SUBSET_RETAIN_GIDS, subset_font

    source = _load(face)
    cff = "CFF " in source
    if not cff and "glyf" not in source:
        raise EnvironmentProblem(f"字体 {face.path} 的格式（CFF2 或无轮廓）不能嵌入 PDF，请换用其他字体")
    flags = SUBSET_NOTDEF_OUTLINE | (0 if cff else SUBSET_RETAIN_GIDS)
    subset_data = subset_font(face.path, face.index, sorted(ord(c) for c in chars), flags)
    font = TTFont(io.BytesIO(subset_data), lazy=True)
    if cff and not hasattr(font["CFF "].cff.topDictIndex[0], "ROS"):
        raise EnvironmentProblem(f"字体 {face.path} 不是 CID 字体，暂不能嵌入 PDF，请换用其他字体")
    cmap = font.getBestCmap()
    glyph_order = font.getGlyphOrder()
    glyph_ids = {name: i for i, name in enumerate(glyph_order)}
    upm = font["head"].unitsPerEm
    hmtx = font["hmtx"]

    def code_of(name: str) -> int:
        return int(name[3:]) if cff and name.startswith("cid") else (0 if cff else glyph_ids[name])

    codes: dict[str, int] = {}
    widths: dict[int, int] = {0: round(hmtx[glyph_order[0]][0] * PDF_UNITS_PER_EM / upm)}
    to_unicode: dict[int, str] = {}
    for char in sorted(chars):
        name = cmap.get(ord(char), glyph_order[0])
        code = code_of(name)
        codes[char] = code
        widths[code] = round(hmtx[name][0] * PDF_UNITS_PER_EM / upm)
        if code:
            to_unicode.setdefault(code, char)
    head, hhea, os2 = source["head"], source["hhea"], source["OS/2"]
    scale = PDF_UNITS_PER_EM / source["head"].unitsPerEm
    bbox = tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax))
    ps_name = re.sub(r"[^A-Za-z0-9_-]", "", source["name"].getDebugName(6) or face.family) or "Font"
    data = font.reader["CFF "] if cff else subset_data  # the CFF table as HarfBuzz wrote it, not recompiled
    tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(data).digest()[:6])
    return (
        EmbeddedFont(
            base_font=f"{tag}+{ps_name}",
            cff=cff,
            data=data,
            widths=widths,
            to_unicode=to_unicode,
            bbox=bbox,  # type: ignore[arg-type]
            ascent=round(hhea.ascent * scale),
            descent=round(hhea.descent * scale),
            cap_height=round(getattr(os2, "sCapHeight", 0) * scale) or round(hhea.ascent * scale),
        ),
        codes,
    )
