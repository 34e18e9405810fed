"""Which font faces there are: the system's (one ``fc-list`` call per process: family, style,
weight, file, face index and languages of every face; ~5 ms) and those in the user's font folders
(``--font-dir``, ``KONGCHUO_FONT_DIR``, or ``fonts.yaml`` in the user config folder), whose family
names fontTools reads from the name tables (all languages, every face of a .ttc/.otc collection).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from ..errors import InputError, Location, Problem, Problems
from .harfbuzz import harfbuzz_font

FONT_DIR_ENV = "KONGCHUO_FONT_DIR"
CONFIG_FILE_NAME = "fonts.yaml"
FONT_SUFFIXES = frozenset({".ttf", ".otf", ".ttc", ".otc"})
REGULAR = 400


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
        return harfbuzz_font(self.path, self.index).glyph(codepoint) is not None


# ---------------------------------------------------------------- system fonts (fontconfig)

_FC_FORMAT = "%{family}\t%{style}\t%{weight}\t%{file}\t%{index}\t%{lang}\n"
# fontconfig weight → CSS weight (FC_WEIGHT_* constants of fontconfig.h)
FC_TO_CSS_WEIGHT = ((0, 100), (40, 200), (50, 300), (80, 400), (100, 500), (180, 600), (200, 700),
                     (205, 800), (210, 900))  # fmt: skip


def _css_weight(fc_weight: float) -> int:
    return min(FC_TO_CSS_WEIGHT, key=lambda pair: abs(pair[0] - fc_weight))[1]


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

    from ..support.yaml_load import safe_load, yaml_problem

    try:
        data = safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InputError([yaml_problem(exc, str(path))]) from None
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


