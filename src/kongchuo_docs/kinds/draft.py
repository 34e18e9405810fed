"""Drafts (.docx, .doc/.wps/.odt, .txt, .md) → 公文: each draft's outline printed, its equivalent YAML,
pictures, DOCX and PDF written, listed as kind ``notice``. Several drafts are read first and
written together, all or nothing."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import console
from ..errors import InputError, KongchuoError
from ..files.inputs import expand_folders
from ..files.output import OutputSet
from ..readers.draft import (
    DRAFT_SUFFIXES,
    DraftDefaults,
    DraftReading,
    mapping_yaml,
    outline_lines,
    read_draft,
)
from ..store.issuing import Numbering
from ..writers.pdfa import DEFAULT_LEVEL
from .publish import write_document

if TYPE_CHECKING:
    from ..profile import Profile


def is_draft(path: Path) -> bool:
    """True for a draft file or a folder (of drafts)."""
    return Path(path).is_dir() or Path(path).suffix.lower() in DRAFT_SUFFIXES


def draft_files(sources: Sequence[Path]) -> list[Path]:
    """The drafts named: files as given, folders expanded to the drafts in them (sorted)."""
    out = expand_folders(sources, DRAFT_SUFFIXES, "草稿")
    for source in out:
        if not source.is_file():
            raise KongchuoError(f"找不到输入文件：{source}")
    return out


def draft_defaults(profile_path: Path | None = None) -> DraftDefaults:
    """The 单位设置's own organ, its 文号代字 and 印发机关 (for the drafts that organ issues), when there is one."""
    from ..profile import load_profile

    return defaults_of(load_profile(profile_path, required=False))


def defaults_of(profile: Profile | None) -> DraftDefaults:
    """`draft_defaults` of a 单位设置 already read (none: no defaults)."""
    if profile is None:
        return DraftDefaults()
    return DraftDefaults(issuer=profile.bureau, number_code=profile.number_code("通知") or None,
                         printer=profile.office)


def build_draft_files(sources: Sequence[Path], outdir: Path, *, formats: Sequence[str], force: bool,
                      settings: Mapping[str, Any] | None = None, profile_path: Path | None = None,
                      pdfa: str = DEFAULT_LEVEL) -> list[str]:
    """``kongchuo-docs build 草稿.docx …``: every draft read and its outline shown first; any error
    in any draft stops the run before anything is written. The profile supplies 文号代字 and 印发机关
    for drafts its own organ issues (`readers.draft.read_draft`)."""
    paths = draft_files(sources)
    defaults = draft_defaults(profile_path)
    with tempfile.TemporaryDirectory(prefix="kongchuo-drafts-") as work:
        readings: list[tuple[Path, DraftReading]] = []
        errors = []
        for n, path in enumerate(paths):
            reading = read_draft(path, Path(work) / str(n), settings=settings, defaults=defaults)
            console.info(f"【{path.name}】识别结果：")
            for line in outline_lines(reading):
                console.info(f"  {line}")
            errors += reading.problems if reading.errors else []
            readings.append((path, reading))
        if errors:
            raise InputError(errors)
        with Numbering(profile_path) as numbering, OutputSet(outdir, force=force) as out:
            for path, reading in readings:
                console.problems(reading.warnings)
                write_draft(out, path, reading, formats=formats, numbering=numbering, pdfa=pdfa)
    return out.written


def write_draft(out: OutputSet, path: Path, reading: DraftReading, *, formats: Sequence[str],
                numbering: Numbering | None = None, pdfa: str = DEFAULT_LEVEL) -> list[str]:
    """The draft's YAML (``stem.yaml``), its pictures (``stem-图片/``), DOCX and PDF (PDF/A `pdfa`)."""
    assert reading.document is not None
    stem = path.stem
    if any((out.outdir / f"{stem}.{fmt}").resolve() == path.resolve() for fmt in formats):
        raise KongchuoError(f"输出会覆盖草稿 {path} 本身：请用 -o 指定另一个输出文件夹")
    folder = f"{stem}-图片"
    written = []
    for name, data in reading.images.items():
        rel = f"{folder}/{name}"
        out.reserve(rel).write_bytes(data)
        out.record(rel, kind="notice", title=f"{reading.document.title}（{name}）", source=path)
        written.append(rel)
    rel = f"{stem}.yaml"
    out.reserve(rel).write_text(mapping_yaml(reading, path.name, folder), encoding="utf-8")
    out.record(rel, kind="notice", title=reading.document.title, source=path)
    written.append(rel)
    return written + write_document(out, reading.document, stem, kind="notice", source=path, formats=formats,
                                    numbering=numbering, pdfa=pdfa)
