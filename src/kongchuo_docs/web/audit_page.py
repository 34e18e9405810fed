"""The 操作日志 (issue 21 #2) at the page: `audit` records what a request did, `job_entry` what a job
ended with; the 教育局 reads the log at ``/audit`` and downloads it as XLSX (cells written as text:
`xlsx_save` turns anything that would be a formula into a string).

Entries hold counts and the names of uploaded files, never a row of a roster nor a message about
one (those can quote a child's name or ID number)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse

from ..declare import TASKS
from ..store.audit import SUCCEEDED, Actor, AuditFilter, count_entries, entries, logged_names, record
from ..store.database import Store
from .identity import Account, current_account
from .jobs import Job
from .pages import render
from .store_access import county_store

router = APIRouter()  # the 教育局's (identity.PAGE_ROLES)
PAGE_SIZE = 100  # entries on one page of the log (the export holds every entry the filter lets through)
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


def read_filter(request: Request) -> tuple[AuditFilter, list[str]]:
    """The filter the query asks (``from``, ``to`` as 2026-09-01, ``user``, ``action``) and its problems
    in Chinese (a date that is none is left out of the filter)."""
    query, problems = request.query_params, []
    days: dict[str, dt.date | None] = {}
    for key, label in (("from", "起始日期"), ("to", "截止日期")):
        text = query.get(key, "").strip()
        try:
            days[key] = dt.date.fromisoformat(text) if text else None
        except ValueError:
            days[key] = None
            problems.append(f"{label}“{text}”不是日期：请写作 2026-09-01 这样的形式。")
    if days["from"] and days["to"] and days["from"] > days["to"]:
        problems.append("起始日期晚于截止日期：没有这样的时段。")
    return AuditFilter(days["from"], days["to"], query.get("user", ""), query.get("action", "")), problems


def _page_number(request: Request) -> int:
    text = request.query_params.get("page", "1")
    return int(text) if text.isdigit() and int(text) >= 1 else 1


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request) -> HTMLResponse:
    store = county_store(request)
    only, problems = read_filter(request)
    total = count_entries(store, only)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(_page_number(request), pages)
    rows = entries(store, only=only, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    accounts, actions = logged_names(store)
    kept = {k: v for k, v in request.query_params.items() if k != "page" and v}
    return render(request, "audit.html", status_code=400 if problems else 200, rows=rows, columns=COLUMNS,
                  only=only, problems=problems, total=total, page=page, pages=pages, accounts=accounts,
                  actions=actions, query=urlencode(kept))  # fmt: skip


@router.get("/audit.xlsx")
def audit_export(request: Request) -> FileResponse:
    """The entries the page's filter lets through, every one, as a print-ready workbook (the register
    writer: text cells, no formulas)."""
    from ..gbt9704 import format_date
    from ..writers.xlsx_register import RegisterColumn, RegisterSheet, write_register_xlsx

    only, problems = read_filter(request)
    if problems:
        raise HTTPException(400, "".join(problems))
    profile_unit = current_account(request).unit or "本单位"
    rows = tuple((f"{e.at:%Y-%m-%d %H:%M:%S}", e.account, e.role, e.unit, e.action, e.task, e.counts, e.files,
                  e.outcome) for e in entries(county_store(request), only=only))  # fmt: skip
    wide = {"单位", "任务", "数量", "文件", "结果"}
    columns = tuple(RegisterColumn(c, wrap=c in wide, align="left" if c in wide else "center") for c in COLUMNS)
    today = dt.date.today()
    told = f"（筛选：{only.described()}）" if only.described() else ""
    sheet = RegisterSheet("操作日志", "操作日志", f"单位：{profile_unit}", f"导出日期：{format_date(today)}{told}",
                          columns, rows)  # fmt: skip
    target = request.app.state.jobs.scratch_folder() / "操作日志.xlsx"
    write_register_xlsx(sheet, target)
    return FileResponse(target, filename=f"操作日志{today:%Y%m%d}.xlsx")
