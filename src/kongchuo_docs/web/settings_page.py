"""单位设置: the profile edited as a form and saved; every task of the page and every command reads it.

The file edited is the one the server was started with (``--settings``) or the one
`find_profile_path` finds, else a new 单位设置.yaml in the folder the server runs in. The text is
checked by `load_profile` before it replaces the file (the old one is kept as ``.bak``), from a copy
beside it so that a relative 模板目录 means a folder beside the file; that folder must lie in the
file's folder (`template_folder.confined`) and is made on the first save that names it. A changed
行政区划代码 moves the store's rows (accounts, sessions, 操作日志, 发文登记簿) to the new code in the
same transaction as the file's replacement (`store.database.rekey`): no restart needed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..errors import InputError, KongchuoError
from ..profile import load_profile
from ..profile.load import _read_yaml
from ..store.database import rekey
from .audit_page import audit
from .gate import open_page_store
from .pages import owner, render
from .profile_form import LISTS, fields, sections, to_yaml, values_of
from .security import require_csrf
from .store_access import saved_profile
from .template_folder import FolderRefused, confined

router = APIRouter()  # the 教育局's (identity.PAGE_ROLES)
TEMPLATES_KEY = "模板目录"
AREA_CODE_KEY = "行政区划代码"  # the store's rows are keyed by it: a change moves them (`store.database.rekey`)


def profile_path(request: Request) -> Path:
    return request.app.state.config.profile_path()


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request) -> HTMLResponse:
    """The profile as a form; after a save (POST → redirect → GET) its banner: 已保存, or 未保存 with
    what she typed and each problem linked to its field."""
    path = profile_path(request)
    values: dict[str, str] = {}
    problems: dict[str, list[str]] = {}
    if path.suffix.lower() == ".xlsx":
        return render(request, "settings.html", path=path, excel=True, sections=[], values={}, problems={})
    outcome = request.app.state.refused.pop((owner(request), "settings"), None)
    if outcome is not None and outcome["problems"]:
        return _form(request, path, 422, **outcome)
    if path.is_file():
        try:
            values = values_of(_read_yaml(path)[0])
            saved_profile(request)  # its problems by field (`store_access`: the one reading of the pages)
        except InputError as exc:
            problems = _by_field(exc)
    saved = {key: value for key, value in (outcome or {}).items() if key != "problems"}  # 已保存 and its 提示
    return _form(request, path, 200, values=values, problems=problems, **saved)


def _form(request: Request, path: Path, status: int, **context: Any) -> HTMLResponse:
    problems = context.pop("problems", {})
    summary = [("" if key == "_form" else f"field-{key}",
                message if key == "_form" or message.startswith(key) else f"{key}：{message}")
               for key, messages in problems.items() for message in messages]  # fmt: skip
    return render(request, "settings.html", status_code=status, path=path, sections=sections(),
                  problems=problems, summary=summary, **context)  # fmt: skip


def _shown(request: Request, **outcome: Any) -> RedirectResponse:
    """Keep a save's outcome for the next GET of the page (shown once) and send the browser there."""
    request.app.state.refused[(owner(request), "settings")] = outcome
    return RedirectResponse("/settings", status_code=303)


@router.post("/settings", dependencies=[Depends(require_csrf)])
async def settings_save(request: Request) -> Response:
    path = profile_path(request)
    post = await request.form()
    values = {f.key: str(post.get(f.key, "")).replace("\r\n", "\n") for f in fields()}
    values.update({key: str(post.get(key, "")).replace("\r\n", "\n") for key in LISTS})
    text = to_yaml(values)
    try:
        made = _templates_folder(path, values.get(TEMPLATES_KEY, ""))
    except FolderRefused as exc:
        return _shown(request, values=values, problems={TEMPLATES_KEY: [str(exc)]})
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(f".{path.name}.saving")  # beside the file: a relative 模板目录 is read from there
    staged.write_text(text, encoding="utf-8")
    try:
        profile = load_profile(staged)
    except InputError as exc:
        staged.unlink(missing_ok=True)
        if made is not None:
            made.rmdir()
        return _shown(request, values=values, problems=_by_field(exc))
    store = request.app.state.store
    if store is not None and profile.area_code != store.area_code:  # a corrected 行政区划代码: the rows move too
        try:
            request.app.state.store = await run_in_threadpool(rekey, store, profile.area_code,
                                                              lambda: _put_in_place(staged, path))
        except KongchuoError as exc:
            staged.unlink(missing_ok=True)
            if made is not None:
                made.rmdir()
            return _shown(request, values=values, problems={AREA_CODE_KEY: [str(exc)]})
    else:
        _put_in_place(staged, path)
    if request.app.state.store is None:  # the first 单位设置: the county of the store and the log is known now
        request.app.state.store = await run_in_threadpool(open_page_store, request.app.state.config)
    await run_in_threadpool(audit, request, "保存单位设置")
    warnings = [f"{p.location.column or ''} {p.message}".strip() for p in profile.warnings]
    return _shown(request, problems={}, saved=True, warnings=warnings)


def _put_in_place(staged: Path, path: Path) -> None:
    """The checked 单位设置 `staged` becomes `path` (the one before kept as ``.bak``)."""
    if path.is_file():
        shutil.copyfile(path, path.with_name(path.name + ".bak"))
    os.replace(staged, path)


def _templates_folder(path: Path, value: str) -> Path | None:
    """Check the 模板目录 `value` (`template_folder.confined`) and make it when it does not exist
    yet; the folder made, else None."""
    if not value.strip():
        return None
    folder = confined(path, value)
    if folder.is_dir():
        return None
    folder.mkdir(parents=True)
    return folder


def _by_field(exc: InputError) -> dict[str, list[str]]:
    """Each problem under its 项目 (the profile reader names it, e.g. 实施方案.文号); others at the top."""
    keys = {f.key for f in fields()} | set(LISTS)
    found: dict[str, list[str]] = {}
    for p in exc.problems + exc.warnings:
        column = p.location.column or ""
        key = next((k for k in keys if column == k or column.startswith((k + "[", k + "."))), "_form")
        text = p.message + (f"（{p.value}）" if p.value else "")
        found.setdefault(key, []).append(text if key != "_form" else f"{column} {text}".strip())
    return found
