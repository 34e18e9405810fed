"""The ``kongchuo-docs`` command: thin wrappers that call the kinds and report in Chinese."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer
from typer._click import exceptions as click_errors  # typer bundles its own click

from . import __version__, cli_messages, console
from .errors import EnvironmentProblem, InputError, KongchuoError, OutputExistsError

app = typer.Typer(
    name="kongchuo-docs",
    help="控辍保学文书工具箱：由 YAML / Excel 生成符合 GB/T 9704-2012 的公文、通知书、责任书、报告与登记表。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    cls=cli_messages.ChineseGroup,
)

F = TypeVar("F", bound=Callable[..., object])

ForceOption = Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件。")]
OutOption = Annotated[Path, typer.Option("-o", "--output", help="输出文件夹。")]
SettingsOption = Annotated[
    Path | None,
    typer.Option("--settings", help="单位设置文件（单位设置.yaml 或 .xlsx，由 kongchuo-docs init 生成）；"
                 "默认在当前文件夹及其上级文件夹、用户配置文件夹中查找。"),
]


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
        except OSError as exc:
            message = _os_error_message(exc)
            if message is None:
                _unexpected(exc)
            console.err.print(f"错误：{message}，未写出任何文件。", markup=False)
            raise typer.Exit(2) from None
        except RecursionError:
            console.err.print("错误：输入嵌套过深（如 YAML 层级过多），无法处理，未写出任何文件。", markup=False)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            console.err.print("已中断，未写出任何文件。", markup=False)
            raise typer.Exit(130) from None
        except (typer.Exit, click_errors.ClickException, click_errors.Abort):
            raise
        except Exception as exc:
            _unexpected(exc)

    return wrapper  # type: ignore[return-value]


def _on_sigterm(signum: int, frame: object) -> None:
    """SIGTERM ends the run at once, as Ctrl+C would: worker processes stopped, every open run's
    staging folder removed, exit 143. Done here rather than by raising an exception, which is lost
    when the signal lands inside a ``__del__`` or a worker's start-up (the run then went on)."""
    import os

    from .output import abandon_open_runs

    for pid in _child_pids():
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
    abandon_open_runs()
    console.err.print("已终止（收到结束信号），未写出任何文件。", markup=False)
    sys.stderr.flush()
    os._exit(TERMINATED_EXIT)


def _child_pids() -> set[int]:
    """Every process this one started: pool workers (also one still being spawned, which
    multiprocessing does not list yet), its resource tracker, LibreOffice. Read from /proc where
    there is one; elsewhere the processes multiprocessing knows."""
    import multiprocessing
    import os

    me = os.getpid()
    pids = {child.pid for child in multiprocessing.active_children() if child.pid}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            if int(stat.read_text(encoding="ascii", errors="replace").rsplit(")", 1)[1].split()[1]) == me:
                pids.add(int(stat.parent.name))
    return pids


_OS_ERRORS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件夹只读，无法写入",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    getattr(errno, "EDQUOT", -1): "磁盘配额已满",
    errno.ENAMETOOLONG: "文件名或路径过长",
}


def _os_error_message(exc: OSError) -> str | None:
    """A Chinese line for a file-system error the clerk can act on, naming the file; else None."""
    reason = _OS_ERRORS.get(exc.errno or 0)
    if reason is None:
        return None
    return f"{reason}：{exc.filename}" if exc.filename else reason


def _unexpected(exc: BaseException) -> NoReturn:
    """An error the toolkit did not foresee: one Chinese line and the path of the debug log, exit 70."""
    _report_unexpected(exc)
    raise typer.Exit(UNEXPECTED_EXIT) from None


def _report_unexpected(exc: BaseException) -> None:
    from .debuglog import save_debug_log

    log = save_debug_log(exc)
    where = f"详细信息已保存到 {log}，请将此文件发给维护人员" if log else "无法保存详细信息"
    console.err.print(f"内部错误（{type(exc).__name__}），未写出任何文件；{where}。", markup=False)


