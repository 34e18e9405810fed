"""``kongchuo-docs users``: the accounts of the shared page — add, list, disable, reset a password.
A password is typed twice at a hidden prompt or read from standard input, never an argument."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .. import console
from ..errors import KongchuoError
from .app import SettingsOption, command_group
from .guard import reports_errors
from .numbers import DbOption, log_command, open_county_store

users_app = command_group(
    "users", "网页版的账号：教育局管理单位设置、模板、账号和所有单位的数据；乡镇、学校只看本单位的。"
    "有账号后，网页版登录时输入用户名和密码。")

NameArgument = Annotated[str, typer.Argument(help="用户名。", show_default=False)]
PasswordStdinOption = Annotated[
    bool, typer.Option("--password-stdin", help="从标准输入读取密码（第一行），供脚本使用；不加则在提示处输入两次。")
]


def _password(from_stdin: bool) -> str:
    from ..store.accounts import check_password

    if from_stdin:
        return check_password(sys.stdin.readline().rstrip("\r\n"))
    first = typer.prompt("密码", hide_input=True, default="", show_default=False)
    check_password(first)
    if typer.prompt("再次输入密码", hide_input=True, default="", show_default=False) != first:
        raise KongchuoError("两次输入的密码不一致")
    return first


@users_app.command("add")
@reports_errors
def users_add(
    name: NameArgument,
    role: Annotated[str, typer.Option("--role", help="角色：教育局、乡镇 或 学校。", show_default=False)],
    unit: Annotated[str, typer.Option("--unit", help="单位名称，须是单位设置中的乡镇或学校；教育局账号不填"
                                      "（取单位设置的教育局）。")] = "",
    password_stdin: PasswordStdinOption = False,
    settings: SettingsOption = None,
    db: DbOption = None,
) -> None:
    """添加账号；密码在提示处输入两次（不显示），或加 --password-stdin 从标准输入读取。"""
    from ..store.accounts import add_account, check_name, unit_for

    store, profile = open_county_store(settings, db)
    try:
        name = check_name(name)
        unit = unit_for(profile, role.strip(), unit)
        account = add_account(store, name, role.strip(), unit, _password(password_stdin))
        log_command(store, "添加账号", counts=f"账号 {account.name}")
    finally:
        store.close()
    console.info(f"已添加账号：{account.name}（{account.role}，{account.unit}）")


@users_app.command("list")
@reports_errors
def users_list(settings: SettingsOption = None, db: DbOption = None) -> None:
    """列出账号：用户名、角色、单位、状态和最后修改时间。"""
    from ..store.accounts import list_accounts

    store, _ = open_county_store(settings, db)
    try:
        accounts = list_accounts(store)
    finally:
        store.close()
    if not accounts:
        typer.echo("还没有账号：网页版仍用访问密码（或本机无需密码）。")
    for a in accounts:
        state = "已停用" if a.disabled else "正常"
        typer.echo(f"{a.name}\t{a.role}\t{a.unit}\t{state}\t{a.changed_at:%Y-%m-%d %H:%M}")


@users_app.command("disable")
@reports_errors
def users_disable(name: NameArgument, settings: SettingsOption = None, db: DbOption = None) -> None:
    """停用账号：不能再登录，已登录的网页立即退出。"""
    from ..store.accounts import disable_account

    store, _ = open_county_store(settings, db)
    try:
        account = disable_account(store, name)
        log_command(store, "停用账号", counts=f"账号 {account.name}")
    finally:
        store.close()
    console.info(f"已停用账号：{account.name}")


@users_app.command("reset-password")
@reports_errors
def users_reset_password(name: NameArgument, password_stdin: PasswordStdinOption = False,
                         settings: SettingsOption = None, db: DbOption = None) -> None:  # fmt: skip
    """重设密码（停用的账号同时恢复）；该账号已登录的网页需重新登录。"""
    from ..store.accounts import find_account, reset_password

    store, _ = open_county_store(settings, db)
    try:
        find_account(store, name)  # an unknown name is said before the password is asked
        account = reset_password(store, name, _password(password_stdin))
        log_command(store, "重设密码", counts=f"账号 {account.name}")
    finally:
        store.close()
    console.info(f"已重设密码：{account.name}")

