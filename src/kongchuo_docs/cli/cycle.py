"""Commands of the yearly cycle over rosters and lists: letters, agreements, self-check, rectification,
compile, the register, and the synthetic roster."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .. import cli_messages
from ..declare import TASKS
from .app import ForceOption, OutOption, SettingsOption, app, print_written
from .declared import add_command
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
    from ..kinds.letters import build_letters_files

    written = build_letters_files(roster, output, kind=kind, settings_file=settings, word_template=template,
                                  jobs=jobs, per_record=per_record, skip_invalid=skip_invalid, force=force,
                                  sort=sort, duplex=duplex)
    print_written(output, written)


register_app = typer.Typer(
    help="问题线索移送登记表：由线索生成可直接打印的登记表，汇总各单位报送的登记表。",
    no_args_is_help=True,
    rich_markup_mode=None,
    cls=cli_messages.ChineseGroup,
)
app.add_typer(register_app, name="register")


# the commands made from the task declarations, in the order of --help
for _task in (TASKS["register-build"], TASKS["register-merge"], TASKS["agreements"], TASKS["self-check"],
              TASKS["rectification"], TASKS["compile"]):  # fmt: skip
    add_command(register_app if _task.command[0] == "register" else app, _task.command[-1], _task)
