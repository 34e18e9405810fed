"""网页版 jobs kept in the store (issue 21 #5): one row per job of the county, written when it is
queued and again when it ends, read by the next start, deleted with the job's folder when it expires.
Times are local wall-clock `datetime`s, as in `drafts`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select

from .database import Store, dialect_insert
from .tables import KeptJob


def keep_job(store: Store, values: dict[str, Any]) -> None:
    """Write the row of job ``values["id"]`` (in place of the last one): `values` names `KeptJob`'s columns."""
    with store.engine.begin() as connection:
        statement = dialect_insert(connection)(KeptJob).values(area_code=store.area_code, **values)
        changed = {k: getattr(statement.excluded, k) for k in values if k != "id"}
        connection.execute(statement.on_conflict_do_update(index_elements=["id"], set_=changed))


def kept_jobs(store: Store) -> list[KeptJob]:
    """The county's kept jobs, oldest first."""
    with store.engine.begin() as connection:
        rows = connection.execute(select(KeptJob).where(KeptJob.area_code == store.area_code)
                                  .order_by(KeptJob.made_at))  # fmt: skip
        return [KeptJob(**row._mapping) for row in rows]


def kept_job_ids(store: Store) -> set[str]:
    """The ids of every county's kept jobs (a work folder may be shared by the counties of one database)."""
    with store.engine.begin() as connection:
        return set(connection.execute(select(KeptJob.id)).scalars())


def forget_jobs(store: Store, ids: Iterable[str]) -> None:
    """Delete the rows of the jobs `ids`."""
    ids = list(ids)
    if ids:
        with store.engine.begin() as connection:
            connection.execute(delete(KeptJob).where(KeptJob.id.in_(ids)))

