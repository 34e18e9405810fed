"""空白表格: every blank input workbook (`kinds.forms`), made once per server and downloaded one by one;
the page says what its declaration (`declare`, the ``forms`` command's) says: its title and what it writes.
The 学年 of the examples is the server's 单位设置's (the command's --settings); none yet, or one with
errors (the 单位设置 page says which), gives this year's."""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse

from ..declare import TASKS
from .pages import render
from .store_access import profile_or_none

router = APIRouter()
_lock = threading.Lock()


def _forms(request: Request) -> list[str]:
    """The blank forms, written into the server's work folder on first use (relative paths)."""
    from ..kinds.forms import build_forms, forms_year

    folder: Path = request.app.state.jobs.root / "blank-forms"
    with _lock:
        if not folder.is_dir():
            build_forms(folder, first_year=forms_year(profile_or_none(request)))
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.xlsx"))


@router.get("/forms", response_class=HTMLResponse)
def forms_page(request: Request) -> HTMLResponse:
    return render(request, "forms.html", task=TASKS["forms"], forms=list(enumerate(_forms(request))))


@router.get("/forms/{index}")
def form_file(request: Request, index: int) -> FileResponse:
    names = _forms(request)
    if not 0 <= index < len(names):
        raise HTTPException(404, "没有这个表格。")
    path = request.app.state.jobs.root / "blank-forms" / names[index]
    return FileResponse(path, filename=Path(names[index]).name)


def form_links(request: Request) -> dict[str, str]:
    """Each blank form's file name → its download link (the task pages link the form of each input)."""
    return {Path(name).name: f"/forms/{index}" for index, name in enumerate(_forms(request))}
