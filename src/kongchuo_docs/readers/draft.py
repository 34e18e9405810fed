"""Read a drafted 公文 (.docx, .doc/.wps/.odt via LibreOffice, .txt, .md) through the 公文 YAML reader.

The draft is recognised into the YAML reader's mapping (`draft_outline.recognise`); `--set 键=值`
overrides and the profile's defaults are put in; then `notice_yaml`'s validation runs unchanged,
locating its findings at the draft's paragraph (Word) or line (text). The result also gives the
outline a clerk checks and the equivalent YAML (written beside the outputs as ``草稿.yaml``).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, KongchuoError, Location, Problem, Problems
from ..model import Document, Heading, SignFields
from ..support.normalize import NormalizeError, format_date, parse_date
from .body_text import heading_of
from .draft_docx import read_docx_draft
from .draft_items import DraftItem, Paras
from .draft_outline import locate, recognise
from .draft_text import markdown_items, read_text_file, text_items
from .notice_keys import FALSE, FORMATS, HAND_DATE, KEYS, TRUE
from .notice_yaml import NoticeReader
from .yaml_records import LineDict

CONVERTED_SUFFIXES = (".doc", ".wps", ".odt")  # read through LibreOffice as .docx
DRAFT_SUFFIXES = (".docx", *CONVERTED_SUFFIXES, ".txt", ".md")
SUFFIX_NAMES = "、".join(DRAFT_SUFFIXES)  # for messages: .docx、.doc、.wps、.odt、.txt、.md
SET_SOURCE = "--set"
DRAFT_SOURCE = "草稿"
PROFILE_SOURCE = "单位设置"
ORIGIN_KEYS = ("格式", "发文机关", "发文字号", "署名", "成文日期", "版记")  # the outline says where each came from
# the organ a title names before 关于: 某县人民政府教育督导室关于…的通知
TITLE_ORGAN = re.compile(r"(\S{2,30}?(?:局|政府|委员会|委|室|办公室|中心|学校|小学|中学|学区|乡|镇|街道办事处"
                         r"|领导小组))关于")
PERSONAL_TITLE = re.compile(r"(通知书|告知书|告家长书|一封信|承诺书|责任书|保证书)$")
PERSONAL_RECIPIENT = re.compile(r"家长|监护人|同学|先生|女士|^尊敬的|^亲爱的")
SEALED_BY = re.compile(r"[（(](\S{2,30}?)代章[）)]")  # 署名备注: the organ sealing for the 署名
FORMAT_NAMES = {"file": "文件", "letter": "信函", "plain": "无版头", "minutes": "纪要"}
LIST_KEYS = ("发文机关", "签发人", "署名")  # --set values listing several names with 、


@dataclass
class DraftReading:
    """A draft as read: the YAML mapping, the document (None when it has errors), every finding."""

    mapping: LineDict
    document: Document | None
    problems: list[Problem]
    images: dict[str, bytes] = field(default_factory=dict)
    placed: bool = True  # False: the parts could not be placed (no title, two dates…)
    by_line: bool = False  # a text draft: located by line, not paragraph
    origins: dict[str, str] = field(default_factory=dict)  # 格式, 发文机关, 版记…: 草稿 / 单位设置 / --set / 默认

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


class _DraftReader(NoticeReader):
    """The 公文 reader locating values at the draft's paragraphs; pictures come from `image_dir`."""

    literal_dates = True

    def __init__(self, path: Path, by_line: bool, image_dir: Path):
        super().__init__(path)
        self.by_line = by_line
        self.image_dir = image_dir

    def loc(self, data: Any, key: str | None = None, label: str | None = None) -> Location:
        if key is not None and key in getattr(data, "overrides", {}):
            return Location(data.overrides[key], column=label)
        lines = getattr(data, "lines", {})
        number = (lines.get(key) if key is not None else None) or getattr(data, "line", None)
        return dataclasses.replace(locate(self.file, number, self.by_line), column=label)

    def item_loc(self, value: list[Any], n: int, line: int, loc: Location) -> Location:
        if isinstance(value, Paras):
            return dataclasses.replace(locate(self.file, value.numbers[n], self.by_line), column=loc.column)
        return super().item_loc(value, n, line, loc)

    def picture_path(self, value: Any) -> Path:
        return self.image_dir / Path(str(value)).name


