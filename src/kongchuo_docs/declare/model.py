"""What a task is, said once: its input files (with the blank form of each), its options (Chinese
label, type, default, choices, help) and what it writes. The command line (`cli/declared.py`) and
the web page (`web/tables.py`) are both made from these, so an option cannot exist at one door and
not at the other.

An option's value arrives as text (a command-line word or a form field) and is read by `Option.read`
at both doors, so a date typed either way is understood the same and refused with the same words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import KongchuoError, Problem
from ..model.limits import cell_problem

if TYPE_CHECKING:
    from ..profile.scope import RowScope

OptionKind = Literal["text", "date", "choice", "choices", "flag", "switch", "repeat"]
TODAY = "今天"  # an option's default that means the day of the run


class OptionError(KongchuoError):
    """A value an option cannot take; each door names the option its own way."""

    def __init__(self, option: Option, message: str, value: str):
        super().__init__(message)
        self.option = option
        self.message = message
        self.value = value


@dataclass(frozen=True)
class InputFile:
    """A file the task reads. `flag` None: the command's argument (required); else an optional
    file given with that option (``--units``) and an optional upload on the page."""

    name: str  # parameter and form field name
    label: str  # 页面上的名称
    help: str  # 命令行帮助
    suffixes: tuple[str, ...]
    blank_form: str | None = None  # the workbook `forms` writes for it (空白表格)
    multiple: bool = False
    folder: bool = False  # the command takes a folder of them; the page takes several files
    flag: str | None = None

    @property
    def required(self) -> bool:
        return self.flag is None


@dataclass(frozen=True)
class Option:
    """An option: ``--flag`` at the command line, the field `name` labelled `label` on the page."""

    name: str
    flag: str
    label: str
    help: str
    kind: OptionKind = "text"
    default: str | None = None  # as typed (None: not given, the task decides; TODAY: the day of the run)
    choices: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()  # other spellings the command line accepts (half-up → 四舍五入)
    off_flag: str = ""  # a switch's "no" at the command line (--duplex/--simplex); its choices say yes, no
    # how the task itself reads the text (a KongchuoError for a value it refuses), in place of the
    # choices' own check: the words and spellings the task has always taken (--pdfa PDF/A-2b)
    check: Callable[[Any], Any] | None = None

    def read(self, raw: str | bool | list[str] | tuple[str, ...] | None) -> Any:
        """The value of the option from its text (None or "" when not given). A ``repeat`` option
        (``--set 键=值``, given again for each) comes as the list of its words, or one per line."""
        if self.kind == "repeat":
            items = raw.splitlines() if isinstance(raw, str) else list(raw or ())
            return self._checked(tuple(t.strip() for t in items if t.strip()))
        if self.kind == "flag":
            return bool(raw) if raw is not None else bool(self.default)
        if self.kind == "switch":  # True, False, or None: not given (the settings decide)
            if isinstance(raw, bool) or raw is None:
                return raw
            yes, no = self.choices
            if raw.strip() in ("", "按单位设置"):
                return None
            if raw.strip() not in (yes, no):
                raise OptionError(self, f"应为 {yes} 或 {no}", raw)
            return raw.strip() == yes
        text = (raw or "").strip() if isinstance(raw, str) else raw
        if text in (None, ""):
            if self.default is None:
                return None
            return dt.date.today() if self.default == TODAY else self.read(self.default)
        if isinstance(text, str) and (too_long := cell_problem(text, short=True)):  # a name, 文号, date, choice
            raise OptionError(self, too_long, f"{text[:10]}…")
        if self.kind == "date":
            from ..support.normalize import NormalizeError, parse_date

            try:
                return parse_date(text)
            except NormalizeError as exc:
                raise OptionError(self, str(exc), str(text)) from None
        text = dict(self.aliases).get(str(text).lower(), text)
        if self.check is not None:
            return self._checked(text)
        if self.kind == "choice" and text not in self.choices:
            raise OptionError(self, f"应为 {'、'.join(self.choices)} 之一", str(text))
        if self.kind == "choices":
            items = tuple(dict.fromkeys(t.strip().lower() for t in str(text).split(",") if t.strip()))
            unknown = [t for t in items if t not in self.choices]
            if unknown or not items:
                raise OptionError(self, f"可选 {'、'.join(self.choices)}，用逗号分隔", str(text))
            return items
        return text

    def _checked(self, value: Any) -> Any:
        if self.check is None:
            return value
        try:
            return self.check(value)
        except KongchuoError as exc:
            shown = "、".join(value) if isinstance(value, tuple) else str(value)
            raise OptionError(self, str(exc), shown) from None

    @property
    def shown_default(self) -> str:
        """The default as the help and the page show it ("" when there is none)."""
        return "" if self.default is None or self.kind == "flag" else self.default


@dataclass
class Run:
    """One run of a task, whichever door started it: input files by name (a folder input as its
    one folder), option values as `Option.read` gave them, where to write."""

    inputs: dict[str, list[Path]]
    values: dict[str, Any]
    output: Path
    settings: Path | None = None
    force: bool = False
    progress: Callable[[str, int, int], None] | None = None
    jobs: int = 1  # processes, where the task has `parallel`
    scope: RowScope | None = None  # only these units' rows (a 学校's or 乡镇's account at the page); None: all

    def file(self, name: str) -> Path | None:
        files = self.inputs.get(name) or []
        return files[0] if files else None


@dataclass
class Outcome:
    """What a run wrote (paths relative to `outdir`), its warnings and its report lines."""

    written: list[str]
    outdir: Path
    warnings: list[Problem] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Task:
    """One task: the command ``kongchuo-docs <command…>`` and the page ``/batch/<name>``."""

    name: str
    command: tuple[str, ...]
    title: str  # the page's heading and the download's name
    nav: str  # its short name in the page's navigation
    help: str  # the command's help (first line: what it makes)
    inputs: tuple[InputFile, ...]
    options: tuple[Option, ...]
    outputs: str  # what it writes, in words
    run: Callable[[Run], Outcome]
    output_help: str = "输出文件夹。"
    output_required: bool = False  # no default folder (register merge: a folder or a .xlsx name)
    page: str = ""  # a page of its own (default ``/batch/<name>``)
    parallel: bool = False  # the command line also takes --jobs (processes of this computer; the server has its own)
    needs_profile: bool = True  # reads the 单位设置 (register build does not)

    @property
    def url(self) -> str:
        return self.page or f"/batch/{self.name}"

    def option(self, name: str) -> Option:
        return next(o for o in self.options if o.name == name)

    def read_values(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Every option's value from `raw` (name → text or bool); raises the first `OptionError`."""
        return {o.name: o.read(raw.get(o.name)) for o in self.options}

    def read_all(self, raw: dict[str, Any]) -> tuple[dict[str, Any], list[OptionError]]:
        """As `read_values`, but every refused value is returned, not raised (the page lists them all)."""
        values, errors = {}, []
        for o in self.options:
            try:
                values[o.name] = o.read(raw.get(o.name))
            except OptionError as exc:
                errors.append(exc)
        return values, errors

    def door_words(self, text: str) -> str:
        """`text` with each ``--flag`` the task's messages name replaced by the page's field label."""
        for o in sorted(self.options, key=lambda o: -len(o.flag)):
            text = text.replace(f"用 {o.flag}", f"填写页面上的“{o.label}”").replace(o.flag, f"“{o.label}”")
        for i in self.inputs:
            if i.flag:
                text = text.replace(i.flag, f"“{i.label}”")
        return text
