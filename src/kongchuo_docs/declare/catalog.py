"""Every task, each declared once (see `model`), with the run both doors call: 公文 from YAML or
drafts (build), the tasks of the yearly cycle, and the blank forms."""

from __future__ import annotations

from typing import Any

from .model import TODAY, InputFile, Option, Outcome, Run, Task

DRAFTS = (".docx", ".doc", ".wps", ".odt", ".txt", ".md")
XLSX_CSV_YAML = (".xlsx", ".csv", ".yaml", ".yml")
XLSX_YAML = (".xlsx", ".yaml", ".yml")
SELF_CHECK_FORMS = (".xlsx", ".xls", ".ods", ".yaml", ".yml")
YAMLS = (".yaml", ".yml")
BUILD_SUFFIXES = (*YAMLS, *DRAFTS)

ISSUER = Option("issuer", "--issuer", "发文机关", "发文机关，默认为单位设置中的教育局。")
ROUNDING = Option(
    "rounding", "--rounding", "比率的舍入方式", "比率的舍入方式：四舍五入 或 截尾。", kind="choice", default="四舍五入",
    choices=("四舍五入", "截尾"), aliases=(("half-up", "四舍五入"), ("truncate", "截尾"), ("去尾", "截尾")),
)  # fmt: skip


def _output_formats(text: str) -> tuple[str, ...]:
    from ..kinds.publish import output_formats

    return output_formats(text)


def _pdfa_level(text: str) -> str:
    from ..writers.pdfa import archive_level

    return archive_level(text)


def _draft_settings(pairs: tuple[str, ...]) -> dict[str, Any]:
    from ..readers.draft import parse_settings

    return parse_settings(pairs)


def _build(run: Run) -> Outcome:
    from ..errors import KongchuoError
    from ..files.inputs import expand_folders
    from ..kinds.draft import build_draft_files
    from ..kinds.notice import build_notice_files

    v = run.values
    sources = expand_folders(run.inputs["inputs"], BUILD_SUFFIXES, "公文的 YAML 或草稿")
    yamls = [p for p in sources if p.suffix.lower() in YAMLS]
    drafts = [p for p in sources if p.suffix.lower() not in YAMLS]
    if yamls and drafts:
        raise KongchuoError(f"草稿和 YAML 请分两次生成（YAML：{yamls[0].name}；草稿：{drafts[0].name}）")
    if drafts:
        written = build_draft_files(drafts, run.output, formats=v["formats"], force=run.force, settings=v["set"],
                                    profile_path=run.settings, pdfa=v["pdfa"])  # fmt: skip
    elif v["set"]:
        raise KongchuoError("--set 只用于草稿（YAML 请直接修改文件）")
    else:  # each YAML its own document, all written or none
        written = build_notice_files(yamls, run.output, formats=v["formats"], force=run.force,
                                     settings=run.settings, pdfa=v["pdfa"])  # fmt: skip
    return Outcome(written, run.output)


def _forms(run: Run) -> Outcome:
    from ..kinds.forms import build_forms, forms_year
    from ..profile import load_profile

    first_year = forms_year(load_profile(run.settings, required=False))
    return Outcome(build_forms(run.output, first_year=first_year, force=run.force), run.output)


def _letters(run: Run) -> Outcome:
    from ..kinds.letters import build_letters_files

    v = run.values
    written = build_letters_files(
        run.inputs["roster"][0], run.output, kind=v["kind"], settings_file=run.settings,
        word_template=run.file("template"), jobs=run.jobs, per_record=v["per_record"],
        skip_invalid=v["skip_invalid"], force=run.force, on_progress=run.progress, sort=v["sort"],
        duplex=v["duplex"], issued=v["date"], pdfa=v["pdfa"], ofd=v["ofd"],
        scope=run.scope,
    )  # fmt: skip
    return Outcome(written, run.output)


def _rounding(run: Run) -> str:
    from ..model.stats import parse_rounding

    return parse_rounding(run.values["rounding"])


def _rectification(run: Run) -> Outcome:
    from ..kinds.rectification import build_rectification_files

    v = run.values
    written, warnings = build_rectification_files(
        run.inputs["findings"][0], run.output, issuer=v["issuer"], date=v["date"], first_number=v["number"],
        basis=v["basis"], settings=run.settings, force=run.force,
    )  # fmt: skip
    return Outcome(written, run.output, warnings)


def _register_build(run: Run) -> Outcome:
    from ..kinds.register import build_register_files

    written = build_register_files(run.inputs["clues"][0], run.output, formats=run.values["formats"],
                                   reported_on=run.values["date"], reporting_unit=run.values["unit"] or "",
                                   force=run.force, scope=run.scope)  # fmt: skip
    return Outcome(written, run.output)


