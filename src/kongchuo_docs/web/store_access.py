"""The county as the pages learn it: the page's 单位设置 and the store keyed by its 行政区划代码. The store's
URL is the one the server was started with (``serve --db``, read from the config when it carries one) else
$KONGCHUO_DB else the SQLite file beside the page's 单位设置; the open `Store` is the page's one
(`gate.store_of`, opened at start and when the 单位设置 is first saved).

Every page learns the 单位设置 here, read from disk once per change of the file (`saved_profile`; the
单位设置 page may change it while the server runs): `page_profile` and `county` for a page that needs it,
`optional_profile` for one that works without one, `profile_or_none` for one that works without a
usable one. While there is no usable 单位设置 they raise `NoCounty` with one of two messages (none yet,
or one with errors): a page may say it in its own place, else the app shows it as a Chinese 409."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import Request

from ..errors import InputError, KongchuoError
from .gate import store_of

if TYPE_CHECKING:
    from ..profile import Profile
    from ..store.database import Store

NO_PROFILE = "这一页需要单位设置（县名、行政区划代码、乡镇和学校）：请先在“单位设置”页填写并保存。"
WRONG_PROFILE = "单位设置有错误：请先在“单位设置”页面改正。"

_read: dict[Path, tuple[tuple[int, int, int], Profile]] = {}  # path → (its stat when read, the 单位设置 read)
_read_lock = threading.Lock()


class NoCounty(KongchuoError):
    """No 单位设置 the page can work with (none yet, or one with errors); the message says which, in Chinese."""


def db_url(request: Request) -> str:
    """The store's URL for this server (the one place the pages decide it)."""
    from ..store.database import store_url

    config = request.app.state.config
    return store_url(config.db, config.profile_path())


def saved_profile(request: Request) -> Profile | None:
    """The page's 单位设置 as saved: None while there is none; `InputError` (its problems located) when it
    has errors. A good one is read and checked again only when the file changed (its inode, size or
    time: the 单位设置 page replaces it) or its 模板目录 went away; one with errors at every request."""
    from ..profile import load_profile
    from ..wording.files import use_profile_templates

    path = request.app.state.config.profile_path()
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    with _read_lock:
        known = _read.get(path)
        if known is None or known[0] != key or not _folder_there(known[1]):
            _read.pop(path, None)
            profile = load_profile(path)  # InputError: not kept
            assert profile is not None  # a file that is there is read, or its problems raised
            _read[path] = known = (key, profile)
    use_profile_templates(known[1].templates_path)  # as `load_profile` does: its 模板目录 is the wording read
    return known[1]


def _folder_there(profile: Profile) -> bool:
    folder = profile.templates_path
    return folder is None or folder.is_dir()


def optional_profile(request: Request) -> Profile | None:
    """The 单位设置 for a page that works without one: None while there is none; `NoCounty` when it has
    errors."""
    try:
        return saved_profile(request)
    except InputError:
        raise NoCounty(WRONG_PROFILE) from None


def profile_or_none(request: Request) -> Profile | None:
    """The 单位设置 for a page that works without a usable one (the 单位设置 page says what is wrong)."""
    try:
        return optional_profile(request)
    except NoCounty:
        return None


def page_profile(request: Request) -> Profile:
    """The 单位设置 the page works with; `NoCounty` while there is none or it is wrong."""
    profile = optional_profile(request)
    if profile is None:
        raise NoCounty(NO_PROFILE)
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
