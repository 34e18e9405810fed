"""A job's page: queued, progress per output file, problems by sheet/row/column, download, cancel.

Uploads are stored under names the server chooses (``000.xlsx``…); the names the user gave are
kept for display only and put back into every message.
"""

from __future__ import annotations

import shutil
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.background import BackgroundTask

from .app import owner, render
from .jobs import Job, JobManager
from .security import Upload, require_csrf
from .tasks import ERROR_WORKBOOK, RESULT

router = APIRouter()
REFRESH_SECONDS = 1  # a running job's page reloads itself (no script needed)


def start_job(request: Request, task: str, uploads: list[Upload], params: dict[str, Any],
              title: str, back: str) -> Job:  # fmt: skip
    """Store the uploads in a fresh private job folder and queue `task` on them."""
    jobs: JobManager = request.app.state.jobs
    job_id, folder = jobs.new_folder()
    names = {}
    for n, upload in enumerate(uploads):
        stored = f"{n:03d}{upload.suffix}"
        (folder / "in" / stored).write_bytes(upload.data)
        names[stored] = upload.display_name
    return jobs.submit(job_id, folder, owner(request), task, {**params, "title": title, "back": back}, names)


def profile_param(request: Request) -> dict[str, str]:
    """The job parameter naming the server's 单位设置 ("" when there is none yet: the job says so)."""
    path = request.app.state.config.profile_path()
    return {"profile": str(path) if path.is_file() else ""}


def follow_up(request: Request, job: Job, task: str, params: dict[str, Any], title: str) -> Job:
    """A new job on the same uploads as `job` (生成 after a passed 校验)."""
    jobs: JobManager = request.app.state.jobs
    job_id, folder = jobs.new_folder()
    for path in (job.folder / "in").iterdir():
        shutil.copyfile(path, folder / "in" / path.name)
    return jobs.submit(job_id, folder, job.owner, task, {**params, "title": title, "back": job.params["back"]},
                       dict(job.names))  # fmt: skip


def own_job(request: Request, job_id: str) -> Job:
    job = request.app.state.jobs.get(owner(request), job_id)
    if job is None:
        raise HTTPException(404, "找不到这项任务：可能已下载、已取消或已超过保留时间（1 小时）。")
    return job


def progress_rows(job: Job) -> tuple[int, int, list[tuple[str, int, int]]]:
    """Rows done and rows in all, and per output file (title, done, total)."""
    files = job.progress().get("files", {})
    rows = [(title, done, total) for title, (done, total) in files.items()]
    return sum(r[1] for r in rows), sum(r[2] for r in rows), rows


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str) -> HTMLResponse:
    job = own_job(request, job_id)
    done, total, files = progress_rows(job)
    return render(request, "job.html", job=job, status=job.status(), done=done, total=total, files=files,
                  position=request.app.state.jobs.position(job), refresh=REFRESH_SECONDS)  # fmt: skip


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
    """The zip of the outputs; the job and its folder are deleted once it is sent."""
    job = own_job(request, job_id)
    if job.state != "done" or not (job.folder / RESULT).is_file():
        raise HTTPException(409, "结果尚未生成。")
    jobs: JobManager = request.app.state.jobs
    name = f"{job.params.get('title', '结果')}.zip"
    return FileResponse(job.folder / RESULT, filename=name, background=BackgroundTask(jobs.discard, job))


@router.get("/jobs/{job_id}/errors")
def job_errors(request: Request, job_id: str) -> Response:
    job = own_job(request, job_id)
    path = job.folder / "out" / ERROR_WORKBOOK
    if not path.is_file():
        raise HTTPException(404, "没有错误标注表。")
    return FileResponse(path, filename=ERROR_WORKBOOK)


@router.post("/jobs/{job_id}/cancel", dependencies=[Depends(require_csrf)])
def job_cancel(request: Request, job_id: str) -> Response:
    job = own_job(request, job_id)
    request.app.state.jobs.cancel(job)
    return RedirectResponse(job.params.get("back", "/"), status_code=303)
