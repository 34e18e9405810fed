"""入学/劝返/责令通知书: upload a roster → its problems by sheet, row and column (and the marked
error workbook) → 生成 with progress per school → the zip of the letters and manifest.json."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..kinds.letters import KINDS
from ..readers.table import CSV_SUFFIXES, EXCEL_SUFFIXES
from .app import render
from .job_pages import follow_up, own_job, profile_param, start_job
from .security import UploadRejected, read_uploads, require_csrf

router = APIRouter()
SUFFIXES = (*EXCEL_SUFFIXES, ".csv")
assert set(SUFFIXES) <= set(EXCEL_SUFFIXES) | set(CSV_SUFFIXES)


@router.get("/letters", response_class=HTMLResponse)
def letters_page(request: Request) -> HTMLResponse:
    return render(request, "letters.html", kinds=KINDS, suffixes=SUFFIXES)


@router.post("/letters/check", dependencies=[Depends(require_csrf)])
async def letters_check(request: Request, roster: Annotated[UploadFile, File()],
                        kind: Annotated[str, Form()] = "入学", per_record: Annotated[str, Form()] = "",
                        manifest: Annotated[str, Form()] = "") -> Response:
    if kind not in KINDS:
        raise HTTPException(400, f"未知的通知书种类：{kind}")
    try:
        uploads = await read_uploads([roster], SUFFIXES)
    except UploadRejected as exc:
        return render(request, "letters.html", status_code=400, kinds=KINDS, suffixes=SUFFIXES, error=str(exc))
    params = {"kind": kind, "per_record": bool(per_record), "manifest": bool(manifest), **profile_param(request)}
    title = f"名册校验（{uploads[0].display_name}）"
    job = start_job(request, "check-roster", {"roster": uploads[:1]}, params, title=title, back="/letters")
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.post("/letters/generate/{job_id}", dependencies=[Depends(require_csrf)])
def letters_generate(request: Request, job_id: str) -> Response:
    """生成 after a passed check: the same roster, in a new job."""
    checked = own_job(request, job_id)
    if checked.task != "check-roster" or checked.status().get("invalid", 1):
        raise HTTPException(409, "名册尚未通过校验。")
    kind = checked.params["kind"]
    params = {key: checked.params[key] for key in ("kind", "per_record", "manifest", "profile")}
    job = follow_up(request, checked, "letters", params, title=f"{kind}通知书")
    request.app.state.jobs.discard(checked)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)
