"""Work a page waits for but must not do in the server's process: reading an uploaded draft, the
outline of a body, the 写通知 check, the 模板 page's wording check, the check of a 报送 upload. Each
call runs in a process of its own (from the jobs' fork server, so it starts in milliseconds) with a
CPU-time and memory limit, and is ended when it takes longer than its time limit: one user's hostile
input costs that process, never the event loop every other user's pages are served from. At most
`MAX_CALLS` run at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import signal
import weakref
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from ..errors import KongchuoError
from .orphans import Server, end_with, this_server
from .render import TOO_SLOW, Outcome, caught, result

# the pages' bounded calls: a call then starts in ~20 ms instead of importing them (1–2 s) in its process
PRELOAD = ("kongchuo_docs.web.notice", "kongchuo_docs.web.templates_page", "kongchuo_docs.rounds.check")
CALL_SECONDS = 20.0  # CPU-time limit of one call
WAITING_FACTOR = 3.0  # its wall-clock limit, × CALL_SECONDS (a loaded machine shares its CPUs)
MEMORY_BYTES = 3 * 1024**3  # address-space limit of one call's process
MAX_CALLS = 4  # processes at once; more requests wait their turn (no one floods the machine with processes)
_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()
DIED = "处理过程意外中止（可能内容过大），请精简后重试。"


async def bounded(func: Callable[..., Any], *args: Any, seconds: float = CALL_SECONDS) -> Any:
    """`func(*args)` (a module-level function) in a process of its own, ended after `seconds` of
    CPU time (or `WAITING_FACTOR` times as long waited for); its value, or its problems or error
    raised again here (a `KongchuoError` when too slow)."""
    async with _slots.setdefault(asyncio.get_running_loop(), asyncio.Semaphore(MAX_CALLS)):
        return await _call(func, args, seconds)


async def _call(func: Callable[..., Any], args: tuple[Any, ...], seconds: float) -> Any:
    context = multiprocessing.get_context("forkserver")
    receiving, sending = context.Pipe(duplex=False)
    # not a daemon: the call may start a limited process of its own (the wording check does)
    process = context.Process(target=_child, args=(this_server(), sending, seconds, func, args), name="kongchuo-call")
    await asyncio.to_thread(process.start)
    sending.close()
    try:
        outcome, slow = await _receive(receiving, seconds * WAITING_FACTOR)
    finally:
        receiving.close()
        if process.is_alive():
            process.kill()
        await asyncio.to_thread(process.join, 5)
    if outcome is None:
        slow = slow or process.exitcode == -signal.SIGXCPU  # its CPU time ran out
        raise KongchuoError(TOO_SLOW.format(seconds=seconds) if slow else DIED)
    return result(outcome)


async def _receive(connection: Connection, seconds: float) -> tuple[Outcome | None, bool]:
    """The child's outcome (None when it sent none: too slow, or died) and whether `seconds` passed
    first. Waited for by the event loop itself (no thread is held for the whole call)."""
    loop = asyncio.get_running_loop()
    readable: asyncio.Future[None] = loop.create_future()
    loop.add_reader(connection.fileno(), lambda: readable.done() or readable.set_result(None))
    try:
        await asyncio.wait_for(readable, seconds)
    except asyncio.TimeoutError:
        return None, True
    finally:
        loop.remove_reader(connection.fileno())
    try:  # the whole outcome follows its first byte at once
        return await asyncio.to_thread(connection.recv), False
    except (EOFError, OSError):
        return None, False


def _child(server: Server, connection: Connection, seconds: float, func: Callable[..., Any],
           args: tuple[Any, ...]) -> None:  # fmt: skip
    import resource

    end_with(server)
    cpu = max(1, round(seconds))
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    try:
        outcome = caught(func, *args)
    except MemoryError:
        outcome = "error", DIED
    connection.send(outcome)
    connection.close()
