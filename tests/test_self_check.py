"""自查报告: rates from counts, consistency checks with both numbers, refusal unless allowed."""

from pathlib import Path

import openpyxl
import pytest
import yaml
from profiles import write_profile

from kongchuo_docs.errors import InputError
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds import self_check
from kongchuo_docs.model import Heading, Table
from kongchuo_docs.model.limits import PARAGRAPH_MAX_CHARS
from kongchuo_docs.profile import load_profile

PROFILE = load_profile(sample_path("profile", "单位设置.yaml"))

COUNTS = {
    "适龄儿童少年数": 400, "已入学适龄儿童少年数": 400, "学期初在校学生数": 380,
    "本届入学时人数": 50, "本届在校人数": 49, "辍学人数": 2, "劝返复学人数": 1,
    "适龄残疾儿童数": 3, "残疾儿童入学人数": 2, "未到校人数": 6, "病假": 1, "休学": 1,
    "延缓入学": 0, "送教上门": 2, "转学": 1, "死亡": 0, "辍学（未到校）": 1,
}  # fmt: skip


def _yaml_form(tmp_path: Path, name: str = "表.yaml", **changes: object) -> Path:
    values = {"单位名称": "罗源县白塔乡人民政府", "单位类型": "乡镇", "报告日期": "2020.10.9",
              "依据文号": "罗教综〔2020〕47号", **COUNTS, "责任落实": "第一段。\n\n第二段。", **changes}
    path = tmp_path / name
    path.write_text(yaml.safe_dump(values, allow_unicode=True), encoding="utf-8")
    return path


def test_rates_are_computed_from_counts(tmp_path):
    form = self_check.read_self_check(_yaml_form(tmp_path))
    texts = {name: rate.text() for name, rate in self_check.rates(form).items()}
    assert texts == {
        "入学率": "100%",
        "巩固率": "98.00%",
        "辍学率": "0.53%",  # 2 / 380 = 0.526 %
        "劝返率": "50.00%",
        "残疾儿童入学率": "66.67%",
    }
    truncated = self_check.rates(form)["残疾儿童入学率"].text("truncate")
    assert truncated == "66.66%"
    assert self_check.inconsistencies(form) == []


def test_report_structure_and_numbers(tmp_path):
    form = self_check.read_self_check(_yaml_form(tmp_path))
    doc = self_check.self_check_document(form, PROFILE)
    assert doc.title == "罗源县白塔乡人民政府关于控辍保学工作自查情况的报告"
    assert doc.recipients == "罗源县教育局："
    assert doc.kind == "self-check-report"
    assert doc.date.isoformat() == "2020-10-09"
    text = "".join(getattr(b, "text", "") for b in doc.body)
    assert "我乡" in text and "罗教综〔2020〕47号" in text
    assert "残疾儿童入学率66.67%（分母为适龄残疾儿童少年数）" in text
    levels = [b.level for b in doc.body if isinstance(b, Heading)]
    assert levels.count(1) == 4 and levels.count(2) == 1  # only the filled 责任落实 section
    assert [getattr(b, "text", "") for b in doc.body].count("第二段。") == 1
    table = doc.attachments[0].blocks[-1]
    assert isinstance(table, Table)
    assert doc.attachments[0].title == "罗源县白塔乡人民政府辍学情况统计表"
    assert ["分项合计", "6", "与未到校人数一致"] in table.rows
    assert doc.note is None
    assert doc.signers == []
    signed = self_check.self_check_document(self_check.read_self_check(_yaml_form(tmp_path, 签发人="黄 明辉")), PROFILE)
    assert signed.signers == ["黄明辉"]
    assert doc.format == "file"


@pytest.mark.parametrize("written", ["无版头", "无", "plain"])
def test_report_without_a_red_header(tmp_path, written):
    doc = self_check.self_check_document(self_check.read_self_check(_yaml_form(tmp_path, 版头=written)), PROFILE)
    assert doc.format == "plain"  # title at the top of the 版心, no 发文机关标志 or red rule
    with pytest.raises(InputError) as err:
        self_check.read_self_check(_yaml_form(tmp_path, 版头="蓝头"))
    assert "版头" in str(err.value)


def test_zero_denominator_does_not_crash(tmp_path):
    changes = {"辍学人数": 0, "劝返复学人数": 0, "辍学（未到校）": 0, "转学": 2}
    form = self_check.read_self_check(_yaml_form(tmp_path, **changes))
    doc = self_check.self_check_document(form, PROFILE)
    text = "".join(getattr(b, "text", "") for b in doc.body)
    assert "劝返率—（分母为0）" in text


def test_breakdown_mismatch_refused_with_both_numbers(tmp_path):
    path = _yaml_form(tmp_path, 未到校人数=9)
    form = self_check.read_self_check(path)
    with pytest.raises(InputError) as info:
        self_check.check_or_refuse(form, allow_inconsistent=False)
    message = str(info.value.problems[0])
    assert message.startswith("表.yaml:")
    assert "未到校 9 人" in message and "分项合计 6 人" in message
    assert "--allow-inconsistent" in message


