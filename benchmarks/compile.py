"""Cost of `compile`: reading UNITS 自查表 workbooks, checking and aggregating them, writing the charts,
the 汇总表 XLSX and the 工作总结 DOCX (the PDF too when the PDF writer is installed).

Generates UNITS fields-layout workbooks (every 10th inconsistent, every 25th malformed), then times each
stage separately.

Run: .venv/bin/python benchmarks/compile.py [UNITS]   (default 200; prints seconds)
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from kongchuo_docs.files.output import OutputSet
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds import summary
from kongchuo_docs.profile import load_profile
from kongchuo_docs.readers.schema import load_schema
from kongchuo_docs.writers.xlsx_save import save_workbook


def make_forms(folder: Path, units: int) -> None:
    labels = {c.key: c.header for c in load_schema("自查表").columns}
    for i in range(units):
        township = f"第{i // 8 + 1}镇"
        is_school = i % 8 != 0
        name = f"{township}第{i % 8}小学" if is_school else f"{township}人民政府"
        dropouts, returned = i % 4, i % 4 // 2
        values = {
            "unit": name, "unit_type": "学校" if is_school else "乡镇", "township": township,
            "report_date": dt.date(2020, 10, 9), "school_age": 800 + i, "enrolled": 799 + i,
            "students_at_start": 790 + i, "cohort_entry": 100, "cohort_now": 99, "dropouts": dropouts,
            "returned": returned, "disabled_school_age": 5, "disabled_enrolled": 5,
            "absent": 3 + dropouts - returned + (1 if i % 10 == 9 else 0), "absent_sick": 3,
            "absent_suspended": 0, "absent_deferred": 0, "absent_home_teaching": 0, "absent_transferred": 0,
            "absent_deceased": 0, "absent_dropout": dropouts - returned,
            "problems": "台账更新不及时。", "responsibility": "逐级签订目标责任书。",
        }  # fmt: skip
        if i % 25 == 24:
            values["dropouts"] = "若干"
        wb = Workbook()
        ws = wb.active
        ws.title = "自查表"
        for key, value in values.items():
            ws.append([labels[key], value])
        save_workbook(wb, folder / f"{i:04d}_{name}.xlsx")


def main(units: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "forms"
        folder.mkdir()
        t = time.perf_counter()
        make_forms(folder, units)
        print(f"generate {units} workbooks: {time.perf_counter() - t:.2f} s")
        t = time.perf_counter()
        comp = summary.compile_folder(folder)
        counts = {s: sum(o.status == s for o in comp.outcomes) for s in ("aggregated", "inconsistent", "rejected")}
        print(f"read + check + aggregate: {time.perf_counter() - t:.2f} s  {counts}")
        profile = load_profile(sample_path("profile", "单位设置.yaml"))
        settings = summary.settings_for(comp, profile, period=None, date=None, rounding="half-up")
        formats = ("docx", "pdf") if importlib.util.find_spec("kongchuo_docs.writers.pdf_writer") else ("docx",)
        out_dir = Path(tmp) / "out"
        with OutputSet(out_dir) as out:
            t = time.perf_counter()
            paths = summary.write_charts(out, comp, settings)
            print(f"charts: {time.perf_counter() - t:.2f} s")
            t = time.perf_counter()
            register, receipt = summary.summary_workbook(comp, settings)
            summary.write_register_xlsx(register, out.reserve("汇总表.xlsx"), [receipt])
            print(f"汇总表 xlsx: {time.perf_counter() - t:.2f} s")
            t = time.perf_counter()
            doc = summary.summary_document(comp, settings, paths)
            summary.write_document(out, doc, "总结", kind="summary", formats=formats)
            print(f"工作总结 {'+'.join(formats)}: {time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
