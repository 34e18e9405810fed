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
import re
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from .. import console
from ..declare import TASKS as DECLARED
from ..declare import Run
from ..errors import InputError, KongchuoError, Problem
from ..files.output import MANIFEST_NAME
from .render import disk_message

if TYPE_CHECKING:
    from ..profile import Profile

PRELOAD = ["kongchuo_docs.web.tasks", "kongchuo_docs.kinds.letters", "kongchuo_docs.readers.roster"]
RESULT = "result.zip"
JOB_NICENESS = 10
_COMMAND_HINT = re.compile(r"[（(][^（）()]*kongchuo-docs[^（）()]*[）)]"  # （kongchuo-docs doctor 可检查）
                           r"|[，；]?\s*(?:详见|或运行|可运行|运行)\s*kongchuo-docs[^，。；）)]*")  # ，详见 …
_STORED = (".pdf", ".docx", ".xlsx", ".png")  # already compressed


def run_task(task: str, params: dict[str, Any], folder: str, names: dict[str, str]) -> None:
    """Process entry point: run `task` on the uploads in ``folder/in``, record the outcome."""
    root = Path(folder)
    with contextlib.suppress(OSError):
        os.nice(JOB_NICENESS)  # a long roster yields the CPU to the pages and previews people wait for
    captured = io.StringIO()
    console.err = Console(file=captured, highlight=False, soft_wrap=True, width=200)
    try:
        status = TASKS.get(task, _declared)(root, params, _Progress(root / "progress.json"))
    except InputError as exc:
        status = {"state": "failed", "problems": exc.problems + exc.warnings}
    except KongchuoError as exc:
        status = {"state": "failed", "message": page_words(rename(str(exc), names), params.get("task", ""))}
    except Exception as exc:  # the job reports it; the server and the other jobs go on
        message = disk_message(exc) or f"内部错误（{type(exc).__name__}），未写出任何文件。"
        status = {"state": "failed", "message": message}
    status["problems"] = problem_rows(status.get("problems", []), names, params.get("task", ""))
    status["cpu_seconds"] = round(time.process_time(), 3)  # this job's process (the benchmark's figure)
    status["log"] = page_words(rename(captured.getvalue(), names), params.get("task", "")).splitlines()
    write_json(root / "status.json", status)


def problem_rows(problems: list[Problem], names: dict[str, str], task: str = "") -> list[dict[str, Any]]:
    """Problems as table rows, errors first, each file shown by the name it was uploaded with; a
    problem about what a field of the task's page gives (成文日期) names that field."""
    fields = {o.label: o.name for o in DECLARED[task].options} if task in DECLARED else {}
    rows = []
    for p in sorted(problems, key=lambda p: p.severity != "error"):
        loc = p.location
        rows.append({
            "field": fields.get(loc.column or "", ""),
            "severity": "错误" if p.severity == "error" else "警告",
            "file": names.get(Path(loc.file).name, Path(loc.file).name),
            "sheet": loc.sheet or "",
            "cell": loc.cell or (f"第{loc.line}行" if loc.line is not None else
                                 f"第{loc.paragraph}段" if loc.paragraph is not None else ""),
            "column": loc.column or "",
            "message": page_words(rename(p.message, names), task),
            "value": p.value or "",
        })  # fmt: skip
    return rows


def rename(text: str, names: dict[str, str]) -> str:
    for stored, shown in names.items():
        if stored != shown:
            text = text.replace(stored, shown)
    return text


def page_words(text: str, task: str) -> str:
    """`text` as the page says it: a declared task's ``--flag`` named by its field on the page, and
    no command to run (a clerk at the page has none: 'kongchuo-docs doctor' and the like are cut)."""
    text = DECLARED[task].door_words(text) if task in DECLARED else text
    return _COMMAND_HINT.sub("", text)


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
    its environment may be older than the server's). The page refused the job then
    (`tables.read_task_form`), unless the file went away since."""
    from .store_access import NO_PROFILE

    if not params.get("profile"):
        raise KongchuoError(NO_PROFILE)
    return Path(params["profile"])


def job_profile(params: dict[str, Any]) -> Profile:
    """The 单位设置 the job works with, read in the job's process (`InputError` when it has errors)."""
    from ..profile import load_profile

    profile = load_profile(_profile(params))
    assert profile is not None  # a file named is read, or its problems raised
    return profile


def _check_roster(root: Path, params: dict[str, Any], progress: _Progress) -> dict[str, Any]:
    """Validate a roster only (`letters_check`): its problems, its valid rows, the marked error
    workbook, and once it passes the warnings and the first letter's page."""
    from .letters_check import check_roster

    template = root / "in" / "template"
    return check_roster(root, next((root / "in" / "roster").iterdir()),
                        next(template.iterdir()) if template.is_dir() else None, params, job_profile(params))


def _declared(root: Path, params: dict[str, Any], progress: _Progress) -> dict[str, Any]:
    """A declared task (`declare`): its inputs from ``in/<input>/``, its options read from the form's
    text exactly as the command line reads them."""
    task = DECLARED[params["task"]]
    inputs = {}
    for i in task.inputs:
        folder = root / "in" / i.name
        inputs[i.name] = [folder] if i.folder and folder.is_dir() else sorted(folder.glob("*"))
    values = task.read_values(params["values"])
    # an account's scope needs the 单位设置 (a 乡镇's 学校) even where the task does not
    settings = _profile(params) if task.needs_profile or params.get("scope") else None
    from .identity import job_scope

    scope = job_scope(params, job_profile(params)) if params.get("scope") else None
    outcome = task.run(Run(inputs, values, root / "out", settings=settings, progress=progress, scope=scope))
    status = _finish(root, outcome.written, params)
    status["problems"] = outcome.warnings
    status["lines"] = outcome.lines
    return status


def _finish(root: Path, written: list[str], params: dict[str, Any]) -> dict[str, Any]:
    """Zip ``out/`` into the download: what she asked for, no zip inside the zip (a zip the task
    wrote, such as the per-child letters, becomes a folder of its files), manifest.json only when
    she asked for it."""
    out = root / "out"
    with zipfile.ZipFile(root / RESULT, "w") as zf:
        for path in sorted(p for p in out.rglob("*") if p.is_file()):
            rel = path.relative_to(out).as_posix()
            if rel == MANIFEST_NAME and not params.get("manifest"):
                continue
            if path.suffix.lower() == ".zip":
                folder = rel.removesuffix(path.suffix)
                with zipfile.ZipFile(path) as inner:
                    for info in inner.infolist():
                        if not info.is_dir():
                            zf.writestr(f"{folder}/{info.filename}", inner.read(info), compress_type=info.compress_type)
                continue
            method = zipfile.ZIP_STORED if path.suffix.lower() in _STORED else zipfile.ZIP_DEFLATED
            zf.write(path, rel, compress_type=method)
    return {"state": "done", "files": [f for f in written if f != MANIFEST_NAME], "result": RESULT}


TASKS: dict[str, Callable[[Path, dict[str, Any], _Progress], dict[str, Any]]] = {
    "check-roster": _check_roster,
}


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write atomically, so a reader never sees half a file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    tmp.replace(path)
