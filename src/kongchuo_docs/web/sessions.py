"""Server-side state of the page's sessions (the cookie is signed, but a copied cookie would
otherwise stay valid after 登出) and the brake on password guessing.

`Sessions` knows which session ids are logged in and which were ended by 登出: a cookie whose
session was ended is a new, logged-out session, wherever it was copied to.

`Throttle` compares at most one password per `ADDRESS_SLOT_SECONDS` from one client address and
one per `ACCOUNT_SLOT_SECONDS` for the whole server, whatever the number of parallel requests:
each waits for its slots *before* its password is compared, so parallel sessions learn nothing
sooner, and one address's flood delays only itself. A client address is locked out after
`ADDRESS_FAILURES` wrong passwords, every address after `ACCOUNT_FAILURES` (the page has one
account), within `WINDOW_SECONDS`. All in memory: a restart ends every session and every lockout.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable

SESSION_SECONDS = 12 * 3600  # the cookie's lifetime
ADDRESS_SLOT_SECONDS = 1.0
ACCOUNT_SLOT_SECONDS = 0.25
LOOK_SECONDS = 0.2  # how often a waiting request looks whether a lockout has begun
WINDOW_SECONDS = 15 * 60
ADDRESS_FAILURES, ADDRESS_LOCK_SECONDS = 5, 5 * 60
ACCOUNT_FAILURES, ACCOUNT_LOCK_SECONDS = 30, 15 * 60
ACCOUNT = "访问密码"  # the key of the page's one account


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


class Throttle:
    def __init__(self) -> None:
        self._failures: dict[str, list[float]] = {}  # address or ACCOUNT → times of wrong passwords
        self._locked: dict[str, float] = {}  # → end of its lockout (epoch seconds)
        self._next_slot: dict[str, float] = {}  # → its next free slot (monotonic)

    async def check(self, address: str, matches: Callable[[], bool]) -> bool:
        """Wait for the address's and then the server's next slot, then whether `matches()`;
        `LockedOut` while either is locked out."""
        for key, seconds in ((address, ADDRESS_SLOT_SECONDS), (ACCOUNT, ACCOUNT_SLOT_SECONDS)):
            self._refuse_if_locked(address)
            slot = max(time.monotonic(), self._next_slot.get(key, 0.0))
            self._next_slot[key] = slot + seconds
            while (left := slot - time.monotonic()) > 0:  # refused as soon as a lockout begins
                await asyncio.sleep(min(left, LOOK_SECONDS))
                self._refuse_if_locked(address)
        self._refuse_if_locked(address)
        if matches():
            return True
        self._failed(address, ADDRESS_FAILURES, ADDRESS_LOCK_SECONDS)
        self._failed(ACCOUNT, ACCOUNT_FAILURES, ACCOUNT_LOCK_SECONDS)
        return False

    def _refuse_if_locked(self, address: str) -> None:
        until = max(self._locked.get(address, 0.0), self._locked.get(ACCOUNT, 0.0))
        if until > time.time():
            raise LockedOut(until)

    def _failed(self, key: str, most: int, lock_seconds: float) -> None:
        now = time.time()
        recent = [t for t in self._failures.get(key, []) if t > now - WINDOW_SECONDS] + [now]
        self._failures[key] = recent
        if len(recent) >= most:
            self._locked[key] = now + lock_seconds
            self._failures[key] = []
