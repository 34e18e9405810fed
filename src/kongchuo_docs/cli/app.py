"""The ``kongchuo-docs`` application: the Typer app, its global options, the options and helpers the
commands share, and the console-script entry point."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import Annotated

import typer

from .. import console
from . import messages as cli_messages
from .guard import UNEXPECTED_EXIT, on_sigterm, report_unexpected, reports_errors

app = typer.Typer(
    name="kongchuo-docs",
    help="控辍保学文书工具箱：由 YAML / Excel 生成符合 GB/T 9704-2012 的公文、通知书、责任书、报告与登记表。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    cls=cli_messages.ChineseGroup,
)

ForceOption = Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件。")]
OutOption = Annotated[Path, typer.Option("-o", "--output", help="输出文件夹。")]
SettingsOption = Annotated[
    Path | None,
    typer.Option("--settings", help="单位设置文件（单位设置.yaml 或 .xlsx，由 kongchuo-docs init 生成）；"
                 "默认在当前文件夹及其上级文件夹、用户配置文件夹中查找。"),
]


@app.callback()
def main_options(
    font_dir: Annotated[
        Path | None,
        typer.Option("--font-dir", help="正式字体（方正小标宋简体、仿宋_GB2312 等）所在文件夹，用于排版和 PDF；"
                     "写在子命令之前，如 kongchuo-docs --font-dir 字体 build 通知.yaml。"),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option("--templates", help="修改过的措辞模板文件夹（由 templates export 导出）；缺少的文件用默认措辞。"
                     "写在子命令之前，如 kongchuo-docs --templates 我的模板 letters 名册.xlsx。"),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="不显示警告（错误照常显示）；写在子命令之前。")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="显示详细信息，如每种字体的替代情况；写在子命令之前。")
    ] = False,
) -> None:
    """控辍保学文书工具箱。"""
    if quiet and verbose:
        raise typer.BadParameter("--quiet 和 --verbose 不能同时使用", param_hint="--quiet")
    console.set_verbosity("quiet" if quiet else "verbose" if verbose else "normal")
    if templates is not None:
        from ..wording.files import use_templates

        reports_errors(use_templates)(templates)  # every file checked now, before any command reads or writes
    if font_dir is not None:
        import os

        from ..system.font_faces import FONT_DIR_ENV

        os.environ[FONT_DIR_ENV] = str(font_dir.resolve())  # also seen by --jobs worker processes


def command_group(name: str, help: str) -> typer.Typer:
    """A command with subcommands (``register build``…), its help and usage errors in Chinese like
    the app's, added to the app under `name`."""
    group = typer.Typer(help=help, no_args_is_help=True, rich_markup_mode=None, cls=cli_messages.ChineseGroup)
    app.add_typer(group, name=name)
    return group


def print_written(outdir: Path, written: list[str]) -> None:
    for rel in written:
        typer.echo(str(outdir / rel))


def main() -> None:
    """Console-script entry point; SIGTERM ends a run like Ctrl+C (staging removed, exit 143). The
    last guard: an error no command caught is one Chinese line and a debug log, exit 70."""
    signal.signal(signal.SIGTERM, on_sigterm)
    # multiprocessing's resource tracker (started with these options) outlives a run ended by
    # SIGTERM and removes the pool's semaphores itself; its English note about them is no news
    sys.warnoptions.append("ignore::UserWarning:multiprocessing.resource_tracker")
    try:
        app()
    except Exception as exc:
        report_unexpected(exc)
        sys.exit(UNEXPECTED_EXIT)
