"""One size budget per render for the template sandbox (`sandbox.SandboxEnvironment`).

Every value a template makes — a filter's or method's result, ``~``, ``+``, ``*``, ``%``, ``range``,
a ``{% set %}`` block, a ``{{ … }}`` output that is not a string — is charged to a counter kept on the
render's Jinja `EvalContext` (one per ``render``/``generate``), starting at `MAX_OUTPUT_CHARS`
characters (list items count one each). Operations whose result size an argument controls
(``replace``, ``center``, ``ljust``/``rjust``/``zfill``, ``indent``, ``join``, ``wordwrap``, ``format``/
``%`` widths, ``batch``/``slice`` fill, ``*``, ``**``) are checked *before* they run from the sizes of
their inputs, so a template can never allocate past the budget; integers are bounded by their size
in bits (`MAX_INT_BITS`), so a power tower is refused at once. Cost per operation: one function call,
a ``len`` and a subtraction — nothing per letter besides that.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import jinja2
from jinja2.nodes import EvalContext
from jinja2.runtime import markup_join, str_join
from jinja2.utils import _PassArg

MAX_OUTPUT_CHARS = 2_000_000
"""Characters (and list items) one render may produce, output and intermediate values together
(a merged Word letter body is ~100 000)."""
MAX_INT_BITS = 3_400
"""Largest integer a template may compute, in bits (about 1 000 decimal digits)."""

_LEFT = "kd_left"  # the attribute of the render's EvalContext holding what is left of the budget
_REFUSED = f"生成的内容超过上限 {MAX_OUTPUT_CHARS} 字符"


class TemplateLimitError(jinja2.exceptions.SecurityError):
    """A template broke a sandbox rule or limit; the message is Chinese and complete."""


def charge(eval_ctx: EvalContext, size: int) -> None:
    """Take `size` characters (or items) from the render's budget; TemplateLimitError past it."""
    left = getattr(eval_ctx, _LEFT, MAX_OUTPUT_CHARS) - size
    if left < 0:
        raise TemplateLimitError(_REFUSED)
    setattr(eval_ctx, _LEFT, left)


def left(eval_ctx: EvalContext) -> int:
    """What is left of the render's budget."""
    return getattr(eval_ctx, _LEFT, MAX_OUTPUT_CHARS)


def text_size(value: Any, limit: int) -> int:
    """About how many characters ``str(value)`` has (lists and mappings walked, each repeated part
    counted each time), counting stops past `limit` (then the result is `limit` + 1)."""
    size = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            size += len(item)
        elif isinstance(item, bool) or item is None:
            size += 5
        elif isinstance(item, int):
            size += item.bit_length() // 3 + 2
        elif isinstance(item, (list, tuple, set, frozenset)):
            size += 2 + 2 * len(item)
            stack.extend(item)
        elif isinstance(item, Mapping):
            size += 2 + 4 * len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        else:
            size += 32  # numbers, dates, Undefined: a short text
        if size > limit:
            return limit + 1
    return size


def check_int(value: Any) -> None:
    """Refuse an integer past `MAX_INT_BITS`."""
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise TemplateLimitError(f"整数过大（超过约 {MAX_INT_BITS * 3 // 10} 位数字）")


def power(left_: Any, right: Any) -> Any:
    """``left ** right`` with the result's size checked first (bits ≈ exponent × bits of the base)."""
    bits = abs(left_).bit_length() - 1 if isinstance(left_, int) else 0
    if isinstance(right, int) and right > 0 and bits * right > MAX_INT_BITS:
        raise TemplateLimitError(f"乘方结果过大（超过约 {MAX_INT_BITS * 3 // 10} 位数字）")
    return left_**right


def _precheck_times(eval_ctx: EvalContext, left_: Any, right: Any) -> None:
    for seq, count in ((left_, right), (right, left_)):
        if isinstance(seq, (str, list, tuple)) and isinstance(count, int) and not isinstance(count, bool):
            charge(eval_ctx, text_size(seq, left(eval_ctx)) * max(count, 0))
            return
    if isinstance(left_, int) and isinstance(right, int) and left_.bit_length() + right.bit_length() > MAX_INT_BITS:
        raise TemplateLimitError(f"乘积过大（超过约 {MAX_INT_BITS * 3 // 10} 位数字）")


_CONVERSION = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def percent_size(eval_ctx: EvalContext, fmt: str, args: Any) -> int:
    """Most characters ``fmt % args`` can have: the text, every width and precision, the arguments."""
    size = len(fmt) + text_size(args, left(eval_ctx))
    for width, precision in _CONVERSION.findall(fmt):
        if "*" in (width, precision):
            raise TemplateLimitError("格式中不能用“*”指定宽度")
        size += int(width or 0) + int(precision or 0)
    return size


