"""A 文件 whose 版记 gives an 印发日期 but no 印发机关 prints "……印发" with nothing on its left
(§7.4.3): `build` says so, and `check` files it under 版记; a 函 (信函格式) has no 印发 line and is
not warned about."""

from __future__ import annotations

from pathlib import Path

import pymupdf
from typer.testing import CliRunner

from kongchuo_docs.cli import app

NOTICE = """\
格式: {format}
发文机关: 青川县教育局
发文字号: 青教〔2026〕7号
标题: 青川县教育局关于开展控辍保学专项督查的通知
主送: 各乡镇人民政府：
正文: |
  县教育局决定开展控辍保学专项督查，请做好准备。
署名: 青川县教育局
成文日期: 2026年10月10日
版记:
  抄送: [县人民政府办公室]
{dated}"""
WARNING = "版记有印发日期而没有印发机关"


def _build(tmp_path: Path, fmt: str, dated: str) -> tuple[str, str]:
    source = tmp_path / f"{fmt}.yaml"
    source.write_text(NOTICE.format(format=fmt, dated=dated), encoding="utf-8")
    out = tmp_path / fmt
    result = CliRunner().invoke(app, ["build", str(source), "-o", str(out), "--format", "pdf"])
    assert result.exit_code == 0, result.output
    with pymupdf.open(out / f"{fmt}.pdf") as doc:
        last = doc[-1].get_text()
    return result.output, last


def test_a_file_with_a_print_date_and_no_printer_is_warned_about(tmp_path: Path) -> None:
    output, last = _build(tmp_path, "文件", "  印发日期: 2026年10月10日\n")
    assert f"文件.yaml:10 版记: {WARNING}" in output.replace("\n", "")
    assert "2026 年10 月10 日印发" in last and "办公室\n2026" not in last  # the warned-of page itself
    check = CliRunner().invoke(app, ["check", str(tmp_path / "文件.yaml")])
    assert check.exit_code == 1
    assert f"版记 [更正] 版记（GB/T 9704-2012 7.4.3）：{WARNING}" in check.output


def test_a_named_printer_or_a_letter_is_not_warned_about(tmp_path: Path) -> None:
    output, last = _build(tmp_path, "文件", "  印发机关: 青川县教育局办公室\n  印发日期: 2026年10月10日\n")
    assert WARNING not in output and "青川县教育局办公室" in last
    output, _ = _build(tmp_path, "信函", "")
    assert WARNING not in output
