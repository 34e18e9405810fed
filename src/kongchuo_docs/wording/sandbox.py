"""The one Jinja environment for every template a user can edit or supply.

Wording files (``templates/…`` and a user's exported copies) and a clerk's Word template are
rendered in Jinja's ImmutableSandboxedEnvironment: no attribute or item whose name starts with
``_`` (refused when the template is read, before any input), no call that mutates a value, no
``str.format``/``translate``, StrictUndefined, and no globals beyond `DOCUMENTED_GLOBALS` plus the ones
a caller passes by name. Limits per render: `MAX_LOOP_ITERATIONS` loop steps over all loops together,
`MAX_OUTPUT_CHARS` characters of output, and the same number as one budget for every value the
template makes (`sandbox_budget`: filters, methods, ``~``, ``+``, ``*``, ``**``, ``%``, ``range``,
integers bounded in size), `MAX_SEQUENCE` items in a ``range`` or a repeated string/list. A template
that breaks a rule stops with a Chinese `InputError` naming the template file and the field, never a
traceback, and nothing is written (outputs are staged).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from ..errors import InputError, Location, Problem
from . import sandbox_budget as budget
from .sandbox_budget import MAX_OUTPUT_CHARS, TemplateLimitError

MAX_LOOP_ITERATIONS = 100_000
"""Loop steps allowed in one render, all ``{% for %}`` loops together (a letter has a few dozen)."""
MAX_SEQUENCE = 10_000
"""Largest ``range(…)`` and largest result of ``'text' * n`` / ``list * n``."""

_LOOP_FILTER = "kd_bounded_loop"
_CONCAT_FILTER = "kd_concat"
_CAPTURE_FILTER = "kd_captured"
_WEIGH_FILTER = "kd_weighed"
_UNSAFE_STR_METHODS = frozenset({"format", "format_map", "translate", "maketrans", "expandtabs"})
"""``str`` methods a template may not call: formatting with widths, and per-character expansions."""


class ForbiddenSyntaxError(jinja2.TemplateSyntaxError):
    """A template reads an attribute or item starting with ``_``; refused when the template is parsed."""


def _bounded_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_SEQUENCE:
        raise TemplateLimitError(f"range(…) 最多 {MAX_SEQUENCE} 项，模板要求 {len(numbers)} 项")
    return numbers  # its items are charged when a loop or a filter uses them


DOCUMENTED_GLOBALS: dict[str, Callable[..., Any]] = {"range": _bounded_range}
"""The only names a template may use besides its documented fields: ``range`` (≤ MAX_SEQUENCE)."""


@budget.budgeted
@jinja2.pass_eval_context
def _bounded_loop(eval_ctx: nodes.EvalContext, iterable: Iterable[Any]) -> Iterator[Any]:
    """Every ``{% for %}`` iterates through this: it counts steps per render (on the eval context)."""
    for item in iterable:
        steps = getattr(eval_ctx, "kd_loop_steps", 0) + 1
        if steps > MAX_LOOP_ITERATIONS:
            raise TemplateLimitError(f"循环次数超过上限 {MAX_LOOP_ITERATIONS}")
        eval_ctx.kd_loop_steps = steps  # type: ignore[attr-defined]
        yield item


class SandboxEnvironment(ImmutableSandboxedEnvironment):
    """ImmutableSandboxedEnvironment with the project's rules; build it with `environment`."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, str) and attr in _UNSAFE_STR_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context: jinja2.runtime.Context, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(count, int) and len(seq) * count > MAX_SEQUENCE:
                    raise TemplateLimitError(f"重复的文字或列表最多 {MAX_SEQUENCE} 项")
        return budget.binop(context.eval_ctx, operator_name, left, right)

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        args = budget.bounded_call(__context.eval_ctx, __obj, args, kwargs)
        return budget.after_call(__context.eval_ctx, super().call(__context, __obj, *args, **kwargs))

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            message = "模板不能引用其他模板（include、import、extends）"
            raise ForbiddenSyntaxError(message, node.lineno, name, filename)
        for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
            attr = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
            if isinstance(attr, str) and attr.startswith("_"):
                message = f"模板不允许访问以“_”开头的属性 {attr}（模板只能读取字段）"
                raise ForbiddenSyntaxError(message, node.lineno, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, _LOOP_FILTER, [], [], None, None, lineno=loop.lineno)
        for block in tree.find_all(nodes.AssignBlock):  # {% set x %}…{% endset %}: its text charged
            block.filter = nodes.Filter(block.filter, _CAPTURE_FILTER, [], [], None, None, lineno=block.lineno)
        return _Charged().visit(tree)


