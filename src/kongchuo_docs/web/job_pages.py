"""A job's page: queued, progress per output file, problems by sheet/row/column, download, cancel.

Uploads are stored in ``in/<input>/`` under the names the clerk gave them, made safe by
`stored_name` (only letters, digits, CJK and a few marks; the suffix the page accepted), so the
名字 she knows is the one in 报送单位, 报送情况 and the manifest. The full name she uploaded (a zip's
member with the zip's name) is kept for display and put back into every message.
"""

from __future__ import annotations

import datetime
import re
import secrets
import shutil
from pathlib import PurePath
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response

from ..kinds.letters import ERROR_WORKBOOK
from .identity import current_account
from .jobs import Job, JobManager
from .letters_check import FIRST_PAGE
from .pages import owner, render
from .security import Upload, require_csrf
from .tasks import RESULT

router = APIRouter()
REFRESH_SECONDS = 1  # a running job's page reloads itself (no script needed)


def start_job(request: Request, task: str, uploads: dict[str, list[Upload]], params: dict[str, Any],
              title: str, back: str) -> Job:  # fmt: skip
    """Store the uploads (by input name) in a fresh private job folder and queue `task` on them."""
    jobs: JobManager = request.app.state.jobs
    job_id, folder = jobs.new_folder()
    names = {}
    for key, files in uploads.items():
        (folder / "in" / key).mkdir(mode=0o700)
        used: set[str] = set()
        for upload in files:
            stored = stored_name(upload, used)
            (folder / "in" / key / stored).write_bytes(upload.data)
            names[stored] = upload.display_name
    account = current_account(request)
    scope = {"scope": [account.role, account.unit]} if account.name else {}  # whose rows (identity.job_scope)
    return jobs.submit(job_id, folder, owner(request), task, {**params, **scope, "title": title, "back": back},
                       names, account=account)  # fmt: skip


# kept: letters, digits, CJK and its marks (not the full-width ／＼), ()-_ and space
_UNSAFE = re.compile(r"[^0-9A-Za-z\u3400-\u9fff\u3001-\u303f\uff01-\uff0e\uff10-\uff3b\uff3d-\uff5e"
                     r"\u2014\u00b7()\-_ ]+")
NAME_CHARS = 60  # of a stored name's stem


def stored_name(upload: Upload, used: set[str]) -> str:
    """The file name an upload is stored under: the stem of the name she gave, every character
    other than letters, digits, CJK and its full-width marks (、（）【】—·…), ()-_ and space dropped,
    never empty or hidden, the suffix the page accepted, numbered when two are the same. Never a
    path: no separator, no dot but the suffix's."""
    stem = _UNSAFE.sub("", PurePath(upload.display_name).stem).strip(" -_")[:NAME_CHARS] or "上传的文件"
    name, n = f"{stem}{upload.suffix}", 1
    while name.lower() in used:
        n += 1
        name = f"{stem}（{n}）{upload.suffix}"
    used.add(name.lower())
    return name


def profile_param(request: Request) -> dict[str, str]:
    """The job parameter naming the server's 单位设置 ("" when there is none yet: the job says so)."""
    path = request.app.state.config.profile_path()
    return {"profile": str(path) if path.is_file() else ""}


def follow_up(request: Request, job: Job, task: str, params: dict[str, Any], title: str) -> Job:
    """A new job on the same uploads as `job` (生成 after a passed 校验), for the same account's rows."""
    jobs: JobManager = request.app.state.jobs
    job_id, folder = jobs.new_folder()
    shutil.copytree(job.folder / "in", folder / "in", dirs_exist_ok=True)
    scope = {"scope": job.params["scope"]} if "scope" in job.params else {}
    return jobs.submit(job_id, folder, job.owner, task, {**params, **scope, "title": title,
                       "back": job.params["back"]}, dict(job.names), account=job.account)  # fmt: skip


