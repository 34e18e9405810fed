"""The ``letters`` command: a roster → per school (or township) one merged PDF and DOCX, per-child DOCX.

Recipe: settings (defaults ← 单位设置 profile ← 设置 sheet), their dates cross-checked → template
compiled and its fields checked (before anything is read or rendered) → roster read and validated
against the ages of the settings' 学年 (any invalid row stops the run,
unless ``--skip-invalid``: then the valid rows get letters and the error workbook marks the others)
→ glyphs checked once per distinct character of the roster (生僻字 fall back to another font, reported)
→ letters grouped by school (责令: by township, the issuer) and sorted by class or village → one
work unit per school, run in ``--jobs`` processes: its letters laid out once (`letters.layout`) and
written into each of its files there (`letters.jobs`) → the letters whose 回执 goes to the next side
told (the web page's 校验 tells them before generating: `count_spilled`).

Output layout in OUTDIR: ``<文种>/<学校>.pdf``, ``<文种>/<学校>.docx``, with ``--per-record``
``<文种>/<学校>-单份.zip`` (乡镇 instead of 学校 for 责令), with ``--ofd`` ``<文种>/<学校>.ofd`` (made
from that school's PDF); with ``--skip-invalid`` and bad rows
``<文种>/名册错误标注.xlsx``.
Every letters file is listed in the manifest with kind ``letters`` and ``records`` = its letters; the
error workbook with kind ``error-workbook`` and ``records`` = the rows it marks.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from pypinyin import Style, lazy_pinyin

from .. import console
from .. import gbt9704 as g
from ..errors import InputError, KongchuoError, Location, Problem, Problems
from ..files.filenames import UniqueNames
from ..files.output import DEMO_INPUTS, OutputSet, in_folder
from ..letters.docx_merge import compile_default, compile_word_template
from ..letters.fields import FIELD_NAMES, ROSTER_FIELDS, number_fields, student_fields
from ..letters.jobs import (
    WORKER_CONTEXT,
    EngineConfig,
    Engines,
    Output,
    Unit,
    UnitDone,
    UnitResult,
    init_engines,
    run_unit,
    started_workers,
)
from ..letters.layout import BODY, SLIP_TITLE, TITLE, LetterLayout
from ..letters.pdf_fonts import FontPack, build_font_pack
from ..letters.settings import LetterSettings, load_settings
from ..letters.spec import environment, load_spec
from ..letters.spec_model import KIND_FILES, LetterSpec
from ..profile import Profile, load_profile
from ..profile.checks import check_dates
from ..readers.roster import AgeRule, Roster, Student, read_roster
from ..system.fonts import Fallback, FontSet, fallback_lines, resolve_fonts
from ..system.libreoffice import INSTALL_HINT, render_docx_to_pdf, soffice_path
from ..wording import sandbox
from ..wording.letter_settings import setting_keys
from ..writers.error_workbook import write_error_workbook
from ..writers.pdfa import DEFAULT_LEVEL, Archive
from .sample_roster import generate_rows, write_sample_roster

if TYPE_CHECKING:
    from ..writers.ofd import OfdMeta

KINDS = tuple(KIND_FILES)
GROUP_ATTRIBUTES = {"学校": "school", "乡镇": "township"}  # merge field → roster attribute
SORT_KEYS = {"班级": ("班级",), "村": ("村",)}
"""Setting 排序 → the merge field the letters of a school (township) are grouped by, in natural order."""
WITHIN_ORDERS = ("名册", "拼音", "身份证号")
"""Order of the letters within a class (village): roster rows, 姓名 in pinyin, or ID number."""
SLIP_STYLES = ("回执", "送达回证")
ERROR_WORKBOOK = "名册错误标注.xlsx"
ISSUED_SOURCE = "本次指定的成文日期"  # where an `issued` override of the 成文日期 is said to come from
_DIGITS = re.compile(r"(\d+)")
DEMO_ROSTER = "名册.xlsx"
DEMO_POOL = 160  # generated children, of whom those of the first DEMO_SCHOOLS schools are kept
DEMO_SCHOOLS = 2
DEMO_SEED = 4
ProgressHook = Callable[[str, int, int], None]
"""Told (output file title, letters written, letters in the file)."""


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
    schools: frozenset[str] | None = None,
) -> list[str]:
    """``kongchuo-docs letters``: all or nothing into OUTDIR; returns the written paths.
    `settings_file` is the 单位设置 profile (default: the one `profile.find_profile_path` finds);
    `schools`, when given, the only schools whose rows get letters (a 学校's or 乡镇's account)."""
    for path, label in ((roster, "名册"), (word_template, "Word 模板")):
        if path is not None and not Path(path).is_file():
            raise KongchuoError(f"找不到{label}：{path}")
    profile = load_profile(settings_file)
    console.problems(list(profile.warnings))
    with OutputSet(outdir, force=force) as out:
        write_letters(out, roster, profile, kind=kind, word_template=word_template,
                      jobs=jobs, per_record=per_record, skip_invalid=skip_invalid,
                      on_progress=on_progress, sort=sort, duplex=duplex, pdfa=pdfa, ofd=ofd,
                      issued=issued, schools=schools)  # fmt: skip
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
    schools: frozenset[str] | None = None,
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
    `schools`, when given: only their rows are read (`readers.roster.read_roster`).
    """
    clock = _Clock(timings)
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
        compile_word_template(word_template, known, duplex=True)
    compile_default(spec, known, duplex=True)
    settings, data = checked_roster(roster, profile, kind, issued, schools)
    sort_key = str(settings["排序"])
    duplex = bool(settings["双面打印"]) if duplex is None else duplex
    clock.lap("read+validate")
    if data.problems.errors and not skip_invalid:
        raise InputError(data.problems.items)
    fontset = resolve_fonts()
    fontset.announce()
    fallbacks = _check_glyphs(fontset, data, skip_invalid)
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
    if not data.students:
        raise KongchuoError(f"名册 {roster.name} 中没有可生成通知书的有效行")

    within = sort or str(settings["班内排序"])
    groups = group_students(data.students, spec.group_by, SORT_KEYS[sort_key], within)
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
    fonts = None if pdf_from_docx else _font_pack(spec, settings, data.students, fontset, fallbacks)
    clock.lap("fonts")
    created = settings["成文日期"] if isinstance(settings["成文日期"], dt.date) else None
    config = EngineConfig(spec, settings.context(), frozenset(known), word_template, duplex, fonts,
                          created, Archive(pdfa, roster))  # fmt: skip
    units: list[Unit] = []
    rels: dict[Path, str] = {}  # each output's target → its path in OUTDIR
    converted: list[tuple[Output, Output, int]] = []  # (a school's DOCX, its PDF by LibreOffice, letters)
    stems = UniqueNames()
    for group, letters in group_letters(groups).items():
        stem = f"{label_dir}/{stems.stem(group, spec.group_by)}"
        title = f"{group}{spec.file_label}"
        planned = [("docx", f"{stem}.docx", title)]
        if not pdf_from_docx:
            planned.insert(0, ("pdf", f"{stem}.pdf", title))
        if per_record:
            planned.append(("zip", f"{stem}-单份.zip", f"{title}（单份）"))
        outputs = tuple(Output(fmt, out.reserve(rel), unit_title) for fmt, rel, unit_title in planned)
        rels.update({output.target: rel for output, (_f, rel, _t) in zip(outputs, planned, strict=True)})
        units.append(Unit(letters, outputs, _issuer(spec, {**config.settings, **letters[0]})))
        if pdf_from_docx and soffice_path() is not None:
            pdf = Output("docx-pdf", out.reserve(f"{stem}.pdf"), title)
            rels[pdf.target] = f"{stem}.pdf"
            converted.append((outputs[0], pdf, len(letters)))
    results = _run(units, config, jobs, console.err.is_terminal if progress is None else progress, clock,
                   on_progress, steps)  # fmt: skip
    warn_spilled(sum(done.spilled for done in results), kind, settings)
    written = [(output, result) for unit, done in zip(units, results, strict=True)
               for output, result in zip(unit.outputs, done.results, strict=True)]  # fmt: skip
    written += [(pdf, _convert(docx, pdf, count, config.archive.part)) for docx, pdf, count in converted]
    clock.lap("docx-pdf")
    for output, result in written:
        out.record(rels[output.target], kind="letters", title=output.title, pages=result.pages,
                   records=result.letters, source=source or roster, source_is_output=source is not None)  # fmt: skip
    pdfs = [(unit, output) for unit in units for output in unit.outputs if output.fmt == "pdf"] if ofd else []
    ofd_rels = [rels[output.target].removesuffix(".pdf") + ".ofd" for _unit, output in pdfs]
    made = _write_ofds([(output.target, out.reserve(rel), _ofd_meta(spec, settings, output.title, unit.issuer))
                        for (unit, output), rel in zip(pdfs, ofd_rels, strict=True)], jobs)  # fmt: skip
    for (unit, output), rel, pages in zip(pdfs, ofd_rels, made, strict=True):
        out.record(rel, kind="letters", title=output.title, pages=pages, records=len(unit.letters),
                   source=source or roster, source_is_output=source is not None)  # fmt: skip
    clock.lap("ofd")
    _warn_kept_outputs(out, label_dir, [*rels.values(), *ofd_rels])
    return [result for _output, result in written]


