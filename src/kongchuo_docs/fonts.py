"""Fonts for the five GB/T 9704 roles, shared by the DOCX and PDF writers and by ``doctor``.

Each role (小标宋, 仿宋, 楷体, 黑体, 宋体; official names in `gbt9704`) is served by, in order:

1. the official font or a common alias of it, installed on the system (found through fontconfig);
2. a font with such a family name in a user font folder: ``--font-dir DIR``, else the environment
   variable ``KONGCHUO_FONT_DIR`` (several folders separated by ``os.pathsep``), else the config file
   ``~/.config/kongchuo-docs/fonts.yaml`` (``$XDG_CONFIG_HOME`` honoured) holding
   ``font_dirs: [/path/one, /path/two]``; family names are read from the fonts' name tables
   (all languages, so Chinese names match too; every face of a .ttc/.otc collection);
3. a free stand-in (Noto Serif/Sans CJK SC, LXGW WenKai), reported as a substitution;
4. as a last resort any other installed CJK font, also reported.

No CJK font at all raises `EnvironmentProblem` naming the Debian packages to install.

System fonts are listed with ONE ``fc-list`` call per process (family, style, weight, file, face
index and languages of every face; ~5 ms). Character coverage and text widths of any face come
from HarfBuzz (``libharfbuzz.so.0``, a Pango dependency, through ctypes): it maps the font file and
answers cmap lookups without parsing the whole table (~2 ms per face instead of ~130 ms for
fontTools on a Noto CJK collection), and shapes text the way Pango does for WeasyPrint, so widths
match the PDF. fontTools only reads the name tables of font-folder files.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Literal

from . import gbt9704
from .errors import EnvironmentProblem, InputError, Location, Problem, Problems
from .resources import template_path

FONT_DIR_ENV = "KONGCHUO_FONT_DIR"
CONFIG_FILE_NAME = "fonts.yaml"
INSTALL_HINT = "sudo apt-get install fonts-noto-cjk fonts-lxgw-wenkai"
FONT_SUFFIXES = frozenset({".ttf", ".otf", ".ttc", ".otc"})
_ANNOUNCED: set[str] = set()  # font warnings already printed by this process
DOCTOR_HINT = "详见 kongchuo-docs doctor"

Source = Literal["system", "font-dir", "stand-in"]
SOURCE_LABEL: dict[str, str] = {"system": "系统已安装", "font-dir": "字体文件夹", "stand-in": "免费替代字体"}

# CSS weights (100–900). REGULAR serves body text; HEAVIEST picks the boldest face (小标宋 stand-in).
REGULAR = 400
HEAVIEST = 1000


@dataclass(frozen=True)
class RoleSpec:
    """Where to look for one role: official name and aliases, then free stand-in families."""

    role: str  # short Chinese label shown in reports
    official: str  # name kept in the DOCX (a `gbt9704.FONT_*` constant)
    aliases: tuple[str, ...]  # the official font under other names, best first
    stand_ins: tuple[str, ...]  # free families, best first
    weight: int  # wanted CSS weight of the stand-in face


ROLE_SPECS: tuple[RoleSpec, ...] = (
    RoleSpec(
        "小标宋",
        gbt9704.FONT_XIAOBIAOSONG,
        ("方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "FZXiaoBiaoSong-B05"),
        ("Noto Serif CJK SC", "Source Han Serif SC", "思源宋体"),
        HEAVIEST,
    ),
    RoleSpec(
        "仿宋",
        gbt9704.FONT_FANGSONG,
        ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong"),
        ("Noto Serif CJK SC", "Source Han Serif SC", "思源宋体"),
        REGULAR,
    ),
    RoleSpec(
        "楷体",
        gbt9704.FONT_KAITI,
        ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi"),
        ("LXGW WenKai", "霞鹜文楷"),
        REGULAR,
    ),
    RoleSpec(
        "黑体",
        gbt9704.FONT_HEITI,
        ("黑体", "SimHei"),
        ("Noto Sans CJK SC", "Source Han Sans SC", "思源黑体"),
        REGULAR,
    ),
    RoleSpec(
        "宋体",
        gbt9704.FONT_SONGTI,
        ("宋体", "SimSun"),
        ("Noto Serif CJK SC", "Source Han Serif SC", "思源宋体"),
        REGULAR,
    ),
)
OFFICIAL_NAMES: tuple[str, ...] = tuple(spec.official for spec in ROLE_SPECS)


# ---------------------------------------------------------------- faces


@dataclass(frozen=True)
class FontFace:
    """One face of a font file: a .ttf/.otf, or face `index` of a .ttc/.otc collection."""

    family: str  # the first family name (usually the English one)
    families: tuple[str, ...]  # every family name the face carries, all languages
    style: str
    weight: int  # CSS weight 100–900
    path: Path
    index: int  # face index inside a collection, 0 for single-face files
    cjk: bool  # covers Simplified Chinese
    origin: Literal["system", "font-dir"]

    def has_family(self, name: str) -> bool:
        wanted = name.casefold()
        return any(f.casefold() == wanted for f in self.families)

    @property
    def key(self) -> tuple[str, int]:
        return (str(self.path), self.index)

    def covers(self, codepoint: int) -> bool:
        return _harfbuzz_font(self.path, self.index).glyph(codepoint) is not None


@dataclass(frozen=True)
class RoleFont:
    """The face serving one role. `substituted` is True when it is not the official font."""

    role: str  # 小标宋, 仿宋, 楷体, 黑体, 宋体
    official: str  # 方正小标宋简体, 仿宋_GB2312, …
    family: str  # family actually serving the role
    path: Path
    index: int  # face index in a .ttc collection
    weight: int  # CSS weight of the face
    substituted: bool
    source: Source


@dataclass(frozen=True)
class Fallback:
    """A character the role's face lacks, drawn from another face instead."""

    char: str
    official: str
    family: str
    path: Path
    index: int
    where: str