def test_allowed_inconsistency_is_noted_in_the_report(tmp_path):
    form = self_check.read_self_check(_yaml_form(tmp_path, 未到校人数=9, 劝返复学人数=2))
    found = self_check.check_or_refuse(form, allow_inconsistent=True)
    assert len(found) == 2  # the breakdown, and 仍辍学 1 ≠ 2 − 2
    doc = self_check.self_check_document(form, PROFILE, found=found)
    notes = [b.text for b in doc.body if getattr(b, "text", "").startswith("数据核对说明")]
    assert len(notes) == 1 and "未到校 9 人" in notes[0] and "= 0 人" in notes[0]
    assert doc.note is not None


def test_rate_above_hundred_percent_is_inconsistent(tmp_path):
    form = self_check.read_self_check(_yaml_form(tmp_path, 残疾儿童入学人数=4))
    messages = [p.message for p in self_check.inconsistencies(form)]
    assert messages == [
        "入学（含随班就读、送教上门）残疾儿童数 4 大于 适龄残疾儿童数 3，残疾儿童入学率超过100%"
    ]


def test_workbook_errors_name_file_sheet_and_cell(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自查表"
    ws.append(["单位名称", "罗源县白塔乡人民政府"])
    ws.append(["单位类型", "乡镇"])
    ws.append(["报告日期", "2020-10-09"])
    for label, value in COUNTS.items():
        ws.append([label, "三人" if label == "辍学人数" else value])
    path = tmp_path / "白塔乡.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as info:
        self_check.read_self_check(path)
    assert [str(p) for p in info.value.problems] == ["白塔乡.xlsx!自查表!B9 辍学人数: 应为数字（三人）"]


def test_build_files_refuses_all_when_one_form_is_inconsistent(tmp_path):
    good = _yaml_form(tmp_path, "好.yaml")
    bad = _yaml_form(tmp_path, "坏.yaml", 病假=3)
    with pytest.raises(InputError):
        self_check.build_self_check_files([good, bad], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_doc_number_is_normalized_with_a_warning(tmp_path):
    form = self_check.read_self_check(_yaml_form(tmp_path, 发文字号="白政[2020]08号"))
    assert form.values["doc_number"] == "白政〔2020〕8号"
    assert form.warnings and str(form.warnings[0]).startswith("表.yaml:")
    with pytest.raises(InputError, match="发文字号"):
        self_check.read_self_check(_yaml_form(tmp_path, 发文字号="第八号"))


def test_blank_form_filled_in_reads_back(tmp_path):
    """The blank 自查表 the forms command hands out is the one this reader reads."""
    from kongchuo_docs.readers.schema import load_schema
    from kongchuo_docs.writers.xlsx_forms import write_blank_form

    path = tmp_path / "自查表.xlsx"
    write_blank_form(load_schema("自查表"), path)
    wb = openpyxl.load_workbook(path)
    ws = wb["自查表"]
    answers = {"单位名称": "罗源县实验小学", "单位类型": "学校", "报告日期": "2020年10月9日", **COUNTS}
    for row in ws.iter_rows(min_col=1, max_col=2):
        label = str(row[0].value or "").rstrip("*")
        if label in answers:
            row[1].value = answers[label]
    wb.save(path)
    form = self_check.read_self_check(path)
    assert form.unit == "罗源县实验小学"
    assert form.count("dropouts") == COUNTS["辍学人数"]
    assert self_check.inconsistencies(form) == []


def test_addressee_and_cited_plan_come_from_the_profile(tmp_path):
    profile = load_profile(write_profile(tmp_path / "p", {
        "县": "古田县", "教育局": "古田县教育局",
        "实施方案": {"标题": "古田县控辍保学工作实施方案", "文号": "古教综〔2021〕12号"}}))
    form = self_check.read_self_check(_yaml_form(tmp_path, 单位名称="古田县大桥镇人民政府", 依据文号=None))
    doc = self_check.self_check_document(form, profile)
    assert doc.recipients == "古田县教育局："
    assert doc.body[0].text.startswith("根据《古田县控辍保学工作实施方案》（古教综〔2021〕12号）要求，我镇")
    bare = load_profile(write_profile(tmp_path / "q", {"实施方案": None}))
    assert self_check.self_check_document(form, bare).body[0].text.startswith("我镇")


def test_doc_number_of_another_year_than_the_report_warns(tmp_path):
    form = self_check.read_self_check(_yaml_form(tmp_path, 发文字号="白政〔2019〕3号"))
    assert any("年份 2019" in str(w) and "2020年10月9日" in str(w) for w in form.warnings)


def test_an_over_long_paragraph_is_refused_at_its_field(tmp_path):
    path = _yaml_form(tmp_path, 责任落实="第一段。\n" + "字" * (PARAGRAPH_MAX_CHARS + 1))
    with pytest.raises(InputError) as info:
        self_check.read_self_check(path)
    messages = [str(p) for p in info.value.problems]
    assert len(messages) == 1 and "责任落实" in messages[0] and "段落过长" in messages[0], messages