def parse_settings(pairs: Sequence[str]) -> dict[str, Any]:
    """``--set 键=值`` options → {canonical Chinese key: value}. Raises KongchuoError for an unknown key."""
    lookup = {alias.lower(): aliases[0] for aliases in KEYS.values() for alias in aliases}
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        canon = lookup.get(key.strip().lower())
        if not sep or canon is None:
            known = "、".join(aliases[0] for aliases in KEYS.values())
            raise KongchuoError(f"--set {pair}：应写作 键=值，键为公文的一项（{known}）")
        out[canon] = value.strip()
        if canon in LIST_KEYS and "、" in value:  # 联合行文: --set 发文机关=某县教育局、某县民政局
            out[canon] = [v.strip() for v in value.split("、") if v.strip()]
    return out


def _apply(mapping: LineDict, values: Mapping[str, Any], source: str, *, replace: bool) -> None:
    """Put `values` (canonical keys) into `mapping`; `replace` False keeps what the draft has."""
    overrides = getattr(mapping, "overrides", {})
    for key, value in values.items():
        canon = next(c for c, aliases in KEYS.items() if aliases[0] == key)
        present = [k for k in mapping if k in KEYS[canon]]
        if present and not replace:
            continue
        for k in present:
            del mapping[k]
        mapping[key] = value
        overrides[key] = source
    mapping.overrides = overrides


def draft_items(path: Path, workdir: Path) -> tuple[list[DraftItem], dict[str, bytes], list[Problem], bool]:
    """The items of any draft file (.doc/.wps/.odt converted into `workdir` first): items, pictures,
    reading notes, and whether items are numbered by line (text drafts)."""
    suffix = path.suffix.lower()
    if suffix in CONVERTED_SUFFIXES:
        from ..system.libreoffice import convert_to_docx

        copy = workdir / "source" / path.name  # LibreOffice may leave a lock file beside what it opens
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
        draft = read_docx_draft(convert_to_docx(copy, workdir), name=path.name)
        return draft.items, draft.images, draft.warnings, False
    if suffix == ".docx":
        draft = read_docx_draft(path)
        return draft.items, draft.images, draft.warnings, False
    problems = Problems()
    text = read_text_file(path)
    images: dict[str, bytes] = {}
    items = (markdown_items(text, path.name, problems, path.parent, images) if suffix == ".md"
             else text_items(text))
    return items, images, problems.warnings, True


@dataclass(frozen=True)
class DraftDefaults:
    """What the profile (单位设置) supplies to the drafts its own organ issues or signs."""

    issuer: str | None = None  # the profile's own organ (教育局): a draft naming it gets the two below
    number_code: str | None = None  # 文号代字: ``--set 发文字号=3`` → 代字〔2026〕3号
    printer: str | None = None  # 印发机关 of the 版记


def read_draft(path: Path, workdir: Path, *, settings: Mapping[str, Any] | None = None,
               defaults: DraftDefaults | None = None) -> DraftReading:
    """Read draft `path` (never modified) into a `DraftReading`; problems are collected, not raised,
    except for a file that cannot be read at all (InputError, EnvironmentProblem). The draft's
    pictures are written to ``workdir/images`` and the document refers to them there: keep
    `workdir` until the document is written.

    Who speaks is never invented: 发文机关 comes from the draft's 「…文件」 line, its 署名 or the organ
    its title names, or ``--set``; without any the draft is 无版头. The profile (`defaults`) fills
    文号代字 and 印发机关 only for a draft its own organ signs or issues; a 版记 only when the draft
    has one or ``--set 版记=是`` asks; a placeholder (手填, blank) is never printed."""
    path = Path(path)
    defaults = defaults or DraftDefaults()
    if path.suffix.lower() not in DRAFT_SUFFIXES:
        raise InputError([Problem(Location(path.name), f"草稿应为 {SUFFIX_NAMES} 文件")])
    if not path.is_file():
        raise KongchuoError(f"找不到输入文件：{path}")
    items, images, notes, by_line = draft_items(path, workdir / "converted")
    problems = Problems(list(notes))
    mapping = recognise(items, path.name, problems, by_line=by_line)
    origins = {key: ("默认" if key in getattr(mapping, "defaulted", ()) else DRAFT_SOURCE)
               for key in ORIGIN_KEYS if key in mapping}
    settings = dict(settings or {})
    colophon_wanted = settings.pop("版记", None)
    blank = [key for key, value in settings.items() if _placeholder(value) and key != "成文日期"]
    _apply(mapping, {k: v for k, v in settings.items() if k not in blank}, SET_SOURCE, replace=True)
    for key in settings:
        if key in blank:  # --set 发文字号= : left out, never printed
            mapping.pop(key, None)
            origins.pop(key, None)
        elif key in ORIGIN_KEYS:
            origins[key] = SET_SOURCE
    _speaker(mapping, origins)
    own = bool(defaults.issuer) and defaults.issuer in _names(mapping.get("发文机关")) + _names(mapping.get("署名"))
    if own:
        _number_from_code(mapping, defaults)
    _bare_number(mapping, defaults, own, Location(SET_SOURCE if origins.get("发文字号") == SET_SOURCE else path.name,
                                                  column="发文字号"), problems)  # fmt: skip
    _colophon(mapping, origins, colophon_wanted, defaults if own else None, problems)
    image_dir = workdir / "images"
    image_dir.mkdir(parents=True, exist_ok=True)
    for name, data in images.items():
        (image_dir / name).write_bytes(data)
    document = None
    placed = not problems.errors
    if placed:
        reader = _DraftReader(path, by_line, image_dir)
        document = reader.document(mapping)
        problems.items += reader.problems.items
    return DraftReading(mapping, None if problems.errors else document, problems.items, images, placed, by_line,
                        origins)


