"""The work units of a letters run — one school's (township's) letters and the files made from them
(merged PDF, merged DOCX, per-child zip) — and the per-process engine they share, so ``--jobs N``
can spread the schools over processes.

Each process compiles the engines once (`init_engines`). A unit is run whole in one process
(`run_unit`): the school's rows are read back from the run's spool there (`letters.spool`), its letters
laid out (texts filled, lines broken, the slip's fit
decided — once per letter, when the PDF is ours), written one at a time into each of its files in
turn, and only counts go back: the laid-out letters never cross a process boundary (sending them
back cost most of what a second process gains). Memory: one school's laid-out letters per process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import multiprocessing
import multiprocessing.context
import multiprocessing.queues
import multiprocessing.util
import os
import signal
import threading
import time
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..files.filenames import safe_stem
from ..wording import sandbox
from ..writers.pdfa import Archive
from .docx_merge import (
    ZIP_DATE,
    CompiledDocx,
    compile_default,
    compile_word_template,
    laid_fields,
    single_letter_bytes,
    write_merged,
)
from .fields import ROW_KEY
from .layout import LaidLetter, LetterLayout
from .pdf_archive import DocumentInfo
from .pdf_fonts import FontPack
from .pdf_merge import CompiledPdf
from .spec import environment
from .spec_model import LetterSpec
from .spool import SchoolRows


@dataclass(frozen=True)
class EngineConfig:
    """Everything a process needs to compile the engines (picklable)."""

    spec: LetterSpec
    settings: dict[str, object]  # merge fields from the settings
    known_fields: frozenset[str]
    word_template: Path | None
    duplex: bool
    fonts: FontPack | None  # None when no PDF is written
    created: dt.date | None = None  # the 成文日期: the PDFs' creation date
    archive: Archive = field(default_factory=Archive)  # the PDFs' PDF/A level (3b: the roster attached)


@dataclass(frozen=True)
class Output:
    """One file made from a unit's letters: `fmt` is pdf, docx or zip."""

    fmt: str
    target: Path
    title: str


@dataclass(frozen=True)
class Unit:
    """One school's (township's) letters — as merge fields, or its spooled rows the worker reads back
    (`letters.spool.SchoolRows`) — and the files made from them in one process."""

    letters: Sequence[Mapping[str, object]] | SchoolRows
    outputs: tuple[Output, ...]

    def fields(self) -> Sequence[Mapping[str, object]]:
        """The letters' merge fields, in order."""
        return self.letters.letters() if isinstance(self.letters, SchoolRows) else self.letters


@dataclass(frozen=True)
class UnitResult:
    """One written file."""

    target: Path
    letters: int
    pages: int | None
    spilled: int = 0  # letters whose slip was pushed to a second page (PDF only)


@dataclass(frozen=True)
class UnitDone:
    """A unit's files (in its outputs' order) and the CPU seconds its process spent on each step
    (layout, pdf, docx, zip: a busy machine does not inflate them)."""

    results: tuple[UnitResult, ...]
    seconds: dict[str, float]
    spilled: tuple[int, ...]  # roster rows of the letters whose tear-off slip goes to the next side
    issuer: str = ""  # the school (township) issuing the letters: the PDFs' creator, the OFDs' author


