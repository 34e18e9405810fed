"""What a job process runs: the same kind functions as the CLI, into the job's ``out/`` folder,
then the outputs (with their manifest.json) zipped as ``result.zip``.

The outcome goes to ``status.json``: ``state`` (done or failed), the problems located by file,
sheet, cell or line with the names the user uploaded, the warnings, and the files written. Nothing
the worker prints reaches the server's log (messages may quote a child's ID number): the console
is captured and its lines are shown on the user's own page only.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import time
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console

from .. import console
from ..errors import InputError, KongchuoError, Problem

PRELOAD = ["kongchuo_docs.web.tasks", "kongchuo_docs.kinds.letters", "kongchuo_docs.readers.roster"]
RESULT = "result.zip"
JOB_NICENESS = 10
NO_PROFILE = "找不到单位设置（单位设置.yaml）：请先在“单位设置”页填写并保存，或运行 kongchuo-docs init。"
ERROR_WORKBOOK = "名册错误标注.xlsx"
_STORED = (".pdf", ".docx", ".xlsx", ".zip", ".png")  # already compressed


def run_task(task: str, params: dict[str, Any], folder: str, names: dict[str, str]) -> None:
    """Process entry point: run `task` on the uploads in ``folder/in``, record the outcome."""
    root = Path(folder)
    with contextlib.suppress(OSError):
        os.nice(JOB_NICENESS)  # a long roster yields the CPU to the pages and previews people wait for
    captured = io.StringIO()
    console.err = Console(file=captured, highlight=False, soft_wrap=True, width=200)
    try:
        status = TASKS[task](root, params, _Progress(root / "progress.json"))
    except InputError as exc:
        status = {"state": "failed", "problems": exc.problems + exc.warnings}
    except KongchuoError as exc:
        status = {"state": "failed", "message": rename(str(exc), names)}
    except Exception as exc:  # the job reports it; the server and the other jobs go on
        status = {"state": "failed", "message": f"内部错误（{type(exc).__name__}），未写出任何文件。"}
    status["problems"] = problem_rows(status.get("problems", []), names)
    status["cpu_seconds"] = round(time.process_time(), 3)  # this job's process (the benchmark's figure)
    status["log"] = rename(captured.getvalue(), names).splitlines()
    write_json(root / "status.json", status)


def problem_rows(problems: list[Problem], names: dict[str, str]) -> list[dict[str, Any]]:
    """Problems as table rows, errors first, each file shown by the name it was uploaded with."""
    rows = []
    for p in sorted(problems, key=lambda p: p.severity != "error"):
        loc = p.location
        rows.append({
            "severity": "错误" if p.severity == "error" else "警告",
            "file": names.get(Path(loc.file).name, Path(loc.file).name),
            "sheet": loc.sheet or "",
            "cell": loc.cell or (f"第{loc.line}行" if loc.line is not None else ""),
            "column": loc.column or "",
            "message": rename(p.message, names),
            "value": p.value or "",
        })  # fmt: skip
    return rows


def rename(text: str, names: dict[str, str]) -> str:
    for stored, shown in names.items():
        text = text.replace(stored, shown)
    return text


class _Progress:
    """Letters written per output file, written to ``progress.json`` for the page to poll."""

    def __init__(self, path: Path):
        self.path = path
        self.files: dict[str, list[int]] = {}

    def __call__(self, title: str, done: int, total: int) -> None:
        counts = self.files.setdefault(title, [0, 0])
        if done == 0:
            counts[1] += total
        counts[0] += done
        write_json(self.path, {"files": self.files})


def _profile(params: dict[str, Any]) -> Path:
    """The 单位设置 the server uses; "" when the server found none (this process does not look again:
    its environment may be older than the server's)."""
    if not params.get("profile"):
        raise KongchuoError(NO_PROFILE)
    return Path(params["profile"])


def _inputs(root: Path) -> list[Path]:
    return sorted((root / "in").iterdir())


def _letters(root: Path, params: dict[str, Any], progress: _Progress) -> dict[str, Any]:
    from ..kinds.letters import build_letters_files

    written = build_letters_files(_inputs(root)[0], root / "out", kind=params["kind"], settings_file=_profile(params),
                                  per_record=bool(params.get("per_record")), on_progress=progress)  # fmt: skip
    return _finish(root, written)


def _check_roster(root: Path, params: dict[str, Any], progress: _Progress) -> dict[str, Any]:
    """Validate a roster only: its problems, its valid rows, and the marked error workbook."""
    from ..kinds.letters import checked_roster, count_spilled, spilled_message
    from ..output import OutputSet
    from ..profile import load_profile
    from ..writers.error_workbook import write_error_workbook

    profile = load_profile(_profile(params))
    assert profile is not None
    settings, roster = checked_roster(_inputs(root)[0], profile, params["kind"])
    status: dict[str, Any] = {"state": "done", "rows": len(roster.students), "invalid": len(roster.invalid_rows)}
    if not roster.problems.errors and roster.students:  # told before 生成: slips that go to the next side
        status["spilled"] = count_spilled(settings, roster, params["kind"])
        status["spilled_message"] = spilled_message(status["spilled"], params["kind"], settings)
    if roster.problems.errors:
        with OutputSet(root / "out") as out:
            write_error_workbook(roster.table, out.reserve(ERROR_WORKBOOK))
        status["error_workbook"] = ERROR_WORKBOOK
    status["problems"] = roster.problems.items
    return status


def _agreements(root: Path, params: dict[str, Any], progress: _Progress) -> dict[str, Any]:
    from ..kinds.agreement import build_agreement_files

    written, warnings = build_agreement_files(_inputs(root)[0], root / "out", settings=_profile(params))
    console.problems(warnings)
    return _finish(root, written)


def _self_check(root: Path, params: dict[str, Any], progress: _Progress) -> dict[str, Any]:
    from ..kinds.self_check import build_self_check_files

    written, found = build_self_check_files(_inputs(root), root / "out", settings=_profile(params))
    console.problems(found)
    return _finish(root, written)


def _rectification(root: Path, params: dict[str, Any], progress: _Progress) -> dict[str, Any]:
    from ..kinds.rectification import build_rectification_files

    written, warnings = build_rectification_files(_inputs(root)[0], root / "out", settings=_profile(params))
    console.problems(warnings)
    return _finish(root, written)


def _compile(root: Path, params: dict[str, Any], progress: _Progress) -> dict[str, Any]:
    from ..kinds.summary import build_summary_files, outcome_lines

    written, comp = build_summary_files(root / "in", root / "out", settings=_profile(params))
    for line in outcome_lines(comp):
        console.info(line)
    return _finish(root, written)


def _register_build(root: Path, params: dict[str, Any], progress: _Progress) -> dict[str, Any]:
    from ..kinds.register import build_register_files

    return _finish(root, build_register_files(_inputs(root)[0], root / "out"))


def _register_merge(root: Path, params: dict[str, Any], progress: _Progress) -> dict[str, Any]:
    from ..kinds.register import merge_register_files, summary_lines

    written, merged, warnings = merge_register_files(_inputs(root), root / "out", as_of=date.today(),
                                                     settings=_profile(params))
    console.problems(warnings)
    for line in summary_lines(merged):
        console.info(line)
    return _finish(root, written)


def _finish(root: Path, written: list[str]) -> dict[str, Any]:
    """Zip ``out/`` (outputs and manifest.json) into the download."""
    out = root / "out"
    with zipfile.ZipFile(root / RESULT, "w") as zf:
        for path in sorted(p for p in out.rglob("*") if p.is_file()):
            method = zipfile.ZIP_STORED if path.suffix.lower() in _STORED else zipfile.ZIP_DEFLATED
            zf.write(path, path.relative_to(out).as_posix(), compress_type=method)
    return {"state": "done", "files": written, "result": RESULT}


TASKS: dict[str, Callable[[Path, dict[str, Any], _Progress], dict[str, Any]]] = {
    "letters": _letters,
    "check-roster": _check_roster,
    "agreements": _agreements,
    "self-check": _self_check,
    "rectification": _rectification,
    "compile": _compile,
    "register-build": _register_build,
    "register-merge": _register_merge,
}


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write atomically, so a reader never sees half a file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    tmp.replace(path)
