"""Only this page talks to the server: the `Host` a request names must be the bound address,
localhost or a name given with ``serve --allow-host`` (a web page elsewhere that rebinds its own
name to this machine is refused: DNS rebinding), and a request that changes something must come
from a page of this server (its `Origin`, or its `Referer` when a browser sent no Origin).

An IP address typed into the browser is always the machine it names, never a rebinding; on a
wildcard address (0.0.0.0, ::) any of the machine's addresses is therefore accepted.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
WILDCARDS = ("0.0.0.0", "::", "")
LOCAL_NAMES = ("localhost",)
WRONG_HOST = "此网页版只接受通过本机地址或 --allow-host 指定的名称访问（收到的地址为 {host}）。"
WRONG_ORIGIN = "请求不是从本网页版的页面发出的（来源 {origin}），已拒绝。请在本网页版中重新打开页面后操作。"


def host_name(header: str) -> str:
    """The name in a `Host` header without its port, lower case, without a final dot
    (``[::1]:8765`` → ``::1``)."""
    header = header.strip().lower()
    if header.startswith("["):
        name = header[1:].partition("]")[0]
    elif header.count(":") == 1:
        name = header.partition(":")[0]
    else:
        name = header
    return name.rstrip(".")


def _ip(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


class AllowedHosts:
    """The names and addresses this server answers to."""

    def __init__(self, bound: str, extra: Iterable[str] = ()):
        self.bound = host_name(bound)
        self.names = {*LOCAL_NAMES, *(host_name(n) for n in extra if n.strip())}
        if _ip(self.bound) is None:
            self.names.add(self.bound)

    def __contains__(self, header: object) -> bool:
        name = host_name(str(header))
        address = _ip(name)
        if address is None:
            return name in self.names
        return address.is_loopback or self.bound in WILDCARDS or address == _ip(self.bound)


def same_origin(headers: dict[bytes, bytes]) -> tuple[bool, str]:
    """Whether a state-changing request comes from a page of the host it is sent to, and the
    origin it named (for the message)."""
    host = headers.get(b"host", b"").decode("latin-1").strip().lower()
    origin = headers.get(b"origin", b"").decode("latin-1").strip()
    if not origin:  # an older browser: the page's address instead
        referer = urlsplit(headers.get(b"referer", b"").decode("latin-1").strip())
        origin = f"{referer.scheme}://{referer.netloc}" if referer.netloc else ""
    parts = urlsplit(origin.lower())
    return bool(host) and parts.scheme in ("http", "https") and parts.netloc == host, origin or "无"


class SameSite:
    """ASGI middleware: 421 for a foreign `Host`, 403 for a change asked from another page."""

    def __init__(self, app: ASGIApp, hosts: AllowedHosts):
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        host = headers.get(b"host", b"").decode("latin-1")
        if host not in self.hosts:
            await _refuse(send, 421, WRONG_HOST.format(host=host[:100] or "无"))
            return
        if scope["method"] not in SAFE_METHODS:
            ok, origin = same_origin(headers)
            if not ok:
                await _refuse(send, 403, WRONG_ORIGIN.format(origin=origin[:100]))
                return
        await self.app(scope, receive, send)


async def _refuse(send: Send, status: int, message: str) -> None:
    body = message.encode("utf-8")
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
