"""Default wording kept as data: YAML files in ``templates/`` whose strings are Jinja templates.

`load_wording("report", "self_check.yaml")` reads a file once; `render(text, **values)` fills one
string. Undefined names are an error (a template typo must not print an empty gap).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2
import yaml

from .resources import template_path

_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)


@cache
def load_wording(*parts: str) -> dict[str, Any]:
    """The YAML mapping at ``templates/<parts…>`` (cached; treat it as read-only)."""
    path = template_path(*parts)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: 模板顶层应为键值对")
    return data


@cache
def _compiled(text: str) -> jinja2.Template:
    return _ENV.from_string(text)


def render(template: str, /, **values: Any) -> str:
    """Fill the Jinja `template` with `values`; surrounding whitespace is stripped."""
    return _compiled(template).render(**values).strip()