UNEXPECTED_EXIT = 70  # EX_SOFTWARE of sysexits.h
TERMINATED_EXIT = 143  # 128 + SIGTERM, as a shell reports a process ended by SIGTERM


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
        from .wording import use_templates

        reports_errors(use_templates)(templates)  # every file checked now, before any command reads or writes
    if font_dir is not None:
        import os

        from .fonts import FONT_DIR_ENV

        os.environ[FONT_DIR_ENV] = str(font_dir.resolve())  # also seen by --jobs worker processes


def _print_written(outdir: Path, written: list[str]) -> None:
    for rel in written:
        typer.echo(str(outdir / rel))


@app.command("build")
@reports_errors
def build(
    inputs: Annotated[
        list[Path],
        typer.Argument(help="公文的 YAML 输入文件；或 Word/WPS/文本草稿"
                       "（.docx、.doc、.wps、.txt、.md，可给多个或文件夹）。", show_default=False),
    ],
    output: OutOption = Path("out"),
    formats: Annotated[
        str, typer.Option("--format", help="输出格式，逗号分隔：docx,pdf。")
    ] = "docx,pdf",
    set_values: Annotated[
        list[str] | None,
        typer.Option("--set", help="草稿：覆盖或补充一项（可重复），如 --set 格式=信函；"
                     "--set 发文字号=3 用单位设置中的文号代字和成文日期的年份。"),
    ] = None,
    settings: SettingsOption = None,
    force: ForceOption = False,
) -> None:
    """由 YAML 或草稿生成公文（红头通知、函等），写出 DOCX 和 PDF；草稿先列出识别结果，另写出等价的 YAML。

    草稿中没有的发文机关、文号代字、印发机关取自单位设置。
    """
    from .kinds.draft import build_draft_files, is_draft
    from .kinds.notice import build_notice_files
    from .readers.draft import parse_settings

    if any(is_draft(p) for p in inputs):
        written = build_draft_files(inputs, output, formats=_formats(formats), force=force,
                                    settings=parse_settings(set_values or []), profile_path=settings)
    elif len(inputs) == 1 and not set_values:
        written = build_notice_files(inputs[0], output, formats=_formats(formats), force=force)
    else:
        raise KongchuoError("YAML 输入一次生成一份，--set 只用于草稿（YAML 请直接修改文件）")
    _print_written(output, written)


@app.command("check")
def check(
    input_file: Annotated[
        Path, typer.Argument(help="公文的 YAML 文件或草稿（.docx、.doc、.wps、.txt、.md）。", show_default=False)
    ],
    settings: SettingsOption = None,
) -> None:
    """检查公文或草稿而不生成：列出每个问题的位置、规则、依据条款和程度（错误／更正／提示）。

    退出码：0 没有问题，1 有问题，2 文件无法读取或无法识别。
    """
    from .check import check_file

    try:
        result = check_file(input_file, settings)
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
    from .demo import run_demo

    written = run_demo(output, force=force)
    _print_written(output, written)


@app.command("init")
@reports_errors
def init(
    folder: Annotated[Path, typer.Argument(help="写出单位设置的文件夹，默认当前文件夹。")] = Path("."),
    force: ForceOption = False,
) -> None:
    """写出一份带说明的空白单位设置（单位设置.yaml）：填好本县（区）的名称、代码、文号代字、学年等后，各命令自动使用。"""
    from .profile.init import init_profile

    _print_written(folder, init_profile(folder, force=force))
    console.info("请用文本编辑器填写其中标“必填”的项目，再运行 kongchuo-docs letters 等命令。")


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
        from .font_aliases import install_aliases
        from .fonts import resolve_fonts

        typer.echo(f"已写入字体替代规则：{install_aliases(resolve_fonts(font_dir))}")
        return
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
        int | None,
        typer.Option("--year", help="学年开始的年份（年龄按该年 8 月 31 日计算），默认为单位设置中学年的第一年。"),
    ] = None,
    settings: SettingsOption = None,
    force: ForceOption = False,
) -> None:
    """生成合成的学生名册（单位设置中的乡镇、学校，校验位正确的身份证号），供演示、测试和性能测试使用。

    未找到单位设置（或其中没有学校）时使用内置的演示地名。"""
    from .sample_roster import write_sample_file

    write_sample_file(output, rows=rows, invalid=invalid, seed=seed, year=year, settings=settings, force=force)
    typer.echo(str(output))