def _issuer(spec: LetterSpec, fields: dict[str, object]) -> str:
    """The 署名 of a file's letters (the school or township issuing them), as its PDF's creator."""
    signature = next((b for b in spec.blocks if b.type == "signature"), None)
    if signature is None:
        return ""
    template = environment(autoescape=False).from_string(signature.issuer)
    return sandbox.render(template, fields, where=spec.source, field="issuer").strip()


def _write_ofds(plans: list[tuple[Path, Path, OfdMeta]], jobs: int) -> list[int]:
    """Each school's OFD from its PDF (`write_ofd` arguments), in `jobs` processes when there is more
    than one school; the page counts in the plans' order."""
    if not plans:
        return []
    from ..writers.ofd import write_ofd  # PyMuPDF (and its onnxruntime, ~100 MB): only for a run that writes OFD

    if jobs == 1 or len(plans) < 2:
        return [write_ofd(*plan) for plan in plans]
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(plans)), mp_context=WORKER_CONTEXT)
    try:
        futures = [pool.submit(write_ofd, *plan) for plan in plans]  # not map: see _stop_workers
        return [future.result() for future in futures]
    except BaseException:
        _stop_workers(pool)
        raise
    finally:
        pool.shutdown()  # not cancel_futures: see _stop_workers


def _ofd_meta(spec: LetterSpec, settings: LetterSettings, title: str, issuer: str) -> OfdMeta:
    """The OFD metadata of one school's letters (`title`): their 署名 as author (`issuer`: a school, a
    township's government), the settings' 成文日期, the kind's label (入学通知书 …) as 文种."""
    from ..writers.ofd import OfdMeta

    date = settings["成文日期"]
    return OfdMeta(title, issuer, date if isinstance(date, dt.date) else None, genre=spec.file_label)


