"""What every page of the site shares: the Jinja templates (``web/templates/*.html``, autoescaped),
`render` (a page with its CSRF token) and `owner` (who owns jobs and previews).

The page modules (`home`, `notice`, `letters`, …) import these from here; `app` imports the page
modules to include their routers, so no page module imports `app`."""

from __future__ import annotations

from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ..declare import TASKS
from . import security
from .identity import Account, current_account

HERE = Path(__file__).parent

templates = Jinja2Templates(directory=str(HERE / "templates"))  # .html autoescaped
templates.env.globals["navigation"] = (  # (path, label); each shown to the roles that may open it
    ("/notice", "写通知"), *((task.url, task.nav) for task in TASKS.values() if task.name != "forms"),
    ("/rounds", "报送"), (TASKS["forms"].url, TASKS["forms"].nav), ("/numbers", "发文登记"), ("/templates", "模板"),
    ("/settings", "单位设置"), ("/accounts", "账号"), ("/audit", "操作日志"))
templates.env.globals["current_account"] = current_account  # the navigation shows what her role may open


def render(request: Request, name: str, status_code: int = 200, **context: object) -> HTMLResponse:
    """A page of the site: every page gets the CSRF token for its forms."""
    context.setdefault("csrf", security.csrf_token(request))
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def owner(request: Request) -> str:
    """Who owns jobs and previews: the logged-in account (every session of hers), else the session's
    private id."""
    account = getattr(request.state, "account", None)
    if isinstance(account, Account) and account.name:
        return f"账号:{account.name}"  # a session id (token_urlsafe) never holds a colon
    return security.session_value(request, "sid", 24)
