"""登录: the access password when the server is shared on a network. Guessing is slowed and
locked out per client address and for the server as a whole (`sessions.Throttle`); 登出 ends the
session on the server, so a copied cookie no longer works (`sessions.Sessions`)."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .pages import owner, render
from .security import password_matches, require_csrf
from .sessions import LockedOut, Sessions, Throttle

router = APIRouter()


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return render(request, "login.html")


@router.post("/login", dependencies=[Depends(require_csrf)])
async def login(request: Request, password: Annotated[str, Form()] = "") -> Response:
    expected = request.app.state.config.password
    throttle: Throttle = request.app.state.throttle
    address = request.client.host if request.client else "?"
    try:
        right = bool(expected) and await throttle.check(address, lambda: password_matches(password, expected))
    except LockedOut as exc:
        return render(request, "login.html", status_code=429, error=exc.message())
    if right:
        request.session.pop("sid", None)  # a new session id once logged in (none chosen before is reused)
        request.session["authed"] = True
        sessions: Sessions = request.app.state.sessions
        sessions.log_in(owner(request))
        return RedirectResponse("/", status_code=303)
    return render(request, "login.html", status_code=401, error="密码不正确。")


@router.post("/logout", dependencies=[Depends(require_csrf)])
def logout(request: Request) -> Response:
    sessions: Sessions = request.app.state.sessions
    sessions.end(owner(request))
    request.session.clear()
    request.session["sid"] = secrets.token_urlsafe(24)
    return RedirectResponse("/login" if request.app.state.config.password else "/", status_code=303)
