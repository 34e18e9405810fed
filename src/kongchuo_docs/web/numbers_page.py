"""发文登记 (issue 21 #4, 教育局 only): the 发文登记簿 of the store per year and 代字 with its gaps,
作废 a number with a reason, 补登 a number given by hand, and the two workbooks of
``kongchuo-docs numbers export`` (发文登记簿.xlsx, 归档文件目录.xlsx) to download.

Every change is a POST (CSRF) answered by a redirect to the page, which shows its outcome once.
The store functions (`store.register`) and the XLSX writer (`kinds.number_register`) are the CLI's.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.background import BackgroundTask

from ..errors import KongchuoError
from ..gbt9704 import format_date
from ..kinds.number_register import RETENTION_CODES
from ..store.tables import STATUS_VOID
from .audit_page import audit
from .bounded import bounded
from .identity import require_bureau
from .pages import owner, render
from .security import require_csrf
from .store_access import county_store, db_url, page_profile

router = APIRouter(dependencies=[Depends(require_bureau)])
PAGE = "numbers"  # the key of the outcome a POST leaves for the next GET
EXPORTS = {"register": "发文登记簿", "catalogue": "归档文件目录"}  # URL name → the workbook export writes
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_REASON = 200  # characters of a 作废 reason kept in 备注


@router.get("/numbers", response_class=HTMLResponse)
async def numbers_page(request: Request, year: str = "") -> HTMLResponse:
    """The register of the chosen year (all years when none), each 代字's numbers in order with the
    numbers missing between them as rows of their own."""
    chosen = _year(year)
    outcome = request.app.state.refused.pop((owner(request), PAGE), None) or {}
    try:
        registers = await asyncio.to_thread(_registers, request, chosen)
    except KongchuoError as exc:
        return render(request, "numbers.html", status_code=409, registers=[], years=[], year=chosen,
                      unavailable=str(exc), retentions=list(RETENTION_CODES), **outcome)  # fmt: skip
    years = sorted({r["year"] for r in registers} | {dt.date.today().year}, reverse=True)
    return render(request, "numbers.html", registers=registers, years=years, year=chosen,
                  retentions=list(RETENTION_CODES), **outcome)  # fmt: skip


def _registers(request: Request, year: int | None) -> list[dict[str, Any]]:
    """The register as the page shows it: per 代字 and year, rows in number order (gaps included)."""
    from ..store.register import doc_number, register_years

    shown = []
    for register in register_years(county_store(request), year=year):
        rows: list[dict[str, Any]] = []
        for sequence, entry in register.numbered():
            if entry is None:
                rows.append({"sequence": sequence, "number": doc_number(register.prefix, register.year, sequence),
                             "gap": True})  # fmt: skip
            else:
                rows.append({**{k: getattr(entry, k) for k in (
                    "sequence", "number", "title", "genre", "recipients", "signers", "pages", "status", "remark")},
                    **{k: format_date(d) if (d := getattr(entry, k)) else "" for k in ("written_on", "printed_on")},
                    "void": entry.status == STATUS_VOID, "gap": False})  # fmt: skip
        shown.append({"prefix": register.prefix, "year": register.year, "rows": rows, "gaps": register.gaps})
    return shown


def _year(text: str) -> int | None:
    """The year a query names (``?year=2026``), None for all years."""
    if not text.strip():
        return None
    if not text.strip().isdigit() or len(text.strip()) != 4:
        raise HTTPException(400, "年份应为 4 位数字，如 2026。")
    return int(text)


def _outcome(request: Request, **outcome: Any) -> RedirectResponse:
    """Keep a POST's outcome for the next GET of the page (shown once) and send the browser there."""
    request.app.state.refused[(owner(request), PAGE)] = outcome
    return RedirectResponse("/numbers", status_code=303)


