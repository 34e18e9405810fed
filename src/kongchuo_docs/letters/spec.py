"""A letter kind as data: the blocks of ``templates/letters/<kind>.yaml``, their Jinja texts and checks.

A block's text is a Jinja template over the merge fields (``{{ 姓名 }}``) and the settings
(``{{ 报到日期 }}``); ``if`` is a Jinja expression deciding whether the block is printed.
Both engines (DOCX, PDF) compile these texts once per run; `undeclared_fields` names every
field a template uses that neither the roster nor the settings provide, before anything renders.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import jinja2
import jinja2.meta
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import Location, Problems
from ..wording import sandbox
from ..wording.files import load_wording, located_strings

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

    def texts(self) -> list[str]:
        """The Jinja sources of this block, in reading order."""
        if self.type == "signature":
            return [self.issuer, self.date]
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

    def block_label(self, index: int) -> str:
        """Where block `index` of `all_blocks` is, for messages: ``blocks 第 3 项`` / ``slip 第 1 项``."""
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


def load_spec(kind: str) -> LetterSpec:
    """Read the template of `kind` (入学, 劝返 or 责令): the user's copy (``--templates``) or the bundled one."""
    data = load_wording("letters", KIND_FILES[kind])
    source = next((v.source for _, v in located_strings(data)), KIND_FILES[kind])
    problems = Problems()
    try:
        return LetterSpec.model_validate(data).model_copy(update={"source": source})
    except ValidationError as exc:
        for error in exc.errors():
            path = ".".join(str(part) for part in error["loc"])
            message = str(error["msg"]).removeprefix("Value error, ")
            where = Location(source, line=_line_of(data, error["loc"]), column=path)
            problems.error(where, f"通知书模板格式错误：{message}")
        problems.raise_if_errors()
        raise  # unreachable: raise_if_errors raised


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


def environment(*, autoescape: bool, extra_globals: dict[str, Callable[..., Any]] | None = None) -> jinja2.Environment:
    """The letters' Jinja environment: the project's sandbox (unknown names fail; XML escaping on request)."""
    return sandbox.environment(autoescape=autoescape, extra_globals=extra_globals)


def condition_source(expression: str) -> str:
    """A block's ``if:`` expression as a template that prints 1 when it holds."""
    return "{% if " + expression + " %}1{% endif %}"


def undeclared_fields(sources: list[str], known: set[str], env: jinja2.Environment) -> list[str]:
    """Names the templates read that are not in `known`, sorted; raises on Jinja syntax errors."""
    names: set[str] = set()
    for source in sources:
        names |= jinja2.meta.find_undeclared_variables(env.parse(source))
    return sorted(names - known - set(env.globals))


def check_fields(
    sources: list[str], known: set[str], env: jinja2.Environment, where: Path | str
) -> None:
    """Raise `InputError` naming every unknown field and every syntax error in `sources`."""
    problems = Problems()
    loc = Location(Path(where).name)
    for source in sources:
        try:
            env.parse(source)
        except sandbox.ForbiddenSyntaxError as exc:
            problems.error(loc, str(exc.message))
        except jinja2.TemplateSyntaxError as exc:
            problems.error(loc, f"模板语法错误（第 {exc.lineno} 行）：{exc.message}", _snippet(source))
    if not problems.errors:
        for name in undeclared_fields(sources, known, env):
            problems.error(
                loc, "模板使用了名册和设置中都没有的字段，请改正字段名", "{{ " + name + " }}"
            )
    problems.raise_if_errors()


def block_sources(spec: LetterSpec) -> list[str]:
    """Every Jinja source of a spec, conditions included (as ``{{ expr }}``)."""
    sources: list[str] = [spec.bookmark]
    for block in spec.all_blocks():
        sources.extend(block.texts())
        if block.when:
            sources.append("{{ " + block.when + " }}")
    return sources


def _snippet(source: str, limit: int = 40) -> str:
    return source if len(source) <= limit else source[:limit] + "…"
