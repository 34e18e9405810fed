"""控辍保学目标责任书 (documents.md §3): one agreement per party from a list, per-level wording.

Input: a 责任书名单 workbook/CSV (``forms/责任书名单.yaml``) or the same list in YAML (top-level
labels such as 学年度 apply to every row of the ``责任书`` list). The level's duties, 考核与奖惩 and
附则 come from ``templates/agreement/<level>.yaml``. Output per 甲方: one DOCX/PDF per 乙方 and one
merged print file (合订本) holding all of that 甲方's agreements in list order.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

from .. import gbt9704
from ..errors import InputError, Location, Problem, Problems
from ..files.filenames import UNNAMED, UniqueNames, safe_stem
from ..files.output import DEMO_INPUTS, OutputSet, in_folder
from ..files.resources import sample_path, template_path
from ..model import Block, Document, Heading, IssuedDocument, Paragraph, Table, stats
from ..profile import Profile, load_profile
from ..profile.scope import RowScope
from ..readers.schema import load_schema
from ..readers.table import read_table
from ..readers.yaml_records import YAML_SUFFIXES, load_yaml, read_records
from ..wording.files import load_wording, render, user_folder
from .publish import write_document

KIND = "agreement"
LIST_KEY = "责任书"  # the YAML list of rows
FULL_WIDTH_SPACE = "\u3000"
SIGNATURE_COLUMN_CHARS = gbt9704.CHARS_PER_LINE // 2  # 甲方 left half, 乙方 right half of a line

Direction = Literal["higher", "lower"]
_TARGET_KEYS = {
    "入学率": "enrolment_target",
    "巩固率": "retention_target",
    "辍学率": "dropout_target",
    "劝返率": "return_target",
    "残疾儿童入学率": "disabled_target",
}
_RATE_OF: dict[str, Callable[[int, int], stats.Rate]] = {
    "入学率": stats.enrolment_rate,
    "巩固率": stats.retention_rate,
    "辍学率": stats.dropout_rate,
    "劝返率": stats.return_rate,
    "残疾儿童入学率": stats.disabled_enrolment_rate,
}
_YEAR_SPAN = re.compile(r"(\d{4})\s*(?:[-—–－~～至到]+\s*(\d{4}))?\s*(?:学年度?)?")
_DASHES = re.compile(r"[-—–－~～]+")


# ---------------------------------------------------------------- templates


@dataclass(frozen=True)
class TargetSpec:
    """One indicator of a level: name (入学率), label in the table, default percent, better direction."""

    name: str
    label: str
    default: Decimal
    direction: Direction


@dataclass(frozen=True)
class AgreementTemplate:
    level: str
    aliases: tuple[str, ...]
    party_a_role: str
    party_b_role: str
    title: str
    params: dict[str, Any]
    preamble: tuple[str, ...]
    targets: tuple[TargetSpec, ...]
    duties: tuple[tuple[str, str], ...]  # (heading ending in 。, text)
    assessment: tuple[str, ...]
    provisions: tuple[str, ...]
    signature_a: tuple[str, ...]
    signature_b: tuple[str, ...]


def _level_key(text: str) -> str:
    """A level name as compared: NFKC, no spaces, every dash the same."""
    folded = unicodedata.normalize("NFKC", text)
    return _DASHES.sub("—", re.sub(r"\s+", "", folded))


def agreement_templates() -> dict[str, AgreementTemplate]:
    """Every level template in ``templates/agreement/`` (the user's copies first), by normalized level
    name and alias."""
    return _agreement_templates(user_folder())


@cache
def _agreement_templates(folder: Path | None) -> dict[str, AgreementTemplate]:
    found: dict[str, AgreementTemplate] = {}
    for path in sorted(template_path("agreement").glob("*.yaml")):
        data = load_wording("agreement", path.name)
        template = AgreementTemplate(
            level=data["level"],
            aliases=tuple(data.get("aliases", ())),
            party_a_role=data["party_a_role"],
            party_b_role=data["party_b_role"],
            title=data["title"],
            params=dict(data.get("params") or {}),
            preamble=tuple(data["preamble"]),
            targets=tuple(
                TargetSpec(t["name"], t["label"], _percent_of_text(t["default"]), t["direction"])
                for t in data["targets"]
            ),
            duties=tuple((d["heading"], d["text"]) for d in data["duties"]),
            assessment=tuple(data["assessment"]),
            provisions=tuple(data["provisions"]),
            signature_a=tuple(data["signature"]["party_a"]),
            signature_b=tuple(data["signature"]["party_b"]),
        )
        for name in (template.level, *template.aliases):
            found[_level_key(name)] = template
    return found


def _percent_of_text(text: str) -> Decimal:
    return Decimal(str(text).rstrip("%"))


# ---------------------------------------------------------------- the list


@dataclass(frozen=True)
class Target:
    spec: TargetSpec
    percent: Decimal  # 99.8 means 99.8 %

    @property
    def text(self) -> str:
        """``100%``, ``不低于99.8%``, ``0%`` or ``不高于0.5%``: the percent as given."""
        shown = f"{_plain(self.percent)}%"
        if self.spec.direction == "higher":
            return shown if self.percent == 100 else f"不低于{shown}"
        return shown if self.percent == 0 else f"不高于{shown}"

    @property
    def definition(self) -> str:
        """计算口径 from `stats`: ``已入学适龄儿童少年数 ÷ 适龄儿童少年数``."""
        rate = _RATE_OF[self.spec.name](0, 0)
        return f"{rate.numerator_label} ÷ {rate.denominator_label}"


def _plain(value: Decimal) -> str:
    """99.80 → ``99.8``, 100 → ``100`` (no exponent)."""
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class AgreementEntry:
    """One row of the list: one agreement to generate."""

    template: AgreementTemplate
    year_from: int
    party_a: str
    party_b: str
    party_b_head: str
    class_name: str
    basis: str
    basis_title: str  # the county's 实施方案 (from the profile); "" cites none
    targets: tuple[Target, ...]
    signing_date: dt.date
    where: Location

    @property
    def year_to(self) -> int:
        return self.year_from + 1

    @property
    def party_b_display(self) -> str:
        """乙方 as the agreement names it: a 班主任 with the class, e.g. ``林芳（七年级（2）班）``."""
        return f"{self.party_b}（{self.class_name}）" if self.class_name else self.party_b


def read_agreement_list(path: Path, profile: Profile,
                        scope: RowScope | None = None) -> tuple[list[AgreementEntry], list[Problem]]:  # fmt: skip
    """Read the 责任书名单 (.xlsx/.csv or .yaml): the entries and the warnings. The `profile` gives the
    学年度 of rows without one and the 实施方案 cited (its 文号 unless a row gives one). With a
    `scope` (a 学校's or 乡镇's account) only the rows whose 甲方 is one of its units are read, the
    others left out before any check with a warning (refused when none is its own).

    Raises InputError with every problem located when anything is wrong.
    """
    path = Path(path)
    schema = load_schema("责任书名单")
    problems = Problems()
    foreign = None
    if path.suffix.lower() in YAML_SUFFIXES:
        data = load_yaml(path)
        items = data.get(LIST_KEY)
        if not isinstance(items, list) or not items:
            raise InputError([Problem(Location(path.name, column=LIST_KEY), "应列出至少一份责任书")])
        rows = read_records(items, schema, path.name, problems, defaults=data, ignore=(LIST_KEY,),
                            not_a_mapping=(Location(path.name, column=LIST_KEY), "每一项应为键值对（乙方、目标…）"))
        if scope is not None:
            rows, foreign = scope.split(rows, lambda row: row[0]["party_a"] or "", lambda row: row[1]("party_a"))
        mine = bool(rows)
    else:
        table = read_table(path, schema)
        if scope is not None:  # other units' rows go before any check: their problems with them
            own, foreign = scope.split(table.rows, lambda row: str(row.raw.get("party_a") or ""),
                                       lambda row: table.location(row.number, "party_a"))  # fmt: skip
            table.drop_rows({row.number for row in table.rows} - {row.number for row in own})
        mine = bool(table.rows)
        problems.items.extend(table.problems.items)
        rows = table.located_rows()
    if scope is not None and foreign is not None:
        problems.items.append(scope.left_out(foreign, "份责任书", refused=not mine))
    entries = [_entry(values, locate, problems, profile) for values, locate in rows]
    _check_duplicates([e for e in entries if e is not None], problems)
    problems.raise_if_errors()
    return [e for e in entries if e is not None], problems.warnings


def _entry(
    values: dict[str, Any], locate: Callable[[str], Location], problems: Problems, profile: Profile
) -> AgreementEntry | None:
    if any(values[k] is None for k in ("level", "party_a", "party_b")):
        return None  # already reported as 必填
    values = {**values, "school_year": values["school_year"] or profile.school_year}
    template = agreement_templates().get(_level_key(values["level"]))
    if template is None:
        levels = "、".join(sorted({t.level for t in agreement_templates().values()}))
        problems.error(locate("level"), f"没有这一层级的责任书模板（可选：{levels}）", values["level"])
        return None
    year_from = _school_year(values["school_year"], locate("school_year"), problems)
    targets = []
    for spec in template.targets:
        given = values[_TARGET_KEYS[spec.name]]
        percent = spec.default if given is None else Decimal(str(round(given * 100, 4))).normalize()
        if not 0 <= percent <= 100:
            problems.error(locate(_TARGET_KEYS[spec.name]), "目标值应在 0% 到 100% 之间", f"{percent}%")
        targets.append(Target(spec, percent))
    for name, key in _TARGET_KEYS.items():
        if values[key] is not None and name not in {s.name for s in template.targets}:
            problems.warning(locate(key), f"“{template.level}”责任书没有{name}目标，已忽略")
    if year_from is None:
        return None
    return AgreementEntry(
        template=template,
        year_from=year_from,
        party_a=values["party_a"],
        party_b=values["party_b"],
        party_b_head=values["party_b_head"] or "",
        class_name=values["class_name"] or "",
        basis=values["basis"] or (profile.plan.number if profile.plan else ""),
        basis_title=profile.plan.title if profile.plan else "",
        targets=tuple(targets),
        signing_date=dt.date(year_from, 9, 1),
        where=locate("party_b"),
    )


def _school_year(text: str, where: Location, problems: Problems) -> int | None:
    """2020—2021, 2020-2021, 2020至2021学年 or 2020 → 2020; the second year must follow the first."""
    match = _YEAR_SPAN.fullmatch(unicodedata.normalize("NFKC", str(text)).strip())
    if not match:
        problems.error(where, "学年度应写作 2020—2021", text)
        return None
    start = int(match.group(1))
    if match.group(2) and int(match.group(2)) != start + 1:
        problems.error(where, f"学年度的两个年份应相邻，应为 {start}—{start + 1}", text)
        return None
    return start


def _check_duplicates(entries: list[AgreementEntry], problems: Problems) -> None:
    seen: dict[tuple[str, str, str, int, str], Location] = {}
    for e in entries:
        key = (e.template.level, e.party_a, e.party_b, e.year_from, e.class_name)
        if key in seen:
            problems.error(e.where, f"与 {seen[key]} 重复：同一甲方、乙方的责任书只能有一份", e.party_b)
        else:
            seen[key] = e.where


# ---------------------------------------------------------------- the document


def _values(entry: AgreementEntry) -> dict[str, Any]:
    return {
        **entry.template.params,
        "party_a": entry.party_a,
        "party_b": entry.party_b_display,
        "party_b_head": entry.party_b_head,
        "year_from": entry.year_from,
        "year_to": entry.year_to,
        "basis": entry.basis,
        "basis_title": entry.basis_title,
    }


def agreement_title(entry: AgreementEntry) -> str:
    return render(entry.template.title, **_values(entry))


def agreement_blocks(entry: AgreementEntry) -> list[Block]:
    """The agreement's body: parties, preamble, 一、工作目标 … 四、附则, the two-column signature lines."""
    t = entry.template
    v = _values(entry)
    party_b_line = f"乙方：{entry.party_b_display}"
    if entry.party_b_head:
        party_b_line += f"（负责人：{entry.party_b_head}）"
    blocks: list[Block] = [
        Paragraph(text=f"甲方：{entry.party_a}", indent=False),
        Paragraph(text=party_b_line, indent=False),
        *(Paragraph(text=render(p, **v)) for p in t.preamble),
        Heading(level=1, text="一、工作目标"),
        Paragraph(text=f"{entry.year_from}—{entry.year_to}学年度，乙方应完成以下控辍保学工作目标："),
        Table(
            rows=[
                ["序号", "目标指标", "目标值", "计算口径"],
                *(
                    [str(i), target.spec.label, target.text, target.definition]
                    for i, target in enumerate(entry.targets, start=1)
                ),
            ],
            widths=[1, 4, 2.5, 6],
        ),
        Heading(level=1, text="二、工作职责"),
        *(
            Heading(level=3, text=f"{i}. {render(h, **v)}", run_in=render(text, **v))
            for i, (h, text) in enumerate(t.duties, start=1)
        ),
        Heading(level=1, text="三、考核与奖惩"),
        *(Paragraph(text=f"{i}. {render(p, **v)}") for i, p in enumerate(t.assessment, start=1)),
        Heading(level=1, text="四、附则"),
        *(Paragraph(text=f"{i}. {render(p, **v)}") for i, p in enumerate(t.provisions, start=1)),
        Paragraph(text="", indent=False),
        *signature_lines(t.signature_a, t.signature_b),
    ]
    return blocks


def signature_lines(left: tuple[str, ...], right: tuple[str, ...]) -> list[Paragraph]:
    """甲方 lines in the left half of the line, 乙方 lines in the right half (padded with U+3000)."""
    lines = []
    for i, (a, b) in enumerate(zip(left, right, strict=True)):
        pad = FULL_WIDTH_SPACE * max(1, SIGNATURE_COLUMN_CHARS - len(a))
        lines.append(Paragraph(text=f"{a}{pad}{b}".rstrip(FULL_WIDTH_SPACE), indent=False, align="left",
                               keep_with_next=i < len(left) - 1))  # the signature lines never split
    return lines


def agreement_document(entry: AgreementEntry) -> Document:
    """One agreement: signed, not issued — no 版头 ("plain"), both parties sign in the body."""
    return Document(
        format="plain",
        kind=KIND,
        issuers=[entry.party_a],
        mark_suffix=None,
        title=agreement_title(entry),
        body=agreement_blocks(entry),
        date=entry.signing_date,
    )


def merged_document(entries: list[AgreementEntry]) -> Document:
    """All agreements of one 甲方 in one print file: the first as the document, the rest following,
    each starting on a front side (duplex) so the sheets of one agreement can be handed out alone."""
    first, *rest = entries
    return agreement_document(first).model_copy(
        update={
            "issued": [
                IssuedDocument(title=agreement_title(e), blocks=agreement_blocks(e), recto=True) for e in rest
            ]
        }
    )


def write_agreements(out: OutputSet, entries: list[AgreementEntry], source: Path | str, *,
                     source_is_output: bool = False, folder: str = "") -> None:
    """Per 甲方: ``[folder/]<甲方>/NN_<乙方>.docx|pdf`` and ``[folder/]<甲方>_合订本.docx|pdf``."""
    by_party_a: dict[str, list[AgreementEntry]] = {}
    for entry in entries:
        by_party_a.setdefault(entry.party_a, []).append(entry)
    folders = UniqueNames()
    for party_a, group in by_party_a.items():
        party_folder = in_folder(folder, folders.stem(party_a, UNNAMED))
        for i, entry in enumerate(group, start=1):
            stem = f"{party_folder}/{i:02d}_{safe_stem(entry.party_b_display, UNNAMED)}"
            write_document(out, agreement_document(entry), stem, kind=KIND, source=source,
                           source_is_output=source_is_output, records=1)
        write_document(out, merged_document(group), f"{party_folder}_合订本", kind=KIND, source=source,
                       source_is_output=source_is_output, records=len(group))


def build_agreement_files(
    input_file: Path, outdir: Path, *, settings: Path | None = None, force: bool = False,
    scope: RowScope | None = None,
) -> tuple[list[str], list[Problem]]:
    """``kongchuo-docs agreements``: every agreement and merged file; returns paths and warnings.
    `settings` is the 单位设置 profile (default: the one found); `scope`: only its units' 甲方 (the page's
    学校 or 乡镇 account)."""
    profile = load_profile(settings)
    entries, warnings = read_agreement_list(input_file, profile, scope)
    with OutputSet(outdir, force=force) as out:
        write_agreements(out, entries, input_file)
    return out.written, [*profile.warnings, *warnings]


def demo(out: OutputSet, profile: Profile) -> None:
    """Demo step: the bundled 责任书名单 (three levels) → agreements."""
    src = sample_path("cycle", "责任书名单.yaml")
    rel = in_folder(DEMO_INPUTS, "责任书名单.yaml")
    out.copy_in(src, rel)
    write_agreements(out, read_agreement_list(src, profile)[0], rel, source_is_output=True, folder="责任书")
