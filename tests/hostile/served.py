"""A real ``kongchuo-docs serve`` in a subprocess on a free loopback port, with its own temporary
folder, and browser sessions speaking to it as the page does (its origin, its CSRF token)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from web_helpers import csrf_of

from kongchuo_docs.files.resources import sample_path

START_TIMEOUT = 60.0  # seconds; the first start imports the whole toolkit


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One server process (with `password` as its access password); `temp` is its TMPDIR (where
    its job folders live)."""

    def __init__(self, folder: Path, mark: str, password: str | None = None):
        self.folder = folder
        self.temp = folder / "tmp"
        self.temp.mkdir(parents=True, exist_ok=True)
        self.profile = folder / "单位设置.yaml"
        if not self.profile.exists():
            shutil.copyfile(sample_path("profile", "单位设置.yaml"), self.profile)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"server-{self.port}.log"
        env = {**os.environ, "TMPDIR": str(self.temp), "NO_COLOR": "1", "KONGCHUO_TEST_MARK": mark}
        env.pop("KONGCHUO_PASSWORD", None)
        if password:
            env["KONGCHUO_PASSWORD"] = password
        with self.log.open("wb") as log:
            command = [sys.executable, "-m", "kongchuo_docs", "serve", "--no-browser", "--port", str(self.port),
                       "--settings", str(self.profile)]  # fmt: skip
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=folder)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            try:
                if httpx.get(f"{self.url}/login", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise AssertionError(f"server did not start in {START_TIMEOUT} s: {self.output()}")

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def session(self, timeout: float = 60.0) -> tuple[httpx.Client, str]:
        """A browser session on the page and its CSRF token."""
        client = httpx.Client(base_url=self.url, headers={"origin": self.url}, timeout=timeout)
        token = csrf_of(client, "/login")
        return client, token

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def marked_processes(mark: str) -> list[str]:
    """The command lines of the processes still running with `mark` in their environment."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"KONGCHUO_TEST_MARK={mark}".encode() in environ.read_bytes().split(b"\0"):
                cmdline = (environ.parent / "cmdline").read_bytes().replace(b"\0", b" ")
                found.append(f"{environ.parent.name}: {cmdline.decode(errors='replace')}")
        except OSError:
            continue
    return found
