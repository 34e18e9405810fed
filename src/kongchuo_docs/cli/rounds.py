"""``kongchuo-docs rounds``: the 教育局's 报送 rounds at the command line — list, open, status (and the
未报 list), close, compile. Units upload on the page (``serve``)."""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import Annotated

import typer

from .. import console
from ..errors import KongchuoError
from ..rounds.forms import ROUND_FORMS
from .app import ForceOption, SettingsOption, command_group, print_written
from .guard import reports_errors
from .numbers import DbOption, log_command, open_county_store

rounds_app = command_group(
    "rounds", "报送：教育局发起一次报送（自查表或问题线索登记表），各乡镇、学校在网页上传，这里查看、汇总。")

RoundArg = Annotated[int, typer.Argument(help="报送编号（rounds list 列出）。", show_default=False)]


@rounds_app.command("list")
@reports_errors
def rounds_list(settings: SettingsOption = None, db: DbOption = None) -> None:
    """列出本县的报送：编号、名称、表格、截止日期、已报单位数。"""
    from ..store.rounds import REPORTED, list_rounds, unit_states

    store, _ = open_county_store(settings, db)
    try:
        rounds = list_rounds(store)
        if not rounds:
            typer.echo("还没有发起过报送。")
        for r in rounds:
            done = sum(s.state == REPORTED for s in unit_states(store, r))
            state = "已结束" if r.closed_at else "报送中"
            deadline = r.deadline.isoformat()
            typer.echo(f"{r.id}\t{r.name}\t{r.form}\t截止 {deadline}\t{state}\t已报 {done}/{len(r.units)}")
    finally:
        store.close()


@rounds_app.command("open")
@reports_errors
def rounds_open(
    name: Annotated[str, typer.Argument(help="报送名称，如 2026年秋季学期自查。", show_default=False)],
    form: Annotated[str, typer.Option("--form", help=f"报送的表格：{'或'.join(ROUND_FORMS)}。",
                                      show_default=False)],
    deadline: Annotated[str, typer.Option("--deadline", help="截止日期，如 2026-10-09。", show_default=False)],
    unit: Annotated[list[str] | None, typer.Option(
        "--unit", help="报送单位（可写多次）；不写时为单位设置中的全部乡镇和学校。")] = None,
    settings: SettingsOption = None,
    db: DbOption = None,
) -> None:
    """发起一次报送。"""
    from ..rounds.forms import profile_units
    from ..store.rounds import open_round
    from ..support.normalize import NormalizeError, parse_date

    if form not in ROUND_FORMS:
        raise KongchuoError(f"--form 应为 {'或'.join(ROUND_FORMS)}（{form}）")
    try:
        day = parse_date(deadline)
    except (NormalizeError, ValueError) as exc:
        raise KongchuoError(f"--deadline {deadline}：{exc}") from None
    store, profile = open_county_store(settings, db)
    try:
        known = profile_units(profile, form)
        unknown = [u for u in unit or () if u not in known]
        if unknown:
            raise KongchuoError(f"--unit {'、'.join(unknown)} 不是单位设置中的乡镇或学校")
        opened = open_round(store, name=name, form=form, deadline=day, units=unit or known, opened_by="")
        log_command(store, "发起报送", task=opened.name,
               counts=f"{opened.form}，{len(opened.units)} 个单位，截止 {opened.deadline:%Y-%m-%d}")  # fmt: skip
    finally:
        store.close()
    console.info(f"已发起报送 {opened.id}：{opened.name}（{opened.form}，{len(opened.units)} 个单位）")


@rounds_app.command("status")
@reports_errors
def rounds_status(
    round_id: RoundArg,
    missing: Annotated[Path | None, typer.Option(
        "--missing", help="另把未报单位写成 Excel 表（文件名 .xlsx）。")] = None,
    settings: SettingsOption = None,
    db: DbOption = None,
    force: ForceOption = False,
) -> None:
    """每个单位的报送情况：已报、未报、有错误，以及上传时间。"""
    from ..rounds.compile import write_missing_list
    from ..rounds.deadline import TIME_FORMAT, time_left
    from ..store.rounds import get_round, now, unit_states

    if missing is not None:
        if missing.suffix.lower() != ".xlsx":
            raise KongchuoError(f"--missing 应为 .xlsx 文件名（{missing}）")
        if missing.exists() and not force:
            raise KongchuoError(f"{missing} 已存在；加 --force 覆盖")
    store, _ = open_county_store(settings, db)
    try:
        found = get_round(store, round_id)
        states = unit_states(store, found)
    finally:
        store.close()
    typer.echo(f"{found.name}（{found.form}，截止 {found.deadline.isoformat()}，{time_left(found.deadline, now())}）")
    for s in states:
        when = s.latest.uploaded_at.strftime(TIME_FORMAT) if s.latest else ""
        typer.echo(f"  {s.unit}\t{s.state}\t{when}" + (f"\t{s.late}" if s.late else ""))
    if missing is not None:
        count = write_missing_list(found, states, missing)
        console.info(f"未报单位 {count} 个，已写出 {missing}")


