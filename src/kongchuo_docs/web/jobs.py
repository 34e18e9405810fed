"""Background jobs: each in a private temporary folder, run in its own process from a bounded pool.

Job folders live under one folder of this server's (`orphans`: swept by the next start when the
server was killed). A job folder holds ``in/`` (the uploads, under names the server chose),
``out/`` (written all or nothing by the kind's OutputSet), ``progress.json`` (rows done per output
file, written by the worker) and ``status.json`` (the outcome). At most `workers` jobs run at once, the others wait in
order; a running job is cancelled by ending its process. A job's uploads are deleted when it ends
(but a 校验's, which its 生成 reads); its folder when it is cancelled or `keep` seconds after it ended.

With a `Keeper` (the page has a store: `kept_jobs`) job folders are made in the keeper's folder
instead, which outlives the server, and every change of a job's state is handed to the keeper
(in the pool's thread, outside its lock), so that the next start finds the finished jobs again.

Processes come from a fork server that has imported the kinds once, so a job starts in
milliseconds and never inherits the web server's threads.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import secrets
import shutil
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing import forkserver
from pathlib import Path
from typing import Any, Protocol

from .bounded import PRELOAD as BOUNDED_PRELOAD
from .identity import BUREAU_ACCOUNT, Account
from .orphans import SERVER_PREFIX, Server, claim, end_with, sweep_dead_servers, this_server
from .tasks import PRELOAD, run_task, write_json

KEEP_SECONDS = 3600.0
POLL_SECONDS = 0.05
SWEEP_SECONDS = 60.0
SCRATCH_PREFIX = "kongchuo-notice-"  # the 写通知 page's preview and download folders
DIED = "生成过程意外中止，未写出任何文件。"
STATES_FINISHED = ("done", "failed", "cancelled")
JOB_FILE = "job.json"  # a job's parameters and upload names, in its folder
INPUTS_KEPT = ("check-roster",)  # its 生成 (job_pages.follow_up) runs on its uploads


@dataclass
class Job:
    id: str
    owner: str  # who made it (`pages.owner`): her account, else her browser session
    task: str
    params: dict[str, Any]
    folder: Path
    names: dict[str, str]  # stored file name → the name the user uploaded (display only)
    state: str = "queued"  # queued, running, done, failed, cancelled
    process: multiprocessing.process.BaseProcess | None = None
    account: Account = BUREAU_ACCOUNT  # who asked for it (the 操作日志 names her)
    made: float = field(default_factory=time.time)  # epoch seconds
    ended: float | None = None  # epoch seconds
    expires: float = 0.0  # epoch seconds: `keep` after it was made, then after it ended
    inputs: list[tuple[str, int]] = field(default_factory=list)  # the uploads: name she gave, bytes

    @property
    def finished(self) -> bool:
        return self.state in STATES_FINISHED

    def status(self) -> dict[str, Any]:
        """The worker's outcome (``status.json``) once finished, else {}."""
        return read_json(self.folder / "status.json") if self.finished else {}

    def progress(self) -> dict[str, Any]:
        """``{"files": {title: [done, total]}}`` as the worker last wrote it."""
        return read_json(self.folder / "progress.json")


class Keeper(Protocol):
    """Where jobs outlive the server: `root` holds their folders, `record` keeps a job's state
    (called when it is queued, starts and ends), `forget` drops the jobs deleted."""

    root: Path

    def record(self, job: Job) -> None: ...

    def forget(self, job_ids: list[str]) -> None: ...


