"""Problems found in user input, located by file, sheet, cell or line, reported in Chinese.

Every reader collects *all* problems of an input before failing, so a clerk fixes a file once.
Format: ``名册.xlsx!学生名册!E17 身份证号: 号码有误（…）：请核对户口簿上的身份证号…（11010519491231002x）`` or
``通知.yaml:12 发文字号: …``.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, optionally a sheet and cell (Excel), a line (YAML/CSV) or a
    paragraph (a Word/WPS/text draft)."""

    file: str
    sheet: str | None = None
    cell: str | None = None
    line: int | None = None
    column: str | None = None  # the field or column label, e.g. "身份证号"
    paragraph: int | None = None  # a draft's paragraph (1-based, as Word counts them)

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f"!{self.sheet}"
        if self.cell:
            where += f"!{self.cell}"
        if self.line is not None:
            where += f":{self.line}"
        if self.paragraph is not None:
            where += f" 第 {self.paragraph} 段"
        return f"{where} {self.column}" if self.column else where


@dataclass(frozen=True)
class Problem:
    location: Location
    message: str
    value: str | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.value not in (None, ""):
            text += f"（{self.value}）"
        return text


class KongchuoError(Exception):
    """Base class of the errors the CLI reports without a traceback (exit code 2)."""


class InputError(KongchuoError):
    """One or more problems in user input."""

    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if p.severity == "error"]
        self.warnings = [p for p in problems if p.severity == "warning"]
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[InputError], tuple[list[Problem]]]:
        # Raised in a --jobs worker process, it must cross back whole.
        return (type(self), ([*self.problems, *self.warnings],))


class OutputExistsError(KongchuoError):
    """An output file exists and --force was not given."""


class EnvironmentProblem(KongchuoError):
    """Something the machine lacks (a font, a library, LibreOffice)."""


SHOWN_VALUE_CHARS = 80
"""A value quoted in a message is cut to this many characters (a 150 MB cell is not echoed)."""


def shown_value(value: object) -> str | None:
    """`value` as a message quotes it: its text, cut to `SHOWN_VALUE_CHARS` characters plus “…”."""
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= SHOWN_VALUE_CHARS else text[:SHOWN_VALUE_CHARS] + "…"


@dataclass
class Problems:
    """Collects problems while reading; `raise_if_errors` stops with all of them at once."""

    items: list[Problem] = field(default_factory=list)

    def error(self, location: Location, message: str, value: object = None) -> None:
        self.items.append(Problem(location, message, shown_value(value)))

    def warning(self, location: Location, message: str, value: object = None) -> None:
        self.items.append(Problem(location, message, shown_value(value), severity="warning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise InputError(self.items)


_OS_ERRORS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件夹只读，无法写入",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    getattr(errno, "EDQUOT", -1): "磁盘配额已满",
    errno.ENAMETOOLONG: "文件名或路径过长",
}


def os_error_message(exc: BaseException, *, with_file: bool = True) -> str | None:
    """A Chinese line for a file-system error the clerk can act on (disk full → 「磁盘空间不足」, a
    read-only folder, no permission…), naming the file when known and `with_file` (the web page never
    shows the server's paths); None for any other error. Looks
    through the exceptions `exc` was raised from, so a library's wrapped OSError is found too. The CLI's
    guard and the web page's job errors both use it."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and (reason := _OS_ERRORS.get(current.errno or 0)) is not None:
            return f"{reason}：{current.filename}" if current.filename and with_file else reason
        current = current.__cause__ or current.__context__
    return None
