"""`发文字号: 自动` takes the 单位设置's own 文号代字: a school's document written with it would carry the
bureau's number (罗教综〔2026〕1号 under 凤山中心小学's red header) and take a place in the bureau's
发文登记簿. It is refused at `build`, nothing written and no number taken; the school's own code with
〔自动〕 numbers it in its own sequence, and the bureau's documents are numbered as before."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import yaml
from profiles import write_profile
from typer.testing import CliRunner

from kongchuo_docs.cli import app
from kongchuo_docs.files.resources import sample_path

SCHOOL = "凤山中心小学"


def _notice(folder: Path, organ: str, number: str) -> Path:
    data = yaml.safe_load(sample_path("notice", "letter-notice.yaml").read_text(encoding="utf-8"))
    data.update({"发文机关": organ, "署名": organ, "发文字号": number, "成文日期": "2026年3月2日",
                 "标题": f"{organ}关于协助做好疑似辍学学生劝返复学工作的函"})  # fmt: skip
    path = folder / f"{organ}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _build(tmp_path: Path, profile: Path, source: Path, out: str):
    args = ["build", str(source), "-o", str(tmp_path / out), "--settings", str(profile), "--format", "pdf"]
    return CliRunner().invoke(app, args)


def _first_page(path: Path) -> str:
    with pymupdf.open(path) as doc:
        return doc[0].get_text().replace(" ", "").replace("\n", "")


def test_a_schools_document_is_not_given_the_bureaus_number(tmp_path: Path) -> None:
    profile = write_profile(tmp_path / "县")
    result = _build(tmp_path, profile, _notice(tmp_path, SCHOOL, "自动"), "学校")
    assert result.exit_code == 2
    assert f"而这份公文由 {SCHOOL} 发出" in result.output and "罗教综" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "学校").exists()

    result = _build(tmp_path, profile, _notice(tmp_path, "罗源县教育局", "自动"), "教育局")
    assert result.exit_code == 0, result.output
    assert "罗教综〔2026〕1号" in _first_page(tmp_path / "教育局" / "罗源县教育局.pdf")  # the refused run took none

    result = _build(tmp_path, profile, _notice(tmp_path, SCHOOL, "凤小〔自动〕"), "学校")
    assert result.exit_code == 0, result.output
    page = _first_page(tmp_path / "学校" / f"{SCHOOL}.pdf")
    assert page.startswith(f"{SCHOOL}凤小〔2026〕1号")  # the body still cites the county plan (罗教综〔2020〕47号)
