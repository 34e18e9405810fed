"""模板: the wording files (`wording.WORDING_FILES`) listed, each edited in the page with the
variables every field may use (the exported file's comments), checked by `wording.check_folder`
before it is saved into the profile's 模板目录, previewed on one sample record (`template_sample`,
in a private scratch folder: a preview writes nothing into the 模板目录), and reset to the default
by deleting the copy.

The files live in the 单位设置's 模板目录 (every command and job then reads them); without one the
page only shows the defaults and says where to set it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..errors import InputError, KongchuoError
from ..profile import load_profile
from ..wording.files import WORDING_FILES, annotated, check_folder
from .app import owner, render
from .bounded import bounded
from .notice import FULL_PDF, QUICK_PDF, done, keep_preview
from .render import RenderPool
from .security import require_csrf
from .template_folder import FolderRefused, confined, wording_file
from .template_sample import sample_pdf

router = APIRouter()
MAX_TEMPLATE_CHARS = 200_000
FILES = list(WORDING_FILES.items())


def templates_folder(request: Request) -> Path | None:
    """The profile's 模板目录 (None when there is no profile or it names none); 409 when the
    profile has errors or its 模板目录 is not a folder beside it (`template_folder.confined`)."""
    path = request.app.state.config.profile_path()
    if not path.is_file():
        return None
    try:
        profile = load_profile(path)
    except InputError as exc:
        shown = "；".join(str(p) for p in exc.problems[:3])
        raise HTTPException(409, f"单位设置或其模板目录有错误，请先修改：{shown}") from None
    except KongchuoError:
        return None
    if not profile or not profile.templates_dir:
        return None
    try:
        return confined(path, profile.templates_dir)
    except FolderRefused as exc:
        raise HTTPException(409, str(exc)) from None


def _own(folder: Path, rel: str) -> Path:
    """The 模板目录's copy of `rel` (409 when it, or a folder on its way, is a symbolic link)."""
    try:
        return wording_file(folder, rel)
    except FolderRefused as exc:
        raise HTTPException(409, str(exc)) from None


def _file(index: int) -> tuple[str, str]:
    if not 0 <= index < len(FILES):
        raise HTTPException(404, "没有这个模板。")
    return FILES[index]


@router.get("/templates", response_class=HTMLResponse)
def templates_list(request: Request) -> HTMLResponse:
    folder = templates_folder(request)
    rows = [(n, rel, label, folder is not None and _own(folder, rel).is_file()) for n, (rel, label) in enumerate(FILES)]
    return render(request, "templates.html", rows=rows, folder=folder)


@router.get("/templates/{index}", response_class=HTMLResponse)
def template_edit(request: Request, index: int) -> HTMLResponse:
    rel, label = _file(index)
    shown = request.app.state.refused.pop((owner(request), f"template-{index}"), None)
    if shown is not None:  # after a POST (redirect → GET): its outcome, once
        status, page = shown
        return render(request, "template_edit.html", status_code=status, **page)
    folder = templates_folder(request)
    own = _own(folder, rel) if folder is not None else None
    text = own.read_text(encoding="utf-8") if own is not None and own.is_file() else annotated(rel, label)
    return render(request, "template_edit.html", index=index, rel=rel, label=label, text=text, folder=folder,
                  own=own is not None and own.is_file(), problems=[])  # fmt: skip


@router.post("/templates/{index}", dependencies=[Depends(require_csrf)])
async def template_save(request: Request, index: int) -> Response:
    rel, label = _file(index)
    folder = templates_folder(request)
    post = await request.form()
    if str(post.get("action")) == "reset" and folder is not None:
        _own(folder, rel).unlink(missing_ok=True)
        return RedirectResponse(f"/templates/{index}", status_code=303)
    text = str(post.get("text", "")).replace("\r\n", "\n")[:MAX_TEMPLATE_CHARS]
    page = {"index": index, "rel": rel, "label": label, "text": text, "folder": folder,
            "own": folder is not None and _own(folder, rel).is_file()}  # fmt: skip
    if folder is None and str(post.get("action")) != "preview":
        raise HTTPException(409, "请先在“单位设置”中填写“模板目录”。")
    try:  # off the event loop: a trial render of a hostile template may take long
        problems = await bounded(_problems, rel, text)
    except KongchuoError as exc:
        problems = [str(exc)]
    if problems:
        return _back(request, 422, problems=problems, **page)
    if str(post.get("action")) == "preview":
        try:
            preview = await _preview(request, rel, text, folder)
        except InputError as exc:
            return _back(request, 422, problems=[str(p) for p in exc.problems], **page)
        except KongchuoError as exc:
            return _back(request, 422, problems=[str(exc)], **page)
        return _back(request, 200, problems=[], preview=preview, **page)
    assert folder is not None
    target = _own(folder, rel)
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.saving")
    staged.write_text(text, encoding="utf-8")
    os.replace(staged, target)
    return _back(request, 200, problems=[], saved=True, **{**page, "own": True})


def _back(request: Request, status: int, **page: object) -> RedirectResponse:
    """Keep the page a POST made (problems, preview, 已保存) for the next GET and send the browser
    there: Back and reload never resubmit."""
    request.app.state.refused[(owner(request), f"template-{page['index']}")] = (status, page)
    return RedirectResponse(f"/templates/{page['index']}", status_code=303)


def _problems(rel: str, text: str) -> list[str]:
    """`wording.check_folder`'s problems with the edited text (each at its line of `rel`)."""
    with tempfile.TemporaryDirectory(prefix="kongchuo-templates-") as tmp:
        trial = Path(tmp) / rel
        trial.parent.mkdir(parents=True)
        trial.write_text(text, encoding="utf-8")
        try:
            check_folder(Path(tmp))
        except InputError as exc:
            return [str(p).replace(str(trial), rel) for p in exc.problems]
    return []


async def _preview(request: Request, rel: str, text: str, folder: Path | None) -> dict[str, object]:
    """Draw `rel`'s kind for one sample record with the edited `text` (and the 模板目录's other
    copies) in a private scratch folder; the page's ``preview`` value."""
    profile_path = request.app.state.config.profile_path()
    if not profile_path.is_file():
        raise KongchuoError("请先在“单位设置”中填写并保存单位信息，预览要用其中的县名、单位和学年。")
    scratch = request.app.state.jobs.scratch_folder()
    try:
        wording = scratch / "wording"
        for other in WORDING_FILES:
            if folder is not None and wording_file(folder, other).is_file():
                (wording / other).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(folder / other, wording / other)
        (wording / rel).parent.mkdir(parents=True, exist_ok=True)
        (wording / rel).write_text(text, encoding="utf-8")
        pool: RenderPool = request.app.state.render
        pages = await pool.call(sample_pdf, rel, wording, profile_path, scratch / FULL_PDF)
        shutil.copyfile(scratch / FULL_PDF, scratch / QUICK_PDF)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return keep_preview(request, scratch, pages, done(pages))
