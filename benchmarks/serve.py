"""网页版 over loopback HTTP: ``kongchuo-docs serve`` in its own process, driven like browsers do.

Run: .venv/bin/python benchmarks/serve.py [USERS] [ROWS_PER_USER]   (defaults 10 and 500; prints seconds)

Goals (issue 13), on a 2-core machine with the default ``--workers 2``:
- warm preview of the seed notice (form posted → page with its first page image drawn): ≤ 1 s;
- a 1 000-row roster from upload to the download link (check, 生成, progress done): ≤ 5 s;
- USERS users at once each checking and generating letters for ROWS_PER_USER rows while one more
  user previews the seed over and over: every job completes, none fails, each preview ≤ 2 s.
Only 127.0.0.1 is used; every wait is bounded (TIMEOUT).
"""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kongchuo_docs.kinds.sample_roster import write_sample_file  # noqa: E402
from kongchuo_docs.profile import load_profile  # noqa: E402
from kongchuo_docs.readers.yaml_records import load_yaml  # noqa: E402
from kongchuo_docs.web.notice_form import NoticeForm  # noqa: E402

PROFILE = ROOT / "samples" / "profile" / "单位设置.yaml"
TIMEOUT = 600.0  # seconds for any one job
WARM_RUNS = 5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(workdir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "TMPDIR": str(workdir), "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "kongchuo_docs", "serve", "--port", str(port), "--no-browser",
               "--settings", str(PROFILE)]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/login", timeout=1)
            return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("server did not start")


class User:
    """One browser: its own session cookie and CSRF token."""

    def __init__(self, url: str):
        self.cpu = 0.0
        # a browser sends the page's origin with every POST (the server refuses one without it)
        self.http = httpx.Client(base_url=url, timeout=TIMEOUT, follow_redirects=True, headers={"origin": url})
        self.csrf = re.search(r'name="csrf-token" content="([^"]+)"', self.http.get("/").text)[1]

    def preview(self, form: dict[str, str]) -> float:
        """Seconds from posting the form to having the first page image (then, untimed, the last
        page too, as a browser showing every page does: it waits for the whole PDF)."""
        start = time.perf_counter()
        page = self.http.post("/notice", data={**form, "action": "preview", "csrf": self.csrf})
        images = re.findall(r'src="(/notice/preview/[^"]+\.png)"', page.text)
        if page.status_code != 200 or not images or not self.http.get(images[0]).content.startswith(b"\x89PNG"):
            raise RuntimeError(f"preview failed: {page.status_code}")
        elapsed = time.perf_counter() - start
        if not self.http.get(images[-1]).content.startswith(b"\x89PNG"):
            raise RuntimeError("last preview page failed")
        return elapsed

    def letters(self, roster: Path) -> float:
        """Seconds from uploading `roster` to the download link (check, then 生成); downloads it.
        `self.cpu` receives the CPU seconds the two job processes used."""
        start = time.perf_counter()
        checked = self.http.post("/letters/check", files={"roster": ("名册.xlsx", roster.read_bytes())},
                                 data={"csrf": self.csrf})  # fmt: skip
        self.cpu = self.wait(checked.url.path)
        generated = self.http.post(checked.url.path.replace("/jobs/", "/letters/generate/"), data={"csrf": self.csrf})
        self.cpu += self.wait(generated.url.path)
        elapsed = time.perf_counter() - start
        if not self.http.get(generated.url.path + "/download").content.startswith(b"PK"):
            raise RuntimeError("download is not a zip")
        return elapsed

    def wait(self, job: str) -> float:
        """Wait for `job` to finish well; the CPU seconds its process used."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            state = self.http.get(job + "/progress").json()
            if state["state"] == "done" and not state["problems"]:
                return float(state["cpu_seconds"])
            if state["state"] in ("failed", "cancelled") or state["problems"]:
                reason = state.get("message") or f"{state['problems']} 处问题"
                raise RuntimeError(f"job {state['state']}: {reason}")
            time.sleep(0.1)
        raise RuntimeError("job timed out")


def seed_form() -> dict[str, str]:
    form = NoticeForm.from_yaml(load_yaml(ROOT / "samples" / "notice" / "seed-notice.yaml"))
    data = dict(form.values, seal="1" if form.seal else "")
    for n, attachment in enumerate(form.attachments):
        data.update({f"att-{n}-{key}": value for key, value in attachment.items()})
    return data


def main() -> None:
    users = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        big, small = folder / "1000.xlsx", folder / f"{rows}.xlsx"
        year = load_profile(PROFILE).first_year
        write_sample_file(big, rows=1000, seed=3, year=year)
        write_sample_file(small, rows=rows, seed=5, year=year)
        server, url = start_server(folder)
        try:
            form = seed_form()
            viewer = User(url)
            viewer.preview(form)  # warm-up: the drawing processes load fonts and WeasyPrint
            warm = [viewer.preview(form) for _ in range(WARM_RUNS)]
            print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (figures are wall time)")
            print(f"warm preview of the seed (first page image): median {statistics.median(warm):.2f} s, "
                  f"max {max(warm):.2f} s over {WARM_RUNS} (goal ≤ 1 s)")  # fmt: skip

            uploader = User(url)
            uploader.letters(small)  # warm-up of the job processes
            elapsed = uploader.letters(big)
            print(f"1 000-row roster, upload → download link: {elapsed:.2f} s (goal ≤ 5 s); "
                  f"CPU of its jobs {uploader.cpu:.2f} s; load average {os.getloadavg()[0]:.1f}")

            results: list[float | BaseException] = []
            previews: list[float] = []
            done = threading.Event()

            def generate() -> None:
                try:
                    results.append(User(url).letters(small))
                except Exception as exc:  # counted as a failure below
                    results.append(exc)

            def keep_previewing() -> None:
                while not done.is_set():
                    previews.append(viewer.preview(form))

            threads = [threading.Thread(target=generate) for _ in range(users)]
            looker = threading.Thread(target=keep_previewing)
            start = time.perf_counter()
            for thread in threads:
                thread.start()
            looker.start()
            for thread in threads:
                thread.join()
            done.set()
            looker.join()
            wall = time.perf_counter() - start
            failed = [r for r in results if isinstance(r, BaseException)]
            times = [r for r in results if isinstance(r, float)]
            print(f"{users} users × {rows} rows at once: {len(times)} completed, {len(failed)} failed, "
                  f"wall {wall:.1f} s, per user median {statistics.median(times):.1f} s, max {max(times):.1f} s")
            print(f"  meanwhile {len(previews)} previews: median {statistics.median(previews):.2f} s, "
                  f"max {max(previews):.2f} s (goal ≤ 2 s)")  # fmt: skip
            for exc in failed:
                print(f"  failed: {exc}")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
