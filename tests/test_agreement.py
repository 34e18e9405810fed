"""目标责任书: one agreement per party with its own targets, per-level wording, list errors located."""

from pathlib import Path

import openpyxl
import pytest

from kongchuo_docs.errors import InputError
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds import agreement
from kongchuo_docs.model import Heading, Table
from kongchuo_docs.profile import load_profile

PROFILE = load_profile(sample_path("profile", "单位设置.yaml"))


def _write_yaml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "名单.yaml"
    path.write_text(text, encoding="utf-8")
    return path


LIST = """\
学年度: 2021-2022
依据文号: 罗教综〔2021〕5号
责任书:
  - {层级: 县教育局—学校, 甲方: 罗源县教育局, 乙方: 甲小学, 乙方负责人: 张三}
  - {层级: 县教育局—学校, 甲方: 罗源县教育局, 乙方: 乙中学, 巩固率目标: 99.5%, 辍学率目标: 0.5%}
  - {层级: 学校—班主任, 甲方: 甲小学, 乙方: 李四, 班级: 三年级（1）班}
"""


def _targets(doc) -> dict[str, str]:
    table = next(b for b in doc.body if isinstance(b, Table))
    return {row[1]: row[2] for row in table.rows[1:]}


def test_one_agreement_per_party_with_its_targets(tmp_path):
    entries, _ = agreement.read_agreement_list(_write_yaml(tmp_path, LIST), PROFILE)
    assert [e.party_b for e in entries] == ["甲小学", "乙中学", "李四"]
    first, second, teacher = (agreement.agreement_document(e) for e in entries)
    assert first.title == "2021—2022学年度控辍保学目标责任书"
    assert first.format == "plain" and first.colophon is None and first.signatures == []
    assert _targets(first)["义务教育巩固率"] == "不低于99.8%"  # template default
    assert _targets(second)["义务教育巩固率"] == "不低于99.5%"
    assert _targets(second)["辍学率"] == "不高于0.5%"
    assert _targets(first)["辍学率"] == "0%"  # as the template gives it
    assert _targets(first)["适龄儿童少年入学率"] == "100%"
    assert "适龄儿童少年入学率" not in _targets(teacher)  # the 班主任 level has no 入学率
    texts = [getattr(b, "text", "") for b in teacher.body]
    assert "乙方：李四（三年级（1）班）" in texts


def test_agreement_has_all_sections_and_signature_lines(tmp_path):
    entry = agreement.read_agreement_list(_write_yaml(tmp_path, LIST), PROFILE)[0][0]
    doc = agreement.agreement_document(entry)
    headings = [b.text for b in doc.body if isinstance(b, Heading) and b.level == 1]
    assert headings == ["一、工作目标", "二、工作职责", "三、考核与奖惩", "四、附则"]
    texts = [getattr(b, "text", "") + (getattr(b, "run_in", None) or "") for b in doc.body]
    assert any("本责任书一式两份，甲乙双方各执一份，自签订之日起生效" in t for t in texts)
    assert any("罗教综〔2021〕5号" in t for t in texts)
    assert any("家访" in t for t in texts)
    signature = [t for t in texts if t.startswith("甲方（盖章）")]
    assert len(signature) == 1 and "乙方（盖章）" in signature[0]
    # the 乙方 column starts at the same character on every signature line
    lines = texts[-3:]
    assert lines[0] == signature[0]
    right = [t[agreement.SIGNATURE_COLUMN_CHARS :] for t in lines]
    assert right == list(entry.template.signature_b)


def test_merged_file_per_party_a_holds_every_agreement(tmp_path):
    entries, _ = agreement.read_agreement_list(_write_yaml(tmp_path, LIST), PROFILE)
    bureau = [e for e in entries if e.party_a == "罗源县教育局"]
    merged = agreement.merged_document(bureau)
    assert len(merged.issued) == len(bureau) - 1
    assert all(d.title == merged.title for d in merged.issued)


def test_list_problems_are_located_and_collected(tmp_path):
    bad = """\
学年度: 2020—2022
责任书:
  - {层级: 教育局—幼儿园, 甲方: 罗源县教育局, 乙方: 甲小学}
  - {层级: 县教育局—学校, 甲方: 罗源县教育局, 乙方: 乙小学, 巩固率目标: 百分百}
  - {层级: 县教育局—学校, 乙方: 丙小学}
"""
    with pytest.raises(InputError) as info:
        agreement.read_agreement_list(_write_yaml(tmp_path, bad), PROFILE)
    messages = [str(p) for p in info.value.problems]
    assert any("名单.yaml:3 层级" in m and "没有这一层级" in m for m in messages)
    assert any("名单.yaml:4 巩固率目标" in m for m in messages)
    assert any("名单.yaml:5 甲方: 必填" in m for m in messages)
    assert any("学年度" in m and "相邻" in m for m in messages)


