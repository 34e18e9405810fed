"""``kongchuo-docs doctor``: is this machine able to build the documents, and with which fonts?

Every check is a `Check` row; a missing *required* item makes the command exit 1 and print the
Debian/Ubuntu install command. The native libraries are probed with ctypes, without importing
WeasyPrint (which would take ~1 s and fail outright when Pango is missing).
"""

from __future__ import annotations

import ctypes
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Literal

from rich.console import Console
from rich.table import Table

from ..errors import EnvironmentProblem
from ..system import font_faces, fonts, libreoffice

Status = Literal["ok", "warning", "missing"]

PACKAGES = ("python-docx", "docxtpl", "openpyxl", "python-calamine", "weasyprint", "typer", "pydantic", "fonttools",
            "matplotlib")
PANGO_LIBRARY = "libpango-1.0.so.0"
HARFBUZZ_LIBRARY = "libharfbuzz.so.0"
HARFBUZZ_SUBSET_LIBRARY = "libharfbuzz-subset.so.0"
MIN_PANGO = (1, 44)  # WeasyPrint's minimum
MIN_HARFBUZZ = (4, 1)  # WeasyPrint's minimum for HarfBuzz subsetting
REQUIRED_APT = (
    "sudo apt-get install fontconfig fonts-noto-cjk fonts-lxgw-wenkai "
    "libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0"
)
OPTIONAL_APT = libreoffice.INSTALL_HINT
PIPE_WIDTH = 140  # characters; rich would wrap at 80 when stdout is not a terminal

LoadLibrary = Callable[[str], ctypes.CDLL]


@dataclass(frozen=True)
class Check:
    """One row of the doctor table."""

    item: str
    status: Status
    detail: str
    required: bool = True

    @property
    def fails(self) -> bool:
        return self.required and self.status == "missing"


def run_checks(
    font_dir: Path | None = None,
    *,
    load_library: LoadLibrary = ctypes.CDLL,
    resolve: Callable[[Path | None], fonts.FontSet] = fonts.resolve_fonts,
    soffice_version: Callable[[], str | None] = libreoffice.soffice_version,
) -> list[Check]:
    """Every check, in table order. The keyword arguments exist so tests can simulate a bare machine."""
    checks = [Check("Python", "ok", f"{platform.python_version()}（{sys.executable}）")]
    checks += [_package(name) for name in PACKAGES]
    checks.append(_pango(load_library))
    checks.append(_harfbuzz_subset(load_library))
    checks.append(_libreoffice(soffice_version))
    checks.append(_fontconfig())
    checks += _fonts(font_dir, resolve)
    checks.append(_profile())
    return checks


def _profile() -> Check:
    """Which 单位设置 the commands would use (a warning when none or a bad one: not needed by every command)."""
    from ..errors import InputError
    from ..profile import find_profile_path, load_profile

    path = find_profile_path()
    if path is None:
        return Check("单位设置", "warning", "未找到：运行 kongchuo-docs init 生成并填写，或在命令中用 --settings 指定")
    try:
        profile = load_profile(path)
    except InputError as exc:
        return Check("单位设置", "warning", f"{path}：有 {len(exc.problems)} 处错误（{exc.problems[0]}）")
    assert profile is not None
    return Check("单位设置", "ok", f"{path}（{profile.province}{profile.county}，学年 {profile.school_year}）")


def _package(name: str) -> Check:
    try:
        return Check(name, "ok", metadata.version(name))
    except metadata.PackageNotFoundError:
        return Check(name, "missing", "未安装（pip install kongchuo-docs 会一并安装）")


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:2] if part.isdigit())


def _pango(load_library: LoadLibrary) -> Check:
    try:
        lib = load_library(PANGO_LIBRARY)
        lib.pango_version_string.restype = ctypes.c_char_p
        version = lib.pango_version_string().decode()
    except (OSError, AttributeError):
        return Check("Pango", "missing", f"无法加载 {PANGO_LIBRARY}（WeasyPrint 生成 PDF 需要）")
    if _version_tuple(version) < MIN_PANGO:
        return Check("Pango", "missing", f"{version}，需要 ≥ {'.'.join(map(str, MIN_PANGO))}")
    return Check("Pango", "ok", version)


