"""Accounts of the shared page (issue 21 #1) and their server-side sessions.

A password is kept only as its argon2id hash (`argon2-cffi`, its default parameters: RFC 9106's
low-memory choice). A session's id lives in the person's cookie; the store keeps its SHA-256, when
it ends, and whose it is — so sessions survive a restart, 登出 deletes one, and disabling an account
deletes all of its sessions in the same transaction (her next request is logged out).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import KongchuoError
from .database import Store
from .tables import USER_NAME_MAX_CHARS, AccountRow, LoginSession

if TYPE_CHECKING:
    from ..profile import Profile

ROLES = ("教育局", "乡镇", "学校")
PASSWORD_MIN_CHARS = 8
PASSWORD_MAX_CHARS = 256  # argon2 hashes any length; a megabyte "password" would only cost CPU
SESSION_TOKEN_BYTES = 32


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()


def check_name(name: str) -> str:
    """A 用户名 as stored: stripped, 1–32 printable characters without spaces (KongchuoError if not)."""
    name = name.strip()
    if not name or len(name) > USER_NAME_MAX_CHARS or any(ch.isspace() or not ch.isprintable() for ch in name):
        raise KongchuoError(f"用户名应为 1–{USER_NAME_MAX_CHARS} 个字符，不含空格")
    return name


def check_password(password: str) -> str:
    """A new password (KongchuoError if too short or too long)."""
    if not PASSWORD_MIN_CHARS <= len(password) <= PASSWORD_MAX_CHARS:
        raise KongchuoError(f"密码应为 {PASSWORD_MIN_CHARS}–{PASSWORD_MAX_CHARS} 个字符")
    return password


def unit_for(profile: Profile, role: str, unit: str) -> str:
    """The unit an account of `role` belongs to: the profile's 教育局 for the 教育局, else `unit`, which
    must be one of the profile's 乡镇 or 学校 (KongchuoError naming the choices if not)."""
    bureau = profile.bureau
    if role not in ROLES:
        raise KongchuoError(f"角色应为 {'、'.join(ROLES)} 之一（收到 {role}）")
    if role == "教育局":
        if unit.strip() and unit.strip() != bureau:
            raise KongchuoError(f"教育局账号的单位是单位设置中的教育局“{bureau}”，不能是“{unit.strip()}”")
        return bureau
    choices = [place.name for place in (profile.townships if role == "乡镇" else profile.schools)]
    unit = unit.strip()
    if unit not in choices:
        listed = "、".join(choices[:10]) + ("等" if len(choices) > 10 else "") or "（单位设置中还没有）"
        raise KongchuoError(f"单位“{unit}”不是单位设置中的{role}：可选 {listed}")
    return unit


def add_account(store: Store, name: str, role: str, unit: str, password: str) -> AccountRow:
    """A new account (KongchuoError if the 用户名 is taken in this county)."""
    name, hashed, now = check_name(name), _hasher().hash(check_password(password)), _now()
    try:
        with store.engine.begin() as connection:
            connection.execute(AccountRow.__table__.insert().values(
                area_code=store.area_code, name=name, role=role, unit=unit, password_hash=hashed, disabled=False,
                created_at=now, changed_at=now))  # fmt: skip
    except IntegrityError:
        raise KongchuoError(f"用户名“{name}”已存在") from None
    return find_account(store, name)


def list_accounts(store: Store) -> list[AccountRow]:
    """This county's accounts, by role (教育局, 乡镇, 学校), unit and 用户名."""
    rows = _rows(store, select(AccountRow).where(AccountRow.area_code == store.area_code))
    return sorted(rows, key=lambda a: (ROLES.index(a.role) if a.role in ROLES else 9, a.unit, a.name))


def has_accounts(store: Store) -> bool:
    """Whether this county has any account that may log in (then the page asks 用户名 + 密码)."""
    query = select(exists().where(AccountRow.area_code == store.area_code, AccountRow.disabled.is_(False)))
    with store.engine.connect() as connection:
        return bool(connection.execute(query).scalar())


def find_account(store: Store, name: str) -> AccountRow:
    """The account named `name` (KongchuoError if none)."""
    rows = _rows(store, select(AccountRow).where(AccountRow.area_code == store.area_code,
                                                 AccountRow.name == name.strip()))  # fmt: skip
    if not rows:
        raise KongchuoError(f"没有用户名为“{name.strip()}”的账号")
    return rows[0]


