"""写通知 with ``发文字号: 自动`` (issue 21 #4): the 自动 box beside the typed number (代字 from the
单位设置); 预览 shows a placeholder number and takes none; 下载 writes the DOCX and the PDF (and the
OFD when asked) in one run that takes the next number from the 发文登记簿 as they are written
(`store.issuing.Numbering`, as ``build`` does): one number per document, not per download button.
The page then shows the number taken, and the form holds it from then on (a second download takes
no second number); the files stay downloadable from the page for the session.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse

from ..model import Document
from ..store.audit import Actor
from ..store.issuing import AUTO, auto_number
from .audit_page import actor
from .identity import current_account
from .notice_form import NoticeForm
from .pages import owner
from .render import RenderPool
from .store_access import db_url, page_profile

router = APIRouter()
AUTO_FIELD = "auto_number"  # the form's 自动 box
PLACEHOLDER = "□"  # the 顺序号 a preview shows in place of the number not yet taken
ISSUED_FORMATS = ("docx", "pdf")  # written by the run that takes the number (the OFD too when asked)
MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "ofd": "application/ofd",
}


@dataclass
class Issued:
    """A session's last numbered document: its files in `folder` (relative paths by format)."""

    folder: Path
    number: str
    stem: str
    files: dict[str, str]


def with_auto(form: NoticeForm, post: Mapping[str, Any]) -> NoticeForm:
    """The posted form with its 发文字号 ``自动`` when the 自动 box is ticked (a typed ``代字〔自动〕``
    keeps its 代字); as typed otherwise."""
    if str(post.get(AUTO_FIELD, "")) not in ("1", "on"):
        return form
    return numbered(form, auto_number(form.get("doc_number")) or AUTO)


def numbered(form: NoticeForm, number: str) -> NoticeForm:
    """`form` with the 发文字号 `number`."""
    return dataclasses.replace(form, values={**form.values, "doc_number": number})


def is_auto(form: NoticeForm) -> bool:
    return auto_number(form.get("doc_number")) is not None


def preview_number(doc: Document, code: str | None) -> Document:
    """`doc` with its 自动 number shown as ``代字〔年份〕□号`` (the year the number will have): a
    preview takes no number."""
    spelled = auto_number(doc.doc_number or "")
    if spelled is None:
        return doc
    prefix = spelled.removesuffix(f"〔{AUTO}〕") if spelled != AUTO else (code or "")
    year = (doc.date or dt.date.today()).year
    return doc.model_copy(update={"doc_number": f"{prefix}〔{year}〕{PLACEHOLDER}号"})


async def issue(request: Request, doc: Document, folder: Path, stem: str, fmt: str, source: Path) -> Issued:
    """Write `doc` into ``folder/out`` taking its number (a drawing process), keep the files as the
    session's last numbered document (the previous one's folder deleted) and return them."""
    pool: RenderPool = request.app.state.render
    formats = tuple(dict.fromkeys((*ISSUED_FORMATS, fmt)))
    await asyncio.to_thread(page_profile, request)  # no 单位设置 (no store beside it): said before anything is drawn
    url = db_url(request)
    who = actor(current_account(request))  # the 操作日志 names her with the number taken (or voided)
    number, files = await pool.call(issue_files, doc, folder / "out", formats, source,
                                    request.app.state.config.profile_path(), url, who)  # fmt: skip
    issued = Issued(folder, number, stem, dict(zip(formats, files, strict=True)))
    previous = request.app.state.issued.get(owner(request))
    if previous is not None:
        shutil.rmtree(previous.folder, ignore_errors=True)
    request.app.state.issued[owner(request)] = issued
    return issued


def issue_files(doc: Document, outdir: Path, formats: tuple[str, ...], source: Path, settings: Path,
                url: str, who: Actor) -> tuple[str, list[str]]:  # fmt: skip
    """In a drawing process: write `doc` as ``通知.<fmt>`` for each format, its 发文字号 taken from the
    发文登记簿 as the files are written (voided if writing fails, both logged as `who`'s); the number and
    the files."""
    from ..files.output import OutputSet
    from ..kinds.publish import write_document
    from ..store.issuing import Numbering

    with Numbering(settings, url, who) as numbering:
        with OutputSet(outdir) as out:
            files = write_document(out, doc, "通知", kind="notice", source=source, formats=formats,
                                   numbering=numbering)  # fmt: skip
        [number] = numbering.taken
    return number, files


def issued_view(issued: Issued) -> dict[str, Any]:
    """What the page says of a numbered document: its number and its download links."""
    return {"number": issued.number, "formats": list(issued.files)}


@router.get("/notice/issued/{fmt}")
async def issued_file(request: Request, fmt: str) -> FileResponse:
    """A file of the session's last numbered document (downloadable again until the folder is swept)."""
    issued: Issued | None = request.app.state.issued.get(owner(request))
    if issued is None or fmt not in issued.files or not (issued.folder / "out" / issued.files[fmt]).is_file():
        raise HTTPException(404, "文件已过期，请重新生成（发文字号填写已取的号，不会再取新号）。")
    return FileResponse(issued.folder / "out" / issued.files[fmt], media_type=MEDIA[fmt],
                        filename=f"{issued.stem}.{fmt}")  # fmt: skip
