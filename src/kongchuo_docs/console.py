"""Messages to the user: Chinese, on stderr, coloured only on a terminal.

How much is said is set once per run by the global ``--quiet`` / ``--verbose`` options: errors are
always shown; warnings (about the input, the fonts) unless quiet; details only when verbose.
"""

from __future__ import annotations

from typing import Literal

from rich.console import Console

from .errors import Problem

Verbosity = Literal["quiet", "normal", "verbose"]

err = Console(stderr=True, highlight=False, soft_wrap=True)
_verbosity: Verbosity = "normal"


def set_verbosity(value: Verbosity) -> None:
    global _verbosity
    _verbosity = value


def verbosity() -> Verbosity:
    return _verbosity


def warn(message: str) -> None:
    """A warning (hidden by --quiet)."""
    if _verbosity != "quiet":
        err.print(f"[yellow]警告[/yellow] {message}", markup=True)


def detail(message: str) -> None:
    """A detail shown only with --verbose."""
    if _verbosity == "verbose":
        err.print(message, markup=False)


def info(message: str) -> None:
    err.print(message, markup=False)


def problems(items: list[Problem]) -> None:
    """Errors always; warnings unless --quiet."""
    for p in items:
        if p.severity != "error" and _verbosity == "quiet":
            continue
        label = "[red]错误[/red]" if p.severity == "error" else "[yellow]警告[/yellow]"
        err.print(f"{label} ", end="", markup=True)
        err.print(str(p), markup=False)