class Engines:
    """The compiled engines of one process."""

    def __init__(self, config: EngineConfig):
        self.spec = config.spec
        self.settings = config.settings
        self.created, self.archive = config.created, config.archive
        known = set(config.known_fields)
        if config.word_template is not None:
            self.docx: CompiledDocx = compile_word_template(config.word_template, known, duplex=config.duplex)
        else:
            self.docx = compile_default(config.spec, known, duplex=config.duplex)
        self.layout = LetterLayout(config.spec, config.fonts) if config.fonts else None
        self.pdf = CompiledPdf(config.fonts, duplex=config.duplex) if config.fonts else None

    def fields(self, letter: LaidLetter | Mapping[str, object]) -> dict[str, object]:
        """The DOCX merge fields of `letter`: the settings, its own fields and (laid out) its lines."""
        if isinstance(letter, LaidLetter):
            return {**self.settings, **letter.fields, **laid_fields(letter)}
        return {**self.settings, **letter}

    def run(self, unit: Unit, on_laid_out: LaidOutHook | None = None) -> UnitDone:
        """Lay out the unit's letters (when the PDF is ours), then write each of its files;
        `on_laid_out`, when given, is told as soon as they are laid out (`LaidOutHook`)."""
        seconds: dict[str, float] = {}
        fields = unit.fields()
        letters = self.lay_out(fields, seconds)
        if on_laid_out is not None and self.layout is not None:
            on_laid_out(unit.outputs[0].target, spilled_in(letters))
        return self.write(unit, fields, letters, seconds)

    def lay_out(self, fields: Sequence[Mapping[str, object]],
                seconds: dict[str, float]) -> Sequence[LaidLetter] | Sequence[Mapping[str, object]]:  # fmt: skip
        """The letters (their merge `fields`) laid out when the PDF is ours (else their fields); the CPU
        seconds in `seconds`."""
        if self.layout is None:
            return fields
        start = time.process_time()
        letters = [self.layout.lay_out(letter, self.settings) for letter in fields]
        _lap(seconds, "layout", start)
        return letters

    def write(self, unit: Unit, fields: Sequence[Mapping[str, object]],
              letters: Sequence[LaidLetter] | Sequence[Mapping[str, object]], seconds: dict[str, float]) -> UnitDone:
        """Each of the unit's files from its `letters` (laid out from `fields`); the CPU seconds of each
        in `seconds`."""
        spilled = spilled_in(letters)
        issuer = issuer_of(self.spec, {**self.settings, **fields[0]}) if fields else ""
        start = time.process_time()
        results = []
        for output in unit.outputs:
            results.append(self._write(output, letters, issuer))
            start = _lap(seconds, output.fmt, start)
        return UnitDone(tuple(results), seconds, spilled, issuer)

    def _write(self, output: Output, letters: Sequence[LaidLetter] | Sequence[Mapping[str, object]],
               issuer: str) -> UnitResult:  # fmt: skip
        if output.fmt == "pdf":
            assert self.pdf is not None
            info = DocumentInfo(output.title, issuer, self.created, self.archive)
            count, pages, spilled = self.pdf.write(letters, output.target, info=info)  # type: ignore[arg-type]
            return UnitResult(output.target, count, pages, spilled)
        merged = (self.fields(letter) for letter in letters)
        if output.fmt == "docx":
            return UnitResult(output.target, write_merged(self.docx, merged, output.target), None)
        return UnitResult(output.target, self._per_record_zip(merged, output.target), None)

    def _per_record_zip(self, letters: object, target: Path) -> int:
        names: set[str] = set()
        count = 0
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as zf:
            for fields in letters:  # type: ignore[attr-defined]
                name = per_record_name(fields, names)
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                info.external_attr = 0o644 << 16
                zf.writestr(info, single_letter_bytes(self.docx, fields))
                count += 1
        return count


LaidOutHook = Callable[[Path, tuple[int, ...]], None]
"""Told, as soon as a unit's letters are laid out (before its files are written), its first output's
target (which unit) and the roster rows of its letters whose tear-off slip goes to the next side."""


def spilled_in(letters: Sequence[LaidLetter] | Sequence[Mapping[str, object]]) -> tuple[int, ...]:
    """The roster rows of the laid-out `letters` whose tear-off slip goes to the next side (none when
    not laid out)."""
    return tuple(int(str(letter.fields[ROW_KEY])) for letter in letters
                 if isinstance(letter, LaidLetter) and letter.spilled)  # fmt: skip


def issuer_of(spec: LetterSpec, fields: Mapping[str, object]) -> str:
    """The 署名 of a file's letters (the school or township issuing them; `fields`: the settings' and
    its first letter's), as its PDF's creator and its OFD's author."""
    signature = next((b for b in spec.blocks if b.type == "signature"), None)
    if signature is None:
        return ""
    template = environment(autoescape=False).from_string(signature.issuer)
    return sandbox.render(template, dict(fields), where=spec.source, field="issuer").strip()


