"""写通知: the 公文 form. The form is written as the YAML the CLI reads and checked by the same
reader (`readers.notice_yaml`); problems go back next to their fields, 预览 shows the real A4
pages of the PDF writer's PDF as images, 下载 gives the DOCX, the PDF, the OFD or the YAML."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import pymupdf  # imported with the page, not on the first preview (it takes a second)
from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from ..errors import InputError, KongchuoError, Location, Problem, Problems
from ..kinds.draft import defaults_of
from ..readers.body_text import SourceLine, parse_body
from ..readers.draft import DRAFT_SUFFIXES, DraftDefaults, outline_lines, plain_mapping, read_draft
from ..readers.notice_yaml import read_notice
from ..readers.yaml_records import load_yaml
from ..store.issuing import auto_number, foreign_auto_message, foreign_speaker
from . import notice_drafts as drafts
from .audit_page import audit
from .bounded import bounded
from .draft_images import copy_images, keep_images, listed_images, remove_image
from .jobs import SCRATCH_PREFIX
from .notice_form import ATTACHMENT_FIELDS, IMAGE_LINE, LABELS, NoticeForm, field_problems
from .notice_issue import AUTO_FIELD, is_auto, issue, issued_view, numbered, preview_number, with_auto
from .notice_kept import unkept
from .notice_lines import is_line
from .pages import owner, render
from .render import Outcome, RenderPool, result
from .security import UploadRejected, display_name, read_uploads, require_csrf
from .store_access import profile_or_none

router = APIRouter()
YAML_NAME = "通知.yaml"  # the name messages give the form's YAML
PREVIEW_ZOOM = 1.25  # PNG pixels per PDF point (A4 ≈ 744 × 1053 px)
FORMATS = ("文件", "信函", "无版头")
LOAD_SUFFIXES = (".yaml", ".yml", *DRAFT_SUFFIXES)
QUICK_PAGES = 2  # pages drawn before the preview is shown
QUICK_PDF, FULL_PDF = "first-pages.pdf", "preview.pdf"
MAX_BODY = 200_000  # characters of a body the live outline reads
REMOVE_IMAGE = "remove-image:"  # the action of a picture's 删除 button, then its name
DOWNLOADS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "ofd": "application/ofd",  # GB/T 33190's media type
}
"""下载 button action → the file's media type."""


@dataclass
class Preview:
    """A session's preview: the first pages' PDF at once, the whole PDF when `full` is done."""

    owner: str
    folder: Path
    pages: int
    full: Future[Outcome]


@dataclass
class NoticePage:
    """A session's 写通知 page as she left it: the form, and what its last 检查/预览/载入 showed."""

    form: NoticeForm
    shown: dict[str, Any]
    status: int = 200


@router.get("/notice", response_class=HTMLResponse)
async def notice_page(request: Request) -> HTMLResponse:
    """The session's form as she left it (every POST comes back here: Back never resubmits), or a
    blank one that starts with the 发文机关, 文号代字 and 印发机关 of the 单位设置."""
    kept: NoticePage | None = request.app.state.notices.get(owner(request))
    if kept is None:
        draft = await drafts.stored(request)  # her draft of an earlier session, or before a restart
        return await _page(request, draft or await blank_form(request), restored=draft is not None)
    return await _page(request, kept.form, status_code=kept.status, **kept.shown)


async def _keep(request: Request, form: NoticeForm, status: int = 200, **shown: Any) -> RedirectResponse:
    """Keep the page for the session, and the form as her draft in the store, and send the browser
    to it (POST → redirect → GET)."""
    request.app.state.notices[owner(request)] = NoticePage(form, shown, status)
    await drafts.save(request, form)
    return RedirectResponse("/notice", status_code=303)


async def blank_form(request: Request) -> NoticeForm:
    defaults = await _draft_defaults(request) or DraftDefaults()
    values = {"format": "文件", "issuers": defaults.issuer or "", "printer": defaults.printer or ""}
    if defaults.number_code:
        values["doc_number"] = f"{defaults.number_code}〔{date.today().year}〕号"  # she types the number
    return NoticeForm(values=values)


