"""Synthetic rosters: valid rows pass the reader, --invalid K gives exactly K invalid rows, deterministic."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kongchuo_docs.cli import app
from kongchuo_docs.files.resources import template_path
from kongchuo_docs.kinds.sample_roster import INVALID_KINDS, generate_rows, write_sample_roster
from kongchuo_docs.readers.roster import AgeRule, read_roster, school_year_reference

YEAR = 2025
RULE = AgeRule(school_year_reference(YEAR))


def _write(tmp_path: Path, rows: int, invalid: int = 0, seed: int = 1) -> Path:
    target = tmp_path / f"r{rows}-{invalid}-{seed}.xlsx"
    write_sample_roster(target, generate_rows(rows, invalid=invalid, seed=seed, year=YEAR), year=YEAR)
    return target


def test_valid_sample_passes_the_reader(tmp_path: Path) -> None:
    roster = read_roster(_write(tmp_path, 400), age_rule=RULE)
    assert [str(p) for p in roster.problems.items] == []
    assert len(roster.students) == roster.row_count == 400
    ids = [s.id_number for s in roster.students]
    assert len(set(ids)) == 400 and all(i.startswith("350123") for i in ids)
    assert {s.grade for s in roster.students} == {"一年级", "七年级"}
    assert len({s.school for s in roster.students}) >= 5
    assert len({s.township for s in roster.students}) >= 8
    assert any("·" in s.name for s in roster.students)
    assert any(not _in_gb2312(s.name) for s in roster.students)


def _in_gb2312(text: str) -> bool:
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize(("rows", "invalid"), [(60, 1), (120, 7), (200, 23)])
def test_invalid_k_gives_exactly_k_invalid_rows(tmp_path: Path, rows: int, invalid: int) -> None:
    roster = read_roster(_write(tmp_path, rows, invalid, seed=invalid), age_rule=RULE)
    assert len(roster.invalid_rows) == invalid
    assert len(roster.students) == rows - invalid


def test_invalid_rows_are_broken_in_varied_ways() -> None:
    rows = generate_rows(60, invalid=len(INVALID_KINDS) + 10, seed=4, year=YEAR)
    defects = {r.defect for r in rows if r.defect}
    assert defects == {*INVALID_KINDS, "duplicate_id"}


def test_same_seed_same_bytes_other_seed_other_roster(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = _write(tmp_path / "a", 50, 3, seed=9)
    second = _write(tmp_path / "b", 50, 3, seed=9)
    other = _write(tmp_path, 50, 3, seed=10)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_rare_characters_really_lie_outside_gb2312() -> None:
    names = yaml.safe_load(template_path("sample_data", "names.yaml").read_text(encoding="utf-8"))
    assert names["rare_given"]
    assert not [c for c in names["rare_given"] if _in_gb2312(c)]


def test_cli_writes_refuses_to_overwrite_and_checks_its_arguments(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "名册.xlsx"
    args = ["sample-roster", "--rows", "30", "--invalid", "2", "--year", str(YEAR), "-o", str(target)]
    assert runner.invoke(app, args).exit_code == 0
    roster = read_roster(target, age_rule=RULE)
    assert len(roster.invalid_rows) == 2 and len(roster.students) == 28
    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "--force" in again.output
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0
    too_many = ["sample-roster", "--rows", "3", "--invalid", "5", "-o", str(tmp_path / "x.xlsx")]
    assert runner.invoke(app, too_many).exit_code == 2


def test_cli_takes_places_and_year_from_the_profile(tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from profiles import write_profile

    profile = write_profile(tmp_path / "p", {
        "市": "宁德市", "县": "古田县", "行政区划代码": "350922", "学年": "2027—2028", "报到日期": "2027-08-30",
        "乡镇": [{"名称": "大桥镇"}, {"名称": "城东街道"}],
        "学校": [{"名称": "古田县第一小学", "乡镇": "城东街道"}, {"名称": "大桥中心小学", "乡镇": "大桥镇"},
               {"名称": "古田县第一中学"}]})
    target = tmp_path / "名册.xlsx"
    result = CliRunner().invoke(app, ["sample-roster", "--rows", "60", "-o", str(target), "--settings", str(profile)])
    assert result.exit_code == 0, result.output
    roster = read_roster(target, age_rule=AgeRule(school_year_reference(2027)))
    assert roster.problems.items == [] and len(roster.students) == 60
    assert {s.id_number[:6] for s in roster.students} == {"350922"}
    assert {s.school for s in roster.students} <= {"古田县第一小学", "大桥中心小学", "古田县第一中学"}
    assert {s.township for s in roster.students} == {"大桥镇", "城东街道"}
    assert all(s.school == "古田县第一中学" for s in roster.students if s.grade == "七年级")
    assert all(s.household_address.startswith("福建省宁德市古田县") for s in roster.students)
    assert load_workbook(target).active["A1"].value.startswith("福建省宁德市古田县2027年")


def test_cli_without_a_profile_uses_the_demo_places_and_says_so(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "none"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["sample-roster", "--rows", "5", "--year", str(YEAR), "-o", "名册.xlsx"])
    assert result.exit_code == 0 and "演示地名" in result.output
