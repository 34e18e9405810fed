"""``kongchuo-docs demo``: every document kind from the bundled samples into one folder."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from .output import OutputSet
from .profile import PROFILE_NAME, Profile, load_profile
from .resources import sample_path

DemoStep = Callable[[OutputSet], None]


def _steps(profile: Profile) -> list[DemoStep]:
    """Each kind contributes one step that copies its sample inputs to ``inputs/`` and builds;
    the steps whose documents carry county words get the demo's profile."""
    from .kinds import agreement, forms, letters, notice, rectification, register, self_check, summary

    county = partial(partial, profile=profile)
    return [
        notice.demo, forms.demo, county(letters.demo), register.demo,
        county(agreement.demo), county(self_check.demo), county(rectification.demo), county(summary.demo),
    ]  # fmt: skip


def run_demo(outdir: Path, *, force: bool = False) -> list[str]:
    """Every kind from the samples, with the bundled sample profile (samples/profile/), which is
    copied to ``inputs/单位设置.yaml`` with the other inputs so a user can edit it and rebuild."""
    source = sample_path("profile", PROFILE_NAME)
    profile = load_profile(source)
    with OutputSet(outdir, force=force) as out:
        out.copy_in(source, f"inputs/{PROFILE_NAME}")
        for step in _steps(profile):
            step(out)
    return out.written
