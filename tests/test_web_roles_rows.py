"""Row scope of the 自查报告, 登记表 and 责任书 pages by role (issue 21 #1): a 学校 account builds only
its own unit's, a 乡镇 account its own and its 学校's, the 教育局 every one. Each page and each role,
asserting which units, parties and children end up in the download; the other units' rows are left
out (责任书, 自查报告) or refused (登记表) with the first foreign cell and the count named."""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from web_helpers import CLUES, SELF_CHECK_COUNTS, csrf_of, fill, fill_fields, logged_in, sample_profile, wait_for_job

from kongchuo_docs.kinds.forms import build_forms

PASSWORDS = {"jyj": "bureau-pass", "yixiao": "school-one", "zhen": "town-pass", "feizhu": "school-far"}
SCHOOL = "罗源县实验小学"  # the sample profile's first school, in 凤山镇
TOWN_SCHOOL = "罗源县第二实验小学"  # another school of 凤山镇
FAR_SCHOOL = "松山中心小学"  # a school of 松山镇

# 甲方 → 乙方 of the list the tests upload; 甲方 as people write them (县 before, 人民政府 after)
PARTIES = [
    {"层级": "县教育局—学校", "甲方": "罗源县教育局", "乙方": SCHOOL, "乙方负责人": "陈建华"},
    {"层级": "学校—班主任", "甲方": SCHOOL, "乙方": "林芳", "班级": "六年级（2）班"},
    {"层级": "学校—班主任", "甲方": FAR_SCHOOL, "乙方": "陈红", "班级": "三年级（1）班"},
    {"层级": "乡镇政府—村(居)委会", "甲方": "罗源县凤山镇人民政府", "乙方": "西门村民委员会", "乙方负责人": "游长青"},
    {"层级": "学校—任课教师", "甲方": TOWN_SCHOOL, "乙方": "王强"},
]  # fmt: skip
ALL_B = {SCHOOL, "林芳", "陈红", "西门村民委员会", "王强"}


@pytest.fixture
def app(accounts_app):
    county = sample_profile()
    assert county.schools[0].name == SCHOOL and county.schools[0].township == "凤山镇"
    return accounts_app({"jyj": ("教育局", county.bureau, PASSWORDS["jyj"]),
                         "yixiao": ("学校", SCHOOL, PASSWORDS["yixiao"]),
                         "zhen": ("乡镇", "凤山镇", PASSWORDS["zhen"]),
                         "feizhu": ("学校", "飞竹中心小学", PASSWORDS["feizhu"])})  # fmt: skip


@pytest.fixture(scope="module")
def blanks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("blank")
    build_forms(folder, first_year=2026)
    return folder


def _run(app, who: str, page: str, files: list[tuple[str, tuple[str, bytes]]], **fields: str):
    """Log in as `who`, upload to `page`, wait: (state, job page text without tags, the zip's names
    and its members' bytes)."""
    c = logged_in(app, who, PASSWORDS[who])
    url = c.post(page, files=files, data={"csrf": csrf_of(c), **fields}).url.path
    assert url.startswith("/jobs/"), url
    state = wait_for_job(c, url)["state"]
    text = html.unescape(re.sub(r"<[^>]+>", " ", c.get(url).text))
    members: dict[str, bytes] = {}
    if state == "done":
        with zipfile.ZipFile(io.BytesIO(c.get(f"{url}/download").content)) as zf:
            members = {n: zf.read(n) for n in zf.namelist()}
    return state, " ".join(text.split()), members


def _cell_of(path: Path, value: str) -> str:
    """The cell of the first data cell holding `value` (the sheet as the clerk filled it)."""
    sheet = openpyxl.load_workbook(path).worksheets[0]
    return next(c.coordinate for row in sheet.iter_rows(min_row=2) for c in row if c.value == value)


# ---------------------------------------------------------------- 责任书


@pytest.fixture
def parties(blanks: Path, tmp_path: Path) -> Path:
    return fill(blanks / "责任书名单.xlsx", PARTIES, tmp_path / "责任书名单.xlsx")


def _agreements(app, who: str, parties: Path):
    return _run(app, who, "/batch/agreements", [("parties", (parties.name, parties.read_bytes()))])