def spilled_message(spilled: int, kind: str, settings: LetterSettings) -> str:
    """What to tell before generating when `spilled` letters' tear-off slip goes to the next side."""
    slip_name = str(settings["入学回执样式"]) if kind == "入学" else "送达回证"  # 劝返/责令: always 送达回证
    return (f"{spilled} 封通知书的{slip_name}被挤到第 2 页（正文较长：{slip_name}的裁剪线与落款日期之间"
            f"至少空 {g.LETTER_CUT_CLEARANCE_LINES} 行，以免剪到印章）")  # fmt: skip


def warn_spilled(spilled: int, kind: str, settings: LetterSettings) -> None:
    if spilled:
        console.warn(spilled_message(spilled, kind, settings))


def checked_roster(roster: Path, profile: Profile, kind: str, issued: dt.date | None = None,
                   schools: frozenset[str] | None = None) -> tuple[LetterSettings, Roster]:
    """The letters' settings (`issued`, when given, as their 成文日期), checked (sort key, dates),
    and the roster read against their 学年 (only `schools`' rows, when given): what `write_letters`
    starts from, and all the web page's 校验 of a roster does."""
    settings = load_settings(roster, profile)
    if issued is not None:
        settings.values["成文日期"] = issued
        settings.sources["成文日期"] = ISSUED_SOURCE
    sort_key = str(settings["排序"])
    problems = Problems()
    if sort_key not in SORT_KEYS:
        problems.error(Location(settings.sources["排序"], column="排序"), "应为“班级”或“村”", sort_key)
    for key, allowed in (("班内排序", WITHIN_ORDERS), ("入学回执样式", SLIP_STYLES)):
        if str(settings[key]) not in allowed:
            problems.error(Location(settings.sources[key], column=key), f"应为{'、'.join(allowed)}之一", settings[key])
    check_dates(settings.values, lambda key: Location(settings.sources[key], column=key), problems, kind)
    problems.raise_if_errors()
    console.problems(problems.warnings)
    if kind == "责令" and not settings["省级处罚条款"]:
        console.warn("未设置“省级处罚条款”：责令限期复学通知书只引用义务教育法第五十八条，"
                     "逾期后果写作“依法作进一步处理”；请在设置中填写本省条例的处罚条款")  # fmt: skip
    rule = AgeRule(profile.age_reference(str(settings["学年"])))
    return settings, read_roster(roster, age_rule=rule, schools=schools)


