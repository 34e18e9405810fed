"""The web application: `create_app` wires the pages, the session, the password gate (accounts from
the store, else the one 访问密码), the job pool and the security headers; `serve` runs it with uvicorn
(``kongchuo-docs serve``)."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import secrets
import threading
import time
import webbrowser
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from . import security
from .gate import forget, identify, open_page_store
from .hosts import AllowedHosts, SameSite
from .identity import require_role
from .jobs import KEEP_SECONDS, Job, JobManager
from .kept_jobs import StoreKeeper, kept_root, restore_jobs, session_key
from .pages import HERE, render
from .render import RenderPool, disk_message
from .sessions import SESSION_SECONDS, Sessions, Throttle
from .store_access import NoCounty

if TYPE_CHECKING:
    from ..store.database import Store

OPEN_PATHS = ("/login", "/static/")  # reachable before the password is given
STATUS_MESSAGES = {404: "没有这个页面。", 405: "请用页面上的按钮提交。", 413: "上传内容过大。"}


@dataclass(frozen=True)
class ServerConfig:
    """How the server runs: `password` None means no login (loopback only); `keep` in seconds."""

    host: str = "127.0.0.1"
    port: int = 8765
    password: str | None = None
    workers: int = 2
    keep: float = KEEP_SECONDS
    work_dir: Path | None = None  # where job folders are made (default: the system temp folder; kept
    # jobs, with a store: beside the 单位设置)
    profile: Path | None = None  # the 单位设置 the page edits (default: the one the commands find)
    allow_hosts: tuple[str, ...] = ()  # names besides the bound address and localhost (serve --allow-host)
    db: str | None = None  # the store's URL (serve --db; default the SQLite file beside 单位设置)
    proxy: bool = False  # behind the county's nginx on this machine: X-Forwarded-* trusted, cookie Secure

    def profile_path(self) -> Path:
        """The 单位设置 file: as given, else the one found from the current folder, else a new one here."""
        from ..profile import PROFILE_NAME, find_profile_path

        return self.profile or find_profile_path() or Path.cwd() / PROFILE_NAME


def create_app(config: ServerConfig | None = None) -> FastAPI:
    config = config or ServerConfig()
    from .audit_page import job_entry

    store = open_page_store(config)

    def log_finished(job: Job) -> None:  # in the pool's thread; the store may come with the first 单位设置
        if app.state.store is not None:
            job_entry(app.state.store, job)

    # with a store, jobs outlive a restart (web/kept_jobs.py)
    keeper = StoreKeeper(kept_root(config.work_dir, config.profile_path()), lambda: app.state.store) if store else None
    jobs = JobManager(config.work_dir, workers=config.workers, keep=config.keep, on_finished=log_finished,
                      keeper=keeper)  # fmt: skip
    drawing = RenderPool()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        close_app(app)

    app = FastAPI(title="控辍保学文书工具箱", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan,
                  dependencies=[Depends(require_role)])  # what a role may open: identity.PAGE_ROLES
    app.state.config = config
    app.state.jobs = jobs
    app.state.render = drawing
    app.state.store = store
    if keeper is not None:
        restore_jobs(jobs, keeper)
    app.state.previews = {}
    app.state.sessions = sessions = Sessions()
    app.state.throttle = Throttle(on_lock=lambda name, until: keep_lockout(app, name, until),
                                  locked=kept_lockouts(store))  # an account's lockout outlives a restart
    app.state.issued = {}  # session id → its last document numbered from the 发文登记簿 (web/notice_issue.py)
    app.state.notices = {}  # session id → its 写通知 page as she left it (web/notice.py)
    app.state.refused = {}  # (session id, page) → what a POST left for the next GET of that page, shown once
    app.state.draft_images = {}  # session id → the folder of its draft's pictures (web/draft_images.py)

    @app.middleware("http")
    async def password_gate(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        account_logged_in = await identify(request)  # None: no accounts, the 访问密码 rules below
        if sessions.ended(request.session.get("sid")):  # a cookie copied before its 登出
            request.session.clear()
        logged_in = sessions.logged_in(request.session.get("sid"))
        must_log_in = config.password and not logged_in if account_logged_in is None else not account_logged_in
        response: Response
        if must_log_in and not request.url.path.startswith(OPEN_PATHS):
            if request.method == "GET":
                response = RedirectResponse("/login", status_code=303)
            else:
                response = Response("请先登录。", status_code=401, media_type="text/plain; charset=utf-8")
        else:
            response = await call_next(request)
        if getattr(request.state, "stale_session", False):
            forget(request, response)
        return response

    # added last = outermost: the session is read before the password gate runs; with kept jobs its key
    # is kept too, so a browser's session (its jobs, its drafts) outlives a restart
    key = session_key(keeper.root) if keeper is not None else secrets.token_urlsafe(32)
    app.add_middleware(SessionMiddleware, secret_key=key, session_cookie="kongchuo_session",
                       same_site="strict", max_age=SESSION_SECONDS, https_only=config.proxy)  # fmt: skip
    app.add_middleware(SameSite, hosts=AllowedHosts(config.host, config.allow_hosts))
    app.add_middleware(security.Guard)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        chinese = isinstance(exc.detail, str) and any("\u4e00" <= ch <= "\u9fff" for ch in exc.detail)
        message = exc.detail if chinese else STATUS_MESSAGES.get(exc.status_code, "请求无法处理。")
        return render(request, "error.html", status_code=exc.status_code, message=message)

    @app.exception_handler(NoCounty)
    async def no_county(request: Request, exc: NoCounty) -> Response:
        return render(request, "error.html", status_code=409, message=str(exc))

    @app.exception_handler(RequestValidationError)
    async def incomplete_form(request: Request, exc: RequestValidationError) -> Response:
        return render(request, "error.html", status_code=400, message="表单不完整：请选择文件并填写必填项后再提交。")

    @app.exception_handler(OSError)
    async def disk_error(request: Request, exc: OSError) -> Response:
        disk = disk_message(exc)
        if disk is None:
            raise exc  # an internal error (below)
        return render(request, "error.html", status_code=507, message=disk)  # disk full…: the clerk can act

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        logging.getLogger("kongchuo_docs.web").error("内部错误：%s（%s）", type(exc).__name__, request.url.path)
        return render(request, "error.html", status_code=500, message="内部错误，请重试；如仍出错请联系管理员。")

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for router in page_routers():
        app.include_router(router)
    return app


def close_app(app: FastAPI) -> None:
    """What a stopping server closes (its lifespan's end; a test closes its app with it): the jobs (running
    ones ended, the job folders not kept deleted), the drawing processes and the store."""
    app.state.jobs.close()
    app.state.render.close()
    if app.state.store is not None:
        app.state.store.close()


def keep_lockout(app: FastAPI, name: str, until: float) -> None:
    """Write the login lockout of the account `name` (until `until`, epoch seconds) into the store."""
    from ..store.accounts import lock_account

    if app.state.store is not None:
        lock_account(app.state.store, name, until)


def kept_lockouts(store: Store | None) -> dict[str, float]:
    """The accounts' login lockouts the store keeps that have not ended (用户名 → end, epoch seconds)."""
    from ..store.accounts import account_lockouts

    return account_lockouts(store, time.time()) if store is not None else {}


