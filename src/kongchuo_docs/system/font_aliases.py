"""The user's fontconfig aliases: what LibreOffice and WPS set a DOCX in where the official fonts
(仿宋_GB2312, 楷体_GB2312, 方正小标宋简体, 黑体, 宋体) are not installed.

Without them a Linux desktop sets every missing Chinese font in its default CJK face (Noto Sans CJK
JP here), so the （一） headings lose their 楷体 look. `install_aliases` writes
``$XDG_CONFIG_HOME/fontconfig/conf.d/60-kongchuo-docs.conf`` (default ``~/.config``), loaded by
every fontconfig program of the user: each official name and its common spellings *accept* the
free family serving that role here (`fonts.resolve_fonts`), after the official font itself, so an
official font installed later still wins. ``scripts/setup.sh`` installs it through
``kongchuo-docs doctor --install-fontconfig``.
"""

from __future__ import annotations

import os
from pathlib import Path

from .fonts import FontSet, official_spellings, render_fontconfig

ALIASES_FILE = "60-kongchuo-docs.conf"  # before the distribution's 65-nonlatin/70-… CJK defaults


def aliases_path() -> Path:
    """Where the aliases file goes for this user."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "fontconfig" / "conf.d" / ALIASES_FILE


def aliases_xml(fonts: FontSet) -> str:
    """The aliases file for the roles `fonts` serves with a stand-in (none when all are installed)."""
    mappings = [{"names": official_spellings(r.official), "family": r.family} for r in fonts if r.substituted]
    return render_fontconfig("kongchuo-aliases.conf.j2", fonts, mappings)


def install_aliases(fonts: FontSet, path: Path | None = None) -> Path:
    """Write `aliases_xml` to `path` (default `aliases_path`), atomically; return the path."""
    path = path or aliases_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    partial.write_text(aliases_xml(fonts), encoding="utf-8")
    partial.replace(path)
    return path