@app.command("letters")
@reports_errors
def letters(
    roster: Annotated[Path, typer.Argument(help="学生名册（.xlsx、.xls、.ods 或 .csv）。", show_default=False)],
    output: OutOption = Path("out"),
    kind: Annotated[str, typer.Option("--kind", help="通知书种类：入学、劝返 或 责令。")] = "入学",
    settings: SettingsOption = None,
    template: Annotated[
        Path | None, typer.Option("--template", help="自备的 Word 模板（.docx，字段写作 {{ 姓名 }}）。")
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", help="并行进程数。")] = 1,
    per_record: Annotated[bool, typer.Option("--per-record", help="另为每名学生生成一份 DOCX，打包为 zip。")] = False,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="跳过有错误的行，为其余学生生成通知书，并输出错误标注表。")
    ] = False,
    force: ForceOption = False,
    sort: Annotated[
        str | None, typer.Option("--sort", help="同一班级（村）内的顺序：名册（默认，名册行序）、拼音 或 身份证号。")
    ] = None,
    duplex: Annotated[
        bool | None,
        typer.Option("--duplex/--simplex", help="双面打印：每份通知书从新的一张纸开始，需要时补空白页；"
                     "--simplex 单面。不写时按单位设置的“双面打印”，未设置则单面。", show_default=False),
    ] = None,
) -> None:
    """由学生名册批量生成入学通知书、劝返复学通知书或责令限期复学通知书：每校一份 PDF 和一份 DOCX。"""
    from .kinds.letters import build_letters_files

    written = build_letters_files(roster, output, kind=kind, settings_file=settings, word_template=template,
                                  jobs=jobs, per_record=per_record, skip_invalid=skip_invalid, force=force,
                                  sort=sort, duplex=duplex)
    _print_written(output, written)


templates_app = typer.Typer(help="措辞模板：导出后修改，再用 --templates 使用。", no_args_is_help=True)
app.add_typer(templates_app, name="templates")


@templates_app.command("export")
@reports_errors
def templates_export(
    folder: Annotated[Path, typer.Argument(help="导出到的文件夹。", show_default=False)],
    force: ForceOption = False,
) -> None:
    """导出全部文种的措辞文件（每个字段上方注明可用变量），修改后用 --templates 文件夹 生成文书。"""
    from .wording import export_templates

    _print_written(folder, export_templates(folder, force=force))


@app.command("forms")
@reports_errors
def forms(
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件夹。", show_default=False)],
    force: ForceOption = False,
) -> None:
    """生成空白录入表（学生名册、单位信息、自查表等），表头、下拉选项与读取时的校验一致。"""
    from .kinds.forms import build_forms

    _print_written(output, build_forms(output, force=force))


register_app = typer.Typer(
    help="问题线索移送登记表：由线索生成可直接打印的登记表，汇总各单位报送的登记表。",
    no_args_is_help=True,
    rich_markup_mode=None,
    cls=cli_messages.ChineseGroup,
)
app.add_typer(register_app, name="register")


@register_app.command("build")
@reports_errors
def register_build(
    input_file: Annotated[
        Path,
        typer.Argument(help="线索文件：YAML，或按“问题线索登记”表填写的 .xlsx/.csv。", show_default=False),
    ],
    output: OutOption = Path("out"),
    formats: Annotated[
        str, typer.Option("--format", help="输出格式，逗号分隔：xlsx,docx,pdf。")
    ] = "xlsx,docx,pdf",
    force: ForceOption = False,
) -> None:
    """生成问题线索移送登记表：A4 横向、每页重复表头、可直接打印的 Excel 表，以及公文格式的 DOCX/PDF 表格。"""
    from .kinds.register import FORMATS, build_register_files

    written = build_register_files(input_file, output, formats=_formats(formats, FORMATS), force=force)
    _print_written(output, written)


