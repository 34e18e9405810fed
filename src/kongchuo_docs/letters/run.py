"""Running a planned letters run: every school's work unit (`letters.jobs`) in ``--jobs`` processes,
largest first, with a progress bar and per-file progress told to the web page; Ctrl+C, SIGTERM or a
failed unit stop the workers at once. Also each school's OFD from its PDF, and a clerk's merged DOCX
converted to PDF by LibreOffice."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from typing import TYPE_CHECKING

from .. import console
from ..system.libreoffice import render_docx_to_pdf
from .jobs import (
    WORKER_CONTEXT,
    EngineConfig,
    Engines,
    Output,
    Unit,
    UnitDone,
    UnitResult,
    init_engines,
    run_unit,
    started_workers,
)

if TYPE_CHECKING:
    from ..writers.ofd import OfdMeta

REPORT_POLL_S = 0.1  # how often the main process looks for a worker's report while units run
ProgressHook = Callable[[str, int, int], None]
"""Told (output file title, letters written, letters in the file)."""


class Clock:
    """Records the wall time of consecutive phases into `timings` (seconds), when asked to."""

    def __init__(self, timings: dict[str, float] | None):
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[phase] = self.timings.get(phase, 0.0) + now - self.last
        self.last = now


def run_units(units: list[Unit], config: EngineConfig, jobs: int, progress: bool, clock: Clock,
              on_progress: ProgressHook | None = None, steps: dict[str, float] | None = None,
              on_laid_out: Callable[[int, tuple[int, ...]], None] | None = None) -> list[UnitDone]:  # fmt: skip
    """Run every unit (one school's letters laid out once, when the PDF is ours, and written to each of
    its files), in `jobs` processes when > 1, largest school first: one timed phase ("letters");
    `steps`, when given, receives the CPU seconds the processes spent on each step (layout, pdf,
    docx, zip), summed over them. Results in the units' order.
    `on_laid_out`, when given, is told (a unit's index, the roster rows of its letters whose tear-off
    slip goes to the next side) as soon as that unit is laid out, before its files are written: the largest school's
    count comes first, long before the run ends (a worker reports it through a queue)."""
    hook = on_progress or (lambda title, done, total: None)
    for unit in units:
        for output in unit.outputs:
            hook(output.title, 0, len(unit.letters))
    advance: Callable[[int], None] = lambda n: None  # noqa: E731
    bar = None
    if progress:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        bar = Progress(TextColumn("生成通知书"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                       console=console.err, transient=True)  # fmt: skip
        task = bar.add_task("letters", total=sum(len(u.letters) for u in units))
        bar.start()
        advance = lambda n: bar.advance(task, n)  # noqa: E731
    which = {unit.outputs[0].target: index for index, unit in enumerate(units)}
    laid_out = (lambda target, spilled: on_laid_out(which[target], spilled)) if on_laid_out else None
    reports = WORKER_CONTEXT.SimpleQueue() if jobs > 1 and laid_out is not None else None
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=WORKER_CONTEXT, initializer=init_engines,
                               initargs=(config, reports)) if jobs > 1 else None  # fmt: skip
    found: dict[int, UnitDone] = {}

    def done(index: int, result: UnitDone) -> None:
        found[index] = result
        if steps is not None:
            for step, seconds in result.seconds.items():
                steps[step] = steps.get(step, 0.0) + seconds
        advance(len(units[index].letters))
        for output in units[index].outputs:
            hook(output.title, len(units[index].letters), len(units[index].letters))

    def told() -> None:
        while reports is not None and laid_out is not None and not reports.empty():
            laid_out(*reports.get())

    order = sorted(range(len(units)), key=lambda i: -len(units[i].letters))
    try:
        if pool is None:
            engines = Engines(config)
            for i in order:
                done(i, engines.run(units[i], laid_out))
        else:
            futures = {pool.submit(run_unit, units[i]): i for i in order}  # not map: see stop_workers
            pending = set(futures)
            while pending:
                finished, pending = wait(pending, timeout=REPORT_POLL_S, return_when=FIRST_COMPLETED)
                told()
                for future in finished:
                    done(futures[future], future.result())
            told()
        clock.lap("letters")
    except BaseException:
        if pool is not None:
            stop_workers(pool)
        raise
    finally:
        if bar is not None:
            bar.stop()
        if pool is not None:
            pool.shutdown()  # not cancel_futures: see stop_workers
        if reports is not None:
            reports.close()
    return [found[i] for i in range(len(units))]


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the worker processes now (SIGTERM, Ctrl+C, a failed unit): `shutdown` alone would wait
    for the units they are rendering. The executor has no public way to do this before Python 3.14."""
    for process in {*(getattr(pool, "_processes", None) or {}).values(), *started_workers()}:
        process.terminate()
    # The executor, finding its workers killed, fails every pending future itself: cancelling them as
    # well (shutdown's cancel_futures, or `map`, which cancels its futures when interrupted) races with
    # it and its thread dies on InvalidStateError (CPython 3.11).
    # A killed worker leaves both pipes half-used, and CPython < 3.12 then waits for ever (gh-94777):
    # the call queue's feeder may be blocked writing a school's letters no one reads any more (not
    # joined), and the executor's thread may be blocked reading the rest of a result a worker was
    # sending (this process's copy of the writing end closed: with the workers dead it reads the end).
    call_queue = getattr(pool, "_call_queue", None)
    if call_queue is not None:
        call_queue.cancel_join_thread()
    result_queue = getattr(pool, "_result_queue", None)
    if result_queue is not None:
        result_queue._writer.close()


def write_ofds(plans: list[tuple[Path, Path, OfdMeta]], jobs: int) -> list[int]:
    """Each school's OFD from its PDF (`write_ofd` arguments), in `jobs` processes when there is more
    than one school; the page counts in the plans' order."""
    if not plans:
        return []
    from ..writers.ofd import write_ofd  # PyMuPDF (and its onnxruntime, ~100 MB): only for a run that writes OFD

    if jobs == 1 or len(plans) < 2:
        return [write_ofd(*plan) for plan in plans]
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(plans)), mp_context=WORKER_CONTEXT)
    try:
        futures = [pool.submit(write_ofd, *plan) for plan in plans]  # not map: see stop_workers
        return [future.result() for future in futures]
    except BaseException:
        stop_workers(pool)
        raise
    finally:
        pool.shutdown()  # not cancel_futures: see stop_workers


def convert(docx: Output, pdf: Output, letters: int, pdfa_part: int) -> UnitResult:
    """The merged DOCX `docx` (of `letters` letters) converted to `pdf`'s target by LibreOffice (same
    letters, same text), as PDF/A of `pdfa_part` (LibreOffice embeds no source file: a 3b file from a
    clerk's template has none)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="kongchuo-pdf-", dir=pdf.target.parent) as scratch:
        converted = render_docx_to_pdf(docx.target, Path(scratch), pdfa_part=pdfa_part)
        data = converted.read_bytes()
    pdf.target.write_bytes(data)
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    return UnitResult(pdf.target, letters, pages)
