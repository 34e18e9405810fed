"""YAML traps that silently lose structure or answer in English: each is refused in Chinese at file:line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kongchuo_docs.errors import InputError
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.readers.notice_yaml import read_notice
from kongchuo_docs.readers.yaml_records import load_yaml

HEAD = """\
发文机关: 罗源县教育局
发文字号: 罗教综〔2020〕47号
标题: 关于开展控辍保学专项检查的通知
主送: 各乡（镇）人民政府：
"""
ENGLISH = ("found", "expected", "mapping", "while", "scanning", "line ", "column ")


def write(tmp_path: Path, text: str, name: str = "通知.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as err:
        read_notice(path)
    return [str(p) for p in err.value.problems]


def test_body_without_block_marker_is_refused_with_the_fix(tmp_path: Path) -> None:
    folded = HEAD + "正文:\n  为做好控辍保学工作，现通知如下。\n  一、检查内容\n  （一）责任落实。\n  二、工作要求\n" \
        "成文日期: 2020-09-10\n"
    [message] = problems_of(write(tmp_path, folded))
    assert message.startswith("通知.yaml:5 正文: 各段被并成了一段")
    assert "正文: |" in message
    fixed = folded.replace("正文:\n", "正文: |\n")
    doc, _ = read_notice(write(tmp_path, fixed))
    assert len(doc.body) == 4


def test_a_one_paragraph_body_in_a_block_is_kept(tmp_path: Path) -> None:
    text = HEAD + "正文: |\n  请按附件（一）填报，截止时间见一、二两项。\n成文日期: 2020-09-10\n"
    doc, _ = read_notice(write(tmp_path, text))
    assert len(doc.body) == 1


def test_tab_indentation_named_on_every_line(tmp_path: Path) -> None:
    text = HEAD + "版记:\n\t抄送: 县委办\n\t印发机关: 罗源县教育局办公室\n成文日期: 2020-09-10\n"
    messages = problems_of(write(tmp_path, text))
    assert [m.split(":")[0] + ":" + m.split(":")[1][:1] for m in messages] == ["通知.yaml:6", "通知.yaml:7"]
    assert all("制表符（Tab）" in m and "空格" in m for m in messages)


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    text = HEAD + "标题: 第二个标题\n成文日期: 2020-09-10\n"
    [message] = problems_of(write(tmp_path, text))
    assert message == "通知.yaml:5: “标题”重复（第 3 行和第 5 行），请只保留一处"


def test_key_one_edit_away_is_suggested(tmp_path: Path) -> None:
    text = HEAD.replace("发文字号", "发文字 号") + "成文日期: 2020-09-10\n"
    messages = problems_of(write(tmp_path, text))
    assert any(m.startswith("通知.yaml:2 发文字 号:") and "是不是“发文字号”" in m for m in messages)


def test_form_yaml_label_one_edit_away_is_suggested(tmp_path: Path) -> None:
    from kongchuo_docs.kinds.self_check import read_self_check

    text = sample_path("cycle", "自查表", "凤山镇.yaml").read_text(encoding="utf-8")
    path = write(tmp_path, text.replace("依据文号:", "依据文件号:").replace("签发人:", "签发:"), "自查.yaml")
    with pytest.raises(InputError) as err:
        read_self_check(path)
    messages = [str(p) for p in err.value.problems]
    assert "自查.yaml:6 依据文件号: 自查表中没有这一栏目，是不是“依据文号”？" in messages
    assert any(m.startswith("自查.yaml:8 签发:") and "是不是“签发人”" in m for m in messages)


@pytest.mark.parametrize(("text", "line", "hint"), [
    ("标题: 关于: 检查的通知\n", 1, "冒号"),
    ("标题: x\n    发文机关: y\n", 2, "缩进"),
    ("标题: \"未闭合\n发文机关: x\n", None, "引号"),
    ("标题: [未闭合\n发文机关: x\n", 2, ""),
    ("标题: x\n 发文机关: y\n", 2, ""),
    ("标题: \"a\\q\"\n", 1, "反斜杠"),
])
def test_syntax_errors_in_chinese_with_line_and_column(tmp_path: Path, text: str, line: int | None,
                                                       hint: str) -> None:
    with pytest.raises(InputError) as err:
        load_yaml(write(tmp_path, text))
    [message] = [str(p) for p in err.value.problems]
    assert message.startswith(f"通知.yaml:{line}" if line else "通知.yaml")
    assert "YAML 格式错误" in message and hint in message
    assert not any(word in message for word in ENGLISH), message


def test_cli_reports_yaml_trap_in_chinese_exit_2(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "标题: 又一个\n成文日期: 2020-09-10\n")
    result = subprocess.run([sys.executable, "-m", "kongchuo_docs", "build", str(path), "-o", str(tmp_path / "out")],
                            capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 2
    assert "通知.yaml:5: “标题”重复（第 3 行和第 5 行）" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
