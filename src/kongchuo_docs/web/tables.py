"""The Excel-driven kinds other than letters (责任书, 自查报告, 整改, 汇总, 登记表): upload → the
kind runs in a job exactly as its CLI command does → problems by cell, or the zip of the outputs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .app import render
from .job_pages import profile_param, start_job
from .security import UploadRejected, expand_zips, read_uploads, require_csrf

router = APIRouter()


@dataclass(frozen=True)
class Batch:
    title: str
    what: str  # what to upload
    suffixes: tuple[str, ...]
    multiple: bool = False


XLSX_CSV_YAML = (".xlsx", ".csv", ".yaml", ".yml")
XLSX_YAML = (".xlsx", ".yaml", ".yml")
BATCHES = {
    "agreements": Batch("目标责任书", "责任书名单（.xlsx/.csv 或 YAML）", XLSX_CSV_YAML),
    "self-check": Batch("自查报告", "填好的自查表（.xlsx 或 YAML，可多选或打包为 zip）", XLSX_YAML, True),
    "rectification": Batch("整改通知与问题清单", "检查发现问题表（.xlsx/.csv 或 YAML）", XLSX_CSV_YAML),
    "compile": Batch("阶段汇总（全县工作总结）", "各单位的自查表（.xlsx 或 YAML，可多选或打包为 zip）", XLSX_YAML,
                     True),
    "register-build": Batch("问题线索移送登记表", "线索表（.xlsx/.csv 或 YAML）", XLSX_CSV_YAML),
    "register-merge": Batch("问题线索登记表汇总", "各单位报送的登记表（可多选或打包为 zip）", XLSX_CSV_YAML, True),
}


def _batch(task: str) -> Batch:
    if task not in BATCHES:
        raise HTTPException(404, "没有这个页面。")
    return BATCHES[task]


@router.get("/batch/{task}", response_class=HTMLResponse)
def batch_page(request: Request, task: str) -> HTMLResponse:
    return render(request, "batch.html", task=task, batch=_batch(task))


@router.post("/batch/{task}", dependencies=[Depends(require_csrf)])
async def batch_run(request: Request, task: str, files: Annotated[list[UploadFile], File()]) -> Response:
    batch = _batch(task)
    try:
        if batch.multiple:
            uploads = await expand_zips(await read_uploads(files, (*batch.suffixes, ".zip")), batch.suffixes)
        else:
            uploads = await read_uploads(files, batch.suffixes)
        if len(uploads) > 1 and not batch.multiple:
            raise UploadRejected("此项只需上传一个文件。")
    except UploadRejected as exc:
        return render(request, "batch.html", status_code=400, task=task, batch=batch, error=str(exc))
    job = start_job(request, task, uploads, profile_param(request), title=batch.title, back=f"/batch/{task}")
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)