def _harfbuzz_subset(load_library: LoadLibrary) -> Check:
    item = "HarfBuzz 子集化"
    try:
        subset = load_library(HARFBUZZ_SUBSET_LIBRARY)
        subset.hb_subset_or_fail  # noqa: B018 - the symbol WeasyPrint calls must exist
        harfbuzz = load_library(HARFBUZZ_LIBRARY)
        harfbuzz.hb_version_string.restype = ctypes.c_char_p
        version = harfbuzz.hb_version_string().decode()
    except (OSError, AttributeError):
        return Check(
            item, "missing", f"无法加载 {HARFBUZZ_SUBSET_LIBRARY}：PDF 嵌入中文字体要慢几十倍"
        )
    if _version_tuple(version) < MIN_HARFBUZZ:
        return Check(item, "missing", f"HarfBuzz {version}，需要 ≥ {'.'.join(map(str, MIN_HARFBUZZ))}")
    return Check(item, "ok", f"{HARFBUZZ_SUBSET_LIBRARY}（HarfBuzz {version}）")


def _libreoffice(soffice_version: Callable[[], str | None]) -> Check:
    version = soffice_version()
    if version is None:
        detail = (f"未安装（可选：letters --template 自备 Word 模板的 PDF 由它从同一份 DOCX 转出；"
                  f"读取 .doc/.wps/.odt 草稿）：{OPTIONAL_APT}")
        return Check("LibreOffice", "warning", detail, required=False)
    return Check("LibreOffice", "ok", f"{version}（letters --template 的 PDF 由它转出；可读取 .doc/.wps/.odt 草稿）",
                 required=False)


def _fontconfig() -> Check:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return Check("fontconfig", "missing", "未找到 fc-list：无法按字体名查找系统字体")
    result = subprocess.run([fc_list, "--version"], capture_output=True, text=True, timeout=30, check=False)
    return Check("fontconfig", "ok", (result.stdout + result.stderr).strip() or fc_list)


def _fonts(font_dir: Path | None, resolve: Callable[[Path | None], fonts.FontSet]) -> list[Check]:
    try:
        font_set = resolve(font_dir)
    except EnvironmentProblem as exc:
        return [Check("中文字体", "missing", str(exc))]
    if font_set.font_dirs:
        in_folders = sum(f.origin == "font-dir" for f in font_set.faces)
        dirs = "、".join(str(d) for d in font_set.font_dirs) + f"（{in_folders} 个字体）"
    else:
        env, config = font_faces.FONT_DIR_ENV, font_faces.config_file()
        dirs = f"未设置（可用 --font-dir、环境变量 {env} 或配置文件 {config} 指定）"
    checks = [Check("字体文件夹", "ok", dirs, required=False)]
    for role in font_set:
        where = f"{role.path}" + (f" #{role.index}" if role.index else "")
        label = fonts.SOURCE_LABEL[role.source]
        detail = f"{role.family}（字重 {role.weight}，{label}） {where}"
        checks.append(
            Check(f"字体 {role.role}（{role.official}）", "warning" if role.substituted else "ok", detail)
        )
    checks += [Check("字体文件", "warning", note, required=False) for note in font_set.notes]
    return checks


_STATUS_TEXT = {
    "ok": "[green]正常[/green]",
    "warning": "[yellow]注意[/yellow]",
    "missing": "[red]缺少[/red]",
}


def table(checks: list[Check]) -> Table:
    """The checks as one rich table."""
    result = Table(title="kongchuo-docs 运行环境检查", show_lines=False)
    result.add_column("项目", no_wrap=True)
    result.add_column("状态", no_wrap=True)
    result.add_column("说明")
    for check in checks:
        result.add_row(check.item, _STATUS_TEXT[check.status], check.detail)
    return result


def run(font_dir: Path | None = None, console: Console | None = None) -> int:
    """Run every check, print the table and advice; return the exit code."""
    if console is None:
        console = Console(highlight=False)
        if not console.is_terminal:
            console.width = PIPE_WIDTH
    return report(run_checks(font_dir), console)


def report(checks: list[Check], console: Console) -> int:
    """Print the table and advice; return the exit code (1 when something required is missing)."""
    console.print(table(checks))
    if any(c.item.startswith("字体 ") and c.status == "warning" for c in checks):
        console.print("部分字体为免费替代字体；正式公文请安装规定字体，或用 --font-dir 指定字体文件夹。")
    if any(c.fails for c in checks):
        console.print("[red]缺少必需的组件。[/red] Debian/Ubuntu 安装命令：")
        console.print(REQUIRED_APT, markup=False, soft_wrap=True)
        return 1
    console.print("[green]必需组件齐全。[/green]")
    return 0