def disable_account(store: Store, name: str) -> AccountRow:
    """Disable an account and end every session of it at once."""
    account = find_account(store, name)
    with store.engine.begin() as connection:
        connection.execute(update(AccountRow).where(AccountRow.id == account.id)
                           .values(disabled=True, changed_at=_now()))  # fmt: skip
        connection.execute(delete(LoginSession).where(LoginSession.account_id == account.id))
    return find_account(store, name)


def reset_password(store: Store, name: str, password: str) -> AccountRow:
    """A new password for `name` (enabling the account again); its sessions end."""
    account, hashed = find_account(store, name), _hasher().hash(check_password(password))
    with store.engine.begin() as connection:
        connection.execute(update(AccountRow).where(AccountRow.id == account.id)
                           .values(password_hash=hashed, disabled=False, changed_at=_now()))  # fmt: skip
        connection.execute(delete(LoginSession).where(LoginSession.account_id == account.id))
    return find_account(store, name)


def verify_login(store: Store, name: str, password: str) -> AccountRow | None:
    """The enabled account `name` when `password` is hers, else None. CPU-bound (argon2): run it in a
    thread. An unknown name costs as much as a known one (no timing tells which names exist)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    rows = _rows(store, select(AccountRow).where(AccountRow.area_code == store.area_code,
                                                 AccountRow.name == name.strip()))  # fmt: skip
    hasher = _hasher()
    stored = rows[0].password_hash if rows else _decoy()
    try:
        hasher.verify(stored, password[:PASSWORD_MAX_CHARS])
    except (VerificationError, InvalidHashError):
        return None
    return rows[0] if rows and not rows[0].disabled else None


def lock_account(store: Store, name: str, until: float) -> None:
    """Keep the login lockout of the account `name` until `until` (epoch seconds) across restarts
    (nothing for a name that is no account)."""
    with store.engine.begin() as connection:
        connection.execute(update(AccountRow).where(AccountRow.area_code == store.area_code, AccountRow.name == name)
                           .values(locked_until=until))  # fmt: skip


def account_lockouts(store: Store, now: float) -> dict[str, float]:
    """The 用户名 whose login lockout has not ended at `now` (epoch seconds), with its end."""
    query = select(AccountRow.name, AccountRow.locked_until).where(
        AccountRow.area_code == store.area_code, AccountRow.locked_until > now)
    with store.engine.connect() as connection:
        return {name: until for name, until in connection.execute(query)}


@functools.cache
def _decoy() -> str:
    """A hash no password matches, verified for an unknown name (as slow as a real one)."""
    return _hasher().hash(secrets.token_urlsafe(16))


def start_session(store: Store, account: AccountRow, seconds: float) -> str:
    """A new session of `account` lasting `seconds`; returns its id (for the cookie, never stored)."""
    token = secrets.token_urlsafe(SESSION_TOKEN_BYTES)
    now = _now()
    with store.engine.begin() as connection:
        connection.execute(delete(LoginSession).where(LoginSession.expires_at <= now))  # the expired ones
        connection.execute(LoginSession.__table__.insert().values(
            token_hash=_digest(token), account_id=account.id, created_at=now,
            expires_at=now + dt.timedelta(seconds=seconds)))  # fmt: skip
    return token


def session_account(store: Store, token: str | None) -> AccountRow | None:
    """The enabled account whose unexpired session `token` is, else None."""
    if not token:
        return None
    query = (select(AccountRow).join(LoginSession, LoginSession.account_id == AccountRow.id)
             .where(LoginSession.token_hash == _digest(token), LoginSession.expires_at > _now(),
                    AccountRow.area_code == store.area_code, AccountRow.disabled.is_(False)))  # fmt: skip
    rows = _rows(store, query)
    return rows[0] if rows else None


def end_session(store: Store, token: str | None) -> None:
    """登出: the session `token` is deleted (its cookie logs nobody in again)."""
    if token:
        with store.engine.begin() as connection:
            connection.execute(delete(LoginSession).where(LoginSession.token_hash == _digest(token)))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _rows(store: Store, query: Any) -> list[AccountRow]:
    with Session(store.engine, expire_on_commit=False) as session:
        rows = list(session.scalars(query))
        session.expunge_all()
    return rows
