"""Wording kept as data: YAML files whose strings are Jinja templates, bundled in ``templates/`` and
optionally overridden by a user's folder of edited copies (``templates export``, ``--templates``).

`load_wording("report", "self_check.yaml")` reads a file once — from the user's folder when it has
that file, else the bundled default — and every string in it remembers its file and line, so
`render(text, **values)` (run in the project's sandbox) reports a bad template at ``file:line``.
`use_templates(folder)` checks every file of the folder before anything is read or written: YAML,
unknown keys, sandbox rules, and each field's variables against the ones documented for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import yaml

from ..errors import InputError, Location, Problem, Problems
from ..files.resources import template_path
from ..support.yaml_load import BoundedLoader, yaml_problem
from ..wording.sentences import chinese, paragraph_numbers, syntax_message
from . import sandbox

WORDING_FILES: dict[str, str] = {
    "letters/enrolment.yaml": "入学通知书",
    "letters/return.yaml": "劝返复学通知书",
    "letters/order.yaml": "责令限期复学通知书",
    "agreement/bureau-school.yaml": "目标责任书（教育局—学校）",
    "agreement/township-village.yaml": "目标责任书（乡镇—村）",
    "agreement/school-teacher.yaml": "目标责任书（学校—班主任）",
    "agreement/school-subject-teacher.yaml": "目标责任书（学校—任课教师）",
    "report/self_check.yaml": "自查报告",
    "rectification/notice.yaml": "整改通知",
    "summary/summary.yaml": "工作总结",
}
"""Every wording file a user may export and edit (path under ``templates/``) → what it words."""

TEMPLATES_ENV = "KONGCHUO_DOCS_TEMPLATES"
"""Environment variable holding the user's wording folder, so --jobs worker processes see it too."""
TEMPLATES_BY_ENV = "KONGCHUO_DOCS_TEMPLATES_BY"
"""Who chose that folder: ``cli`` (``--templates``, wins) or ``profile`` (its 模板目录)."""

_ENV = sandbox.environment(autoescape=False)


class WordingText(str):
    """A string read from a wording file that knows where it came from (file name, line, key path)."""

    source: str = ""
    line: int | None = None
    field: str = ""
    paragraph: int | None = None  # 第 N 段 (`wording.sentences`), None for a layout key outside any

    def where(self) -> Location:
        """This string's place: file:line, and its 第 N 段 (a block's condition: 第 N 段 条件)."""
        if self.paragraph is None:
            return Location(self.source or "模板", line=self.line, column=self.field or None)
        condition = "条件" if self.field.endswith(".if") else None
        return Location(self.source or "模板", line=self.line, paragraph=self.paragraph, column=condition)


class _Loader(BoundedLoader):
    """The bounded SafeLoader whose strings are `WordingText` carrying their line."""


def _located_str(loader: _Loader, node: yaml.ScalarNode) -> WordingText:
    text = WordingText(loader.construct_scalar(node))
    text.line = node.start_mark.line + 1
    return text


_Loader.add_constructor("tag:yaml.org,2002:str", _located_str)


def use_templates(folder: Path | None, *, by: str = "cli") -> None:
    """Read wording from `folder` (edited copies; a missing file falls back to the default) from now on;
    None: the bundled wording again. `by` records who chose it: ``cli`` (``--templates``) or ``profile``.

    Every wording file in the folder is checked first; problems raise `InputError` at file:line."""
    import os

    if folder is None:
        os.environ.pop(TEMPLATES_ENV, None)
        os.environ.pop(TEMPLATES_BY_ENV, None)
        return
    folder = Path(folder).resolve()
    if not folder.is_dir():
        raise InputError([Problem(Location(str(folder)), "模板目录不存在")])
    check_folder(folder)
    os.environ[TEMPLATES_ENV] = str(folder)
    os.environ[TEMPLATES_BY_ENV] = by


def use_profile_templates(folder: Path | None) -> None:
    """The profile's 模板目录 (`Profile.templates_path`; None: the bundled wording), unless ``--templates``
    named a folder (the command line wins). A later profile replaces an earlier one's folder (a
    long-running server reads the profile again after it is edited)."""
    import os

    if os.environ.get(TEMPLATES_ENV) and os.environ.get(TEMPLATES_BY_ENV, "cli") == "cli":
        return
    use_templates(folder, by="profile")


def user_folder() -> Path | None:
    """The folder given to `use_templates` (in this process or the parent), if any."""
    import os

    value = os.environ.get(TEMPLATES_ENV)
    return Path(value) if value else None


def wording_path(*parts: str) -> Path:
    """The file to read for ``templates/<parts…>``: the user's copy when there is one."""
    folder = user_folder()
    if folder is not None:
        candidate = folder.joinpath(*parts)
        if candidate.is_file():
            return candidate
    return template_path(*parts)


