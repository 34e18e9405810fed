"""Server-side state of the page's sessions (the cookie is signed, but a copied cookie would
otherwise stay valid after 登出) and the brake on password guessing.

`Sessions` knows which session ids are logged in and which were ended by 登出: a cookie whose
session was ended is a new, logged-out session, wherever it was copied to.

`Throttle` compares at most one password per `ADDRESS_SLOT_SECONDS` from one client address and,
with the one 访问密码, one per `ACCOUNT_SLOT_SECONDS` for the whole server — with accounts, one per
`USER_SLOT_SECONDS` for each 用户名 — whatever the number of parallel requests: each waits for its
slots *before* its password is compared, so parallel sessions learn nothing sooner, and one
address's flood delays only itself. A client address is locked out after `ADDRESS_FAILURES` wrong
passwords, the 访问密码 (every address) after `ACCOUNT_FAILURES`, one 用户名 after `USER_FAILURES`,
within `WINDOW_SECONDS`. The lockout's end is told. All in memory: a restart ends every lockout (and,
with the 访问密码, every session; accounts' sessions are in the store).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

SESSION_SECONDS = 12 * 3600  # the cookie's lifetime
ADDRESS_SLOT_SECONDS = 1.0
ACCOUNT_SLOT_SECONDS = 0.25
LOOK_SECONDS = 0.2  # how often a waiting request looks whether a lockout has begun
WINDOW_SECONDS = 15 * 60
ADDRESS_FAILURES, ADDRESS_LOCK_SECONDS = 5, 5 * 60
ACCOUNT_FAILURES, ACCOUNT_LOCK_SECONDS = 30, 15 * 60
USER_SLOT_SECONDS = 1.0
USER_FAILURES, USER_LOCK_SECONDS = 10, 15 * 60
ACCOUNT = "访问密码"  # the key of the page's one account
USER_KEY = "用户:"  # + 用户名: the key of an account's own brake
KEYS_KEPT = 10_000  # failure records kept at most (typed names are anyone's choice)


class Sessions:
    """Logged-in and ended session ids, each forgotten after the cookie's lifetime."""

    def __init__(self) -> None:
        self._logged_in: dict[str, float] = {}  # session id → when it expires (monotonic)
        self._ended: dict[str, float] = {}

    def log_in(self, sid: str) -> None:
        self._prune()
        self._logged_in[sid] = time.monotonic() + SESSION_SECONDS

    def logged_in(self, sid: str | None) -> bool:
        return sid is not None and self._logged_in.get(sid, 0.0) > time.monotonic()

    def end(self, sid: str) -> None:
        """登出: the session id is never accepted again."""
        self._prune()
        self._logged_in.pop(sid, None)
        self._ended[sid] = time.monotonic() + SESSION_SECONDS

    def ended(self, sid: str | None) -> bool:
        return sid is not None and sid in self._ended

    def _prune(self) -> None:
        now = time.monotonic()
        for store in (self._logged_in, self._ended):
            for sid in [s for s, until in store.items() if until <= now]:
                del store[sid]


class LockedOut(Exception):
    """Login refused until `until` (seconds since the epoch)."""

    def __init__(self, until: float):
        super().__init__(until)
        self.until = until

    def message(self) -> str:
        end = dt.datetime.fromtimestamp(self.until).strftime("%H:%M:%S")
        return f"密码错误次数过多，登录已暂停，请于 {end} 后再试。"


@dataclass(frozen=True)
class Brake:
    """One key's limits: a password compared at most once per `slot_seconds`; `failures` wrong ones
    within `WINDOW_SECONDS` lock it for `lock_seconds`."""

    slot_seconds: float
    failures: int
    lock_seconds: float


BY_ADDRESS = Brake(ADDRESS_SLOT_SECONDS, ADDRESS_FAILURES, ADDRESS_LOCK_SECONDS)
BY_PASSWORD = Brake(ACCOUNT_SLOT_SECONDS, ACCOUNT_FAILURES, ACCOUNT_LOCK_SECONDS)
BY_USER = Brake(USER_SLOT_SECONDS, USER_FAILURES, USER_LOCK_SECONDS)


class Throttle:
    def __init__(self, on_lock: Callable[[str, float], None] | None = None,
                 locked: dict[str, float] | None = None) -> None:  # fmt: skip
        """`on_lock(用户名, end)`, run in a thread, keeps an account's lockout where a restart finds it
        again; `locked` (用户名 → end, epoch seconds) are the lockouts kept by the server before."""
        self._on_lock = on_lock
        self._failures: dict[str, list[float]] = {}  # address, ACCOUNT or USER_KEY+name → wrong passwords' times
        # → end of its lockout (epoch seconds)
        self._locked: dict[str, float] = {USER_KEY + name: until for name, until in (locked or {}).items()}
        self._next_slot: dict[str, float] = {}  # → its next free slot (monotonic)

    async def check(self, address: str, matches: Callable[[], bool], user: str | None = None) -> bool:
        """Wait for the address's and then the 访问密码's (or, given `user`, that 用户名's) next slot,
        then whether `matches()` (run in a thread: an argon2 hash takes CPU); `LockedOut` while
        either is locked out."""
        brakes = ((address, BY_ADDRESS), (ACCOUNT, BY_PASSWORD) if user is None else (USER_KEY + user, BY_USER))
        keys = [key for key, _ in brakes]
        for key, brake in brakes:
            self._refuse_if_locked(keys)
            slot = max(time.monotonic(), self._next_slot.get(key, 0.0))
            self._next_slot[key] = slot + brake.slot_seconds
            while (left := slot - time.monotonic()) > 0:  # refused as soon as a lockout begins
                await asyncio.sleep(min(left, LOOK_SECONDS))
                self._refuse_if_locked(keys)
        self._refuse_if_locked(keys)
        if await asyncio.to_thread(matches):
            return True
        for key, brake in brakes:
            self._failed(key, brake)
        if user is not None and self._on_lock is not None and USER_KEY + user in self._locked:
            until = self._locked[USER_KEY + user]
            if until > time.time():
                await asyncio.to_thread(self._on_lock, user, until)
        return False

    def _refuse_if_locked(self, keys: list[str]) -> None:
        until = max(self._locked.get(key, 0.0) for key in keys)
        if until > time.time():
            raise LockedOut(until)

    def _failed(self, key: str, brake: Brake) -> None:
        now = time.time()
        if len(self._failures) > KEYS_KEPT:
            self._prune(now)
        recent = [t for t in self._failures.get(key, []) if t > now - WINDOW_SECONDS] + [now]
        self._failures[key] = recent
        if len(recent) >= brake.failures:
            self._locked[key] = now + brake.lock_seconds
            self._failures[key] = []

    def _prune(self, now: float) -> None:
        """Forget failures past the window, lockouts past their end and slots long free."""
        self._failures = {k: ts for k, ts in self._failures.items() if ts and ts[-1] > now - WINDOW_SECONDS}
        self._locked = {k: until for k, until in self._locked.items() if until > now}
        moment = time.monotonic()
        self._next_slot = {k: slot for k, slot in self._next_slot.items() if slot > moment}