def _placeholder(value: Any) -> bool:
    """A value that stands for "fill in later": blank, 手填, 手写, "____年__月__日"."""
    return isinstance(value, str) and (not value.strip() or HAND_DATE.match(value.strip()) is not None)


def _names(value: Any) -> list[str]:
    """The organ names of a 发文机关 or 署名 value (one text or a list)."""
    if isinstance(value, str):
        return [value.strip()]
    if isinstance(value, list):
        return [str(v).strip() for v in value if isinstance(v, str)]
    return []


def _speaker(mapping: LineDict, origins: dict[str, str]) -> None:
    """发文机关 from the draft's own words when it has no 「…文件」 line: the organ that seals for the
    署名 (（某局代章）), else the organ the title names, else the 署名; with none, and for a letter
    to a family (入学通知书, 致家长), the draft is 无版头 (its 格式 then said to be the default)."""
    personal = PERSONAL_TITLE.search(str(mapping.get("标题", ""))) or PERSONAL_RECIPIENT.search(
        str(mapping.get("主送", "")))  # a letter to a family is no 文件: 无版头, signed by its 署名
    if ("发文机关" not in mapping and not personal
            and FORMATS.get(str(mapping.get("格式", "")).strip()) != "plain"):
        sealed = SEALED_BY.fullmatch(str(mapping.get("署名备注", "")).strip())
        titled = TITLE_ORGAN.match(str(mapping.get("标题", "")))
        signed = _names(mapping.get("署名"))
        if titled:  # the 署名 may spell the title's organ out: 某某乡 → 某某乡人民政府
            titled_names = [next((n for n in signed if n.startswith(titled[1])), titled[1])]
        names, key = (([sealed[1]], "署名备注") if sealed else (titled_names, "标题") if titled else (signed, "署名"))
        if names:
            mapping["发文机关"] = names if len(names) > 1 else names[0]
            mapping.lines["发文机关"] = mapping.lines.get(key)
            origins["发文机关"] = DRAFT_SOURCE
    if "格式" not in mapping:
        origins["格式"] = DRAFT_SOURCE if "发文机关" in mapping else "默认"
        mapping["格式"] = "文件" if "发文机关" in mapping else "无版头"


def _colophon(mapping: LineDict, origins: dict[str, str], wanted: Any, defaults: DraftDefaults | None,
              problems: Problems) -> None:
    """The 版记: the draft's own (its 印发机关 from the profile when the profile's organ speaks);
    ``--set 版记=是`` adds one (印发机关 from the profile, else the 发文机关), ``--set 版记=否`` drops it."""
    answer = None if wanted is None else str(wanted).strip().lower()
    if answer is not None and answer not in TRUE | FALSE:
        problems.error(Location(SET_SOURCE, column="版记"), "版记应填 是 或 否", str(wanted))
        return
    if answer in FALSE:
        mapping.pop("版记", None)
        origins.pop("版记", None)
        return
    colophon = mapping.get("版记")
    if not isinstance(colophon, LineDict):
        if answer is None:
            return
        colophon = LineDict()
        colophon.line = None
        _apply(mapping, {"版记": colophon}, SET_SOURCE, replace=True)
        origins["版记"] = SET_SOURCE
    if "印发机关" not in colophon:
        printer = defaults.printer if defaults else None
        names = _names(mapping.get("发文机关")) or _names(mapping.get("署名"))
        if printer or (answer and names):
            colophon["印发机关"] = printer or names[0]
            colophon.lines["印发机关"] = colophon.line
            origins["印发机关"] = PROFILE_SOURCE if printer else DRAFT_SOURCE
    date = mapping.get("成文日期")
    if answer and "印发日期" not in colophon and isinstance(date, str) and not _placeholder(date):
        colophon["印发日期"] = date
        colophon.lines["印发日期"] = colophon.line


