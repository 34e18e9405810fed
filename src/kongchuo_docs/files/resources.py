"""Locate the data folders (`templates/`, `forms/`, `samples/`) shipped with the package.

In a wheel they are package data inside ``kongchuo_docs/``; in a checkout (editable install)
they are the top-level folders of the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # kongchuo_docs/


@cache
def data_dir(name: str) -> Path:
    """Return the folder `name` ("templates", "forms" or "samples")."""
    for candidate in (_PACKAGE / name, _PACKAGE.parents[1] / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"安装不完整：找不到数据目录 {name}/（请重新安装 kongchuo-docs）")


def template_path(*parts: str) -> Path:
    return data_dir("templates").joinpath(*parts)


def form_path(*parts: str) -> Path:
    return data_dir("forms").joinpath(*parts)


def sample_path(*parts: str) -> Path:
    return data_dir("samples").joinpath(*parts)
