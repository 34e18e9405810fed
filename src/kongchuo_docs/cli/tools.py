"""Commands around the documents: doctor, the web page (serve), version."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .. import __version__
from ..errors import KongchuoError
from .app import app
from .guard import reports_errors


@app.command("doctor")
@reports_errors
def doctor(
    font_dir: Annotated[
        Path | None, typer.Option("--font-dir", help="另外查找字体的文件夹（含 .ttf/.otf/.ttc）。")
    ] = None,
    install_fontconfig: Annotated[
        bool, typer.Option("--install-fontconfig", help="为本用户安装字体替代规则：未安装正式字体时，"
                           "LibreOffice/WPS 打开 DOCX 也用楷体、仿宋类的免费字体显示（setup.sh 会运行）。")
    ] = False,
) -> None:
    """检查运行环境：依赖包版本、Pango、HarfBuzz 子集化、LibreOffice，以及每种公文字体的来源。

    缺少必需组件时退出码为 1，并给出 Debian/Ubuntu 的安装命令。
    """
    from ..doctor import run

    if install_fontconfig:
        from ..font_aliases import install_aliases
        from ..fonts import resolve_fonts

        typer.echo(f"已写入字体替代规则：{install_aliases(resolve_fonts(font_dir))}")
        return
    raise typer.Exit(run(font_dir))


@app.command("serve")
@reports_errors
def serve(
    host: Annotated[
        str, typer.Option("--host", help="监听地址；0.0.0.0 供局域网使用，此时必须设置访问密码。")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口。")] = 8765,
    password: Annotated[
        str | None, typer.Option("--password", help="访问密码（也可在单位设置中填写“访问密码”）。")
    ] = None,
    workers: Annotated[int, typer.Option("--workers", help="同时生成的任务数（其余排队）。")] = 2,
    keep: Annotated[int, typer.Option("--keep", help="未下载的结果保留的分钟数。")] = 60,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="不自动打开浏览器。")] = False,
    settings: Annotated[
        Path | None, typer.Option("--settings", help="单位设置文件（默认在当前文件夹及其上级查找 单位设置.yaml）。")
    ] = None,
) -> None:
    """启动网页版：在浏览器中填写通知、上传名册和表格、预览并下载，文件只保存在本机临时文件夹。"""
    from ..web.app import ServerConfig
    from ..web.app import serve as run_server

    if workers < 1 or keep < 1:
        raise KongchuoError("--workers 和 --keep 至少为 1")
    typer.echo(f"网页版：http://{host}:{port}/ （按 Ctrl+C 停止）")
    run_server(ServerConfig(host=host, port=port, password=password, workers=workers, keep=keep * 60.0,
                            profile=settings), open_browser=not no_browser)  # fmt: skip


@app.command("version")
def version() -> None:
    """显示版本号。"""
    typer.echo(__version__)