def _number_from_code(mapping: LineDict, defaults: DraftDefaults) -> None:
    """``--set 发文字号=3``: the profile's 文号代字 and the 成文日期's year make 代字〔2026〕3号."""
    number = mapping.get("发文字号")
    if not (isinstance(number, str) and number.strip().isdigit() and defaults.number_code):
        return
    try:
        year = parse_date(mapping.get("成文日期", "")).year
    except NormalizeError:
        return  # the reader reports the date
    mapping["发文字号"] = f"{defaults.number_code}〔{year}〕{int(number)}号"


def _bare_number(mapping: LineDict, defaults: DraftDefaults, own: bool, where: Location, problems: Problems) -> None:
    """A 发文字号 still a bare number (``--set 发文字号=3``) names what it lacks: the 代字, which only
    the 单位设置's own organ's documents take from the profile."""
    number = mapping.get("发文字号")
    if not (isinstance(number, str) and number.strip().isdigit()):
        return
    try:
        year = parse_date(mapping.get("成文日期", "")).year
    except NormalizeError:
        year = date.today().year
    example = f"某小〔{year}〕{int(number)}号"
    if own:
        message = f"单位设置中没有文号代字，只写序号组不成发文字号：请在单位设置中填写文号代字，或写全，如「{example}」"
    elif defaults.issuer:
        message = (f"只写序号须有代字：本公文不是{defaults.issuer}的公文，不能用单位设置中的文号代字，"
                   f"请写全发文字号（代字、年份、序号），如「{example}」")
    else:
        message = f"只写序号须有代字：请写全发文字号（代字、年份、序号），如「{example}」"
    problems.error(where, message, number)


def draft_reader(path: Path, reading: DraftReading) -> NoticeReader:
    """The reader that locates `reading`'s values (for findings on the mapping)."""
    return _DraftReader(Path(path), reading.by_line, Path())


# ------------------------------------------------------------------ what the clerk sees


def outline_lines(reading: DraftReading) -> list[str]:
    """The recognised outline: 格式, 发文机关, 标题, 主送, each heading with its level, 附件说明, 附件, 署名,
    日期, 附注, 版记; 格式, 发文机关, 发文字号, 署名, 成文日期 and 版记 say where they came from
    (草稿 / 单位设置 / --set / 默认)."""
    doc, m = reading.document, reading.mapping
    if doc is None:
        return _raw_outline(m, reading.origins)
    origin = lambda key: f"（{reading.origins[key]}）" if key in reading.origins else ""  # noqa: E731
    lines = [f"格式：{FORMAT_NAMES[doc.format]}{origin('格式')}"]
    if doc.issuers:
        lines.append(f"发文机关：{'、'.join(doc.issuers)}{origin('发文机关')}")
    if doc.doc_number:
        lines.append(f"发文字号：{doc.doc_number}{origin('发文字号')}")
    lines.append(f"标题：{doc.title}")
    if doc.recipients:
        lines.append(f"主送：{doc.recipients}")
    lines += _blocks_outline(doc.body, "正文")
    notes = m.get("附件说明")
    if notes:
        lines.append("附件说明：" + " / ".join(notes))
    signatures = [s.name + (f" {s.note}" if s.note else "") for s in doc.signatures]
    if signatures:
        lines.append("署名：" + "、".join(signatures) + origin("署名"))
    lines.append(f"成文日期：{format_date(doc.date) if doc.date else '手填'}{origin('成文日期')}")
    if doc.note:
        lines.append(f"附注：{doc.note}")
    if doc.receipt:
        fields = [f.label + (f"：{f.value}" if f.value else "") for f in doc.receipt.fields]
        cut = f"，剪切线上印“{doc.receipt.cut_text}”" if doc.receipt.cut_text else ""
        lines.append(f"{doc.receipt.title}（页脚剪切{cut}）：{'、'.join(fields) or '无栏目'}")
    for issued in doc.issued:
        lines.append(f"印发件：{issued.title}")
        lines += ["  " + line for line in _blocks_outline(issued.blocks, "正文")]
        if issued.attachments:
            lines.append("  附件说明：" + " / ".join(a.title for a in issued.attachments))
    for a in [*(a for d in doc.issued for a in d.attachments), *doc.attachments]:
        lines.append(f"附件{a.number or ''}：{a.title}（{'另行发送' if a.separate else f'{len(a.blocks)} 项内容'}）")
    if doc.colophon:
        lines.append(f"版记{origin('版记')}")
        if doc.colophon.cc:
            lines.append("  抄送：" + "、".join(doc.colophon.cc))
        if doc.colophon.printer or doc.colophon.print_date:
            date = format_date(doc.colophon.print_date) if doc.colophon.print_date else ""
            lines.append(f"  印发：{doc.colophon.printer or ''} {date}".rstrip() + origin("印发机关"))
    else:
        lines.append("版记：无")
    return lines


