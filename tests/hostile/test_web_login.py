"""Login that resists guessing: parallel sessions share one slow lane and a lockout (said in
Chinese with its end time); 登出 ends the session on the server, a copied cookie included."""

from __future__ import annotations

import asyncio
import re
import secrets
import threading
import time

import pytest
from web_helpers import csrf_of, own_app, page_client

from kongchuo_docs.web import sessions
from kongchuo_docs.web.sessions import LockedOut, Throttle

from .served import Server

PASSWORD = "办公室的长密码"


@pytest.fixture
def fast_slots(monkeypatch):
    """Slots of 0.1 s (address) and 0.01 s (server) instead of 1 s and 0.25 s."""
    monkeypatch.setattr(sessions, "ADDRESS_SLOT_SECONDS", 0.1)
    monkeypatch.setattr(sessions, "ACCOUNT_SLOT_SECONDS", 0.01)


def _guesses(throttle: Throttle, address: str, count: int) -> tuple[list[float], list[object]]:
    """`count` wrong passwords sent at once from `address`: when each was compared, and each outcome."""
    compared: list[float] = []

    def wrong() -> bool:
        compared.append(time.monotonic())
        return False

    async def all_at_once() -> list[object]:
        return await asyncio.gather(*(throttle.check(address, wrong) for _ in range(count)), return_exceptions=True)

    return compared, asyncio.run(all_at_once())


def test_fifty_parallel_sessions_get_one_guess_per_slot_then_a_lockout(fast_slots):
    throttle = Throttle()
    compared, outcomes = _guesses(throttle, "10.0.0.9", 50)
    assert len(compared) == sessions.ADDRESS_FAILURES  # then the address is locked out
    span = compared[-1] - compared[0]  # one per slot, not 50 at once
    assert span >= 0.8 * (len(compared) - 1) * sessions.ADDRESS_SLOT_SECONDS
    assert sum(isinstance(o, LockedOut) for o in outcomes) == 50 - sessions.ADDRESS_FAILURES
    locked = next(o for o in outcomes if isinstance(o, LockedOut))
    assert locked.until - time.time() > sessions.ADDRESS_LOCK_SECONDS - 5
    assert re.fullmatch(r"密码错误次数过多，登录已暂停，请于 \d\d:\d\d:\d\d 后再试。", locked.message())
    other, outcomes = _guesses(throttle, "10.0.0.10", 1)  # another address still may try
    assert len(other) == 1 and outcomes == [False]


def test_guesses_from_many_addresses_lock_the_account(fast_slots):
    throttle = Throttle()
    for n in range(sessions.ACCOUNT_FAILURES):
        _guesses(throttle, f"10.0.1.{n}", 1)
    compared, outcomes = _guesses(throttle, "10.0.2.1", 1)
    assert compared == [] and isinstance(outcomes[0], LockedOut)


def test_the_page_says_the_lockout_and_its_end_time(tmp_path, fast_slots):
    application = own_app(tmp_path, password=PASSWORD)
    with page_client(application) as c:
        token = csrf_of(c, "/login")
        for _ in range(sessions.ADDRESS_FAILURES):
            assert c.post("/login", data={"password": "猜一个", "csrf": token}).status_code == 401
        refused = c.post("/login", data={"password": PASSWORD, "csrf": token})  # even the right one, now
        assert refused.status_code == 429
        assert re.search(r"登录已暂停，请于 \d\d:\d\d:\d\d 后再试", refused.text)
        assert c.get("/", follow_redirects=False).status_code == 303


def test_logout_ends_a_copied_cookie_too(tmp_path):
    application = own_app(tmp_path, password=PASSWORD)
    with page_client(application) as c, page_client(application) as copy:
        token = csrf_of(c, "/login")
        assert c.post("/login", data={"password": PASSWORD, "csrf": token}).status_code == 200
        copy.cookies.set("kongchuo_session", c.cookies.get("kongchuo_session"))
        assert copy.get("/settings", follow_redirects=False).status_code == 200  # the copy works while logged in
        token = csrf_of(c)
        assert c.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
        assert c.get("/settings", follow_redirects=False).headers["location"] == "/login"
        assert copy.get("/settings", follow_redirects=False).headers["location"] == "/login"


def test_fifty_parallel_sessions_on_a_real_server_get_five_guesses(tmp_path):
    server = Server(tmp_path, secrets.token_hex(8), password=PASSWORD)
    try:
        browsers = [server.session() for _ in range(50)]
        answers: list[tuple[float, int]] = []

        def guess(client, token: str) -> None:
            status = client.post("/login", data={"password": "猜一个", "csrf": token}).status_code
            answers.append((time.monotonic(), status))

        started = time.monotonic()
        threads = [threading.Thread(target=guess, args=browser) for browser in browsers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        statuses = sorted(status for _, status in answers)
        assert statuses == [401] * sessions.ADDRESS_FAILURES + [429] * (50 - sessions.ADDRESS_FAILURES)
        wrong = sorted(at - started for at, status in answers if status == 401)
        assert wrong[-1] - wrong[0] >= 0.8 * (sessions.ADDRESS_FAILURES - 1) * sessions.ADDRESS_SLOT_SECONDS
        assert max(at for at, _ in answers) - started < 30  # the locked-out rest is refused at once
        client, token = browsers[0]
        locked = client.post("/login", data={"password": PASSWORD, "csrf": token})
        assert locked.status_code == 429 and re.search(r"请于 \d\d:\d\d:\d\d 后再试", locked.text)
    finally:
        server.stop()
