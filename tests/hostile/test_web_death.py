"""Clean after any death: a server killed with SIGKILL in the middle of a letters job leaves no
process running, and the next start deletes its job folder with the uploaded roster and says so."""

from __future__ import annotations

import secrets
import sys
import time

import pytest

from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds.sample_roster import write_sample_file
from kongchuo_docs.profile import load_profile
from kongchuo_docs.web.kept_jobs import KEPT_FOLDER

from .served import Server, marked_processes

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _rosters(server: Server) -> list:
    """Uploaded files in the server's job folders: the temporary ones, and those kept beside the 单位设置
    (`web.kept_jobs`, as the page has a store) — in/<input>/<name>."""
    kept = server.profile.parent / KEPT_FOLDER
    return [p for p in [*server.temp.glob("kongchuo-web-*/*/in/**/*"), *kept.glob("*/in/**/*")] if p.is_file()]


def test_sigkill_mid_job_leaves_nothing_after_the_next_start(tmp_path):
    mark = secrets.token_hex(8)
    roster = tmp_path / "名册.xlsx"
    year = load_profile(sample_path("profile", "单位设置.yaml")).first_year
    write_sample_file(roster, rows=400, invalid=0, seed=3, year=year)
    server = Server(tmp_path, mark)
    try:
        client, token = server.session()
        checked = client.post("/letters/check", data={"csrf": token, "kind": "入学"},
                              files={"roster": ("名册.xlsx", roster.read_bytes())})  # fmt: skip
        assert checked.status_code == 303, checked.text
        job = checked.headers["location"]
        deadline = time.monotonic() + 120
        while client.get(f"{job}/progress").json()["state"] not in ("done", "failed"):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        started = client.post(f"/letters/generate/{job.rsplit('/', 1)[1]}", data={"csrf": token})
        assert started.status_code == 303, started.text
        letters = started.headers["location"]
        while client.get(f"{letters}/progress").json()["state"] != "running":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert _rosters(server), "the letters job holds its roster"
        [folder] = server.temp.glob("kongchuo-web-*")
        assert folder.stat().st_mode & 0o777 == 0o700
        assert (server.profile.parent / KEPT_FOLDER).stat().st_mode & 0o777 == 0o700
        server.kill()  # mid-job
    finally:
        server.stop()
    assert _rosters(server), "SIGKILL leaves the folder (the next start must sweep it)"
    deadline = time.monotonic() + 15
    while marked_processes(mark) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not marked_processes(mark), marked_processes(mark)  # jobs, pools, fork server, resource tracker

    again = Server(tmp_path, mark)
    try:
        assert not _rosters(again)
        assert [p.name for p in again.temp.glob("kongchuo-web-*")] != [folder.name]
        assert "已清理 1 个上次意外中止的网页版留下的任务文件夹" in again.output()
    finally:
        again.stop()
