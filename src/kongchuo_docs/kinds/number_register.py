"""``kongchuo-docs numbers export``: the 发文登记簿 and the DA/T 22-2015 归档文件目录 of the store as
print-ready workbooks (manifest kind ``number-register``). Gaps (numbers the register does not hold)
are rows of their own, shaded, so a skipped number is seen on paper too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..files.output import OutputSet
from ..gbt9704 import format_date
from ..store.database import Store
from ..store.register import Year, doc_number, register_years
from ..store.tables import STATUS_ISSUED, STATUS_VOID
from ..writers.xlsx_register import CellValue, RegisterColumn, RegisterSheet, write_register_xlsx

KIND = "number-register"
GAP_FILL = "FFF2CC"  # a number missing from the register
VOID_FILL = "E7E6E6"  # a voided number
REGISTER_COLUMNS = (
    RegisterColumn("顺序号"), RegisterColumn("发文字号"), RegisterColumn("标题", wrap=True, align="left"),
    RegisterColumn("文种"), RegisterColumn("主送", wrap=True, align="left"),
    RegisterColumn("抄送", wrap=True, align="left"),
    RegisterColumn("密级"), RegisterColumn("紧急程度"), RegisterColumn("签发人"), RegisterColumn("成文日期"),
    RegisterColumn("印发日期"), RegisterColumn("页数"), RegisterColumn("份数"), RegisterColumn("拟稿人"),
    RegisterColumn("状态"), RegisterColumn("附件数"), RegisterColumn("备注", wrap=True, align="left"),
)  # fmt: skip
# DA/T 22-2015 §7.2 归档文件目录
CATALOGUE_COLUMNS = (
    RegisterColumn("序号"), RegisterColumn("档号"), RegisterColumn("文号"), RegisterColumn("责任者", wrap=True),
    RegisterColumn("题名", wrap=True, align="left"), RegisterColumn("日期"), RegisterColumn("密级"),
    RegisterColumn("页数"), RegisterColumn("备注", wrap=True, align="left"),
)  # fmt: skip
RETENTION_CODES = {"永久": "Y", "30年": "D30", "10年": "D10"}  # DA/T 22-2015 §6.1.3 保管期限代码


def _register_rows(years: list[Year]) -> tuple[list[tuple[CellValue, ...]], list[str | None]]:
    rows: list[tuple[CellValue, ...]] = []
    fills: list[str | None] = []
    for year in years:
        by_sequence = {e.sequence: e for e in year.entries}
        for sequence in range(1, max(by_sequence, default=0) + 1):
            entry = by_sequence.get(sequence)
            if entry is None:
                rows.append((sequence, doc_number(year.prefix, year.year, sequence), *[""] * 12, "缺号", "", ""))
                fills.append(GAP_FILL)
                continue
            rows.append((sequence, entry.number, entry.title, entry.genre, entry.recipients, entry.copies_to,
                         entry.secrecy, entry.urgency, entry.signers, entry.written_on, entry.printed_on,
                         entry.pages, entry.copies, "", entry.status, entry.attachments, entry.remark))  # fmt: skip
            fills.append(VOID_FILL if entry.status == STATUS_VOID else None)
    return rows, fills


def archive_reference(fonds: str, year: int, retention: str, item: int) -> str:
    """DA/T 22-2015 §6.1 档号 (全宗号-年度-保管期限-件号), "" without a 全宗号."""
    return f"{fonds}-{year}-{RETENTION_CODES[retention]}-{item:04d}" if fonds else ""


def _catalogue_rows(years: list[Year], fonds: str, retention: str) -> list[tuple[CellValue, ...]]:
    issued = sorted((e for y in years for e in y.entries if e.status == STATUS_ISSUED),
                    key=lambda e: (e.written_on or dt.date.max, e.prefix, e.sequence))
    items: dict[int, int] = {}  # 件号 run per 年度
    rows: list[tuple[CellValue, ...]] = []
    for n, entry in enumerate(issued, start=1):
        items[entry.year] = items.get(entry.year, 0) + 1
        rows.append((n, archive_reference(fonds, entry.year, retention, items[entry.year]), entry.number,
                     entry.issuer, entry.title, entry.written_on.strftime("%Y%m%d") if entry.written_on else "",
                     entry.secrecy, entry.pages, entry.remark))  # fmt: skip
    return rows


def export_register_files(store: Store, outdir: Path, *, unit: str, year: int | None = None, fonds: str = "",
                          retention: str = "永久", force: bool = False, today: dt.date | None = None) -> list[str]:
    """Write ``发文登记簿.xlsx`` and ``归档文件目录.xlsx`` of `store`'s county into `outdir`."""
    today = today or dt.date.today()
    years = register_years(store, year=year)
    span = f"（{year}年）" if year else ""
    rows, fills = _register_rows(years)
    sheets = {
        "发文登记簿": RegisterSheet("发文登记簿", f"{unit}发文登记簿{span}", f"单位：{unit}",
                                 f"导出日期：{format_date(today)}", REGISTER_COLUMNS, tuple(rows), tuple(fills),
                                 notes=("黄色：登记簿中没有的号（缺号）；灰色：作废的号（不再使用）。",)),
        "归档文件目录": RegisterSheet("归档文件目录", f"{unit}归档文件目录{span}", f"全宗单位：{unit}",
                                   f"导出日期：{format_date(today)}", CATALOGUE_COLUMNS,
                                   tuple(_catalogue_rows(years, fonds, retention)),
                                   notes=("按 DA/T 22-2015 编制；档号为 全宗号-年度-保管期限-件号。",)),
    }  # fmt: skip
    with OutputSet(outdir, force=force) as out:
        for name, sheet in sheets.items():
            rel = f"{name}.xlsx"
            write_register_xlsx(sheet, out.reserve(rel))
            out.record(rel, kind=KIND, title=sheet.title, records=len(sheet.rows))
    return out.written
