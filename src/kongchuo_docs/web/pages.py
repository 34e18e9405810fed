"""What every page of the site shares: the Jinja templates (``web/templates/*.html``, autoescaped),
`render` (a page with its CSRF token) and `owner` (the session's private id).

The page modules (`home`, `notice`, `letters`, …) import these from here; `app` imports the page
modules to include their routers, so no page module imports `app`."""

from __future__ import annotations

from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ..declare import TASKS
from . import security

HERE = Path(__file__).parent

templates = Jinja2Templates(directory=str(HERE / "templates"))  # .html autoescaped
templates.env.globals["declared"] = TASKS  # every task in the navigation


def render(request: Request, name: str, status_code: int = 200, **context: object) -> HTMLResponse:
    """A page of the site: every page gets the CSRF token for its forms."""
    context.setdefault("csrf", security.csrf_token(request))
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def owner(request: Request) -> str:
    """The session's private id: it owns that session's jobs and previews."""
    return security.session_value(request, "sid", 24)
