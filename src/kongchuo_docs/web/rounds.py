"""报送 (issue 21 #3), the 教育局's side: the rounds, opening one (units as checkboxes, all ticked), a
round's overview (every unit 已报/未报/有错误 with times), the 未报 list, closing, and 「汇总」 as a job
that runs the declared compile or register merge over the units' latest valid uploads.

A 乡镇 or 学校 sees the open rounds of its unit here and uploads on the round's page (`round_uploads`).
The store is the one beside the server's 单位设置 (or $KONGCHUO_DB), opened once per server.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from functools import partial
from pathlib import PurePath
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.background import BackgroundTask

from ..errors import KongchuoError
from ..profile import Profile
from ..rounds.forms import FORM_SELF_CHECK, ROUND_FORMS
from .audit_page import audit
from .identity import Account, current_account, require_bureau
from .pages import owner, render
from .security import Upload, require_csrf
from .store_access import county

if TYPE_CHECKING:  # SQLAlchemy loads with the first 报送 page, not with the server
    from ..store.database import Store
    from ..store.rounds import UnitState
    from ..store.tables import Round

router = APIRouter()
Asking = Annotated[Account, Depends(current_account)]  # whoever asks
Bureau = Annotated[Account, Depends(require_bureau)]  # the 教育局, else a Chinese 403


def round_of(request: Request, round_id: int) -> tuple[Store, Profile, Round]:
    from ..store.rounds import get_round

    store, profile = county(request)
    try:
        return store, profile, get_round(store, round_id)
    except KongchuoError:
        raise HTTPException(404, "没有这次报送。") from None


@router.get("/rounds", response_class=HTMLResponse)
def rounds_page(request: Request, account: Asking) -> HTMLResponse:
    from ..rounds.deadline import closing, time_left
    from ..store.rounds import list_rounds, now, unit_states

    store, _ = county(request)
    if account.is_bureau:
        at = now()
        rounds = [(r, closing(r.deadline, at), round_counts(unit_states(store, r))) for r in list_rounds(store)]
        return render(request, "rounds.html", rounds=rounds, account=account)
    mine = list_rounds(store, unit=account.unit, open_only=True)
    return render(request, "rounds.html", rounds=[(r, time_left(r.deadline, now())) for r in mine], account=account)


def round_counts(states: list[UnitState]) -> dict[str, int]:
    """How many of a round's units are 已报, 未报, 有错误, and 逾期 (the upload that counts, or else the
    latest, came after the deadline)."""
    from ..store.rounds import HAS_ERRORS, NOT_REPORTED, REPORTED

    counts = {s: sum(u.state == s for u in states) for s in (REPORTED, NOT_REPORTED, HAS_ERRORS)}
    return {**counts, "逾期": sum(bool(u.late) for u in states)}


@router.get("/rounds/new", response_class=HTMLResponse)
def new_round_page(request: Request, account: Bureau, form: str = FORM_SELF_CHECK) -> HTMLResponse:
    from ..rounds.forms import profile_units

    _, profile = county(request)
    refused = request.app.state.refused.pop((owner(request), "rounds/new"), None)
    form = form if form in ROUND_FORMS else FORM_SELF_CHECK
    all_units = {f: profile_units(profile, f) for f in ROUND_FORMS}
    values, problems = refused or ({"name": "", "form": form, "deadline": "", "units": all_units[form]}, [])
    return render(request, "round_new.html", status_code=400 if problems else 200, values=values,
                  problems=problems, forms=ROUND_FORMS, units=all_units[values["form"]])  # fmt: skip


@router.post("/rounds", dependencies=[Depends(require_csrf)])
async def open_round_post(request: Request, account: Bureau) -> Response:
    form = await request.form()
    values = {"name": str(form.get("name") or "").strip(), "form": str(form.get("form") or ""),
              "deadline": str(form.get("deadline") or "").strip(),
              "units": [str(u) for u in form.getlist("units")]}  # fmt: skip
    return await asyncio.to_thread(_open_round, request, account, values)  # the store is not the event loop's


def _open_round(request: Request, account: Account, values: dict[str, Any]) -> Response:
    """发起报送 from the form's `values`, or back to the form with its problems (audit: a round opened —
    its name, form, units, by whom)."""
    from ..rounds.forms import profile_units
    from ..store.rounds import open_round
    from ..support.normalize import NormalizeError, parse_date

    store, profile = county(request)
    problems: list[tuple[str, str]] = []
    if not values["name"]:
        problems.append(("field-name", "名称：请填写，如 2026年秋季学期自查"))
    if values["form"] not in ROUND_FORMS:
        problems.append(("field-form", f"报送的表格：应为 {'或'.join(ROUND_FORMS)}"))
        values["form"] = FORM_SELF_CHECK
    known = profile_units(profile, values["form"])
    if unknown := [u for u in values["units"] if u not in known]:
        problems.append(("field-units", f"报送单位：{'、'.join(unknown)[:60]} 不是单位设置中的乡镇或学校"))
    deadline = None
    try:
        deadline = parse_date(values["deadline"]) if values["deadline"] else None
        if deadline is None:
            problems.append(("field-deadline", "截止日期：请填写，如 2026-10-09"))
    except (NormalizeError, ValueError) as exc:
        problems.append(("field-deadline", f"截止日期：{exc}（{values['deadline'][:20]}）"))
    if not problems and deadline is not None:
        try:
            opened = open_round(store, name=values["name"], form=values["form"], deadline=deadline,
                                units=values["units"], opened_by=account.name)  # fmt: skip
            audit(request, "发起报送", account=account, task=opened.name,
                  counts=f"{opened.form}，{len(opened.units)} 个单位，截止 {opened.deadline:%Y-%m-%d}")  # fmt: skip
            return RedirectResponse(f"/rounds/{opened.id}", status_code=303)
        except KongchuoError as exc:
            problems.append(("field-units" if "单位" in str(exc) else "field-name", str(exc)))
    request.app.state.refused[(owner(request), "rounds/new")] = (values, problems)
    return RedirectResponse("/rounds/new", status_code=303)


@router.get("/rounds/{round_id}", response_class=HTMLResponse)
def round_page(request: Request, round_id: int, account: Asking) -> HTMLResponse:
    from ..rounds.deadline import late_note, time_left
    from ..rounds.forms import FORM_INPUTS
    from ..store.rounds import now, unit_states, uploads_of
    from ..store.tables import UPLOAD_FAILED
    from .blank_forms import form_links

    store, _, found = round_of(request, round_id)
    if not account.is_bureau and account.unit not in found.units:
        raise HTTPException(403, "这次报送不要求本单位报送：只能查看本单位的报送。")
    source = FORM_INPUTS[found.form]
    shown = request.app.state.refused.pop((owner(request), f"round-{round_id}"), {})
    just = next((u for u in uploads_of(store, found, unit=None if account.is_bureau else account.unit)
                 if u.id == shown.get("upload")), None)  # fmt: skip
    states = unit_states(store, found) if account.is_bureau else []
    counts = round_counts(states)
    mine = [] if account.is_bureau else uploads_of(store, found, unit=account.unit)
    if just is None and mine and mine[0].status == UPLOAD_FAILED:  # her last file's problems until she fixes it
        just = mine[0]
    problems = shown.get("problems", [])
    return render(request, "round.html", status_code=400 if problems else 200, round=found, states=states,
                  counts=counts, account=account, blank=form_links(request).get(source.blank_form),
                  suffixes=source.suffixes, uploads=mine, just=just, problems=problems, day=day,
                  left=time_left(found.deadline, now()), late=partial(late_note, found.deadline))  # fmt: skip


@router.get("/rounds/{round_id}/missing.xlsx")
def missing_list(request: Request, round_id: int, account: Bureau) -> Response:
    from ..rounds.compile import write_missing_list
    from ..store.rounds import unit_states

    store, _, found = round_of(request, round_id)
    target = request.app.state.jobs.scratch_folder() / "未报单位.xlsx"
    write_missing_list(found, unit_states(store, found), target)
    return FileResponse(target, filename=f"{found.name}-未报单位.xlsx",
                        background=BackgroundTask(shutil.rmtree, target.parent, ignore_errors=True))  # fmt: skip


@router.post("/rounds/{round_id}/close", dependencies=[Depends(require_csrf)])
def close_round_post(request: Request, round_id: int, account: Bureau) -> Response:
    from ..store.rounds import close_round

    store, _, found = round_of(request, round_id)
    reopen = found.closed_at is not None
    close_round(store, found.id, reopen=reopen)
    audit(request, "重新开放报送" if reopen else "结束报送", account=account, task=found.name)
    return RedirectResponse(f"/rounds/{round_id}", status_code=303)


@router.post("/rounds/{round_id}/compile", dependencies=[Depends(require_csrf)])
def compile_post(request: Request, round_id: int, account: Bureau) -> Response:
    """「汇总」: the declared task over the units' latest valid uploads (and, for the 自查表, the latest
    upload of each unit whose uploads all have errors: returned, `rounds.compile.round_inputs`), as a
    job (audit: the 汇总 started — the round, the units counted, by whom; the job's end is logged when
    it ends, `audit_page.job_entry`)."""
    from ..rounds.compile import round_inputs, round_task
    from ..store.rounds import counted_uploads
    from .job_pages import profile_param, start_job

    store, profile, found = round_of(request, round_id)
    task = round_task(found)
    try:
        inputs = round_inputs(store, found, profile)
    except KongchuoError as exc:
        raise HTTPException(409, f"{exc}。") from exc
    uploads = {key: [Upload(name, PurePath(name).suffix, data) for name, data in files]
               for key, files in inputs.items()}  # fmt: skip
    params = {"task": task.name, "values": {}, "manifest": False, **profile_param(request)}
    job = start_job(request, task.name, uploads, params, title=f"{found.name}（{task.title}）",
                    back=f"/rounds/{round_id}")  # fmt: skip
    audit(request, "开始汇总报送", account=account, task=found.name,
          counts=f"{len(counted_uploads(store, found))} 个单位的有效报送")  # fmt: skip
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def day(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"
