"""``kongchuo-docs demo``: every document kind from the bundled samples into one folder.

Each kind writes into its own Chinese-named folder (通知/, 入学通知书/, 责任书/, 空白表格/ …) and copies
its inputs to ``样例输入/``. The manifest marks the files as the demo's, so running the demo again
into the same folder replaces them (those still unchanged) and refuses any other existing file.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from ..files.output import OutputSet
from ..files.resources import sample_path
from ..profile import PROFILE_NAME, Profile, load_profile

DemoStep = Callable[[OutputSet], None]
DEMO_INPUTS = "样例输入"  # the sample inputs each step copies, to edit and rebuild


def _steps(profile: Profile) -> list[DemoStep]:
    """Each kind contributes one step that copies its sample inputs to ``样例输入/`` and builds;
    the steps whose documents carry county words get the demo's profile."""
    from . import agreement, forms, letters, notice, rectification, register, self_check, summary

    county = partial(partial, profile=profile)
    return [
        notice.demo, county(forms.demo), county(letters.demo), register.demo,
        county(agreement.demo), county(self_check.demo), county(rectification.demo), county(summary.demo),
    ]  # fmt: skip


def run_demo(outdir: Path, *, force: bool = False) -> list[str]:
    """Every kind from the samples, with the bundled sample profile (samples/profile/), which is
    copied to ``样例输入/单位设置.yaml`` with the other inputs so a user can edit it and rebuild."""
    source = sample_path("profile", PROFILE_NAME)
    profile = load_profile(source)
    with OutputSet(outdir, force=force, demo=True) as out:
        out.copy_in(source, f"{DEMO_INPUTS}/{PROFILE_NAME}")
        for step in _steps(profile):
            step(out)
    return out.written
