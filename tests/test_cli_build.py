"""`kongchuo-docs build`: outputs, manifest, refusals — through the real console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kongchuo_docs.files.resources import sample_path

SEED = sample_path("notice", "seed-notice.yaml")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kongchuo_docs", *args], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"})


def test_build_writes_docx_and_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("build", str(SEED), "-o", str(out), "--format", "docx")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out / "seed-notice.docx")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tool"] == "kongchuo-docs"
    [entry] = manifest["files"]
    assert entry["kind"] == "notice" and entry["format"] == "docx" and entry["pages"] == 10
    assert entry["title"] == "罗源县关于印发进一步加强控辍保学工作实施方案的通知"
    assert entry["path"] == "seed-notice.docx" and len(entry["sha256"]) == 64
    assert (out / entry["source"]).resolve() == SEED.resolve()
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "seed-notice.docx"]  # no staging left


def test_existing_output_is_kept_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", str(SEED), "-o", str(out), "--format", "docx").returncode == 0
    target = out / "seed-notice.docx"
    target.write_bytes(b"clerk's edited copy")
    result = run("build", str(SEED), "-o", str(out), "--format", "docx")
    assert result.returncode == 2
    assert "已存在" in result.stderr and "--force" in result.stderr and "Traceback" not in result.stderr
    assert target.read_bytes() == b"clerk's edited copy"
    assert run("build", str(SEED), "-o", str(out), "--format", "docx", "--force").returncode == 0
    assert target.read_bytes()[:2] == b"PK"


def test_bad_input_exits_2_in_chinese_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "坏的通知.yaml"
    bad.write_text("发文机关: 罗源县教育局\n发文字号: 罗教综47号\n标题: 关于X的通知\n成文日期: 2020年2月30日\n",
                   encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", str(bad), "-o", str(out), "--format", "docx")
    assert result.returncode == 2
    assert "坏的通知.yaml:2 发文字号" in result.stderr
    assert "坏的通知.yaml:4 成文日期: 不是有效日期" in result.stderr
    assert "未写出任何文件" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_missing_input_file(tmp_path: Path) -> None:
    result = run("build", str(tmp_path / "无此文件.yaml"), "-o", str(tmp_path / "out"))
    assert result.returncode == 2 and "找不到输入文件" in result.stderr and "Traceback" not in result.stderr


def test_unknown_format_refused(tmp_path: Path) -> None:
    result = run("build", str(SEED), "-o", str(tmp_path / "out"), "--format", "odt")
    assert result.returncode == 2 and "不支持的输出格式" in result.stderr


def test_build_without_cjk_fonts_names_the_packages_instead_of_drawing_boxes(tmp_path: Path) -> None:
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig></fontconfig>\n',
                     encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(empty), "XDG_CONFIG_HOME": str(tmp_path), "NO_COLOR": "1"}
    env.pop("KONGCHUO_FONT_DIR", None)
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "kongchuo_docs", "build", str(SEED), "-o", str(out)],
                            capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 2, result.stderr
    assert "fonts-noto-cjk" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
