"""模板: the wording files (`wording.WORDING_FILES`) listed, each edited in the page as sentences
(`wording.sentences`: one text box per paragraph, variables as chips 〔姓名〕, conditions in words;
the raw YAML under 高级), checked by `wording.check_folder` — its problems named by paragraph,
第 N 段 — before it is saved into the profile's 模板目录, previewed on one sample record (`template_sample`,
in a private scratch folder: a preview writes nothing into the 模板目录), and reset to the default
by deleting the copy.

The files live in the 单位设置's 模板目录 (every command and job then reads them); without one the
page only shows the defaults and says where to set it.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import yaml
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..errors import InputError, KongchuoError, Problem
from ..support.yaml_load import yaml_problem
from ..wording.files import WORDING_FILES, allowed_variables, annotated, check_folder, documented_variables
from ..wording.sentences import SentenceProblem, chinese, jinja_text, sentences, shown, with_edits
from .audit_page import audit
from .bounded import bounded
from .notice import FULL_PDF, QUICK_PDF, done, keep_preview
from .pages import owner, render
from .render import RenderPool
from .security import require_csrf
from .store_access import optional_profile, page_profile
from .template_folder import FolderRefused, confined, wording_file
from .template_sample import sample_pdf

router = APIRouter()  # the 教育局's (identity.PAGE_ROLES)
MAX_TEMPLATE_CHARS = 200_000
TOO_LONG = f"修改后的措辞文件超过 {MAX_TEMPLATE_CHARS} 字，请精简"
FILES = list(WORDING_FILES.items())


def templates_folder(request: Request) -> Path | None:
    """The profile's 模板目录 (None when there is no profile or it names none); 409 when the
    profile has errors (`store_access.NoCounty`) or its 模板目录 is not a folder beside it
    (`template_folder.confined`)."""
    profile = optional_profile(request)
    if profile is None or not profile.templates_dir:
        return None
    try:
        return confined(request.app.state.config.profile_path(), profile.templates_dir)
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
                  own=own is not None and own.is_file(), problems=[], **paragraphs(rel, text))  # fmt: skip


@router.post("/templates/{index}", dependencies=[Depends(require_csrf)])
async def template_save(request: Request, index: int) -> Response:
    rel, label = _file(index)
    folder = await run_in_threadpool(templates_folder, request)  # the 单位设置 read again after a change
    post = await request.form()
    if str(post.get("action")) == "reset" and folder is not None:
        _own(folder, rel).unlink(missing_ok=True)
        await run_in_threadpool(audit, request, "恢复默认模板", counts=rel)
        return RedirectResponse(f"/templates/{index}", status_code=303)
    raw = str(post.get("mode")) != "sentences"  # the 高级 form (the file itself) or the sentences
    given = str(post.get("text" if raw else "base", "")).replace("\r\n", "\n")[:MAX_TEMPLATE_CHARS]
    edits = None if raw else {key[1:]: _typed(value) for key, value in post.multi_items()
                                if re.fullmatch(r"s\d+", key)}  # fmt: skip
    if folder is None and str(post.get("action")) != "preview":
        raise HTTPException(409, "请先在“单位设置”中填写“模板目录”。")
    try:  # off the event loop: reading the sentences and a trial render of a hostile template take long
        text, problems, shown_page = await bounded(_edited, rel, given, edits)
    except KongchuoError as exc:
        text, problems, shown_page = given, [("", str(exc))], {"paragraphs": None}
    page = {"index": index, "rel": rel, "label": label, "text": text, "folder": folder, "raw": raw,
            "own": folder is not None and _own(folder, rel).is_file(), **shown_page}  # fmt: skip
    if problems:
        return _back(request, 422, problems=problems, **page)
    if str(post.get("action")) == "preview":
        try:
            preview = await _preview(request, rel, text, folder)
        except InputError as exc:
            return _back(request, 422, problems=_placed(exc.problems, rel, raw), **page)
        except KongchuoError as exc:
            return _back(request, 422, problems=[("", str(exc))], **page)
        return _back(request, 200, problems=[], preview=preview, **page)
    assert folder is not None
    target = _own(folder, rel)
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.saving")
    staged.write_text(text, encoding="utf-8")
    os.replace(staged, target)
    await run_in_threadpool(audit, request, "保存模板", counts=rel)
    return _back(request, 200, problems=[], saved=True, **{**page, "own": True})


def _back(request: Request, status: int, **page: object) -> RedirectResponse:
    """Keep the page a POST made (problems, preview, 已保存) for the next GET and send the browser
    there: Back and reload never resubmit."""
    request.app.state.refused[(owner(request), f"template-{page['index']}")] = (status, page)
    return RedirectResponse(f"/templates/{page['index']}", status_code=303)


def _typed(value: object) -> str:
    return str(value).replace("\r\n", "\n")[:MAX_TEMPLATE_CHARS]


def paragraphs(rel: str, text: str, edited: dict[str, str] | None = None) -> dict[str, object]:
    """The page's sentence view of the wording file `text`: ``paragraphs`` (number, condition in
    words, the text with chips — or what the clerk typed, from `edited` — and the chips it may
    add) or None when the text is not YAML (then only 高级 shows it); ``base``, the text they are from;
    ``common``, the chips every paragraph may use."""
    try:
        found = sentences(text, rel)
    except yaml.YAMLError:
        return {"paragraphs": None, "base": text, "common": []}
    documented = documented_variables(rel)
    common = sorted(documented["*"])
    shown_page = [{"number": s.number, "condition": s.condition, "place": s.place,
                   "text": (edited or {}).get(str(s.number), shown(s.text, rel)),
                   "chips": [chinese(n, rel) for n in sorted(allowed_variables(documented, s.key_path) - set(common))]}
                  for s in found]  # fmt: skip
    return {"paragraphs": shown_page, "base": text, "common": [chinese(n, rel) for n in common]}


def _edited(rel: str, given: str, edits: dict[str, str] | None) -> tuple[str, list[tuple[str, str]], dict[str, object]]:
    """The wording file the form gave — the raw text, or `given` (the file the sentences were shown
    from) with the typed sentences `edits` put back — its problems as (field id, message) and its
    sentence view. Runs in a bounded process (`bounded`)."""
    raw = edits is None
    text, problems = given, []
    if edits is not None:
        try:
            found = sentences(given, rel)
        except yaml.YAMLError as exc:
            return given, _placed([yaml_problem(exc, rel)], rel, raw=True), paragraphs(rel, given)
        documented = documented_variables(rel)
        changed: dict[int, str] = {}
        for sentence in found:
            typed = edits.get(str(sentence.number))
            if typed is None:
                continue
            try:
                changed[sentence.number] = jinja_text(typed, sentence.text, rel,
                                                      allowed_variables(documented, sentence.key_path))  # fmt: skip
            except SentenceProblem as exc:
                problems.append((f"s{sentence.number}", f"第 {sentence.number} 段：{exc}"))
        if problems:
            return given, problems, paragraphs(rel, given, edits)
        text = with_edits(given, changed, rel)
        if len(text) > MAX_TEMPLATE_CHARS:
            return given, [("", TOO_LONG)], paragraphs(rel, given, edits)
    problems = _problems(rel, text, raw)
    return text, problems, paragraphs(rel, text, edits if problems else None)


def _problems(rel: str, text: str, raw: bool) -> list[tuple[str, str]]:
    """`wording.check_folder`'s problems with the edited text, each at its paragraph (`_placed`)."""
    with tempfile.TemporaryDirectory(prefix="kongchuo-templates-") as tmp:
        trial = Path(tmp) / rel
        trial.parent.mkdir(parents=True)
        trial.write_text(text, encoding="utf-8")
        try:
            check_folder(Path(tmp))
        except InputError as exc:
            return _placed(exc.problems, rel, raw)
    return []


