"""首页: the tasks as cards."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..declare import TASKS, Task
from .identity import current_account
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


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    me = current_account(request)
    return render(request, "home.html", cards=[c for c in CARDS if me.may_open(c[1])])
