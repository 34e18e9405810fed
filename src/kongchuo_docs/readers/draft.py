"""Read a drafted 公文 (.docx, .doc/.wps via LibreOffice, .txt, .md) through the 公文 YAML reader.

The draft is recognised into the YAML reader's mapping (`draft_outline.recognise`); `--set 键=值`
overrides and the profile's defaults are put in; then `notice_yaml`'s validation runs unchanged,
locating its findings at the draft's paragraph (Word) or line (text). The result also gives the
outline a clerk checks and the equivalent YAML (written beside the outputs as ``草稿.yaml``).
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, KongchuoError, Location, Problem, Problems
from ..model import Document, Heading
from .body_text import heading_of
from .draft_docx import read_docx_draft
from .draft_outline import DraftItem, Paras, locate, recognise
from .draft_text import markdown_items, read_text_file, text_items
from .normalize import NormalizeError, format_date, parse_date
from .notice_keys import KEYS
from .notice_yaml import NoticeReader
from .yaml_records import LineDict

DRAFT_SUFFIXES = (".docx", ".doc", ".wps", ".txt", ".md")
SET_SOURCE = "--set"
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
    """The items of any draft file (.doc/.wps converted into `workdir` first): items, pictures,
    reading notes, and whether items are numbered by line (text drafts)."""
    suffix = path.suffix.lower()
    if suffix in (".doc", ".wps"):
        from ..libreoffice import convert_to_docx

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
    """What the profile (单位设置) supplies where a draft has none."""

    issuer: str | None = None  # 发文机关
    number_code: str | None = None  # 文号代字: ``--set 发文字号=3`` → 代字〔2026〕3号
    printer: str | None = None  # 印发机关 of the 版记
    source: str = "单位设置"  # where they come from, as findings name it


def read_draft(path: Path, workdir: Path, *, settings: Mapping[str, Any] | None = None,
               defaults: DraftDefaults | None = None) -> DraftReading:
    """Read draft `path` (never modified) into a `DraftReading`; problems are collected, not raised,
    except for a file that cannot be read at all (InputError, EnvironmentProblem). The draft's
    pictures are written to ``workdir/images`` and the document refers to them there: keep
    `workdir` until the document is written."""
    path = Path(path)
    defaults = defaults or DraftDefaults()
    if path.suffix.lower() not in DRAFT_SUFFIXES:
        raise InputError([Problem(Location(path.name), "草稿应为 .docx、.doc、.wps、.txt 或 .md 文件")])
    if not path.is_file():
        raise KongchuoError(f"找不到输入文件：{path}")
    items, images, notes, by_line = draft_items(path, workdir / "converted")
    problems = Problems(list(notes))
    mapping = recognise(items, path.name, problems, by_line=by_line)
    if defaults.issuer:
        _apply(mapping, {"发文机关": defaults.issuer}, defaults.source, replace=False)
    _apply(mapping, settings or {}, SET_SOURCE, replace=True)
    _number_from_code(mapping, defaults)
    if defaults.printer and "成文日期" in mapping:
        _printer(mapping, defaults, problems)
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
    return DraftReading(mapping, None if problems.errors else document, problems.items, images, placed, by_line)


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


def _printer(mapping: LineDict, defaults: DraftDefaults, problems: Problems) -> None:
    """The 版记's 印发机关 from the profile; a draft without a 版记 gets one, printed on its 成文日期."""
    colophon = mapping.get("版记")
    where = Location(defaults.source, column="印发机关")
    if isinstance(colophon, LineDict):
        if "印发机关" not in colophon:
            colophon["印发机关"] = defaults.printer
            colophon.lines["印发机关"] = colophon.line
        return
    added = LineDict({"印发机关": defaults.printer, "印发日期": mapping["成文日期"]})
    _apply(mapping, {"版记": added}, defaults.source, replace=False)
    problems.warning(where, f"草稿没有版记：按单位设置加上“{defaults.printer} {mapping['成文日期']}印发”")


def draft_reader(path: Path, reading: DraftReading) -> NoticeReader:
    """The reader that locates `reading`'s values (for findings on the mapping)."""
    return _DraftReader(Path(path), reading.by_line, Path())


# ------------------------------------------------------------------ what the clerk sees


def outline_lines(reading: DraftReading) -> list[str]:
    """The recognised outline: 发文机关, 标题, 主送, each heading with its level, 附件说明, 附件, 署名,
    日期, 附注, 版记."""
    doc, m = reading.document, reading.mapping
    if doc is None:
        return _raw_outline(m)
    lines = [f"发文机关：{'、'.join(doc.issuers)}"]
    if doc.doc_number:
        lines.append(f"发文字号：{doc.doc_number}")
    lines.append(f"标题：{doc.title}")
    if doc.recipients:
        lines.append(f"主送：{doc.recipients}")
    lines += _blocks_outline(doc.body, "正文")
    notes = m.get("附件说明")
    if notes:
        lines.append("附件说明：" + " / ".join(notes))
    signatures = [s.name + (f" {s.note}" if s.note else "") for s in doc.signatures]
    lines.append("署名：" + "、".join(signatures))
    lines.append(f"成文日期：{format_date(doc.date) if doc.date else '手填'}")
    if doc.note:
        lines.append(f"附注：{doc.note}")
    for issued, source in zip(doc.issued, [m.get("印发件")] * len(doc.issued), strict=True):
        lines.append(f"印发件：{issued.title}")
        lines += ["  " + line for line in _blocks_outline(issued.blocks, "正文")]
        if isinstance(source, Mapping) and source.get("附件说明"):
            lines.append("  附件说明：" + " / ".join(source["附件说明"]))
    for a in doc.all_attachments:
        lines.append(f"附件{a.number or ''}：{a.title}（{len(a.blocks)} 项内容）")
    if doc.colophon:
        if doc.colophon.cc:
            lines.append("抄送：" + "、".join(doc.colophon.cc))
        if doc.colophon.printer or doc.colophon.print_date:
            date = format_date(doc.colophon.print_date) if doc.colophon.print_date else ""
            lines.append(f"印发：{doc.colophon.printer or ''} {date}".rstrip())
    return lines


def _blocks_outline(blocks: list[Any], label: str) -> list[str]:
    """"正文：N 段…" and each heading, indented by its level."""
    counts = {kind: sum(1 for b in blocks if b.type == kind) for kind in ("paragraph", "table", "image")}
    lines = [f"{label}：{counts['paragraph']} 段" + (f"，{counts['table']} 个表格" if counts["table"] else "")
             + (f"，{counts['image']} 张图片" if counts["image"] else "")]
    for block in blocks:
        if isinstance(block, Heading):
            lines.append(f"{'  ' * block.level}{block.level}级标题 {block.text}")
    return lines


def _raw_outline(m: Mapping[str, Any]) -> list[str]:
    """The outline of a draft that has errors: its parts as recognised, headings as written."""
    lines = [f"{key}：{_short(m[key])}" for key in ("发文机关", "发文字号", "标题", "主送") if key in m]
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
    lines += [f"{key}：{_short(m[key])}" for key in ("署名", "成文日期", "附注") if key in m]
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
