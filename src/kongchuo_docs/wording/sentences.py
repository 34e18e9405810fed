"""Wording as sentences: a wording file (YAML whose strings are Jinja) seen as the numbered
paragraphs a clerk edits on the 模板 page, and turned back into the same file.

- `sentences(source)`: every wording string of the file in file order, numbered 1, 2, … (第 N 段),
  with the condition of its block (``if:``) in words and where it stands in the file text;
- `shown(text, rel)`: a paragraph as the clerk reads it — ``{{ unit }}`` becomes 〔单位名称〕 (the
  Chinese names are data: ``templates/variable_names.yaml``; the letters' variables are Chinese
  already), ``{% if 所需材料 %}`` becomes 〔仅当有所需材料时：〕 and ``{% endif %}`` 〔条件结束〕;
- `jinja_text(shown, original, rel)`: the edited paragraph back into Jinja (each chip of the
  original gives back its own source; a typed 〔中文名〕 becomes that variable);
- `with_edits(source, edits)`: the file text with exactly the edited paragraphs' values replaced,
  every other character (comments, quoting, order) kept.

`paragraph_numbers` gives ``wording``'s checks the 第 N 段 of each key path, so the page and the
command line name the same paragraph.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict, deque
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2
import yaml
from jinja2 import nodes

from ..files.resources import template_path
from ..support.yaml_load import BoundedLoader

LAYOUT_KEYS = frozenset({"type", "placement", "if", "level", "aliases", "party_a_role", "party_b_role",
                         "name", "direction", "status_fills", "inconsistent_fill", "group_by"})  # fmt: skip
"""Keys whose strings steer the layout or the code (block kinds, conditions, names the code looks
up, colours), not printed wording: no text box of their own (the raw file under 高级 has them)."""
CONDITION_KEY = "if"
END_IF, ELSE = "条件结束", "否则："
_TOKEN = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_CHIP = re.compile(r"〔([^〔〕]*)〕")
_PARSER = jinja2.Environment()  # parsing only (never renders): labels and words for expressions


class SentenceProblem(ValueError):
    """An edited paragraph that cannot be turned back into the file (the message is Chinese)."""


@dataclass(frozen=True)
class Sentence:
    """One paragraph of a wording file (spans are character offsets in the file text)."""

    number: int  # 第 N 段, 1-based in file order
    key_path: str  # as `wording.located_strings` names it (``blocks[6].text``)
    text: str  # the Jinja text
    condition: str | None  # the block's ``if:`` in words (「仅当有咨询电话时」), None without one
    place: str  # where the text goes in the document (「落款单位」, from ``templates/paragraph_names.yaml``)
    start: int
    end: int


def sentences(source: str, rel: str) -> list[Sentence]:
    """The paragraphs of the wording file text `source` (raises yaml.YAMLError when it is not YAML)."""
    root = yaml.compose(source, Loader=BoundedLoader)
    found: list[Sentence] = []
    if root is not None:
        _walk(root, "", None, rel, found, {})
    return found


def paragraph_numbers(source: str, rel: str) -> dict[str, int]:
    """Key path → 第 N 段 for every string of the file: a paragraph's own number; a block's
    ``if``/``type`` the number of the block's first paragraph (absent: not part of one)."""
    numbers: dict[str, int] = {}
    root = yaml.compose(source, Loader=BoundedLoader)
    if root is not None:
        _walk(root, "", None, rel, [], numbers, words=False)
    return numbers


