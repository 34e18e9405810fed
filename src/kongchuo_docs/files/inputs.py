"""Input files named at the command line: a folder stands for the files in it that the task reads."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import KongchuoError


def expand_folders(sources: Sequence[Path], suffixes: Sequence[str], what: str) -> list[Path]:
    """`sources` with each folder replaced by its files ending in one of `suffixes` (sorted by name;
    Office's ``~$`` lock files and hidden files left out); files are kept as given, a missing one too
    (its reader reports it). A folder without such files is a `KongchuoError` naming `what`."""
    out: list[Path] = []
    for source in map(Path, sources):
        if not source.is_dir():
            out.append(source)
            continue
        found = sorted(p for p in source.iterdir() if p.is_file() and p.suffix.lower() in suffixes
                       and not p.name.startswith(("~$", ".")))  # fmt: skip
        if not found:
            raise KongchuoError(f"文件夹 {source} 中没有{what}（{'、'.join(suffixes)}）")
        out += found
    return out
