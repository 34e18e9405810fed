"""Benchmark of ``kongchuo-docs letters``: N 入学通知书, every output, against the naive baselines.

    .venv/bin/python benchmarks/letters.py [--rows 10000] [--jobs 2] [--docx-sample 100] [--pdf-sample 30]
    .venv/bin/python benchmarks/letters.py --rows 100000 --command-only

The profile is the sample county's with 咨询电话 filled and 8 所需材料 (the longest letter issue 19 asks
to fit one side with its 回执). Runs the command itself once (wall time, sampled peak memory of its
process tree), then the same pipeline in-process with ``--per-record`` to print the wall time of each
phase (read+validate, fonts, letters) and of each step of the letters phase (layout, PDF, DOCX, per-child
zip: each school is laid out and written in one process, so a step's time is given as the CPU seconds
of the processes summed, and as its share of the wall time on idle cores, that sum / jobs), the pages per
letter, the letters whose 回执 goes to the next side and the peak memory, then times the naive ways on a
sample (CPU seconds, one process) and extrapolates them linearly to N: lay out + docxtpl ``render`` +
``save`` per letter, and one WeasyPrint PDF per letter; ours counted as the share of the layout step plus
the DOCX, or the PDF, step. CPU seconds on both sides: the ratios hold on a busy machine.
Targets (issue 19, idle 2-core machine): the command ≤ 8 s wall, largest process ≤ 400 MB; ≥ 100× the
docxtpl loop and ≥ 100× WeasyPrint (ours counted with the layout phase, which both outputs share);
phases read+validate ≤ 1 s, fonts ≤ 0.5 s, PDF ≤ 4 s, DOCX ≤ 2 s; 1 page per letter, 0 spilled.
The machine may be shared: the load average is printed, and the ratios are measured in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

from kongchuo_docs.files.output import OutputSet
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds.letters import write_letters
from kongchuo_docs.letters.docx_merge import laid_fields, template_environment
from kongchuo_docs.letters.docx_template import package_parts
from kongchuo_docs.letters.fields import number_fields, student_fields
from kongchuo_docs.letters.grouping import group_students
from kongchuo_docs.letters.layout import LetterLayout
from kongchuo_docs.letters.settings import load_settings
from kongchuo_docs.letters.spec import environment, load_spec
from kongchuo_docs.profile import PROFILE_NAME, load_profile
from kongchuo_docs.readers.roster import read_roster
from kongchuo_docs.system.fonts import resolve_fonts

MB = 1024 * 1024

SAMPLE_PROFILE = sample_path("profile", PROFILE_NAME)  # the demo county: the rows are its places
PHONE = "0591-26831234"
MATERIALS = ["户口簿", "出生医学证明", "预防接种证", "监护人身份证", "居住证明（非本地户籍适用）", "房产证或租房合同",
             "孩子近期一寸免冠照片两张", "幼儿园毕业证明"]  # fmt: skip


def write_bench_profile(folder: Path) -> Path:
    """The sample profile with 咨询电话 and 8 所需材料."""
    import yaml

    data = yaml.safe_load(SAMPLE_PROFILE.read_text(encoding="utf-8"))
    data["咨询电话"] = PHONE
    data["通知书"] = {**data.get("通知书", {}), "所需材料": MATERIALS}
    path = folder / PROFILE_NAME
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


class TreeRss:
    """Samples the memory of this process and its children every `interval` seconds (psutil): `peak` is
    the largest sum of RSS (counts pages shared after fork once per process), `peak_pss` the largest sum
    of PSS (shared pages split between the processes: the memory the tree really uses). Reading a process's
PSS parses its smaps: sampled more often, the sampler itself took a visible share of the 2 cores and
of this process's interpreter lock (the layout phase, which unpickles every letter here, doubled)."""

    def __init__(self, interval: float = 0.5):
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


def letter_contexts(roster: Path, profile: Path, count: int) -> list[dict[str, object]]:
    """The merge fields of the first `count` letters, as the pipeline builds them."""
    settings = load_settings(roster, load_profile(profile)).context()
    schools = group_students(read_roster(roster).students, "学校", ("班级", "村"))
    contexts = []
    for index, students in enumerate(schools.values(), start=1):
        for n, student in enumerate(students, start=1):
            contexts.append({**settings, **student_fields(student), **number_fields(index, n)})
            if len(contexts) == count:
                return contexts
    return contexts