@register_app.command("merge")
@reports_errors
def register_merge(
    files: Annotated[
        list[Path], typer.Argument(help="各单位报送的登记表（.xlsx/.csv/.yaml）。", show_default=False)
    ],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="输出文件夹，或汇总表的 .xlsx 文件名。", show_default=False)
    ],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="判断逾期的截至日期，如 2020-12-20；默认今天。")
    ] = None,
    unit: Annotated[str, typer.Option("--unit", help="汇总表的填报单位；默认为单位设置中的教育局。")] = "",
    settings: SettingsOption = None,
    force: ForceOption = False,
) -> None:
    """汇总各单位的登记表：重新编号、加“报送单位”列、标出疑似重复和逾期未办结的线索，另附统计表。

    各单位的表格列顺序可以不同（按表头名称读取），任何一行都不会丢弃。
    """
    from .kinds.register import merge_register_files, merge_target, parse_as_of, summary_lines

    written, merged, warnings = merge_register_files(
        files, output, as_of=parse_as_of(as_of), reporting_unit=unit, settings=settings, force=force
    )
    console.problems(warnings)
    for line in summary_lines(merged):
        console.info(line)
    _print_written(merge_target(output)[0], written)


RoundingOption = Annotated[
    str, typer.Option("--rounding", help="比率的舍入方式：四舍五入（half-up）或 截尾（truncate）。")
]


@app.command("agreements")
@reports_errors
def agreements(
    input_file: Annotated[
        Path, typer.Argument(help="责任书名单：.xlsx/.csv（“责任书名单”表）或 YAML。", show_default=False)
    ],
    output: OutOption = Path("out"),
    settings: SettingsOption = None,
    force: ForceOption = False,
) -> None:
    """生成控辍保学目标责任书：每个乙方一份（县教育局—学校、学校—班主任、学校—任课教师、乡镇政府—村(居)委会），另按甲方合订。"""
    from .kinds.agreement import build_agreement_files

    written, warnings = build_agreement_files(input_file, output, settings=settings, force=force)
    console.problems(warnings)
    _print_written(output, written)


@app.command("self-check")
@reports_errors
def self_check(
    inputs: Annotated[
        list[Path], typer.Argument(help="各单位的自查表（.xlsx 或 YAML），可给多个。", show_default=False)
    ],
    output: OutOption = Path("out"),
    units: Annotated[
        Path | None, typer.Option("--units", help="单位信息表（取发文机关标志），.xlsx/.csv 或 YAML。")
    ] = None,
    allow_inconsistent: Annotated[
        bool, typer.Option("--allow-inconsistent", help="数据不一致时仍生成报告（报告中注明不一致之处）。")
    ] = False,
    rounding: RoundingOption = "half-up",
    settings: SettingsOption = None,
    force: ForceOption = False,
) -> None:
    """由自查表生成自查报告（比率由人数计算，附辍学情况统计表）；主送单位设置中的教育局，引用其实施方案。
    数据不一致时默认拒绝生成。"""
    from .kinds.self_check import build_self_check_files

    written, found = build_self_check_files(
        inputs, output, units_file=units, allow_inconsistent=allow_inconsistent,
        rounding=_rounding(rounding), settings=settings, force=force,
    )  # fmt: skip
    console.problems(found)
    _print_written(output, written)


@app.command("rectification")
@reports_errors
def rectification(
    input_file: Annotated[
        Path, typer.Argument(help="检查发现问题表：.xlsx/.csv（“检查发现问题”表）或 YAML。", show_default=False)
    ],
    output: OutOption = Path("out"),
    date: Annotated[str | None, typer.Option("--date", help="整改通知的成文日期，如 2020-10-16。")] = None,
    number: Annotated[
        str | None, typer.Option("--number", help="第一份通知的发文字号，如 某教督〔2020〕52号，其余依次递增；"
                                 "只写序号（如 52）时，代字取单位设置的文号代字，年份取成文日期。")
    ] = None,
    issuer: Annotated[str | None, typer.Option("--issuer", help="发文机关，默认为单位设置中的教育局。")] = None,
    basis: Annotated[
        str | None, typer.Option("--basis", help="检查依据文件的文号，默认为单位设置中实施方案的文号。")
    ] = None,
    settings: SettingsOption = None,
    force: ForceOption = False,
) -> None:
    """生成整改通知（每个被检查单位一份红头通知，问题清单为横排附件）和全县问题清单（Excel）。"""
    from .kinds.rectification import build_rectification_files

    written, warnings = build_rectification_files(
        input_file, output, issuer=issuer, date=_date(date), first_number=number, basis=basis, settings=settings,
        force=force,
    )
    console.problems(warnings)
    _print_written(output, written)