@router.post("/notice/load", dependencies=[Depends(require_csrf)])
async def notice_load(request: Request, file: Annotated[UploadFile, File()]) -> Response:
    """An uploaded 公文 YAML, or a Word/WPS/text draft read by the draft reader, fills the form."""
    blank = await blank_form(request)
    try:
        upload = (await read_uploads([file], LOAD_SUFFIXES))[0]
    except UploadRejected as exc:
        return await _keep(request, blank, 400, problems={"_form": [str(exc)]})
    with tempfile.TemporaryDirectory(prefix=SCRATCH_PREFIX, dir=request.app.state.jobs.root) as tmp:
        stored = f"上传{upload.suffix}"
        path = Path(tmp) / stored
        path.write_bytes(upload.data)
        try:
            if upload.suffix in (".yaml", ".yml"):
                form, said = await bounded(_yaml_form, path)
                return await _keep(request, form, loaded=upload.display_name, findings=said)
            mapping, problems, images, lines = await bounded(_read_draft, path, Path(tmp) / "work",
                                                             await _draft_defaults(request))  # fmt: skip
        except KongchuoError as exc:
            messages = [str(p) for p in exc.problems] if isinstance(exc, InputError) else []
            shown = [m.replace(stored, upload.display_name) for m in messages or [str(exc)]]
            return await _keep(request, blank, 422, problems={"_form": shown})
    findings = [str(p).replace(stored, upload.display_name) for p in problems] + unkept(mapping)
    mapping = keep_images(request, images, mapping)
    return await _keep(request, NoticeForm.from_yaml(mapping), loaded=upload.display_name,
                       findings=findings, draft_outline=lines)  # fmt: skip


def _yaml_form(path: Path) -> tuple[NoticeForm, list[str]]:
    """The form filled from an uploaded 公文 YAML (in a bounded process: `web.bounded`), and what of it the
    form cannot hold (`unkept`)."""
    data = load_yaml(path)
    return NoticeForm.from_yaml(data), unkept(data) if isinstance(data, dict) else []


def _read_draft(path: Path, workdir: Path, defaults: DraftDefaults | None) -> tuple[
        dict[str, Any], list[Problem], dict[str, bytes], list[str]]:  # fmt: skip
    """A Word/WPS/text draft read (in a bounded process): its plain 公文 mapping, its findings,
    its pictures and its outline."""
    reading = read_draft(path, workdir, defaults=defaults)
    return plain_mapping(reading.mapping), reading.problems, reading.images, outline_lines(reading)


@router.post("/notice", dependencies=[Depends(require_csrf)])
async def notice_submit(request: Request) -> Response:
    """One form, five buttons: 检查, 预览, 下载 DOCX / PDF / OFD, 下载 YAML, 新建 (and 删除 of a draft's
    picture). A download answers with the file; everything else comes back to the page."""
    post = await request.form()
    form = with_auto(NoticeForm.from_post(post), post)
    action = str(post.get("action", "check"))
    if action == "new":
        request.app.state.notices.pop(owner(request), None)
        await drafts.forget(request)
        return RedirectResponse("/notice", status_code=303)
    if action.startswith(REMOVE_IMAGE):
        name = action.removeprefix(REMOVE_IMAGE)
        remove_image(request, name)
        return await _keep(request, form.without_image(name))
    text, spans = form.to_yaml()
    if action == "yaml":
        await _keep(request, form)
        return Response(text.encode("utf-8"), media_type="application/x-yaml",
                        headers=_attachment(f"{_stem(form)}.yaml"))  # fmt: skip
    folder = request.app.state.jobs.scratch_folder()
    handed_off = False  # the folder then belongs to the preview or the download
    try:
        (folder / YAML_NAME).write_text(text, encoding="utf-8")
        copy_images(request, folder)
        doc, warnings = await bounded(read_notice, folder / YAML_NAME)
        problems = field_problems(warnings, spans)
        if action in DOWNLOADS and auto_number(doc.doc_number or ""):  # one number per document: 取号 now
            issued = await issue(request, doc, folder, _stem(form), action, folder / YAML_NAME)
            handed_off = True
            return await _keep(request, numbered(form, issued.number), problems=problems, checked=True,
                               issued=issued_view(issued))  # fmt: skip
        if action == "preview":
            code = (await _draft_defaults(request) or DraftDefaults()).number_code
            preview = await _make_preview(request, preview_number(doc, code), folder)
            handed_off = True
            return await _keep(request, form, problems=problems, preview=preview, checked=True)
        if action in DOWNLOADS:
            response = await _download(request, doc, folder, action, form)
            handed_off = True
            await _keep(request, form, problems=problems, checked=True)
            return response
        return await _keep(request, form, problems=problems, checked=True)
    except InputError as exc:
        return await _keep(request, form, 422, problems=field_problems(exc.problems + exc.warnings, spans))
    except KongchuoError as exc:
        return await _keep(request, form, 422, problems={"_form": [str(exc)]})
    finally:
        if not handed_off:
            shutil.rmtree(folder, ignore_errors=True)


