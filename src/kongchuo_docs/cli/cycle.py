"""Commands of the yearly cycle over rosters and lists: the synthetic roster, and the commands made
from the task declarations (letters, agreements, self-check, rectification, compile, the register)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..declare import TASKS
from .app import ForceOption, SettingsOption, app, command_group
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
    from ..kinds.sample_roster import write_sample_file

    write_sample_file(output, rows=rows, invalid=invalid, seed=seed, year=year, settings=settings, force=force)
    typer.echo(str(output))


register_app = command_group("register", "问题线索移送登记表：由线索生成可直接打印的登记表，汇总各单位报送的登记表。")


# the commands made from the task declarations, in the order of --help
for _task in (TASKS["letters"], TASKS["register-build"], TASKS["register-merge"], TASKS["agreements"],
              TASKS["self-check"], TASKS["rectification"], TASKS["compile"]):  # fmt: skip
    add_command(register_app if _task.command[0] == "register" else app, _task.command[-1], _task)