@app.command("compile")
@reports_errors
def compile_summary(
    folder: Annotated[Path, typer.Argument(help="存放各单位自查表的文件夹。", show_default=False)],
    output: OutOption = Path("out"),
    units: Annotated[
        Path | None, typer.Option("--units", help="单位信息表，用于列出未报送的单位。")
    ] = None,
    findings: Annotated[
        Path | None, typer.Option("--findings", help="检查发现问题表，用于列出尚未完成整改的问题。")
    ] = None,
    period: Annotated[str | None, typer.Option("--period", help="总结的时段，如 2020年秋季学期。")] = None,
    date: Annotated[str | None, typer.Option("--date", help="总结的成文日期；默认取自查表中最晚的报告日期。")] = None,
    rounding: RoundingOption = "half-up",
    issuer: Annotated[str | None, typer.Option("--issuer", help="发文机关，默认为单位设置中的教育局。")] = None,
    settings: SettingsOption = None,
    force: ForceOption = False,
) -> None:
    """汇总文件夹中各单位的自查表，生成全县控辍保学工作总结（DOCX、PDF、图表）和汇总表（Excel）。

    每个文件都有交代：已汇总、数据不一致、退回（列出错误所在单元格）或未读取；对照单位信息列出未报送单位。
    """
    from .kinds.summary import build_summary_files, outcome_lines

    written, comp = build_summary_files(
        folder, output, units_file=units, findings_file=findings, period=period, date=_date(date),
        rounding=_rounding(rounding), issuer=issuer, settings=settings, force=force,
    )  # fmt: skip
    for line in outcome_lines(comp):
        console.info(line)
    _print_written(output, written)


def _rounding(value: str) -> str:
    """The --rounding value as a `stats.RoundingMode`."""
    from .stats import parse_rounding

    try:
        return parse_rounding(value)
    except ValueError as exc:
        raise KongchuoError(f"--rounding：{exc}") from None


def _date(value: str | None) -> dt.date | None:
    from .readers.normalize import NormalizeError, parse_date

    if value is None:
        return None
    try:
        return parse_date(value)
    except NormalizeError as exc:
        raise KongchuoError(f"--date：{exc}（{value}）") from None


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
    from .web.app import ServerConfig
    from .web.app import serve as run_server

    if workers < 1 or keep < 1:
        raise KongchuoError("--workers 和 --keep 至少为 1")
    typer.echo(f"网页版：http://{host}:{port}/ （按 Ctrl+C 停止）")
    run_server(ServerConfig(host=host, port=port, password=password, workers=workers, keep=keep * 60.0,
                            profile=settings), open_browser=not no_browser)  # fmt: skip


@app.command("version")
def version() -> None:
    """显示版本号。"""
    typer.echo(__version__)


def _formats(value: str, allowed: tuple[str, ...] = ("docx", "pdf")) -> tuple[str, ...]:
    items = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in items if f not in allowed]
    if unknown or not items:
        raise KongchuoError(f"不支持的输出格式：{value}（可选 {'、'.join(allowed)}）")
    return items


def main() -> None:
    """Console-script entry point; SIGTERM ends a run like Ctrl+C (staging removed, exit 143). The
    last guard: an error no command caught is one Chinese line and a debug log, exit 70."""
    signal.signal(signal.SIGTERM, _on_sigterm)
    # multiprocessing's resource tracker (started with these options) outlives a run ended by
    # SIGTERM and removes the pool's semaphores itself; its English note about them is no news
    sys.warnoptions.append("ignore::UserWarning:multiprocessing.resource_tracker")
    try:
        app()
    except Exception as exc:
        _report_unexpected(exc)
        sys.exit(UNEXPECTED_EXIT)