def load_wording(*parts: str) -> dict[str, Any]:
    """The YAML mapping of ``templates/<parts…>`` (user copy or default; cached; treat it as read-only)."""
    path = wording_path(*parts)
    return _load(path, str(path) if path != template_path(*parts) else "/".join(parts), letters=parts[0] == "letters")


def _load(path: Path, rel: str, *, letters: bool = False) -> dict[str, Any]:
    """The file at `path` named `rel` in messages; re-read when it changes (a long-running server).
    A symbolic link is refused unread (a wording file linked to a secret would echo its lines).
    `letters`: a letter kind's wording, whose roster headers used as names (``{{ 入读学校 }}``, an
    ``if: 户籍所在村(社区)``) are read as their merge field names (学校, 村), as Word templates' are."""
    if path.is_symlink():
        raise InputError([Problem(Location(rel), "模板文件是符号链接，拒绝读取（请放入文件本身）")])
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = 0
    return _load_once(path, rel, stamp, letters)


@cache
def _load_once(path: Path, rel: str, stamp: int, letters: bool) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_Loader)
    except OSError as exc:
        raise InputError([Problem(Location(rel), f"模板文件无法读取：{exc.strerror}")]) from None
    except UnicodeDecodeError:
        raise InputError([Problem(Location(rel), "模板文件不是 UTF-8 编码")]) from None
    except yaml.YAMLError as exc:
        raise InputError([yaml_problem(exc, rel)]) from None
    if not isinstance(data, dict):
        raise InputError([Problem(Location(rel), "模板顶层应为键值对")])
    if letters:
        data = _with_field_names(data)
    numbers = paragraph_numbers(text, rel)
    for key_path, value in located_strings(data):
        value.source, value.field, value.paragraph = rel, key_path, numbers.get(key_path)
    return data