class JobManager:
    """The queue and the bounded pool; thread-safe. `on_finished(job)` is called (in the pool's thread,
    outside its lock) once for every job that ends: done, failed or cancelled."""

    def __init__(self, root: Path | None = None, *, workers: int = 2, keep: float = KEEP_SECONDS,
                 on_finished: Callable[[Job], None] | None = None, keeper: Keeper | None = None):  # fmt: skip
        if workers < 1:
            raise ValueError("workers must be at least 1")
        parent = Path(root) if root is not None else Path(tempfile.gettempdir())
        parent.mkdir(parents=True, exist_ok=True)
        sweep_dead_servers(parent)
        self.root = Path(tempfile.mkdtemp(prefix=SERVER_PREFIX, dir=parent))  # mode 0700
        claim(self.root)
        self.workers = workers
        self.keep = keep
        self._on_finished = on_finished
        self.keeper = keeper
        self._changed: list[Job] = []  # to hand to the keeper
        self._gone: list[str] = []  # ids of the jobs deleted, for the keeper
        self._jobs: dict[str, Job] = {}
        self._queue: deque[Job] = deque()
        self._lock = threading.Condition()
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload([*PRELOAD, *BOUNDED_PRELOAD])
        # started now, in the background: its imports take seconds the first page should not wait for
        threading.Thread(target=forkserver.ensure_running, name="kongchuo-forkserver", daemon=True).start()
        self._stopped = False
        self._swept = time.monotonic()
        self._thread = threading.Thread(target=self._loop, name="kongchuo-jobs", daemon=True)
        self._thread.start()

    def scratch_folder(self) -> Path:
        """A private folder for a page's own files (a preview, a download), swept after `keep`."""
        return Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=self.root))

    def new_folder(self) -> tuple[str, Path]:
        """A fresh private job folder (with ``in/``) and its id."""
        job_id = secrets.token_urlsafe(16)
        folder = (self.keeper.root if self.keeper is not None else self.root) / job_id
        (folder / "in").mkdir(parents=True, mode=0o700)
        if self.keeper is not None:  # outside this server's own folder: marked as its, for the next start
            claim(folder)
        return job_id, folder

    def submit(self, job_id: str, folder: Path, owner: str, task: str, params: dict[str, Any],
               names: dict[str, str], account: Account = BUREAU_ACCOUNT) -> Job:  # fmt: skip
        job = Job(job_id, owner, task, params, folder, names, account=account)
        job.expires = job.made + self.keep
        job.inputs = [(names.get(p.name, p.name), p.stat().st_size)
                      for p in sorted((folder / "in").rglob("*")) if p.is_file()]  # fmt: skip
        write_json(folder / JOB_FILE, {"params": params, "names": names})  # what a restart needs
        with self._lock:
            self._jobs[job_id] = job
            self._queue.append(job)
            self._changed.append(job)
            self._lock.notify_all()
        return job

    def restore(self, job: Job) -> None:
        """Take back a finished job a former server kept (`kept_jobs.restore_jobs`)."""
        with self._lock:
            self._jobs[job.id] = job

    def find(self, job_id: str) -> Job | None:
        """The job `job_id` whoever owns it (the caller decides who may see it)."""
        with self._lock:
            return self._jobs.get(job_id)

    def listed(self) -> list[Job]:
        """Every job this server knows (queued, running, finished and not expired), newest first."""
        with self._lock:
            return sorted(self._jobs.values(), key=lambda job: job.made, reverse=True)

    def position(self, job: Job) -> int:
        """How many jobs wait before `job` (0 when it runs or is next)."""
        with self._lock:
            return next((i for i, queued in enumerate(self._queue) if queued is job), 0)

    def cancel(self, job: Job) -> None:
        with self._lock:
            if job.finished:
                return
            if job in self._queue:
                self._queue.remove(job)
            elif job.process is not None:
                job.process.terminate()
                job.process.join(timeout=5)
            job.state = "cancelled"
            self._lock.notify_all()
        self._finished([job])
        self.discard(job)

    def discard(self, job: Job) -> None:
        """Forget `job` and delete its folder (when cancelled, or its 生成 took its uploads)."""
        with self._lock:
            self._jobs.pop(job.id, None)
            self._gone.append(job.id)
        shutil.rmtree(job.folder, ignore_errors=True)

    def wait(self, job: Job, timeout: float) -> bool:
        """Wait until `job` is finished; True when it is."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not job.finished:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
        return True

    def close(self) -> None:
        """Stop the pool: end running jobs and delete this server's folder (the keeper's stay: the next
        start says the running ones did not finish)."""
        with self._lock:
            self._stopped = True
            for job in self._jobs.values():
                if job.process is not None and job.process.is_alive():
                    job.process.terminate()
            self._lock.notify_all()
        self._thread.join(timeout=5)
        shutil.rmtree(self.root, ignore_errors=True)

    def _loop(self) -> None:
        while True:
            with self._lock:
                if self._stopped:
                    return
                ended = self._reap()
                self._start_queued()
                self._expire()
                changed, gone = self._changed, self._gone
                self._changed, self._gone = [], []
                if not ended and not changed and not gone:
                    self._lock.wait(POLL_SECONDS)
            for job in ended:
                if job.task not in INPUTS_KEPT:
                    shutil.rmtree(job.folder / "in", ignore_errors=True)  # a roster's names: gone with the job
            self._keep(changed, gone)
            self._finished(ended)

    def _keep(self, changed: list[Job], gone: list[str]) -> None:
        if self.keeper is None:
            return
        try:
            for job in {id(job): job for job in changed}.values():
                if job.id not in gone:
                    self.keeper.record(job)
            self.keeper.forget(gone)
        except Exception as exc:  # the store away: the jobs go on, kept until this server stops
            logging.getLogger("kongchuo_docs.web").error("任务记录写入失败：%s", type(exc).__name__)

    def _finished(self, jobs: list[Job]) -> None:
        if self._on_finished is None:
            return
        for job in jobs:
            try:
                self._on_finished(job)
            except Exception as exc:  # the log must not stop the pool; nothing of the job is logged
                logging.getLogger("kongchuo_docs.web").error("操作日志写入失败：%s", type(exc).__name__)

    def _running(self) -> list[Job]:
        return [j for j in self._jobs.values() if j.state == "running"]

    def _start_queued(self) -> None:
        while self._queue and len(self._running()) < self.workers:
            job = self._queue.popleft()
            job.process = self._context.Process(
                target=_run_job, args=(this_server(), job.task, job.params, str(job.folder), job.names), daemon=True
            )
            job.process.start()
            job.state = "running"
            self._changed.append(job)

    def _reap(self) -> list[Job]:
        """The running jobs whose process ended, now done or failed."""
        ended = []
        for job in self._running():
            assert job.process is not None
            if job.process.is_alive():
                continue
            job.process.join()
            status = read_json(job.folder / "status.json")
            job.state = status.get("state", "failed") if status else "failed"
            if not status:  # the process died without a word (killed, out of memory)
                write_json(job.folder / "status.json", {"state": "failed", "message": DIED})
            job.ended = time.time()
            job.expires = job.ended + self.keep
            ended.append(job)
            self._changed.append(job)
            self._lock.notify_all()
        return ended

    def _expire(self) -> None:
        now = time.time()
        for job in list(self._jobs.values()):
            if now > job.expires and job.state != "running":
                if job in self._queue:
                    self._queue.remove(job)
                self._jobs.pop(job.id, None)
                self._gone.append(job.id)
                shutil.rmtree(job.folder, ignore_errors=True)
        now = time.monotonic()
        if now - self._swept > SWEEP_SECONDS:
            self._swept = now
            self._sweep()

    def _sweep(self) -> None:
        """Delete the other folders made under `root` (previews, downloads) once older than `keep`."""
        oldest = time.time() - self.keep
        for folder in self.root.glob(f"{SCRATCH_PREFIX}*"):
            try:
                if folder.stat().st_mtime < oldest:
                    shutil.rmtree(folder, ignore_errors=True)
            except OSError:
                continue


def _run_job(server: Server, task: str, params: dict[str, Any], folder: str, names: dict[str, str]) -> None:
    """A job's process: ended with the server (`orphans.end_with`), then the task."""
    end_with(server)
    run_task(task, params, folder, names)


def read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}

