"""The pages' bounded calls and drawings: ended at their time limit with a Chinese message, their
process gone; at most `MAX_CALLS` bounded calls at once."""

from __future__ import annotations

import asyncio
import multiprocessing
import time

import pytest

from kongchuo_docs.errors import KongchuoError
from kongchuo_docs.web import bounded as bounded_module
from kongchuo_docs.web import render
from kongchuo_docs.web.bounded import bounded
from kongchuo_docs.web.render import RenderPool


@pytest.mark.parametrize(("func", "arg"), [(time.sleep, 30), (sum, range(10**13))], ids=["waiting", "computing"])
def test_a_call_past_its_time_is_ended_with_a_chinese_message(func, arg):
    started = time.monotonic()
    with pytest.raises(KongchuoError, match="处理超时（超过 1 秒）"):
        asyncio.run(bounded(func, arg, seconds=1))
    assert time.monotonic() - started < 10
    assert not [p for p in multiprocessing.active_children() if p.name == "kongchuo-call"]


def test_calls_beyond_the_limit_wait_their_turn(monkeypatch):
    monkeypatch.setattr(bounded_module, "MAX_CALLS", 2)

    async def six() -> float:
        started = time.monotonic()
        await asyncio.gather(*(bounded(time.sleep, 1.0) for _ in range(6)))
        return time.monotonic() - started

    assert asyncio.run(six()) >= 3.0  # three rounds of two, not one round of six


def test_a_drawing_past_its_time_is_stopped_and_the_pool_replaced(monkeypatch):
    pool = RenderPool(workers=1)

    async def calls() -> None:
        assert await pool.call(abs, -3) == 3  # warmed up
        monkeypatch.setattr(render, "DRAW_SECONDS", 1.0)
        with pytest.raises(KongchuoError, match="处理超时（超过 1 秒）"):
            await pool.call(time.sleep, 60)
        monkeypatch.setattr(render, "DRAW_SECONDS", 300.0)
        assert await pool.call(abs, -4) == 4  # the new processes draw on

    try:
        asyncio.run(calls())
    finally:
        pool.close()
