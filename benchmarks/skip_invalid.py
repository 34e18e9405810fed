"""Peak memory and time of ``kongchuo-docs letters --skip-invalid`` on a large roster with bad rows.

Run: .venv/bin/python benchmarks/skip_invalid.py [ROWS] [INVALID]   (default 100 000 rows, 2 000 bad)

Prints the peak resident set size (MB) of the largest process of the command (ru_maxrss of the
children: the main process, or a worker with --jobs), the wall time (s) and the row accounting
(rows = letters + listed errors).
Goal (issue 11 #10): peak under 1 GB for 100 000 rows.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kongchuo_docs.files.resources import sample_path  # noqa: E402
from kongchuo_docs.kinds.sample_roster import generate_rows, write_sample_roster  # noqa: E402
from kongchuo_docs.profile import PROFILE_NAME, load_profile  # noqa: E402

PROFILE = sample_path("profile", PROFILE_NAME)  # the demo county: the rows are its places


def main(rows: int, invalid: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        roster = Path(tmp) / "名册.xlsx"
        year = load_profile(PROFILE).first_year
        write_sample_roster(roster, generate_rows(rows, invalid=invalid, seed=11, year=year), year=year)
        out = Path(tmp) / "out"
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "kongchuo_docs", "letters", str(roster), "-o", str(out),
                               "--skip-invalid", "--settings", str(PROFILE)], capture_output=True, text=True,
                              env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})  # fmt: skip
        wall = time.perf_counter() - start
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KB on Linux
        print(f"rows {rows}, invalid asked {invalid}: exit {done.returncode}, wall {wall:.1f} s, "
              f"peak RSS {peak_kb / 1024:.0f} MB")
        if done.returncode != 0:
            print(done.stderr[-2000:])
            return
        files = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]
        letters = sum(f["records"] for f in files if f["kind"] == "letters" and f["format"] == "pdf")
        marked = sum(f["records"] for f in files if f["kind"] == "error-workbook")
        print(f"letters {letters} + rows listed in the error workbook {marked}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000, int(sys.argv[2]) if len(sys.argv) > 2 else 2_000)