def _blocks_outline(blocks: list[Any], label: str) -> list[str]:
    """"正文：N 段…", each heading, indented by its level, and the 签字栏."""
    counts = {kind: sum(1 for b in blocks if b.type == kind) for kind in ("paragraph", "table", "image")}
    lines = [f"{label}：{counts['paragraph']} 段" + (f"，{counts['table']} 个表格" if counts["table"] else "")
             + (f"，{counts['image']} 张图片" if counts["image"] else "")]
    for block in blocks:
        if isinstance(block, Heading):
            lines.append(f"{'  ' * block.level}{block.level}级标题 {block.text}")
        elif isinstance(block, SignFields):
            dated = "，各留日期" if block.dated else ""
            lines.append(f"签字栏：{'、'.join(block.labels)}（每行 {block.per_row} 栏{dated}）")
    return lines


def _raw_outline(m: Mapping[str, Any], origins: Mapping[str, str]) -> list[str]:
    """The outline of a draft that has errors: its parts as recognised, headings as written."""
    def said(key: str) -> str:
        return f"{key}：{_short(m[key])}" + (f"（{origins[key]}）" if key in origins else "")

    lines = [said(key) for key in ("格式", "发文机关", "发文字号", "标题", "主送") if key in m]
    body = m.get("正文") or []
    lines.append(f"正文：{sum(isinstance(v, str) for v in body)} 段")
    for text in body:
        heading = heading_of(text.strip()) if isinstance(text, str) else None
        if heading:
            lines.append(f"{'  ' * heading[0]}{heading[0]}级标题 {_short(text.strip())}")
    if m.get("附件说明"):
        lines.append("附件说明：" + " / ".join(m["附件说明"]))
    for n, a in enumerate(m.get("附件") or [], start=1):
        lines.append(f"附件{n}：{a.get('标题', '（无标题）')}")
    lines += [said(key) for key in ("署名", "成文日期", "附注") if key in m]
    return lines


def _short(value: Any) -> str:
    text = "、".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= 40 else text[:40] + "…"


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    """A table row or a list of names on one line: [序号, 姓名, 学校]."""
    flow = all(isinstance(v, (str, int, float)) and "\n" not in str(v) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _list)


def plain_mapping(mapping: Mapping[str, Any], image_folder: str | None = None) -> dict[str, Any]:
    """The mapping as plain YAML data in the reader's key order (a 正文 of paragraphs as one text)."""
    def plain(value: Any) -> Any:
        if isinstance(value, Paras) and all(isinstance(v, str) for v in value):
            return "\n".join(value) + "\n"
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, Mapping):
            out = {k: plain(v) for k, v in value.items()}
            if "图片" in out and image_folder:
                out["图片"] = f"{image_folder}/{out['图片']}"
            return out
        return value

    order = [aliases[0] for aliases in KEYS.values()]
    return plain(dict(sorted(mapping.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)))


def mapping_yaml(reading: DraftReading, source: str, image_folder: str | None = None) -> str:
    """The equivalent 公文 YAML: fix a misread part here and build again from this file."""
    head = f"# 由草稿 {source} 识别生成；识别有误时改这里，再运行 kongchuo-docs build 本文件\n"
    return head + yaml.dump(plain_mapping(reading.mapping, image_folder), Dumper=_Dumper, allow_unicode=True,
                            sort_keys=False, width=1000)
