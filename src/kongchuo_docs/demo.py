"""``kongchuo-docs demo``: every document kind from the bundled samples into one folder.

Each kind writes into its own Chinese-named folder (通知/, 入学通知书/, 责任书/, 空白表格/ …) and copies
its inputs to ``样例输入/``. The manifest marks the files as the demo's, so running the demo again
into the same folder replaces them (those still unchanged) and refuses any other existing file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .output import OutputSet

DemoStep = Callable[[OutputSet], None]
DEMO_INPUTS = "样例输入"  # the sample inputs each step copies, to edit and rebuild


def _steps() -> list[DemoStep]:
    """Each kind contributes one step that copies its sample inputs to ``样例输入/`` and builds."""
    from .kinds import agreement, forms, letters, notice, rectification, register, self_check, summary

    return [
        notice.demo, forms.demo, letters.demo, register.demo,
        agreement.demo, self_check.demo, rectification.demo, summary.demo,
    ]  # fmt: skip


def run_demo(outdir: Path, *, force: bool = False) -> list[str]:
    with OutputSet(outdir, force=force, demo=True) as out:
        for step in _steps():
            step(out)
    return out.written
