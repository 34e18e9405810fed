"""The ``kongchuo-docs`` command: thin wrappers that call the kinds and report in Chinese."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from . import __version__, console
from .errors import EnvironmentProblem, InputError, KongchuoError, OutputExistsError

app = typer.Typer(
    name="kongchuo-docs",
    help="控辍保学文书工具箱：由 YAML / Excel 生成符合 GB/T 9704-2012 的公文、通知书、责任书、报告与登记表。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

F = TypeVar("F", bound=Callable[..., object])

ForceOption = Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件。")]
OutOption = Annotated[Path, typer.Option("-o", "--output", help="输出文件夹。")]


def reports_errors(func: F) -> F:
    """Turn user mistakes into Chinese messages and exit code 2, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: object, **kwargs: object) -> object:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            console.problems(exc.warnings + exc.problems)
            console.err.print(f"共 {len(exc.problems)} 处错误，未写出任何文件。", markup=False)
            raise typer.Exit(2) from None
        except (OutputExistsError, EnvironmentProblem, KongchuoError) as exc:
            console.err.print(f"错误：{exc}", markup=False)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def _print_written(outdir: Path, written: list[str]) -> None:
    for rel in written:
        typer.echo(str(outdir / rel))


@app.command("build")
@reports_errors
def build(
    input_file: Annotated[Path, typer.Argument(help="公文的 YAML 输入文件。", show_default=False)],
    output: OutOption = Path("out"),
    formats: Annotated[
        str, typer.Option("--format", help="输出格式，逗号分隔：docx,pdf。")
    ] = "docx,pdf",
    force: ForceOption = False,
) -> None:
    """由 YAML 生成一份公文（红头通知、函等），写出 DOCX 和 PDF。"""
    from .kinds.notice import build_notice_files

    written = build_notice_files(input_file, output, formats=_formats(formats), force=force)
    _print_written(output, written)


@app.command("demo")
@reports_errors
def demo(
    output: Annotated[Path, typer.Argument(help="输出文件夹。")] = Path("out"),
    force: ForceOption = False,
) -> None:
    """用内置样例生成每一种文书，样例输入复制到 输出文件夹/inputs/ 以便修改后重新生成。"""
    from .demo import run_demo

    written = run_demo(output, force=force)
    _print_written(output, written)


@app.command("doctor")
@reports_errors
def doctor(
    font_dir: Annotated[
        Path | None, typer.Option("--font-dir", help="另外查找字体的文件夹（含 .ttf/.otf/.ttc）。")
    ] = None,
) -> None:
    """检查运行环境：依赖包版本、Pango、HarfBuzz 子集化、LibreOffice，以及每种公文字体的来源。

    缺少必需组件时退出码为 1，并给出 Debian/Ubuntu 的安装命令。
    """
    from .doctor import run

    raise typer.Exit(run(font_dir))


@app.command("sample-roster")
@reports_errors
def sample_roster(
    output: Annotated[Path, typer.Option("-o", "--output", help="输出的 .xlsx 文件。", show_default=False)],
    rows: Annotated[int, typer.Option("--rows", help="学生人数（行数）。")] = 100,
    invalid: Annotated[
        int, typer.Option("--invalid", help="其中故意写错的行数（校验位错、性别不符、缺姓名等）。")
    ] = 0,
    seed: Annotated[int, typer.Option("--seed", help="随机种子：种子相同，生成的名册相同。")] = 1,
    year: Annotated[
        int | None, typer.Option("--year", help="学年开始的年份（年龄按该年 8 月 31 日计算），默认今年。")
    ] = None,
    force: ForceOption = False,
) -> None:
    """生成合成的学生名册（罗源县乡镇、学校，校验位正确的身份证号），供演示、测试和性能测试使用。"""
    from .sample_roster import write_sample_file

    write_sample_file(output, rows=rows, invalid=invalid, seed=seed, year=year, force=force)
    typer.echo(str(output))


@app.command("forms")
@reports_errors
def forms(
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件夹。", show_default=False)],
    force: ForceOption = False,
) -> None:
    """生成空白录入表（学生名册、单位信息、自查表等），表头、下拉选项与读取时的校验一致。"""
    from .kinds.forms import build_forms

    _print_written(output, build_forms(output, force=force))


@app.command("version")
def version() -> None:
    """显示版本号。"""
    typer.echo(__version__)


def _formats(value: str) -> tuple[str, ...]:
    items = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in items if f not in ("docx", "pdf")]
    if unknown or not items:
        raise KongchuoError(f"不支持的输出格式：{value}（可选 docx、pdf）")
    return items


def main() -> None:
    """Console-script entry point."""
    sys.exit(app())