@router.post("/notice/outline", dependencies=[Depends(require_csrf)])
async def notice_outline(request: Request) -> JSONResponse:
    """The headings the reader recognises in a body text, and its numbering problems by line."""
    try:
        data = await request.json()
    except ValueError:  # not JSON, or not UTF-8
        raise HTTPException(400, "请求内容不是有效的 JSON。") from None
    try:
        headings, problems = await bounded(outline, str(data.get("body", "")) if isinstance(data, dict) else "")
    except KongchuoError as exc:
        raise HTTPException(422, str(exc)) from None
    return JSONResponse({"headings": headings, "problems": problems})


def outline(body: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The body's headings (level, text) as `readers.body_text` reads them, and its problems by line."""
    problems = Problems()
    texts = ["" if is_line(t) or IMAGE_LINE.fullmatch(t.strip()) else t for t in body[:MAX_BODY].splitlines()]
    lines = [SourceLine(t, Location("正文", line=n)) for n, t in enumerate(texts, start=1)]  # a table: no text
    blocks = parse_body(lines, problems)
    headings = [{"level": b.level, "text": b.text} for b in blocks if getattr(b, "type", "") == "heading"]
    found = [{"line": p.location.line, "message": p.message + (f"（{p.value}）" if p.value else ""),
              "severity": p.severity} for p in problems.items]  # fmt: skip
    return headings, found


@router.get("/notice/preview/{preview_id}/{page}.png")
async def preview_page(request: Request, preview_id: str, page: int) -> FileResponse:
    preview = request.app.state.previews.get(preview_id)
    if preview is None or preview.owner != owner(request) or not 1 <= page <= preview.pages:
        raise HTTPException(404, "预览已过期，请重新预览。")
    png = preview.folder / f"{page}.png"
    if not (preview.folder / QUICK_PDF).is_file():  # swept after the keeping time
        raise HTTPException(404, "预览已过期，请重新预览。")
    if not png.is_file():
        source = preview.folder / QUICK_PDF
        if page > QUICK_PAGES:
            try:
                result(await asyncio.wrap_future(preview.full))
            except Exception:
                raise HTTPException(500, "预览生成失败，请重试。") from None
            source = preview.folder / FULL_PDF
        await asyncio.to_thread(_png, source, page, png)
    return FileResponse(png, media_type="image/png")


def _png(pdf_path: Path, page: int, target: Path) -> None:
    with pymupdf.open(pdf_path) as pdf:
        pdf[page - 1].get_pixmap(matrix=pymupdf.Matrix(PREVIEW_ZOOM, PREVIEW_ZOOM)).save(target)


async def _make_preview(request: Request, doc: Any, folder: Path) -> dict[str, Any]:
    """Draw the first pages now and the whole PDF meanwhile (later pages wait for it); the
    session's previous preview is deleted."""
    pool: RenderPool = request.app.state.render
    pages = await pool.pdf(doc, folder / QUICK_PDF, first_pages=QUICK_PAGES)
    full = pool.submit_pdf(doc, folder / FULL_PDF) if pages > QUICK_PAGES else done(pages)
    return keep_preview(request, folder, pages, full)


def keep_preview(request: Request, folder: Path, pages: int, full: Future[Outcome]) -> dict[str, Any]:
    """Show the PDFs in `folder` (``first-pages.pdf`` now, ``preview.pdf`` when `full` is done) as
    the session's preview, in place of its previous one (deleted); the page's ``preview`` value."""
    previews: dict[str, Preview] = request.app.state.previews
    me = owner(request)
    for key, old in list(previews.items()):
        if old.owner == me:
            previews.pop(key, None)
            old.full.cancel()
            shutil.rmtree(old.folder, ignore_errors=True)
    previews[folder.name] = Preview(me, folder, pages, full)
    return {"id": folder.name, "pages": pages}


def done(value: int) -> Future[Outcome]:
    future: Future[Outcome] = Future()
    future.set_result(("ok", value))
    return future


async def _download(request: Request, doc: Any, folder: Path, fmt: str, form: NoticeForm) -> Response:
    pool: RenderPool = request.app.state.render
    rel = await pool.files(doc, folder / "out", "通知", fmt, folder / YAML_NAME)
    await run_in_threadpool(audit, request, "生成", task="写通知", counts=f"下载 {fmt.upper()}")
    return FileResponse(folder / "out" / rel, media_type=DOWNLOADS[fmt], filename=f"{_stem(form)}.{fmt}",
                        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))  # fmt: skip