def first_letter(roster: Path, profile: Profile, kind: str, target: Path, *, issued: dt.date | None = None,
                 duplex: bool | None = None, schools: frozenset[str] | None = None,
                 ) -> tuple[UnitResult, int, FontSet]:
    """The first valid child's letter as the PDF `target` (what the whole run would print for them):
    its result (pages, a slip pushed to another page), the letters' count (valid rows), and the
    fonts that drew it (their substitutions)."""
    spec = load_spec(kind)
    known = set(FIELD_NAMES) | set(setting_keys())
    compile_default(spec, known, duplex=True)
    settings, data = checked_roster(roster, profile, kind, issued, schools)
    if not data.students:
        raise KongchuoError(f"名册 {roster.name} 中没有可生成通知书的有效行")
    duplex = bool(settings["双面打印"]) if duplex is None else duplex
    fontset = resolve_fonts()
    first = data.students[:1]
    fonts = _font_pack(spec, settings, first, fontset, _check_glyphs(fontset, data, skip_invalid=True))
    config = EngineConfig(spec, settings.context(), frozenset(known), None, duplex, fonts)
    letter = {**student_fields(first[0]), **number_fields(1, 1)}
    [done] = _run([Unit([letter], (Output("pdf", target, spec.file_label),))], config, 1, False, _Clock(None))
    return done.results[0], len(data.students), fontset


def group_letters(groups: dict[str, list[Student]]) -> dict[str, list[dict[str, str]]]:
    """Each group's letters as merge fields: the student's, and 序号/编号 in the group's order."""
    return {
        group: [{**student_fields(s), **number_fields(index, n)} for n, s in enumerate(students, start=1)]
        for index, (group, students) in enumerate(groups.items(), start=1)
    }


def count_spilled(settings: LetterSettings, data: Roster, kind: str) -> int:
    """How many letters of a checked roster would have their tear-off slip on the next side: the
    web page's 校验 tells it before anything is generated (the command tells it as its first step)."""
    spec = load_spec(kind)
    groups = group_students(data.students, spec.group_by, SORT_KEYS[str(settings["排序"])], str(settings["班内排序"]))
    layout = LetterLayout(spec, _font_pack(spec, settings, data.students, resolve_fonts(), []))
    context = settings.context()
    letters = [letter for group in group_letters(groups).values() for letter in group]
    return sum(layout.lay_out(letter, context).spilled for letter in letters)


def group_students(
    students: Iterable[Student], group_by: str, order: Sequence[str], within: str = "名册"
) -> dict[str, list[Student]]:
    """Students per `group_by` value (学校 or 乡镇; groups in name order), each group sorted by `order`
    (班级/村) and within that by `within` (`WITHIN_ORDERS`: roster row, pinyin of the name, ID number).
    A student without a `group_by` value is an error (its row named)."""
    groups: dict[str, list[Student]] = defaultdict(list)
    problems = Problems()
    attribute = GROUP_ATTRIBUTES[group_by]
    for student in students:
        value = student_fields(student)[group_by]
        if not value:
            problems.error(student.location(attribute), f"未填写，无法按{group_by}合并通知书")
        groups[value].append(student)
    problems.raise_if_errors()

    def key(student: Student) -> tuple:
        values = student_fields(student)
        if within == "拼音":
            tie: tuple = (tuple(lazy_pinyin(student.name, style=Style.TONE3)), student.name, student.row)
        elif within == "身份证号":
            tie = (student.id_number, student.row)
        else:
            tie = (student.row,)
        return (*(_natural(values[k]) for k in order), *tie)

    return {name: sorted(groups[name], key=key) for name in sorted(groups)}


def _natural(text: str) -> tuple:
    """Sort key reading digit runs as numbers: 二年级(2)班 before 二年级(10)班."""
    return tuple(int(p) if p.isdigit() else p for p in _DIGITS.split(text) if p)