def _walk(node: yaml.Node, path: str, condition: str | None, rel: str, found: list[Sentence],
          numbers: dict[str, int], kind: str = "", *, words: bool = True) -> None:  # fmt: skip
    """Number the strings under `node` (at key path `path`, printed when `condition` holds, in a
    block of type `kind`) into `found` and `numbers`; `words`: say the conditions (the page) or not."""
    if isinstance(node, yaml.MappingNode):
        pairs = [(str(k.value), v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
        own = next((v.value for k, v in pairs if k == CONDITION_KEY and isinstance(v, yaml.ScalarNode)), None)
        kind = next((str(v.value) for k, v in pairs if k == "type" and isinstance(v, yaml.ScalarNode)), kind)
        if own and words:
            said = condition_words(own, rel)
            condition = f"{condition[:-1]}，且{said[2:]}" if condition else said
        first = len(found)
        steering: list[str] = []
        for key, value in pairs:
            here = f"{path}.{key}" if path else key
            if key in LAYOUT_KEYS:
                steering.append(here)
            else:
                _walk(value, here, condition, rel, found, numbers, kind, words=words)
        if len(found) > first:
            numbers.update(dict.fromkeys(steering, found[first].number))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, f"{path}[{i}]", condition, rel, found, numbers, kind, words=words)
    elif isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
        number = len(found) + 1
        numbers[path] = number
        found.append(Sentence(number, path, node.value, condition, _place(path, kind), node.start_mark.index,
                              node.end_mark.index))  # fmt: skip


@cache
def _places() -> dict[str, Any]:
    return yaml.load(template_path("paragraph_names.yaml").read_text(encoding="utf-8"), Loader=BoundedLoader)


def _place(path: str, kind: str) -> str:
    """Where the string at `path` (of a block of type `kind`) goes, in words; "" when unknown."""
    places = _places()
    keys = re.findall(r"(?:^|\.)([^.\[]+)", path)
    if kind:
        said = places["keys"].get(keys[-1]) if keys[-1] in ("issuer", "date", "cut_text") else places["types"].get(
            kind, "")
        return f"{places['slip']}：{said}" if keys[0] == "slip" and kind in ("title", "paragraph") else said or ""
    return places["keys"].get(keys[0], "")


# -- the Chinese names of the variables (data)


@cache
def _names_data() -> dict[str, dict[str, str]]:
    data = yaml.load(template_path("variable_names.yaml").read_text(encoding="utf-8"), Loader=BoundedLoader)
    return {str(k): {str(a): str(b) for a, b in (v or {}).items()} for k, v in data.items()}


def variable_names(rel: str) -> dict[str, str]:
    """Variable → its Chinese name for the wording file `rel` (a name with no entry is itself)."""
    data = _names_data()
    return {**data.get("*", {}), **data.get(rel, {})}


def chinese(name: str, rel: str) -> str:
    """The Chinese name the page shows for the variable `name` of `rel`."""
    return variable_names(rel).get(name, name)


def by_chinese(rel: str, allowed: set[str]) -> dict[str, str]:
    """Chinese name → variable, over the variables `allowed` in `rel`; a letter kind's also by the
    roster's column headers (入读学校 → 学校: `letters.fields.header_aliases`)."""
    names = {chinese(name, rel): name for name in allowed}
    if rel.startswith("letters/"):
        from ..letters.fields import header_aliases

        names = {**{header: name for header, name in header_aliases().items() if name in allowed}, **names}
    return names


# -- words for expressions and conditions


def _parsed(expr: str) -> nodes.Expr | None:
    try:
        body = _PARSER.parse("{{ " + expr + " }}").body
    except jinja2.TemplateSyntaxError:
        return None
    output = body[0] if body else None
    if isinstance(output, nodes.Output) and len(output.nodes) == 1:
        return output.nodes[0]
    return None


def _expr(node: nodes.Node, rel: str) -> str:
    if isinstance(node, nodes.Name):
        return chinese(node.name, rel)
    if isinstance(node, nodes.Const):
        return f"“{node.value}”" if isinstance(node.value, str) else str(node.value)
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return str(node.arg.value)
    if isinstance(node, nodes.Filter) and node.node is not None:
        if node.name == "join" and node.args and isinstance(node.args[0], nodes.Const):
            return f"{_expr(node.node, rel)}（用“{node.args[0].value}”连接）"
        return _expr(node.node, rel)
    if isinstance(node, nodes.Or):
        return f"{_expr(node.left, rel)}，没有时用{_expr(node.right, rel)}"
    if isinstance(node, nodes.Concat):
        return "".join(_expr(n, rel) for n in node.nodes)
    if isinstance(node, nodes.CondExpr) and node.expr2 is not None:
        return f"{_expr(node.expr1, rel)}（{_condition(node.test, rel)}时；否则{_expr(node.expr2, rel)}）"
    return "、".join(chinese(n.name, rel) for n in node.find_all(nodes.Name)) or "表达式"


def _condition(node: nodes.Node, rel: str) -> str:
    if isinstance(node, nodes.Name):
        return f"有{chinese(node.name, rel)}"
    if isinstance(node, nodes.Not):
        inner = node.node
        if isinstance(inner, nodes.Name):
            return f"没有{chinese(inner.name, rel)}"
        if isinstance(inner, nodes.Test) and inner.name == "none":
            return f"填写了{_expr(inner.node, rel)}"
        return f"不满足（{_condition(inner, rel)}）"
    if isinstance(node, nodes.Test) and node.name == "none":
        return f"没有填写{_expr(node.node, rel)}"
    if isinstance(node, nodes.And):
        return f"{_condition(node.left, rel)}且{_condition(node.right, rel)}"
    if isinstance(node, nodes.Or):
        return f"{_condition(node.left, rel)}或{_condition(node.right, rel)}"
    if isinstance(node, nodes.Compare) and len(node.ops) == 1 and node.ops[0].op in ("eq", "ne"):
        verb = "为" if node.ops[0].op == "eq" else "不为"
        return f"{_expr(node.expr, rel)}{verb}{_expr(node.ops[0].expr, rel)}"
    if (isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr) and node.node.attr == "startswith"
            and len(node.args) == 1):  # fmt: skip
        return f"{_expr(node.node.node, rel)}以{_expr(node.args[0], rel)}开头"
    return f"{_expr(node, rel)}成立"


