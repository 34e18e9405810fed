"""The 公文 pages drawn outside the web server's process: a small pool of warm processes (fonts and
WeasyPrint loaded once) writes the preview PDFs and the DOCX/PDF downloads, so a drawing never
holds the server's interpreter while other users' pages, uploads and progress are served."""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from ..errors import InputError, KongchuoError, os_error_message
from ..model import Document
from .orphans import Server, end_with, this_server

RENDER_WORKERS = 2  # the first pages of one preview while another's whole PDF is drawn
DRAW_SECONDS = 300.0  # one preview or download on a busy 2-core machine; past it, stopped
TOO_SLOW = "处理超时（超过 {seconds:g} 秒），已停止：内容过大或过于复杂，请精简后重试。"
STOPPED = "生成过程被中止（同时有一项生成超时），请重试。"


class RenderPool:
    def __init__(self, workers: int = RENDER_WORKERS):
        self._workers = workers
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("forkserver")
        return ProcessPoolExecutor(max_workers=self._workers, mp_context=context, initializer=_warm_up,
                                   initargs=(this_server(),))  # fmt: skip

    def submit_pdf(self, doc: Document, path: Path, first_pages: int | None = None) -> Future[Outcome]:
        return self._pool.submit(_pdf, doc, path, first_pages)

    async def pdf(self, doc: Document, path: Path, first_pages: int | None = None) -> int:
        """Write `doc` as a PDF (only its first pages when asked); the document's page count."""
        return int(await self._wait(self.submit_pdf(doc, path, first_pages)))

    async def files(self, doc: Document, outdir: Path, stem: str, fmt: str, source: Path) -> str:
        """Write ``stem.fmt`` into `outdir` all or nothing (with manifest.json); its relative path."""
        return str(await self._wait(self._pool.submit(_files, doc, outdir, stem, fmt, source)))

    async def call(self, func: Callable[..., Any], *args: Any) -> Any:
        """`func(*args)` run in a drawing process (a module-level function); its value, or its
        problems or error raised again here."""
        return await self._wait(self._pool.submit(caught, func, *args))

    async def _wait(self, future: Future[Outcome]) -> Any:
        """The value of a drawing; past `DRAW_SECONDS` the drawing processes are replaced (one cannot
        be stopped alone: the other drawings of that moment fail too, and say so)."""
        try:
            return result(await asyncio.wait_for(asyncio.wrap_future(future), DRAW_SECONDS))
        except asyncio.TimeoutError:
            self._replace()
            raise KongchuoError(TOO_SLOW.format(seconds=DRAW_SECONDS)) from None
        except BrokenProcessPool:
            raise KongchuoError(STOPPED) from None

    def _replace(self) -> None:
        old, self._pool = self._pool, self._new_pool()
        for process in list((getattr(old, "_processes", None) or {}).values()):
            process.kill()
        old.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _warm_up(server: Server) -> None:
    """Process initializer: end with the server; load the fonts and WeasyPrint before the first preview asks."""
    from ..system.fonts import resolve_fonts
    from ..writers.pdf_writer import _weasyprint
    end_with(server)
    resolve_fonts()
    _weasyprint()


Outcome = tuple[str, Any]
"""What a drawing process sends back: ("ok", value), ("problems", [Problem…]) or ("error", message)
(the errors' own classes do not survive pickling)."""


def result(outcome: Outcome) -> Any:
    """The value of an outcome; its problems or error raised again in this process."""
    tag, value = outcome
    if tag == "problems":
        raise InputError(value)
    if tag == "error":
        raise KongchuoError(value)
    return value


def caught(func: Callable[..., Any], *args: Any) -> Outcome:
    try:
        return "ok", func(*args)
    except InputError as exc:
        return "problems", exc.problems + exc.warnings
    except KongchuoError as exc:
        return "error", str(exc)
    except OSError as exc:
        message = disk_message(exc)
        if message is None:
            raise
        return "error", message


def disk_message(exc: BaseException) -> str | None:
    """The page's Chinese line for a file-system error the clerk can act on (disk full, read-only,
    no permission), without the server's paths; None for any other error."""
    reason = os_error_message(exc, with_file=False)
    return f"{reason}（运行网页版的电脑上），未写出任何文件；请处理后重试。" if reason else None


def _pdf(doc: Document, path: Path, first_pages: int | None) -> Outcome:
    from ..writers.pdf_writer import write_pdf

    return caught(lambda: write_pdf(doc, path, first_pages=first_pages))


def _files(doc: Document, outdir: Path, stem: str, fmt: str, source: Path) -> Outcome:
    from ..files.output import OutputSet
    from ..kinds.publish import write_document

    def write() -> str:
        with OutputSet(outdir) as out:
            return write_document(out, doc, stem, kind="notice", source=source, formats=(fmt,))[0]

    return caught(write)
