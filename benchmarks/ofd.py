"""OFD output: the seed notice and one school's letters as OFD, time and size against their PDF.

Run: .venv/bin/python benchmarks/ofd.py [LETTERS]   (default 200 letters of one school)

Prints, for the seed notice, the PDF's write time (the naive baseline: the OFD is made from it) and the
OFD's, both files' sizes; for one school's letters the PDF run and the OFD made from each PDF, with the
OFD per letter. Same machine, same process, warm (imports and fonts loaded before the clock starts).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from kongchuo_docs.kinds.letters import build_letters_files
from kongchuo_docs.profile import load_profile
from kongchuo_docs.readers.notice_yaml import read_notice
from kongchuo_docs.resources import sample_path
from kongchuo_docs.sample_roster import generate_rows, write_sample_roster
from kongchuo_docs.writers.ofd import OfdMeta, write_ofd
from kongchuo_docs.writers.pdf_writer import write_pdf


def seed(folder: Path) -> None:
    doc, _ = read_notice(sample_path("notice", "seed-notice.yaml"))
    write_pdf(doc, folder / "warm.pdf")  # imports, fonts, WeasyPrint's font map
    start = time.perf_counter()
    write_pdf(doc, folder / "seed.pdf")
    pdf_s = time.perf_counter() - start
    start = time.perf_counter()
    pages = write_ofd(folder / "seed.pdf", folder / "seed.ofd", OfdMeta.of_document(doc))
    ofd_s = time.perf_counter() - start
    pdf_kb, ofd_kb = ((folder / f"seed.{ext}").stat().st_size / 1024 for ext in ("pdf", "ofd"))
    print(f"seed notice ({pages} pages): PDF {pdf_s:.2f} s, {pdf_kb:.0f} KB; "
          f"OFD from it {ofd_s:.2f} s ({ofd_s / pdf_s:.2f} × the PDF), {ofd_kb:.0f} KB ({ofd_kb / pdf_kb:.2f} ×)")


def letters(folder: Path, count: int) -> None:
    profile = sample_path("profile", "单位设置.yaml")
    year = load_profile(profile).first_year
    rows = generate_rows(count * 40, seed=11, year=year)
    by_school: dict[str, list] = {}
    for row in rows:
        by_school.setdefault(row.values.get("入读学校") or "", []).append(row)
    school, chosen = max(((s, r) for s, r in by_school.items() if s), key=lambda item: len(item[1]))
    write_sample_roster(folder / "名册.xlsx", chosen[:count], year=year)
    start = time.perf_counter()
    build_letters_files(folder / "名册.xlsx", folder / "out", settings_file=profile, ofd=True)
    total = time.perf_counter() - start
    [pdf] = (folder / "out").glob("*/*.pdf")
    start = time.perf_counter()
    pages = write_ofd(pdf, folder / "again.ofd", OfdMeta(school, school, None))
    ofd_s = time.perf_counter() - start
    pdf_kb, ofd_kb = pdf.stat().st_size / 1024, pdf.with_suffix(".ofd").stat().st_size / 1024
    print(f"{min(count, len(chosen))} letters of one school ({pages} pages): whole run with --ofd {total:.1f} s; "
          f"the OFD alone {ofd_s:.2f} s ({ofd_s / min(count, len(chosen)) * 1000:.1f} ms a letter), "
          f"PDF {pdf_kb:.0f} KB, OFD {ofd_kb:.0f} KB")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as tmp:
        seed(Path(tmp))
        letters(Path(tmp), count)


if __name__ == "__main__":
    main()