def _parties_b(members: dict[str, bytes]) -> set[str]:
    """The 乙方 of the agreements in the download (``<甲方>/NN_<乙方>.pdf``)."""
    stems = [name.rsplit("/", 1)[-1].split("_", 1)[-1] for name in members if name.endswith(".pdf")]
    return {b for b in ALL_B if any(stem.startswith(b) for stem in stems if "合订本" not in stem)}


def test_a_school_gets_the_agreements_it_signs_as_party_a_only(app, parties: Path) -> None:
    state, page, members = _agreements(app, "yixiao", parties)
    assert state == "done", page
    assert _parties_b(members) == {"林芳"}
    assert {name.split("/")[0] for name in members} == {SCHOOL, f"{SCHOOL}_合订本.docx", f"{SCHOOL}_合订本.pdf"}
    assert "有 4 份责任书不属于本单位" in page and "已略去" in page
    assert _cell_of(parties, "罗源县教育局") in page  # the first foreign row's 甲方 cell


def test_a_township_gets_its_own_and_its_schools_agreements(app, parties: Path) -> None:
    state, page, members = _agreements(app, "zhen", parties)
    assert state == "done", page
    assert _parties_b(members) == {"林芳", "西门村民委员会", "王强"}  # 罗源县凤山镇人民政府 is 凤山镇
    assert "有 2 份责任书不属于本单位" in page and f"{FAR_SCHOOL} 1" in page and "罗源县教育局 1" in page


def test_the_bureau_gets_every_agreement(app, parties: Path) -> None:
    state, page, members = _agreements(app, "jyj", parties)
    assert state == "done", page
    assert _parties_b(members) == ALL_B
    assert "不属于本单位" not in page


def test_a_list_of_other_units_only_is_refused(app, parties: Path) -> None:
    state, page, members = _agreements(app, "feizhu", parties)
    assert state == "failed" and not members
    assert "有 5 份责任书不属于本单位（飞竹中心小学）" in page and "请删去其他单位的内容后重新上传" in page
    assert _cell_of(parties, "罗源县教育局") in page


# ---------------------------------------------------------------- 自查报告


@pytest.fixture
def forms(blanks: Path, tmp_path: Path) -> list[Path]:
    made = []
    for unit, kind in ((SCHOOL, "学校"), ("凤山镇人民政府", "乡镇"), (FAR_SCHOOL, "学校")):
        path = tmp_path / "自查表" / f"{unit}.xlsx"
        fill_fields(blanks / "自查表.xlsx", path, {"单位名称": unit, "单位类型": kind, "自查时段": "2026年秋季学期",
                                                  "报告日期": "2026-10-09", **SELF_CHECK_COUNTS})  # fmt: skip
        made.append(path)
    return made


def _self_check(app, who: str, forms: list[Path]):
    return _run(app, who, "/batch/self-check", [("forms", (p.name, p.read_bytes())) for p in forms])


def _reports(members: dict[str, bytes]) -> set[str]:
    return {name.removesuffix("_自查报告.pdf") for name in members if name.endswith("_自查报告.pdf")}


def _unit_cell(path: Path) -> str:
    sheet = openpyxl.load_workbook(path).worksheets[0]
    return next(value.coordinate for label, value, _ in sheet.iter_rows(min_row=3, max_col=3)
                if str(label.value or "").rstrip("*") == "单位名称")  # fmt: skip


def test_a_school_gets_its_own_self_check_report_only(app, forms: list[Path]) -> None:
    state, page, members = _self_check(app, "yixiao", forms)
    assert state == "done", page
    assert _reports(members) == {SCHOOL}
    assert "有 2 份自查表不属于本单位" in page and "已略去" in page
    assert "凤山镇人民政府.xlsx" in page and _unit_cell(forms[1]) in page  # the first foreign form's 单位名称


def test_a_township_gets_its_own_and_its_schools_self_check_reports(app, forms: list[Path]) -> None:
    state, page, members = _self_check(app, "zhen", forms)
    assert state == "done", page
    assert _reports(members) == {SCHOOL, "凤山镇人民政府"}
    assert "有 1 份自查表不属于本单位" in page and f"{FAR_SCHOOL} 1" in page


def test_the_bureau_gets_every_self_check_report(app, forms: list[Path]) -> None:
    state, page, members = _self_check(app, "jyj", forms)
    assert state == "done", page
    assert _reports(members) == {SCHOOL, "凤山镇人民政府", FAR_SCHOOL}