def may_see(request: Request, job: Job) -> bool:
    """Whether this request may see `job`: its owner's (`pages.owner`: her account, else her browser's
    session, which outlives a restart: `kept_jobs.session_key`); with accounts the 教育局 every unit's."""
    if secrets.compare_digest(job.owner.encode(), owner(request).encode()):
        return True
    me = current_account(request)
    return me.is_bureau and bool(me.name)


def own_job(request: Request, job_id: str) -> Job:
    """The job `job_id` when this request may see it (`may_see`); another account's job is a Chinese
    403, an unknown one (or another session's) a 404."""
    job = request.app.state.jobs.find(job_id)
    if job is not None and may_see(request, job):
        return job
    if job is not None and current_account(request).name:
        raise HTTPException(403, "这项任务是其他账号提交的，只有提交它的单位和教育局可以查看。")
    raise HTTPException(404, "找不到这项任务：可能已取消或已超过保留时间，请重新上传。")


def seen_jobs(request: Request) -> list[Job]:
    """The jobs this request may see (`may_see`), newest first: the home page's 最近的任务."""
    return [job for job in request.app.state.jobs.listed() if may_see(request, job)]


def progress_rows(job: Job) -> tuple[int, int, list[tuple[str, int, int]]]:
    """Rows done and rows in all, and per output file (title, done, total)."""
    files = job.progress().get("files", {})
    rows = [(title, done, total) for title, (done, total) in files.items()]
    return sum(r[1] for r in rows), sum(r[2] for r in rows), rows


def kept_until(job: Job) -> str:
    """The time of day (this computer's clock) until which the job's result can be downloaded."""
    return datetime.datetime.fromtimestamp(job.expires).strftime("%H:%M")


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str) -> HTMLResponse:
    job = own_job(request, job_id)
    done, total, files = progress_rows(job)
    keep_hours = request.app.state.jobs.keep / 3600
    return render(request, "job.html", job=job, status=job.status(), done=done, total=total, files=files,
                  position=request.app.state.jobs.position(job), refresh=REFRESH_SECONDS,
                  until=kept_until(job), keep=f"{keep_hours:g} 小时" if keep_hours >= 1 else
                  f"{request.app.state.jobs.keep / 60:g} 分钟")  # fmt: skip


@router.get("/jobs/{job_id}/progress")
def job_progress(request: Request, job_id: str) -> JSONResponse:
    job = own_job(request, job_id)
    done, total, files = progress_rows(job)
    status = job.status()
    return JSONResponse({"state": job.state, "done": done, "total": total,
                         "files": [{"title": t, "done": d, "total": n} for t, d, n in files],
                         "problems": len(status.get("problems", [])), "message": status.get("message"),
                         "cpu_seconds": status.get("cpu_seconds")})


@router.get("/jobs/{job_id}/download")
def job_download(request: Request, job_id: str) -> Response:
    """The zip of the outputs; it can be downloaded again until the job expires."""
    job = own_job(request, job_id)
    if job.state != "done" or not (job.folder / RESULT).is_file():
        raise HTTPException(409, "结果尚未生成。")
    name = f"{job.params.get('title', '结果')}.zip"
    return FileResponse(job.folder / RESULT, filename=name)


@router.get("/jobs/{job_id}/errors")
def job_errors(request: Request, job_id: str) -> Response:
    job = own_job(request, job_id)
    path = job.folder / "out" / ERROR_WORKBOOK
    if not path.is_file():
        raise HTTPException(404, "没有错误标注表。")
    return FileResponse(path, filename=ERROR_WORKBOOK)


@router.get("/jobs/{job_id}/first-letter.png")
def job_first_letter(request: Request, job_id: str) -> Response:
    """The first letter's page image of a passed 校验."""
    path = own_job(request, job_id).folder / FIRST_PAGE
    if not path.is_file():
        raise HTTPException(404, "没有预览。")
    return FileResponse(path, media_type="image/png")


@router.post("/jobs/{job_id}/cancel", dependencies=[Depends(require_csrf)])
def job_cancel(request: Request, job_id: str) -> Response:
    job = own_job(request, job_id)
    request.app.state.jobs.cancel(job)
    return RedirectResponse(job.params.get("back", "/"), status_code=303)
