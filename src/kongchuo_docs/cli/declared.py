"""The commands made from the task declarations (`declare`): each declared input becomes the
command's argument (or an option such as ``--units``), each declared option a ``--flag`` with its
help, plus the command line's own ``-o``, ``--settings`` and ``--force``."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Annotated, Any

import typer

from .. import console
from ..declare import InputFile, Option, OptionError, Run, Task
from ..errors import KongchuoError
from ..files.inputs import expand_folders
from .app import ForceOption, SettingsOption, print_written
from .guard import reports_errors


def add_command(group: typer.Typer, name: str, task: Task) -> None:
    """Register `task` on `group` as the command `name`."""

    def command(**kwargs: Any) -> None:
        try:
            values = task.read_values({o.name: kwargs[o.name] for o in task.options})
        except OptionError as exc:
            raise KongchuoError(option_message(exc)) from None
        inputs = {i.name: _paths(i, kwargs[i.name]) for i in task.inputs}
        run = Run(inputs, values, kwargs["output"], settings=kwargs["settings"], force=kwargs["force"],
                  jobs=kwargs.get("jobs", 1))
        outcome = task.run(run)
        console.problems(outcome.warnings)
        for line in outcome.lines:
            console.info(line)
        print_written(outcome.outdir, outcome.written)

    parameters = parameters_of(task)
    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in parameters}
    command.__name__ = task.name.replace("-", "_")
    command.__doc__ = task.help
    group.command(name)(reports_errors(command))


def option_message(exc: OptionError) -> str:
    """A refused option value, as the command line names it (a task's own check already says it
    in the words the command has always used)."""
    if exc.option.check is not None:
        return exc.message
    return f"{exc.option.flag}（{exc.option.label}）：{exc.message}（{exc.value}）"


def parameters_of(task: Task) -> list[inspect.Parameter]:
    """The command's parameters: inputs, ``-o``, optional inputs, options, ``--settings``, ``--force``."""
    kw = inspect.Parameter.KEYWORD_ONLY
    params = []
    for i in task.inputs:
        if i.required:
            kind = list[Path] if i.multiple and not i.folder else Path
            argument = typer.Argument(help=i.help, show_default=False, metavar=i.label)
            params.append(inspect.Parameter(i.name, kw, annotation=Annotated[kind, argument]))
    out = typer.Option("-o", "--output", help=task.output_help, show_default=not task.output_required)
    params.append(inspect.Parameter("output", kw, annotation=Annotated[Path, out],
                                    default=inspect.Parameter.empty if task.output_required else Path("out")))
    for i in task.inputs:
        if not i.required:
            params.append(inspect.Parameter(i.name, kw, default=None,
                                            annotation=Annotated[Path | None, typer.Option(i.flag, help=i.help)]))
    params += [_option(o) for o in task.options]
    if task.parallel:
        params.append(inspect.Parameter("jobs", kw, default=1, annotation=Annotated[int, typer.Option(
            "--jobs", help="并行进程数（本机的命令行；网页版由服务器安排）。")]))  # fmt: skip
    params.append(inspect.Parameter("settings", kw, annotation=SettingsOption, default=None))
    params.append(inspect.Parameter("force", kw, annotation=ForceOption, default=False))
    return params


def _option(o: Option) -> inspect.Parameter:
    kw = inspect.Parameter.KEYWORD_ONLY
    if o.kind == "flag":
        flag = typer.Option(o.flag, help=o.help)
        return inspect.Parameter(o.name, kw, default=False, annotation=Annotated[bool, flag])
    if o.kind == "repeat":
        repeated = typer.Option(o.flag, help=o.help, show_default=False)
        return inspect.Parameter(o.name, kw, default=None, annotation=Annotated[list[str] | None, repeated])
    if o.kind == "switch":
        switch = typer.Option(f"{o.flag}/{o.off_flag}", help=o.help, show_default=False)
        return inspect.Parameter(o.name, kw, default=None, annotation=Annotated[bool | None, switch])
    shown = f"（可选 {'、'.join(o.choices)}，逗号分隔）" if o.kind == "choices" else ""
    if o.shown_default:
        shown += f"（默认 {o.shown_default}）"
    info = typer.Option(o.flag, help=o.help + shown, show_default=False)
    return inspect.Parameter(o.name, kw, default=None, annotation=Annotated[str | None, info])


def _paths(i: InputFile, value: Path | list[Path] | None) -> list[Path]:
    """The files given for `i`; where it takes several files, a folder given stands for its files."""
    if value is None:
        return []
    if isinstance(value, list):
        return expand_folders(value, i.suffixes, i.label) if not i.folder else value
    return [value]