def condition_words(expr: str, rel: str) -> str:
    """A condition (an ``if:`` value or ``{% if … %}``'s test) in words: 「仅当有咨询电话时」."""
    node = _parsed(expr)
    return f"仅当{_condition(node, rel) if node is not None else expr}时"


# -- a paragraph as chips, and back


def _label(token: str, rel: str) -> str:
    """The chip text (without 〔〕) of one Jinja token."""
    inner = token[2:-2].strip("-+ \n")
    if token.startswith("{#"):
        return f"注：{inner}"
    if token.startswith("{{"):
        node = _parsed(inner)
        return _expr(node, rel) if node is not None else inner
    word, _, rest = inner.partition(" ")
    if word == "if":
        return f"{condition_words(rest, rel)}："
    if word == "elif":
        return f"否则，{condition_words(rest, rel)}："
    if word == "else":
        return ELSE
    if word == "endif":
        return END_IF
    return inner


def _safe(label: str) -> str:
    return label.replace("〔", "【").replace("〕", "】")


def shown(text: str, rel: str) -> str:
    """The paragraph `text` as the page shows it: each Jinja piece a chip 〔…〕."""
    out: list[str] = []
    last = 0
    for match in _TOKEN.finditer(text):
        out += [text[last : match.start()], f"〔{_safe(_label(match.group(), rel))}〕"]
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def jinja_text(edited: str, original: str, rel: str, allowed: set[str]) -> str:
    """The edited paragraph (chips 〔…〕) back into Jinja. A chip of `original` gives back its own
    source (in order, when two read alike); a typed 〔中文名〕 of a variable in `allowed` becomes
    ``{{ 变量 }}``; 〔条件结束〕 and 〔否则：〕 their tags. Raises `SentenceProblem` otherwise."""
    sources: dict[str, deque[str]] = defaultdict(deque)
    for match in _TOKEN.finditer(original):
        sources[_safe(_label(match.group(), rel))].append(match.group())
    literal = _TOKEN.sub("", original)
    names = by_chinese(rel, allowed)
    fixed = {END_IF: "{% endif %}", ELSE: "{% else %}"}
    out: list[str] = []
    last = 0
    for match in _CHIP.finditer(edited):
        out.append(_plain(edited[last : match.start()]))
        label = match.group(1)
        if sources[label]:
            out.append(sources[label].popleft())
        elif label.strip() in names:
            out.append("{{ " + names[label.strip()] + " }}")
        elif label in fixed:
            out.append(fixed[label])
        elif match.group() in literal or label.isdigit():  # 〔2026〕 as typed text
            out.append(match.group())
        else:
            raise SentenceProblem(f"〔{label}〕不是可用的字段")
        last = match.end()
    out.append(_plain(edited[last:]))
    return "".join(out)


def syntax_message(text: str, exc: jinja2.TemplateSyntaxError) -> str:
    """A Jinja syntax error of the paragraph `text` in the clerk's words (never the parser's English)."""
    if text.count("{") != text.count("}"):
        return "花括号不成对"
    message = exc.message or ""
    if "looking for the following tags" in message or "Unexpected end of template" in message:
        return f"条件没有结束：〔仅当…时：〕之后缺少〔{END_IF}〕"
    if "unknown tag" in message:
        return f"〔{END_IF}〕或〔{ELSE}〕前面没有对应的条件"
    return "写法无法识别：请检查花括号 {{ }} 和 {% %} 中的内容"


def _plain(text: str) -> str:
    if "〔" in text or "〕" in text:
        raise SentenceProblem("〔〕不成对")
    return text


def with_edits(source: str, edits: dict[int, str], rel: str) -> str:
    """`source` with paragraph N's value replaced by `edits[N]` (Jinja text); nothing else changes."""
    by_number = {s.number: s for s in sentences(source, rel)}
    for number in sorted(edits, reverse=True):
        sentence = by_number[number]
        if edits[number] == sentence.text:
            continue
        old = source[sentence.start : sentence.end]
        source = source[: sentence.start] + _scalar(edits[number], old) + source[sentence.end :]
    return source


def _scalar(text: str, old: str) -> str:
    """`text` written as a YAML value in place of `old` (a ``>-`` block stays one when it can)."""
    indent = re.match(r"[>|][-+0-9]*[^\n]*\n( +)\S", old)
    one_line = text and text == text.strip() and not any(c in text for c in "\n\u0085\u2028\u2029")
    tail = old[len(old.rstrip()) :]  # a block's line break(s) before the next key
    if indent and one_line:
        return f">-\n{indent[1]}{text}{tail}"
    quoted = json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar, once
    return quoted.translate(_YAML_BREAKS) + tail  # the line breaks YAML folds (JSON leaves them raw) are escaped


_YAML_BREAKS = {ord(c): f"\\u{ord(c):04x}" for c in "\u0085\u2028\u2029"}
