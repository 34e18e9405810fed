"""报送 rounds (issue 21 #3) in the store: the 教育局 opens a round, each unit uploads its filled form
(checked at once by `rounds.check`), every upload is kept, the latest valid one of a unit counts.

A unit's state in a round is 已报 (a valid upload), 有错误 (uploads, none valid) or 未报 (none).
Every function takes the `Store`, whose county (行政区划代码) scopes every row it reads or writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session, defer

from ..errors import KongchuoError
from ..model.limits import round_upload_problem
from ..rounds.deadline import late_note
from ..rounds.forms import ROUND_FORMS
from .database import Store
from .tables import UNIT_MAX_CHARS, UPLOAD_FAILED, UPLOAD_VALID, Round, RoundUpload

if TYPE_CHECKING:
    from ..rounds.check import Checked

REPORTED = "已报"
NOT_REPORTED = "未报"
HAS_ERRORS = "有错误"
NAME_MAX_CHARS = 100  # a round's name


@dataclass(frozen=True)
class UnitState:
    """One expected unit in a round: 已报/未报/有错误, its latest upload, the upload that counts, and
    `late`: ``逾期（time 上传）`` when the upload that counts (else the latest) came after the deadline."""

    unit: str
    state: str
    latest: RoundUpload | None
    counted: RoundUpload | None
    uploads: int
    late: str = ""


def open_round(store: Store, *, name: str, form: str, deadline: dt.date, units: Sequence[str],
               opened_by: str) -> Round:  # fmt: skip
    """A new open round; KongchuoError for a name or form or unit list it cannot hold."""
    name = name.strip()
    if not name:
        raise KongchuoError("请填写报送的名称，如 2026年秋季学期自查")
    if len(name) > NAME_MAX_CHARS:
        raise KongchuoError(f"报送名称过长：{len(name)} 个字，最多 {NAME_MAX_CHARS} 个字")
    if form not in ROUND_FORMS:
        raise KongchuoError(f"报送的表格应为 {'或'.join(ROUND_FORMS)}（{form}）")
    chosen = list(dict.fromkeys(u.strip() for u in units if u.strip()))
    if not chosen:
        raise KongchuoError("请至少选择一个报送单位")
    if too_long := next((u for u in chosen if len(u) > UNIT_MAX_CHARS), None):
        raise KongchuoError(f"单位名称过长（{too_long[:20]}…）")
    with Session(store.engine, expire_on_commit=False) as session, session.begin():
        opened = Round(area_code=store.area_code, name=name, form=form, deadline=deadline, units=chosen,
                       opened_by=opened_by, opened_at=now())  # fmt: skip
        session.add(opened)
    return opened


def close_round(store: Store, round_id: int, *, reopen: bool = False) -> Round:
    """Close a round to uploads (or open it again)."""
    found = get_round(store, round_id)
    with store.engine.begin() as connection:
        connection.execute(update(Round).where(Round.id == found.id).values(closed_at=None if reopen else now()))
    return get_round(store, round_id)


def list_rounds(store: Store, *, unit: str | None = None, open_only: bool = False) -> list[Round]:
    """This county's rounds, newest first; with `unit`, only those expecting it."""
    query = select(Round).where(Round.area_code == store.area_code).order_by(Round.opened_at.desc(), Round.id.desc())
    if open_only:
        query = query.where(Round.closed_at.is_(None))
    with Session(store.engine, expire_on_commit=False) as session:
        rounds = list(session.scalars(query))
    return [r for r in rounds if unit is None or unit in r.units]


def get_round(store: Store, round_id: int) -> Round:
    """The round `round_id` of this county; KongchuoError when there is none."""
    with Session(store.engine, expire_on_commit=False) as session:
        found = session.scalars(select(Round).where(Round.id == round_id, Round.area_code == store.area_code)).first()
    if found is None:
        raise KongchuoError(f"没有编号为 {round_id} 的报送")
    return found


