"""What a server's death leaves behind, and how it is cleaned: its processes end with it, its
folder (the uploads of its jobs) is swept by the next server started on the same temporary folder.

Every server keeps its job folders under one folder of its own, ``kongchuo-web-*`` (mode 0700),
holding an ``owner`` file: the server's process id and that process's start time (so a reused
process id is not taken for the server). A server killed outright (SIGKILL, out of memory) cannot
delete that folder; the next start deletes every such folder whose owner is gone and says so in
its log.

Its processes (jobs, drawing and bounded calls) watch the server and end themselves when it is
gone (`end_with`); multiprocessing's fork server and resource tracker then exit too, as nothing
holds them any more.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import threading
import time
from pathlib import Path

SERVER_PREFIX = "kongchuo-web-"
OWNER_FILE = "owner"
WATCH_SECONDS = 0.5
log = logging.getLogger("kongchuo_docs.web")


Server = tuple[int, str]  # a process id and its start time


def this_server() -> Server:
    """The calling process as the server its workers end with."""
    pid = os.getpid()
    return pid, start_time(pid) or ""


def end_with(server: Server) -> None:
    """In a worker process: a thread that ends this process (SIGKILL) within `WATCH_SECONDS` of
    the server's death. Needed because a worker's parent is the fork server, which in turn only
    exits once every worker has."""

    def watch() -> None:
        pid, started = server
        while True:
            time.sleep(WATCH_SECONDS)
            now = start_time(pid)
            if now is None or (started and now and now != started):
                os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="kongchuo-lifeline", daemon=True).start()


def start_time(pid: int) -> str | None:
    """The start time of process `pid` (clock ticks since boot, from /proc), None when it is gone;
    "" where there is no /proc and the process exists."""
    stat = Path(f"/proc/{pid}/stat")
    if Path("/proc/self/stat").exists():
        try:
            return stat.read_text(encoding="ascii", errors="replace").rsplit(")", 1)[1].split()[19]
        except (OSError, IndexError):
            return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return ""
    return ""


def claim(folder: Path) -> None:
    """Mark `folder` as this server's."""
    pid = os.getpid()
    (folder / OWNER_FILE).write_text(f"{pid} {start_time(pid) or ''}", encoding="ascii")


def owner_alive(folder: Path) -> bool:
    """Whether the server that made `folder` still runs (True when that cannot be told)."""
    try:
        pid_text, _, started = (folder / OWNER_FILE).read_text(encoding="ascii").strip().partition(" ")
        pid = int(pid_text)
    except (OSError, ValueError):  # not one of ours to judge (an older version's, or being made)
        return True
    now = start_time(pid)
    return now is not None and (not started or not now or now == started)


def sweep_dead_servers(parent: Path) -> list[Path]:
    """Delete the server folders under `parent` whose server is gone; the folders deleted."""
    swept = []
    for folder in sorted(parent.glob(f"{SERVER_PREFIX}*")):
        with contextlib.suppress(OSError):
            mine = folder.is_dir() and not folder.is_symlink() and folder.stat().st_uid == os.getuid()
            if mine and not owner_alive(folder):
                shutil.rmtree(folder)
                swept.append(folder)
    if swept:
        log.warning("已清理 %d 个上次意外中止的网页版留下的任务文件夹（含上传的文件）：%s", len(swept),
                    "、".join(f.name for f in swept))  # fmt: skip
    return swept