def _compile(run: Run) -> Outcome:
    from ..kinds.summary import build_summary_files, outcome_lines

    v = run.values
    written, comp = build_summary_files(
        run.inputs["forms"][0], run.output, units_file=run.file("units"), findings_file=run.file("findings"),
        period=v["period"], date=v["date"], rounding=_rounding(run), issuer=v["issuer"], settings=run.settings,
        force=run.force,
    )  # fmt: skip
    return Outcome(written, run.output, lines=outcome_lines(comp))


def _register_merge(run: Run) -> Outcome:
    from ..kinds.register import merge_register_files, merge_target, summary_lines

    written, merged, warnings = merge_register_files(
        run.inputs["registers"], run.output, as_of=run.values["as_of"], reporting_unit=run.values["unit"] or "",
        settings=run.settings, force=run.force,
    )  # fmt: skip
    return Outcome(written, merge_target(run.output)[0], warnings, summary_lines(merged))


def _agreements(run: Run) -> Outcome:
    from ..kinds.agreement import build_agreement_files

    written, warnings = build_agreement_files(run.inputs["parties"][0], run.output, settings=run.settings,
                                              force=run.force, scope=run.scope)  # fmt: skip
    return Outcome(written, run.output, warnings)


def _self_check(run: Run) -> Outcome:
    from ..kinds.self_check_build import build_self_check_files

    written, found = build_self_check_files(
        run.inputs["forms"], run.output, units_file=run.file("units"),
        allow_inconsistent=run.values["allow_inconsistent"], rounding=_rounding(run), settings=run.settings,
        force=run.force, scope=run.scope,
    )  # fmt: skip
    return Outcome(written, run.output, found)


BUILD = Task(
    name="build",
    command=("build",),
    title="公文（由 YAML 或草稿生成）",
    nav="上传公文",
    help="由 YAML 或草稿生成公文（红头通知、函等），写出 DOCX 和 PDF；草稿先列出识别结果，另写出等价的 YAML。\n\n"
         "发文机关取自草稿（“…文件”一行、标题或署名）；都没有时按无版头排。草稿由单位设置中的本单位署名时，\n"
         "文号代字、印发机关取自单位设置；版记只在草稿有版记或 --set 版记=是 时排印。",
    inputs=(InputFile("inputs", "公文的 YAML 或草稿", "公文的 YAML 输入文件；或 Word/WPS/文本草稿"
                      "（.docx、.doc、.wps、.odt、.txt、.md）；可给多个或文件夹，每个文件一份公文。", BUILD_SUFFIXES,
                      multiple=True),),
    options=(
        Option("formats", "--format", "输出格式", "输出格式（ofd：OFD 版式文件，由同一份 PDF 转出）。",
               kind="choices", default="docx,pdf", choices=("docx", "pdf", "ofd"), check=_output_formats),
        Option("pdfa", "--pdfa", "PDF/A 级别", "PDF 的 PDF/A 级别（长期保存格式）：2b；"
               "或 3b，另把输入文件（YAML、名册）作为源文件附在 PDF 中。", kind="choice", default="2b",
               choices=("2b", "3b"), check=_pdfa_level),
        Option("set", "--set", "草稿设置", "草稿：覆盖或补充一项（可重复），写作 键=值，如 格式=信函；"
               "发文字号=3 用单位设置中的文号代字和成文日期的年份；版记=是 加上版记；成文日期=手填 留空日期待手写。",
               kind="repeat", check=_draft_settings),
    ),
    outputs="每份公文的 DOCX 和 PDF（可另加 OFD）；草稿另有等价的 YAML。",
    run=_build,
)

FORMS = Task(
    name="forms",
    command=("forms",),
    title="空白表格",
    nav="空白表格",
    help="生成空白录入表（学生名册、单位信息、自查表等），表头、下拉选项与读取时的校验一致；示例按单位设置中的学年填写。",
    inputs=(),
    options=(),
    outputs="各类空白录入表（Excel）：表头、下拉选项与读取时的校验一致；身份证号列为文本格式。",
    run=_forms,
    output_required=True,
    page="/forms",
    needs_profile=False,
)

