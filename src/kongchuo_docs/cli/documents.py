"""Commands for single documents and the toolkit's own files: build, check, demo, init, templates, forms."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .. import console
from ..declare import TASKS
from ..errors import KongchuoError
from .app import ForceOption, SettingsOption, app, command_group, print_written
from .declared import add_command
from .guard import reports_errors

add_command(app, "build", TASKS["build"])  # made from its declaration (declare/), as forms below


@app.command("check")
def check(
    input_file: Annotated[
        Path, typer.Argument(help="公文的 YAML 文件或草稿（.docx、.doc、.wps、.odt、.txt、.md）。", show_default=False)
    ],
    set_values: Annotated[
        list[str] | None,
        typer.Option("--set", help="草稿：覆盖或补充一项（可重复），与 build 相同，如 --set 格式=无版头。"),
    ] = None,
    settings: SettingsOption = None,
) -> None:
    """检查公文或草稿而不生成：列出每个问题的位置、规则、依据条款和程度（错误／更正／提示）。

    草稿按 build 的读法检查（同样的 --set 和单位设置）。退出码：0 没有问题，1 有问题，2 文件无法读取或无法识别。
    """
    from ..kinds.check import check_file
    from ..readers.draft import parse_settings

    try:
        result = check_file(input_file, settings, parse_settings(set_values or []))
    except KongchuoError as exc:
        console.err.print(f"错误：{exc}", markup=False)
        raise typer.Exit(2) from None
    for line in result.outline:
        console.info(f"  {line}")
    for finding in result.findings:
        typer.echo(str(finding))
    typer.echo(f"共 {len(result.findings)} 处问题。" if result.findings else "未发现问题。")
    raise typer.Exit(result.exit_code)


@app.command("demo")
@reports_errors
def demo(
    output: Annotated[Path, typer.Argument(help="输出文件夹。")] = Path("out"),
    force: ForceOption = False,
) -> None:
    """用内置样例生成每一种文书，样例输入复制到 输出文件夹/样例输入/ 以便修改后重新生成。

    再次运行时替换本命令上次写出（且未改动）的文件，不碰其他文件。
    """
    from ..kinds.demo import run_demo

    written = run_demo(output, force=force)
    print_written(output, written)


@app.command("init")
@reports_errors
def init(
    folder: Annotated[Path, typer.Argument(help="写出单位设置的文件夹，默认当前文件夹。")] = Path("."),
    force: ForceOption = False,
) -> None:
    """写出一份带说明的空白单位设置（单位设置.yaml）：填好本县（区）的名称、代码、文号代字、学年等后，各命令自动使用。"""
    from ..profile.init import init_profile

    print_written(folder, init_profile(folder, force=force))
    console.info("请用文本编辑器填写其中标“必填”的项目，再运行 kongchuo-docs letters 等命令。")


templates_app = command_group("templates", "措辞模板：导出后修改，再用 --templates 使用。")


@templates_app.command("export")
@reports_errors
def templates_export(
    folder: Annotated[Path, typer.Argument(help="导出到的文件夹。", show_default=False)],
    force: ForceOption = False,
) -> None:
    """导出全部文种的措辞文件（每个字段上方注明可用变量），修改后用 --templates 文件夹 生成文书。"""
    from ..wording.files import export_templates

    print_written(folder, export_templates(folder, force=force))


add_command(app, "forms", TASKS["forms"])
