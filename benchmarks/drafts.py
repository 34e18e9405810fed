"""Reading a long Word draft: seconds to recognise a generated .docx of N paragraphs (automatic
numbering, a table every 20 paragraphs) into the 公文 model, and paragraphs per second.

Run: .venv/bin/python benchmarks/drafts.py [PARAGRAPHS]   (default 2000; prints seconds)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

import draftmaker as dm  # noqa: E402

from kongchuo_docs.readers.draft import DraftDefaults, read_draft  # noqa: E402

SENTENCE = "各校要落实控辍保学工作责任，开学后一周内完成学生到校情况排查，对未到校学生逐一登记。"


def make(path: Path, paragraphs: int) -> None:
    doc = dm.new()
    dm.title(doc, "古田县教育局关于做好控辍保学工作的通知")
    dm.para(doc, "各乡（镇）中心学校：")
    outline = dm.numbering(doc, [("chineseCounting", "%1、"), ("chineseCounting", "（%2）")])
    for n in range(paragraphs):
        if n % 20 == 0:
            dm.numbered(doc, "工作要求", outline, 0 if n % 500 == 0 else 1)
            dm.table(doc, [["序号", "学校", "人数"], [str(n), "古田一中", "3"]])
        dm.para(doc, SENTENCE)
    dm.signature(doc, "古田县教育局", date="2026年3月2日")
    dm.save(doc, path)


def main() -> None:
    paragraphs = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "长草稿.docx"
        make(path, paragraphs)
        start = time.perf_counter()
        reading = read_draft(path, Path(work) / "read", defaults=DraftDefaults(issuer="古田县教育局"))
        seconds = time.perf_counter() - start
    assert reading.document is not None, [str(p) for p in reading.errors[:5]]
    print(f"{paragraphs} paragraphs, {len(reading.document.body)} blocks: read in {seconds:.2f} s "
          f"({paragraphs / seconds:.0f} paragraphs/s)")


if __name__ == "__main__":
    main()
