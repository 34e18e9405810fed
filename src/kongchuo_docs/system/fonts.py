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

Which faces exist is `font_faces`' job (one ``fc-list`` call per process, plus the font folders);
character coverage and widths come from `harfbuzz`, shaped the way Pango shapes them for WeasyPrint.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Literal

from .. import gbt9704
from ..errors import EnvironmentProblem, Location, Problems
from ..files.resources import template_path
from .font_faces import (
    FC_TO_CSS_WEIGHT,
    REGULAR,
    FontFace,
    configured_font_dirs,
    folder_faces,
    fontconfig_available,
    system_faces,
)
from .harfbuzz import is_ignorable, shaped_em

INSTALL_HINT = "sudo apt-get install fonts-noto-cjk fonts-lxgw-wenkai"
_ANNOUNCED: set[str] = set()  # font warnings already printed by this process
DOCTOR_HINT = "详见 kongchuo-docs doctor"

Source = Literal["system", "font-dir", "stand-in"]
SOURCE_LABEL: dict[str, str] = {"system": "系统已安装", "font-dir": "字体文件夹", "stand-in": "免费替代字体"}

# CSS weights (100–900). REGULAR serves body text; HEAVIEST picks the boldest face (小标宋 stand-in).
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
        return [c for c in dict.fromkeys(text) if not is_ignorable(c) and not face.covers(ord(c))]

    def fallback_face(self, char: str, official: str) -> FontFace | None:
        """The first face of the role's chain that has `char`, or None when no known font has it."""
        return next((f for f in self.chain(official) if f.covers(ord(char))), None)

    def mark_face(self, char: str, official: str) -> tuple[FontFace | None, str | None]:
        """The face to draw a mark (the cut line's ✂) in role `official` — the role's own when it has
        the glyph, else the first face that has it, else None (the writer draws it as lines) — and,
        when not the role's own, what to tell the user (once per run: `announce`)."""
        own = self.face(official)
        if own.covers(ord(char)):
            return own, None
        face = self.fallback_face(char, official)
        said = f"裁剪线上的“{char}”（U+{ord(char):04X}）：{official} 所用字体 {own.family} 没有"
        if face is None:
            return None, f"{said}，已安装的字体也都没有，PDF 中画成线条图形（DOCX 中仍是该字符，由打开它的软件选字体）"
        return face, f"{said}，PDF 中改用 {face.family}"

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
            needs_fallback = not is_ignorable(char) and not own.covers(ord(char))
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
        runs = self._runs(text, official)
        return sum(shaped_em(face.path, face.index, piece, features) for piece, face in runs) * size_pt

    def measure(self, official: str, size_pt: float, spacing_pt: float = 0.0,
                features: tuple[str, ...] = ()) -> Callable[[str], float]:
        """A `layout.text.Measure` for role `official`: width in pt of a text shaped with `features`,
        plus `spacing_pt` (CSS letter-spacing) after every character."""

        def width(text: str) -> float:
            return self.text_width_pt(text, official, size_pt, features) + spacing_pt * len(text)

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

    def announce(self, fallbacks: Iterable[Fallback] = (), once: Iterable[str] = ()) -> None:
        """Warn on stderr, once per process: ONE line for all substitutions (each role's with
        --verbose), the unreadable font files, the `once` notes (a mark drawn in another face);
        then the per-character fallbacks."""
        from .. import console

        summary = self.substitution_summary()
        if summary is not None and summary not in _ANNOUNCED:
            _ANNOUNCED.add(summary)
            console.warn(summary)
            for warning in self.warnings()[: len(self.warnings()) - len(self.notes)]:
                console.detail(f"  {warning}")
        for note in [*self.notes, *once]:
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
    return min(FC_TO_CSS_WEIGHT, key=lambda pair: abs(pair[1] - css_weight))[0]


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