def per_record_name(fields: Mapping[str, object], taken: set[str]) -> str:
    """``姓名-身份证后四位.docx``, safe as a file name; a repeat gets ``-2``, ``-3``… in order."""
    stem = safe_stem(f"{fields['姓名']}-{fields['身份证后四位']}", "通知书")
    name, n = f"{stem}.docx", 1
    while name in taken:
        n += 1
        name = f"{stem}-{n}.docx"
    taken.add(name)
    return name


_ENGINES: Engines | None = None
_REPORTS: multiprocessing.queues.SimpleQueue | None = None


def init_engines(config: EngineConfig, reports: multiprocessing.queues.SimpleQueue | None = None) -> None:
    """Process initializer: compile the engines once for all units this process runs; `reports`, when
    given, is told each unit's `LaidOutHook` arguments as soon as its letters are laid out."""
    global _ENGINES, _REPORTS
    _ENGINES = Engines(config)
    _REPORTS = reports


class _WorkerProcess(multiprocessing.context.SpawnProcess):
    """A spawned worker deaf to Ctrl+C from its first instruction: a terminal sends SIGINT to every
    process of the run; the main process stops the workers and says so in one line, and no worker
    prints a traceback. SIGINT is ignored in the main process only for the fork and exec of the
    worker (an ignored signal stays ignored through exec, and Python then leaves it so)."""

    def start(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            super().start()
            return
        spawn = multiprocessing.util.spawnv_passfds
        launched: list[int] = []

        def deaf_spawn(*args: object) -> int:
            previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
            try:
                launched.append(spawn(*args))
                return launched[-1]
            finally:
                signal.signal(signal.SIGINT, previous)

        multiprocessing.util.spawnv_passfds = deaf_spawn
        try:
            super().start()
        except BaseException:  # Ctrl+C while the worker reads its start data: it would be nobody's
            for pid in launched:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGTERM)
                    os.waitpid(pid, 0)
            raise
        finally:
            multiprocessing.util.spawnv_passfds = spawn


class _WorkerContext(multiprocessing.context.SpawnContext):
    Process = _WorkerProcess


def started_workers() -> list[multiprocessing.process.BaseProcess]:
    """The live ``--jobs`` workers this process started (the executor lists a worker only once its
    start returned)."""
    return [p for p in multiprocessing.active_children() if isinstance(p, _WorkerProcess)]


WORKER_CONTEXT = _WorkerContext()
"""The ``spawn`` context of ``--jobs`` workers (clean start, no lock inherited from a thread at fork),
whose processes ignore Ctrl+C."""


def run_unit(unit: Unit) -> UnitDone:
    """One unit, in this worker process's engines. Python's cycle collector leaves the school's laid-out
    letters alone: each of its full collections would walk them all again (a quarter of the layout's
    CPU time at 10 000 letters). It is off while laying out, which makes no reference cycles (none
    unreachable after 4 000 letters), and what exists then is frozen (`gc.freeze`) while the files are
    written; both undone before the next unit. Only here: a worker runs nothing else meanwhile."""
    assert _ENGINES is not None, "init_engines must run first"
    seconds: dict[str, float] = {}
    fields = unit.fields()
    gc.disable()
    try:
        letters = _ENGINES.lay_out(fields, seconds)
        if _REPORTS is not None and _ENGINES.layout is not None:
            _REPORTS.put((unit.outputs[0].target, spilled_in(letters)))
        gc.freeze()
        gc.enable()
        return _ENGINES.write(unit, fields, letters, seconds)
    finally:
        gc.unfreeze()
        gc.enable()


def _lap(seconds: dict[str, float], step: str, start: float) -> float:
    """Add the CPU time of this process since `start` to `step` in `seconds`; return now."""
    now = time.process_time()
    seconds[step] = seconds.get(step, 0.0) + now - start
    return now