def test_another_units_form_with_errors_does_not_stop_a_schools_report(app, forms: list[Path], blanks: Path) -> None:
    broken = forms[2].with_name("松山（有错）.xlsx")
    values = {"单位名称": FAR_SCHOOL, "单位类型": "学校", "自查时段": "2026年秋季学期", "报告日期": "2026-10-09"}
    fill_fields(blanks / "自查表.xlsx", broken, {**values, **SELF_CHECK_COUNTS, "辍学人数": "两人"})
    state, page, members = _self_check(app, "yixiao", [forms[0], broken])
    assert state == "done", page
    assert _reports(members) == {SCHOOL} and "有 1 份自查表不属于本单位" in page and "两人" not in page


def test_self_check_forms_of_other_units_only_are_refused(app, forms: list[Path]) -> None:
    state, page, members = _self_check(app, "feizhu", forms)
    assert state == "failed" and not members
    assert "有 3 份自查表不属于本单位（飞竹中心小学）" in page


# ---------------------------------------------------------------- 登记表

CHILD = ("张小明", "350123201101011234")  # typed into a clue, as clerks do


def _register(folder: Path, unit: str | None, name: str = "登记表.xlsx") -> Path:
    """A register as a unit fills it: 填报单位 in A1/B1 (none when `unit` is None), the header, two
    clues, the first naming a child and her ID number."""
    book = openpyxl.Workbook()
    sheet = book.active
    if unit is not None:
        sheet.append(["填报单位", unit, "填报时间", "2026-10-09"])
    clues = [{**CLUES[0], "线索简要内容": f"{CHILD[0]}（身份证号{CHILD[1]}）自9月起未到校。"}, CLUES[1]]
    header = list(clues[0])
    sheet.append(header)
    for clue in clues:
        sheet.append([clue.get(key) for key in header])
    path = folder / name
    book.save(path)
    return path


def _register_run(app, who: str, path: Path):
    state, page, members = _run(app, who, "/batch/register-build", [("clues", (path.name, path.read_bytes()))],
                                formats="xlsx")  # fmt: skip
    cells: set[str] = set()
    for name, data in members.items():
        if name.endswith(".xlsx"):
            book = openpyxl.load_workbook(io.BytesIO(data))
            cells |= {str(v) for s in book.worksheets for row in s.iter_rows(values_only=True) for v in row if v}
    return state, page, " ".join(sorted(cells))


def test_a_school_builds_its_own_register_and_is_refused_another_schools(app, tmp_path: Path) -> None:
    state, page, cells = _register_run(app, "yixiao", _register(tmp_path, SCHOOL))
    assert state == "done", page
    assert CHILD[0] in cells and SCHOOL in cells
    state, page, cells = _register_run(app, "yixiao", _register(tmp_path, FAR_SCHOOL, "他校.xlsx"))
    assert state == "failed" and not cells
    assert "有 2 条线索不属于本单位（罗源县实验小学）" in page and f"{FAR_SCHOOL} 2" in page
    assert "他校.xlsx" in page and "B1" in page  # the 填报单位 cell
    assert CHILD[1] not in page


def test_a_register_without_its_unit_is_the_schools_own(app, tmp_path: Path) -> None:
    state, page, cells = _register_run(app, "yixiao", _register(tmp_path, None))
    assert state == "done", page
    assert SCHOOL in cells and CHILD[0] in cells  # 填报单位: her school


def test_a_township_builds_its_schools_registers_not_another_townships(app, tmp_path: Path) -> None:
    state, page, cells = _register_run(app, "zhen", _register(tmp_path, TOWN_SCHOOL))
    assert state == "done", page
    assert TOWN_SCHOOL in cells and CHILD[0] in cells
    state, page, _ = _register_run(app, "zhen", _register(tmp_path, "罗源县松山镇人民政府", "松山.xlsx"))
    assert state == "failed" and "有 2 条线索不属于本单位（凤山镇及其学校" in page


def test_the_bureau_builds_any_units_register(app, tmp_path: Path) -> None:
    state, page, cells = _register_run(app, "jyj", _register(tmp_path, FAR_SCHOOL))
    assert state == "done", page
    assert FAR_SCHOOL in cells and CHILD[0] in cells
