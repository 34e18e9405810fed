"""写通知 drafts kept in the store (issue 21 #5): the form as she left it survives a restart of the
server. Kept per account (its 用户名) when the server has accounts, else per browser session; a
draft not changed for `DRAFT_KEEP_DAYS` is deleted. Only the form's values are kept (a notice names
no child), never logged; a draft's pictures stay with the session (web/draft_images.py).

The page works without a store (no 单位设置 yet, the database away): the draft then lives only in
the server's memory, as before, and the page says nothing is lost but that.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from fastapi import Request
from sqlalchemy.exc import SQLAlchemyError

from ..errors import KongchuoError
from ..store.drafts import forget_draft, load_draft, save_draft
from .identity import current_account
from .notice_form import NoticeForm
from .pages import owner
from .store_access import county_store

DRAFT_KEEP_DAYS = 30  # a draft not saved again for this many days is deleted
KEEP = dt.timedelta(days=DRAFT_KEEP_DAYS)
_log = logging.getLogger("kongchuo_docs.web")


def draft_owner(request: Request) -> str:
    """Whose draft: the account's 用户名, else the browser session."""
    name = current_account(request).name
    return f"用户:{name}" if name else f"会话:{owner(request)}"


async def save(request: Request, form: NoticeForm) -> None:
    """Keep `form` as the draft of the request's owner (quietly nothing when the store is away)."""
    await _quietly(request, save_draft, dataclasses.asdict(form), KEEP)


async def stored(request: Request) -> NoticeForm | None:
    """The owner's draft from the store, None if none (or expired, or the store is away)."""
    data = await _quietly(request, load_draft, KEEP)
    if not isinstance(data, dict):
        return None
    values = {str(k): str(v) for k, v in (data.get("values") or {}).items()}
    attachments = [{str(k): str(v) for k, v in a.items()} for a in data.get("attachments") or []]
    return NoticeForm(values, seal=bool(data.get("seal")), attachments=attachments)


async def forget(request: Request) -> None:
    """Delete the owner's draft (新建)."""
    await _quietly(request, forget_draft)


async def _quietly(request: Request, func: Callable[..., Any], *args: Any) -> Any:
    """`func(store, owner, *args)` in a thread; None when there is no store to use."""
    try:
        return await asyncio.to_thread(lambda: func(county_store(request), draft_owner(request), *args))
    except KongchuoError:
        return None  # no 单位设置 yet: the draft stays in memory only
    except SQLAlchemyError as exc:  # the database away: said in the server's log, never the form
        _log.warning("写通知草稿未能保存到数据库：%s", type(exc).__name__)
        return None
