"""``kongchuo-docs check``: the findings of a 公文 YAML file or a draft, without building it.

The findings are the 公文 reader's own problems (what `build` refuses: 错误; what it corrects and
lists: 更正), each given its rule and the GB/T 9704-2012 clause or norm it comes from, plus style
findings `build` leaves to the clerk (提示): punctuation at the end of the 标题, full-width digits
(GB/T 15835). Exit status: 0 clean, 1 with findings, 2 unreadable or unplaceable input.
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, KongchuoError, Location, Problem
from ..readers.draft import DraftDefaults, DraftReading, draft_reader, outline_lines, plain_mapping, read_draft
from ..readers.draft_items import Paras
from ..readers.notice_keys import KEYS
from ..readers.notice_yaml import NoticeReader
from ..readers.yaml_records import load_yaml

SEVERITY = {"error": "错误", "warning": "更正"}
STYLE = "提示"
# the field a problem is located at → (rule, GB/T 9704-2012 clause or norm)
FIELD_RULES: dict[str, tuple[str, str]] = {
    "发文字号": ("发文字号", "GB/T 9704-2012 7.2.5"),
    "发文机关": ("发文机关标志", "GB/T 9704-2012 7.2.4"),
    "标题": ("标题", "GB/T 9704-2012 7.3.1"),
    "主送": ("主送机关", "GB/T 9704-2012 7.3.2"),
    "正文": ("正文", "GB/T 9704-2012 7.3.3"),
    "附件说明": ("附件说明", "GB/T 9704-2012 7.3.4"),
    "署名": ("发文机关署名", "GB/T 9704-2012 7.3.5"),
    "成文日期": ("成文日期", "GB/T 9704-2012 7.3.5"),
    "附件": ("附件", "GB/T 9704-2012 7.3.7"),
    "版记": ("版记", "GB/T 9704-2012 7.4"),
}
# message keywords that name the rule better than the field does
MESSAGE_RULES: tuple[tuple[str, tuple[str, str]], ...] = (
    ("半角标点", ("标点符号", "GB/T 15834-2011 标点符号用法")),
    ("标题编号", ("结构层次序数", "GB/T 9704-2012 7.3.3")),
    ("标题序号", ("结构层次序数", "GB/T 9704-2012 7.3.3")),
    ("印发机关", ("版记", "GB/T 9704-2012 7.4.3")),
    ("日期", ("成文日期", "GB/T 9704-2012 7.3.5")),
    ("附件说明", ("附件说明", "GB/T 9704-2012 7.3.4")),
    ("附件名称", ("附件说明", "GB/T 9704-2012 7.3.4")),
    ("版记", ("版记", "GB/T 9704-2012 7.4")),
)
DRAFT_RULE = ("草稿结构", "GB/T 9704-2012 7.3")
UNREADABLE = "无法读取"
READING = "草稿读取"
TITLE_END = re.compile(r"[。，、；：！？.,;:!?]$")
FULL_WIDTH_DIGITS = re.compile(r"[０-９]+")


@dataclass(frozen=True)
class Finding:
    location: Location
    rule: str
    basis: str  # the clause or norm ("" for a file that cannot be read)
    severity: str  # 错误 (build refuses), 更正 (build corrects and says so), 提示 (left to the clerk)
    message: str
    value: str | None = None

    def __str__(self) -> str:
        basis = f"（{self.basis}）" if self.basis else ""
        text = f"{self.location} [{self.severity}] {self.rule}{basis}：{self.message}"
        return text + (f"（{self.value}）" if self.value else "")


def _rule(problem: Problem) -> tuple[str, str]:
    column = problem.location.column or ""
    if not column:  # where the draft's parts could not be placed
        return DRAFT_RULE
    for keyword, rule in MESSAGE_RULES:
        if keyword in problem.message:
            return rule
    for field_label, rule in FIELD_RULES.items():
        canon = next((c for c, aliases in KEYS.items() if aliases[0] == field_label), None)
        if column == field_label or (canon and column in KEYS[canon]):
            return rule
    return DRAFT_RULE


def _finding(problem: Problem) -> Finding:
    if problem.severity == "warning" and not problem.location.column:
        # a note on reading the draft (tracked changes, a text box): nothing a clause decides
        return Finding(problem.location, READING, "", STYLE, problem.message, problem.value)
    rule, basis = _rule(problem)
    return Finding(problem.location, rule, basis, SEVERITY[problem.severity], problem.message, problem.value)


@dataclass
class CheckResult:
    findings: list[Finding]
    readable: bool  # False: the file could not be read or placed (exit 2)
    outline: list[str]
    mapping: dict[str, Any]

    @property
    def exit_code(self) -> int:
        return 2 if not self.readable else 1 if self.findings else 0


def _texts(reader: NoticeReader, data: Any, key: Any = None) -> Iterator[tuple[str, Location]]:
    """Every text value of a 公文 mapping with where it is (the reader's own locations)."""
    if isinstance(data, Mapping):
        for k, v in data.items():
            if isinstance(v, str):
                loc = reader.loc(data, k, str(k))
                if "\n" not in v or loc.line is None:
                    yield from ((line, loc) for line in v.splitlines())
                else:  # a block scalar: its lines follow the key's line
                    yield from ((line, dataclasses.replace(loc, line=loc.line + 1 + n))
                                for n, line in enumerate(v.splitlines()))
            elif isinstance(v, (list, Mapping)):
                yield from _texts(reader, v, (data, k))
    elif isinstance(data, list) and key is not None:
        parent, k = key
        loc = reader.loc(parent, k, str(k))
        line = (loc.line or 0) + 1
        for n, item in enumerate(data):
            if isinstance(item, str):
                yield item, reader.item_loc(data, n, line, loc) if isinstance(data, Paras) else loc
            elif isinstance(item, (list, Mapping)):
                yield from _texts(reader, item, key)
            line += 1


def style_findings(reader: NoticeReader, data: Mapping[str, Any]) -> list[Finding]:
    """What `build` does not change but GB/T 9704 and GB/T 15835 ask for."""
    found = []
    for key in KEYS["title"]:
        title = data.get(key)
        if isinstance(title, str) and TITLE_END.search(title.strip()):
            found.append(Finding(reader.loc(data, key, key), "标题", "GB/T 9704-2012 7.3.1", STYLE,
                                 "标题末尾不加标点符号", title.strip()[-10:]))
    for text, loc in _texts(reader, data):
        for digits in FULL_WIDTH_DIGITS.findall(text):
            found.append(Finding(loc, "数字用法", "GB/T 15835-2011 出版物上数字用法", STYLE,
                                 "阿拉伯数字应使用半角字形", digits))
    return found


def check_file(path: Path, profile_path: Path | None = None, settings: Mapping[str, Any] | None = None) -> CheckResult:
    """Check a 公文 YAML file or a draft (with the profile's defaults and the ``--set`` `settings`, as
    `build` reads it). Files that cannot be read give readable=False."""
    path = Path(path)
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            if settings:
                raise KongchuoError("--set 只用于草稿（YAML 请直接修改文件）")
            data = load_yaml(path)
            reader = NoticeReader(path)
            reader.document(data)
            findings = [_finding(p) for p in reader.problems.items] + style_findings(reader, data)
            return CheckResult(findings, True, [], plain_mapping(data))
        from .draft import draft_defaults

        with tempfile.TemporaryDirectory(prefix="kongchuo-check-") as work:
            reading = read_draft(path, Path(work), settings=settings, defaults=draft_defaults(profile_path))
            return draft_result(path, reading)
    except InputError as exc:
        unreadable = [Finding(p.location, UNREADABLE, "", SEVERITY[p.severity], p.message, p.value)
                      for p in exc.warnings + exc.problems]
        return CheckResult(unreadable, False, [], {})


def draft_result(path: Path, reading: DraftReading) -> CheckResult:
    """The findings of a draft already read: reader problems and style findings."""
    findings = [_finding(p) for p in reading.problems]
    if reading.placed:
        findings += style_findings(draft_reader(path, reading), reading.mapping)
    return CheckResult(findings, reading.placed, outline_lines(reading), plain_mapping(reading.mapping))


def read_draft_form(source: Path | bytes, filename: str | None = None, *,
                    defaults: DraftDefaults | None = None) -> tuple[dict[str, Any], list[str], list[Finding]]:
    """For the web page: a draft (a path, or uploaded bytes with their file name) → (the 写通知 form's
    values as the YAML mapping, the outline lines, the findings). `defaults`: what the web page's
    profile supplies (`kinds.draft.draft_defaults`). Raises InputError/KongchuoError for a file that
    cannot be read."""
    with tempfile.TemporaryDirectory(prefix="kongchuo-form-") as work:
        if isinstance(source, bytes):
            name = Path(filename or "草稿.docx").name
            path = Path(work) / "upload" / name
            path.parent.mkdir()
            path.write_bytes(source)
        else:
            path = Path(source)
        result = draft_result(path, read_draft(path, Path(work) / "read", defaults=defaults))
    return result.mapping, result.outline, result.findings