def _with_field_names(value: Any, key: str = "") -> Any:
    """A letter wording tree with the roster headers its Jinja uses as names read as their merge
    field names (`letters.fields.with_field_names`; a block's ``if:`` is an expression), lines kept."""
    from ..letters.fields import field_names_in, with_field_names

    if isinstance(value, dict):
        return {k: _with_field_names(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_field_names(item, key) for item in value]
    if isinstance(value, WordingText):
        text = WordingText(field_names_in(value) if key == "if" else with_field_names(value))
        text.line = value.line
        return text
    return value


def located_strings(value: Any, path: str = "") -> Iterator[tuple[str, WordingText]]:
    """Every string value of a YAML tree with its key path (``duties[2].text``)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from located_strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from located_strings(item, f"{path}[{i}]")
    elif isinstance(value, WordingText):
        yield path, value


@cache
def _compiled(text: str) -> jinja2.Template:
    return _ENV.from_string(text)


def render(template: str, /, **values: Any) -> str:
    """Fill the Jinja `template` with `values` in the sandbox; surrounding whitespace is stripped."""
    where = template.where() if isinstance(template, WordingText) else Location("模板")
    try:
        compiled = _compiled(str(template))
    except jinja2.TemplateSyntaxError as exc:
        raise InputError([Problem(where, syntax_message(str(template), exc))]) from None
    field = f"第 {where.paragraph} 段" if where.paragraph is not None else where.column
    return sandbox.render(compiled, values, where=where.file, line=where.line, field=field).strip()


# -- checking a user's folder


def variables(text: str) -> set[str]:
    """The names a Jinja text reads (raises TemplateSyntaxError, sandbox rules included)."""
    return jinja2.meta.find_undeclared_variables(_ENV.parse(text))


def documented_variables(rel: str) -> dict[str, set[str]]:
    """Field key path → the variables it may use, from the bundled default of `rel`; key ``*`` holds the
    variables any field of the file may use (letters: every merge field and setting)."""
    from ..letters.fields import FIELD_NAMES
    from .letter_settings import setting_keys

    bundled = _load(template_path(rel), rel)
    documented: dict[str, set[str]] = {"*": set()}
    for key_path, text in located_strings(bundled):
        documented[key_path] = variables(text)
    if rel.startswith("letters/"):
        documented["*"] = set(FIELD_NAMES) | set(setting_keys())
    elif rel.startswith("agreement/"):
        documented["*"] = set().union(*(documented[k] for k in documented)) | set(bundled.get("params") or {})
    return documented


def allowed_variables(documented: dict[str, set[str]], key_path: str) -> set[str]:
    """The variables the field `key_path` may use (`documented_variables`), without the sandbox's globals."""
    return documented.get(key_path, set()) | documented["*"]


def check_folder(folder: Path) -> None:
    """Check every known wording file in `folder`; all problems at once, each at file:line.

    The check (which renders every field once on sample values) runs in a worker process with CPU,
    memory and wall limits (`limited.run_limited`), so a template built to exhaust the machine stops
    there with a located message, whoever calls this (``--templates``, the 模板 page's 保存 and 预览)."""
    from .limited import run_limited

    run_limited("kongchuo_docs.wording.files:check_folder_here", Path(folder), what="模板检查")


def check_folder_here(folder: Path) -> None:
    """`check_folder` in this process (the worker's part)."""
    from .limited import progress

    problems = Problems()
    for rel in WORDING_FILES:
        path = folder / rel
        if not path.is_file():
            continue
        try:
            user = _load(path, str(path), letters=rel.startswith("letters/"))
        except InputError as exc:
            problems.items += exc.problems
            continue
        found_before = len(problems.items)
        bundled = _load(template_path(rel), rel)
        _check_keys(user, bundled, str(path), "", problems)
        documented = documented_variables(rel)
        for key_path, text in located_strings(user):
            where = text.where()
            try:
                used = variables(text)
            except jinja2.TemplateSyntaxError as exc:
                forbidden = isinstance(exc, sandbox.ForbiddenSyntaxError)
                problems.error(where, exc.message if forbidden else syntax_message(str(text), exc))
                continue
            allowed = allowed_variables(documented, key_path)
            for name in sorted(used - allowed - set(_ENV.globals)):
                shown = "".join(f"〔{chinese(n, rel)}〕" for n in sorted(allowed)) or "无"
                problems.error(where, f"〔{chinese(name, rel)}〕不是可用的字段（此处可用：{shown}）")
            if used <= allowed | set(_ENV.globals):
                progress(where)
                try:
                    field = where.column if where.paragraph is None else f"第 {where.paragraph} 段"
                    names = allowed | set(_ENV.globals)
                    sandbox.trial_render(_compiled(str(text)), names, where=str(path), field=field)
                except InputError as exc:
                    problems.items += [Problem(where, p.message) for p in exc.problems]
        if rel.startswith("letters/") and len(problems.items) == found_before:  # its strings are sound
            from ..letters.spec_model import spec_problems

            problems.items += spec_problems(user, str(path))
    problems.raise_if_errors()


def _check_keys(user: Any, bundled: Any, rel: str, path: str, problems: Problems) -> None:
    """Keys of `user` mappings that the bundled file does not have at the same place."""
    if isinstance(user, dict) and isinstance(bundled, dict):
        for key, value in user.items():
            here = f"{path}.{key}" if path else str(key)
            if key not in bundled:
                problems.error(Location(rel, line=getattr(key, "line", None), column=here),
                               f"未知的键（可用：{'、'.join(map(str, bundled))}）")  # fmt: skip
            else:
                _check_keys(value, bundled[key], rel, here, problems)
    elif isinstance(user, list) and isinstance(bundled, list) and bundled and all(isinstance(i, dict) for i in bundled):
        merged: dict[str, Any] = {}
        for item in bundled:
            merged.update(item)
        for i, item in enumerate(user):
            _check_keys(item, merged, rel, f"{path}[{i}]", problems)


def export_templates(folder: Path, *, force: bool = False) -> list[str]:
    """``templates export``: every wording file into `folder` (same relative paths, all or nothing,
    listed in the manifest), each field preceded by a comment naming the variables it may use."""
    from ..files.output import OutputSet

    with OutputSet(folder, force=force) as out:
        for rel, label in WORDING_FILES.items():
            out.reserve(rel).write_text(annotated(rel, label), encoding="utf-8")
            out.record(rel, kind="templates", title=label)
    return out.written


def annotated(rel: str, label: str) -> str:
    """The bundled wording file `rel` with a header and a ``# 可用变量：…`` comment above every field."""
    source = template_path(rel)
    documented = documented_variables(rel)
    line_vars: dict[int, set[str]] = {}
    for key_path, text in located_strings(_load(source, rel)):
        if text.line is not None and not key_path.endswith((".type", ".placement")):  # layout choices, not wording
            line_vars.setdefault(text.line, set()).update(documented.get(key_path, set()))
    out = [
        f"# {label}的措辞（kongchuo-docs templates export 导出）。修改后这样使用：",
        "#   kongchuo-docs --templates 本文件夹 <命令> …   （或在单位设置中填写“模板目录”）",
        "# 每个字段上方的注释列出它可用的变量（写作 {{ 变量 }}）；用了未列出的变量，生成前就会报错并指出行号。",
        "# 删掉的文件用内置默认措辞。",
    ]
    if documented["*"]:
        out.append(f"# 本文件的每个字段还可用：{'、'.join(sorted(documented['*']))}")
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        names = line_vars.get(number)
        if names is not None:
            indent = " " * (len(line) - len(line.lstrip(" -")))
            listed = "、".join(sorted(names - documented["*"]))
            if documented["*"]:
                listed = "文件开头所列的全部变量" + (f"，以及 {listed}" if listed else "")
            out.append(f"{indent}# 可用变量：{listed or '无（纯文字，不填变量）'}")
        out.append(line)
    return "\n".join(out) + "\n"
