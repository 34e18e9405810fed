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
    from .doctor import run

    if install_fontconfig:
        from ..system.font_aliases import install_aliases
        from ..system.fonts import resolve_fonts

        typer.echo(f"已写入字体替代规则：{install_aliases(resolve_fonts(font_dir))}")
        return
    raise typer.Exit(run(font_dir))


@app.command("serve")
@reports_errors
def serve(
    host: Annotated[
        str, typer.Option("--host", help="监听地址；0.0.0.0 供局域网使用，此时必须有账号（users add）或访问密码。")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口。")] = 8765,
    password: Annotated[
        str | None, typer.Option("--password", hidden=True, help="不接受：命令行上的密码他人可见。")
    ] = None,
    ask_password: Annotated[
        bool, typer.Option("--ask-password", help="启动时输入访问密码（不显示、不留在命令行）。")
    ] = False,
    allow_host: Annotated[
        list[str] | None, typer.Option("--allow-host", help="另外接受的访问名称（如本机的计算机名），可重复。")
    ] = None,
    workers: Annotated[int, typer.Option("--workers", help="同时生成的任务数（其余排队）。")] = 2,
    keep: Annotated[int, typer.Option("--keep", help="任务结果保留的分钟数（结束后起算），到期自动删除。")] = 60,
    work_dir: Annotated[
        Path | None, typer.Option("--work-dir", help="任务文件夹所在的文件夹：有单位设置时，结果保存在其中的 "
                                  "kongchuo-docs-jobs，服务器重启后仍可下载（默认在单位设置旁）。")
    ] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="不自动打开浏览器。")] = False,
    settings: Annotated[
        Path | None, typer.Option("--settings", help="单位设置文件（默认在当前文件夹及其上级查找 单位设置.yaml）。")
    ] = None,
    db: Annotated[
        str | None, typer.Option("--db", help="数据库地址（账号、操作日志、发文登记簿），如 postgresql+psycopg://用户@主机/库；"
                                 "默认为单位设置旁的 kongchuo-docs.sqlite3。")
    ] = None,
    proxy: Annotated[
        bool, typer.Option("--proxy", help="在本机的 nginx 之后提供服务：信任 127.0.0.1 转来的 X-Forwarded-For/-Proto，"
                           "登录 Cookie 只经 HTTPS 发送；须有账号或访问密码。")
    ] = False,
) -> None:
    """启动网页版：在浏览器中填写通知、上传名册和表格、预览并下载，文件只保存在本机（任务结果保留 --keep 分钟）。

    有账号时（kongchuo-docs users add）每人用自己的用户名和密码登录；否则访问密码取自单位设置的“访问密码”、
    环境变量 KONGCHUO_PASSWORD，或用 --ask-password 在启动时输入。
    """
    import os

    from ..web.app import ServerConfig
    from ..web.app import serve as run_server
    from ..web.security import PASSWORD_ENV

    if password is not None:
        raise KongchuoError(f"不接受 --password：命令行上的密码会被本机其他用户看到（如 ps 命令）。"
                            f"请在单位设置中填写“访问密码”，或设置环境变量 {PASSWORD_ENV}，"
                            f"或加 --ask-password 在启动时输入。")  # fmt: skip
    if workers < 1 or keep < 1:
        raise KongchuoError("--workers 和 --keep 至少为 1")
    given = _ask_password() if ask_password else None
    typer.echo(f"网页版：http://{host}:{port}/ （按 Ctrl+C 停止）")
    run_server(ServerConfig(host=host, port=port, password=given or os.environ.get(PASSWORD_ENV) or None,
                            workers=workers, keep=keep * 60.0, work_dir=work_dir, profile=settings,
                            allow_hosts=tuple(allow_host or ()), db=db, proxy=proxy),
               open_browser=not no_browser)  # fmt: skip


def _ask_password() -> str:
    """The access password typed twice at start (not shown, not on the command line)."""
    first = typer.prompt("访问密码", hide_input=True, default="", show_default=False)
    if not first:
        raise KongchuoError("访问密码不能为空")
    if typer.prompt("再次输入访问密码", hide_input=True, default="", show_default=False) != first:
        raise KongchuoError("两次输入的访问密码不一致")
    return first


@app.command("version")
def version() -> None:
    """显示版本号。"""
    typer.echo(__version__)
