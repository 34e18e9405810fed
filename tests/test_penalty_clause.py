"""The 省级处罚条款 a 责令 letter cites is printed as "将依照{条款}的规定处理": its name and number fit,
its text does not (…责令限期改正。的规定处理). The 单位设置's help says so, and a clause written out as
text is warned about when 责令 letters are made."""

from __future__ import annotations

from pathlib import Path

import pymupdf
from profiles import write_profile
from typer.testing import CliRunner
from web_helpers import sample_profile

from kongchuo_docs.cli import app
from kongchuo_docs.files.resources import template_path
from kongchuo_docs.kinds.sample_roster import write_sample_file

CITED = "《福建省实施〈中华人民共和国义务教育法〉办法》第四十二条"
WRITTEN_OUT = CITED + ("：适龄儿童、少年的父母或者其他法定监护人无正当理由未送其入学的，由乡镇人民政府给予批评教育，"
                       "责令限期改正。")
WARNING = "写的像是条文内容"


def _order_letters(tmp_path: Path, clause: str) -> tuple[str, str]:
    profile = write_profile(tmp_path / clause[-6:], {"省级处罚条款": clause}, {"复学截止日期": "2026-09-30"})
    roster = tmp_path / "名册.xlsx"
    if not roster.exists():
        write_sample_file(roster, rows=3, invalid=0, seed=3, year=sample_profile().first_year)
    out = tmp_path / f"责令{len(clause)}"
    args = ["letters", str(roster), "-o", str(out), "--kind", "责令", "--date", "2026-09-10",
            "--settings", str(profile)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    pdf = next(out.rglob("*.pdf"))
    with pymupdf.open(pdf) as doc:
        return result.output, doc[0].get_text().replace("\n", "")


def test_a_cited_clause_reads_as_a_sentence(tmp_path: Path) -> None:
    output, text = _order_letters(tmp_path, CITED)
    assert WARNING not in output
    assert f"将依照{CITED}的规定处理。" in text


def test_a_clause_written_out_is_warned_about(tmp_path: Path) -> None:
    output, _ = _order_letters(tmp_path, WRITTEN_OUT)
    assert f"省级处罚条款: {WARNING}" in output.replace("\n", "")


def test_the_profiles_help_asks_for_the_name_and_number_only() -> None:
    help_line = next(line for line in template_path("profile", "单位设置.yaml").read_text(encoding="utf-8").splitlines()
                     if line.startswith("省级处罚条款"))  # fmt: skip
    assert "只写法规名称和条款序号" in help_line and "全文" not in help_line
