"""The Excel-driven tasks other than letters (责任书, 自查报告, 整改, 汇总, 登记表): the page of each is
made from its declaration (`declare`): one file field per declared input (with a link to its blank
form), one field per declared option. Upload → the task runs in a job exactly as its command does
→ problems by cell, or the zip of the outputs.

A refused form is never a dead end: the page comes back (POST → redirect → GET) with what she
typed and a red summary at the top listing each problem, linked to its field.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from ..declare import TASKS, Task
from .app import owner, render
from .blank_forms import form_links
from .job_pages import profile_param, start_job
from .security import MAX_FILES, Upload, UploadRejected, expand_zips, read_uploads, require_csrf

router = APIRouter()


def _task(name: str) -> Task:
    if name not in TASKS:
        raise HTTPException(404, "没有这个页面。")
    return TASKS[name]


def default_values(task: Task) -> dict[str, Any]:
    """The form's first values: each option's default as the page shows it (今天 as today's date)."""
    values: dict[str, Any] = {}
    for o in task.options:
        if o.kind == "flag":
            values[o.name] = bool(o.default)
        elif o.kind == "date" and o.default is not None:
            values[o.name] = o.read(None).isoformat()
        elif o.kind == "choices":
            values[o.name] = tuple((o.default or "").split(","))
        else:
            values[o.name] = o.default or ""
    return values


@router.get("/batch/{name}", response_class=HTMLResponse)
def batch_page(request: Request, name: str) -> HTMLResponse:
    task = _task(name)
    refused = request.app.state.refused.pop((owner(request), name), None)
    values, problems = refused if refused else (default_values(task), [])
    return render(request, "batch.html", status_code=400 if problems else 200, task=task, values=values,
                  problems=problems, forms=form_links(request))  # fmt: skip


@router.post("/batch/{name}", dependencies=[Depends(require_csrf)])
async def batch_run(request: Request, name: str) -> Response:
    task = _task(name)
    form = await request.form(max_files=MAX_FILES + 1)
    raw: dict[str, Any] = {}
    for o in task.options:
        if o.kind == "flag":
            raw[o.name] = bool(form.get(o.name))
        elif o.kind == "choices":
            raw[o.name] = ",".join(str(v) for v in form.getlist(o.name))
        else:
            raw[o.name] = str(form.get(o.name) or "")
    raw_manifest = bool(form.get("manifest"))
    problems: list[tuple[str, str]] = []  # (field id, message)
    _, refused = task.read_all(raw)
    problems += [(f"field-{e.option.name}", f"{e.option.label}：{e.message}（{e.value}）") for e in refused]
    uploads: dict[str, list[Upload]] = {}
    for i in task.inputs:
        files = [f for f in form.getlist(i.name) if isinstance(f, UploadFile) and f.filename]
        if not files:
            if i.required:
                problems.append((f"field-{i.name}", f"{i.label}：请选择文件。"))
            continue
        try:
            uploads[i.name] = await _read(files, i.suffixes, i.multiple)
        except UploadRejected as exc:
            problems.append((f"field-{i.name}", f"{i.label}：{exc}"))
    if problems:
        shown = {**raw, "manifest": raw_manifest}
        shown.update({o.name: tuple(raw[o.name].split(",")) for o in task.options if o.kind == "choices"})
        request.app.state.refused[(owner(request), name)] = (shown, problems)
        return RedirectResponse(f"/batch/{name}", status_code=303)
    params = {"task": name, "values": raw, "manifest": raw_manifest, **profile_param(request)}
    job = start_job(request, name, uploads, params, title=task.title, back=f"/batch/{name}")
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


async def _read(files: list[UploadFile], suffixes: tuple[str, ...], multiple: bool) -> list[Upload]:
    if not multiple:
        if len(files) > 1:
            raise UploadRejected("此项只需上传一个文件。")
        return await read_uploads(files, suffixes)
    return expand_zips(await read_uploads(files, (*suffixes, ".zip")), suffixes)
