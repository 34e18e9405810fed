"""Rebuild time of the seed notice, DOCX + PDF: ``kongchuo-docs build`` in a cold process, and its split.

Run: .venv/bin/python benchmarks/build.py [RUNS]   (prints seconds; every figure is from a new process)

Goal (issue 3): ≤ 3 s wall for the whole command on a 2-core machine.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples" / "notice" / "seed-notice.yaml"
CLI = Path(sys.executable).with_name("kongchuo-docs")

# The stages of `build` one by one, in a fresh process (same calls as kinds/publish.py makes).
PROBE = """
import sys, time
from pathlib import Path
t = [time.perf_counter()]
import kongchuo_docs.cli
from kongchuo_docs.readers.notice_yaml import read_notice
from kongchuo_docs.system.fonts import resolve_fonts
from kongchuo_docs.layout.boxes import Measures
from kongchuo_docs.layout.pages import layout_document
t.append(time.perf_counter())
doc, _ = read_notice(Path(sys.argv[1]))
fonts = resolve_fonts()
measures = Measures.from_fonts(fonts)
layout = layout_document(doc, measures)
t.append(time.perf_counter())
from kongchuo_docs.writers.docx_writer import write_docx
write_docx(doc, Path(sys.argv[2]) / "seed.docx", layout)
t.append(time.perf_counter())
from kongchuo_docs.writers import pdf_writer
from kongchuo_docs.writers.pdf_html import HtmlBuilder
pdf_writer._weasyprint()
t.append(time.perf_counter())
builder = HtmlBuilder(layout, fonts, measures)
html = pdf_writer.render_html(doc, builder.build(), fonts.css_font_face_rules(builder.fallbacks))
t.append(time.perf_counter())
document = pdf_writer._weasyprint().HTML(string=html).render(font_config=pdf_writer._font_config())
t.append(time.perf_counter())
from kongchuo_docs.writers.pdfa import DEFAULT_ARCHIVE, weasyprint_options
document.write_pdf(Path(sys.argv[2]) / "seed.pdf", pdf_identifier=True, hinting=False, full_fonts=False,
                   **weasyprint_options(DEFAULT_ARCHIVE, doc.date))
t.append(time.perf_counter())
print(*(b - a for a, b in zip(t, t[1:])))
"""
STAGES = (
    "import (cli, reader, fonts, layout)",
    "read YAML + resolve fonts + layout",
    "DOCX (python-docx)",
    "import WeasyPrint (+ HarfBuzz subsetter check)",
    "PDF: HTML from the layout (fonts checked)",
    "PDF: WeasyPrint layout (render)",
    "PDF: write (font subsetting, HarfBuzz, PDF/A-2b)",
)


def _ms(values: list[float]) -> str:
    return f"min {min(values) * 1000:7.0f} ms   median {statistics.median(values) * 1000:7.0f} ms"


def main(runs: int = 5) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        walls = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([str(CLI), "build", str(SEED), "-o", tmp, "--force"], check=True,
                           capture_output=True)  # fmt: skip
            walls.append(time.perf_counter() - start)
        pdf = Path(tmp) / "seed-notice.pdf"
        print(f"kongchuo-docs build seed-notice.yaml (DOCX + PDF), {runs} cold runs: {_ms(walls)}")
        print(f"PDF {pdf.stat().st_size / 1024:.0f} KiB, DOCX {pdf.with_suffix('.docx').stat().st_size / 1024:.0f} KiB")
        samples = [
            [float(x) for x in subprocess.run([sys.executable, "-c", PROBE, str(SEED), tmp], check=True,
                                               capture_output=True, text=True).stdout.split()]
            for _ in range(runs)
        ]  # fmt: skip
    print("split (cold process, same stages as the command):")
    for i, label in enumerate(STAGES):
        print(f"  {label:48} {_ms([s[i] for s in samples])}")
    print(f"  {'total of the stages':48} {_ms([sum(s) for s in samples])}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
