"""A letters run's roster rows spooled per school (责令: per township) into the run's scratch folder as
they are read (`readers.roster.read_roster`'s `take`), so that the main process never holds the
roster: it keeps the problems and the ID numbers, and each school's worker reads its own rows back
(`SchoolRows.letters`), orders and numbers them.

A row is spooled as soon as it has passed its own checks; one found invalid later (an ID number on a
later row too, an unprintable character) is skipped when read back (`SchoolRows.skip`). The files are
named by number, never by a school's name; they are pickles this run wrote itself, in its staging
folder, deleted with it.
"""

from __future__ import annotations

import pickle
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..readers.roster import Student
from .fields import letter_fields
from .grouping import group_of, group_students

FIELDS = tuple(name for name in Student.model_fields if name not in ("file", "sheet", "columns"))
"""A student's values as spooled, in this order (the sheet's file, name and columns once per spool)."""
FLUSH_ROWS = 2000  # rows held before they are appended to their schools' files


@dataclass(frozen=True)
class Origin:
    """Where every spooled row was read: the file's name, the sheet (None for CSV), the column letters."""

    file: str
    sheet: str | None
    columns: dict[str, str]


@dataclass(frozen=True)
class SpooledRows:
    """One school's (township's) spooled rows, less those to `skip` (picklable: a worker is sent it)."""

    path: Path
    origin: Origin
    skip: frozenset[int] = frozenset()

    def students(self) -> Iterator[Student]:
        """The school's valid students, in roster order (built without validating again: they were)."""
        origin = self.origin
        with self.path.open("rb") as file:
            while True:
                try:
                    rows = pickle.load(file)  # written by this run, in its own staging folder
                except EOFError:
                    return
                for values in rows:
                    student = Student.model_construct(**dict(zip(FIELDS, values, strict=True)), file=origin.file,
                                                      sheet=origin.sheet, columns=origin.columns)  # fmt: skip
                    if student.row not in self.skip:
                        yield student


@dataclass(frozen=True)
class SchoolRows:
    """One file's letters as its worker makes them: the school's rows (`rows`, `count` of them valid),
    sorted by `order` then `within` (`grouping.group_students`), numbered as the `index`-th school."""

    rows: SpooledRows
    count: int
    index: int
    group_by: str
    order: Sequence[str]
    within: str

    def __len__(self) -> int:
        return self.count

    def letters(self) -> list[dict[str, str]]:
        """The school's letters as merge fields, in order, with their 序号 and 编号."""
        [ordered] = group_students(self.rows.students(), self.group_by, self.order, self.within).values()
        return [letter_fields(s, self.index, n) for n, s in enumerate(ordered, start=1)]


class Spool:
    """The rows of a roster being read, appended per school (`group_by`: 学校 or 乡镇) to numbered
    files in `folder`, `FLUSH_ROWS` at a time."""

    def __init__(self, folder: Path, group_by: str):
        self.folder = folder
        self.group_by = group_by
        self.files: dict[str, Path] = {}  # group → its file
        self.origin: Origin | None = None
        self._held: dict[str, list[tuple]] = defaultdict(list)
        self._count = 0

    def take(self, student: Student) -> None:
        """Spool one student (`readers.roster.read_roster`'s `take`)."""
        if self.origin is None:
            self.origin = Origin(student.file, student.sheet, student.columns)
        self._held[group_of(student, self.group_by)].append(tuple(getattr(student, name) for name in FIELDS))
        self._count += 1
        if self._count >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        """Append the rows held to their schools' files."""
        for group, rows in self._held.items():
            path = self.files.setdefault(group, self.folder / f"{len(self.files) + 1}.pickle")
            with path.open("ab") as file:
                pickle.dump(rows, file, protocol=pickle.HIGHEST_PROTOCOL)
        self._held.clear()
        self._count = 0

    def parts(self, skip: Iterable[int]) -> dict[str, SpooledRows]:
        """Each school's spooled rows (in name order), less the rows `skip` (found invalid since)."""
        self.flush()
        skipped = frozenset(skip)
        assert self.origin is not None or not self.files
        return {group: SpooledRows(self.files[group], self.origin, skipped)  # type: ignore[arg-type]
                for group in sorted(self.files)}  # fmt: skip
