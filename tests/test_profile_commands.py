"""Commands and the 单位设置 profile: found or refused (naming init), its 学年 driving the letters'
dates and age check, bad profiles stopping before anything is written."""

from __future__ import annotations

import re
from pathlib import Path

import pymupdf
import pytest
from openpyxl import load_workbook
from profiles import write_profile
from typer.testing import CliRunner

from kongchuo_docs.cli import app
from kongchuo_docs.kinds.sample_roster import generate_rows, write_sample_roster


def _roster(path: Path, year: int, rows: int = 6) -> Path:
    generated = generate_rows(rows * 4, seed=3, year=year)
    school = sorted(r.values["入读学校"] for r in generated)[0]
    write_sample_roster(path, [r for r in generated if r.values["入读学校"] == school][:rows], year=year)
    return path


def _pdf_text(outdir: Path) -> str:
    texts = []
    for pdf in sorted(outdir.rglob("*.pdf")):
        with pymupdf.open(pdf) as doc:
            texts += [page.get_text() for page in doc]
    return re.sub(r"\s+", "", "".join(texts))


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_no_profile_stops_naming_init(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "empty"))
    monkeypatch.chdir(tmp_path)
    roster = _roster(tmp_path / "名册.xlsx", 2026)
    for args in (["letters", str(roster)], ["agreements", "名单.yaml"], ["self-check", "表.yaml"],
                 ["rectification", "问题.yaml"], ["compile", "."]):
        code, output = _run(*args, "-o", str(tmp_path / "out"))
        assert code == 2 and "kongchuo-docs init" in output, (args, output)
    assert not (tmp_path / "out").exists()


def test_profile_found_in_the_working_folder_wins_over_the_user_config(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    write_profile(tmp_path, {"学年": "2027—2028", "报到日期": "2027-08-30", "成文日期": "2027-08-20"})
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    roster = _roster(tmp_path / "名册.xlsx", 2027)
    code, output = _run("letters", str(roster), "-o", str(tmp_path / "out"))
    assert code == 0, output
    text = _pdf_text(tmp_path / "out")
    assert "2027—2028学年度入读" in text and "2027年8月30日" in text and "2026" not in text


def test_intake_of_the_profiles_school_year_passes_the_age_check(tmp_path: Path) -> None:
    roster = _roster(tmp_path / "名册.xlsx", 2027)
    old = write_profile(tmp_path / "old")  # 学年 2026—2027: these children are a year too young
    code, output = _run("letters", str(roster), "-o", str(tmp_path / "a"), "--settings", str(old))
    assert code == 2 and "周岁" in output and not (tmp_path / "a").exists()
    new = write_profile(tmp_path / "new", {"学年": "2027-2028", "报到日期": None, "成文日期": "2027-08-01"},
                        {"复学截止日期": None})
    code, output = _run("letters", str(roster), "-o", str(tmp_path / "b"), "--settings", str(new))
    assert code == 0, output
    text = _pdf_text(tmp_path / "b")
    assert "2027—2028学年度入读" in text
    assert "2027年8月31日" in text  # the default 报到日期: 8月31日 of the 学年's first year


def test_settings_sheet_school_year_against_the_profiles_report_date_is_refused(tmp_path: Path) -> None:
    roster = _roster(tmp_path / "名册.xlsx", 2027)
    workbook = load_workbook(roster)
    sheet = workbook.create_sheet("设置")
    sheet.append(["学年", "2027—2028"])
    workbook.save(roster)
    profile = write_profile(tmp_path / "p")  # 报到日期 2026-08-31
    code, output = _run("letters", str(roster), "-o", str(tmp_path / "out"), "--settings", str(profile))
    assert code == 2, output
    assert "单位设置.yaml 报到日期: 报到日期应在学年 2027—2028 的第一年（2027年）（2026年8月31日）" in output
    assert not (tmp_path / "out").exists()


def test_a_letter_dated_after_the_report_date_warns(tmp_path: Path) -> None:
    roster = _roster(tmp_path / "名册.xlsx", 2026, rows=2)
    profile = write_profile(tmp_path / "p", {"成文日期": "2026-09-02"})
    code, output = _run("letters", str(roster), "-o", str(tmp_path / "out"), "--settings", str(profile))
    assert code == 0, output
    assert "成文日期: 入学通知书的成文日期晚于报到日期 2026年8月31日（2026年9月2日）" in output


@pytest.mark.parametrize(
    ("changes", "expected"),
    [({"学年": "2027-2026"}, "单位设置.yaml:32 学年: 学年的后一年应比前一年大 1"),
     ({"行政区划代码": "35012"}, "单位设置.yaml:13 行政区划代码: 行政区划代码应为 6 位数字（GB/T 2260）"),
     ({"报到日期": "2026-02-30"}, "单位设置.yaml:33 报到日期: 不是有效日期"),
     ({"县名": "古田县"}, "单位设置.yaml:1 县名: 没有这一项")],
)
def test_bad_profile_exits_2_located_and_writes_nothing(tmp_path: Path, changes: dict, expected: str) -> None:
    from kongchuo_docs.files.resources import sample_path

    text = sample_path("profile", "单位设置.yaml").read_text(encoding="utf-8")
    for key, value in changes.items():
        if key in ("学年", "行政区划代码", "报到日期"):
            text = re.sub(rf"^{key}: [^#\n]*", f'{key}: "{value}"   ', text, count=1, flags=re.M)
        else:
            text = f"{key}: {value}\n" + text
    profile = tmp_path / "单位设置.yaml"
    profile.write_text(text, encoding="utf-8")
    roster = _roster(tmp_path / "名册.xlsx", 2026, rows=2)
    code, output = _run("letters", str(roster), "-o", str(tmp_path / "out"), "--settings", str(profile))
    assert code == 2 and expected in output, output
    assert not (tmp_path / "out").exists()


def test_build_of_a_draft_takes_the_issuer_from_the_settings_option(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "none"))
    monkeypatch.chdir(tmp_path)
    profile = write_profile(tmp_path / "设置", {"县": "古田县", "教育局": "古田县教育局", "办公室": "",
                                              "文号代字": {"通知": "古教综"}})
    draft = tmp_path / "草稿.txt"
    draft.write_text("古田县教育局关于做好控辍保学工作的通知\n各乡（镇）中心学校：\n为做好工作，特此通知。\n"
                     "古田县教育局\n2026年3月2日\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(draft), "-o", "out", "--format", "docx",
                                      "--set", "发文字号=3", "--set", "版记=是", "--settings", str(profile)])
    assert result.exit_code == 0, result.output
    assert "古教综〔2026〕3号" in result.output and "古田县教育局办公室" in result.output


def test_doctor_says_which_profile_the_commands_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kongchuo_docs.cli.doctor import _profile

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "none"))
    monkeypatch.chdir(tmp_path)
    assert _profile().status == "warning" and "kongchuo-docs init" in _profile().detail
    write_profile(tmp_path, {"县": "古田县"})
    assert _profile().status == "ok" and "福建省古田县，学年 2026—2027" in _profile().detail
    write_profile(tmp_path, {"学年": "2027-2026"})
    assert _profile().status == "warning" and "1 处错误" in _profile().detail
