"""``kongchuo-docs init``: write a blank, fully commented 单位设置.yaml for a new county."""

from __future__ import annotations

from pathlib import Path

from ..output import OutputSet
from ..resources import template_path
from .model import PROFILE_NAME

KIND = "profile"


def blank_profile_path() -> Path:
    """The commented blank profile shipped in templates/profile/."""
    return template_path("profile", PROFILE_NAME)


def init_profile(folder: Path, *, force: bool = False) -> list[str]:
    """Write ``folder/单位设置.yaml`` (refused when it exists unless `force`); return the paths written."""
    with OutputSet(folder, force=force) as out:
        out.copy_in(blank_profile_path(), PROFILE_NAME)
        out.record(PROFILE_NAME, kind=KIND, title="单位设置（待填写）")
    return out.written