def _placed(problems: list[Problem], rel: str, raw: bool) -> list[tuple[str, str]]:
    """Problems as the page's (field id, message): 「第 3 段：花括号不成对」 linked to that box; in the
    raw file (高级) 「第 12 行（第 3 段）：…」 linked to it."""
    placed = []
    for problem in problems:
        where, message = problem.location, problem.message
        number = where.paragraph
        if number is not None and not raw:
            condition = f"（{where.column}）" if where.column else ""
            placed.append((f"s{number}", f"第 {number} 段{condition}：{message}"))
        elif where.line is not None:
            also = f"（第 {number} 段）" if number is not None else ""
            placed.append(("text", f"第 {where.line} 行{also}：{message}"))
        else:
            placed.append(("text" if raw else "", message.replace(where.file, rel)))
    return placed


async def _preview(request: Request, rel: str, text: str, folder: Path | None) -> dict[str, object]:
    """Draw `rel`'s kind for one sample record with the edited `text` (and the 模板目录's other
    copies) in a private scratch folder; the page's ``preview`` value."""
    profile = await run_in_threadpool(page_profile, request)  # the sample's 县名, units, 学年 (or `NoCounty`)
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
        pages = await pool.call(sample_pdf, rel, wording, profile, scratch / FULL_PDF)
        shutil.copyfile(scratch / FULL_PDF, scratch / QUICK_PDF)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return keep_preview(request, scratch, pages, done(pages))
