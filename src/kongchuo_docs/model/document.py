"""A 公文 as typed blocks with their GB/T 9704 meaning: 版头, 主体, 版记.

The model holds *content* only: no sizes, fonts or positions (those live in ``gbt9704`` and
the layout/writers). Text is stored as the clerk wrote it after normalisation by a reader.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from .limits import TABLE_BLANK_ROWS_MAX, paragraph_problem, title_problem

DocumentFormat = Literal["file", "letter", "plain", "minutes"]
"""文件格式 (§7), 信函格式 (§10.1), "plain" (无版头): no 版头 at all — the title opens page 1 (目标责任书,
registers, and 报告/情况说明/清单 of units without a red header or posted online); 纪要格式 (§10.2) is
reserved: refused for now."""


def _checked(problem: Callable[[str], str | None]) -> AfterValidator:
    """A validator raising `problem`'s message (a `limits` check)."""

    def check(text: str) -> str:
        message = problem(text)
        if message:
            raise ValueError(message)
        return text

    return AfterValidator(check)


TitleText = Annotated[str, _checked(title_problem)]
"""A title within `limits.TITLE_MAX_CHARS` (readers check first, with the input's location)."""
ParagraphText = Annotated[str, _checked(paragraph_problem)]
"""Paragraph text within `limits.PARAGRAPH_MAX_CHARS`."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Paragraph(_Model):
    """A body paragraph; indented two characters unless `indent` is False."""

    type: Literal["paragraph"] = "paragraph"
    text: ParagraphText
    indent: bool = True
    align: Literal["justify", "center", "left", "right"] = "justify"
    keep_with_next: bool = False  # on the same page as the block after it (signature lines, captions)


class Heading(_Model):
    """A structural heading: 1 = 一、 2 = （一） 3 = 1. 4 = （1）.

    `text` includes its numbering ("一、总体要求"). `run_in` is the paragraph text that follows a
    heading on the same line ("1. 落实控辍保学职责。" + "根据…"); GB/T 9704 practice is levels 3–4,
    the seed notice also runs in a level-2 heading ("（一）加强组织领导。县各级政府…").
    """

    type: Literal["heading"] = "heading"
    level: Annotated[int, Field(ge=1, le=4)]
    text: ParagraphText
    run_in: ParagraphText | None = None

    @model_validator(mode="after")
    def _run_in_levels(self) -> Heading:
        if self.run_in and self.level < 2:
            raise ValueError("一级标题不能与正文同段（run-in）")
        return self


class Table(_Model):
    """A table; `header_rows` rows of `rows` repeat on every page."""

    type: Literal["table"] = "table"
    rows: list[list[str]]
    header_rows: int = 1
    widths: list[float] | None = None  # relative column widths
    blank_rows: Annotated[int, Field(ge=0, le=TABLE_BLANK_ROWS_MAX)] = 0  # empty rows appended, filled in by hand
    caption: str | None = None  # centred above the table, on the page of its header row
    # where each row of `rows` was read (file!sheet!cell, file:line; None: the tool's own words), so
    # that a message about a row names the input
    sources: list[str | None] | None = None

    @model_validator(mode="after")
    def _rectangular(self) -> Table:
        if not self.rows:
            raise ValueError("表格至少要有表头一行")
        width = len(self.rows[0])
        for i, row in enumerate(self.rows, start=1):
            if len(row) != width:
                raise ValueError(f"表格第 {i} 行有 {len(row)} 列，表头有 {width} 列")
        if self.sources is not None and len(self.sources) != len(self.rows):
            raise ValueError("行位置个数与行数不一致")
        if self.widths is not None and len(self.widths) != width:
            raise ValueError("列宽个数与列数不一致")
        return self

    @property
    def columns(self) -> int:
        return len(self.rows[0])

    def __eq__(self, other: object) -> bool:
        """Tables are equal by what they print: `sources` says where the rows were read (a draft, the
        YAML written from it, the 写通知 form), not what they hold."""
        if not isinstance(other, Table):
            return NotImplemented
        return self.model_dump(exclude={"sources"}) == other.model_dump(exclude={"sources"})


class PageBreak(_Model):
    type: Literal["page_break"] = "page_break"


class Image(_Model):
    """A picture (PNG file at `path`), centred, `width_mm` wide (mm), an optional caption under it."""

    type: Literal["image"] = "image"
    path: Path
    width_mm: Annotated[float, Field(gt=0)]
    caption: str | None = None


class SignFields(_Model):
    """签字栏: labels with writing space, `per_row` to a line ("学校负责人：______  班主任：______"),
    for signatures by hand; `dated` adds a blank date ("____年__月__日") under each field."""

    type: Literal["sign_fields"] = "sign_fields"
    labels: list[str] = Field(min_length=1)
    per_row: Annotated[int, Field(ge=1, le=4)] = 2
    dated: bool = False


Block = Annotated[Paragraph | Heading | Table | PageBreak | Image | SignFields, Field(discriminator="type")]


class Signature(_Model):
    """署名: the issuing organ's name, an optional note line under it (e.g. 代章)."""

    name: str
    note: str | None = None  # e.g. "（某某县教育局代章）"