FALLBACK_PLACES_SHOWN = 3  # locations listed per fallback character in reports


def fallback_lines(fallbacks: Iterable[Fallback]) -> list[str]:
    """One line per (character, role, fallback family), with where it occurs."""
    places: dict[tuple[str, str, str], list[str]] = {}
    for fb in fallbacks:
        places.setdefault((fb.char, fb.official, fb.family), []).append(fb.where)
    lines = []
    for (char, official, family), wheres in places.items():
        distinct = list(dict.fromkeys(wheres))
        shown = "、".join(distinct[:FALLBACK_PLACES_SHOWN])
        more = f" 等 {len(distinct)} 处" if len(distinct) > FALLBACK_PLACES_SHOWN else ""
        lines.append(
            f"缺字替换：“{char}”（U+{ord(char):04X}）{official} 所用字体没有，改用 {family}（{shown}{more}）"
        )
    return lines


# ---------------------------------------------------------------- system fonts (fontconfig)

_FC_FORMAT = "%{family}\t%{style}\t%{weight}\t%{file}\t%{index}\t%{lang}\n"
# fontconfig weight → CSS weight (FC_WEIGHT_* constants of fontconfig.h)
_FC_TO_CSS_WEIGHT = ((0, 100), (40, 200), (50, 300), (80, 400), (100, 500), (180, 600), (200, 700),
                     (205, 800), (210, 900))  # fmt: skip


def _css_weight(fc_weight: float) -> int:
    return min(_FC_TO_CSS_WEIGHT, key=lambda pair: abs(pair[0] - fc_weight))[1]


def _parse_fc_weight(text: str) -> float:
    """``80`` or, for a variable font, ``[50 210]`` (the default instance is not given: use the low end)."""
    numbers = text.strip("[]").split()
    return float(numbers[0]) if numbers else 80.0


