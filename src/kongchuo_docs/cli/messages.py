"""The command line's own texts in Chinese: usage line, help sections, usage errors.

Typer prints these through its bundled click (``typer._click``), which has no translation hook.
`ChineseGroup` is the one place that changes them for every command: its `ChineseContext` (given
to each subcommand as it is looked up) formats help with `ChineseFormatter`, and its `main` turns
click's usage errors into Chinese messages (用法：… / 错误：缺少参数 INPUT_FILE) with exit code 2.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import typer
from typer import _click
from typer._click import exceptions as click_errors
from typer.core import TyperGroup

USAGE = "用法："
HEADINGS = {"Arguments": "参数", "Options": "选项", "Commands": "命令"}
USAGE_WORDS = {"[OPTIONS]": "[选项]", "COMMAND": "命令", "[ARGS]...": "[参数]..."}
HELP_TEXTS = {
    "Show this message and exit.": "显示本帮助并退出。",
    "[required]": "[必填]",
    "[default: ": "[默认：",
    "[env var: ": "[环境变量：",
}
_EXTRA_ARGS = re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)")
_NOT_INTEGER = "Input should be a valid integer"
_NO_COMMAND = re.compile(r"No such command '(?P<name>[^']*)'")


class ChineseFormatter(_click.formatting.HelpFormatter):
    """Help text with Chinese section titles, usage prefix and built-in --help text."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = " ".join(USAGE_WORDS.get(word, word) for word in args.split(" "))
        super().write_usage(prog, args, USAGE if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{HEADINGS.get(heading, heading)}：\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(term, _translated(text)) for term, text in rows], col_max, col_spacing)


def first_sentence(text: str) -> str:
    """A command's line in its group's list: its help up to the first 。 or ；. Click shortens help at
    spaces, which Chinese has none of: a help opening with a long clause was listed as "..."."""
    match = re.match(r"[^。；]*[。；]", text.strip())
    return match.group(0).rstrip("；") + ("。" if match.group(0).endswith("；") else "") if match else text.strip()


class ChineseContext(_click.Context):
    formatter_class = ChineseFormatter


class ChineseGroup(TyperGroup):
    """Typer's group with Chinese help and usage errors for itself and all its subcommands."""

    context_class = ChineseContext

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _use_chinese_context(command)
            if not command.short_help and command.help:
                command.short_help = first_sentence(command.help)
        return command

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:  # fmt: skip
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click_errors.NoArgsIsHelpError as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click_errors.UsageError as exc:
            show_usage_error(exc)
            sys.exit(exc.exit_code)
        except click_errors.ClickException as exc:
            typer.echo(f"错误：{exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo("已中止。", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


def _use_chinese_context(command: _click.Command) -> None:
    """`command` and, for a group added without `ChineseGroup`, all its subcommands."""
    command.context_class = ChineseContext
    if not isinstance(command, ChineseGroup):
        for sub in getattr(command, "commands", {}).values():
            _use_chinese_context(sub)


def show_usage_error(exc: click_errors.UsageError) -> None:
    """Print the usage line, the --help hint and the error, all in Chinese, on stderr."""
    ctx = exc.ctx
    if ctx is not None:
        typer.echo(ctx.get_usage(), err=True)
        if ctx.command.get_help_option(ctx) is not None:
            typer.echo(f"运行 {ctx.command_path} {ctx.help_option_names[0]} 查看帮助。", err=True)
        typer.echo("", err=True)
    typer.echo(f"错误：{usage_error_text(exc)}", err=True)


def usage_error_text(exc: click_errors.UsageError) -> str:
    """The Chinese wording of a click usage error (its English message when it is not known)."""
    if isinstance(exc, click_errors.MissingParameter):
        param = exc.param
        if param is None:
            return "缺少参数"
        if param.param_type_name == "argument":
            return f"缺少参数 {(param.name or '').upper()}"
        return f"缺少选项 {_names(getattr(param, 'opts', ()) or [param.name or ''])}"
    if isinstance(exc, click_errors.NoSuchOption):
        text = f"没有这个选项：{exc.option_name}"
        if exc.possibilities:
            text += f"（可用的选项：{_names(sorted(exc.possibilities))}）"
        return text
    if isinstance(exc, click_errors.BadParameter):
        hint = _names(exc.param.opts) if exc.param is not None and getattr(exc.param, "opts", None) else ""
        message = "应为整数" if exc.message.startswith(_NOT_INTEGER) else exc.message
        return f"{hint} 的值无效：{message}" if hint else f"值无效：{message}"
    if match := _EXTRA_ARGS.match(exc.message):
        return f"多余的参数：{match['args']}"
    if match := _NO_COMMAND.match(exc.message):
        return f"没有这个命令：{match['name']}"
    return exc.format_message()


def _translated(text: str) -> str:
    for english, chinese in HELP_TEXTS.items():
        text = text.replace(english, chinese)
    return text


def _names(items: Iterable[str]) -> str:
    return " / ".join(items)
