"""A letter kind's shape: the blocks of ``templates/letters/<kind>.yaml`` as a pydantic model, and
why a wording file is not one (`spec_problems`, in the clerk's words). Imports nothing of the wording
layer, which calls `spec_problems` when it checks a clerk's folder."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import Location, Problem

BlockType = Literal["title", "number", "line", "paragraph", "signature", "cut", "fill", "table"]
Placement = Literal["tear-off", "own-page"]
"""Where a slip goes: ``tear-off`` at the foot of the letter's page below a cut line (回执), or
``own-page`` on a page of its own after the letter (送达回证, a form of its own)."""

_UNSAFE_NAME = frozenset('\\/:*?"<>|') | {chr(c) for c in range(32)}
KIND_FILES = {"入学": "enrolment.yaml", "劝返": "return.yaml", "责令": "order.yaml"}
"""``--kind`` value → the template file in ``templates/letters/``."""


class Block(BaseModel):
    """One printed element of a letter; which keys it uses depends on `type` (see the README)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    type: BlockType
    text: str = ""
    issuer: str = ""  # signature: 署名
    date: str = ""  # signature: 成文日期
    cut_text: str = ""  # cut: the words printed in a gap of the cut line (沿虚线剪下，交回学校)
    labels: list[str] = Field(default_factory=list)  # fill: write-in fields on one line
    rows: list[list[str]] = Field(default_factory=list)  # table: [标签, 内容] or [标签, 内容, 标签, 内容]
    when: str | None = Field(default=None, alias="if")
    placement: Placement = "tear-off"  # slip blocks only: own-page puts the printed slip on its own page

    @field_validator("rows")
    @classmethod
    def _two_or_four_cells(cls, rows: list[list[str]]) -> list[list[str]]:
        if any(len(row) not in (2, 4) for row in rows):
            raise ValueError("表格每行应为 [标签, 内容] 或 [标签, 内容, 标签, 内容]")
        return rows

    @model_validator(mode="after")
    def _cut_text_on_the_cut_line(self) -> Block:
        if self.cut_text and self.type != "cut":
            raise ValueError("cut_text 只用于 type: cut 的块（印在裁剪线上的文字）")
        return self

    def texts(self) -> list[str]:
        """The Jinja sources of this block, in reading order."""
        if self.type == "signature":
            return [self.issuer, self.date]
        if self.type == "cut":
            return [self.text, self.cut_text]
        if self.type == "fill":
            return list(self.labels)
        if self.type == "table":
            return [cell for row in self.rows for cell in row]
        return [self.text]

    def table_rows(self, texts: list[str]) -> list[list[str]]:
        """`texts` (rendered `texts()` of a table) cut back into its rows."""
        it = iter(texts)
        return [[next(it) for _ in row] for row in self.rows]


class LetterSpec(BaseModel):
    """A letter kind: its title, its body blocks and the slip printed under the cut line."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    file_label: str  # used in output file names, e.g. 入学通知书
    group_by: Literal["学校", "乡镇"] = "学校"  # one merged file per school, or per township (the issuer)
    bookmark: str = ""  # Jinja text of each letter's entry in the PDF's bookmarks; empty: no bookmarks
    blocks: list[Block]
    slip: list[Block] = Field(default_factory=list)
    source: str = Field(default="", exclude=True)  # the wording file's name, for messages
    paragraphs: tuple[int | None, ...] = Field(default=(), exclude=True)  # 第 N 段 of each of `all_blocks`

    def block_label(self, index: int) -> str:
        """Where block `index` of `all_blocks` is, for messages: its ``第 8 段`` (as the 模板 page and
        the wording check number it), else ``blocks 第 3 项`` / ``slip 第 1 项``."""
        if index < len(self.paragraphs) and self.paragraphs[index] is not None:
            return f"第 {self.paragraphs[index]} 段"
        if index < len(self.blocks):
            return f"blocks 第 {index + 1} 项"
        return f"slip 第 {index - len(self.blocks) + 1} 项"

    @field_validator("file_label")
    @classmethod
    def _safe_folder_name(cls, label: str) -> str:
        # A user's wording file names the output folder: never a path, never outside -o DIR.
        if not label.strip() or label.strip(". ") != label or any(c in _UNSAFE_NAME for c in label):
            raise ValueError("file_label 用作输出文件夹名：不能为空，不能含 \\ / : * ? \" < > | 或以点开头结尾")
        return label

    @field_validator("blocks")
    @classmethod
    def _placement_only_in_slip(cls, blocks: list[Block]) -> list[Block]:
        if any(block.placement != "tear-off" for block in blocks):
            raise ValueError("placement 只用于 slip 下的块（回执/送达回证的排法）")
        return blocks

    def in_form(self, slip_index: int) -> bool:
        """Whether slip block `slip_index` is laid out as part of an own-page form (送达回证): it is,
        or follows, a slip block placed ``own-page``."""
        return any(block.placement == "own-page" for block in self.slip[: slip_index + 1])

    def all_blocks(self) -> list[Block]:
        return [*self.blocks, *self.slip]


_SAID = {"missing": "缺少此项", "extra_forbidden": "未知的键", "string_type": "应为文字", "list_type": "应为列表",
         "dict_type": "应为键值对", "model_type": "应为键值对", "bool_type": "应为 true 或 false",
         "bool_parsing": "应为 true 或 false", "int_type": "应为整数", "int_parsing": "应为整数"}  # fmt: skip
"""pydantic's error types in the clerk's words (its own messages are English)."""


def spec_problems(data: dict[str, Any], source: str) -> list[Problem]:
    """Why the wording `data` (read by `wording`, its strings located) is not a letter kind, each
    problem at its 第 N 段 (or line) of `source`, in Chinese; empty when it is one."""
    try:
        LetterSpec.model_validate(data)
    except ValidationError as exc:
        return [Problem(_where(data, error["loc"], source), f"通知书模板格式错误：{_said(error)}")
                for error in exc.errors()]  # fmt: skip
    return []


def _said(error: Any) -> str:
    if error["type"] == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "literal_error":
        return f"只能是 {error['ctx']['expected'].replace(' or ', '、').replace(', ', '、')}"
    return _SAID.get(error["type"], "格式不对")


def _where(data: Any, loc: tuple[Any, ...], source: str) -> Location:
    value = data
    for part in loc:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            break
    if getattr(value, "paragraph", None) is not None:  # a located wording string (`WordingText`)
        return value.where()
    return Location(source, line=_line_of(data, loc), column=".".join(str(part) for part in loc))


def _line_of(data: object, loc: tuple[object, ...]) -> int | None:
    """The line of the value (or, failing that, of the nearest key) at `loc` in a located YAML tree."""
    line = None
    for part in loc:
        if isinstance(data, dict):
            key = next((k for k in data if k == part), None)
            line = getattr(key, "line", line)
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            break
        line = getattr(data, "line", line)
    return line