class _Charged(NodeTransformer):
    """Every ``a ~ b`` becomes the budget's `concat` filter over the same parts; every operand of a
    comparison and every list, tuple or mapping the template writes passes the `weighed` filter."""

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        parts = nodes.List(node.nodes, lineno=node.lineno)
        return nodes.Filter(parts, _CONCAT_FILTER, [], [], None, None, lineno=node.lineno)

    def visit_Compare(self, node: nodes.Compare) -> nodes.Node:
        self.generic_visit(node)
        node.expr = _weighed(node.expr)
        for operand in node.ops:
            operand.expr = _weighed(operand.expr)
        return node

    def _written(self, node: nodes.List | nodes.Tuple | nodes.Dict) -> nodes.Node:
        self.generic_visit(node)
        if getattr(node, "ctx", "load") != "load":  # {% for a, b in … %}: a target, not a value
            return node
        return _weighed(node)

    visit_List = visit_Tuple = visit_Dict = _written


def _weighed(node: nodes.Expr) -> nodes.Expr:
    return nodes.Filter(node, _WEIGH_FILTER, [], [], None, None, lineno=node.lineno)


def environment(
    *, autoescape: bool, extra_globals: Mapping[str, Callable[..., Any]] | None = None
) -> SandboxEnvironment:
    """The sandboxed environment: `autoescape` for XML (Word), `extra_globals` documented by the caller."""
    env = SandboxEnvironment(undefined=jinja2.StrictUndefined, autoescape=autoescape, keep_trailing_newline=False,
                             finalize=budget.finalize)  # fmt: skip
    filters = budget.BoundedFilters()
    for name, func in env.filters.items():
        filters[name] = func
    env.filters = filters
    env.globals.clear()
    env.globals.update(DOCUMENTED_GLOBALS)
    env.globals.update(extra_globals or {})
    env.filters[_LOOP_FILTER] = _bounded_loop
    env.filters[_CONCAT_FILTER] = budget.concat
    env.filters[_CAPTURE_FILTER] = budget.captured
    env.filters[_WEIGH_FILTER] = budget.weighed
    env.tests = {name: budget.bounded_test(func) for name, func in env.tests.items()}
    return env


def _fill(template: jinja2.Template, values: Mapping[str, Any]) -> str:
    size = 0
    parts: list[str] = []
    for part in template.generate(values):
        size += len(part)
        if size > MAX_OUTPUT_CHARS:
            raise TemplateLimitError(f"输出超过上限 {MAX_OUTPUT_CHARS} 字符")
        parts.append(part)
    return "".join(parts)


def _refused(exc: jinja2.exceptions.SecurityError, where: str, line: int | None, field: str | None) -> InputError:
    if isinstance(exc, TemplateLimitError):
        message = f"模板超出限制：{exc}"
    else:
        message = "模板试图调用或修改不允许的内容（模板只能读取字段）"
    return InputError([Problem(Location(where, line=line, column=field), message)])


def render(
    template: jinja2.Template,
    values: Mapping[str, Any],
    *,
    where: str,
    line: int | None = None,
    field: str | None = None,
) -> str:
    """`template` filled with `values`, its output bounded; a sandbox violation, a limit or an unknown
    name raises `InputError` at ``where`` (the template file) and `field`."""
    try:
        return _fill(template, values)
    except jinja2.exceptions.SecurityError as exc:
        raise _refused(exc, where, line, field) from None
    except jinja2.UndefinedError as exc:
        message = f"模板使用了未知的字段或属性：{exc.message}"
    except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, LookupError) as exc:
        message = f"模板无法填写：{type(exc).__name__}: {exc}"
    raise InputError([Problem(Location(where, line=line, column=field), message)])


def trial_render(template: jinja2.Template, names: Iterable[str], *, where: str, field: str | None = None) -> None:
    """Render `template` once with every name set to a sample text, so a template that breaks a sandbox
    rule or limit is refused when it is read, before any input; other failures (a sample text where
    a number is expected) wait for the real data."""
    try:
        _fill(template, dict.fromkeys(set(names) - set(template.environment.globals), "字段"))
    except jinja2.exceptions.SecurityError as exc:
        raise _refused(exc, where, None, field) from None
    except Exception:
        pass