@rounds_app.command("upload")
@reports_errors
def rounds_upload(
    round_id: RoundArg,
    file: Annotated[Path, typer.Argument(help="单位报来的表格文件。", show_default=False)],
    unit: Annotated[str, typer.Option("--unit", help="报送单位（单位设置中的名称）。", show_default=False)],
    settings: SettingsOption = None,
    db: DbOption = None,
) -> None:
    """代单位上传收到的表格：与网页上传相同的校验；有错误时列出各单元格，记为“有错误”，退出码 2。"""
    from ..model.limits import round_upload_problem
    from ..rounds.check import check_upload
    from ..rounds.deadline import late_note
    from ..store.rounds import add_upload, get_round

    if not file.is_file():
        raise KongchuoError(f"找不到文件 {file}")
    if too_large := round_upload_problem(file.stat().st_size):
        raise KongchuoError(f"{file.name}：{too_large}")
    data = file.read_bytes()
    store, _ = open_county_store(settings, db)
    try:
        found = get_round(store, round_id)
        checked = check_upload(found.form, unit, file.name, data)
        upload = add_upload(store, found, unit=unit, uploader="", file_name=file.name, data=data, checked=checked)
        log_command(store, "报送上传", task=found.name, counts=unit, files=[file.name],
               outcome=checked.outcome)  # fmt: skip
    finally:
        store.close()
    for p in checked.problems:
        value = f"（{p['value']}）" if p["value"] else ""
        typer.echo(f"{p['severity']} {p['where']} {p['column']}：{p['message']}{value}", err=True)
    if not checked.valid:
        raise KongchuoError(f"{unit} 的 {file.name} 有错误，已记为“有错误”，请改正后重新上传")
    late = late_note(found.deadline, upload.uploaded_at)
    console.info(f"{unit}：{file.name} 校验通过，已报送（上传编号 {upload.id}）" + (f"，{late}" if late else ""))


@rounds_app.command("close")
@reports_errors
def rounds_close(
    round_id: RoundArg,
    reopen: Annotated[bool, typer.Option("--reopen", help="重新开放已结束的报送。")] = False,
    settings: SettingsOption = None,
    db: DbOption = None,
) -> None:
    """结束一次报送（不再接收上传）；--reopen 重新开放。"""
    from ..store.rounds import close_round

    store, _ = open_county_store(settings, db)
    try:
        closed = close_round(store, round_id, reopen=reopen)
        log_command(store, "重新开放报送" if reopen else "结束报送", task=closed.name)
    finally:
        store.close()
    console.info(f"{closed.name}：{'已重新开放' if reopen else '已结束报送'}")


@rounds_app.command("compile")
@reports_errors
def rounds_compile(
    round_id: RoundArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件夹。", show_default=False)],
    settings: SettingsOption = None,
    db: DbOption = None,
    force: ForceOption = False,
) -> None:
    """汇总一次报送：各单位最近一次有效上传——自查表生成工作总结和汇总表，登记表合并为全县登记表。"""
    from ..rounds.compile import compile_round
    from ..store.rounds import get_round

    store, profile = open_county_store(settings, db)
    try:
        found = get_round(store, round_id)
        outcome = compile_round(store, found, output, profile=profile, force=force)
        log_command(store, "汇总报送", task=found.name, counts=f"写出 {len(outcome.written)} 个文件",
               files=[PurePath(w).name for w in outcome.written])  # fmt: skip
    finally:
        store.close()
    console.problems(outcome.warnings)
    for line in outcome.lines:
        typer.echo(line)
    print_written(output, outcome.written)
