"""The web application: `create_app` wires the pages, the session, the password gate, the job pool
and the security headers; `serve` runs it with uvicorn (``kongchuo-docs serve``)."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import secrets
import threading
import webbrowser
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from ..declare import TASKS
from . import security
from .hosts import AllowedHosts, SameSite
from .jobs import KEEP_SECONDS, JobManager
from .render import RenderPool, disk_message
from .sessions import SESSION_SECONDS, Sessions, Throttle

HERE = Path(__file__).parent
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
    work_dir: Path | None = None  # where job folders are made (default: the system temp folder)
    profile: Path | None = None  # the 单位设置 the page edits (default: the one the commands find)
    allow_hosts: tuple[str, ...] = ()  # names besides the bound address and localhost (serve --allow-host)

    def profile_path(self) -> Path:
        """The 单位设置 file: as given, else the one found from the current folder, else a new one here."""
        from ..profile import PROFILE_NAME, find_profile_path

        return self.profile or find_profile_path() or Path.cwd() / PROFILE_NAME


templates = Jinja2Templates(directory=str(HERE / "templates"))  # .html autoescaped
templates.env.globals["declared"] = TASKS  # every task in the navigation


def render(request: Request, name: str, status_code: int = 200, **context: object) -> HTMLResponse:
    """A page of the site: every page gets the CSRF token for its forms."""
    context.setdefault("csrf", security.csrf_token(request))
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def owner(request: Request) -> str:
    """The session's private id: it owns that session's jobs and previews."""
    return security.session_value(request, "sid", 24)


def create_app(config: ServerConfig | None = None) -> FastAPI:
    config = config or ServerConfig()
    jobs = JobManager(config.work_dir, workers=config.workers, keep=config.keep)
    drawing = RenderPool()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.close()  # running jobs ended, every job folder deleted
        drawing.close()
        for store in app.state.stores.values():
            store.close()

    app = FastAPI(title="控辍保学文书工具箱", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.config = config
    app.state.jobs = jobs
    app.state.render = drawing
    app.state.previews = {}
    app.state.sessions = sessions = Sessions()
    app.state.throttle = Throttle()
    app.state.notices = {}  # session id → its 写通知 page as she left it (web/notice.py)
    app.state.refused = {}  # (session id, page) → what a POST left for the next GET of that page, shown once
    app.state.draft_images = {}  # session id → the folder of its draft's pictures (web/draft_images.py)
    app.state.stores = {}  # (database URL, 行政区划代码) → the store, opened on first use (web/rounds.py)

    @app.middleware("http")
    async def password_gate(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if sessions.ended(request.session.get("sid")):  # a cookie copied before its 登出
            request.session.clear()
        logged_in = sessions.logged_in(request.session.get("sid"))
        if config.password and not logged_in and not request.url.path.startswith(OPEN_PATHS):
            if request.method == "GET":
                return RedirectResponse("/login", status_code=303)
            return Response("请先登录。", status_code=401, media_type="text/plain; charset=utf-8")
        return await call_next(request)

    # added last = outermost: the session is read before the password gate runs
    app.add_middleware(SessionMiddleware, secret_key=secrets.token_urlsafe(32), session_cookie="kongchuo_session",
                       same_site="strict", max_age=SESSION_SECONDS)  # fmt: skip
    app.add_middleware(SameSite, hosts=AllowedHosts(config.host, config.allow_hosts))
    app.add_middleware(security.Guard)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        chinese = isinstance(exc.detail, str) and any("\u4e00" <= ch <= "\u9fff" for ch in exc.detail)
        message = exc.detail if chinese else STATUS_MESSAGES.get(exc.status_code, "请求无法处理。")
        return render(request, "error.html", status_code=exc.status_code, message=message)

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


def page_routers() -> list[APIRouter]:
    """The pages, one module each."""
    from . import (
        blank_forms,
        home,
        job_pages,
        letters,
        login,
        notice,
        round_uploads,
        rounds,
        settings_page,
        tables,
        templates_page,
    )

    return [page.router for page in (home, login, notice, letters, tables, job_pages, blank_forms, settings_page,
                                     templates_page, rounds, round_uploads)]


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
    security.check_bind(config.host, config.password)
    app = create_app(config)
    url = f"http://{'127.0.0.1' if config.host in ('0.0.0.0', '::') else config.host}:{config.port}/"
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    # access log off: URLs and queries are not written anywhere (nothing of a roster reaches a log)
    uvicorn.run(app, host=config.host, port=config.port, access_log=False, log_level="warning")
