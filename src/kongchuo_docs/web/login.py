"""登录: the access password when the server is shared on a network."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .app import render
from .security import password_matches, require_csrf

router = APIRouter()
FAILED_DELAY_SECONDS = 1.0  # slows down guessing


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return render(request, "login.html")


@router.post("/login", dependencies=[Depends(require_csrf)])
async def login(request: Request, password: Annotated[str, Form()] = "") -> Response:
    expected = request.app.state.config.password
    if expected and password_matches(password, expected):
        request.session["authed"] = True
        return RedirectResponse("/", status_code=303)
    await asyncio.sleep(FAILED_DELAY_SECONDS)
    return render(request, "login.html", status_code=401, error="密码不正确。")


@router.post("/logout", dependencies=[Depends(require_csrf)])
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login" if request.app.state.config.password else "/", status_code=303)
