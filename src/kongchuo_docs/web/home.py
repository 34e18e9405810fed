"""首页: the tasks as cards, and 最近的任务: the jobs she may open (`job_pages.seen_jobs`: her own, for
the 教育局 every unit's; kept jobs again after a restart), each with its state and how long it is kept."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..declare import TASKS, Task
from .identity import current_account
from .job_pages import kept_until, seen_jobs
from .jobs import Job
from .pages import render

router = APIRouter()

def _task_card(task: Task) -> tuple[str, str, str]:
    files = "、".join(i.label for i in task.inputs if i.required)
    return task.title, task.url, f"上传{files}，生成{task.outputs}"


CARDS = (
    ("写通知（公文）", "/notice", "红头通知、函：填表或上传 YAML，边写边看提纲，预览 A4 页面，下载 DOCX 和 PDF。"),
    *(_task_card(task) for task in TASKS.values() if task.name != "forms"),  # each declared task, in its order
    ("空白表格下载", TASKS["forms"].url, "各类录入表：表头、下拉选项与校验一致。"),
    ("模板", "/templates", "各类文书的措辞：在页面中修改，保存前检查，可恢复默认。"),
    ("单位设置", "/settings", "县名、机关名称、文号代字、学年、乡镇和学校：所有文书都取自这里。"),
)


STATES = {"queued": "排队中", "running": "正在生成", "done": "已完成", "failed": "未完成", "cancelled": "已取消"}


def job_row(job: Job, bureau: bool) -> dict[str, str]:
    """One line of 最近的任务: what, when, its state, until when it is kept, and (for the 教育局 with
    accounts) who submitted it."""
    made = dt.datetime.fromtimestamp(job.made)
    return {"href": f"/jobs/{job.id}", "title": str(job.params.get("title", "任务")), "state": STATES[job.state],
            "made": f"{made:%m-%d %H:%M}", "until": kept_until(job) if job.finished else "",
            "who": (job.account.unit or job.account.name or "（无账号时提交）") if bureau else ""}  # fmt: skip


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    me = current_account(request)
    who = me.is_bureau and bool(me.name)  # the 教育局 sees every unit's jobs: whose each is
    jobs = [job_row(job, who) for job in seen_jobs(request)]
    return render(request, "home.html", cards=[c for c in CARDS if me.may_open(c[1])], jobs=jobs, who=who)
