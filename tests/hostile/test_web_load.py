"""Nothing CPU-bound on the event loop: while a 200 000-character draft, a power-tower template and
a nested-zip bomb are handled, another user's page is answered in under a second, and each hostile
request ends in a Chinese answer (never HTTP 500)."""

from __future__ import annotations

import secrets
import sys
import threading
import time

import pytest

from kongchuo_docs.wording.files import WORDING_FILES, annotated

from .served import Server
from .zips import bomb, zip_of

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
ANSWER_SECONDS = 1.0
TOWER = "{{ (((9**64)**64)**64)**64 }}"


def _template_with_tower() -> tuple[int, str]:
    index, rel = next((n, rel) for n, rel in enumerate(WORDING_FILES) if rel == "letters/enrolment.yaml")
    text = annotated(rel, WORDING_FILES[rel])
    assert "    text: 入学通知书\n" in text
    return index, text.replace("    text: 入学通知书\n", f'    text: "{TOWER}"\n', 1)


def test_other_users_are_answered_while_hostile_work_runs(tmp_path):
    server = Server(tmp_path, secrets.token_hex(8))
    answers: dict[str, object] = {}
    try:
        index, tower = _template_with_tower()
        draft = ("关于做好控辍保学工作的通知\n各学校：\n" + "控" * 200_000 + "\n").encode("utf-8")
        nested = zip_of({"一小.xlsx": bomb(parts=3, megabytes=80)})
        hostile = {
            "draft": lambda c, t: c.post("/notice/load", data={"csrf": t}, files={"file": ("草稿.txt", draft)}),
            "tower": lambda c, t: c.post(f"/templates/{index}", data={"csrf": t, "text": tower, "action": "preview"}),
            "bomb": lambda c, t: c.post("/batch/compile", data={"csrf": t}, files={"files": ("自查表.zip", nested)}),
        }

        def send(name: str) -> None:
            client, token = server.session(timeout=120)
            answers[name] = hostile[name](client, token)

        threads = [threading.Thread(target=send, args=(name,)) for name in hostile]
        for thread in threads:
            thread.start()
        other, _ = server.session()
        time.sleep(0.5)  # the hostile requests have arrived
        slowest = 0.0
        for _ in range(10):
            started = time.monotonic()
            assert other.get("/notice").status_code == 200
            slowest = max(slowest, time.monotonic() - started)
            time.sleep(0.2)
        assert slowest < ANSWER_SECONDS, slowest
        for thread in threads:
            thread.join(timeout=120)
        for name, response in answers.items():
            assert response.status_code < 500, (name, response.status_code, response.text[:500])
            assert "Traceback" not in response.text
        assert set(answers) == set(hostile)
    finally:
        server.stop()
    assert "Traceback" not in server.output()