def binop(eval_ctx: EvalContext, operator_name: str, left_: Any, right: Any) -> Any:
    """``+``, ``*``, ``**``, ``%`` with their results' sizes checked before and charged."""
    if operator_name == "**":
        result = power(left_, right)
    elif operator_name == "*":
        _precheck_times(eval_ctx, left_, right)
        result = left_ * right
    elif operator_name == "%" and isinstance(left_, str):
        charge(eval_ctx, percent_size(eval_ctx, left_, right))
        return left_ % right
    elif operator_name == "%":
        result = left_ % right
    else:
        result = _charge_result(eval_ctx, left_ + right)
    check_int(result)
    return result


def _width(value: Any) -> int:
    return len(value) if isinstance(value, str) else max(int(value), 0)


def _replace_size(s: Any, old: Any, new: Any, count: Any = None) -> int:
    text, old, new = str(s), str(old), str(new)
    times = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    return len(text) + times * max(len(new) - len(old), 0)


def _padded_size(s: Any, width: Any = 80, *_: Any) -> int:
    return max(len(str(s)), _width(width))


def _indent_size(s: Any, width: Any = 4, *_: Any, **__: Any) -> int:
    text = str(s)
    return len(text) + (text.count("\n") + 1) * _width(width)


def _wordwrap_size(s: Any, width: Any = 79, break_long_words: Any = True, wrapstring: Any = None, *_: Any,
                   **__: Any) -> int:  # fmt: skip
    text = str(s)
    return len(text) + (len(text) + 1) * len(str(wrapstring or "\n"))


_PRECHECKS: dict[str, Callable[..., int]] = {
    "replace": _replace_size,
    "center": _padded_size,
    "ljust": _padded_size,
    "rjust": _padded_size,
    "zfill": _padded_size,
    "indent": _indent_size,
    "wordwrap": _wordwrap_size,
}
"""Filters and ``str`` methods whose result size an argument controls → that size, before the call."""

_STRUCTURAL = frozenset({
    "abs", "attr", "batch", "count", "d", "default", "first", "float", "int", "items", "last", "length", "list",
    "map", "random", "reject", "rejectattr", "reverse", "round", "select", "selectattr", "slice", "sum",
})  # fmt: skip
"""Filters that neither turn their value into text nor compare or hash its items (so a large list is not
walked for them; ``sort``, ``unique``, ``max``, ``dictsort``… are: comparing nested lists walks them)."""


def _precheck(eval_ctx: EvalContext, name: str, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Charge, before the filter `name` runs, the size its result can reach; the value to pass it (an
    iterator read here is passed on as a list)."""
    sized = _PRECHECKS.get(name)
    if sized is not None:
        charge(eval_ctx, sized(value, *args, **kwargs))
    elif name == "join":
        value = _items(value)
        separator = str(args[0] if args else kwargs.get("d", ""))
        charge(eval_ctx, text_size(value, left(eval_ctx)) + len(value) * len(separator))
    elif name == "format":
        charge(eval_ctx, percent_size(eval_ctx, str(value), kwargs or args))
    elif name in ("batch", "slice"):
        fill = args[1] if len(args) > 1 else kwargs.get("fill_with")
        count = args[0] if args else kwargs.get("linecount", kwargs.get("slices", 0))
        if name == "slice" or fill is not None:
            charge(eval_ctx, max(int(count), 0))
    elif name == "sum":
        value = _items(value)
        start = kwargs.get("start", args[1] if len(args) > 1 else 0)
        if "attribute" not in kwargs and len(args) < 1 and any(
            not isinstance(item, (int, float)) for item in (start, *value)
        ):
            raise TemplateLimitError("sum 只能用于数字")
    elif name not in _STRUCTURAL and not isinstance(value, str):
        charge(eval_ctx, text_size(value, left(eval_ctx)))
    return value


def _items(value: Any) -> Any:
    """`value` itself when it is a list, tuple or string, else its items as a list."""
    return value if isinstance(value, (list, tuple, str)) else list(value)


def _charge_result(eval_ctx: EvalContext, result: Any) -> Any:
    """`result` charged: a string by its length, a list or tuple by its text's size (nested lists that
    repeat one list count each time, so doubling a list by nesting is refused like doubling a text)."""
    if isinstance(result, str):
        charge(eval_ctx, len(result))
    elif isinstance(result, (list, tuple, dict)):
        charge(eval_ctx, text_size(result, left(eval_ctx)))
    else:
        check_int(result)
    return result


def bounded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """`func` (a Jinja filter) with its result's size checked before and charged after."""
    pass_arg = _PassArg.from_obj(func)
    if pass_arg is _PassArg.context:

        @jinja2.pass_context
        def with_context(context: jinja2.runtime.Context, value: Any, *args: Any, **kwargs: Any) -> Any:
            value = _precheck(context.eval_ctx, name, value, args, kwargs)
            return _charge_result(context.eval_ctx, func(context, value, *args, **kwargs))

        return budgeted(with_context)

    @budgeted
    @jinja2.pass_eval_context
    def bounded(eval_ctx: EvalContext, value: Any, *args: Any, **kwargs: Any) -> Any:
        value = _precheck(eval_ctx, name, value, args, kwargs)
        if pass_arg is _PassArg.eval_context:
            result = func(eval_ctx, value, *args, **kwargs)
        elif pass_arg is _PassArg.environment:
            result = func(eval_ctx.environment, value, *args, **kwargs)
        else:
            result = func(value, *args, **kwargs)
        return _charge_result(eval_ctx, result)

    return bounded


