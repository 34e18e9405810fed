"""Process faults: two runs into one folder, SIGTERM, a full disk, a read-only folder, an unforeseen
error (issue 11 #3, #5, #6)."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kongchuo_docs.files import output
from kongchuo_docs.files.output import OWNER_FILE, OutputSet, sha256_of
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds.sample_roster import generate_rows, write_sample_roster

from .conftest import nothing_written

SEED = str(sample_path("notice", "seed-notice.yaml"))


def _start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "kongchuo_docs", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})})


def test_two_processes_into_one_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _start("build", SEED, "-o", str(out), "--format", "docx,pdf")
    second = _start("build", SEED, "-o", str(out), "--format", "docx,pdf")
    results = [(p.wait(timeout=300), p.stderr.read()) for p in (first, second)]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    refusal = next(err for code, err in results if code == 2)
    assert "输出文件夹正被另一个任务使用" in refusal or "输出文件已存在" in refusal
    assert "Traceback" not in refusal
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {f["path"] for f in manifest["files"]} == {"seed-notice.docx", "seed-notice.pdf"}
    for entry in manifest["files"]:  # the finished run's outputs are intact
        assert sha256_of(out / entry["path"]) == entry["sha256"]
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "seed-notice.docx", "seed-notice.pdf"]


def test_a_held_lock_refuses_after_waiting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run) -> None:
    monkeypatch.setattr(output, "LOCK_WAIT_S", 0.2)
    out = tmp_path / "out"
    with OutputSet(out) as holder:
        holder.reserve("a.txt").write_text("a", encoding="utf-8")
        run(["build", SEED, "-o", str(out), "--format", "docx"]).refused("输出文件夹正被另一个任务使用", str(out))
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "manifest.json"]


def test_stale_staging_of_a_dead_process_is_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = out / ".kongchuo-stale"
    stale.mkdir(parents=True)
    (stale / OWNER_FILE).write_text(dead.stdout.strip(), encoding="ascii")
    (stale / "半成品.pdf").write_bytes(b"%PDF-")
    alive = out / ".kongchuo-alive"
    alive.mkdir()
    (alive / OWNER_FILE).write_text(str(os.getppid()), encoding="ascii")
    with OutputSet(out) as run_set:
        run_set.reserve("b.txt").write_text("b", encoding="utf-8")
    assert not stale.exists() and alive.exists()


@pytest.mark.parametrize("moment", ["staging", "workers"])
def test_sigterm_stops_the_run_and_its_workers(tmp_path: Path, moment: str) -> None:
    """SIGTERM as soon as the staging folder exists (the signal may land anywhere, even in a
    ``__del__``), and once both worker processes are rendering: exit 143, nothing written, no
    worker left."""
    roster = tmp_path / "名册.xlsx"
    write_sample_roster(roster, generate_rows(3000, invalid=0, seed=2))
    out = tmp_path / "out"
    process = _start("letters", str(roster), "-o", str(out), "--jobs", "2")
    deadline = time.monotonic() + 120

    def reached() -> bool:
        if moment == "staging":
            return bool(list(out.glob(".kongchuo-*")))
        return len(_children(process.pid).split()) >= 2

    while not reached() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "the run ended before the signal could be sent"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 143
    assert "Traceback" not in process.stderr.read()
    assert nothing_written(out)
    assert _children(process.pid) == ""


def _children(pid: int) -> str:
    return subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.strip()


def _fail_with(code: int):
    def replace(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code), str(args[1]) if len(args) > 1 else None)

    return replace


@pytest.mark.parametrize(("code", "message"), [(errno.ENOSPC, "磁盘空间不足"), (errno.EROFS, "只读")])
def test_full_disk_and_read_only_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run,
                                        code: int, message: str) -> None:
    monkeypatch.setattr(output.os, "replace", _fail_with(code))
    out = tmp_path / "out"
    run(["build", SEED, "-o", str(out), "--format", "docx"]).refused(message, "seed-notice.docx")
    assert nothing_written(out)


def test_an_unforeseen_error_is_one_line_and_a_debug_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         run) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("模拟的内部错误")

    monkeypatch.setattr(output, "sha256_of", broken)
    result = run(["build", SEED, "-o", str(tmp_path / "out"), "--format", "docx"])
    assert result.code == 70, result.output
    assert "Traceback" not in result.output and "内部错误" in result.output
    [log] = (tmp_path / "cache" / "kongchuo-docs" / "logs").iterdir()
    assert str(log) in result.output
    assert "ZeroDivisionError" in log.read_text(encoding="utf-8")
    assert nothing_written(tmp_path / "out")


def test_a_folder_where_the_lock_cannot_be_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run) -> None:
    class ReadOnlyLock:
        def __init__(self, path: Path, **kwargs: object):
            self.path = path

        def acquire(self) -> None:
            raise PermissionError(errno.EROFS, os.strerror(errno.EROFS), str(self.path))

    monkeypatch.setattr(output, "FileLock", ReadOnlyLock)
    out = tmp_path / "out"
    run(["build", SEED, "-o", str(out), "--format", "docx"]).refused("只读", str(out))
    assert not out.exists()


def test_the_entry_point_guards_a_command_without_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from kongchuo_docs import cli
    from kongchuo_docs.kinds import check

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(sys, "argv", ["kongchuo-docs", "check", SEED])
    monkeypatch.setattr(check, "check_file", lambda *args, **kwargs: 1 / 0)
    previous = signal.getsignal(signal.SIGTERM)
    try:
        with pytest.raises(SystemExit) as stopped:
            cli.main()
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert stopped.value.code == 70
    printed = capsys.readouterr()
    assert "Traceback" not in printed.err + printed.out and "内部错误（ZeroDivisionError）" in printed.err
    [log] = (tmp_path / "cache" / "kongchuo-docs" / "logs").iterdir()
    assert "ZeroDivisionError" in log.read_text(encoding="utf-8")
