"""入学/劝返/责令通知书: the form made from the letters' declaration (`declare`) → upload a roster →
its problems by sheet, row and column (and the marked error workbook), or the first letter and
the warnings (`letters_check`) → 生成 with progress per school → the zip of the letters."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..declare import TASKS, OptionError
from .blank_forms import form_links
from .job_pages import follow_up, own_job, profile_param, start_job
from .pages import render
from .security import require_csrf
from .tables import read_task_form, refused_or_defaults

router = APIRouter()
LETTERS = TASKS["letters"]


@router.get("/letters", response_class=HTMLResponse)
def letters_page(request: Request) -> HTMLResponse:
    values, problems = refused_or_defaults(request, LETTERS)
    return render(request, "letters.html", status_code=400 if problems else 200, task=LETTERS, values=values,
                  problems=problems, forms=form_links(request))  # fmt: skip


@router.post("/letters/check", dependencies=[Depends(require_csrf)])
async def letters_check(request: Request) -> Response:
    sent = await read_task_form(request, LETTERS)
    if sent.problems:
        return sent.refuse(request, LETTERS)
    params = {"task": "letters", "values": sent.raw, "manifest": sent.manifest, **profile_param(request)}
    title = f"名册校验（{sent.uploads['roster'][0].display_name}）"
    job = start_job(request, "check-roster", sent.uploads, params, title=title, back=LETTERS.url)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.post("/letters/generate/{job_id}", dependencies=[Depends(require_csrf)])
async def letters_generate(request: Request, job_id: str) -> Response:
    """生成 after a passed check: the same roster and choices, in a new job; the one-click fix of
    the 校验通过 page sends its 成文日期 along."""
    checked = own_job(request, job_id)
    if checked.task != "check-roster" or not checked.status().get("can_generate"):
        raise HTTPException(409, "名册尚未通过校验。")
    values = dict(checked.params["values"])
    form = await request.form()
    if form.get("date"):
        try:
            LETTERS.option("date").read(str(form["date"]))
        except OptionError as exc:
            raise HTTPException(400, f"成文日期：{exc.message}") from None
        values["date"] = str(form["date"])
    kind = values.get("kind") or "入学"
    params = {**{k: checked.params[k] for k in ("task", "manifest", "profile")}, "values": values}
    job = follow_up(request, checked, "letters", params, title=f"{kind}通知书")
    request.app.state.jobs.discard(checked)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)
