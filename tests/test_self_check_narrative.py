"""自查报告 from a narrative YAML (自检自查报告): sections or a pasted 正文, optional counts still checked."""

from pathlib import Path

import pytest

from kongchuo_docs.errors import InputError
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds import self_check
from kongchuo_docs.kinds.self_check_narrative import narrative_document, read_narrative_file
from kongchuo_docs.model import Heading, Paragraph
from kongchuo_docs.profile import load_profile

SAMPLE = load_profile(sample_path("profile", "单位设置.yaml"))

HEAD = "单位名称: 某某镇人民政府\n单位类型: 乡镇\n报告日期: 2026-10-09\n发文字号: 某政〔2026〕8号\n"
SECTIONS = """\
基本情况: |
  全镇共有中小学5所，在校学生1200人。
主要做法: |
  （一）压实责任
  镇党委政府成立领导小组，逐级签订责任书。
  （二）强化劝返
  对疑似辍学学生逐一家访。
存在问题: |
  个别家长法治意识淡薄。
下一步打算: |
  继续做好劝返复学工作。
"""


def _write(tmp_path: Path, text: str, name: str = "报告.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _texts(doc) -> list[str]:
    return [getattr(b, "text", "") for b in doc.body]


def test_sections_become_numbered_headings_with_the_body_as_written(tmp_path):
    report = read_narrative_file(_write(tmp_path, HEAD + SECTIONS))
    assert report is not None and report.given == frozenset() and not report.complete
    doc = narrative_document(report, SAMPLE, unit=None, rounding="half-up", found=[])
    headings = [(b.level, b.text) for b in doc.body if isinstance(b, Heading)]
    assert headings[:3] == [(1, "一、基本情况"), (1, "二、主要做法"), (2, "（一）压实责任")]
    assert [t for lvl, t in headings if lvl == 1] == ["一、基本情况", "二、主要做法", "三、存在问题", "四、下一步打算"]
    assert [t for lvl, t in headings if lvl == 2] == ["（一）压实责任", "（二）强化劝返"]
    assert isinstance(doc.body[0], Paragraph) and "现将自查情况报告如下" in doc.body[0].text  # the opening
    assert "对疑似辍学学生逐一家访。" in _texts(doc) and doc.attachments == []
    assert doc.doc_number == "某政〔2026〕8号" and doc.title == "某某镇人民政府关于控辍保学工作自查情况的报告"


def test_a_pasted_body_keeps_its_own_headings_and_opening(tmp_path):
    body = "正文: |\n  根据县局通知要求，我镇开展了自查。\n  一、基本情况\n  全镇学生1200人。\n  二、存在问题\n  无。\n"
    report = read_narrative_file(_write(tmp_path, HEAD + body))
    doc = narrative_document(report, SAMPLE, unit=None, rounding="half-up", found=[])
    assert _texts(doc)[:2] == ["根据县局通知要求，我镇开展了自查。", "一、基本情况"]


def test_counts_that_are_given_are_checked_with_the_self_check_rules(tmp_path):
    counts = "辍学人数: 3\n劝返复学人数: 1\n辍学（未到校）: 1\n"  # 3 − 1 = 2, not 1
    path = _write(tmp_path, HEAD + counts + SECTIONS)
    with pytest.raises(InputError) as caught:
        self_check.build_self_check_files([path], tmp_path / "out")
    message = str(caught.value)
    assert "报告.yaml:" in message and "应等于 辍学人数 3 − 劝返复学人数 1 = 2 人" in message
    assert not (tmp_path / "out").exists()
    partial = _write(tmp_path, HEAD + "未到校人数: 5\n" + SECTIONS, "部分.yaml")  # breakdown not given: no check
    written, notes = self_check.build_self_check_files([partial], tmp_path / "out2")
    assert any(p.endswith(".pdf") for p in written) and not notes


def test_narrative_with_every_count_gets_the_statistics_table(tmp_path):
    from test_self_check import COUNTS

    counts = "".join(f"{k}: {v}\n" for k, v in COUNTS.items())
    report = read_narrative_file(_write(tmp_path, HEAD + counts + SECTIONS))
    assert report.complete
    doc = narrative_document(report, SAMPLE, unit=None, rounding="half-up", found=[])
    assert doc.attachments and doc.attachments[0].title == "某某镇人民政府辍学情况统计表"


def test_missing_body_and_unknown_key_are_located(tmp_path):
    path = _write(tmp_path, HEAD + "基本情况: ''\n主要作法: 写错的键\n")
    with pytest.raises(InputError) as caught:
        self_check.build_self_check_files([path], tmp_path / "out")
    text = str(caught.value)
    assert "报告.yaml:6 主要作法" in text and "没有正文" in text


def test_a_narrative_sets_its_own_title(tmp_path):
    """标题 in the YAML replaces the wording's title (a 工作自查报告 titled as the unit titles it); an
    over-long one is refused at its line, as every title is."""
    title = "某某镇人民政府关于2026年秋季学期控辍保学工作的自查报告"
    report = read_narrative_file(_write(tmp_path, HEAD + f"标题: {title}\n" + SECTIONS))
    doc = narrative_document(report, SAMPLE, unit=None, rounding="half-up", found=[])
    assert doc.title == title and doc.doc_number == "某政〔2026〕8号"
    with pytest.raises(InputError) as refused:
        read_narrative_file(_write(tmp_path, HEAD + "标题: " + "很长" * 60 + "\n" + SECTIONS, "长.yaml"))
    assert "长.yaml:5" in str(refused.value) and "标题过长" in str(refused.value)