LETTERS = Task(
    name="letters",
    command=("letters",),
    title="入学/劝返/责令通知书",
    nav="通知书",
    help="由学生名册批量生成入学通知书、劝返复学通知书或责令限期复学通知书：每校一份 PDF 和一份 DOCX。",
    inputs=(
        InputFile("roster", "学生名册", "学生名册（.xlsx、.xls、.ods 或 .csv）。", (".xlsx", ".xls", ".ods", ".csv"),
                  blank_form="学生名册.xlsx"),
        InputFile("template", "自备的 Word 模板", "自备的 Word 模板（.docx，字段写作 {{ 姓名 }}）。", (".docx",),
                  flag="--template"),
    ),
    options=(
        Option("kind", "--kind", "通知书种类", "通知书种类：入学、劝返 或 责令。", kind="choice", default="入学",
               choices=("入学", "劝返", "责令")),
        Option("date", "--date", "成文日期", "通知书的落款日期，如 2026-08-20；不填时按单位设置的“成文日期”。",
               kind="date"),
        Option("sort", "--sort", "同一班级（村）内的顺序",
               "同一班级（村）内的顺序：名册（名册行序）、拼音 或 身份证号；不填时按设置的“班内排序”。",
               kind="choice", choices=("名册", "拼音", "身份证号")),
        Option("duplex", "--duplex", "双面打印", "双面：每份通知书从新的一张纸开始，需要时补空白页；单面：接着印。"
               "不选时按单位设置的“双面打印”，未设置则单面。", kind="switch", choices=("双面", "单面"),
               off_flag="--simplex"),
        Option("per_record", "--per-record", "另为每名学生生成一份 DOCX", "另为每名学生生成一份 DOCX（每校一组）。",
               kind="flag"),
        Option("skip_invalid", "--skip-invalid", "跳过有错误的行",
               "跳过有错误的行，为其余学生生成通知书，并输出错误标注表。", kind="flag"),
        Option("ofd", "--ofd", "另生成 OFD 版式文件", "另为每校生成 OFD 版式文件（由同一份 PDF 转出）。", kind="flag"),
        Option("pdfa", "--pdfa", "PDF 存档格式", "PDF 的 PDF/A 级别：2b（默认）；或 3b，另把名册作为源文件附在"
               "每份 PDF 中（每校的 PDF 都带着整份名册，交出前请核对）。", kind="choice", default="2b",
               choices=("2b", "3b")),
    ),
    outputs="每校（责令：每乡镇）一份 PDF 和一份 DOCX（可另加 OFD）。",
    run=_letters,
    page="/letters",
    parallel=True,
)

RECTIFICATION = Task(
    name="rectification",
    command=("rectification",),
    title="整改通知与问题清单",
    nav="整改",
    help="生成整改通知（每个被检查单位一份红头通知，问题清单为横排附件）和全县问题清单（Excel）。",
    inputs=(InputFile("findings", "检查发现问题表", "检查发现问题表：.xlsx/.csv（“检查发现问题”表）或 YAML。",
                      XLSX_CSV_YAML, blank_form="检查发现问题.xlsx"),),
    options=(
        Option("date", "--date", "成文日期", "整改通知的成文日期，如 2020-10-16；表中写了成文日期时可不填。",
               kind="date"),
        Option("number", "--number", "第一份通知的发文字号",
               "第一份通知的发文字号，如 某教督〔2020〕52号，其余依次递增；只写序号（如 52）时，"
               "代字取单位设置的文号代字，年份取成文日期。"),
        ISSUER,
        Option("basis", "--basis", "检查依据文件的文号", "检查依据文件的文号，默认为单位设置中实施方案的文号。"),
    ),
    outputs="每个被检查单位一份整改通知（DOCX、PDF），全县问题清单（Excel）。",
    run=_rectification,
)

REGISTER_BUILD = Task(
    name="register-build",
    command=("register", "build"),
    title="问题线索移送登记表",
    nav="登记表",
    help="生成问题线索移送登记表：A4 横向、每页重复表头、可直接打印的 Excel 表，以及公文格式的 DOCX/PDF 表格。",
    inputs=(InputFile("clues", "线索表", "线索文件：YAML，或按“问题线索登记”表填写的 .xlsx/.csv。", XLSX_CSV_YAML,
                      blank_form="问题线索登记.xlsx"),),
    options=(
        Option("unit", "--unit", "填报单位", "登记表的填报单位（表中未写时使用）；不填则留空待手写。"),
        Option("date", "--date", "填报时间", "登记表的填报时间（表中未写时使用），如 2020-10-09。",
               kind="date", default=TODAY),
        Option("formats", "--format", "输出格式", "xlsx 为可直接打印的 Excel 表，docx、pdf 为公文格式的表格。",
               kind="choices", default="xlsx,docx,pdf", choices=("xlsx", "docx", "pdf")),
    ),
    outputs="登记表（Excel，另按所选格式写出 DOCX、PDF）。",
    run=_register_build,
    needs_profile=False,
)

