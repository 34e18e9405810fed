"""报送 (issue 21 #3), the uploads: a 乡镇 or 学校 sends its filled form to a round and sees at once
通过 or every problem by cell (the same messages as 汇总, the marked workbook to download); the 教育局
may send a file in a unit's name (one it got by e-mail). Each upload can be downloaded by the 教育局 and
by its own unit only: anyone else gets a Chinese 403.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from ..errors import KongchuoError
from .audit_page import audit
from .bounded import bounded
from .identity import Account
from .pages import owner
from .rounds import Asking, round_of
from .security import Upload, UploadRejected, read_uploads, require_csrf
from .store_access import county

if TYPE_CHECKING:
    from ..rounds.check import Checked
    from ..store.database import Store
    from ..store.tables import Round, RoundUpload

router = APIRouter()
OTHER_UNIT = "只能查看本单位的报送：这份文件属于其他单位。"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.post("/rounds/{round_id}/upload", dependencies=[Depends(require_csrf)])
async def upload_post(request: Request, round_id: int, account: Asking) -> Response:
    """A unit's upload, checked at once and kept whatever it holds (audit: an upload — round, unit, file
    name as sent, 通过 or 有错误 with the count of problems, by whom; a refused file as 未接收 — never a
    cell's content nor a message quoting one)."""
    from ..model.limits import round_upload_problem
    from ..rounds.check import check_upload
    from ..rounds.forms import FORM_INPUTS

    store, _, found = await asyncio.to_thread(round_of, request, round_id)
    form = await request.form()
    unit = str(form.get("unit") or "") if account.is_bureau else account.unit
    if not account.is_bureau and unit not in found.units:
        raise HTTPException(403, "这次报送不要求本单位报送：只能为本单位报送。")
    files = [f for f in form.getlist("file") if isinstance(f, UploadFile) and f.filename]
    shown: dict[str, object] = {}
    if unit not in found.units:
        shown["problems"] = [("field-unit", "报送单位：请选择代为上传的单位。")]
    elif len(files) != 1:
        shown["problems"] = [("field-file", "表格文件：请选择一个填好的表格文件。")]
    else:
        try:
            [upload] = await read_uploads(files, FORM_INPUTS[found.form].suffixes)
            if too_large := round_upload_problem(len(upload.data)):  # refused before it is read
                raise KongchuoError(f"{upload.display_name}：{too_large}")
            # read like every uploaded file: in a bounded process (a hostile workbook costs that process)
            checked = await bounded(check_upload, found.form, unit, upload.display_name, upload.data)
            shown["upload"] = await asyncio.to_thread(_keep, request, store, found, unit, account, upload, checked)
        except (UploadRejected, KongchuoError) as exc:
            shown["problems"] = [("field-file", f"表格文件：{exc}")]
            await asyncio.to_thread(audit, request, "报送上传", account=account, task=found.name, counts=unit,
                                    files=[files[0].filename or ""], outcome="未接收")  # fmt: skip
    request.app.state.refused[(owner(request), f"round-{round_id}")] = shown
    return RedirectResponse(f"/rounds/{round_id}#result", status_code=303)


def _keep(request: Request, store: Store, found: Round, unit: str, account: Account, upload: Upload,
          checked: Checked) -> int:  # fmt: skip
    """Keep the checked upload and log it (in a thread: the store is not the event loop's); its id."""
    from ..store.rounds import add_upload

    kept = add_upload(store, found, unit=unit, uploader=account.name, file_name=upload.display_name,
                      data=upload.data, checked=checked)  # fmt: skip
    audit(request, "报送上传", account=account, task=found.name, counts=unit, files=[upload.display_name],
          outcome=checked.outcome)  # fmt: skip
    return kept.id


def own_upload(request: Request, upload_id: int, account: Account) -> RoundUpload:
    """The upload, if the account may see it (the 教育局, or the unit that sent it): 404 or a Chinese 403."""
    from ..store.rounds import get_upload

    store, _ = county(request)
    try:
        upload = get_upload(store, upload_id)
    except KongchuoError:
        raise HTTPException(404, "没有这份报送文件。") from None
    if not account.may_see(upload.unit):
        raise HTTPException(403, OTHER_UNIT)
    return upload


@router.get("/rounds/uploads/{upload_id}")
def upload_file(request: Request, upload_id: int, account: Asking) -> Response:
    upload = own_upload(request, upload_id, account)
    return _attachment(upload.data, f"{upload.unit}-{upload.file_name}", "application/octet-stream")


@router.get("/rounds/uploads/{upload_id}/errors")
def upload_errors(request: Request, upload_id: int, account: Asking) -> Response:
    upload = own_upload(request, upload_id, account)
    if upload.error_workbook is None:
        raise HTTPException(404, "没有错误标注表。")
    return _attachment(upload.error_workbook, f"{upload.unit}-错误标注.xlsx", XLSX_TYPE)


def _attachment(data: bytes, name: str, media_type: str) -> Response:
    from urllib.parse import quote

    disposition = f"attachment; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})
