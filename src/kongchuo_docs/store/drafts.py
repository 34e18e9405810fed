"""写通知 drafts in the store (issue 21 #5): one per owner and county, replaced on every save,
forgotten after `keep` (the page says how long). The form is stored as the JSON the page gives."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import delete, select

from .database import Store, dialect_insert
from .tables import NoticeDraft


def save_draft(store: Store, owner: str, form: dict[str, Any], keep: dt.timedelta) -> None:
    """Keep `form` as `owner`'s draft (in place of the last one); drafts of the county older than
    `keep` are deleted on the way."""
    now = dt.datetime.now()
    values = {"area_code": store.area_code, "owner": owner, "form": json.dumps(form, ensure_ascii=False),
              "saved_at": now}  # fmt: skip
    with store.engine.begin() as connection:
        statement = dialect_insert(connection)(NoticeDraft).values(**values)
        connection.execute(statement.on_conflict_do_update(
            index_elements=["area_code", "owner"], set_={"form": statement.excluded.form, "saved_at": now}))
        connection.execute(delete(NoticeDraft).where(NoticeDraft.area_code == store.area_code,
                                                     NoticeDraft.saved_at < now - keep))  # fmt: skip


def load_draft(store: Store, owner: str, keep: dt.timedelta) -> dict[str, Any] | None:
    """`owner`'s draft, None if there is none or it is older than `keep`."""
    with store.engine.begin() as connection:
        row = connection.execute(select(NoticeDraft.form, NoticeDraft.saved_at).where(
            NoticeDraft.area_code == store.area_code, NoticeDraft.owner == owner)).first()  # fmt: skip
    if row is None or row.saved_at < dt.datetime.now() - keep:
        return None
    return json.loads(row.form)


def forget_draft(store: Store, owner: str) -> None:
    """Delete `owner`'s draft (新建)."""
    with store.engine.begin() as connection:
        connection.execute(delete(NoticeDraft).where(NoticeDraft.area_code == store.area_code,
                                                     NoticeDraft.owner == owner))  # fmt: skip