@cache
def system_faces() -> tuple[FontFace, ...]:
    """Every face fontconfig knows, from one ``fc-list`` call (memoised per process)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ()
    result = subprocess.run(
        [fc_list, "--format", _FC_FORMAT], capture_output=True, text=True, check=False, timeout=30
    )
    return tuple(sorted(_parse_fc_list(result.stdout), key=lambda f: (f.family, f.weight, f.key)))


def _parse_fc_list(output: str) -> Iterator[FontFace]:
    for line in output.splitlines():
        parts = line.split("\t")
        if len(parts) != 6 or not parts[0] or not parts[3]:
            continue
        families_text, style, weight, file, index, langs = parts
        families = tuple(f for f in families_text.split(",") if f)
        yield FontFace(
            family=families[0],
            families=families,
            style=style.split(",")[0],
            weight=_css_weight(_parse_fc_weight(weight)),
            path=Path(file),
            index=int(index or 0),
            cjk="zh-cn" in langs.split("|"),
            origin="system",
        )


@cache
def fontconfig_available() -> bool:
    return shutil.which("fc-list") is not None


# ---------------------------------------------------------------- user font folders


def config_file() -> Path:
    """``$XDG_CONFIG_HOME/kongchuo-docs/fonts.yaml`` (default ``~/.config/…``)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "kongchuo-docs" / CONFIG_FILE_NAME


def configured_font_dirs(font_dir: Path | None = None) -> tuple[Path, ...]:
    """The user font folders: `font_dir` (``--font-dir``), else $KONGCHUO_FONT_DIR, else the config file."""
    if font_dir is not None:
        dirs = [font_dir]
    elif os.environ.get(FONT_DIR_ENV):
        dirs = [Path(p) for p in os.environ[FONT_DIR_ENV].split(os.pathsep) if p]
    else:
        dirs = _dirs_from_config(config_file())
    problems = Problems()
    for d in dirs:
        if not d.expanduser().is_dir():
            problems.error(Location(str(d), column="字体文件夹"), "文件夹不存在")
    problems.raise_if_errors()
    return tuple(d.expanduser().resolve() for d in dirs)


def _dirs_from_config(path: Path) -> list[Path]:
    if not path.is_file():
        return []
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InputError([Problem(Location(str(path)), f"YAML 格式错误：{exc}")]) from None
    dirs = data.get("font_dirs") if isinstance(data, dict) else None
    if not isinstance(dirs, list) or not all(isinstance(d, str) for d in dirs):
        where = Location(str(path), column="font_dirs")
        raise InputError([Problem(where, "应为文件夹路径的列表，如 font_dirs: [~/fonts]")])
    return [Path(d) for d in dirs]


@cache
def folder_faces(dirs: tuple[Path, ...]) -> tuple[tuple[FontFace, ...], tuple[str, ...]]:
    """Faces of the font files under `dirs` (recursively) and a warning per unreadable file."""
    faces: list[FontFace] = []
    warnings: list[str] = []
    for d in dirs:
        for path in sorted(p for p in d.rglob("*") if p.suffix.lower() in FONT_SUFFIXES):
            try:
                faces.extend(_read_faces(path))
            except Exception as exc:  # a broken file must not stop the run; it is reported
                warnings.append(f"无法读取字体文件 {path}：{exc}")
    return tuple(faces), tuple(warnings)


def _read_faces(path: Path) -> Iterator[FontFace]:
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix.lower() in (".ttc", ".otc"):
        fonts = list(TTCollection(str(path), lazy=True).fonts)
    else:
        fonts = [TTFont(str(path), lazy=True)]
    for index, font in enumerate(fonts):
        names = font["name"]
        families = tuple(
            dict.fromkeys(
                n.toUnicode().strip()
                for n in sorted(names.names, key=lambda n: (n.platformID != 3, n.langID != 0x409))
                if n.nameID in (16, 1)
            )
        )
        if not families:
            continue
        os2 = font.get("OS/2")
        style_record = names.getDebugName(17) or names.getDebugName(2) or "Regular"
        yield FontFace(
            family=families[0],
            families=families,
            style=style_record,
            weight=os2.usWeightClass if os2 else REGULAR,
            path=path,
            index=index,
            cjk=_os2_declares_chinese(os2),
            origin="font-dir",
        )


def _os2_declares_chinese(os2: object) -> bool:
    """OS/2 says: code page 936 (GB2312, bit 18) or the CJK Unified Ideographs block (bit 59)."""
    code_pages = getattr(os2, "ulCodePageRange1", 0) or 0
    unicode_range2 = getattr(os2, "ulUnicodeRange2", 0) or 0
    return bool(code_pages & (1 << 18)) or bool(unicode_range2 & (1 << (59 - 32)))


