"""OFD output: the seed notice and one school's letters as OFD, time and size against their PDF.

Run: .venv/bin/python benchmarks/ofd.py [LETTERS]   (default 200 letters of one school)

Prints, for the seed notice, the PDF's write time (the baseline: the OFD is made from it) and the OFD's,
both files' sizes; for one school's letters the run's phases (PDF, DOCX, OFD from the PDF), with the OFD
per letter. The seed's PDF is timed warm (imports and WeasyPrint's fonts loaded before the clock starts);
the OFD's first glyph conversions are in its time.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from kongchuo_docs.files.output import OutputSet
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds.letters import write_letters
from kongchuo_docs.kinds.sample_roster import generate_rows, write_sample_roster
from kongchuo_docs.profile import load_profile
from kongchuo_docs.readers.notice_yaml import read_notice
from kongchuo_docs.writers.ofd import OfdMeta, write_ofd
from kongchuo_docs.writers.ofd.fonts import glyph_source
from kongchuo_docs.writers.pdf_writer import write_pdf


def seed(folder: Path) -> None:
    doc, _ = read_notice(sample_path("notice", "seed-notice.yaml"))
    write_pdf(doc, folder / "warm.pdf")  # imports, fonts, WeasyPrint's font map
    with Clock() as pdf_time:
        write_pdf(doc, folder / "seed.pdf")
    with Clock() as ofd_time:
        pages = write_ofd(folder / "seed.pdf", folder / "seed.ofd", OfdMeta.of_document(doc))
    pdf_kb, ofd_kb = ((folder / f"seed.{ext}").stat().st_size / 1024 for ext in ("pdf", "ofd"))
    print(f"seed notice ({pages} pages): PDF {pdf_time}, {pdf_kb:.0f} KB; OFD from it {ofd_time} "
          f"({ofd_time.wall / pdf_time.wall:.2f} × the PDF's wall time), {ofd_kb:.0f} KB ({ofd_kb / pdf_kb:.2f} ×)")


def letters(folder: Path, count: int) -> None:
    profile = load_profile(sample_path("profile", "单位设置.yaml"))
    rows = generate_rows(count * 40, seed=11, year=profile.first_year)
    by_school: dict[str, list] = {}
    for row in rows:
        by_school.setdefault(row.values.get("入读学校") or "", []).append(row)
    chosen = max((r for s, r in by_school.items() if s), key=len)[:count]
    write_sample_roster(folder / "名册.xlsx", chosen, year=profile.first_year)
    timings: dict[str, float] = {}
    steps: dict[str, float] = {}  # one process (--jobs 1): each step's seconds
    with OutputSet(folder / "out") as out:
        write_letters(out, folder / "名册.xlsx", profile, ofd=True, progress=False, timings=timings, steps=steps)
    [ofd] = (folder / "out").glob("*/*.ofd")
    pdf_kb, ofd_kb = ofd.with_suffix(".pdf").stat().st_size / 1024, ofd.stat().st_size / 1024
    print(f"{len(chosen)} letters of one school: PDF {steps['pdf']:.2f} s, DOCX {steps['docx']:.2f} s, "
          f"OFD from the PDF {timings['ofd']:.2f} s ({timings['ofd'] / len(chosen) * 1000:.1f} ms a letter, "
          f"{timings['ofd'] / steps['pdf']:.2f} × the PDF); PDF {pdf_kb:.0f} KB, OFD {ofd_kb:.0f} KB")
    glyph_source.cache_clear()  # the same OFD again, its glyphs converted anew: CPU time too
    with Clock() as again:
        write_ofd(ofd.with_suffix(".pdf"), folder / "again.ofd", OfdMeta(ofd.stem, ofd.stem, None))
    print(f"  the same OFD again: {again} ({again.cpu / len(chosen) * 1000:.1f} ms CPU a letter)")


class Clock:
    """Wall and CPU seconds of a block (CPU time is less swayed by other work on a busy machine)."""

    def __enter__(self) -> Clock:
        self.start = (time.perf_counter(), time.process_time())
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.start[0]
        self.cpu = time.process_time() - self.start[1]

    def __str__(self) -> str:
        return f"{self.wall:.2f} s ({self.cpu:.2f} s CPU)"


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as tmp:
        seed(Path(tmp))
        letters(Path(tmp), count)


if __name__ == "__main__":
    main()
