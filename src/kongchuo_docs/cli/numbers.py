"""``kongchuo-docs numbers``: the 发文登记簿 — list, register a hand-given number, void, export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path, PurePath
from typing import Annotated

import typer

from .. import console
from ..errors import KongchuoError
from .app import ForceOption, SettingsOption, command_group, print_written
from .guard import reports_errors

numbers_app = command_group(
    "numbers", "发文登记簿：发文字号写“自动”时 build 按代字和年份取下一个号；在这里查看、补登、作废和导出。")

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="数据库地址，如 postgresql+psycopg://用户@主机/库；"
                 "默认为单位设置旁的 kongchuo-docs.sqlite3。"),
]
YearOption = Annotated[int | None, typer.Option("--year", help="只看这一年，如 2026。")]


def log_command(store, action: str, **details: object) -> None:
    """Record a command's `action` in the 操作日志, by the command line's actor (`store.audit.command_line`)."""
    from ..store.audit import command_line, record

    record(store, command_line(), action, **details)  # type: ignore[arg-type]


def open_county_store(settings: Path | None, db: str | None):
    """The store beside 单位设置 (or `db`) and the 单位设置 (the ``numbers``, ``rounds`` and ``users`` commands)."""
    from ..profile import load_profile
    from ..store.database import open_store, store_url

    profile = load_profile(settings)
    assert profile is not None
    return open_store(store_url(db, profile.source), profile.area_code), profile


@numbers_app.command("list")
@reports_errors
def numbers_list(year: YearOption = None, settings: SettingsOption = None, db: DbOption = None) -> None:
    """列出发文登记簿：每个号的状态、页数和标题，以及缺号。"""
    from ..store.register import register_years

    store, _ = open_county_store(settings, db)
    try:
        years = register_years(store, year=year)
    finally:
        store.close()
    if not years:
        typer.echo("发文登记簿中还没有号。")
    for register in years:
        typer.echo(f"{register.prefix}〔{register.year}〕：{len(register.entries)} 个号")
        for e in register.entries:
            pages = f"{e.pages}页" if e.pages else ""
            typer.echo(f"  {e.number}\t{e.status}\t{pages}\t{e.title}{'（' + e.remark + '）' if e.remark else ''}")
        if register.gaps:
            typer.echo(f"  缺号：{'、'.join(str(n) for n in register.gaps)}")


@numbers_app.command("add")
@reports_errors
def numbers_add(
    number: Annotated[str, typer.Argument(help="手工编的发文字号，如 某教综〔2026〕15号。", show_default=False)],
    title: Annotated[str, typer.Option("--title", help="文件标题。")] = "",
    date: Annotated[str | None, typer.Option("--date", help="成文日期，如 2026-03-02。")] = None,
    settings: SettingsOption = None,
    db: DbOption = None,
) -> None:
    """补登一个手工编的号（如纸质发文簿上的号）：以后“自动”取号从它之后开始，跳过的号显示为缺号。"""
    from ..store.issuing import genre_of
    from ..store.register import Issue, add_number, parse_number
    from ..support.normalize import NormalizeError, parse_date

    prefix, year, sequence = parse_number(number)
    try:
        written_on = parse_date(date) if date else None
    except (NormalizeError, ValueError) as exc:
        raise KongchuoError(f"--date {date}：{exc}") from None
    store, profile = open_county_store(settings, db)
    try:
        entry = add_number(store, prefix, year, sequence, Issue(title=title, genre=genre_of(title),
                                                                issuer=profile.bureau, written_on=written_on))
        log_command(store, "补登发文字号", task=title, counts=entry.number)
    finally:
        store.close()
    console.info(f"已登记：{entry.number}")


@numbers_app.command("void")
@reports_errors
def numbers_void(
    number: Annotated[str, typer.Argument(help="要作废的发文字号。", show_default=False)],
    reason: Annotated[str, typer.Option("--reason", help="作废原因（记入备注）。", show_default=False)],
    settings: SettingsOption = None,
    db: DbOption = None,
) -> None:
    """作废一个号：它留在登记簿中，标为“作废”，以后不再使用。"""
    from ..store.register import doc_number, parse_number, void_number

    prefix, year, sequence = parse_number(number)
    store, _ = open_county_store(settings, db)
    try:
        entry = void_number(store, doc_number(prefix, year, sequence), reason.strip())
        log_command(store, "作废发文字号", counts=f"{entry.number}（原因：{reason.strip()}）")
    finally:
        store.close()
    console.info(f"已作废：{entry.number}")


@numbers_app.command("export")
@reports_errors
def numbers_export(
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件夹。", show_default=False)],
    year: YearOption = None,
    fonds: Annotated[str, typer.Option("--fonds", help="全宗号（档案馆给的），用于编档号；不填则档号留空。")] = "",
    retention: Annotated[str, typer.Option("--retention", help="保管期限：永久、30年、10年。")] = "永久",
    settings: SettingsOption = None,
    db: DbOption = None,
    force: ForceOption = False,
) -> None:
    """导出发文登记簿和归档文件目录（DA/T 22-2015）为可直接打印的 Excel 表。"""
    from ..kinds.number_register import RETENTION_CODES, export_register_files

    if retention not in RETENTION_CODES:
        raise KongchuoError(f"--retention 应为 {'、'.join(RETENTION_CODES)} 之一")
    store, profile = open_county_store(settings, db)
    try:
        written = export_register_files(store, output, unit=profile.bureau, year=year, fonds=fonds.strip(),
                                        retention=retention, force=force, today=dt.date.today())
        log_command(store, "导出发文登记簿", counts=f"{year}年" if year else "全部年度",
               files=[PurePath(w).name for w in written])  # fmt: skip
    finally:
        store.close()
    print_written(output, written)