# ---------------------------------------------------------------- coverage and metrics


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
def _shaped_em(face: FontFace, text: str, features: tuple[str, ...]) -> float:
    """Shaped advance width of `text` in em, script run by script run as Pango itemizes it
    (memoised: layout asks for the same words again and again)."""
    font = _harfbuzz_font(face.path, face.index)
    return sum(font.shaped_advance(piece, script, features) for piece, script in _script_runs(text)) / (
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


def _script_runs(text: str) -> list[tuple[str, str]]:
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
def _harfbuzz_font(path: Path, index: int) -> _HarfBuzzFont:
    hb = _harfbuzz()
    face = hb.hb_face_create(hb.hb_blob_create_from_file(os.fsencode(path)), index)
    if not hb.hb_face_get_glyph_count(face):
        raise EnvironmentProblem(f"无法读取字体文件 {path}（第 {index} 个字形集）")
    return _HarfBuzzFont(font=hb.hb_font_create(face), units_per_em=hb.hb_face_get_upem(face))


def _is_ignorable(char: str) -> bool:
    """Controls, format characters and variation selectors need no glyph."""
    cp = ord(char)
    return (
        unicodedata.category(char) in ("Cc", "Cf")
        or 0xFE00 <= cp <= 0xFE0F
        or 0xE0100 <= cp <= 0xE01EF
    )


# ---------------------------------------------------------------- the resolved set


@dataclass(frozen=True)
class FontSet:
    """The face for each role, the fallback faces, and what to tell the user about them."""

    roles: dict[str, RoleFont]  # official name → role font, in ROLE_SPECS order
    faces: tuple[FontFace, ...]  # every known face (system first, then folders)
    font_dirs: tuple[Path, ...]
    notes: tuple[str, ...] = ()  # warnings about unreadable font files

    def __getitem__(self, official: str) -> RoleFont:
        return self.roles[official]

    def __iter__(self) -> Iterator[RoleFont]:
        return iter(self.roles.values())

    # -- faces
    @cached_property
    def _face_by_key(self) -> dict[tuple[str, int], FontFace]:
        return {f.key: f for f in self.faces}

    def face(self, official: str) -> FontFace:
        role = self.roles[official]
        return self._face_by_key[(str(role.path), role.index)]

    def chain(self, official: str) -> tuple[FontFace, ...]:
        """Fallback faces of a role, best first: the other roles' faces, other CJK faces, the rest.

        One face per family (the one closest in weight to the role's face).
        """
        return self._chains[official]

    @cached_property
    def _chains(self) -> dict[str, tuple[FontFace, ...]]:
        return {official: self._build_chain(official) for official in self.roles}

    def _build_chain(self, official: str) -> tuple[FontFace, ...]:
        own = self.face(official)
        ordered = [self.face(o) for o in self.roles if o != official]
        ordered += [f for f in self.faces if f.cjk] + [f for f in self.faces if not f.cjk]
        chain: dict[str, FontFace] = {}
        for f in ordered:
            if f.key == own.key or f.family == own.family:
                continue
            best = chain.get(f.family)
            if best is None or abs(f.weight - own.weight) < abs(best.weight - own.weight):
                chain[f.family] = f
        return tuple(chain.values())

    # -- coverage
    def missing_chars(self, text: str, official: str) -> list[str]:
        """Distinct characters of `text` (first-seen order) that the role's face has no glyph for."""
        face = self.face(official)
        return [c for c in dict.fromkeys(text) if not _is_ignorable(c) and not face.covers(ord(c))]

    def fallback_face(self, char: str, official: str) -> FontFace | None:
        """The first face of the role's chain that has `char`, or None when no known font has it."""
        return next((f for f in self.chain(official) if f.covers(ord(char))), None)

    def check_text(
        self, text: str, official: str, where: Location | str, problems: Problems
    ) -> list[Fallback]:
        """Fallbacks `text` needs in role `official`; a character no font has is an error in `problems`."""
        fallbacks = []
        for char in self.missing_chars(text, official):
            face = self.fallback_face(char, official)
            if face is None:
                location = where if isinstance(where, Location) else Location(where)
                problems.error(
                    location,
                    f"字符“{char}”（U+{ord(char):04X}）在已安装的所有字体中都没有字形，无法排版；"
                    "请改写该字，或安装含此字的字体（--font-dir）",
                )
            else:
                fallbacks.append(Fallback(char, official, face.family, face.path, face.index, str(where)))
        return fallbacks

    def segments(self, text: str, official: str) -> list[tuple[str, str]]:
        """`text` cut into (piece, family) runs: the role's family, or the fallback family of the
        characters its face lacks, e.g. for DOCX runs. A character no font has stays in the role's
        run (`check_text` reports it)."""
        return [(piece, face.family) for piece, face in self._runs(text, official)]

    def _runs(self, text: str, official: str) -> list[tuple[str, FontFace]]:
        own = self.face(official)
        runs: list[tuple[str, FontFace]] = []
        for char in text:
            needs_fallback = not _is_ignorable(char) and not own.covers(ord(char))
            face = (self.fallback_face(char, official) if needs_fallback else None) or own
            if runs and runs[-1][1] is face:
                runs[-1] = (runs[-1][0] + char, face)
            else:
                runs.append((char, face))
        return runs

    # -- metrics
    def text_width_pt(
        self, text: str, official: str, size_pt: float, features: tuple[str, ...] = ()
    ) -> float:
        """Advance width of `text` at `size_pt` in pt, shaped by HarfBuzz as WeasyPrint/Pango shape it
        (kerning included, letter spacing not). Characters the role's face lacks are measured in their
        fallback face. `features` are extra OpenType features, e.g. ``("fwid",)`` when the CSS sets
        ``font-feature-settings: "fwid"``.
        """
        return sum(_shaped_em(face, piece, features) for piece, face in self._runs(text, official)) * size_pt

    def measure(self, official: str, size_pt: float, spacing_pt: float = 0.0) -> Callable[[str], float]:
        """A `layout.text.Measure` for role `official`: width in pt of a text, plus `spacing_pt`
        (CSS letter-spacing) after every character."""

        def width(text: str) -> float:
            return self.text_width_pt(text, official, size_pt) + spacing_pt * len(text)

        return width

    # -- reports
    def warnings(self) -> list[str]:
        """One Chinese warning per substituted role, plus the unreadable-file notes."""
        items = [
            f"{r.official}（{r.role}）未安装，用{SOURCE_LABEL[r.source]} {r.family}"
            f"（字重 {r.weight}）代替；正式公文请安装 {r.official} 或用 --font-dir 指定字体文件夹"
            for r in self
            if r.substituted
        ]
        return items + list(self.notes)

    def report_rows(self) -> list[tuple[str, str, str, str, str]]:
        """(角色, 规定字体, 实际使用, 字体文件, 来源) per role, for tables and build output."""
        rows = []
        for r in self:
            served = f"{r.family}（字重 {r.weight}）"
            file = f"{r.path}" + (f" #{r.index}" if r.index else "")
            label = SOURCE_LABEL[r.source] + ("，替代" if r.substituted else "")
            rows.append((r.role, r.official, served, file, label))
        return rows

    def report_lines(self, fallbacks: Iterable[Fallback] = ()) -> list[str]:
        """Plain-text report: which font served which role, then the per-character fallbacks."""
        lines = [f"字体 {role}（{official}）：{served}，{label}" for role, official, served, _, label in
                 self.report_rows()]  # fmt: skip
        return lines + fallback_lines(fallbacks)

    def substitution_summary(self) -> str | None:
        """One line naming every official font that is not installed (None when all are)."""
        missing = [r.official for r in self if r.substituted]
        if not missing:
            return None
        return f"未安装正式字体：{'、'.join(missing)}，已用免费替代字体，{DOCTOR_HINT}"

    def announce(self, fallbacks: Iterable[Fallback] = ()) -> None:
        """Warn on stderr, once per process: ONE line for all substitutions (each role's with
        --verbose), the unreadable font files; then the per-character fallbacks."""
        from . import console

        summary = self.substitution_summary()
        if summary is not None and summary not in _ANNOUNCED:
            _ANNOUNCED.add(summary)
            console.warn(summary)
            for warning in self.warnings()[: len(self.warnings()) - len(self.notes)]:
                console.detail(f"  {warning}")
        for note in self.notes:
            if note not in _ANNOUNCED:
                _ANNOUNCED.add(note)
                console.warn(note)
        for line in fallback_lines(fallbacks):
            console.warn(line)

    # -- CSS for WeasyPrint
    def css_font_family(self, official: str, fallbacks: Iterable[Fallback] = ()) -> str:
        """CSS ``font-family`` value: the role's family, then its CJK fallback families in chain order.

        Font-folder faces are invisible to Pango unless declared by `css_font_face_rules`, so of
        those only role faces and faces used by `fallbacks` are named.
        """
        usable = self._css_face_keys(fallbacks)
        families = [self.roles[official].family] + [
            f.family for f in self.chain(official) if f.cjk and (f.origin == "system" or f.key in usable)
        ]
        return ", ".join(_css_string(f) for f in dict.fromkeys(families))

    def css_font_face_rules(self, fallbacks: Iterable[Fallback] = ()) -> str:
        """``@font-face`` rules for the font-folder faces serving roles or `fallbacks` ("" if none).

        System faces need no rule: WeasyPrint finds them by family name through fontconfig.
        WeasyPrint always takes face 0 of a .ttc given as ``src: url(…)``, so a face with index > 0
        is first saved as a standalone font in the user cache (once, ~0.5 s for a Noto CJK face).
        """
        usable = self._css_face_keys(fallbacks)
        rules = []
        for face in self.faces:
            if face.origin != "font-dir" or face.key not in usable:
                continue
            src = face.path if face.index == 0 else _standalone_face(face)
            rules.append(
                f"@font-face {{ font-family: {_css_string(face.family)}; "
                f"src: url({_css_string(src.as_uri())}); font-weight: {face.weight}; }}"
            )
        return "\n".join(rules)

    def _css_face_keys(self, fallbacks: Iterable[Fallback]) -> set[tuple[str, int]]:
        return {self.face(o).key for o in self.roles} | {(str(fb.path), fb.index) for fb in fallbacks}

    # -- fontconfig for LibreOffice
    def fontconfig_xml(self) -> str:
        """A fontconfig file mapping the official names to the serving families (for LibreOffice)."""
        mappings = [
            {
                "names": [n for n in official_spellings(r.official) if n != r.family],
                "family": r.family,
                "weight": None if r.weight == REGULAR else _fc_weight(r.weight),
            }
            for r in self
            if r.family != r.official
        ]
        return render_fontconfig("kongchuo-fonts.conf.j2", self, mappings)

    def write_fontconfig(self, path: Path) -> Path:
        """Write `fontconfig_xml` to `path` (only when it changed) and return `path`."""
        xml = self.fontconfig_xml()
        if not path.is_file() or path.read_text(encoding="utf-8") != xml:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f"{path.name}.{os.getpid()}.part")
            partial.write_text(xml, encoding="utf-8")
            partial.replace(path)  # atomic: a LibreOffice started meanwhile reads the old or the new file
        return path


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _fc_weight(css_weight: int) -> int:
    return min(_FC_TO_CSS_WEIGHT, key=lambda pair: abs(pair[1] - css_weight))[0]


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kongchuo-docs"


