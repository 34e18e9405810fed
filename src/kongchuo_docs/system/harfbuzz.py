"""HarfBuzz through ctypes (``libharfbuzz.so.0``, a Pango dependency): glyph lookups and shaped
text widths of one face, the way Pango shapes them for WeasyPrint, so measured widths match the PDF.

It maps the font file and answers cmap lookups without parsing the whole table (~2 ms per face
instead of ~130 ms for fontTools on a Noto CJK collection).
"""

from __future__ import annotations

import ctypes
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from ..errors import EnvironmentProblem

_HARFBUZZ_NAMES = ("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll")


class _HbFeature(ctypes.Structure):
    _fields_ = [("tag", ctypes.c_uint32), ("value", ctypes.c_uint32), ("start", ctypes.c_uint),
                ("end", ctypes.c_uint)]  # fmt: skip


class _HbGlyphPosition(ctypes.Structure):
    _fields_ = [("x_advance", ctypes.c_int32), ("y_advance", ctypes.c_int32), ("x_offset", ctypes.c_int32),
                ("y_offset", ctypes.c_int32), ("var", ctypes.c_uint32)]  # fmt: skip


@cache
def _harfbuzz() -> ctypes.CDLL:
    """libharfbuzz with the signatures of the few functions used here."""
    for name in _HARFBUZZ_NAMES:
        try:
            lib = ctypes.CDLL(name)
            break
        except OSError:
            continue
    else:
        raise EnvironmentProblem(
            "无法加载 HarfBuzz（libharfbuzz.so.0）。请安装：sudo apt-get install libharfbuzz0b"
        )
    pointer, u32 = ctypes.c_void_p, ctypes.c_uint32
    signatures = {
        "hb_blob_create_from_file": (pointer, [ctypes.c_char_p]),
        "hb_face_create": (pointer, [pointer, ctypes.c_uint]),
        "hb_face_get_glyph_count": (ctypes.c_uint, [pointer]),
        "hb_face_get_upem": (ctypes.c_uint, [pointer]),
        "hb_font_create": (pointer, [pointer]),
        "hb_font_get_nominal_glyph": (ctypes.c_int, [pointer, u32, ctypes.POINTER(u32)]),
        "hb_buffer_create": (pointer, []),
        "hb_buffer_destroy": (None, [pointer]),
        "hb_buffer_add_utf8": (None, [pointer, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint, ctypes.c_int]),
        "hb_buffer_guess_segment_properties": (None, [pointer]),
        "hb_buffer_set_language": (None, [pointer, pointer]),
        "hb_buffer_set_script": (None, [pointer, u32]),
        "hb_script_from_string": (u32, [ctypes.c_char_p, ctypes.c_int]),
        "hb_language_from_string": (pointer, [ctypes.c_char_p, ctypes.c_int]),
        "hb_feature_from_string": (ctypes.c_int, [ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(_HbFeature)]),
        "hb_shape": (None, [pointer, pointer, ctypes.POINTER(_HbFeature), ctypes.c_uint]),
        "hb_buffer_get_glyph_positions": (
            ctypes.POINTER(_HbGlyphPosition), [pointer, ctypes.POINTER(ctypes.c_uint)]
        ),
    }
    for function, (restype, argtypes) in signatures.items():
        getattr(lib, function).restype = restype
        getattr(lib, function).argtypes = argtypes
    return lib