def naive_docxtpl(contexts: list[dict[str, object]], workdir: Path) -> float:
    """CPU seconds per letter of the docxtpl loop: lay the letter out (its lines, which the default
    template takes laid out), load the template, render, save — once per letter."""
    from docxtpl import DocxTemplate

    from kongchuo_docs.letters.layout import ROLES
    from kongchuo_docs.letters.pdf_fonts import build_font_pack

    template = workdir / "template.docx"
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in package_parts(load_spec("入学")):
            zf.writestr(name, data)
    env = template_environment()  # the same sandbox and global the merge uses
    spec = load_spec("入学")
    text = "".join(str(v) for context in contexts for v in context.values())
    text += "".join(t for block in spec.all_blocks() for t in block.texts())
    layout = LetterLayout(spec, build_font_pack(resolve_fonts(), {role: set(text) for role in ROLES}))
    start = time.process_time()
    for i, context in enumerate(contexts):
        document = DocxTemplate(template)
        document.render({**context, **laid_fields(layout.lay_out(context, {}))}, env, autoescape=True)
        document.save(workdir / f"naive-{i}.docx")
    return (time.process_time() - start) / len(contexts)


def naive_weasyprint(contexts: list[dict[str, object]]) -> float:
    """CPU seconds per letter of one WeasyPrint render + write_pdf per letter (same texts, 公文 page)."""
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
        f"line-height: {g.LETTER_LINE_PITCH_PT}pt; letter-spacing: {g.BODY_LETTER_SPACING_PT:.4f}pt }}"
        f"h1 {{ font-family: {fonts.css_font_family(g.FONT_XIAOBIAOSONG)}; font-size: {g.TITLE_SIZE_PT}pt; "
        "text-align: center; margin: 0 0 1em }} p { margin: 0; text-indent: 2em; text-align: justify }"
        f".slip {{ font-size: {g.LETTER_TEAR_OFF_SIZE_PT}pt; line-height: {g.LETTER_TEAR_OFF_LINE_PITCH_PT}pt; "
        "border-top: 0.5pt dashed black }"
    )
    blocks = [(b, [env.from_string(t) for t in b.texts()]) for b in [*spec.blocks, *spec.slip]]
    start = time.process_time()
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
    return (time.process_time() - start) / len(contexts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--docx-sample", type=int, default=100)
    parser.add_argument("--pdf-sample", type=int, default=30)
    parser.add_argument("--command-only", action="store_true",
                        help="only the command (wall, memory): e.g. for --rows 100000")  # fmt: skip
    args = parser.parse_args()

    print(f"load average at start (1/5/15 min): {' '.join(f'{v:.1f}' for v in os.getloadavg())} "
          f"on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="letters-bench-") as tmp:
        work = Path(tmp)
        profile = write_bench_profile(work)
        roster = work / "roster.xlsx"
        t = time.perf_counter()
        # In a child process: the generated rows (~490 MB at 100 000) must not stay in this process, whose
        # high-water RSS a child started by vfork keeps across its exec (Linux): the command's "largest
        # process" would then be this process's peak, not the command's (which is read with wait4, of the
        # command's processes alone).
        subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                        "from kongchuo_docs.kinds.sample_roster import write_sample_file; "
                        "write_sample_file(Path(sys.argv[1]), rows=int(sys.argv[2]), seed=1, year=int(sys.argv[3]))",
                        str(roster), str(args.rows), str(load_profile(profile).first_year)], check=True)  # fmt: skip
        print(f"sample roster: {args.rows} rows generated in {time.perf_counter() - t:.1f} s (not counted); "
              f"profile: sample county + 咨询电话 + {len(MATERIALS)} 所需材料")

        command = [sys.executable, "-c", "from kongchuo_docs.cli import main; main()", "letters", str(roster),
                   "-o", str(work / "cli"), "--jobs", str(args.jobs), "--settings", str(profile)]  # fmt: skip
        start = time.perf_counter()
        with TreeRss() as cli_tree, tempfile.TemporaryFile() as log:
            process = subprocess.Popen(command, stdout=log, stderr=log)
            _pid, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            if process.returncode:
                log.seek(0)
                raise SystemExit(log.read().decode("utf-8", "replace"))
        cli_wall = time.perf_counter() - start
        cli_cpu = usage.ru_utime + usage.ru_stime
        cli_child = usage.ru_maxrss / 1024
        print(f"\n== the command: kongchuo-docs letters roster.xlsx -o out --jobs {args.jobs} (PDF + DOCX per school)")
        print(f"  wall {cli_wall:.2f} s (target ≤ 8 s idle); largest process {cli_child:.0f} MB (target ≤ 400 MB); "
              f"process tree at peak (sampled): RSS sum {cli_tree.peak / MB:.0f} MB, "
              f"PSS sum {cli_tree.peak_pss / MB:.0f} MB")
        print(f"  CPU time of its processes {cli_cpu:.2f} s (user + sys, all processes: what a busy machine "
              f"cannot inflate; on {args.jobs} idle cores the wall is at least {cli_cpu / args.jobs:.2f} s)")
        if args.command_only:
            print(f"\nload average at end (1/5/15 min): {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
            return

        timings: dict[str, float] = {}
        steps: dict[str, float] = {}
        start = time.perf_counter()
        with TreeRss() as tree, OutputSet(work / "out") as out:
            results = write_letters(out, roster, load_profile(profile), jobs=args.jobs, per_record=True,
                                    progress=False, timings=timings, steps=steps)  # fmt: skip
        total = time.perf_counter() - start
        timings["move+manifest"] = total - sum(timings.values())
        pdfs = [r for r in results if r.target.suffix == ".pdf"]
        letters = sum(r.letters for r in pdfs)
        pdf_pages = sum(r.pages or 0 for r in pdfs)
        spilled = sum(r.spilled for r in pdfs)
        self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        budgets = {"read+validate": 1.0, "fonts": 0.5, "pdf": 4.0, "docx": 2.0}
        share = {step: seconds / args.jobs for step, seconds in steps.items()}  # wall share of each step

        print(f"\n== phases (in-process): {letters} letters, --jobs {args.jobs}, PDF + DOCX + per-child zip")
        for phase, seconds in timings.items():
            budget = f"   (budget ≤ {budgets[phase]:g} s)" if phase in budgets else ""
            print(f"  {phase:<14} {seconds:7.2f} s{budget}")
            if phase == "letters":  # each school laid out and written in one process: its steps
                for step, seconds in steps.items():
                    budget = f"   (budget ≤ {budgets[step]:g} s)" if step in budgets else ""
                    print(f"    {step:<12} {share[step]:7.2f} s  ({seconds:.2f} s CPU in {args.jobs} processes)"
                          f"{budget}")
        print(f"  {'total':<14} {total:7.2f} s   (with the per-child zips, which the command above does not write)")
        sides = 2 if load_settings(roster, load_profile(profile))["双面打印"] else 1
        print(f"  PDF pages: {pdf_pages} = {pdf_pages / letters:.3f} per letter ({'double' if sides == 2 else 'single'}"
              f"-sided: {pdf_pages / letters / sides:.3f} sheets per letter; target 1); "
              f"回执 pushed to the next side: {spilled} (target 0)")
        print(f"  peak RSS: this process {self_peak:.0f} MB, largest child process {child_peak:.0f} MB, "
              f"tree (sampled) RSS sum {tree.peak / MB:.0f} MB, PSS sum {tree.peak_pss / MB:.0f} MB")  # fmt: skip

        contexts = letter_contexts(roster, profile, max(args.docx_sample, args.pdf_sample))
        per_docx = naive_docxtpl(contexts[: args.docx_sample], work)
        per_pdf = naive_weasyprint(contexts[: args.pdf_sample])
        naive_docx_total = per_docx * letters
        naive_pdf_total = per_pdf * letters
        ours_docx = share["docx"] + share["layout"]
        ours_pdf = share["pdf"] + share["layout"]
        print("\n== naive baselines (one process, CPU seconds), measured on a sample, extrapolated linearly")
        print(f"  lay out + docxtpl render+save per letter: {per_docx * 1000:.1f} ms × {letters} = "
              f"{naive_docx_total:.0f} s; ours (layout + docx) {ours_docx:.2f} s → "
              f"{naive_docx_total / ours_docx:.0f}× (target ≥ 100×)")
        print(f"  WeasyPrint PDF per letter:                {per_pdf * 1000:.1f} ms × {letters} = "
              f"{naive_pdf_total:.0f} s; ours (layout + pdf) {ours_pdf:.2f} s → "
              f"{naive_pdf_total / ours_pdf:.0f}× (target ≥ 100×)")
    print(f"\nload average at end (1/5/15 min): {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
