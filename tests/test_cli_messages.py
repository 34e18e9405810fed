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


def test_help_names_arguments_and_defaults_in_chinese() -> None:
    text = run("build", "--help").stdout
    assert "参数：" in text and "[必填]" in text and "[默认：out]" in text and "[选项]" in text


def test_no_arguments_shows_the_chinese_help() -> None:
    result = run()
    assert "命令：" in result.stdout + result.stderr
    assert_chinese(result.stdout + result.stderr)
