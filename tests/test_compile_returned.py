"""One township sends back the blank 自查表 with only its name typed (every count blank): the county's
summary is still written. Its 报送情况 附件 lists that file's first problems and says how many there
are; the workbook's 报送情况 sheet lists every one (listed whole in the document, the row outgrew a
page and the whole summary was refused)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pymupdf
from profiles import write_profile
from typer.testing import CliRunner
from web_helpers import SELF_CHECK_COUNTS, fill_fields

from kongchuo_docs.cli import app
from kongchuo_docs.kinds.summary import RECEIPT_SHOWN


def test_a_returned_form_with_every_count_blank_does_not_stop_the_summary(tmp_path: Path) -> None:
    profile = write_profile(tmp_path / "县")
    runner = CliRunner()
    result = runner.invoke(app, ["forms", "-o", str(tmp_path / "空白"), "--settings", str(profile)])
    assert result.exit_code == 0, result.output
    blank = tmp_path / "空白" / "自查表.xlsx"
    inbox = tmp_path / "报送"
    for unit in ("凤山镇人民政府", "起步镇人民政府"):
        fill_fields(blank, inbox / f"{unit}.xlsx", {"单位名称": unit, "单位类型": "乡镇", "报告日期": "2026-10-09",
                                                    **SELF_CHECK_COUNTS})  # fmt: skip
    fill_fields(blank, inbox / "松山镇人民政府.xlsx", {"单位名称": "松山镇人民政府", "单位类型": "乡镇",
                                                        "报告日期": "2026年10月32日"})  # fmt: skip
    out = tmp_path / "汇总"
    result = runner.invoke(app, ["compile", str(inbox), "-o", str(out), "--settings", str(profile)])
    assert result.exit_code == 0, result.output
    returned = [line.strip() for line in result.output.splitlines() if line.strip().startswith("松山镇人民政府.xlsx!")]
    assert len(returned) > RECEIPT_SHOWN + 5  # the blank counts and the impossible date, each named

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    [pdf] = [e["path"] for e in manifest["files"] if e["path"].endswith(".pdf")]
    with pymupdf.open(out / pdf) as doc:
        text = "".join(page.get_text() for page in doc).replace("\n", "")
    shown = re.search(r"退回(.*?)……共(\d+) ?处，全部列在汇总表（Excel）的“报送情况”工作表中。", text)
    assert shown and int(shown[2]) == len(returned)
    assert shown[1].count("松山镇人民政府.xlsx!自查表!") == RECEIPT_SHOWN
    assert "凤山镇人民政府" in text and "起步镇人民政府" in text

    [xlsx] = [e["path"] for e in manifest["files"] if e["path"].endswith(".xlsx")]
    sheet = openpyxl.load_workbook(out / xlsx)["报送情况"]
    cells = "".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert all(line in cells for line in returned)
