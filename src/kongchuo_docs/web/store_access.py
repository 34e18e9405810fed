"""The county as the pages learn it: the page's 单位设置 and the store keyed by its 行政区划代码. The store's
URL is the one the server was started with (``serve --db``, read from the config when it carries one) else
$KONGCHUO_DB else the SQLite file beside the page's 单位设置; the open `Store` is the page's one
(`gate.store_of`, opened at start and when the 单位设置 is first saved). While there is no usable 单位设置
they raise `NoCounty`: a page may say it in its own place, else the app shows it as a Chinese 409."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request

from ..errors import InputError, KongchuoError
from .gate import store_of

if TYPE_CHECKING:
    from ..profile import Profile
    from ..store.database import Store

NO_PROFILE = "这一页需要单位设置（县名、行政区划代码、乡镇和学校）：请先在“单位设置”页填写并保存。"
WRONG_PROFILE = "单位设置有错误：请先在“单位设置”页面改正。"


class NoCounty(KongchuoError):
    """No 单位设置 the page can work with (none yet, or one with errors); the message says which, in Chinese."""


def db_url(request: Request) -> str:
    """The store's URL for this server (the one place the pages decide it)."""
    from ..store.database import store_url

    config = request.app.state.config
    return store_url(config.db, config.profile_path())


def page_profile(request: Request) -> Profile:
    """The 单位设置 the page works with; `NoCounty` while there is none or it is wrong."""
    from ..profile import load_profile

    path = request.app.state.config.profile_path()
    if not path.is_file():
        raise NoCounty(NO_PROFILE)
    try:
        profile = load_profile(path)
    except InputError:
        raise NoCounty(WRONG_PROFILE) from None
    assert profile is not None
    return profile


def county(request: Request) -> tuple[Store, Profile]:
    """This county: the page's one store (`gate.store_of`) and its 单位设置; `NoCounty` while there is no
    usable 单位设置 to key the store's rows by."""
    profile = page_profile(request)
    store = store_of(request)
    if store is None:
        raise NoCounty(NO_PROFILE)
    return store, profile


def county_store(request: Request) -> Store:
    """This county's store (`county` without its 单位设置)."""
    return county(request)[0]
