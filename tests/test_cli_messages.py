"""The command line's own texts (usage, help, usage errors) are Chinese for every command, exit code 2."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

ENGLISH = ("Usage:", "Error:", "Missing argument", "No such option", "Try ", "Options", "Arguments",
           "Show this message", "[required]", "[default:")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kongchuo_docs", *args], capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"})


def assert_chinese(text: str) -> None:
    for word in ENGLISH:
        assert word not in text, (word, text)


def test_missing_argument_is_reported_in_chinese_with_exit_2() -> None:
    result = run("build")
    assert result.returncode == 2
    assert "用法：" in result.stderr and "build --help 查看帮助" in result.stderr
    assert "错误：缺少参数 INPUTS" in result.stderr
    assert_chinese(result.stderr)


def test_unknown_option_and_extra_argument_in_chinese() -> None:
    result = run("build", "a.yaml", "--nope")
    assert result.returncode == 2 and "错误：没有这个选项：--nope" in result.stderr
    assert_chinese(result.stderr)
    result = run("demo", "out", "第二个")
    assert result.returncode == 2 and "错误：多余的参数：第二个" in result.stderr
    result = run("letters", "名册.xlsx", "--jobs", "几个")
    assert result.returncode == 2 and "--jobs 的值无效：应为整数" in result.stderr
    result = run("nosuch")
    assert result.returncode == 2 and "错误：没有这个命令：nosuch" in result.stderr
    assert_chinese(result.stderr)


@pytest.mark.parametrize("command", [(), ("build",), ("register", "merge"), ("letters",)])
def test_help_is_entirely_chinese(command: tuple[str, ...]) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("用法：") and "选项：" in result.stdout
    assert "--help" in result.stdout and "显示本帮助并退出。" in result.stdout
    assert_chinese(result.stdout)


@pytest.mark.parametrize("group", [(), ("register",), ("numbers",), ("users",), ("rounds",), ("templates",)])
def test_every_command_is_listed_with_a_sentence(group: tuple[str, ...]) -> None:
    listing = run(*group, "--help").stdout.split("命令：", 1)[1]
    lines = [line.split(maxsplit=1) for line in listing.splitlines() if line.startswith("  ") and line.strip()]
    listed = [words[1] if len(words) == 2 else "" for words in lines]
    assert listed and all(text.endswith("。") and "..." not in text for text in listed), lines


def test_help_names_arguments_and_defaults_in_chinese() -> None:
    text = run("build", "--help").stdout
    assert "参数：" in text and "[必填]" in text and "[默认：out]" in text and "[选项]" in text


def test_no_arguments_shows_the_chinese_help() -> None:
    result = run()
    assert "命令：" in result.stdout + result.stderr
    assert_chinese(result.stdout + result.stderr)


NOTICE = """\
发文机关: 罗源县教育局
发文字号: 罗教综〔2020〕47号
标题: 关于开展控辍保学专项检查的通知
主送: 各乡（镇）人民政府：
正文: |
  为做好控辍保学工作,现通知如下。
  一、检查内容
成文日期: 2020-09-10
"""


def test_warnings_name_the_line_and_quiet_hides_them(tmp_path) -> None:
    from kongchuo_docs.system.fonts import resolve_fonts

    source = tmp_path / "通知.yaml"
    source.write_text(NOTICE, encoding="utf-8")
    out = str(tmp_path / "out")
    normal = run("build", str(source), "-o", out, "--format", "docx")
    assert normal.returncode == 0, normal.stderr
    assert "警告 通知.yaml:6 正文: 中文中使用了半角标点 ,，已按全角排版；请把第 6 行的 , 改为全角" in normal.stderr
    substituted = [r for r in resolve_fonts() if r.substituted]
    assert normal.stderr.count("未安装正式字体") == (1 if substituted else 0)
    assert "详见 kongchuo-docs doctor" in normal.stderr or not substituted
    assert not any(f"{r.official}（{r.role}）未安装" in normal.stderr for r in substituted)  # details: -v

    quiet = run("--quiet", "build", str(source), "-o", out, "--format", "docx", "--force")
    assert quiet.returncode == 0 and quiet.stderr == ""
    verbose = run("-v", "build", str(source), "-o", out, "--format", "docx", "--force")
    assert verbose.returncode == 0
    assert all(f"{r.official}（{r.role}）未安装" in verbose.stderr for r in substituted)
    assert "第 6 行" in verbose.stderr


def test_quiet_still_shows_errors_and_conflicts_with_verbose(tmp_path) -> None:
    source = tmp_path / "坏.yaml"
    source.write_text(NOTICE.replace("标题:", "标 题:").replace("成文日期", "日期X"), encoding="utf-8")
    result = run("-q", "build", str(source), "-o", str(tmp_path / "out"))
    assert result.returncode == 2 and "错误 坏.yaml:" in result.stderr and "未写出任何文件" in result.stderr
    both = run("-q", "-v", "version")
    assert both.returncode == 2 and "不能同时使用" in both.stderr
    assert_chinese(both.stderr)
