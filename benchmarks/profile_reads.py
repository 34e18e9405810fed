"""What the 单位设置 costs a page request: the pages read it through `web.store_access.saved_profile`,
which reads and checks the file again only when it changed; the naive baseline reads and checks it at
every request (as the pages did before).

Run: .venv/bin/python benchmarks/profile_reads.py [REQUESTS]   (default 200; prints milliseconds)

Figures: `load_profile` of the sample 单位设置 alone; a GET of /accounts (the store and the 单位设置) and
of /notice (the 单位设置's 文号代字) in-process (TestClient, no network), with the read kept and with
it dropped before every request; and the ratio.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from web_helpers import page_client  # noqa: E402

from kongchuo_docs.profile import load_profile  # noqa: E402
from kongchuo_docs.web import store_access  # noqa: E402
from kongchuo_docs.web.app import ServerConfig, create_app  # noqa: E402


def per_request(client, path: str, runs: int, *, naive: bool) -> float:  # type: ignore[no-untyped-def]
    """Median milliseconds of GET `path`; `naive`: the kept 单位设置 dropped before each request."""
    times = []
    for _ in range(runs):
        if naive:
            store_access._read.clear()
        start = time.perf_counter()
        assert client.get(path).status_code == 200
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="kongchuo-bench-") as folder:
        profile = Path(folder) / "单位设置.yaml"
        shutil.copyfile(ROOT / "samples" / "profile" / "单位设置.yaml", profile)
        start = time.perf_counter()
        for _ in range(runs):
            load_profile(profile)
        print(f"load_profile: {(time.perf_counter() - start) / runs * 1000:.2f} ms")
        app = create_app(ServerConfig(work_dir=Path(folder) / "jobs", profile=profile))
        with page_client(app) as client:
            for path in ("/accounts", "/notice"):
                client.get(path)  # warm: templates compiled, the store open
                kept = per_request(client, path, runs, naive=False)
                naive = per_request(client, path, runs, naive=True)
                print(f"GET {path}: read once per change {kept:.2f} ms, read every request {naive:.2f} ms "
                      f"(×{naive / kept:.2f})")  # fmt: skip


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