def add_upload(store: Store, round_: Round, *, unit: str, uploader: str, file_name: str, data: bytes,
               checked: Checked) -> RoundUpload:  # fmt: skip
    """Keep a unit's upload with what its check found (every upload is kept; none is replaced). The
    round is read again in the same transaction: a round closed meanwhile takes nothing."""
    if too_large := round_upload_problem(len(data)):
        raise KongchuoError(f"{file_name}：{too_large}")
    with Session(store.engine, expire_on_commit=False) as session, session.begin():
        current = session.scalars(select(Round).where(Round.id == round_.id, Round.area_code == store.area_code)
                                  .with_for_update()).first()
        if current is None:
            raise KongchuoError(f"没有编号为 {round_.id} 的报送")
        if current.closed_at is not None:
            raise KongchuoError(f"“{current.name}”已结束报送，不再接收文件")
        if unit not in current.units:
            raise KongchuoError(f"“{current.name}”不要求 {unit} 报送")
        upload = RoundUpload(
            round_id=current.id, area_code=store.area_code, unit=unit, uploader=uploader, uploaded_at=now(),
            file_name=file_name, data=data, status=UPLOAD_VALID if checked.valid else UPLOAD_FAILED,
            problems=checked.problems, error_workbook=checked.error_workbook,
        )  # fmt: skip
        session.add(upload)
    return upload


def uploads_of(store: Store, round_: Round, *, unit: str | None = None) -> list[RoundUpload]:
    """The round's uploads (of `unit` only when given), newest first, without the bytes sent (the error
    workbook is kept: the pages link it)."""
    query = (select(RoundUpload).options(defer(RoundUpload.data, raiseload=True))
             .where(RoundUpload.round_id == round_.id, RoundUpload.area_code == store.area_code)
             .order_by(RoundUpload.uploaded_at.desc(), RoundUpload.id.desc()))  # fmt: skip
    if unit is not None:
        query = query.where(RoundUpload.unit == unit)
    with Session(store.engine, expire_on_commit=False) as session:
        return list(session.scalars(query))


def get_upload(store: Store, upload_id: int) -> RoundUpload:
    """One upload with its bytes; KongchuoError when this county has none of that number."""
    with Session(store.engine, expire_on_commit=False) as session:
        found = session.scalars(select(RoundUpload).where(
            RoundUpload.id == upload_id, RoundUpload.area_code == store.area_code)).first()
    if found is None:
        raise KongchuoError(f"没有编号为 {upload_id} 的报送文件")
    return found


def unit_states(store: Store, round_: Round) -> list[UnitState]:
    """Every expected unit of the round in the round's order, with its state."""
    by_unit: dict[str, list[RoundUpload]] = {}
    for upload in uploads_of(store, round_):
        by_unit.setdefault(upload.unit, []).append(upload)
    states = []
    for unit in round_.units:
        uploads = by_unit.get(unit, [])
        counted = next((u for u in uploads if u.status == UPLOAD_VALID), None)
        state = REPORTED if counted else HAS_ERRORS if uploads else NOT_REPORTED
        latest = uploads[0] if uploads else None
        shown = counted or latest
        late = late_note(round_.deadline, shown.uploaded_at if shown else None)
        states.append(UnitState(unit, state, latest, counted, len(uploads), late))
    return states


def counted_uploads(store: Store, round_: Round) -> list[RoundUpload]:
    """The upload that counts for each unit that has a valid one (with its bytes), in the round's order."""
    wanted = [s.counted.id for s in unit_states(store, round_) if s.counted is not None]
    with Session(store.engine, expire_on_commit=False) as session:
        found = {u.id: u for u in session.scalars(select(RoundUpload).where(RoundUpload.id.in_(wanted)))}
    return [found[upload_id] for upload_id in wanted]


def now() -> dt.datetime:
    """The store's clock: local time to the second, as upload times are kept."""
    return dt.datetime.now().replace(microsecond=0)
