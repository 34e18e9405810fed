"""Font resolution cost: cold (fresh process: fc-list + parsing) and warm, plus first coverage/width calls.

Run: .venv/bin/python benchmarks/fonts.py   (prints seconds; each cold figure is from a new process)
"""

from __future__ import annotations

import statistics
import subprocess
import sys

PROBE = """
import time
t0 = time.perf_counter()
from kongchuo_docs.system import fonts
from kongchuo_docs import gbt9704
from kongchuo_docs.errors import Problems
t1 = time.perf_counter()
font_set = fonts.resolve_fonts()
t2 = time.perf_counter()
fonts.resolve_fonts()
t3 = time.perf_counter()
for role in font_set:
    font_set.check_text("关于做好控辍保学工作的通知，王䶮", role.official, "bench", Problems())
t4 = time.perf_counter()
font_set.check_text("王䶮", gbt9704.FONT_FANGSONG, "bench", Problems())
t5 = time.perf_counter()
for role in font_set:
    font_set.text_width_pt("控辍保学 2024年", role.official, 16)
t6 = time.perf_counter()
font_set.text_width_pt("控辍保学 2024年", gbt9704.FONT_FANGSONG, 16)
t7 = time.perf_counter()
font_set.check_text("\ue000", gbt9704.FONT_FANGSONG, "bench", Problems())
t8 = time.perf_counter()
for i in range(10_000):
    font_set.text_width_pt(f"控辍保学{i}号", gbt9704.FONT_FANGSONG, 16)
t9 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5, t7 - t6, t8 - t7, t9 - t8)
"""
LABELS = (
    "import fonts module",
    "resolve_fonts cold (fc-list + parse)",
    "resolve_fonts warm",
    "coverage, all 5 roles, first call",
    "coverage, warm",
    "text_width_pt, all 5 roles, first call",
    "text_width_pt, warm",
    "a character no font has (every face searched)",
    "text_width_pt, 10 000 distinct strings (uncached)",
)


def main(runs: int = 5) -> None:
    samples = [
        [float(x) for x in subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                                           check=True).stdout.split()]
        for _ in range(runs)
    ]  # fmt: skip
    for i, label in enumerate(LABELS):
        values = [s[i] for s in samples]
        median, worst = statistics.median(values) * 1000, max(values) * 1000
        print(f"{label:48s} median {median:8.2f} ms  max {worst:8.2f} ms")


if __name__ == "__main__":
    main()
