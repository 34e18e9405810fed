"""Who is logged in, when the store has accounts: a cookie of its own (`ACCOUNT_COOKIE`, HttpOnly,
SameSite=Strict, Secure behind ``--proxy``) carries the session id and the store knows whose it is
(`store.accounts`) — not the signed page cookie, whose key is new at every start: an account's
session survives a restart. `identify` runs before every page and sets `request.state.account`;
without accounts in the store the 访问密码 rules of `app.password_gate` apply."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from .identity import Account

if TYPE_CHECKING:
    from ..store.database import Store
    from .app import ServerConfig

ACCOUNT_COOKIE = "kongchuo_account"  # holds the session id (the store keeps its hash)


def open_page_store(config: ServerConfig) -> Store | None:
    """The page's store (`store.database.Store`) for the county of its 单位设置: ``--db``, else the
    SQLite file beside it. None while there is no readable 单位设置 (no county to key rows by)."""
    from ..errors import InputError
    from ..profile import load_profile
    from ..store.database import open_store, store_url

    path = config.profile_path()
    if not path.is_file() and not config.db:
        return None
    try:
        profile = load_profile(path) if path.is_file() else None
    except InputError:
        return None
    if profile is None:
        return None
    return open_store(store_url(config.db, path), profile.area_code)


def store_of(request: Request) -> Store | None:
    """The page's store (`store.database.Store`), or None before there is a 单位设置."""
    return request.app.state.store


async def accounts_on(request: Request) -> bool:
    """Whether the store has accounts (then the page asks 用户名 + 密码)."""
    from ..store.accounts import has_accounts

    store = store_of(request)
    return store is not None and await run_in_threadpool(has_accounts, store)


async def identify(request: Request) -> bool | None:
    """With accounts: sets `request.state.account` from the session and says whether one is logged
    in (a session ended by 登出, by disabling the account or by its expiry is dropped from the
    cookie). None when the store has no accounts."""
    from ..store.accounts import session_account

    store = store_of(request)
    if store is None:
        return None
    token = request.cookies.get(ACCOUNT_COOKIE)
    row = await run_in_threadpool(session_account, store, token) if token else None
    if row is not None:
        request.state.account = Account(row.name, row.role, row.unit)  # type: ignore[arg-type]
        return True
    request.state.stale_session = bool(token)  # ended, expired or unknown: `forget` drops the cookie
    return False if await accounts_on(request) else None


def remember(request: Request, response: Response, token: str, seconds: int) -> None:
    """Give the browser the session id of a login, for `seconds`."""
    response.set_cookie(ACCOUNT_COOKIE, token, max_age=seconds, path="/", httponly=True, samesite="strict",
                        secure=request.app.state.config.proxy)  # fmt: skip


def forget(request: Request, response: Response) -> None:
    """Drop the session cookie of a 登出, or one the store no longer knows."""
    response.delete_cookie(ACCOUNT_COOKIE, path="/", httponly=True, samesite="strict",
                           secure=request.app.state.config.proxy)  # fmt: skip
