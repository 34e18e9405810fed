"""``kongchuo-docs doctor``: rows, exit codes, install advice; a bare machine simulated two ways."""

from __future__ import annotations

import ctypes
import io
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from rich.console import Console

from kongchuo_docs.cli import doctor
from kongchuo_docs.errors import EnvironmentProblem
from kongchuo_docs.system import font_faces, fonts


def _console() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, width=200, highlight=False, color_system=None), buffer


def _no_library(name: str) -> ctypes.CDLL:
    raise OSError(f"{name}: cannot open shared object file")


def _no_fonts(font_dir: Path | None) -> fonts.FontSet:
    raise EnvironmentProblem(fonts.no_cjk_font_message())


def _no_soffice() -> str | None:
    return None


def _by_item(checks: list[doctor.Check]) -> dict[str, doctor.Check]:
    return {c.item: c for c in checks}


def test_this_machine_has_everything_required():
    checks = doctor.run_checks()
    console, buffer = _console()
    assert doctor.report(checks, console) == 0, buffer.getvalue()
    rows = _by_item(checks)
    for package in doctor.PACKAGES:
        assert rows[package].status == "ok"
    assert rows["Pango"].detail[0].isdigit()
    assert sum(c.item.startswith("字体 ") for c in checks) == len(fonts.OFFICIAL_NAMES)
    output = buffer.getvalue()
    assert "运行环境检查" in output and "必需组件齐全" in output


def test_missing_native_libraries_fail_with_the_install_command():
    checks = doctor.run_checks(load_library=_no_library, soffice_version=_no_soffice)
    rows = _by_item(checks)
    assert rows["Pango"].fails and rows["HarfBuzz 子集化"].fails
    assert rows["LibreOffice"].status == "warning" and not rows["LibreOffice"].fails
    console, buffer = _console()
    assert doctor.report(checks, console) == 1
    assert doctor.REQUIRED_APT in buffer.getvalue()


def test_missing_libreoffice_alone_is_not_a_failure():
    checks = doctor.run_checks(soffice_version=_no_soffice)
    console, buffer = _console()
    assert doctor.report(checks, console) == 0
    assert "libreoffice-writer-nogui" in buffer.getvalue()


def test_font_dir_in_use_is_shown(tmp_path):
    rows = _by_item(doctor.run_checks(tmp_path, soffice_version=_no_soffice))
    assert rows["字体文件夹"].detail == f"{tmp_path.resolve()}（0 个字体）"
    rows = _by_item(doctor.run_checks(None, resolve=lambda _: fonts.resolve_from(fonts.system_faces())))
    assert "未设置" in rows["字体文件夹"].detail and font_faces.FONT_DIR_ENV in rows["字体文件夹"].detail


def test_missing_cjk_fonts_fail():
    checks = doctor.run_checks(resolve=_no_fonts)
    (font_row,) = [c for c in checks if "字体" in c.item]
    assert font_row.fails and "fonts-noto-cjk" in font_row.detail
    console, _ = _console()
    assert doctor.report(checks, console) == 1


def test_old_pango_is_reported_as_missing():
    def old_version() -> bytes:
        return b"1.42.4"

    def load(name: str) -> object:
        return SimpleNamespace(pango_version_string=old_version) if "pango" in name else ctypes.CDLL(name)

    rows = _by_item(doctor.run_checks(load_library=load, soffice_version=_no_soffice))
    assert rows["Pango"].fails and "1.42.4" in rows["Pango"].detail


def test_cli_on_a_machine_without_fonts_exits_1_naming_the_packages(tmp_path):
    empty = tmp_path / "fonts.conf"
    empty.write_text(
        f'<?xml version="1.0"?>\n<fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>\n',
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(empty), "XDG_CONFIG_HOME": str(tmp_path)}
    env.pop(font_faces.FONT_DIR_ENV, None)
    result = subprocess.run(
        [sys.executable, "-c", "from kongchuo_docs.cli import main; main()", "doctor"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert "未找到任何中文（CJK）字体" in result.stdout
    assert "fonts-noto-cjk fonts-lxgw-wenkai" in result.stdout


def test_missing_fc_list_fails(monkeypatch):
    real_which = doctor.shutil.which
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None if name == "fc-list" else real_which(name))
    rows = _by_item(doctor.run_checks(soffice_version=_no_soffice))
    assert rows["fontconfig"].fails and "fc-list" in rows["fontconfig"].detail
    assert "fontconfig" in doctor.REQUIRED_APT.split()
