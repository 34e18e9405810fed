"""The check of a file a unit uploads to a 报送 round: the same readers `compile` and `register merge`
run (`kinds.self_check.read_self_check`, `kinds.register_data.read_register`), so she gets the same
cell messages (file!sheet!cell) at once, and for a workbook or .csv with errors the marked copy to fix
(`writers.error_marks`: an .xls/.ods/.csv marked on an .xlsx copy of its values)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePath

from ..errors import InputError, Location, Problem, Problems
from ..kinds.register_data import read_register
from ..kinds.register_data import schema as register_schema
from ..kinds.self_check import inconsistencies, read_self_check
from ..readers.yaml_records import YAML_SUFFIXES
from ..writers.error_marks import mark_workbook
from .forms import FORM_INPUTS, FORM_SELF_CHECK


@dataclass(frozen=True)
class Checked:
    """What the check of an upload found: `problems` as rows (severity 错误|警告, where, column,
    message, value) and, for a workbook with errors, its marked copy."""

    problems: list[dict[str, str]]
    error_workbook: bytes | None = None

    @property
    def valid(self) -> bool:
        return not any(p["severity"] == "错误" for p in self.problems)

    @property
    def outcome(self) -> str:
        """The upload's outcome for the 操作日志: 通过, or 有错误 with the count (never what a cell holds)."""
        errors = sum(p["severity"] == "错误" for p in self.problems)
        return f"有错误（{errors} 处）" if errors else "通过"


def check_upload(form: str, unit: str, file_name: str, data: bytes) -> Checked:
    """Read `data` (the file she named `file_name`) as a round's `form` of `unit`: its problems with
    her file's name in every location, and the marked workbook when a workbook or .csv has errors."""
    accepted = FORM_INPUTS[form].suffixes
    suffix = PurePath(file_name).suffix.lower()
    if suffix not in accepted:
        message = f"文件类型应为 {'、'.join(accepted)}（{form}）"
        return Checked([_row(Problem(Location(file_name), message), file_name, "")])
    with tempfile.TemporaryDirectory(prefix="kongchuo-round-") as folder:
        path = Path(folder) / f"上传{suffix}"
        path.write_bytes(data)
        found = _read_self_check(path, unit) if form == FORM_SELF_CHECK else _read_register(path)
        marked = None
        if suffix not in YAML_SUFFIXES and any(p.severity == "error" for p in found):
            mark_workbook(path, found, path.with_name("错误标注.xlsx"), csv_sheet=register_schema().sheet)
            marked = path.with_name("错误标注.xlsx").read_bytes()
    ordered = sorted(found, key=lambda p: p.severity != "error")
    return Checked([_row(p, file_name, path.name) for p in ordered], marked)


def _read_self_check(path: Path, unit: str) -> list[Problem]:
    try:
        form = read_self_check(path)
    except InputError as exc:
        return exc.problems + exc.warnings
    found = [*form.warnings, *inconsistencies(form)]
    if unit not in form.unit:
        where = form.location("unit")
        found.append(Problem(where, f"表中的单位名称与报送单位“{unit}”不同，请核对", form.unit, severity="warning"))
    return found


def _read_register(path: Path) -> list[Problem]:
    problems = Problems()
    try:
        read_register(path, problems)
    except InputError as exc:
        return problems.items + exc.problems + exc.warnings
    return problems.items


def _row(p: Problem, file_name: str, read_as: str) -> dict[str, str]:
    """A problem as the page and the store keep it: where (her file's name), column, message, value."""
    where = replace(p.location, file=file_name, column=None)
    message = p.message.replace(read_as, file_name) if read_as else p.message
    return {"severity": "错误" if p.severity == "error" else "警告", "where": str(where),
            "column": p.location.column or "", "message": message, "value": p.value or ""}  # fmt: skip
