"""Roster input layer speed: synthetic roster generation, read + validate, error workbook, blank forms.

Run: .venv/bin/python benchmarks/roster.py [ROWS]   (default 10 000; prints seconds and peak RSS in MB)
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from kongchuo_docs.kinds.sample_roster import generate_rows, write_sample_roster
from kongchuo_docs.readers.roster import AgeRule, read_roster, school_year_reference
from kongchuo_docs.readers.schema import available_schemas
from kongchuo_docs.writers.error_workbook import write_error_workbook
from kongchuo_docs.writers.xlsx_forms import write_blank_form

T = TypeVar("T")
YEAR = 2025
INVALID_SHARE = 0.01  # 1 % broken rows for the error-workbook run


def _timed(label: str, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    start = time.perf_counter()
    result = func(*args, **kwargs)
    print(f"{label:<44} {time.perf_counter() - start:7.2f} s")
    return result


def main(rows: int) -> None:
    rule = AgeRule(school_year_reference(YEAR))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        clean = folder / "clean.xlsx"
        broken = folder / "broken.xlsx"
        data = _timed(f"generate {rows} rows", generate_rows, rows, seed=1, year=YEAR)
        _timed(f"write {rows} rows (write-only xlsx)", write_sample_roster, clean, data, year=YEAR)
        print(f"{'  file size':<44} {clean.stat().st_size / 1e6:7.2f} MB")
        roster = _timed(f"read_roster {rows} valid rows", read_roster, clean, age_rule=rule)
        assert len(roster.students) == rows, roster.problems.items[:3]
        invalid = max(1, int(rows * INVALID_SHARE))
        write_sample_roster(broken, generate_rows(rows, invalid=invalid, seed=2, year=YEAR), year=YEAR)
        roster = _timed(f"read_roster {rows} rows, {invalid} invalid", read_roster, broken, age_rule=rule)
        assert len(roster.invalid_rows) == invalid
        _timed("error workbook (copy + marks)", write_error_workbook, roster.table, folder / "errors.xlsx")
        schemas = available_schemas()
        _timed(f"blank forms ({len(schemas)} schemas)", lambda: [
            write_blank_form(s, folder / f"{s.name}.xlsx") for s in schemas
        ])  # fmt: skip
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak RSS':<44} {peak_mb:7.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