class Attachment(_Model):
    """附件: on its own page(s) before the 版记 (§7.3.7)."""

    number: int | None = None  # None when the document has a single 附件 ("附件")
    title: TitleText
    blocks: list[Block] = Field(default_factory=list)
    landscape: bool = False  # 横排表格 (§8)
    separate: bool = False  # 另行发送: named in the 附件说明 only, it travels as a file of its own


class IssuedDocument(_Model):
    """A document issued or forwarded by the notice (印发/转发), e.g. a 实施方案.

    Its `attachments` are listed (附件说明) under its own body, as in the seed notice.
    """

    title: TitleText
    blocks: list[Block]
    attachments: list[Attachment] = Field(default_factory=list)
    recto: bool = False  # starts on an odd page (a blank back page before it if needed): duplex print sets


class ReceiptField(_Model):
    """One field of a 回执: its label and what was typed after it ("" leaves writing space)."""

    label: str
    value: str = ""


class Receipt(_Model):
    """回执: a tear-off reply slip under a cut line at the foot of the letter's last page (the 入学
    letters' slip): its title, sentences, fields (label and typed value, or writing space) and a
    blank date line for the hand when `dated`; `cut_text` is printed in a gap of the cut line
    (「请沿此线剪下」, as the clerk typed it; "" leaves the line whole)."""

    title: str = "回执"
    text: list[str] = Field(default_factory=list)
    fields: list[ReceiptField] = Field(default_factory=list)
    dated: bool = False
    cut_text: str = ""


class Colophon(_Model):
    """版记 (§7.4). `recipients` holds 主送机关 moved to the 版记 (§7.3.2 when 主送 is long)."""

    recipients: str | None = None
    cc: list[str] = Field(default_factory=list)  # 抄送机关
    printer: str | None = None  # 印发机关
    print_date: dt.date | None = None  # 印发日期


class Document(_Model):
    """A 公文 per GB/T 9704-2012."""

    format: DocumentFormat = "file"
    kind: str = "notice"  # the manifest kind this document is built as
    landscape: bool = False  # "plain" only: every page 横排 (a register or list printed as a table)
    # 版头 (§7.2)
    copy_number: str | None = None  # 份号
    secrecy: str | None = None  # 密级和保密期限, e.g. "秘密★1年"
    urgency: str | None = None  # 紧急程度: 特急 / 加急
    issuers: list[str] = Field(default_factory=list)  # 发文机关标志 names, 主办机关 first; several = 联合行文
    mark_suffix: str | None = "文件"  # "文件" or None (name alone)
    doc_number: str | None = None  # 发文字号, 某教综〔2020〕47号
    signers: list[str] = Field(default_factory=list)  # 签发人 (上行文)
    # 主体 (§7.3)
    title: TitleText
    recipients: str | None = None  # 主送机关, ending in "："
    body: list[Block] = Field(default_factory=list)
    signatures: list[Signature] = Field(default_factory=list)
    seal: bool = False  # 加盖印章 geometry (§7.3.5.1) vs. 不加盖 (§7.3.5.2)
    date: dt.date | None  # None: left blank, filled in by hand (成文日期: 手填)
    note: str | None = None  # 附注, "（此件公开发布）", "（联系人：…；联系电话：…）"
    issued: list[IssuedDocument] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)
    receipt: Receipt | None = None  # 回执 torn off the foot of the letter's last page
    # 版记 (§7.4)
    colophon: Colophon | None = None
    # metadata
    author: str | None = None  # for document properties; defaults to the first issuer

    @model_validator(mode="after")
    def _check(self) -> Document:
        if self.format == "minutes":
            raise ValueError("纪要格式尚未支持")
        if not self.issuers and self.format != "plain":
            raise ValueError("发文机关必填（只有无版头格式可以不填）")
        if self.landscape and self.format != "plain":
            raise ValueError("只有无版头（plain）的文件可以整篇横排")
        for group in [self.attachments, *(d.attachments for d in self.issued)]:
            if len(group) > 1 and any(a.number is None for a in group):
                raise ValueError("有多个附件时，每个附件都要有序号")
        return self

    @property
    def all_attachments(self) -> list[Attachment]:
        """Every 附件 printed, in page order: those of the issued documents, then the notice's own
        (not those sent as separate files)."""
        return [a for a in [*(a for d in self.issued for a in d.attachments), *self.attachments] if not a.separate]

    @property
    def organisation(self) -> str:
        """Author for the document properties: `author`, else the first issuer, else the first 署名."""
        return self.author or next(iter(self.issuers), None) or next((s.name for s in self.signatures), "")
