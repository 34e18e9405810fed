"""Messages to the user: Chinese, on stderr, coloured only on a terminal."""

from __future__ import annotations

from rich.console import Console

from .errors import Problem

err = Console(stderr=True, highlight=False, soft_wrap=True)


def warn(message: str) -> None:
    err.print(f"[yellow]警告[/yellow] {message}", markup=True)


def info(message: str) -> None:
    err.print(message, markup=False)


def problems(items: list[Problem]) -> None:
    for p in items:
        label = "[red]错误[/red]" if p.severity == "error" else "[yellow]警告[/yellow]"
        err.print(f"{label} ", end="", markup=True)
        err.print(str(p), markup=False)
