"""Commands of the yearly cycle over rosters and lists: letters, agreements, self-check, rectification,
compile, the register, and the synthetic roster."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .. import cli_messages, console
from .app import (
    ForceOption,
    OutOption,
    PdfaOption,
    RoundingOption,
    SettingsOption,
    app,
    option_date,
    output_formats,
    pdfa_level,
    print_written,
    rounding_mode,
)
from .guard import reports_errors


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
    from ..sample_roster import write_sample_file

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
    ofd: Annotated[bool, typer.Option("--ofd", help="另为每校生成 OFD 版式文件（由同一份 PDF 转出）。")] = False,
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
    pdfa: PdfaOption = "2b",
) -> None:
    """由学生名册批量生成入学通知书、劝返复学通知书或责令限期复学通知书：每校一份 PDF 和一份 DOCX。"""
    from ..kinds.letters import build_letters_files

    written = build_letters_files(roster, output, kind=kind, settings_file=settings, word_template=template,
                                  jobs=jobs, per_record=per_record, skip_invalid=skip_invalid, force=force,
                                  sort=sort, duplex=duplex, pdfa=pdfa_level(pdfa), ofd=ofd)
    print_written(output, written)


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
    from ..kinds.register import FORMATS, build_register_files

    written = build_register_files(input_file, output, formats=output_formats(formats, FORMATS), force=force)
    print_written(output, written)


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
    from ..kinds.register import merge_register_files, merge_target, parse_as_of, summary_lines

    written, merged, warnings = merge_register_files(
        files, output, as_of=parse_as_of(as_of), reporting_unit=unit, settings=settings, force=force
    )
    console.problems(warnings)
    for line in summary_lines(merged):
        console.info(line)
    print_written(merge_target(output)[0], written)


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
    """生成控辍保学目标责任书：每个乙方一份，另按甲方合订。

    层级：县教育局—学校、学校—班主任、学校—任课教师、乡镇政府—村(居)委会。
    """
    from ..kinds.agreement import build_agreement_files

    written, warnings = build_agreement_files(input_file, output, settings=settings, force=force)
    console.problems(warnings)
    print_written(output, written)


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
    from ..kinds.self_check import build_self_check_files

    written, found = build_self_check_files(
        inputs, output, units_file=units, allow_inconsistent=allow_inconsistent,
        rounding=rounding_mode(rounding), settings=settings, force=force,
    )  # fmt: skip
    console.problems(found)
    print_written(output, written)


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
    from ..kinds.rectification import build_rectification_files

    written, warnings = build_rectification_files(
        input_file, output, issuer=issuer, date=option_date(date), first_number=number, basis=basis, settings=settings,
        force=force,
    )
    console.problems(warnings)
    print_written(output, written)


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
    from ..kinds.summary import build_summary_files, outcome_lines

    written, comp = build_summary_files(
        folder, output, units_file=units, findings_file=findings, period=period, date=option_date(date),
        rounding=rounding_mode(rounding), issuer=issuer, settings=settings, force=force,
    )  # fmt: skip
    for line in outcome_lines(comp):
        console.info(line)
    print_written(output, written)
