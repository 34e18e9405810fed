"""What keeps the page safe to share on an office network: who may start it on which address,
the access password, CSRF tokens, upload limits and the security headers.

Rosters hold children's ID numbers, so uploads are treated as hostile: a file is at most
`MAX_FILE_BYTES`, a request at most `MAX_FILES` files, an .xlsx/.docx/.zip (all zips) may not
unpack to more than `MAX_XLSX_UNPACKED` bytes, hold more than `MAX_ZIP_MEMBERS` parts or a part
packed more than `MAX_ZIP_RATIO` times, nor be damaged or encrypted — an .xlsx inside an uploaded
zip no less than one uploaded directly — and an upload's name is only ever shown, never used as a path.
"""

from __future__ import annotations

import asyncio
import hmac
import io
import ipaddress
import secrets
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath

from fastapi import HTTPException, Request
from starlette.datastructures import UploadFile
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import KongchuoError

MAX_FILE_BYTES = 20 * 1024 * 1024  # per uploaded file
MAX_FILES = 200  # per request
MAX_XLSX_UNPACKED = 200 * 1024 * 1024  # sum of an .xlsx's unpacked parts (zip bombs)
MAX_REQUEST_BYTES = 256 * 1024 * 1024  # a whole request body
MAX_ZIP_MEMBERS = 2_000  # parts of one zip-based file (an .xlsx has a dozen, a zip of 200 files a few hundred)
MAX_ZIP_RATIO = 500  # unpacked ÷ packed size of one part (Excel's XML packs 10–30 times)
RATIO_FLOOR = 1024 * 1024  # bytes: a smaller part is never a bomb, whatever its ratio
ZIP_BASED = (".xlsx", ".xlsm", ".docx", ".odt", ".zip")  # packages whose parts are unpacked and checked
DAMAGED = "文件已损坏或不是有效的 Excel/Word/zip 文件，请另存后重新上传。"
PASSWORD_ENV = "KONGCHUO_PASSWORD"  # the access password, kept off the command line (ps shows it)
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",  # browsers send Origin "null" under no-referrer
    "cache-control": "no-store",
}


class StartRefused(KongchuoError):
    """The server must not start as asked (an open address without a password)."""


def check_bind(host: str, password: str | None, *, accounts: bool = False, proxy: bool = False) -> None:
    """Refuse an address other than loopback — or any address behind a proxy (nginx on this machine
    brings the network to the loopback address) — without accounts or an access password."""
    if accounts or password:
        return
    if proxy:
        raise StartRefused("在 nginx 之后（--proxy）对外提供服务必须有登录：请先用 kongchuo-docs users add "
                           "添加教育局账号，或设置访问密码。")
    if is_loopback(host):
        return
    raise StartRefused(
        f"在 {host} 上开放给局域网使用必须有登录：用 kongchuo-docs users add 添加账号，或在单位设置中填写“访问密码”，"
        f"或设置环境变量 {PASSWORD_ENV}，或加 --ask-password 在启动时输入。"
    )


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Upload:
    """An accepted upload: its bytes, the suffix it is stored with, and its name for display only."""

    display_name: str
    suffix: str
    data: bytes


class UploadRejected(KongchuoError):
    """An upload the page refuses (type, size, count, corrupt or bomb)."""


def display_name(name: str | None) -> str:
    """The last part of an upload's name, for messages only (never joined to a path)."""
    last = PurePath((name or "").replace("\\", "/")).name
    cleaned = "".join(ch for ch in last if ch.isprintable())[:120]
    return cleaned or "上传的文件"


async def read_uploads(files: list[UploadFile], suffixes: tuple[str, ...]) -> list[Upload]:
    """Read and check uploaded files: count, type by suffix, size, and a zip-based file's parts
    (`check_zip`, in a thread: it unpacks them)."""
    files = [f for f in files if f.filename]
    if not files:
        raise UploadRejected("请选择要上传的文件。")
    if len(files) > MAX_FILES:
        raise UploadRejected(f"一次最多上传 {MAX_FILES} 个文件（本次 {len(files)} 个）；更多文件请打包为 zip。")
    accepted = []
    for item in files:
        name = display_name(item.filename)
        suffix = PurePath(name).suffix.lower()
        if suffix not in suffixes:
            raise UploadRejected(f"{name}：不支持的文件类型（可上传 {'、'.join(suffixes)}）。")
        data = await item.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise UploadRejected(f"{name}：文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB。")
        if suffix in ZIP_BASED:
            await asyncio.to_thread(check_zip, name, data)
        accepted.append(Upload(name, suffix, data))
    return accepted