def _standalone_face(face: FontFace) -> Path:
    """Face `face.index` of a collection saved as its own font file (cached by path, size, mtime)."""
    from fontTools.ttLib import TTFont

    stat = face.path.stat()
    digest = hashlib.sha256(f"{face.path}|{stat.st_size}|{stat.st_mtime_ns}|{face.index}".encode())
    target = cache_dir() / "faces" / f"{digest.hexdigest()[:16]}.otf"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        TTFont(str(face.path), fontNumber=face.index).save(str(partial))
        partial.replace(target)
    return target


# ---------------------------------------------------------------- resolution


def resolve_fonts(font_dir: Path | None = None) -> FontSet:
    """The font for every role on this machine (memoised per process and folder set).

    `font_dir` is the ``--font-dir`` option; without it $KONGCHUO_FONT_DIR or the config file apply.
    Raises `EnvironmentProblem` when no CJK font is available at all.
    """
    return _resolve_cached(configured_font_dirs(font_dir))


@cache
def _resolve_cached(dirs: tuple[Path, ...]) -> FontSet:
    faces, notes = folder_faces(dirs)
    return resolve_from(system_faces(), faces, dirs, notes)


def resolve_from(
    system: Sequence[FontFace],
    folder: Sequence[FontFace] = (),
    font_dirs: tuple[Path, ...] = (),
    notes: tuple[str, ...] = (),
) -> FontSet:
    """Resolve the roles from given faces (the pure part of `resolve_fonts`, used by tests)."""
    every = (*system, *folder)
    if not any(f.cjk for f in every):
        raise EnvironmentProblem(no_cjk_font_message())
    roles = {spec.official: _resolve_role(spec, system, folder, every) for spec in ROLE_SPECS}
    return FontSet(roles=roles, faces=every, font_dirs=font_dirs, notes=notes)


