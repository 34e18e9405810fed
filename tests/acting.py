"""Test-only: who is at the page, until accounts land (issue 21 #1). A middleware puts the `Account` a
test names in the ``acting`` cookie (``角色|单位|用户名``, URL-encoded) on ``request.state.account`` —
the contract `web.identity.current_account` reads; no cookie, no account: the 教育局 as today. The lead
replaces it by real login when the accounts branch is merged."""

from __future__ import annotations

from urllib.parse import quote, unquote

from kongchuo_docs.web.identity import Account

COOKIE = "acting"


def install(app) -> None:
    """Let `app` take its acting account from the ``acting`` cookie."""

    @app.middleware("http")
    async def acting(request, call_next):
        raw = request.cookies.get(COOKIE)
        if raw:
            role, unit, name = unquote(raw).split("|")
            request.state.account = Account(name=name, role=role, unit=unit)
        return await call_next(request)


def cookie(role: str, unit: str = "", name: str = "") -> str:
    """The cookie value that makes the page see `role` of `unit` named `name`."""
    return quote(f"{role}|{unit}|{name}")


if __name__ == "__main__":  # the browser test's server: ``python tests/acting.py PORT 单位设置.yaml``
    import sys
    from pathlib import Path

    import uvicorn

    from kongchuo_docs.web.app import ServerConfig, create_app

    port, profile = int(sys.argv[1]), Path(sys.argv[2])
    server = create_app(ServerConfig(port=port, profile=profile))
    install(server)
    uvicorn.run(server, host="127.0.0.1", port=port, access_log=False, log_level="warning")
