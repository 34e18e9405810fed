"""The pages' bounded calls: ended at their time limit with a Chinese message, their process gone;
at most `MAX_CALLS` at once."""

from __future__ import annotations

import asyncio
import multiprocessing
import time

import pytest

from kongchuo_docs.errors import KongchuoError
from kongchuo_docs.web import bounded as bounded_module
from kongchuo_docs.web.bounded import bounded


def test_a_call_past_its_time_is_ended_with_a_chinese_message():
    started = time.monotonic()
    with pytest.raises(KongchuoError, match="处理超时（超过 1 秒）"):
        asyncio.run(bounded(time.sleep, 30, seconds=1))
    assert time.monotonic() - started < 10
    assert not [p for p in multiprocessing.active_children() if p.name == "kongchuo-call"]


def test_calls_beyond_the_limit_wait_their_turn(monkeypatch):
    monkeypatch.setattr(bounded_module, "MAX_CALLS", 2)

    async def six() -> float:
        started = time.monotonic()
        await asyncio.gather(*(bounded(time.sleep, 1.0) for _ in range(6)))
        return time.monotonic() - started

    assert asyncio.run(six()) >= 3.0  # three rounds of two, not one round of six