@dataclass(frozen=True)
class _HarfBuzzFont:
    """One face opened by HarfBuzz (file memory-mapped, kept for the process). Units: font units."""

    font: int  # hb_font_t *
    units_per_em: int

    def glyph(self, codepoint: int) -> int | None:
        glyph = ctypes.c_uint32()
        found = _harfbuzz().hb_font_get_nominal_glyph(self.font, codepoint, ctypes.byref(glyph))
        return glyph.value if found else None

    def shaped_advance(self, text: str, script: str, features: tuple[str, ...]) -> int:
        """Advance width of `text` in font units, shaped in `script` (ISO 15924, "Hani"/"Latn") with
        the language Pango derives for it from ``lang="zh-CN"`` and the default features plus
        `features` (HarfBuzz syntax like ``"fwid"`` or ``"kern=0"``)."""
        hb = _harfbuzz()
        encoded = text.encode("utf-8")
        buffer = hb.hb_buffer_create()
        try:
            hb.hb_buffer_add_utf8(buffer, encoded, len(encoded), 0, len(encoded))
            hb.hb_buffer_set_script(buffer, hb.hb_script_from_string(script.encode(), -1))
            hb.hb_buffer_set_language(buffer, _hb_language(_SCRIPT_LANGUAGE.get(script, "en")))
            hb.hb_buffer_guess_segment_properties(buffer)  # direction
            feature_array = _hb_features(features)
            hb.hb_shape(self.font, buffer, feature_array, len(features))
            count = ctypes.c_uint()
            positions = hb.hb_buffer_get_glyph_positions(buffer, ctypes.byref(count))
            return sum(positions[i].x_advance for i in range(count.value))
        finally:
            hb.hb_buffer_destroy(buffer)


_SCRIPT_LANGUAGE = {"Hani": "zh-cn"}  # Pango: lang="zh-CN" covers Han; other scripts get "en" here


@lru_cache(maxsize=1 << 16)
def shaped_em(path: Path, index: int, text: str, features: tuple[str, ...]) -> float:
    """Shaped advance width of `text` in em, script run by script run as Pango itemizes it
    (memoised: layout asks for the same words again and again)."""
    font = harfbuzz_font(path, index)
    return sum(font.shaped_advance(piece, script, features) for piece, script in script_runs(text)) / (
        font.units_per_em
    )


def _script_of(char: str) -> str | None:
    """"Latn", "Hani" or None (Common: digits, punctuation, spaces) — enough for Chinese documents."""
    if char.isascii():
        return "Latn" if char.isalpha() else None
    name = unicodedata.name(char, "")
    if name.startswith(("LATIN", "FULLWIDTH LATIN")):
        return "Latn"
    if name.startswith(("CJK UNIFIED", "CJK COMPATIBILITY IDEOGRAPH", "HIRAGANA", "KATAKANA")):
        return "Hani"
    return None


def script_runs(text: str) -> list[tuple[str, str]]:
    """Pango's rule: Common characters join the script run before them (the first run's script
    when they lead); text of Common characters only is Han, the language of the document."""
    scripts = [_script_of(c) for c in text]
    current = next((s for s in scripts if s), "Hani")
    runs: list[tuple[str, str]] = []
    for char, script in zip(text, scripts, strict=True):
        current = script or current
        if runs and runs[-1][1] == current:
            runs[-1] = (runs[-1][0] + char, current)
        else:
            runs.append((char, current))
    return runs


@cache
def _hb_language(tag: str) -> int:
    return _harfbuzz().hb_language_from_string(tag.encode(), -1)


@cache
def _hb_features(features: tuple[str, ...]) -> ctypes.Array[_HbFeature]:
    array = (_HbFeature * max(len(features), 1))()
    for i, feature in enumerate(features):
        if not _harfbuzz().hb_feature_from_string(feature.encode(), -1, ctypes.byref(array[i])):
            raise ValueError(f"not a HarfBuzz feature string: {feature!r}")
    return array


@cache
def _hb_face(path: Path, index: int) -> int:
    """hb_face_t * of face `index` of the font file (memory-mapped, kept for the process)."""
    hb = _harfbuzz()
    return hb.hb_face_create(hb.hb_blob_create_from_file(os.fsencode(path)), index)


@cache
def harfbuzz_font(path: Path, index: int) -> _HarfBuzzFont:
    hb = _harfbuzz()
    face = _hb_face(path, index)
    if not hb.hb_face_get_glyph_count(face):
        raise EnvironmentProblem(f"无法读取字体文件 {path}（第 {index} 个字形集）")
    return _HarfBuzzFont(font=hb.hb_font_create(face), units_per_em=hb.hb_face_get_upem(face))


