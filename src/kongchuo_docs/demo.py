"""``kongchuo-docs demo``: every document kind from the bundled samples into one folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .output import OutputSet

DemoStep = Callable[[OutputSet], None]


def _steps() -> list[DemoStep]:
    """Each kind contributes one step that copies its sample inputs to ``inputs/`` and builds."""
    from .kinds import agreement, forms, letters, notice, rectification, register, self_check, summary

    return [
        notice.demo, forms.demo, letters.demo, register.demo,
        agreement.demo, self_check.demo, rectification.demo, summary.demo,
    ]  # fmt: skip


def run_demo(outdir: Path, *, force: bool = False) -> list[str]:
    with OutputSet(outdir, force=force) as out:
        for step in _steps():
            step(out)
    return out.written
