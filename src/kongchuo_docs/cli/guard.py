"""The error guard every command runs under: user mistakes become Chinese messages and exit 2,
SIGTERM ends a run cleanly (exit 143), anything unforeseen is one line plus a debug log (exit 70)."""

from __future__ import annotations

import contextlib
import functools
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn, TypeVar

import typer
from typer._click import exceptions as click_errors  # typer bundles its own click

from .. import console
from ..errors import EnvironmentProblem, InputError, KongchuoError, OutputExistsError, os_error_message

F = TypeVar("F", bound=Callable[..., object])


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
        except RecursionError:
            console.err.print("错误：输入嵌套过深（如 YAML 层级过多），无法处理，未写出任何文件。", markup=False)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            console.err.print("已中断，未写出任何文件。", markup=False)
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort, click_errors.ClickException):
            raise
        except Exception as exc:
            message = os_error_message(exc)  # a library's own error raised from a full disk
            if message is None:
                _unexpected(exc)
            console.err.print(f"错误：{message}，未写出任何文件。", markup=False)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def on_sigterm(signum: int, frame: object) -> None:
    """SIGTERM ends the run at once, as Ctrl+C would: worker processes stopped, every open run's
    staging folder removed, exit 143. Done here rather than by raising an exception, which is lost
    when the signal lands inside a ``__del__`` or a worker's start-up (the run then went on)."""
    import os

    from ..files.output import abandon_open_runs

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
            # bytes, no codec: the signal may land while the run is importing one (then half-made)
            if int(stat.read_bytes().rsplit(b")", 1)[1].split()[1]) == me:
                pids.add(int(stat.parent.name))
    return pids


def _unexpected(exc: BaseException) -> NoReturn:
    """An error the toolkit did not foresee: one Chinese line and the path of the debug log, exit 70."""
    report_unexpected(exc)
    raise typer.Exit(UNEXPECTED_EXIT) from None


def report_unexpected(exc: BaseException) -> None:
    from .debuglog import save_debug_log

    log = save_debug_log(exc)
    where = f"详细信息已保存到 {log}，请将此文件发给维护人员" if log else "无法保存详细信息"
    console.err.print(f"内部错误（{type(exc).__name__}），未写出任何文件；{where}。", markup=False)


UNEXPECTED_EXIT = 70  # EX_SOFTWARE of sysexits.h
TERMINATED_EXIT = 143  # 128 + SIGTERM, as a shell reports a process ended by SIGTERM