def is_ignorable(char: str) -> bool:
    """Controls, format characters and variation selectors need no glyph."""
    cp = ord(char)
    return (
        unicodedata.category(char) in ("Cc", "Cf")
        or 0xFE00 <= cp <= 0xFE0F
        or 0xE0100 <= cp <= 0xE01EF
    )


# ---------------------------------------------------------------- subsetting (libharfbuzz-subset)

SUBSET_RETAIN_GIDS = 0x2  # hb_subset_flags_t: keep every glyph at its original id
SUBSET_NOTDEF_OUTLINE = 0x40  # hb_subset_flags_t: keep the .notdef glyph's outline
_SUBSET_DROP_TABLE_TAG = 3  # hb_subset_sets_t
_NOT_FOR_PDF = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "vhea", "vmtx", "VORG", "DSIG", "MATH")
"""Tables a horizontal PDF text run never reads: dropping them spares their (slow) subsetting."""


@cache
def _harfbuzz_subset() -> ctypes.CDLL:
    """libharfbuzz-subset (the Debian package WeasyPrint needs too: ``scripts/setup.sh``)."""
    try:
        lib = ctypes.CDLL("libharfbuzz-subset.so.0")
    except OSError:
        raise EnvironmentProblem(
            "无法加载 HarfBuzz 子集化库（libharfbuzz-subset.so.0）。请安装：sudo apt-get install libharfbuzz-subset0"
        ) from None
    pointer = ctypes.c_void_p
    signatures = {
        "hb_subset_input_create_or_fail": (pointer, []),
        "hb_subset_input_unicode_set": (pointer, [pointer]),
        "hb_subset_input_set": (pointer, [pointer, ctypes.c_int]),
        "hb_subset_input_set_flags": (None, [pointer, ctypes.c_uint]),
        "hb_subset_input_destroy": (None, [pointer]),
        "hb_subset_or_fail": (pointer, [pointer, pointer]),
        "hb_set_add": (None, [pointer, ctypes.c_uint32]),
        "hb_face_reference_blob": (pointer, [pointer]),
        "hb_face_destroy": (None, [pointer]),
        "hb_blob_get_data": (ctypes.POINTER(ctypes.c_char), [pointer, ctypes.POINTER(ctypes.c_uint)]),
        "hb_blob_destroy": (None, [pointer]),
    }
    for function, (restype, argtypes) in signatures.items():
        getattr(lib, function).restype = restype
        getattr(lib, function).argtypes = argtypes
    return lib




def subset_font(path: Path, index: int, codepoints: Iterable[int], flags: int) -> bytes:
    """Face `index` of the font file at `path` cut down to the glyphs of `codepoints`, as an
    OpenType font file (HarfBuzz's subsetter: milliseconds where fontTools takes seconds for a
    CJK face). `flags` are ``SUBSET_*`` values; layout and vertical tables are dropped."""
    lib = _harfbuzz_subset()
    source = _hb_face(path, index)
    request = lib.hb_subset_input_create_or_fail()
    if not request:
        raise MemoryError("hb_subset_input_create_or_fail")
    try:
        unicodes = lib.hb_subset_input_unicode_set(request)
        for codepoint in codepoints:
            lib.hb_set_add(unicodes, codepoint)
        dropped = lib.hb_subset_input_set(request, _SUBSET_DROP_TABLE_TAG)
        for tag in _NOT_FOR_PDF:
            lib.hb_set_add(dropped, int.from_bytes(tag.encode("ascii"), "big"))
        lib.hb_subset_input_set_flags(request, flags)
        result = lib.hb_subset_or_fail(source, request)
    finally:
        lib.hb_subset_input_destroy(request)
    if not result:
        raise EnvironmentProblem(f"字体 {path}（第 {index} 个字形集）无法子集化，请换用其他字体")
    blob = lib.hb_face_reference_blob(result)
    try:
        length = ctypes.c_uint()
        data = lib.hb_blob_get_data(blob, ctypes.byref(length))
        return ctypes.string_at(data, length.value)
    finally:
        lib.hb_blob_destroy(blob)
        lib.hb_face_destroy(result)
