"""登录: with accounts in the store (`kongchuo-docs users add`), 用户名 and 密码, the session kept in the
store (`gate`); else the one access password when the server is shared on a network. Guessing is
slowed and locked out per client address and per 用户名 (or for the 访问密码 as a whole), the
lockout's end told (`sessions.Throttle`); 登出 ends the session on the server, so a copied cookie no
longer works. Logins, failed logins and 登出 go to the 操作日志."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..store.accounts import USER_NAME_MAX_CHARS
from .audit_page import audit
from .gate import ACCOUNT_COOKIE, accounts_on, forget, remember, store_of
from .identity import Account
from .pages import owner, render
from .security import password_matches, require_csrf
from .sessions import SESSION_SECONDS, LockedOut, Sessions, Throttle

router = APIRouter()
WRONG = "用户名或密码不正确。"


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request) -> HTMLResponse:
    return render(request, "login.html", accounts=await accounts_on(request))


@router.post("/login", dependencies=[Depends(require_csrf)])
async def login(request: Request, password: Annotated[str, Form()] = "",
                username: Annotated[str, Form()] = "") -> Response:  # fmt: skip
    if await accounts_on(request):
        return await _account_login(request, username.strip()[:USER_NAME_MAX_CHARS], password)
    expected = request.app.state.config.password
    throttle: Throttle = request.app.state.throttle
    try:
        right = bool(expected) and await throttle.check(_address(request),
                                                        lambda: password_matches(password, expected))
    except LockedOut as exc:
        return render(request, "login.html", status_code=429, error=exc.message())
    if right:
        request.session.pop("sid", None)  # a new session id once logged in (none chosen before is reused)
        request.session["authed"] = True
        sessions: Sessions = request.app.state.sessions
        sessions.log_in(owner(request))
        await run_in_threadpool(audit, request, "登录")
        return RedirectResponse("/", status_code=303)
    await run_in_threadpool(audit, request, "登录失败", account=_stranger(""), outcome="密码不正确")
    return render(request, "login.html", status_code=401, error="密码不正确。")


async def _account_login(request: Request, name: str, password: str) -> Response:
    """用户名 + 密码 against the store (argon2, in a thread); a new session in the store on success."""
    from ..store.accounts import AccountRow, start_session, verify_login

    store = store_of(request)
    found: list[AccountRow] = []

    def matches() -> bool:
        row = verify_login(store, name, password)
        found.extend([row] if row is not None else [])
        return row is not None

    throttle: Throttle = request.app.state.throttle
    stranger = _stranger(name)
    try:
        right = await throttle.check(_address(request), matches, user=name)
    except LockedOut as exc:
        await run_in_threadpool(audit, request, "登录失败", account=stranger, outcome="已暂停登录")
        return render(request, "login.html", status_code=429, error=exc.message(), accounts=True, username=name)
    if not right:
        await run_in_threadpool(audit, request, "登录失败", account=stranger, outcome="用户名或密码不正确")
        return render(request, "login.html", status_code=401, error=WRONG, accounts=True, username=name)
    row = found[0]
    token = await run_in_threadpool(start_session, store, row, SESSION_SECONDS)
    request.session.clear()  # a new page cookie: nothing chosen before logging in is reused
    account = Account(row.name, row.role, row.unit)  # type: ignore[arg-type]
    await run_in_threadpool(audit, request, "登录", account=account)
    response = RedirectResponse("/", status_code=303)
    remember(request, response, token, SESSION_SECONDS)
    return response


def _stranger(name: str) -> Account:
    """Who tried a failed login, for the 操作日志: the name typed, no role."""
    return Account(name=name, role="")  # type: ignore[arg-type]


def _address(request: Request) -> str:
    """The client's address (behind ``serve --proxy`` the one nginx forwarded)."""
    return request.client.host if request.client else "?"


@router.post("/logout", dependencies=[Depends(require_csrf)])
def logout(request: Request) -> Response:
    from ..store.accounts import end_session

    token = request.cookies.get(ACCOUNT_COOKIE)
    if token or request.session.get("authed"):
        audit(request, "登出")
    if token:
        end_session(store_of(request), token)
    else:
        sessions: Sessions = request.app.state.sessions
        sessions.end(owner(request))
    request.session.clear()
    request.session["sid"] = secrets.token_urlsafe(24)
    shared = request.app.state.config.password or token
    response = RedirectResponse("/login" if shared else "/", status_code=303)
    if token:
        forget(request, response)
    return response
