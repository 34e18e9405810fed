"""Who is logged in, when the store has accounts: the session cookie carries a session id, the store
knows whose it is (`store.accounts`). `identify` runs before every page and sets
`request.state.account`; without accounts in the store the 访问密码 rules of `app.password_gate` apply."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from .identity import Account

if TYPE_CHECKING:
    from ..store.database import Store

TOKEN_KEY = "token"  # the session cookie's key holding the session id (the store keeps its hash)


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
    token = request.session.get(TOKEN_KEY)
    row = await run_in_threadpool(session_account, store, token) if token else None
    if row is not None:
        request.state.account = Account(row.name, row.role, row.unit)  # type: ignore[arg-type]
        return True
    if token:
        request.session.clear()
    return False if await accounts_on(request) else None