def _check_glyphs(fontset: FontSet, data: Roster, skip_invalid: bool) -> list[Fallback]:
    """The fallback fonts the students' fields need; a character no font has is an error at its
    cell: it stops the run, or with `skip_invalid` its row is skipped and marked like any bad row.
    Coverage is looked up once per distinct character of the roster; only the cells holding a
    character the body face lacks are then located (for the report)."""
    lacking = set(fontset.missing_chars("".join(roster_chars(data.students)), BODY))
    if not lacking:
        return []
    problems = Problems()
    fallbacks: dict[int, list[Fallback]] = defaultdict(list)  # by roster row
    unprintable: dict[int, list[tuple[str, str]]] = defaultdict(list)  # row → (field, message)
    values = [(student, attr, value) for student in data.students for attr in ROSTER_FIELDS
              if isinstance(value := getattr(student, attr), str) and not lacking.isdisjoint(value)]  # fmt: skip
    for student, attr, value in values:
        found = Problems()
        fallbacks[student.row] += fontset.check_text(value, BODY, student.location(attr), found)
        problems.items += found.items
        unprintable[student.row] += [(attr, p.message) for p in found.errors]
    if problems.errors and not skip_invalid:
        raise InputError(problems.items)
    rows = {row.number: row for row in data.table.rows}
    for number, flags in unprintable.items():
        for attr, message in flags:
            data.table.flag(rows[number], attr, message)
    if problems.errors:
        data.table.sort_problems()
        data.students = [s for s in data.students if not unprintable.get(s.row)]
    return [f for s in data.students for f in fallbacks[s.row]]


def roster_chars(students: list[Student]) -> set[str]:
    """Every distinct character of the students' text fields (dates and numbers print only digits and 年月日)."""
    values = attrgetter(*ROSTER_FIELDS)
    return set("".join(v for student in students for v in values(student) if isinstance(v, str)))


def _font_pack(spec: LetterSpec, settings: LetterSettings, students: list[Student], fontset: FontSet,
               fallbacks: list[Fallback]) -> FontPack:
    """Check every character of the settings has a glyph, subset the fonts once for `students`
    (whose glyphs `_check_glyphs` checked, giving `fallbacks`)."""
    problems = Problems()
    body_chars = set("0123456789X-年月日号：") | roster_chars(students)  # numbers, dates; the fill's colon
    fallbacks = list(fallbacks)
    for key, value in settings.context().items():
        text = "".join(value) if isinstance(value, list) else str(value)
        body_chars.update(text)
        fallbacks += fontset.check_text(text, BODY, Location(settings.sources[key], column=key), problems)
    problems.raise_if_errors()
    for line in fallback_lines(fallbacks):
        console.warn(line)
    title_chars: set[str] = set()
    slip_title_chars: set[str] = set()
    for i, block in enumerate(spec.all_blocks()):
        text = "".join(block.texts())
        body_chars.update(text)
        slip_index = i - len(spec.blocks)
        if block.type in ("title", "cut"):  # an own-page form's title is set like the letter's
            (slip_title_chars if slip_index >= 0 and not spec.in_form(slip_index) else title_chars).update(text)
    for chars in (title_chars, slip_title_chars):
        if "{" in chars:
            chars |= body_chars
    if any(block.type == "cut" for block in spec.slip):  # the ✂ on the cut line, where a face has it
        face, note = fontset.mark_face(g.LETTER_CUT_MARK, BODY)
        if face is not None:
            body_chars.add(g.LETTER_CUT_MARK)
        fontset.announce(once=[note] if note else [])
    return build_font_pack(fontset, {BODY: body_chars, TITLE: title_chars, SLIP_TITLE: slip_title_chars})


