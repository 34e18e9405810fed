"""Cost of `register merge`: reading units' registers, merging, writing the county workbook.

Generates UNITS workbooks of ROWS clues each (every 10th clue repeated by the next unit, so the
duplicate check has work), then times reading, merging and writing separately.

Run: .venv/bin/python benchmarks/register.py [UNITS] [ROWS]   (default 30 units × 40 rows; prints seconds)
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from kongchuo_docs.files.output import OutputSet
from kongchuo_docs.kinds import register as reg
from kongchuo_docs.writers.xlsx_save import save_workbook

HEADERS = [reg.schema().column(key).header for key in (*reg.SEED_KEYS, "referred_on", "deadline")]
SOURCES = ["督导检查", "信访举报", "12345热线", "数据比对", "巡察移交", "媒体", "其他"]
STATUSES = ["未办理", "办理中", "已办结"]


def make_units(folder: Path, units: int, rows: int) -> list[Path]:
    files = []
    start = date(2020, 10, 1)
    for u in range(units):
        workbook = Workbook()
        sheet = workbook.active
        sheet["A1"] = "问题线索移送登记表"
        sheet["A2"] = f"填报单位：第{u + 1}单位"
        sheet.append(HEADERS)
        for r in range(rows):
            shared = r % 10 == 0 and u > 0
            origin = u if shared else u + 1
            summary = f"第{origin}单位第{r + 1}条：某村学生长期未到校，家长称外出务工，需核实去向并组织劝返。"
            sheet.append([
                r + 1, f"第{u + 1}单位", SOURCES[r % len(SOURCES)], summary, "核实并劝返", "已转乡镇",
                f"责任部门{r % 12 + 1}", STATUSES[r % 3], start + timedelta(days=r % 60),
                start + timedelta(days=r % 60 + 14),
            ])  # fmt: skip
        path = folder / f"单位{u + 1:03d}.xlsx"
        save_workbook(workbook, path)
        files.append(path)
    return files


def main() -> None:
    units = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = make_units(folder, units, rows)
        t0 = time.perf_counter()
        registers, _ = reg.read_registers(files)
        t1 = time.perf_counter()
        merged = reg.merge_registers(registers, as_of=date(2020, 12, 20))
        t2 = time.perf_counter()
        with OutputSet(folder / "out") as out:
            reg.write_merged(out, merged)
        t3 = time.perf_counter()
    print(f"{units} units × {rows} rows = {len(merged.clues)} clues, {merged.duplicates} flagged duplicates")
    print(f"read   {t1 - t0:7.3f} s  ({(t1 - t0) / units * 1000:.1f} ms per file)")
    print(f"merge  {t2 - t1:7.3f} s")
    print(f"write  {t3 - t2:7.3f} s")
    print(f"total  {t3 - t0:7.3f} s")


if __name__ == "__main__":
    main()
