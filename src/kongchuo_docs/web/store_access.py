"""The store as the pages reach it: the URL the server was started with (``serve --db``, read from the
config when it carries one) else $KONGCHUO_DB else the SQLite file beside the page's 单位设置; one open
`Store` per county kept for the server's life (opening runs the migrations: not once per request)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from fastapi import Request

from ..errors import InputError, KongchuoError

if TYPE_CHECKING:
    from ..profile import Profile
    from ..store.database import Store

NO_PROFILE = "发文登记簿保存在单位设置旁边：请先在“单位设置”中填写并保存本单位的设置。"


def db_url(request: Request) -> str:
    """The store's URL for this server (the one place the pages decide it)."""
    from ..store.database import store_url

    config = request.app.state.config
    return store_url(getattr(config, "db", None), config.profile_path())


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


class Stores:
    """Stores opened by the server, one per (URL, 行政区划代码); closed with the server."""

    def __init__(self) -> None:
        self._open: dict[tuple[str, str], Store] = {}
        self._lock = threading.Lock()

    def get(self, url: str, area_code: str) -> Store:
        """The open store (opened, and brought to the newest schema, on first use). Blocking: call it
        from a thread (`asyncio.to_thread`), not from the event loop."""
        from ..store.database import open_store

        with self._lock:
            key = (url, area_code)
            if key not in self._open:
                self._open[key] = open_store(url, area_code)
            return self._open[key]

    def close(self) -> None:
        with self._lock:
            for store in self._open.values():
                store.close()
            self._open.clear()


def county_store(request: Request) -> Store:
    """This county's store (blocking: from a thread)."""
    stores: Stores = request.app.state.stores
    return stores.get(db_url(request), page_profile(request).area_code)