def _convert(docx: Output, pdf: Output, letters: int, pdfa_part: int) -> UnitResult:
    """The merged DOCX `docx` (of `letters` letters) converted to `pdf`'s target by LibreOffice (same
    letters, same text), as PDF/A of `pdfa_part` (LibreOffice embeds no source file: a 3b file from a
    clerk's template has none)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="kongchuo-pdf-", dir=pdf.target.parent) as scratch:
        converted = render_docx_to_pdf(docx.target, Path(scratch), pdfa_part=pdfa_part)
        data = converted.read_bytes()
    pdf.target.write_bytes(data)
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    return UnitResult(pdf.target, letters, pages)


class _Clock:
    """Records the wall time of consecutive phases into `timings` (seconds), when asked to."""

    def __init__(self, timings: dict[str, float] | None):
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[phase] = self.timings.get(phase, 0.0) + now - self.last
        self.last = now


def _run(units: list[Unit], config: EngineConfig, jobs: int, progress: bool, clock: _Clock,
         on_progress: ProgressHook | None = None, steps: dict[str, float] | None = None) -> list[UnitDone]:
    """Run every unit (one school's letters laid out once, when the PDF is ours, and written to each of
    its files), in `jobs` processes when > 1, largest school first: one timed phase ("letters");
    `steps`, when given, receives the CPU seconds the processes spent on each step (layout, pdf,
    docx, zip), summed over them. Results in the units' order."""
    hook = on_progress or (lambda title, done, total: None)
    for unit in units:
        for output in unit.outputs:
            hook(output.title, 0, len(unit.letters))
    advance: Callable[[int], None] = lambda n: None  # noqa: E731
    bar = None
    if progress:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        bar = Progress(TextColumn("生成通知书"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                       console=console.err, transient=True)  # fmt: skip
        task = bar.add_task("letters", total=sum(len(u.letters) for u in units))
        bar.start()
        advance = lambda n: bar.advance(task, n)  # noqa: E731
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=WORKER_CONTEXT,
                               initializer=init_engines, initargs=(config,)) if jobs > 1 else None  # fmt: skip
    found: dict[int, UnitDone] = {}

    def done(index: int, result: UnitDone) -> None:
        found[index] = result
        for step, seconds in result.seconds.items():
            if steps is not None:
                steps[step] = steps.get(step, 0.0) + seconds
        advance(len(units[index].letters))
        for output in units[index].outputs:
            hook(output.title, len(units[index].letters), len(units[index].letters))

    order = sorted(range(len(units)), key=lambda i: -len(units[i].letters))
    try:
        if pool is None:
            engines = Engines(config)
            for i in order:
                done(i, engines.run(units[i]))
        else:
            futures = {pool.submit(run_unit, units[i]): i for i in order}  # not map: see _stop_workers
            for future in as_completed(futures):
                done(futures[future], future.result())
        clock.lap("letters")
    except BaseException:
        if pool is not None:
            _stop_workers(pool)
        raise
    finally:
        if bar is not None:
            bar.stop()
        if pool is not None:
            pool.shutdown()  # not cancel_futures: see _stop_workers
    return [found[i] for i in range(len(units))]


def _warn_kept_outputs(out: OutputSet, label_dir: str, rels: list[str]) -> None:
    """Say which letters of an earlier run (a school no longer in the roster) stay in the folder:
    they are kept, never deleted, so a clerk decides."""
    folder = out.outdir / label_dir
    new = {Path(rel).name for rel in rels} | {ERROR_WORKBOOK} | {Path(rel).name for rel in out.superseded()}
    kept = sorted(p.name for p in folder.glob("*") if p.is_file() and p.name not in new) if folder.is_dir() else []
    if kept:
        console.warn(f"{label_dir} 中有 {len(kept)} 个文件不属于本次名册（如已不在名册中的学校），已保留未删除："
                     + "、".join(kept))


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the worker processes now (SIGTERM, Ctrl+C, a failed unit): `shutdown` alone would wait
    for the units they are rendering. The executor has no public way to do this before Python 3.14."""
    for process in {*(getattr(pool, "_processes", None) or {}).values(), *started_workers()}:
        process.terminate()
    # The executor, finding its workers killed, fails every pending future itself: cancelling them as
    # well (shutdown's cancel_futures, or `map`, which cancels its futures when interrupted) races with
    # it and its thread dies on InvalidStateError (CPython 3.11).
    # A killed worker leaves both pipes half-used, and CPython < 3.12 then waits for ever (gh-94777):
    # the call queue's feeder may be blocked writing a school's letters no one reads any more (not
    # joined), and the executor's thread may be blocked reading the rest of a result a worker was
    # sending (this process's copy of the writing end closed: with the workers dead it reads the end).
    call_queue = getattr(pool, "_call_queue", None)
    if call_queue is not None:
        call_queue.cancel_join_thread()
    result_queue = getattr(pool, "_result_queue", None)
    if result_queue is not None:
        result_queue._writer.close()


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
