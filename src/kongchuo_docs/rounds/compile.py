"""A round's 汇总: the latest valid upload of every unit, each named by its unit (so the 工作总结's
报送情况 and the merged register's 报送单位 name the unit, not the file she uploaded), run through the
declared task — `compile` for 自查表, `register merge` for 问题线索登记表 — exactly as its command runs
it; and the 未报 list as a workbook."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path, PurePath

from openpyxl import Workbook
from openpyxl.styles import Font

from ..declare import Outcome, Run, Task
from ..declare.catalog import COMPILE, REGISTER_MERGE
from ..store.database import Store
from ..store.rounds import REPORTED, UnitState, counted_uploads
from ..store.tables import Round
from ..writers.xlsx_save import save_workbook
from .forms import FORM_SELF_CHECK

MISSING_HEADERS = ("序号", "单位", "状态", "上传次数", "最近上传时间", "上传人")
MISSING_WIDTHS = (8, 30, 10, 10, 20, 16)  # characters


def round_task(round_: Round) -> Task:
    """The declared task that compiles the round's form."""
    return COMPILE if round_.form == FORM_SELF_CHECK else REGISTER_MERGE


def round_files(store: Store, round_: Round) -> list[tuple[str, bytes]]:
    """(file name, bytes) of the upload that counts for each unit: the unit's name and the suffix of
    the file she sent (``凤山镇.xlsx``); units without a valid upload are left out."""
    return [(f"{u.unit}{PurePath(u.file_name).suffix.lower()}", u.data) for u in counted_uploads(store, round_)]


def compile_round(store: Store, round_: Round, output: Path, *, settings: Path | None, force: bool) -> Outcome:
    """The command line's 汇总 of a round into `output` (the page runs the same task in a job)."""
    from ..errors import KongchuoError
    from ..web.job_pages import stored_name
    from ..web.security import Upload

    task = round_task(round_)
    files = round_files(store, round_)
    if not files:
        raise KongchuoError(f"“{round_.name}”还没有单位报送有效的表格，无法汇总")
    with tempfile.TemporaryDirectory(prefix="kongchuo-round-") as folder:
        inbox = Path(folder) / "报送"
        inbox.mkdir()
        used: set[str] = set()
        paths = []
        for name, data in files:
            path = inbox / stored_name(Upload(name, PurePath(name).suffix, data), used)
            path.write_bytes(data)
            paths.append(path)
        source = task.inputs[0]
        run = Run({source.name: [inbox] if source.folder else paths}, task.read_values({}), output,
                  settings=settings, force=force)  # fmt: skip
        return task.run(run)


def write_missing_list(round_: Round, states: list[UnitState], target: Path) -> int:
    """The units of `round_` with no valid upload (未报, 有错误) as a workbook; returns how many."""
    missing = [s for s in states if s.state != REPORTED]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "未报单位"
    sheet.append([f"{round_.name}（{round_.form}，截止 {_day(round_.deadline)}）未报单位：{len(missing)} 个"])
    sheet.append(MISSING_HEADERS)
    for cell in (*sheet[1], *sheet[2]):
        cell.font = Font(bold=True)
    for n, s in enumerate(missing, start=1):
        latest = s.latest
        sheet.append([n, s.unit, s.state, s.uploads, latest.uploaded_at.strftime("%Y-%m-%d %H:%M") if latest else "",
                      latest.uploader if latest else ""])  # fmt: skip
    for column, width in zip("ABCDEF", MISSING_WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    save_workbook(workbook, target)
    return len(missing)


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