class BoundedFilters(dict):  # type: ignore[type-arg]
    """An environment's filters: each one set is wrapped by `bounded_filter` (a caller's own filter
    too, e.g. the letters' ``ragged_breaks``), except the sandbox's own (marked ``kd_budgeted``)."""

    def __setitem__(self, name: str, func: Callable[..., Any]) -> None:
        super().__setitem__(name, func if getattr(func, "kd_budgeted", False) else bounded_filter(name, func))


def budgeted(func: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a filter of the sandbox's own that charges the budget itself (not wrapped again)."""
    func.kd_budgeted = True  # type: ignore[attr-defined]
    return func


def bounded_call(
    eval_ctx: EvalContext, method: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[Any, ...]:
    """Before a method call: a ``str`` method whose result size an argument controls is charged, a
    list's or mapping's method (``count``, ``index``, ``get``… compare or hash) charged by the sizes of
    the list and the arguments; the arguments to call it with (an iterator given to ``join`` as a list)."""
    owner = getattr(method, "__self__", None)
    if isinstance(owner, (list, tuple, dict)):
        charge(eval_ctx, text_size((owner, args), left(eval_ctx)))
    elif isinstance(owner, str):
        name = getattr(method, "__name__", "")
        if name in _PRECHECKS:
            charge(eval_ctx, _PRECHECKS[name](owner, *args, **kwargs))
        elif name == "join" and args:
            args = (_items(args[0]), *args[1:])
            charge(eval_ctx, text_size(args[0], left(eval_ctx)) + len(args[0]) * len(owner))
    return args


def after_call(eval_ctx: EvalContext, result: Any) -> Any:
    """After a method or macro call: its result charged."""
    return _charge_result(eval_ctx, result)


@budgeted
@jinja2.pass_eval_context
def concat(eval_ctx: EvalContext, parts: list[Any]) -> str:
    """``a ~ b ~ …`` (the sandbox rewrites every ``~`` to this): the joined size charged first."""
    charge(eval_ctx, sum(text_size(part, left(eval_ctx)) for part in parts))
    return (markup_join if eval_ctx.autoescape else str_join)(parts)


@budgeted
@jinja2.pass_eval_context
def weighed(eval_ctx: EvalContext, value: Any) -> Any:
    """An operand of a comparison (``==``, ``in``, ``<``…; the sandbox passes each through this) or a
    list, tuple or mapping the template writes out: charged by its size, since comparing, hashing or
    building it takes time in proportion."""
    if isinstance(value, str):
        charge(eval_ctx, len(value))
    elif isinstance(value, (list, tuple, dict, set, frozenset)):
        charge(eval_ctx, text_size(value, left(eval_ctx)))
    return value


def bounded_test(func: Callable[..., Any]) -> Callable[..., Any]:
    """`func` (a Jinja test: ``is eq``, ``is in``…) with its value and arguments weighed first."""
    pass_arg = _PassArg.from_obj(func)

    @jinja2.pass_eval_context
    def bounded(eval_ctx: EvalContext, value: Any, *args: Any, **kwargs: Any) -> Any:
        charge(eval_ctx, text_size((value, args), left(eval_ctx)))
        if pass_arg is _PassArg.context:
            raise TemplateLimitError("不支持的测试")
        if pass_arg is _PassArg.eval_context:
            return func(eval_ctx, value, *args, **kwargs)
        if pass_arg is _PassArg.environment:
            return func(eval_ctx.environment, value, *args, **kwargs)
        return func(value, *args, **kwargs)

    return bounded


@budgeted
@jinja2.pass_eval_context
def captured(eval_ctx: EvalContext, value: Any) -> Any:
    """A ``{% set x %}…{% endset %}`` block's text (the sandbox passes every one through this), charged."""
    return _charge_result(eval_ctx, value)


@jinja2.pass_eval_context
def finalize(eval_ctx: EvalContext, value: Any) -> Any:
    """Every ``{{ … }}`` output: a string charged by its length, anything else by its text's size."""
    charge(eval_ctx, len(value) if isinstance(value, str) else text_size(value, left(eval_ctx)))
    return value
