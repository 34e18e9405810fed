"""The ``letters`` command: a roster → per school (or township) one merged PDF and DOCX, per-child DOCX.

Recipe: settings (defaults ← 单位设置 profile ← 设置 sheet), their dates cross-checked → template
compiled and its fields checked (before anything is read or rendered) → roster read once and
validated against the ages of the settings' 学年, each row spooled per school as it passes its own
checks (`letters.spool`: the main process keeps only the problems and ID numbers, never the roster);
any invalid row stops the run, unless ``--skip-invalid``: then the valid rows get letters and the
error workbook marks the others → glyphs checked once per distinct character of the valid rows (生僻字
fall back to another font, reported) → one work unit per school (责令: per township, the issuer), run
in ``--jobs`` processes, largest first: its rows read back, sorted by class or village and numbered,
its letters laid out once (`letters.layout`) and written into each of its files there
(`letters.jobs`). As soon as the first school is laid out, the letters whose 回执 goes to the next
side are told, the total at the end (the web page's 校验 tells them before generating: `spilled_rows`).
The planning (settings, roster, glyphs, fonts) is `letters.plan`, the grouping `letters.grouping`;
the running (processes, progress, Ctrl+C) is `letters.run`.

Output layout in OUTDIR: ``<文种>/<学校>.pdf``, ``<文种>/<学校>.docx``, with ``--per-record``
``<文种>/<学校>-单份.zip`` (乡镇 instead of 学校 for 责令), with ``--ofd`` ``<文种>/<学校>.ofd`` (made
from that school's PDF); with ``--skip-invalid`` and bad rows
``<文种>/名册错误标注.xlsx``.
Every letters file is listed in the manifest with kind ``letters`` and ``records`` = its letters; the
error workbook with kind ``error-workbook`` and ``records`` = the rows it marks.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from .. import console
from ..errors import InputError, KongchuoError, Location, Problem
from ..files.filenames import UniqueNames
from ..files.output import DEMO_INPUTS, OutputSet, in_folder
from ..letters.docx_merge import compile_default, compile_word_template
from ..letters.fields import FIELD_NAMES, letter_fields
from ..letters.grouping import SORT_KEYS, WITHIN_ORDERS, group_students
from ..letters.jobs import EngineConfig, Output, Unit, UnitResult
from ..letters.plan import (
    SpillNotice,
    check_glyphs,
    checked_roster,
    checked_settings,
    font_pack,
    roster_chars,
    spooled_schools,
)
from ..letters.run import Clock, ProgressHook, convert, run_units, write_ofds
from ..letters.settings import LetterSettings
from ..letters.spec import load_spec
from ..letters.spec_model import KIND_FILES, LetterSpec
from ..letters.spool import SchoolRows, Spool
from ..profile import Profile, load_profile
from ..readers.roster import read_roster
from ..system.fonts import FontSet, resolve_fonts
from ..system.libreoffice import INSTALL_HINT, soffice_path
from ..wording.letter_settings import setting_keys
from ..writers.error_workbook import write_error_workbook
from ..writers.pdfa import DEFAULT_LEVEL, Archive
from .sample_roster import generate_rows, write_sample_roster

if TYPE_CHECKING:
    from ..profile.scope import RowScope
    from ..writers.ofd import OfdMeta

KINDS = tuple(KIND_FILES)
ERROR_WORKBOOK = "名册错误标注.xlsx"
DEMO_ROSTER = "名册.xlsx"
DEMO_POOL = 160  # generated children, of whom those of the first DEMO_SCHOOLS schools are kept
DEMO_SCHOOLS = 2
DEMO_SEED = 4


def build_letters_files(
    roster: Path,
    outdir: Path,
    *,
    kind: str = "入学",
    settings_file: Path | None = None,
    word_template: Path | None = None,
    jobs: int = 1,
    per_record: bool = False,
    skip_invalid: bool = False,
    force: bool = False,
    on_progress: ProgressHook | None = None,
    sort: str | None = None,
    duplex: bool | None = None,
    pdfa: str = DEFAULT_LEVEL,
    ofd: bool = False,
    issued: dt.date | None = None,
    scope: RowScope | None = None,
) -> list[str]:
    """``kongchuo-docs letters``: all or nothing into OUTDIR; returns the written paths.
    `settings_file` is the 单位设置 profile (default: the one `profile.find_profile_path` finds);
    `scope`, when given, holds the only schools whose rows get letters (a 学校's or 乡镇's account)."""
    for path, label in ((roster, "名册"), (word_template, "Word 模板")):
        if path is not None and not Path(path).is_file():
            raise KongchuoError(f"找不到{label}：{path}")
    profile = load_profile(settings_file)
    console.problems(list(profile.warnings))
    with OutputSet(outdir, force=force) as out:
        write_letters(out, roster, profile, kind=kind, word_template=word_template,
                      jobs=jobs, per_record=per_record, skip_invalid=skip_invalid,
                      on_progress=on_progress, sort=sort, duplex=duplex, pdfa=pdfa, ofd=ofd,
                      issued=issued, scope=scope)  # fmt: skip
    return out.written


def write_letters(
    out: OutputSet,
    roster: Path,
    profile: Profile,
    *,
    kind: str = "入学",
    word_template: Path | None = None,
    jobs: int = 1,
    per_record: bool = False,
    skip_invalid: bool = False,
    folder: str = "",
    source: str | None = None,
    progress: bool | None = None,
    timings: dict[str, float] | None = None,
    steps: dict[str, float] | None = None,
    on_progress: ProgressHook | None = None,
    sort: str | None = None,
    duplex: bool | None = None,
    pdfa: str = DEFAULT_LEVEL,
    ofd: bool = False,
    issued: dt.date | None = None,
    scope: RowScope | None = None,
) -> list[UnitResult]:
    """Write the letters of `kind` for `roster` into `out` (under `folder`); return per-file counts.

    `source` is the roster as the manifest names it (output-relative, e.g. ``样例输入/…``), default
    the roster path. `progress` defaults to: a progress bar when stderr is a terminal. `timings`, when
    given, receives the wall time in seconds of each phase (read+validate, fonts, letters: every
    school laid out and written, docx-pdf, ofd); `steps` the CPU seconds the ``--jobs`` processes
    spent on each step of the letters phase (layout, pdf, docx, zip), summed over them.
    `on_progress`, when given, is told each output file's letters before any is written and again
    when the file is done (the web page's progress per school).
    `sort` (名册, 拼音, 身份证号), `duplex` and `issued` override the settings 班内排序, 双面打印 and 成文日期.
    `pdfa` is the PDFs' PDF/A level (``2b``; ``3b`` embeds the roster in every PDF as its source).
    `ofd`: each PDF also as OFD (GB/T 33190), made from that PDF.
    `scope`, when given: only its schools' rows are read (`readers.roster.read_roster`).
    """
    clock = Clock(timings)
    if kind not in KINDS:
        raise KongchuoError(f"未知的通知书种类：{kind}（可选 {'、'.join(KINDS)}）")
    if jobs < 1:
        raise KongchuoError("--jobs 至少为 1")
    if sort is not None and sort not in WITHIN_ORDERS:
        raise InputError([Problem(Location("--sort"), f"应为{'、'.join(WITHIN_ORDERS)}之一", sort)])
    spec = load_spec(kind)
    known = set(FIELD_NAMES) | set(setting_keys())
    # Templates first: their unknown fields are reported before any input is read or rendered.
    if word_template is not None:
        check_word_template(word_template)
    compile_default(spec, known, duplex=True)
    with out.scratch() as scratch:  # the roster's rows, spooled per school: never held whole
        spool = Spool(scratch, spec.group_by)
        settings, rule = checked_settings(roster, profile, kind, issued)
        data = read_roster(roster, age_rule=rule, scope=scope, take=spool.take)
        sort_key = str(settings["排序"])
        duplex = bool(settings["双面打印"]) if duplex is None else duplex
        clock.lap("read+validate")
        if data.problems.errors and not skip_invalid:
            raise InputError(data.problems.items)
        fontset = resolve_fonts()
        fontset.announce()
        schools_found = spooled_schools(spool, data, fontset, skip_invalid)
        row_errors = data.problems.errors
        console.problems(data.problems.warnings)
        label_dir = in_folder(folder, spec.file_label)
        if row_errors:
            console.problems(row_errors)
            error_rel = f"{label_dir}/{ERROR_WORKBOOK}"
            write_error_workbook(data.table, out.reserve(error_rel))
            out.record(error_rel, kind="error-workbook", title=ERROR_WORKBOOK.removesuffix(".xlsx"),
                       records=len(data.invalid_rows), source=source or roster,
                       source_is_output=source is not None)  # fmt: skip
            console.warn(f"{len(data.invalid_rows)} 行有错误，未生成通知书；已标注在 {label_dir}/{ERROR_WORKBOOK}")
        if not schools_found.letters:
            raise KongchuoError(f"名册 {roster.name} 中没有可生成通知书的有效行")

        within = sort or str(settings["班内排序"])
        if "" in schools_found.parts:  # rows without their 学校 (乡镇): named, as `group_students` does
            group_students(schools_found.parts[""].students(), spec.group_by, ())
        groups = schools_found.parts
        if Archive(pdfa, roster).attachment is not None and len(groups) > 1 and word_template is None:
            console.warn(f"--pdfa 3b：每份 PDF 都附带完整名册 {roster.name}（含其他{spec.group_by}学生的信息），"
                         "分发前请确认可以这样做")
        # A clerk's Word template: the PDF is that same merged DOCX converted, never the built-in wording.
        pdf_from_docx = word_template is not None
        if pdf_from_docx and soffice_path() is None:
            console.warn(f"未生成 PDF：用自备 Word 模板（{word_template.name}）时，PDF 须由同一份 DOCX 经 LibreOffice "
                         "转换，以免两份文件内容不同；本机未安装 LibreOffice（kongchuo-docs doctor 可检查）。"
                         f"安装：{INSTALL_HINT}")  # fmt: skip
        if ofd and pdf_from_docx:
            console.warn("未生成 OFD：用自备 Word 模板时 PDF 由 LibreOffice 转换，其中的字体（许多 Type 1 子集）"
                         "暂不能转为 OFD；不用 --template 时每校的 PDF 都另有 OFD")  # fmt: skip
        fonts = None if pdf_from_docx else font_pack(spec, settings, schools_found.chars, fontset,
                                                     schools_found.fallbacks)  # fmt: skip
        clock.lap("fonts")
        created = settings["成文日期"] if isinstance(settings["成文日期"], dt.date) else None
        config = EngineConfig(spec, settings.context(), frozenset(known), word_template, duplex, fonts,
                              created, Archive(pdfa, roster))  # fmt: skip
        units: list[Unit] = []
        rels: dict[Path, str] = {}  # each output's target → its path in OUTDIR
        converted: list[tuple[Output, Output, int]] = []  # (a school's DOCX, its PDF by LibreOffice, letters)
        stems = UniqueNames()
        for index, (group, rows) in enumerate(groups.items(), start=1):
            stem = f"{label_dir}/{stems.stem(group, spec.group_by)}"
            title = f"{group}{spec.file_label}"
            planned = [("docx", f"{stem}.docx", title)]
            if not pdf_from_docx:
                planned.insert(0, ("pdf", f"{stem}.pdf", title))
            if per_record:
                planned.append(("zip", f"{stem}-单份.zip", f"{title}（单份）"))
            outputs = tuple(Output(fmt, out.reserve(rel), unit_title) for fmt, rel, unit_title in planned)
            rels.update({output.target: rel for output, (_f, rel, _t) in zip(outputs, planned, strict=True)})
            letters = SchoolRows(rows, schools_found.counts[group], index, spec.group_by, SORT_KEYS[sort_key], within)
            units.append(Unit(letters, outputs))
            if pdf_from_docx and soffice_path() is not None:
                pdf = Output("docx-pdf", out.reserve(f"{stem}.pdf"), title)
                rels[pdf.target] = f"{stem}.pdf"
                converted.append((outputs[0], pdf, len(letters)))
        notice = SpillNotice(kind, settings, list(groups), spec.group_by, data.table)
        results = run_units(units, config, jobs, console.err.is_terminal if progress is None else progress, clock,
                            on_progress, steps, notice.school_laid_out)  # fmt: skip
        notice.end()
    written = [(output, result) for unit, done in zip(units, results, strict=True)
               for output, result in zip(unit.outputs, done.results, strict=True)]  # fmt: skip
    written += [(pdf, convert(docx, pdf, count, config.archive.part)) for docx, pdf, count in converted]
    clock.lap("docx-pdf")
    for output, result in written:
        out.record(rels[output.target], kind="letters", title=output.title, pages=result.pages,
                   records=result.letters, source=source or roster, source_is_output=source is not None)  # fmt: skip
    pdfs = [(unit, done, output) for unit, done in zip(units, results, strict=True)
            for output in unit.outputs if output.fmt == "pdf"] if ofd else []  # fmt: skip
    ofd_rels = [rels[output.target].removesuffix(".pdf") + ".ofd" for _unit, _done, output in pdfs]
    made = write_ofds([(output.target, out.reserve(rel), _ofd_meta(spec, settings, output.title, done.issuer))
                       for (_unit, done, output), rel in zip(pdfs, ofd_rels, strict=True)], jobs)  # fmt: skip
    for (unit, _done, output), rel, pages in zip(pdfs, ofd_rels, made, strict=True):
        out.record(rel, kind="letters", title=output.title, pages=pages, records=len(unit.letters),
                   source=source or roster, source_is_output=source is not None)  # fmt: skip
    clock.lap("ofd")
    _warn_kept_outputs(out, label_dir, [*rels.values(), *ofd_rels])
    return [result for _output, result in written]


def _ofd_meta(spec: LetterSpec, settings: LetterSettings, title: str, issuer: str) -> OfdMeta:
    """The OFD metadata of one school's letters (`title`): their 署名 as author (`issuer`: a school, a
    township's government), the settings' 成文日期, the kind's label (入学通知书 …) as 文种."""
    from ..writers.ofd import OfdMeta

    date = settings["成文日期"]
    return OfdMeta(title, issuer, date if isinstance(date, dt.date) else None, genre=spec.file_label)


def check_word_template(path: Path) -> None:
    """A clerk's Word template checked as `build_letters_files` checks it: `InputError` naming each
    unknown field (file, paragraph) and the valid names, before any roster is read."""
    compile_word_template(path, set(FIELD_NAMES) | set(setting_keys()), duplex=True)


def first_letter(roster: Path, profile: Profile, kind: str, target: Path, *, issued: dt.date | None = None,
                 duplex: bool | None = None, scope: RowScope | None = None,
                 ) -> tuple[UnitResult, int, FontSet]:
    """The first valid child's letter as the PDF `target` (what the whole run would print for them):
    its result (pages, a slip pushed to another page), the letters' count (valid rows), and the
    fonts that drew it (their substitutions)."""
    spec = load_spec(kind)
    known = set(FIELD_NAMES) | set(setting_keys())
    compile_default(spec, known, duplex=True)
    settings, data = checked_roster(roster, profile, kind, issued, scope)
    if not data.students:
        raise KongchuoError(f"名册 {roster.name} 中没有可生成通知书的有效行")
    duplex = bool(settings["双面打印"]) if duplex is None else duplex
    fontset = resolve_fonts()
    first = data.students[:1]
    fallbacks, _dropped = check_glyphs(fontset, roster_chars(data.students), lambda: data.students, data.table,
                                       skip_invalid=True)  # fmt: skip
    fonts = font_pack(spec, settings, roster_chars(first), fontset, fallbacks)
    config = EngineConfig(spec, settings.context(), frozenset(known), None, duplex, fonts)
    letter = letter_fields(first[0], 1, 1)
    [done] = run_units([Unit([letter], (Output("pdf", target, spec.file_label),))], config, 1, False, Clock(None))
    return done.results[0], len(data.students), fontset


def _warn_kept_outputs(out: OutputSet, label_dir: str, rels: list[str]) -> None:
    """Say which letters of an earlier run (a school no longer in the roster) stay in the folder:
    they are kept, never deleted, so a clerk decides."""
    folder = out.outdir / label_dir
    new = {Path(rel).name for rel in rels} | {ERROR_WORKBOOK} | {Path(rel).name for rel in out.superseded()}
    kept = sorted(p.name for p in folder.glob("*") if p.is_file() and p.name not in new) if folder.is_dir() else []
    if kept:
        console.warn(f"{label_dir} 中有 {len(kept)} 个文件不属于本次名册（如已不在名册中的学校），已保留未删除："
                     + "、".join(kept))


def demo(out: OutputSet, profile: Profile) -> None:
    """Demo step: a small synthetic roster of two schools (fixed seed, the profile's school year) and
    its letters of all three kinds (PDF + DOCX), each kind in its own folder (入学通知书/ …)."""
    rel = in_folder(DEMO_INPUTS, f"通知书/{DEMO_ROSTER}")
    rows = generate_rows(DEMO_POOL, seed=DEMO_SEED, year=profile.first_year)
    schools = sorted({row.values["入读学校"] for row in rows})[:DEMO_SCHOOLS]
    roster = out.reserve(rel)
    chosen = [row for row in rows if row.values["入读学校"] in schools]
    write_sample_roster(roster, chosen)
    out.record(rel, kind="input", title=DEMO_ROSTER, records=len(chosen))
    for kind in KINDS:
        write_letters(out, roster, profile, kind=kind, source=rel, progress=False)