@router.post("/numbers/void", dependencies=[Depends(require_csrf)])
async def void_post(request: Request) -> Response:
    """作废 a number: it stays in the register as 作废 with the reason, and is never given again."""
    post = await request.form()
    number, reason = str(post.get("number", "")).strip(), str(post.get("reason", "")).strip()[:MAX_REASON]
    if not reason:
        return _outcome(request, problems=[f"作废 {number} 需要填写原因。"])
    try:
        entry = await asyncio.to_thread(_void, request, number, reason)
    except KongchuoError as exc:
        return _outcome(request, problems=[str(exc)])
    return _outcome(request, done=f"已作废：{entry.number}（原因：{reason}），这个号以后不再使用。")


def _void(request: Request, number: str, reason: str) -> Any:
    from ..store.register import doc_number, parse_number, void_number

    prefix, year, sequence = parse_number(number)
    entry = void_number(county_store(request), doc_number(prefix, year, sequence), reason)
    audit(request, "作废发文字号", counts=f"{entry.number}（原因：{reason}）")
    return entry


@router.post("/numbers/add", dependencies=[Depends(require_csrf)])
async def add_post(request: Request) -> Response:
    """补登 a number given by hand (the paper 发文簿): 已发文; 自动 then continues after it."""
    post = await request.form()
    values = {key: str(post.get(key, "")).strip() for key in ("number", "title", "date")}
    try:
        entry = await asyncio.to_thread(_add, request, values)
    except KongchuoError as exc:
        return _outcome(request, problems=[str(exc)], added=values)
    return _outcome(request, done=f"已补登：{entry.number}。")


def _add(request: Request, values: dict[str, str]) -> Any:
    from ..store.issuing import genre_of
    from ..store.register import Issue, add_number, parse_number
    from ..support.normalize import NormalizeError, parse_date

    if not values["number"]:
        raise KongchuoError("补登需要填写发文字号，如 某教综〔2026〕15号。")
    prefix, year, sequence = parse_number(values["number"])
    try:
        written_on = parse_date(values["date"]) if values["date"] else None
    except (NormalizeError, ValueError) as exc:
        raise KongchuoError(f"成文日期 {values['date']}：{exc}") from None
    issue = Issue(title=values["title"], genre=genre_of(values["title"]), issuer=page_profile(request).bureau,
                  written_on=written_on)  # fmt: skip
    entry = add_number(county_store(request), prefix, year, sequence, issue)
    audit(request, "补登发文字号", task=issue.title, counts=entry.number)
    return entry


@router.get("/numbers/export/{which}.xlsx")
async def export(request: Request, which: str, year: str = "", fonds: str = "",
                 retention: str = "永久") -> FileResponse:  # fmt: skip
    """发文登记簿.xlsx or 归档文件目录.xlsx, written as ``numbers export`` writes them."""
    if which not in EXPORTS:
        raise HTTPException(404, "没有这个表。")
    if retention not in RETENTION_CODES:
        raise HTTPException(400, f"保管期限应为 {'、'.join(RETENTION_CODES)} 之一。")
    profile = await asyncio.to_thread(page_profile, request)
    url = await asyncio.to_thread(db_url, request)
    folder = request.app.state.jobs.scratch_folder()
    try:
        await bounded(_export, url, profile.area_code, folder / "out", profile.bureau, _year(year), fonds.strip()[:40],
                      retention)  # fmt: skip
    except KongchuoError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise HTTPException(500, str(exc)) from None
    name = f"{EXPORTS[which]}.xlsx"
    chosen = _year(year)
    await asyncio.to_thread(audit, request, f"导出{EXPORTS[which]}", counts=f"{chosen}年" if chosen else "全部年度",
                            files=[name])  # fmt: skip
    return FileResponse(folder / "out" / name, media_type=XLSX, filename=name,
                        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))  # fmt: skip


def _export(url: str, area_code: str, outdir: Path, unit: str, year: int | None, fonds: str, retention: str) -> None:
    """Both workbooks into `outdir` (in a bounded process: `web.bounded`)."""
    from ..kinds.number_register import export_register_files
    from ..store.database import open_store

    store = open_store(url, area_code)
    try:
        export_register_files(store, outdir, unit=unit, year=year, fonds=fonds, retention=retention)
    finally:
        store.close()
