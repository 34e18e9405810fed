"""Benchmark of ``kongchuo-docs letters``: N 入学通知书, every output, against the naive baselines.

    .venv/bin/python benchmarks/letters.py [--rows 10000] [--jobs 2] [--docx-sample 100] [--pdf-sample 30]

Runs the command itself once (wall time, sampled peak memory of its process tree), then the same
pipeline in-process with ``--per-record`` to print the wall time of each phase (read+validate, fonts,
PDF, DOCX, per-child zip) and the peak memory (this process, the largest child process, the sampled tree),
then times the naive ways on a sample and extrapolates them linearly to N: docxtpl ``render`` +
``save`` per letter, and one WeasyPrint PDF per letter. Targets (issue 4):
≤ 60 s wall and ≤ 1 GB for 10 000 letters with --jobs 2; ≥ 20× the docxtpl loop; ≥ 10× WeasyPrint.
The machine may be shared: other processes' load shows up in these numbers.
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

from kongchuo_docs.fonts import resolve_fonts
from kongchuo_docs.kinds.letters import group_students, write_letters
from kongchuo_docs.letters.docx_merge import template_environment
from kongchuo_docs.letters.docx_template import package_parts
from kongchuo_docs.letters.fields import number_fields, student_fields
from kongchuo_docs.letters.settings import load_settings
from kongchuo_docs.letters.spec import environment, load_spec
from kongchuo_docs.output import OutputSet
from kongchuo_docs.profile import PROFILE_NAME, load_profile
from kongchuo_docs.readers.roster import read_roster
from kongchuo_docs.resources import sample_path
from kongchuo_docs.sample_roster import write_sample_file

MB = 1024 * 1024

PROFILE = sample_path("profile", PROFILE_NAME)  # the demo county: the rows are its places


class TreeRss:
    """Samples the memory of this process and its children every `interval` seconds (psutil): `peak` is
    the largest sum of RSS (counts pages shared after fork once per process), `peak_pss` the largest sum
    of PSS (shared pages split between the processes: the memory the tree really uses)."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.peak = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        try:
            import psutil
        except ImportError:  # not a dependency of the package: then only getrusage figures are shown
            return
        me = psutil.Process()
        while not self._stop.is_set():
            total = pss = 0
            for proc in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error, AttributeError):
                    info = proc.memory_full_info()
                    total += info.rss
                    pss += info.pss
            self.peak = max(self.peak, total)
            self.peak_pss = max(self.peak_pss, pss)
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def letter_contexts(roster: Path, count: int) -> list[dict[str, object]]:
    """The merge fields of the first `count` letters, as the pipeline builds them."""
    settings = load_settings(roster, load_profile(PROFILE)).context()
    schools = group_students(read_roster(roster).students, "学校", ("班级", "村"))
    contexts = []
    for index, students in enumerate(schools.values(), start=1):
        for n, student in enumerate(students, start=1):
            contexts.append({**settings, **student_fields(student), **number_fields(index, n)})
            if len(contexts) == count:
                return contexts
    return contexts


def naive_docxtpl(contexts: list[dict[str, object]], workdir: Path) -> float:
    """Seconds per letter of the docxtpl loop: load the template, render, save — once per letter."""
    from docxtpl import DocxTemplate

    template = workdir / "template.docx"
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in package_parts(load_spec("入学")):
            zf.writestr(name, data)
    env = template_environment()  # the same sandbox, global and filter the merge uses
    start = time.perf_counter()
    for i, context in enumerate(contexts):
        document = DocxTemplate(template)
        document.render(context, env, autoescape=True)
        document.save(workdir / f"naive-{i}.docx")
    return (time.perf_counter() - start) / len(contexts)