def test_duplicate_party_is_an_error(tmp_path):
    dup = LIST + "  - {层级: 县教育局—学校, 甲方: 罗源县教育局, 乙方: 甲小学}\n"
    with pytest.raises(InputError, match="重复"):
        agreement.read_agreement_list(_write_yaml(tmp_path, dup), PROFILE)


def test_workbook_list_reads_like_yaml(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "责任书名单"
    ws.append(["层级", "学年度", "甲方", "乙方", "乙方负责人", "巩固率目标", "辍学率目标"])
    town = "罗源县凤山镇人民政府"
    ws.append(["乡镇政府—村（居）委会", "2020—2021", town, "西门村民委员会", "游长青", 0.998, None])
    ws.append(["乡镇政府-村委会", "2020-2021", town, "南门社区居民委员会", None, None, "1%"])
    path = tmp_path / "名单.xlsx"
    wb.save(path)
    entries, warnings = agreement.read_agreement_list(path, PROFILE)
    assert [str(w) for w in warnings] == [
        "名单.xlsx!责任书名单!F2 巩固率目标: “乡镇政府—村(居)委会”责任书没有巩固率目标，已忽略"
    ]
    assert [e.template.level for e in entries] == ["乡镇政府—村(居)委会"] * 2
    targets = {t.spec.name: t.text for t in entries[1].targets}
    assert targets["辍学率"] == "不高于1%"
    assert targets["入学率"] == "100%"


def test_target_the_level_does_not_have_is_a_warning(tmp_path):
    text = LIST.replace("乙方: 李四,", "乙方: 李四, 入学率目标: 100%,")
    entries, warnings = agreement.read_agreement_list(_write_yaml(tmp_path, text), PROFILE)
    assert len(entries) == 3
    assert [str(w) for w in warnings] == ["名单.yaml:6 入学率目标: “学校—班主任”责任书没有入学率目标，已忽略"]


def test_blank_form_filled_in_reads_back(tmp_path):
    """The blank 责任书名单 from the forms command (example row left in place) reads back."""
    from kongchuo_docs.readers.schema import load_schema
    from kongchuo_docs.writers.xlsx_forms import write_blank_form

    path = tmp_path / "责任书名单.xlsx"
    write_blank_form(load_schema("责任书名单"), path)
    wb = openpyxl.load_workbook(path)
    ws = wb["责任书名单"]
    header = next(r for r in ws.iter_rows() if any(c.value == "乙方*" for c in r))
    column = {str(c.value).rstrip("*"): c.column for c in header if c.value}
    row = ws.max_row + 1
    for label, value in {"层级": "学校—班主任", "学年度": "2020—2021", "甲方": "罗源县实验小学",
                         "乙方": "林芳", "班级": "六年级（2）班", "巩固率目标": "99%"}.items():
        ws.cell(row, column[label], value)
    wb.save(path)
    entries, warnings = agreement.read_agreement_list(path, PROFILE)
    assert [(e.party_b_display, e.targets[0].text) for e in entries] == [("林芳（六年级（2）班）", "不低于99%")]
    assert warnings == []


def test_school_year_and_cited_plan_default_from_the_profile(tmp_path):
    from profiles import write_profile

    profile = load_profile(write_profile(tmp_path / "p", {
        "学年": "2027—2028", "报到日期": "2027-08-30",
        "实施方案": {"标题": "古田县控辍保学工作实施方案", "文号": "古教综〔2021〕12号"}}))
    text = "责任书:\n  - {层级: 县教育局—学校, 甲方: 古田县教育局, 乙方: 甲小学}\n"
    [entry], _ = agreement.read_agreement_list(_write_yaml(tmp_path, text), profile)
    doc = agreement.agreement_document(entry)
    assert doc.title == "2027—2028学年度控辍保学目标责任书"
    assert any("和《古田县控辍保学工作实施方案》（古教综〔2021〕12号）" in getattr(b, "text", "") for b in doc.body)


def test_subject_teacher_is_a_fourth_party_type_with_its_own_wording(tmp_path):
    listing = LIST + "  - {层级: 学校—任课教师, 甲方: 甲小学, 乙方: 王五, 班级: 三年级（1）班 数学, 辍学率目标: 0%}\n"
    entries, warnings = agreement.read_agreement_list(_write_yaml(tmp_path, listing), PROFILE)
    teacher = entries[-1]
    assert teacher.template.party_b_role == "任课教师" and not warnings
    doc = agreement.agreement_document(teacher)
    texts = [getattr(b, "text", "") + (getattr(b, "run_in", None) or "") for b in doc.body]
    assert "乙方：王五（三年级（1）班 数学）" in texts
    assert any("任课教师王五（三年级（1）班 数学）（以下简称乙方）" in t for t in texts)
    assert any("课堂考勤" in t for t in texts) and not any("每日考勤" in t for t in texts)  # not the 班主任 duties
    assert _targets(doc) == {"任教班级学生巩固率": "100%", "任教班级辍学率": "0%"}
    merged = agreement.merged_document([e for e in entries if e.party_a == "甲小学"])
    assert len(merged.issued) == 1  # the 班主任 and the 任课教师 agreements of one school are bound together