def no_cjk_font_message() -> str:
    reason = "" if fontconfig_available() else "（也未找到 fontconfig 的 fc-list，请一并安装 fontconfig）"
    return (
        f"未找到任何中文（CJK）字体，无法排版中文公文{reason}。"
        f"请安装免费字体：{INSTALL_HINT}，或用 --font-dir 指定含中文字体的文件夹。"
    )


def _resolve_role(
    spec: RoleSpec, system: Sequence[FontFace], folder: Sequence[FontFace], every: Sequence[FontFace]
) -> RoleFont:
    for faces, source in ((system, "system"), (folder, "font-dir")):
        face = _by_names(faces, spec.aliases, REGULAR)
        if face is not None:
            return _role_font(spec, face, source, substituted=False)
    face = _by_names(every, spec.stand_ins, spec.weight)
    if face is None:  # last resort: any CJK face, Simplified-Chinese-looking names first
        cjk = sorted((f for f in every if f.cjk), key=lambda f: (not _looks_simplified(f), f.family))
        face = _closest_weight([f for f in cjk if f.family == cjk[0].family], spec.weight)
    return _role_font(spec, face, "stand-in", substituted=True)


def _by_names(faces: Sequence[FontFace], names: Sequence[str], weight: int) -> FontFace | None:
    for name in names:
        matches = [f for f in faces if f.has_family(name)]
        if matches:
            return _closest_weight(matches, weight)
    return None