def page_routers() -> list[APIRouter]:
    """The pages, one module each."""
    from . import (
        accounts_page,
        audit_page,
        blank_forms,
        home,
        job_pages,
        letters,
        login,
        notice,
        notice_issue,
        numbers_page,
        round_uploads,
        rounds,
        settings_page,
        tables,
        templates_page,
    )

    return [page.router for page in (home, login, notice, notice_issue, numbers_page, letters, tables, job_pages,
                                     blank_forms, settings_page, templates_page, accounts_page, audit_page, rounds,
                                     round_uploads)]


def with_profile_password(config: ServerConfig) -> ServerConfig:
    """`config` with the profile's 访问密码 when none was given (environment, prompt). A profile that cannot be
    read stops an open server (its password may be in it); on 127.0.0.1 it is only reported, so
    the 单位设置 page can fix it."""
    if config.password:
        return config
    from .. import console
    from ..errors import InputError
    from ..profile import load_profile

    path = config.profile_path()
    if not path.is_file():
        return config
    try:
        profile = load_profile(path)
    except InputError as exc:
        if not security.is_loopback(config.host):
            raise
        console.problems(exc.problems)
        console.warn("单位设置有错误，可在网页的“单位设置”中修改")
        return config
    return dataclasses.replace(config, password=profile.password or None) if profile else config


def serve(config: ServerConfig, *, open_browser: bool = True) -> None:
    """Run the server until interrupted (blocks)."""
    import uvicorn

    config = with_profile_password(config)
    security.check_bind(config.host, config.password, accounts=has_accounts_now(config), proxy=config.proxy)
    app = create_app(config)
    url = f"http://{'127.0.0.1' if config.host in ('0.0.0.0', '::') else config.host}:{config.port}/"
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    # access log off: URLs and queries are not written anywhere (nothing of a roster reaches a log)
    # behind --proxy the nginx on this machine tells the client's address and scheme; else nobody does
    uvicorn.run(app, host=config.host, port=config.port, access_log=False, log_level="warning",
                proxy_headers=config.proxy, forwarded_allow_ips="127.0.0.1")


def has_accounts_now(config: ServerConfig) -> bool:
    """Whether the page's store has accounts (at start: then no 访问密码 is needed on an open address)."""
    from ..store.accounts import has_accounts

    store = open_page_store(config)
    if store is None:
        return False
    try:
        return has_accounts(store)
    finally:
        store.close()
