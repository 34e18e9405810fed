"""The upload tasks other than letters (上传公文, 责任书, 自查报告, 整改, 汇总, 登记表): the page of each is
made from its declaration (`declare`): one file field per declared input (with a link to its blank
form), one field per declared option. Upload → the task runs in a job exactly as its command does
→ problems by cell, or the zip of the outputs.

A refused form is never a dead end: the page comes back (POST → redirect → GET) with what she
typed and a red summary at the top listing each problem, linked to its field.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from ..declare import TASKS, OptionError, Task
from .blank_forms import form_links
from .identity import current_account
from .job_pages import profile_param, start_job
from .pages import owner, render
from .security import MAX_FILES, Upload, UploadRejected, expand_zips, read_uploads, require_csrf
from .store_access import NoCounty, page_profile

router = APIRouter()


def _task(name: str) -> Task:
    if name not in TASKS or TASKS[name].page:  # a task with a page of its own (通知书) is there
        raise HTTPException(404, "没有这个页面。")
    return TASKS[name]


def default_values(task: Task) -> dict[str, Any]:
    """The form's first values: each option's default as the page shows it (今天 as today's date)."""
    values: dict[str, Any] = {}
    for o in task.options:
        if o.kind == "flag":
            values[o.name] = bool(o.default)
        elif o.kind == "switch":
            values[o.name] = ""
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
    values, problems = refused_or_defaults(request, task)
    return render(request, "batch.html", status_code=400 if problems else 200, task=task, values=values,
                  problems=problems, forms=form_links(request))  # fmt: skip


@router.post("/batch/{name}", dependencies=[Depends(require_csrf)])
async def batch_run(request: Request, name: str) -> Response:
    task = _task(name)
    sent = await read_task_form(request, task)
    if sent.problems:
        return sent.refuse(request, task)
    params = {"task": name, "values": sent.raw, "manifest": sent.manifest, **profile_param(request)}
    job = start_job(request, name, sent.uploads, params, title=task.title, back=task.url)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@dataclass
class SentForm:
    """A task's form as posted: the options' text, the uploads by input, and its problems (field
    id, message)."""

    raw: dict[str, Any]
    manifest: bool
    uploads: dict[str, list[Upload]]
    problems: list[tuple[str, str]]

    def refuse(self, request: Request, task: Task) -> Response:
        """Back to the task's page (POST → redirect → GET) with what she typed and the problems."""
        shown = {**self.raw, "manifest": self.manifest}
        shown.update({o.name: tuple(self.raw[o.name].split(",")) for o in task.options if o.kind == "choices"})
        request.app.state.refused[(owner(request), task.name)] = (shown, self.problems)
        return RedirectResponse(task.url, status_code=303)


async def read_task_form(request: Request, task: Task) -> SentForm:
    """Read the posted form of `task`: every option read as the command line reads it, every
    upload checked, the 单位设置 it needs (an account's units need it too) there and usable; all the
    problems, none raised."""
    form = await request.form(max_files=MAX_FILES + 1)
    problems: list[tuple[str, str]] = []
    if task.needs_profile or current_account(request).name:
        try:
            await asyncio.to_thread(page_profile, request)
        except NoCounty as exc:  # said on the task's page, before any job starts
            problems.append(("", str(exc)))
    raw: dict[str, Any] = {}
    for o in task.options:
        if o.kind == "flag":
            raw[o.name] = bool(form.get(o.name))
        elif o.kind == "choices":
            raw[o.name] = ",".join(str(v) for v in form.getlist(o.name))
        else:
            raw[o.name] = str(form.get(o.name) or "")
    _, refused = task.read_all(raw)
    problems += [(f"field-{e.option.name}", field_message(task, e)) for e in refused]
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
    return SentForm(raw, bool(form.get("manifest")), uploads, problems)


def field_message(task: Task, exc: OptionError) -> str:
    """A refused option value, as the page names it: by its field, never its ``--flag`` (a task's
    own check already names the value)."""
    if exc.option.check is None:
        return f"{exc.option.label}：{exc.message}（{exc.value}）"
    return f"{exc.option.label}：{task.door_words(exc.message.removeprefix(f'{exc.option.flag} '))}"


def refused_or_defaults(request: Request, task: Task) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The values and problems of her refused form (shown once), else the task's defaults."""
    refused = request.app.state.refused.pop((owner(request), task.name), None)
    return refused if refused else (default_values(task), [])


async def _read(files: list[UploadFile], suffixes: tuple[str, ...], multiple: bool) -> list[Upload]:
    if not multiple:
        if len(files) > 1:
            raise UploadRejected("此项只需上传一个文件。")
        return await read_uploads(files, suffixes)
    return await expand_zips(await read_uploads(files, (*suffixes, ".zip")), suffixes)
