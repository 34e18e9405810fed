"""The 单位设置 profile: finding it, reading it (YAML and the Excel twin), located errors, `init`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from kongchuo_docs.cli import app
from kongchuo_docs.errors import InputError, KongchuoError
from kongchuo_docs.files.resources import sample_path, template_path
from kongchuo_docs.profile import PROFILE_NAME, find_profile_path, load_profile

SAMPLE = sample_path("profile", PROFILE_NAME)

GUTIAN = """\
省: 福建省
市: 宁德市
县: 古田县
行政区划代码: "350922"
教育局: 古田县教育局
文号代字: {通知: 古教综, 督导: 古教督}
实施方案:
  标题: 《古田县关于进一步加强控辍保学工作的实施方案》
  文号: 古教综[2021]12号
学年: 2027-2028
报到日期: 2027/8/30
报到时间: 8:00
咨询电话: 0593-3882001
成文日期: 今天
双面打印: 否
乡镇:
  - {名称: 城东街道, 代码: "350922001"}
  - {名称: 大桥镇}
学校:
  - {名称: 古田县第一小学, 代码: "3135001234", 乡镇: 城东街道}
通知书:
  劝返复学期限天数: 10
  所需材料: 户口簿、出生医学证明
"""


def write(folder: Path, text: str, name: str = PROFILE_NAME) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_profile(path)
    return [str(p) for p in caught.value.problems]


@pytest.fixture(autouse=True)
def no_user_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No profile of the machine's user is ever found by a test."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def test_sample_profile_reads_as_luoyuan() -> None:
    profile = load_profile(SAMPLE)
    place = (profile.province, profile.city, profile.county, profile.area_code)
    assert place == ("福建省", "福州市", "罗源县", "350123")
    assert profile.office == "罗源县教育局办公室"
    assert profile.leading_group == "罗源县控辍保学工作领导小组"
    assert profile.plan.number == "罗教综〔2020〕47号"
    assert profile.number_code("整改") == "罗教综" and profile.number_code("督导") == "罗教督"
    assert profile.first_year == 2026 and profile.report_date == dt.date(2026, 8, 31)
    assert {s.township for s in profile.schools} <= {t.name for t in profile.townships}
    assert profile.source == SAMPLE.resolve()


def test_values_are_normalised(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, GUTIAN))
    assert profile.school_year == "2027—2028"
    assert profile.report_time == "8:00"  # not YAML 1.1's 480
    assert profile.phone == "0593-3882001"
    assert profile.plan.title == "古田县关于进一步加强控辍保学工作的实施方案"
    assert profile.plan.number == "古教综〔2021〕12号"
    assert profile.duplex is False
    assert profile.office == "古田县教育局办公室"
    assert profile.issue_date(dt.date(2027, 8, 1)) == dt.date(2027, 8, 1)
    settings = profile.letter_settings()
    assert settings["劝返复学期限天数"] == 10 and settings["所需材料"] == ["户口簿", "出生医学证明"]
    assert settings["学年"] == "2027—2028" and settings["双面打印"] is False
    assert profile.townships[0].code == "350922001" and profile.schools[0].township == "城东街道"


def test_found_in_a_parent_folder_then_in_the_user_config(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_profile_path(start=deep) is None
    config = tmp_path / "config" / "kongchuo-docs"
    config.mkdir(parents=True)
    write(config, GUTIAN)
    assert find_profile_path(start=deep) == config / PROFILE_NAME
    near = write(tmp_path / "a", GUTIAN)
    assert find_profile_path(start=deep) == near
    assert find_profile_path(Path("x.yaml"), start=deep) == Path("x.yaml")


def test_none_found_names_init(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_profile(required=False) is None
    with pytest.raises(KongchuoError, match="kongchuo-docs init"):
        load_profile()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("县: 古田县", "县名: 古田县", "单位设置.yaml:3 县名: 没有这一项，是不是“县”？"),
        ('行政区划代码: "350922"', '行政区划代码: "35092"',
         "单位设置.yaml:4 行政区划代码: 行政区划代码应为 6 位数字（GB/T 2260）"),
        ("学年: 2027-2028", "学年: 2027-2026", "单位设置.yaml:10 学年: 学年的后一年应比前一年大 1"),
        ("学年: 2027-2028", "学年: 2027-2029", "单位设置.yaml:10 学年: 学年的后一年应比前一年大 1"),
        ("报到日期: 2027/8/30", "报到日期: 2027-02-30", "单位设置.yaml:11 报到日期: 不是有效日期"),
        ("省: 福建省", "省: [福建省]", "单位设置.yaml:1 省: 应为文字"),
        ("双面打印: 否", "双面打印: 也许", "单位设置.yaml:15 双面打印: 应填“是”或“否”"),
        ("  劝返复学期限天数: 10", "  劝返复学天数: 10",
         "单位设置.yaml:22 通知书.劝返复学天数: 没有这一项，是不是“劝返复学期限天数”？"),
        ("  劝返复学期限天数: 10", "  学年: 2027—2028", "单位设置.yaml:22 通知书.学年: “学年”写在单位设置的顶层"),
        ("  劝返复学期限天数: 10", "  劝返复学期限天数: 十天", "单位设置.yaml:22 通知书.劝返复学期限天数: 应为整数"),
        ("通知书:\n", "报到地点: 礼堂\n通知书:\n", "单位设置.yaml:21 报到地点: “报到地点”是通知书的设置"),
        ("报到日期: 2027/8/30", "报到日期: 2026/8/30",
         "单位设置.yaml:11 报到日期: 报到日期应在学年 2027—2028 的第一年"),
        ("乡镇: 城东街道}", "乡镇: 城西街道}", "单位设置.yaml:20 学校[1].乡镇: 不在“乡镇”列表中（城西街道）"),
        ("  - {名称: 大桥镇}", "  - {名称: 城东街道}", "单位设置.yaml:18 乡镇[2].名称: 乡镇名称重复（城东街道）"),
        ("文号代字: {通知: 古教综", "文号代字: {通知: 古教综〔2027〕",
         "单位设置.yaml:6 文号代字.通知: 文号代字只写机关代字"),
        ("教育局: 古田县教育局", "教育局: ''", "单位设置.yaml:5 教育局: 必填，不能为空"),
    ],
)
def test_bad_value_is_located_by_line(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in GUTIAN
    found = problems_of(write(tmp_path, GUTIAN.replace(old, new, 1)))
    assert any(p.startswith(expected) for p in found), found


def test_every_problem_reported_at_once(tmp_path: Path) -> None:
    text = GUTIAN.replace('"350922"', '"3509"').replace("2027-2028", "2028-2027").replace("2027/8/30", "2027-13-01")
    assert len(problems_of(write(tmp_path, text))) == 3


def test_yaml_syntax_error_is_located(tmp_path: Path) -> None:
    found = problems_of(write(tmp_path, GUTIAN.replace("县: 古田县", "县: [古田县")))
    assert found[0].startswith("单位设置.yaml:") and "YAML 格式错误" in found[0]


def test_not_a_mapping(tmp_path: Path) -> None:
    assert "键值对" in problems_of(write(tmp_path, "- 古田县\n"))[0]


def test_township_code_outside_the_county_warns(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, GUTIAN.replace('"350922001"', '"350123001"')))
    assert [str(w) for w in profile.warnings] == [
        "单位设置.yaml:17 乡镇[1].代码: 乡镇代码通常以本县行政区划代码 350922 开头（350123001）"
    ]


def test_templates_dir_is_relative_to_the_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kongchuo_docs.wording.files import TEMPLATES_BY_ENV, TEMPLATES_ENV

    for name in (TEMPLATES_ENV, TEMPLATES_BY_ENV):  # loading the profile activates its 模板目录 for this process
        monkeypatch.setenv(name, "")
    with pytest.raises(InputError, match=r"单位设置.yaml:\d+ 模板目录: 模板目录不存在"):
        load_profile(write(tmp_path, GUTIAN + "模板目录: 措辞\n"))
    (tmp_path / "措辞").mkdir()
    profile = load_profile(write(tmp_path, GUTIAN + "模板目录: 措辞\n"))
    assert profile.templates_path == (tmp_path / "措辞").resolve()


def excel_twin(path: Path, rows: list[tuple[str, object]], schools: list[tuple[str, ...]] = ()) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "单位设置"
    sheet.append(("项目", "内容"))
    for row in rows:
        sheet.append(row)
    school_sheet = workbook.create_sheet("学校")
    school_sheet.append(("名称", "代码", "乡镇"))
    for row in schools:
        school_sheet.append(row)
    workbook.save(path)
    return path


BASE_ROWS = [("省", "福建省"), ("县", "古田县"), ("行政区划代码", 350922), ("教育局", "古田县教育局"),
             ("学年", "2027—2028"), ("实施方案.标题", "古田县控辍保学实施方案"), ("报到日期", dt.datetime(2027, 8, 30)),
             ("通知书.所需材料", "户口簿"), ("通知书.所需材料", "出生医学证明")]


def test_excel_twin_reads_like_the_yaml(tmp_path: Path) -> None:
    path = excel_twin(tmp_path / "单位设置.xlsx", BASE_ROWS, [("古田县第一小学", 3135001234, "")])
    profile = load_profile(path)
    assert profile.area_code == "350922" and profile.plan.title == "古田县控辍保学实施方案"
    assert profile.report_date == dt.date(2027, 8, 30)
    assert profile.letters.所需材料 == ["户口簿", "出生医学证明"]
    assert profile.schools[0].code == "3135001234"
    assert find_profile_path(start=tmp_path) == path


def test_excel_twin_errors_are_located_by_cell(tmp_path: Path) -> None:
    rows = [*BASE_ROWS[:4], ("学年", "2027—2026"), ("学段", "小学")]
    found = problems_of(excel_twin(tmp_path / "单位设置.xlsx", rows, [("古田县第一小学", "31-35", "")]))
    assert any(p.startswith("单位设置.xlsx!单位设置!B6 学年: 学年的后一年") for p in found), found
    assert any(p.startswith("单位设置.xlsx!单位设置!B7 学段: 没有这一项") for p in found), found
    assert any(p.startswith("单位设置.xlsx!学校!B2 代码: 代码应只含数字") for p in found), found


def test_init_writes_the_commented_blank_and_refuses_to_overwrite(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = tmp_path / PROFILE_NAME
    assert written.read_bytes() == template_path("profile", PROFILE_NAME).read_bytes()
    written.write_text(GUTIAN, encoding="utf-8")
    again = CliRunner().invoke(app, ["init", str(tmp_path)])
    assert again.exit_code == 2 and "--force" in again.output
    assert written.read_text(encoding="utf-8") == GUTIAN
    assert CliRunner().invoke(app, ["init", str(tmp_path), "--force"]).exit_code == 0
    assert written.read_bytes() == template_path("profile", PROFILE_NAME).read_bytes()


def test_blank_profile_names_no_county_and_asks_for_the_required_fields(tmp_path: Path) -> None:
    blank = template_path("profile", PROFILE_NAME).read_text(encoding="utf-8")
    assert "罗源" not in blank
    found = problems_of(write(tmp_path, blank))
    assert {p.split(":")[1].split()[1] for p in found} == {"省", "县", "行政区划代码", "教育局", "学年"}
    assert all("必填" in p for p in found)


def test_blank_profile_documents_every_key() -> None:
    from kongchuo_docs.profile import Profile
    from kongchuo_docs.profile.model import LetterSection

    blank = template_path("profile", PROFILE_NAME).read_text(encoding="utf-8")
    for field in (*Profile.model_fields.values(), *LetterSection.model_fields.values()):
        key = field.alias or ""
        assert key == "" or f"{key}:" in blank, key
    for key in LetterSection.model_fields:
        assert f"  {key}:" in blank, key


def test_forms_writes_the_excel_twin_which_reads_back(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    result = CliRunner().invoke(app, ["forms", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    twin = tmp_path / "单位设置.xlsx"
    blank = problems_of(twin)  # unfilled: exactly the required 项目, located at their cells
    assert len(blank) == 5 and all(p.startswith("单位设置.xlsx!单位设置!B") and "必填" in p for p in blank), blank
    workbook = load_workbook(twin)
    sheet = workbook["单位设置"]
    filled = {"省": "福建省", "县": "古田县", "行政区划代码": "350922", "教育局": "古田县教育局",
              "学年": "2027—2028", "实施方案.文号": "古教综〔2021〕12号", "通知书.劝返复学期限天数": "10"}
    for key_cell, value_cell, _ in sheet.iter_rows(min_row=2):
        if key_cell.value in filled:
            value_cell.value = filled[key_cell.value]
    workbook["学校"].append(("古田县第一小学", "3135001234", ""))
    workbook.save(twin)
    profile = load_profile(twin)
    assert profile.county == "古田县" and profile.plan.number == "古教综〔2021〕12号"
    assert profile.letters.劝返复学期限天数 == 10 and profile.schools[0].name == "古田县第一小学"
    assert profile.letters.所需材料[:2] == ["户口簿", "出生医学证明"] and len(profile.letters.所需材料) == 5
    assert profile.date_rule == "今天" and profile.letters.入学回执 is True


def test_no_county_in_the_package() -> None:
    """Only samples/ and tests may name the demo county: code, wording and forms take it from a profile."""
    root = Path(__file__).resolve().parents[1]
    found = [f"{path.relative_to(root)}:{number}"
             for folder in ("src", "templates", "forms") for path in sorted((root / folder).rglob("*"))
             if path.is_file() and path.suffix not in (".pyc",)
             for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
             if "罗源" in line]
    assert found == []


def test_age_reference_is_the_cutoff_day_in_the_first_year(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, GUTIAN))
    assert profile.age_reference() == dt.date(2027, 8, 31)  # 义务教育法 art. 11 by default
    assert profile.age_reference("2030—2031") == dt.date(2030, 8, 31)
    province = load_profile(write(tmp_path, GUTIAN + "入学年龄截止日: 9月1日\n"))
    assert province.age_cutoff == "9月1日" and province.age_reference() == dt.date(2027, 9, 1)
    assert problems_of(write(tmp_path, GUTIAN + "入学年龄截止日: 2月30日\n"))[0].startswith(
        "单位设置.yaml:24 入学年龄截止日: 应写作 月日，如 8月31日")


def test_places_and_number_code_may_be_written_short(tmp_path: Path) -> None:
    text = GUTIAN.split("乡镇:")[0] + "乡镇: 城东街道、大桥镇\n学校:\n  - 古田县第一小学\n"
    profile = load_profile(write(tmp_path, text.replace("文号代字: {通知: 古教综, 督导: 古教督}", "文号代字: 古教综")))
    assert [t.name for t in profile.townships] == ["城东街道", "大桥镇"]
    assert [s.name for s in profile.schools] == ["古田县第一小学"]
    assert profile.number_code("整改") == "古教综"
