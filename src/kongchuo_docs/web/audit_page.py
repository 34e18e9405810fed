"""The 操作日志 (issue 21 #2) at the page: `audit` records what a request did, `job_entry` what a job
ended with; the 教育局 reads the log at ``/audit`` and downloads it as XLSX (cells written as text:
`xlsx_save` turns anything that would be a formula into a string).

Entries hold counts and the names of uploaded files, never a row of a roster nor a message about
one (those can quote a child's name or ID number)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse

from ..declare import TASKS
from ..store.audit import SUCCEEDED, Actor, entries, record
from ..store.database import Store
from .identity import Account, current_account
from .jobs import Job
from .pages import render

router = APIRouter()  # the 教育局's (identity.PAGE_ROLES)
SHOWN = 500  # entries on the page (the export holds all)
OUTCOMES = {"done": SUCCEEDED, "failed": "失败", "cancelled": "已取消"}
COLUMNS = ("时间", "用户名", "角色", "单位", "操作", "任务", "数量", "文件", "结果")


def actor(account: Account) -> Actor:
    return Actor(account.name, account.role, account.unit)


def audit(request: Request, action: str, *, account: Account | None = None, task: str = "", counts: str = "",
          files: Sequence[str] = (), outcome: str = SUCCEEDED) -> None:  # fmt: skip
    """Record `action` by `account` (default: the request's) in the 操作日志 — blocking: call it from
    a sync route or through ``run_in_threadpool``. Nothing when the page has no store yet."""
    store = request.app.state.store
    if store is not None:
        record(store, actor(account or current_account(request)), action, task=task, counts=counts, files=files,
               outcome=outcome)  # fmt: skip


def task_title(job: Job) -> str:
    """The declared task's title (`declare`), else the title the page gave the job."""
    name = job.params.get("task", "")
    return TASKS[name].title if name in TASKS else str(job.params.get("title", job.task))


def job_entry(store: Store, job: Job) -> None:
    """The line of a finished job: its task, files written, rows, errors and warnings, uploads, outcome."""
    status = job.status()
    rows = sum(done for done, _ in job.progress().get("files", {}).values())
    problems = [p.get("severity") for p in status.get("problems", [])]
    counts = [f"写出 {len(status.get('files', []))} 个文件"] if job.state == "done" else []
    counts += [f"{rows} 行"] if rows else []
    counts += [f"略去其他学校 {status['left_out_rows']} 行"] if status.get("left_out_rows") else []
    counts += [f"{problems.count('错误')} 处错误"] if "错误" in problems else []
    counts += [f"{problems.count('警告')} 处警告"] if "警告" in problems else []
    record(store, actor(job.account), "生成", task=task_title(job), counts="，".join(counts),
           files=sorted(job.names.values()), outcome=OUTCOMES.get(job.state, job.state))  # fmt: skip


def _store(request: Request) -> Store:
    store = request.app.state.store
    if store is None:
        raise HTTPException(409, "还没有单位设置：请先在“单位设置”页填写并保存，操作日志随后开始记录。")
    return store


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request) -> HTMLResponse:
    rows = entries(_store(request), limit=SHOWN)
    return render(request, "audit.html", rows=rows, shown=SHOWN, columns=COLUMNS)


@router.get("/audit.xlsx")
def audit_export(request: Request) -> FileResponse:
    """The whole log as a print-ready workbook (the register writer: text cells, no formulas)."""
    from ..gbt9704 import format_date
    from ..writers.xlsx_register import RegisterColumn, RegisterSheet, write_register_xlsx

    profile_unit = current_account(request).unit or "本单位"
    rows = tuple((f"{e.at:%Y-%m-%d %H:%M:%S}", e.account, e.role, e.unit, e.action, e.task, e.counts, e.files,
                  e.outcome) for e in entries(_store(request)))  # fmt: skip
    wide = {"单位", "任务", "数量", "文件", "结果"}
    columns = tuple(RegisterColumn(c, wrap=c in wide, align="left" if c in wide else "center") for c in COLUMNS)
    today = dt.date.today()
    sheet = RegisterSheet("操作日志", "操作日志", f"单位：{profile_unit}", f"导出日期：{format_date(today)}", columns,
                          rows)  # fmt: skip
    target = request.app.state.jobs.scratch_folder() / "操作日志.xlsx"
    write_register_xlsx(sheet, target)
    return FileResponse(target, filename=f"操作日志{today:%Y%m%d}.xlsx")
