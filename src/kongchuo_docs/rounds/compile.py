"""A round's 汇总: the latest valid upload of every unit, each named by its unit (so the 工作总结's
报送情况 and the merged register's 报送单位 name the unit, not the file she uploaded), run through the
declared task — `compile` for 自查表, `register merge` for 问题线索登记表 — exactly as its command runs
it; and the 未报 list as a workbook."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

import yaml
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from ..declare import Outcome, Run, Task
from ..declare.catalog import COMPILE, REGISTER_MERGE
from ..store.database import Store
from ..store.rounds import HAS_ERRORS, REPORTED, UnitState, counted_uploads, get_upload, unit_states
from ..store.tables import Round
from ..writers.xlsx_save import save_workbook
from .deadline import TIME_FORMAT
from .forms import FORM_SELF_CHECK

if TYPE_CHECKING:
    from ..profile import Profile

STATE_HEADERS = ("序号", "单位", "状态", "上传次数", "最近上传时间", "逾期", "上传人")
STATE_WIDTHS = (8, 30, 10, 10, 20, 28, 16)  # characters
UNITS_FILE = "报送单位.yaml"


def round_task(round_: Round) -> Task:
    """The declared task that compiles the round's form."""
    return COMPILE if round_.form == FORM_SELF_CHECK else REGISTER_MERGE


def round_inputs(store: Store, round_: Round, profile: Profile) -> dict[str, list[tuple[str, bytes]]]:
    """The round's task inputs as (file name, bytes) by input name: the upload that counts for each
    unit, named by the unit and the suffix of the file she sent (``凤山镇.xlsx``), and for the 自查表 the
    latest upload of each unit whose uploads all have errors (the 汇总 returns it with its errors, so
    the 工作总结 calls that unit what the round's status does, never 未报送) and the round's expected
    units as the 单位信息 list, so the 工作总结 and 汇总表 count the units by the round's names and name
    those that did not report. `KongchuoError` while no unit has a valid upload."""
    from ..errors import KongchuoError

    task = round_task(round_)
    counted = counted_uploads(store, round_)
    if not counted:
        raise KongchuoError(f"“{round_.name}”还没有单位报送有效的表格，无法汇总")
    sent = [*counted]
    if task is COMPILE:
        sent += [get_upload(store, s.latest.id) for s in unit_states(store, round_)
                 if s.state == HAS_ERRORS and s.latest is not None]  # fmt: skip
    files = [(f"{u.unit}{PurePath(u.file_name).suffix.lower()}", u.data) for u in sent]
    inputs = {task.inputs[0].name: files}
    if task is COMPILE:
        inputs[COMPILE.inputs[1].name] = [(UNITS_FILE, expected_units(round_, profile))]
    return inputs


def expected_units(round_: Round, profile: Profile) -> bytes:
    """The round's units as a 单位信息 list (YAML): 乡镇 when the 单位设置 lists it as one, else 学校."""
    townships = {t.name for t in profile.townships}
    schools = {s.name: s.township for s in profile.schools}
    rows = [{"单位名称": u, "类型": "乡镇" if u in townships else "学校", "所属乡镇": schools.get(u, "")}
            for u in round_.units]  # fmt: skip
    return yaml.safe_dump({"单位": rows}, allow_unicode=True, sort_keys=False).encode()


def compile_round(store: Store, round_: Round, output: Path, *, profile: Profile, force: bool) -> Outcome:
    """The command line's 汇总 of a round into `output` (the page runs the same task in a job)."""
    from ..web.job_pages import stored_name
    from ..web.security import Upload

    task = round_task(round_)
    inputs = round_inputs(store, round_, profile)
    with tempfile.TemporaryDirectory(prefix="kongchuo-round-") as folder:
        paths: dict[str, list[Path]] = {}
        for source in task.inputs:
            if source.name not in inputs:
                continue
            inbox = Path(folder) / source.name
            inbox.mkdir()
            used: set[str] = set()
            for name, data in inputs[source.name]:
                path = inbox / stored_name(Upload(name, PurePath(name).suffix, data), used)
                path.write_bytes(data)
                paths.setdefault(source.name, []).append(path)
            if source.folder:
                paths[source.name] = [inbox]
        run = Run(paths, task.read_values({}), output, settings=profile.source, force=force)
        return task.run(run)


def write_missing_list(round_: Round, states: list[UnitState], target: Path) -> int:
    """The units of `round_` with no valid upload (未报, 有错误) as a workbook, and every unit's state
    (逾期 with its time) on a second sheet 报送情况; returns how many are missing."""
    missing = [s for s in states if s.state != REPORTED]
    workbook = Workbook()
    title = f"{round_.name}（{round_.form}，截止 {_day(round_.deadline)}）"
    _state_sheet(workbook.active, "未报单位", f"{title}未报单位：{len(missing)} 个", missing)
    late = sum(bool(s.late) for s in states)
    _state_sheet(workbook.create_sheet(), "报送情况", f"{title}共 {len(states)} 个单位，逾期 {late} 个", states)
    save_workbook(workbook, target)
    return len(missing)


def _state_sheet(sheet: Worksheet, name: str, title: str, states: list[UnitState]) -> None:
    sheet.title = name
    sheet.append([title])
    sheet.append(STATE_HEADERS)
    for cell in (*sheet[1], *sheet[2]):
        cell.font = Font(bold=True)
    for n, s in enumerate(states, start=1):
        latest = s.latest
        sheet.append([n, s.unit, s.state, s.uploads, latest.uploaded_at.strftime(TIME_FORMAT) if latest else "",
                      s.late, latest.uploader if latest else ""])  # fmt: skip
    for column, width in zip("ABCDEFG", STATE_WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