def _closest_weight(faces: Sequence[FontFace], weight: int) -> FontFace:
    upright = [f for f in faces if "italic" not in f.style.lower() and "oblique" not in f.style.lower()]
    return min(upright or faces, key=lambda f: (abs(f.weight - weight), f.key))


def _looks_simplified(face: FontFace) -> bool:
    return any(tag in face.family for tag in (" SC", " CN", "GB", "简"))


def _role_font(spec: RoleSpec, face: FontFace, source: Source, *, substituted: bool) -> RoleFont:
    family = next((n for n in spec.aliases if face.has_family(n)), face.family)
    return RoleFont(
        role=spec.role,
        official=spec.official,
        family=family,
        path=face.path,
        index=face.index,
        weight=face.weight,
        substituted=substituted,
        source=source,
    )


def official_spellings(official: str) -> list[str]:
    """An official font name and the other spellings documents use for it, in that order."""
    spec = next(s for s in ROLE_SPECS if s.official == official)
    return list(dict.fromkeys((spec.official, *spec.aliases)))


def render_fontconfig(template: str, fonts: FontSet, mappings: list[dict]) -> str:
    """Fill ``templates/fontconfig/<template>`` with the font folders of `fonts` and `mappings`
    (each: the official ``names``, the serving ``family``, optionally a ``weight``)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_path("fontconfig")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template(template).render(font_dirs=[str(d) for d in fonts.font_dirs], mappings=mappings)
