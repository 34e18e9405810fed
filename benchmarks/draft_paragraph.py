"""One long paragraph in a Word draft (issue 18): seconds to read (and refuse past the limit) a
generated .docx whose one paragraph has N characters, pasted in runs of R characters, for N from
20 000 to 200 000. A linear reader takes about 10× as long for 10× the characters (a quadratic one
100×): the ratio column says which.

Run: .venv/bin/python benchmarks/draft_paragraph.py   (prints seconds, µs per character, ratios)
Goal: a 200 000-character paragraph read or refused in < 2 s at the CLI.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

import draftmaker as dm  # noqa: E402

from kongchuo_docs.readers.draft import read_draft  # noqa: E402

SENTENCE = "各校要落实控辍保学工作责任，开学后一周内完成学生到校情况排查，对未到校学生逐一登记。"
LENGTHS = (20_000, 50_000, 100_000, 200_000)
RUNS = (5, 100)  # characters per run: pasted text split at every format change, or by sentence


def make(path: Path, chars: int, run_chars: int) -> Path:
    text = (SENTENCE * (chars // len(SENTENCE) + 1))[:chars]
    doc = dm.new()
    dm.title(doc, "关于测试超长段落的通知")
    dm.para(doc, "各学校：")
    dm.para(doc, "", runs=[text[i:i + run_chars] for i in range(0, chars, run_chars)])
    dm.signature(doc, "某县教育局", date="2026年3月2日")
    return dm.save(doc, path)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for run_chars in RUNS:
            first = None
            for chars in LENGTHS:
                path = make(Path(tmp) / f"{chars}-{run_chars}.docx", chars, run_chars)
                started = time.perf_counter()
                reading = read_draft(path, Path(tmp) / f"w{chars}-{run_chars}")
                seconds = time.perf_counter() - started
                first = first or (chars, seconds)
                refused = "refused" if reading.errors else "read"
                print(f"{chars:>7} chars in runs of {run_chars:>3}: {seconds:6.3f} s  "
                      f"{seconds / chars * 1e6:5.2f} µs/char  ×{seconds / first[1]:5.1f} time for "
                      f"×{chars / first[0]:4.1f} chars  ({refused})")


if __name__ == "__main__":
    main()
