"""``kongchuo-docs users`` journeys: add (password twice at a hidden prompt or --password-stdin), list,
disable, reset-password; a unit not in the 单位设置 or a bad role is a Chinese message and exit 2."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kongchuo_docs.cli import app
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.profile import load_profile
from kongchuo_docs.store.accounts import session_account, start_session, verify_login
from kongchuo_docs.store.audit import entries
from kongchuo_docs.store.database import STORE_FILE, open_store


@pytest.fixture
def settings(tmp_path: Path) -> Path:
    target = tmp_path / "单位设置.yaml"
    shutil.copyfile(sample_path("profile", "单位设置.yaml"), target)
    return target


def _users(settings: Path, *args: str, stdin: str = "", db: str | None = None):
    where = ["--db", db] if db else []
    return CliRunner().invoke(app, ["users", *args, "--settings", str(settings), *where], input=stdin)


def test_add_list_disable_and_reset_a_password_from_the_command_line(settings: Path, store_url: str) -> None:
    profile = load_profile(settings)
    school = profile.schools[0].name
    added = _users(settings, "add", "jyj", "--role", "教育局", "--password-stdin", stdin="bureau-pass\n", db=store_url)
    assert added.exit_code == 0, added.output
    assert f"已添加账号：jyj（教育局，{profile.bureau}）" in added.output
    typed = _users(settings, "add", "xiaoxue", "--role", "学校", "--unit", school, stdin="school-pass\nschool-pass\n",
                   db=store_url)  # fmt: skip
    assert typed.exit_code == 0, typed.output
    assert "school-pass" not in typed.output  # the prompt does not echo it
    listed = _users(settings, "list", db=store_url)
    assert listed.exit_code == 0
    assert [line.split("\t")[:4] for line in listed.output.splitlines()] == [
        ["jyj", "教育局", profile.bureau, "正常"], ["xiaoxue", "学校", school, "正常"]]

    store = open_store(store_url, profile.area_code)
    try:
        token = start_session(store, verify_login(store, "xiaoxue", "school-pass"), 3600)
        assert _users(settings, "disable", "xiaoxue", db=store_url).exit_code == 0
        assert session_account(store, token) is None  # her open page is logged out at once
        assert "已停用" in _users(settings, "list", db=store_url).output
        reset = _users(settings, "reset-password", "xiaoxue", "--password-stdin", stdin="new-school-pass\n",
                       db=store_url)  # fmt: skip
        assert reset.exit_code == 0, reset.output
        assert verify_login(store, "xiaoxue", "new-school-pass").name == "xiaoxue"
        assert [e.action for e in entries(store)] == ["重设密码", "停用账号", "添加账号", "添加账号"]
        assert all("pass" not in e.counts for e in entries(store))
    finally:
        store.close()


def test_the_store_is_the_file_beside_the_settings_by_default(settings: Path) -> None:
    result = _users(settings, "add", "jyj", "--role", "教育局", "--password-stdin", stdin="bureau-pass\n")
    assert result.exit_code == 0, result.output
    assert (settings.parent / STORE_FILE).is_file()


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (["add", "xx", "--role", "学校", "--unit", "不存在的小学", "--password-stdin"], "long-enough\n",
     "单位“不存在的小学”不是单位设置中的学校"),
    (["add", "xx", "--role", "老师", "--password-stdin"], "long-enough\n", "角色应为 教育局、乡镇、学校 之一"),
    (["add", "xx", "--role", "教育局", "--password-stdin"], "short\n", "密码应为 8–256 个字符"),
    (["add", "xx", "--role", "教育局"], "long-enough\nother-words\n", "两次输入的密码不一致"),
    (["add", "x x", "--role", "教育局", "--password-stdin"], "long-enough\n", "用户名应为"),
    (["disable", "nobody"], "", "没有用户名为“nobody”的账号"),
    (["reset-password", "nobody", "--password-stdin"], "long-enough\n", "没有用户名为“nobody”的账号"),
])  # fmt: skip
def test_bad_input_is_one_chinese_line_and_exit_2(settings: Path, args: list[str], stdin: str, message: str) -> None:
    result = _users(settings, *args, stdin=stdin)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert "已添加" not in result.output


def test_a_password_is_never_an_argument(settings: Path) -> None:
    result = _users(settings, "add", "jyj", "--role", "教育局", "--password", "bureau-pass")
    assert result.exit_code == 2
    assert "--password" in result.output
