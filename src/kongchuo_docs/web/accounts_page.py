"""账号: the 教育局 lists the county's accounts, adds one (its unit chosen from the 单位设置's 乡镇 and
学校), disables one (her sessions end at once) and sets a new password. Every change goes to the
操作日志. The first account turns the page to 用户名 + 密码 login (`gate`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..errors import KongchuoError
from .audit_page import audit
from .identity import ROLES
from .pages import owner, render
from .security import require_csrf
from .store_access import county, county_store

router = APIRouter()  # the 教育局's (identity.PAGE_ROLES)
PAGE = "accounts"


@router.get("/accounts", response_class=HTMLResponse)
def accounts_page(request: Request) -> HTMLResponse:
    """The accounts, and the form adding one (its unit one of the 单位设置's, by role)."""
    from ..store.accounts import PASSWORD_MIN_CHARS, list_accounts

    store, profile = county(request)
    units = {"教育局": [profile.bureau], "乡镇": [t.name for t in profile.townships],
             "学校": [s.name for s in profile.schools]}  # fmt: skip
    outcome = request.app.state.refused.pop((owner(request), PAGE), {})
    return render(request, "accounts.html", status_code=outcome.get("status", 200), roles=ROLES,
                  accounts=list_accounts(store), units=units, min_chars=PASSWORD_MIN_CHARS,
                  message=outcome.get("message", ""), error=outcome.get("error", ""))  # fmt: skip


def _back(request: Request, *, message: str = "", error: str = "") -> RedirectResponse:
    """The outcome shown once by the next GET (Back and reload never resubmit)."""
    request.app.state.refused[(owner(request), PAGE)] = {"message": message, "error": error,
                                                         "status": 422 if error else 200}  # fmt: skip
    return RedirectResponse("/accounts", status_code=303)


def _twice(password: str, again: str) -> str:
    if password != again:
        raise KongchuoError("两次输入的密码不一致")
    return password


@router.post("/accounts", dependencies=[Depends(require_csrf)])
def account_add(request: Request, username: Annotated[str, Form()] = "", role: Annotated[str, Form()] = "",
                unit: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
                again: Annotated[str, Form()] = "") -> Response:  # fmt: skip
    from ..store.accounts import add_account, has_accounts, unit_for

    store, profile = county(request)
    first = not has_accounts(store)
    try:
        password = _twice(password, again)
        account = add_account(store, username, role, unit_for(profile, role, unit), password)
    except KongchuoError as exc:
        return _back(request, error=str(exc))
    audit(request, "添加账号", counts=f"账号 {account.name}（{account.role}，{account.unit}）")
    if first:  # the page now asks 用户名 + 密码: this browser logs in as anyone else would
        return RedirectResponse("/login", status_code=303)
    return _back(request, message=f"已添加账号 {account.name}。")


@router.post("/accounts/disable", dependencies=[Depends(require_csrf)])
def account_disable(request: Request, username: Annotated[str, Form()] = "") -> Response:
    from ..store.accounts import disable_account

    store = county_store(request)
    try:
        account = disable_account(store, username)
    except KongchuoError as exc:
        return _back(request, error=str(exc))
    audit(request, "停用账号", counts=f"账号 {account.name}")
    return _back(request, message=f"已停用账号 {account.name}：它已登录的网页已退出。")


@router.post("/accounts/password", dependencies=[Depends(require_csrf)])
def account_password(request: Request, username: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
                     again: Annotated[str, Form()] = "") -> Response:  # fmt: skip
    from ..store.accounts import reset_password

    store = county_store(request)
    try:
        account = reset_password(store, username, _twice(password, again))
    except KongchuoError as exc:
        return _back(request, error=str(exc))
    audit(request, "重设密码", counts=f"账号 {account.name}")
    return _back(request, message=f"已为 {account.name} 设置新密码（账号已启用，需用新密码重新登录）。")
