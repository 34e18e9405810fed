"""Run a check of user-written templates in a separate process with CPU-time, memory and wall limits.

`run_limited("kongchuo_docs.wording.files:_check_here", folder)` starts ``python -m kongchuo_docs.wording.limited``,
which lowers its own limits (`resource.setrlimit`: `limits.TRIAL_CPU_SECONDS` of CPU,
`limits.TRIAL_MEMORY_BYTES` of address space) before it imports anything of the caller, calls the
function and sends back its result (pickled on stdout). The parent waits at most
`limits.TRIAL_WALL_SECONDS`. A worker that runs out of time or memory is killed and the check ends in
a Chinese `InputError` at the last place the function reported with `progress` (file:line and field).
A plain subprocess, not multiprocessing: it can be started from any thread of the web server, and
nothing (no resource tracker, no fork server) outlives it.
"""

from __future__ import annotations

import json
import os
import pickle
import resource
import subprocess
import sys
from typing import Any

from ..errors import InputError, KongchuoError, Location, Problem
from ..model.limits import TRIAL_CPU_SECONDS, TRIAL_MEMORY_BYTES, TRIAL_WALL_SECONDS

_WORKER_ENV = "KONGCHUO_DOCS_LIMITED_WORKER"


def run_limited(target: str, *args: Any, what: str) -> Any:
    """`target` (``module:function``) called with `args` in a limited worker process; its result.
    `what` names the check in messages (``模板检查``). An `InputError` raised by the function is raised
    here; a worker past a limit raises `InputError` at its last `progress` location."""
    env = {**os.environ, _WORKER_ENV: "1"}
    with subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=env) as worker:  # fmt: skip
        try:
            out, err = worker.communicate(pickle.dumps((target, args)), timeout=TRIAL_WALL_SECONDS)
        except subprocess.TimeoutExpired:
            worker.kill()
            out, err = worker.communicate()
            raise _stopped(err, f"{what}超过 {TRIAL_WALL_SECONDS} 秒仍未完成（模板的计算量过大），已停止") from None
    if worker.returncode != 0 or not out:
        limits = f"CPU 时间 {TRIAL_CPU_SECONDS} 秒、内存 {TRIAL_MEMORY_BYTES // 2**20} MB"
        limit = f"{what}超出上限（{limits}），模板的计算量过大，已停止"
        raise _stopped(err, limit)
    status, value = pickle.loads(out)  # written by our own worker below
    if status == "error":
        raise value
    return value


def _stopped(err: bytes, message: str) -> InputError:
    """The InputError for a stopped worker, at the last place it reported."""
    where = Location("模板")
    for line in reversed(err.decode("utf-8", "replace").splitlines()):
        try:
            file, number, field = json.loads(line)
        except (ValueError, TypeError):
            continue
        where = Location(file, line=number, column=field)
        break
    return InputError([Problem(where, message)])


def progress(where: Location) -> None:
    """Tell the parent (when running in a worker) what is being checked now, for its message if the
    worker is stopped."""
    if os.environ.get(_WORKER_ENV):
        print(json.dumps([where.file, where.line, where.column], ensure_ascii=False), file=sys.stderr, flush=True)


def _limit_self() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (TRIAL_CPU_SECONDS, TRIAL_CPU_SECONDS + 1))
    resource.setrlimit(resource.RLIMIT_AS, (TRIAL_MEMORY_BYTES, TRIAL_MEMORY_BYTES))


def _main() -> None:
    _limit_self()
    target, args = pickle.loads(sys.stdin.buffer.read())
    module, name = target.split(":")
    import importlib

    try:
        result: tuple[str, Any] = ("ok", getattr(importlib.import_module(module), name)(*args))
    except KongchuoError as exc:
        result = ("error", exc)
    except MemoryError:
        sys.exit(3)
    sys.stdout.buffer.write(pickle.dumps(result))


if __name__ == "__main__":
    _main()
