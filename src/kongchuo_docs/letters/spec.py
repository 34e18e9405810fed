"""A letter kind as data: the blocks of ``templates/letters/<kind>.yaml``, their Jinja texts and checks.

A block's text is a Jinja template over the merge fields (``{{ 姓名 }}``) and the settings
(``{{ 报到日期 }}``); ``if`` is a Jinja expression deciding whether the block is printed.
Both engines (DOCX, PDF) compile these texts once per run; `undeclared_fields` names every
field a template uses that neither the roster nor the settings provide, before anything renders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

from ..errors import InputError, Location, Problems
from ..wording import sandbox
from ..wording.files import load_wording, located_strings
from .fields import valid_names_text
from .spec_model import KIND_FILES, LetterSpec, spec_problems


def load_spec(kind: str) -> LetterSpec:
    """Read the template of `kind` (入学, 劝返 or 责令): the user's copy (``--templates``) or the bundled one."""
    data = load_wording("letters", KIND_FILES[kind])
    source = next((v.source for _, v in located_strings(data)), KIND_FILES[kind])
    problems = spec_problems(data, source)
    if problems:
        raise InputError(problems)
    blocks = [*data["blocks"], *(data.get("slip") or [])]
    paragraphs = tuple(next((v.paragraph for _, v in located_strings(b) if v.paragraph), None) for b in blocks)
    return LetterSpec.model_validate(data).model_copy(update={"source": source, "paragraphs": paragraphs})


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
    sources: list[str],
    known: set[str],
    env: jinja2.Environment,
    where: Path | str,
    *,
    paragraph_of: Callable[[str], int | None] | None = None,
) -> None:
    """Raise `InputError` naming every unknown field (in its paragraph, given `paragraph_of`), then
    the valid names, and every syntax error in `sources`."""
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
        unknown = undeclared_fields(sources, known, env)
        for name in unknown:
            paragraph = paragraph_of(name) if paragraph_of else None
            problems.error(
                replace(loc, paragraph=paragraph),
                "模板使用了名册和设置中都没有的字段，请改正字段名",
                "{{ " + name + " }}",
            )
        if unknown:
            names = valid_names_text(known - set(env.globals))
            problems.error(loc, f"可用的字段名（名册列名也可用）：{names}")
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