async def expand_zips(uploads: list[Upload], suffixes: tuple[str, ...]) -> list[Upload]:
    """Uploads with every .zip replaced by the files in it that have one of `suffixes` (folders
    inside are flattened; a member's name is shown, never used as a path). An .xlsx/.docx inside
    is checked as a direct upload is (`check_zip`). Unpacked in a thread."""
    return await asyncio.to_thread(_expand_zips, uploads, suffixes)


def _expand_zips(uploads: list[Upload], suffixes: tuple[str, ...]) -> list[Upload]:
    expanded: list[Upload] = []
    for upload in uploads:
        if upload.suffix != ".zip":
            expanded.append(upload)
            continue
        with zipfile.ZipFile(io.BytesIO(upload.data)) as zf:  # checked by read_uploads
            for info in zf.infolist():
                name = display_name(info.filename.encode("cp437").decode("gbk", "replace")
                                    if not info.flag_bits & 0x800 else info.filename)  # fmt: skip
                suffix = PurePath(name).suffix.lower()
                if info.is_dir() or suffix not in suffixes or name.startswith(("~$", ".")):
                    continue
                shown = f"{upload.display_name}/{name}"
                data = _member(zf, info, shown)
                if suffix in ZIP_BASED:
                    check_zip(shown, data)
                expanded.append(Upload(shown, suffix, data))
    if len(expanded) > MAX_FILES:
        raise UploadRejected(f"一次最多处理 {MAX_FILES} 个文件（本次 {len(expanded)} 个）。")
    if not expanded:
        raise UploadRejected(f"压缩包中没有可读取的文件（{'、'.join(suffixes)}）。")
    return expanded


def check_zip(name: str, data: bytes) -> None:
    """Refuse a zip-based file that is corrupt (every part is unpacked and its checksum tested),
    encrypted, has more than `MAX_ZIP_MEMBERS` parts, unpacks to more than `MAX_XLSX_UNPACKED`
    bytes, or has a part that unpacks to more than `MAX_ZIP_RATIO` times its packed size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                raise UploadRejected(f"{name}：包含 {len(infos)} 个部件，最多 {MAX_ZIP_MEMBERS} 个，拒绝读取。")
            if sum(info.file_size for info in infos) > MAX_XLSX_UNPACKED:
                raise UploadRejected(f"{name}：解压后超过 {MAX_XLSX_UNPACKED // (1024 * 1024)} MB，拒绝读取。")
            for info in infos:
                _member(zf, info, name)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise UploadRejected(f"{name}：{DAMAGED}") from None


def _member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """One part of a zip, unpacked (Python stops at its declared size and tests its checksum)."""
    if info.flag_bits & 0x1:
        raise UploadRejected(f"{name}：文件已加密（设置了密码），请去掉密码后另存再上传。")
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
        raise UploadRejected(f"{name}：压缩比异常（{display_name(info.filename)} 解压后是压缩时的 "
                             f"{info.file_size // max(info.compress_size, 1)} 倍），拒绝读取。")  # fmt: skip
    try:
        return zf.read(info)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, NotImplementedError):
        raise UploadRejected(f"{name}（{display_name(info.filename)}）：{DAMAGED}") from None
    except RuntimeError:  # "encrypted, password required" without the flag in the central directory
        raise UploadRejected(f"{name}：文件已加密（设置了密码），请去掉密码后另存再上传。") from None


def session_value(request: Request, key: str, nbytes: int = 32) -> str:
    """A random value kept in the signed session cookie under `key`, created on first use."""
    value = request.session.get(key)
    if not value:
        value = secrets.token_urlsafe(nbytes)
        request.session[key] = value
    return value


def csrf_token(request: Request) -> str:
    """The session's CSRF token."""
    return session_value(request, "csrf")


async def require_csrf(request: Request) -> None:
    """FastAPI dependency of every POST: the form field or header must carry the session's token."""
    expected = request.session.get("csrf", "")
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent and request.headers.get("content-type", "").startswith(
        ("multipart/form-data", "application/x-www-form-urlencoded")
    ):
        form = await request.form(max_files=MAX_FILES + 1)
        sent = str(form.get(CSRF_FIELD, ""))
    if not expected or not hmac.compare_digest(str(sent), str(expected)):
        raise HTTPException(403, "页面已过期或来源不明（CSRF 校验失败），请刷新页面后重试。")


def password_matches(given: str, password: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), password.encode("utf-8"))


class Guard:
    """ASGI middleware: the security headers on every response, and a cap on the request body."""

    def __init__(self, app: ASGIApp, max_body: int | None = None):
        self.app = app
        self.max_body = max_body or MAX_REQUEST_BYTES

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            await _too_large(send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body:
                raise HTTPException(413, "上传内容过大。")
            return message

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.decode().lower() not in HEADERS]
                headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, counted, with_headers)


async def _too_large(send: Send) -> None:
    body = f"上传内容超过 {MAX_REQUEST_BYTES // (1024 * 1024)} MB，请分批上传。".encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
