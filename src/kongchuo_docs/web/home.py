"""首页: the tasks as cards."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from .app import render

router = APIRouter()

CARDS = (
    ("写通知（公文）", "/notice", "红头通知、函：填表或上传 YAML，边写边看提纲，预览 A4 页面，下载 DOCX 和 PDF。"),
    ("入学/劝返/责令通知书", "/letters", "上传学生名册，逐格校验，按学校批量生成通知书。"),
    ("目标责任书", "/batch/agreements", "上传责任书名单，每个乙方一份。"),
    ("自查报告", "/batch/self-check", "上传填好的自查表，生成自查报告。"),
    ("整改通知与问题清单", "/batch/rectification", "上传检查发现问题表，每个单位一份整改通知和全县问题清单。"),
    ("阶段汇总", "/batch/compile", "上传各单位的自查表（可多选），生成全县工作总结和汇总表。"),
    ("问题线索登记表（生成）", "/batch/register-build", "由线索表生成可打印的登记表。"),
    ("问题线索登记表（合并）", "/batch/register-merge", "合并各单位报送的登记表，一行不丢。"),
    ("空白表格下载", "/forms", "各类录入表：表头、下拉选项与校验一致。"),
    ("模板", "/templates", "各类文书的措辞：在页面中修改，保存前检查，可恢复默认。"),
    ("单位设置", "/settings", "县名、机关名称、文号代字、学年、乡镇和学校：所有文书都取自这里。"),
)


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    return render(request, "home.html", cards=CARDS)
