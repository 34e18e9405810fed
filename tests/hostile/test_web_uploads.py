"""Uploads the page refuses in Chinese, never with HTTP 500: a bomb inside a zip (checked like a
direct upload), damaged and encrypted parts, too many parts, a malformed JSON body."""

from __future__ import annotations

import time

import pytest
from web_helpers import check_roster, csrf_of

from kongchuo_docs.web import security

from .zips import MB, bad_crc, bomb, encrypted, lying_sizes, zip_of


def _batch(client, files: dict[str, bytes]):
    return client.post("/batch/compile", data={"csrf": csrf_of(client)},
                       files=[("forms", (name, data)) for name, data in files.items()])  # fmt: skip


def _refused(response, *words: str) -> None:
    assert response.status_code == 400, response.text[:500]
    assert "Traceback" not in response.text and "内部错误" not in response.text
    for word in words:
        assert word in response.text, (word, response.text[:800])


def test_an_xlsx_bomb_inside_a_zip_is_refused_unread(web_client):
    inner = bomb(parts=3, megabytes=80)  # 240 MB from a few hundred KB
    assert len(inner) < MB
    outer = zip_of({"各校/一小.xlsx": inner})
    started = time.monotonic()
    _refused(_batch(web_client, {"自查表.zip": outer}), "自查表.zip/一小.xlsx", "解压后超过 200 MB")
    assert time.monotonic() - started < 5
    _refused(_batch(web_client, {"一小.xlsx": inner}), "一小.xlsx", "解压后超过 200 MB")  # as uploaded directly


def test_a_part_packed_past_the_ratio_is_refused_inside_a_zip(web_client):
    inner = bomb(parts=1, megabytes=2)  # 2 MB of zeros pack about 1 000 times
    _refused(_batch(web_client, {"自查表.zip": zip_of({"一小.xlsx": inner})}), "一小.xlsx", "压缩比异常")


@pytest.mark.parametrize(("make", "word"), [(bad_crc, "已损坏"), (lying_sizes, "已损坏"), (encrypted, "已加密")])
def test_damaged_or_encrypted_parts_are_a_chinese_400(web_client, make, word):
    _refused(check_roster(web_client, "名册.xlsx", make()), "名册.xlsx", word)  # uploaded directly
    _refused(_batch(web_client, {"自查表.zip": zip_of({"一小.xlsx": make()})}), "一小.xlsx", word)  # inside a zip
    _refused(_batch(web_client, {"自查表.zip": make()}), "自查表.zip", word)  # the zip itself


def test_too_many_parts_are_refused(web_client):
    many = zip_of({f"{n}.txt": b"" for n in range(security.MAX_ZIP_MEMBERS + 1)}, method=0)
    _refused(_batch(web_client, {"自查表.zip": many}), f"最多 {security.MAX_ZIP_MEMBERS} 个")


def test_a_malformed_outline_body_is_a_chinese_400(web_client):
    token = csrf_of(web_client)
    for body in (b"{not json", b"\xff\xfe\x00", b""):
        response = web_client.post("/notice/outline", content=body,
                                   headers={"x-csrf-token": token, "content-type": "application/json"})  # fmt: skip
        assert response.status_code == 400, (body, response.text[:300])
        assert "不是有效的 JSON" in response.text