def naive_weasyprint(contexts: list[dict[str, object]]) -> float:
    """Seconds per letter of one WeasyPrint render + write_pdf per letter (same texts, 公文 page)."""
    import html

    import weasyprint

    from kongchuo_docs import gbt9704 as g

    spec = load_spec("入学")
    env = environment(autoescape=False)
    fonts = resolve_fonts()
    css = (
        f"{fonts.css_font_face_rules()}"
        f"@page {{ size: A4; margin: {g.MARGIN_TOP_MM}mm {g.MARGIN_RIGHT_MM}mm {g.MARGIN_BOTTOM_MM}mm "
        f"{g.MARGIN_LEFT_MM}mm }}"
        f"body {{ font-family: {fonts.css_font_family(g.FONT_FANGSONG)}; font-size: {g.BODY_SIZE_PT}pt; "
        f"line-height: {g.LINE_PITCH_PT}pt; letter-spacing: {g.BODY_LETTER_SPACING_PT:.4f}pt }}"
        f"h1 {{ font-family: {fonts.css_font_family(g.FONT_XIAOBIAOSONG)}; font-size: {g.TITLE_SIZE_PT}pt; "
        "text-align: center; margin: 0 0 1em }} p { margin: 0; text-indent: 2em; text-align: justify }"
        f".slip {{ font-size: {g.LETTER_SLIP_SIZE_PT}pt; line-height: {g.LETTER_SLIP_LINE_PITCH_PT}pt; "
        "border-top: 0.5pt dashed black }"
    )
    blocks = [(b, [env.from_string(t) for t in b.texts()]) for b in [*spec.blocks, *spec.slip]]
    start = time.perf_counter()
    for context in contexts:
        parts = []
        for block, texts in blocks:
            rendered = [html.escape(t.render(context)) for t in texts]
            if block.type == "title":
                parts.append(f"<h1>{rendered[0]}</h1>")
            elif block.type == "cut":
                parts.append(f"<div class=slip>{rendered[0]}</div>")
            else:
                parts.append("<p>" + "　".join(rendered) + "</p>")
        page = f"<html><head><style>{css}</style></head><body>{''.join(parts)}</body></html>"
        weasyprint.HTML(string=page).write_pdf()
    return (time.perf_counter() - start) / len(contexts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--docx-sample", type=int, default=100)
    parser.add_argument("--pdf-sample", type=int, default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="letters-bench-") as tmp:
        work = Path(tmp)
        roster = work / "roster.xlsx"
        t = time.perf_counter()
        write_sample_file(roster, rows=args.rows, seed=1, year=load_profile(PROFILE).first_year)
        print(f"sample roster: {args.rows} rows generated in {time.perf_counter() - t:.1f} s (not counted)")

        command = [sys.executable, "-c", "from kongchuo_docs.cli import main; main()", "letters", str(roster),
                   "-o", str(work / "cli"), "--jobs", str(args.jobs), "--settings", str(PROFILE)]  # fmt: skip
        start = time.perf_counter()
        with TreeRss() as cli_tree:
            subprocess.run(command, check=True, capture_output=True)
        cli_wall = time.perf_counter() - start
        print(f"\n== the command: kongchuo-docs letters roster.xlsx -o out --jobs {args.jobs} (PDF + DOCX per school)")
        print(f"  wall {cli_wall:.2f} s (target ≤ 60 s); its process tree at peak (sampled): "
              f"RSS sum {cli_tree.peak / MB:.0f} MB, PSS sum {cli_tree.peak_pss / MB:.0f} MB (target ≤ 1024 MB)")

        timings: dict[str, float] = {}
        start = time.perf_counter()
        with TreeRss() as tree, OutputSet(work / "out") as out:
            results = write_letters(out, roster, load_profile(PROFILE), jobs=args.jobs, per_record=True, progress=False,
                                    timings=timings)  # fmt: skip
        total = time.perf_counter() - start
        timings["move+manifest"] = total - sum(timings.values())
        letters = sum(r.letters for r in results if r.target.suffix == ".pdf")
        pdf_pages = sum(r.pages or 0 for r in results)
        self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

        print(f"\n== phases (in-process): {letters} letters, --jobs {args.jobs}, PDF + DOCX + per-child zip")
        for phase, seconds in timings.items():
            print(f"  {phase:<14} {seconds:7.2f} s")
        merged = total - timings.get("zip", 0.0)
        print(f"  {'total':<14} {total:7.2f} s   (without the per-child zips: {merged:.2f} s; target ≤ 60 s)")
        print(f"  PDF pages: {pdf_pages}")
        print(f"  peak RSS: this process {self_peak:.0f} MB, largest child process {child_peak:.0f} MB, "
              f"tree (sampled) RSS sum {tree.peak / MB:.0f} MB, PSS sum {tree.peak_pss / MB:.0f} MB")  # fmt: skip

        contexts = letter_contexts(roster, max(args.docx_sample, args.pdf_sample))
        per_docx = naive_docxtpl(contexts[: args.docx_sample], work)
        per_pdf = naive_weasyprint(contexts[: args.pdf_sample])
        naive_docx_total = per_docx * letters
        naive_pdf_total = per_pdf * letters
        print("\n== naive baselines (one process), measured on a sample, extrapolated linearly")
        print(f"  docxtpl render+save per letter: {per_docx * 1000:.1f} ms × {letters} = {naive_docx_total:.0f} s;"
              f" ours {timings['docx']:.2f} s → {naive_docx_total / timings['docx']:.0f}× (target ≥ 20×)")
        print(f"  WeasyPrint PDF per letter:      {per_pdf * 1000:.1f} ms × {letters} = {naive_pdf_total:.0f} s;"
              f" ours {timings['pdf']:.2f} s → {naive_pdf_total / timings['pdf']:.0f}× (target ≥ 10×)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
