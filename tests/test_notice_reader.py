"""The 公文 YAML reader: structure, normalisation and every problem located by line."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from pydantic import ValidationError

from kongchuo_docs.errors import InputError
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.model import Attachment, Heading, Paragraph, Table
from kongchuo_docs.model.limits import PARAGRAPH_MAX_CHARS, TITLE_MAX_CHARS
from kongchuo_docs.readers.notice_yaml import read_notice
from kongchuo_docs.support.normalize import NormalizeError, normalize_doc_number, parse_date


def write(tmp_path: Path, text: str, name: str = "通知.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


MINIMAL = """
    发文机关: 罗源县教育局
    发文字号: 罗教综〔2020〕47号
    标题: 关于开展控辍保学专项检查的通知
    主送: 各乡（镇）人民政府：
    正文: |
      为做好控辍保学工作，现通知如下。
      一、检查内容
      （一）责任落实。各乡镇要落实责任。
      1. 台账管理。学校要建立台账。
      （1）及时更新
      二、工作要求
    成文日期: 2020-09-10
"""


def test_seed_sample_reads_into_the_full_structure() -> None:
    doc, warnings = read_notice(sample_path("notice", "seed-notice.yaml"))
    assert warnings == []
    assert doc.issuers == ["罗源县教育局"]
    assert doc.doc_number == "罗教综〔2020〕47号"
    assert doc.recipients == "各乡（镇）人民政府、县直有关单位："
    assert doc.date == dt.date(2020, 9, 10)
    assert doc.seal is True
    assert doc.signatures[0].name == "罗源县控辍保学工作领导小组"
    assert doc.signatures[0].note == "（罗源县教育局代章）"
    [plan] = doc.issued
    levels = [b.level for b in plan.blocks if isinstance(b, Heading)]
    assert levels.count(1) == 3  # 一、总体要求 二、主要措施 三、工作要求
    assert levels.count(2) == 8
    run_in = [b for b in plan.blocks if isinstance(b, Heading) and b.run_in]
    assert run_in[0].text == "1.落实控辍保学职责。" and run_in[0].run_in.startswith("根据上级有关部门")
    [attachment] = plan.attachments
    assert attachment.title == "问题线索移送登记表"
    table = next(b for b in attachment.blocks if isinstance(b, Table))
    assert table.rows[0] == ["序号", "移送单位", "线索来源", "线索简要内容",
                             "拟办意见", "转办情况", "责任部门", "办理情况"]
    assert doc.colophon.printer == "罗源县教育局办公室"
    assert doc.colophon.print_date == dt.date(2020, 9, 10)


def test_headings_recognised_from_numbering(tmp_path: Path) -> None:
    doc, _ = read_notice(write(tmp_path, MINIMAL))
    kinds = [(type(b).__name__, getattr(b, "level", None)) for b in doc.body]
    assert kinds == [("Paragraph", None), ("Heading", 1), ("Heading", 2), ("Heading", 3), ("Heading", 4),
                     ("Heading", 1)]
    assert doc.body[2].text == "（一）责任落实。" and doc.body[2].run_in == "各乡镇要落实责任。"
    assert doc.body[3].text == "1.台账管理。"


def test_a_sentence_numbered_一_is_a_paragraph_not_a_heading(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL.replace("一、检查内容", "一、请你乡于10月9日前核实名单，做到“一人一案”。"))
    doc, _ = read_notice(path)
    assert isinstance(doc.body[1], Paragraph)


def test_all_problems_reported_at_once_with_their_lines(tmp_path: Path) -> None:
    bad = """
        发文机关: 罗源县教育局
        发文字号: 罗教综〔20〕47号
        标题: 关于X的通知
        正文: |
          一、甲
          二、乙
          四、丁
        成文日期: 2020年13月1日
        签名: 张三
    """
    with pytest.raises(InputError) as err:
        read_notice(write(tmp_path, bad))
    messages = [str(p) for p in err.value.problems]
    assert any(m.startswith("通知.yaml:2 发文字号: 年份应写全四位数") for m in messages)
    assert any(m.startswith("通知.yaml:7 正文: 1级标题编号不连续：此处为“四、”，应为“三、”") for m in messages)
    assert any(m.startswith("通知.yaml:8 成文日期: 不是有效日期") for m in messages)
    assert any(m.startswith("通知.yaml:9 签名: 公文中没有这一项，是不是“署名”？") for m in messages)
    assert len(messages) == 4


def test_missing_required_fields(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_notice(write(tmp_path, "发文字号: 罗教综〔2020〕1号\n"))
    text = "\n".join(str(p) for p in err.value.problems)
    assert "发文机关: 必填" in text and "标题: 必填" in text and "成文日期: 必填" in text


def test_fixable_slips_are_corrected_with_warnings(tmp_path: Path) -> None:
    text = MINIMAL.replace("罗教综〔2020〕47号", "罗教综[2020]第047号").replace(
        "各乡（镇）人民政府：", "各乡(镇)人民政府").replace("2020-09-10", "2020.9.10")
    doc, warnings = read_notice(write(tmp_path, text))
    assert doc.doc_number == "罗教综〔2020〕47号"
    assert doc.recipients == "各乡（镇）人民政府："
    assert doc.date == dt.date(2020, 9, 10)
    found = "\n".join(str(w) for w in warnings)
    assert "六角括号" in found and "不加“第”" in found and "不编虚位" in found
    assert "半角标点" in found and "全角冒号" in found


def test_attachment_note_must_match_attachment_titles(tmp_path: Path) -> None:
    text = MINIMAL + """
    附件说明: [登记表]
    附件:
      - 标题: 问题线索移送登记表
        正文: |
          说明文字。
    """
    with pytest.raises(InputError) as err:
        read_notice(write(tmp_path, text))
    assert "附件说明与附件标题不一致" in str(err.value)


def test_an_attachment_sent_separately_is_listed_not_printed(tmp_path: Path) -> None:
    from kongchuo_docs.layout.pages import layout_document

    text = MINIMAL + """
    附件说明: [1. 辍学学生统计表, 2. 问题线索移送登记表]
    附件:
      - 标题: 辍学学生统计表
        另行发送: 是
      - 标题: 问题线索移送登记表
        正文: |
          说明文字。
    """
    path = write(tmp_path, text)
    doc, warnings = read_notice(path)
    item_line = path.read_text(encoding="utf-8").splitlines().index("  - 标题: 辍学学生统计表") + 1
    assert [(a.title, a.separate) for a in doc.attachments] == [("辍学学生统计表", True), ("问题线索移送登记表", False)]
    assert [a.title for a in doc.all_attachments] == ["问题线索移送登记表"]  # one 附件 page
    (warning,) = [w for w in warnings if "另行发送" in w.message]
    assert "辍学学生统计表" in warning.message and warning.location.line == item_line
    notes = [line.text for line in layout_document(doc).lines() if line.role == "attachment-note"]
    assert notes == ["附件：1. 辍学学生统计表", "2. 问题线索移送登记表"]
    labels = [line.text for line in layout_document(doc).lines() if line.role == "attachment-label"]
    assert labels == ["附件2"]
    with pytest.raises(InputError) as err:  # a separate 附件 has no text here
        read_notice(write(tmp_path, text.replace("另行发送: 是", "另行发送: 是\n        正文: 文字")))
    assert "另行发送的附件不在本文件中排印" in str(err.value)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_notice(write(tmp_path, "标题: [未闭合\n发文机关: x\n"))
    assert str(err.value.problems[0]).startswith("通知.yaml:")
    assert "YAML 格式错误" in str(err.value)


@pytest.mark.parametrize("text", ["2020年9月10日", "2020-09-10", "2020/9/10", "2020.9.10", "20200910",
                                  "二〇二〇年九月十日", "２０２０年９月１０日"])
def test_dates_in_common_spellings(text: str) -> None:
    assert parse_date(text) == dt.date(2020, 9, 10)


@pytest.mark.parametrize(("raw", "fixed"), [("罗教综〔2020〕47号", "罗教综〔2020〕47号"),
                                            ("罗教综【2020】47号", "罗教综〔2020〕47号"),
                                            ("罗教综(2020)47号", "罗教综〔2020〕47号"),
                                            ("罗教综[2020]47", "罗教综〔2020〕47号")])
def test_doc_numbers_normalised(raw: str, fixed: str) -> None:
    assert normalize_doc_number(raw)[0] == fixed


def test_doc_number_without_year_is_refused() -> None:
    with pytest.raises(NormalizeError, match="代字〔年份〕序号号"):
        normalize_doc_number("罗教综47号")


def test_body_as_a_list_of_paragraphs(tmp_path: Path) -> None:
    text = "发文机关: 罗源县教育局\n标题: 关于X的通知\n正文:\n  - 第一段。\n  - 一、标题\n成文日期: 2020-09-10\n"
    doc, _ = read_notice(write(tmp_path, text))
    assert [type(b).__name__ for b in doc.body] == ["Paragraph", "Heading"]


def test_over_long_title_and_paragraph_are_refused_at_their_lines(tmp_path: Path) -> None:
    title = "关于" + "控" * (TITLE_MAX_CHARS - 4) + "的通知"  # one character over
    paragraph = "字" * (PARAGRAPH_MAX_CHARS + 1)
    text = (MINIMAL.replace("关于开展控辍保学专项检查的通知", title)
            .replace("为做好控辍保学工作，现通知如下。", paragraph))
    with pytest.raises(InputError) as err:
        read_notice(write(tmp_path, text))
    messages = [str(p) for p in err.value.problems]
    limit = f"标题过长：{TITLE_MAX_CHARS + 1} 个字，最多 {TITLE_MAX_CHARS} 个字"
    assert messages[0].startswith(f"通知.yaml:3 标题: {limit}")
    assert messages[1].startswith(f"通知.yaml:6 正文: 段落过长：{PARAGRAPH_MAX_CHARS + 1} 个字")
    assert len(messages) == 2


def test_titles_and_paragraphs_at_the_limit_are_read(tmp_path: Path) -> None:
    title = "关于" + "控" * (TITLE_MAX_CHARS - 5) + "的通知"
    text = (MINIMAL.replace("关于开展控辍保学专项检查的通知", title)
            .replace("为做好控辍保学工作，现通知如下。", "字" * PARAGRAPH_MAX_CHARS))
    doc, _ = read_notice(write(tmp_path, text))
    assert len(doc.title) == TITLE_MAX_CHARS and len(doc.body[0].text) == PARAGRAPH_MAX_CHARS


def test_the_model_refuses_over_long_text_from_any_reader() -> None:
    with pytest.raises(ValidationError, match="段落过长"):
        Paragraph(text="字" * (PARAGRAPH_MAX_CHARS + 1))
    with pytest.raises(ValidationError, match="标题过长"):
        Attachment(title="表" * (TITLE_MAX_CHARS + 1))


def test_doc_number_of_another_year_than_the_date_warns(tmp_path):
    _, warnings = read_notice(write(tmp_path, MINIMAL.replace("罗教综〔2020〕47号", "罗教综〔2019〕47号")))
    assert any("发文字号的年份 2019 与成文日期 2020年9月10日 不在同一年" in str(w) and ":2 " in str(w)
               for w in warnings), warnings
