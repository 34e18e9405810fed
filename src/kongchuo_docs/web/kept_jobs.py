"""Jobs that outlive the server (issue 21 #5): when the page has a store, job folders are made in the
work folder's ``kongchuo-docs-jobs`` (``serve --work-dir``, else beside the 单位设置 — not the system
temporary folder) and each job's record is kept in the store (`store.jobs`). The next start takes
back the finished jobs that have not expired, so their page and download work for their owner and the
教育局 until then; a job that was queued or running is marked failed (`RESTARTED`); expired jobs'
folders and rows are deleted. The store holds no roster content: only the names the clerk gave her
uploads, sizes and counts.

Without accounts a job belongs to the browser session that made it (`pages.owner`). The key that
signs the session cookie is kept in the same folder (`session_key`), so her browser's session, and
with it her jobs, outlives the restart too; another browser still sees none of them."""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .identity import Account
from .jobs import JOB_FILE, SWEEP_SECONDS, Job, JobManager, read_json
from .orphans import owner_alive
from .tasks import RESULT, write_json

if TYPE_CHECKING:
    from ..store.database import Store
    from ..store.tables import KeptJob

KEPT_FOLDER = "kongchuo-docs-jobs"
JOB_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")  # secrets.token_urlsafe, as `JobManager.new_folder` makes them
RESTARTED = "服务器重启，任务未完成，请重新提交。"
SESSION_KEY = "session.key"  # in the kept folder: signs the page's session cookie across restarts


def kept_root(work_dir: Path | None, profile: Path) -> Path:
    """The folder kept jobs live in: in `work_dir`, else beside the 单位设置 `profile` (mode 0700)."""
    root = (work_dir or profile.parent) / KEPT_FOLDER
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def session_key(root: Path) -> str:
    """The key that signs the page's session cookie, kept in `root` (mode 0600, made on the first
    start; two servers starting at once on one folder get the same key)."""
    path = root / SESSION_KEY
    if not path.is_file():
        made = root / f"{SESSION_KEY}.{secrets.token_hex(8)}"
        descriptor = os.open(made, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_urlsafe(32))
        try:
            os.link(made, path)  # whole or not at all; the first server's key wins
        except FileExistsError:
            pass
        finally:
            made.unlink()
    return path.read_text(encoding="ascii").strip()


class StoreKeeper:
    """The `jobs.Keeper` of a page with a store; `store()` gives the page's store now (None: nothing kept)."""

    def __init__(self, root: Path, store: Callable[[], Store | None]):
        self.root = root
        self.store = store

    def record(self, job: Job) -> None:
        from ..store.jobs import keep_job

        store = self.store()
        if store is not None and job.state != "cancelled":
            keep_job(store, row_values(job))

    def forget(self, job_ids: list[str]) -> None:
        from ..store.jobs import forget_jobs

        store = self.store()
        if store is not None:
            forget_jobs(store, job_ids)


def row_values(job: Job) -> dict[str, Any]:
    """The store's record of `job` (`store.tables.KeptJob`)."""
    result = job.folder / RESULT
    return {"id": job.id, "owner": job.owner, "account": job.account.name, "role": job.account.role,
            "unit": job.account.unit, "task": job.task, "title": str(job.params.get("title", "")),
            "state": job.state, "inputs": [list(i) for i in job.inputs],
            "outputs": len(job.status().get("files", [])),
            "result_bytes": result.stat().st_size if result.is_file() else 0,
            "made_at": _local(job.made), "finished_at": _local(job.ended) if job.ended else None,
            "expires_at": _local(job.expires)}  # fmt: skip


def restore_jobs(jobs: JobManager, keeper: StoreKeeper) -> None:
    """Give `jobs` back the county's kept jobs that have not expired (one that did not finish: failed,
    `RESTARTED`, its uploads deleted); delete the expired ones and the folders no record names."""
    from ..store.jobs import forget_jobs, keep_job, kept_job_ids, kept_jobs

    store = keeper.store()
    if store is None:
        return
    now = time.time()
    gone = []
    for row in kept_jobs(store):
        if not JOB_ID.fullmatch(row.id):  # never a path of a row's making
            gone.append(row.id)
            continue
        folder = keeper.root / row.id
        saved = read_json(folder / JOB_FILE)
        if row.expires_at.timestamp() < now or not saved:
            gone.append(row.id)
            shutil.rmtree(folder, ignore_errors=True)
            continue
        job = _job(row, folder, saved)
        if not job.finished:
            job.state, job.ended, job.expires = "failed", now, now + jobs.keep
            shutil.rmtree(folder / "in", ignore_errors=True)
            write_json(folder / "status.json", {"state": "failed", "message": RESTARTED})
            keep_job(store, row_values(job))
        jobs.restore(job)
    forget_jobs(store, gone)
    known = kept_job_ids(store)  # of every county: a work folder may serve several
    for folder in keeper.root.iterdir():
        if not folder.is_dir():  # the session key
            continue
        # a folder no record names: its server died before writing the record (SIGKILL just after an
        # upload), or it was made by a live server a moment ago and its record is on the way
        if folder.name not in known and (not owner_alive(folder) or folder.stat().st_mtime < now - SWEEP_SECONDS):
            shutil.rmtree(folder, ignore_errors=True)


def _job(row: KeptJob, folder: Path, saved: dict[str, Any]) -> Job:
    account = Account(row.account, row.role, row.unit)  # type: ignore[arg-type]
    return Job(row.id, row.owner, row.task, saved["params"], folder, saved["names"], state=row.state,
               account=account, made=row.made_at.timestamp(),
               ended=row.finished_at.timestamp() if row.finished_at else None, expires=row.expires_at.timestamp(),
               inputs=[(name, size) for name, size in row.inputs])  # fmt: skip


def _local(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch)
