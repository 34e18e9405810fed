"""Write test variants of the bundled 单位设置 (the 罗源县 sample) with some values changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.profile import PROFILE_NAME


def sample_profile_data() -> dict[str, Any]:
    return yaml.safe_load(sample_path("profile", PROFILE_NAME).read_text(encoding="utf-8"))


def write_profile(folder: Path, changes: dict[str, Any] | None = None, letters: dict[str, Any] | None = None,
                  *, name: str = PROFILE_NAME) -> Path:
    """The sample profile with top-level `changes` and 通知书 `letters` changes, as `folder/name`."""
    data = sample_profile_data()
    data.update(changes or {})
    data["通知书"] = {**data.get("通知书", {}), **(letters or {})}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
