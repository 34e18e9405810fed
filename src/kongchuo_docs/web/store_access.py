"""The store as the pages reach it: the URL the server was started with (``serve --db``, read from the
config when it carries one) else $KONGCHUO_DB else the SQLite file beside the page's 单位设置; the open
`Store` is the page's one (`gate.store_of`, opened at start and when the 单位设置 is first saved)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request

from ..errors import InputError, KongchuoError
from .gate import store_of

if TYPE_CHECKING:
    from ..profile import Profile
    from ..store.database import Store

NO_PROFILE = "发文登记簿保存在单位设置旁边：请先在“单位设置”中填写并保存本单位的设置。"


def db_url(request: Request) -> str:
    """The store's URL for this server (the one place the pages decide it)."""
    from ..store.database import store_url

    config = request.app.state.config
    return store_url(config.db, config.profile_path())


def page_profile(request: Request) -> Profile:
    """The 单位设置 the page works with; KongchuoError (in Chinese) while there is none or it is wrong."""
    from ..profile import load_profile

    path = request.app.state.config.profile_path()
    if not path.is_file():
        raise KongchuoError(NO_PROFILE)
    try:
        profile = load_profile(path)
    except InputError:
        raise KongchuoError("单位设置有错误：请先在“单位设置”页面改正。") from None
    assert profile is not None
    return profile


def county_store(request: Request) -> Store:
    """This county's store: the page's one store (`gate.store_of`); KongchuoError (in Chinese) while there
    is no 单位设置 to key its rows by."""
    page_profile(request)  # the Chinese reason when the 单位设置 is missing or wrong
    store = store_of(request)
    if store is None:
        raise KongchuoError(NO_PROFILE)
    return store