async def _draft_defaults(request: Request) -> DraftDefaults | None:
    """发文机关, 文号代字, 印发机关 from the 单位设置 (none while it cannot be read: its page says why)."""
    profile = await asyncio.to_thread(profile_or_none, request)  # read again after a change: off the loop
    return defaults_of(profile) if profile is not None else None


async def _page(request: Request, form: NoticeForm, status_code: int = 200, **context: Any) -> HTMLResponse:
    attachments = [*form.attachments, dict.fromkeys(ATTACHMENT_FIELDS, "")]
    problems = context.pop("problems", {})
    body = form.get("body")
    try:
        headings = (await bounded(outline, body))[0] if body.strip() else []
    except KongchuoError:
        headings = []  # the outline is a help beside the text, the check says what is wrong
    return render(request, "notice.html", status_code=status_code, form=form, attachments=attachments,
                  formats=FORMATS, problems=problems, summary=summary_of(problems), labels=LABELS,
                  outline=headings, images=listed_images(request), remove_image=REMOVE_IMAGE,
                  auto_field=AUTO_FIELD, keep_days=drafts.DRAFT_KEEP_DAYS, auto=is_auto(form),
                  **await _auto_offer(request, form), **context)  # fmt: skip


async def _auto_offer(request: Request, form: NoticeForm) -> dict[str, str | None]:
    """The 自动取号 box's context: the 单位设置's 代字 (number_code), and why the box is not offered
    (auto_refused) when the draft's 发文机关 and 署名 name an organ other than the bureau's own."""
    profile = await asyncio.to_thread(profile_or_none, request)
    if profile is None:
        return {"number_code": None, "auto_refused": None}
    speakers = [line.strip() for key in ("issuers", "signatures") for line in form.get(key).splitlines()
                if line.strip()]  # fmt: skip
    speaker = foreign_speaker(speakers, profile)
    return {"number_code": defaults_of(profile).number_code,
            "auto_refused": None if speaker is None else foreign_auto_message(speaker, profile)}


def summary_of(problems: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The red summary's lines: each problem named by its field and linked to it; a problem with no
    field (``_form``) unlinked. Warnings (提示) are left next to their fields only."""
    lines = []
    for name, messages in problems.items():
        for message in messages:
            if message.startswith("提示："):
                continue
            if name == "_form":
                lines.append(("", message))
                continue
            label = LABELS.get(name) or (f"附件 {int(name.split('-')[1]) + 1}" if name.startswith("att-") else name)
            lines.append((f"field-{name}", f"{label}：{message}"))
    return lines


def _stem(form: NoticeForm) -> str:
    return display_name(form.get("title").strip() or "通知")[:60]


def _attachment(name: str) -> dict[str, str]:
    from urllib.parse import quote

    return {"content-disposition": f"attachment; filename*=utf-8''{quote(name)}"}
