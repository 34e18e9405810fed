"""Render a DOCX to PDF with headless LibreOffice, using the same fonts as the PDF writer.

LibreOffice finds fonts through fontconfig; `FONTCONFIG_FILE` points it at a file written by
`fonts.FontSet.write_fontconfig`, which maps 方正小标宋简体/仿宋_GB2312/… to the fonts serving those
roles here. A private user profile keeps the run independent of (and safe beside) a desktop session.
LibreOffice's own output (English) is never shown: a failed conversion is said in Chinese — a .doc/.wps
it cannot read is the clerk's file (`InputError` at the file), a DOCX it cannot turn into PDF is the
machine's (`EnvironmentProblem`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from ..errors import EnvironmentProblem, InputError, Location, Problem
from .fonts import FontSet, cache_dir, resolve_fonts

INSTALL_HINT = "sudo apt-get install libreoffice-writer-nogui"
CONVERT_TIMEOUT_S = 180  # a cold start with a fresh profile takes a few seconds; a hang must not


@cache
def soffice_path() -> Path | None:
    """The ``soffice`` executable, or None."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    return Path(found) if found else None


@cache
def soffice_version() -> str | None:
    """E.g. ``LibreOffice 7.4.7.2 40(Build:2)``, or None when LibreOffice is missing."""
    exe = soffice_path()
    if exe is None:
        return None
    with tempfile.TemporaryDirectory(prefix="kongchuo-lo-") as profile:
        result = subprocess.run(
            [str(exe), f"-env:UserInstallation={Path(profile).as_uri()}", "--version"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    return result.stdout.strip().splitlines()[0] if result.stdout.strip() else None


def render_docx_to_pdf(docx: Path, outdir: Path, fonts: FontSet | None = None, *, pdfa_part: int | None = None) -> Path:
    """Convert `docx` to ``outdir/<stem>.pdf`` and return that path; with `pdfa_part` (2 or 3) the PDF is
    PDF/A-2b or -3b (LibreOffice's own PDF/A export: XMP, sRGB OutputIntent, embedded fonts).

    Raises `EnvironmentProblem` when LibreOffice is missing or the conversion fails or times out.
    """
    return render_docxs_to_pdf([docx], outdir, fonts, pdfa_part=pdfa_part)[0]


def render_docxs_to_pdf(docxs: list[Path], outdir: Path, fonts: FontSet | None = None, *,
                        pdfa_part: int | None = None) -> list[Path]:
    """`render_docx_to_pdf` for several DOCX files (distinct names) in one start of LibreOffice."""
    exe = soffice_path()
    if exe is None:
        raise EnvironmentProblem(
            f"未找到 LibreOffice（soffice），无法把 DOCX 转为 PDF。请安装：{INSTALL_HINT}"
        )
    fonts = fonts or resolve_fonts()
    digest = hashlib.sha256(fonts.fontconfig_xml().encode()).hexdigest()[:12]
    conf = fonts.write_fontconfig(cache_dir() / "fontconfig" / f"kongchuo-fonts-{digest}.conf")
    export = "pdf:writer_pdf_Export"
    if pdfa_part is not None:
        export += f':{{"SelectPdfVersion":{{"type":"long","value":"{pdfa_part}"}}}}'
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    targets = _convert(exe, docxs, outdir, export, env)
    for docx, target in zip(docxs, targets, strict=True):
        if target is None:
            raise EnvironmentProblem(
                f"LibreOffice 未能把 {docx.name} 转为 PDF。请运行 kongchuo-docs doctor 检查 LibreOffice 是否完整安装"
                f"（{INSTALL_HINT}），或用 --format docx 只生成 Word 文件"
            )
    return [target for target in targets if target is not None]


def convert_to_docx(source: Path, outdir: Path) -> Path:
    """Convert a .doc/.wps/.odt draft to ``outdir/<stem>.docx`` (the source is only read).

    Raises `EnvironmentProblem` when LibreOffice is missing, `InputError` at the file when it cannot
    read it (damaged, or not a Word/WPS document)."""
    exe = soffice_path()
    if exe is None:
        raise EnvironmentProblem(
            f"{source.name}：未安装 LibreOffice，无法读取 .doc/.wps/.odt 文件。请在 Word 或 WPS 中打开它，"
            f"“另存为”Word 文档（*.docx）后再运行；或安装 LibreOffice：{INSTALL_HINT}"
        )
    (target,) = _convert(exe, [source], outdir, "docx:MS Word 2007 XML", dict(os.environ))
    if target is None:
        message = ("LibreOffice 无法读取这个文件（可能已损坏、加了密码，或不是 Word/WPS 文档）。"
                   "请在 Word 或 WPS 中打开它，“另存为”Word 文档（*.docx）后再试")  # fmt: skip
        raise InputError([Problem(Location(source.name), message)])
    return target


def _convert(exe: Path, sources: list[Path], outdir: Path, to: str, env: dict[str, str]) -> list[Path | None]:
    """Run one headless LibreOffice conversion of `sources` into `outdir` (filter `to`); each result's
    path, None where LibreOffice did not write it (its English output is not kept: see the module)."""
    outdir.mkdir(parents=True, exist_ok=True)
    kind = to.split(":")[0]
    targets = [outdir / f"{source.stem}.{kind}" for source in sources]
    with tempfile.TemporaryDirectory(prefix="kongchuo-lo-") as profile:
        command = [
            str(exe),
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            *map(str, sources),
        ]
        timeout = CONVERT_TIMEOUT_S * len(sources)
        try:
            result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            names = "、".join(source.name for source in sources)
            raise EnvironmentProblem(f"LibreOffice 转换 {names} 超时（{timeout} 秒）") from None
    ok = result.returncode == 0
    return [target if ok and target.is_file() else None for target in targets]