COMPILE = Task(
    name="compile",
    command=("compile",),
    title="阶段汇总（全县工作总结）",
    nav="汇总",
    help="汇总各单位的自查表，生成全县控辍保学工作总结（DOCX、PDF、图表）和汇总表（Excel）。\n\n"
         "每个文件都有交代：已汇总、数据不一致、退回（列出错误所在单元格）或未读取；对照单位信息列出未报送单位。",
    inputs=(
        InputFile("forms", "各单位的自查表", "存放各单位自查表的文件夹。", SELF_CHECK_FORMS, blank_form="自查表.xlsx",
                  multiple=True, folder=True),
        InputFile("units", "单位信息表", "单位信息表，用于列出未报送的单位。", XLSX_CSV_YAML,
                  blank_form="单位信息.xlsx", flag="--units"),
        InputFile("findings", "检查发现问题表", "检查发现问题表，用于列出尚未完成整改的问题。", XLSX_CSV_YAML,
                  blank_form="检查发现问题.xlsx", flag="--findings"),
    ),
    options=(
        Option("period", "--period", "总结的时段", "总结的时段，如 2020年秋季学期。"),
        Option("date", "--date", "成文日期", "总结的成文日期；默认取自查表中最晚的报告日期。", kind="date"),
        ROUNDING,
        ISSUER,
    ),
    outputs="全县工作总结（DOCX、PDF、图表）和汇总表（Excel）。",
    run=_compile,
)

REGISTER_MERGE = Task(
    name="register-merge",
    command=("register", "merge"),
    title="问题线索登记表汇总",
    nav="登记表汇总",
    help="汇总各单位的登记表：重新编号、加“报送单位”列、标出疑似重复和逾期未办结的线索，另附统计表。\n\n"
         "各单位的表格列顺序可以不同（按表头名称读取），任何一行都不会丢弃。",
    inputs=(InputFile("registers", "各单位报送的登记表",
                      "各单位报送的登记表（.xlsx/.csv/.yaml），可给多个，或存放它们的文件夹。", XLSX_CSV_YAML,
                      blank_form="问题线索登记.xlsx", multiple=True),),
    options=(
        Option("as_of", "--as-of", "判断逾期的截至日期", "判断逾期的截至日期，如 2020-12-20。", kind="date",
               default=TODAY),
        Option("unit", "--unit", "汇总表的填报单位", "汇总表的填报单位；默认为单位设置中的教育局。"),
    ),
    outputs="全县登记表（Excel：登记表和统计两个工作表）。",
    run=_register_merge,
    output_help="输出文件夹，或汇总表的 .xlsx 文件名。",
    output_required=True,
)

AGREEMENTS = Task(
    name="agreements",
    command=("agreements",),
    title="目标责任书",
    nav="责任书",
    help="生成控辍保学目标责任书：每个乙方一份，另按甲方合订。\n\n"
         "层级：县教育局—学校、学校—班主任、学校—任课教师、乡镇政府—村(居)委会。",
    inputs=(InputFile("parties", "责任书名单", "责任书名单：.xlsx/.csv（“责任书名单”表）或 YAML。", XLSX_CSV_YAML,
                      blank_form="责任书名单.xlsx"),),
    options=(),
    outputs="每个乙方一份责任书（DOCX、PDF），另按甲方合订。",
    run=_agreements,
)

SELF_CHECK = Task(
    name="self-check",
    command=("self-check",),
    title="自查报告",
    nav="自查报告",
    help="由自查表生成自查报告（比率由人数计算，附辍学情况统计表）；主送单位设置中的教育局，引用其实施方案。"
         "数据不一致时默认拒绝生成。",
    inputs=(
        InputFile("forms", "各单位的自查表", "各单位的自查表（.xlsx 或 YAML），可给多个，或存放它们的文件夹。",
                  XLSX_YAML, blank_form="自查表.xlsx", multiple=True),
        InputFile("units", "单位信息表", "单位信息表（取发文机关标志），.xlsx/.csv 或 YAML。", XLSX_CSV_YAML,
                  blank_form="单位信息.xlsx", flag="--units"),
    ),
    options=(
        Option("allow_inconsistent", "--allow-inconsistent", "数据不一致时仍生成",
               "数据不一致时仍生成报告（报告中注明不一致之处）。", kind="flag"),
        ROUNDING,
    ),
    outputs="每个单位一份自查报告（DOCX、PDF）。",
    run=_self_check,
)

# the documents, then the yearly cycle in its order (the page's navigation), then the blank forms
TASKS: dict[str, Task] = {t.name: t for t in (BUILD, LETTERS, AGREEMENTS, SELF_CHECK, RECTIFICATION, COMPILE,
                                              REGISTER_BUILD, REGISTER_MERGE, FORMS)}  # fmt: skip
