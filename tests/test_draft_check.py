"""`check` reads a draft exactly as `build` does: the same --set values and 单位设置, the same paragraph
numbers in its findings, the same exit codes a clerk's script can rely on."""

from __future__ import annotations

from pathlib import Path

import draftmaker as dm
import pytest
from typer.testing import CliRunner

from kongchuo_docs.cli import app

TITLE = "某县教育局关于做好控辍保学工作的通知"
BODY = "各校要落实控辍保学工作责任，开学后一周内完成学生到校情况排查。"


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def plain_draft(path: Path, body: str = BODY) -> Path:
    doc = dm.new()
    dm.title(doc, TITLE)
    dm.para(doc, body)
    dm.signature(doc, "某某中心学校", date="2026年3月2日")
    return dm.save(doc, path)


def test_check_with_set_plain_exits_0_on_a_clean_draft_and_1_with_findings(tmp_path: Path) -> None:
    code, out = invoke("check", str(plain_draft(tmp_path / "干净.docx")), "--set", "格式=无版头")
    assert code == 0, out
    assert "格式：无版头（--set）" in out and "未发现问题" in out
    code, out = invoke("check", str(plain_draft(tmp_path / "半角.docx", BODY.replace("，", ","))),
                       "--set", "格式=无版头")
    assert code == 1 and "半角.docx 第 2 段 正文 [更正] 标点符号" in out, out
    code, out = invoke("check", str(tmp_path / "干净.docx"), "--set", "无此项=1")
    assert code == 2 and "--set 无此项=1" in out


@pytest.mark.parametrize("suffix", [".docx", ".txt"])
def test_check_and_build_name_the_same_paragraph(suffix: str, tmp_path: Path) -> None:
    """A heading number out of order: check and build both name it at the same paragraph (line)."""
    parts = [("title", TITLE), ("p", "各学校："), ("p", "一、总体要求"), ("p", BODY), ("p", "三、工作措施"),
             ("p", BODY), ("right", "某县教育局"), ("right", "2026年3月2日")]
    path = dm.write_shape(parts, tmp_path / f"跳号{suffix}")
    where = "跳号.docx 第 5 段" if suffix == ".docx" else "跳号.txt:5"
    code, checked = invoke("check", str(path), "--set", "格式=无版头")
    assert code == 1 and f"{where} 正文 [错误]" in checked, checked
    code, built = invoke("build", str(path), "-o", str(tmp_path / "out"), "--set", "格式=无版头")
    assert code == 2 and f"{where} 正文" in built and "1级标题编号不连续" in built, built
    assert not (tmp_path / "out").exists()


def test_check_a_yaml_refuses_set(tmp_path: Path) -> None:
    path = tmp_path / "通知.yaml"
    path.write_text(f"格式: 无版头\n标题: {TITLE}\n正文: {BODY}\n署名: 某某中心学校\n成文日期: 2026年3月2日\n",
                    encoding="utf-8")
    assert invoke("check", str(path))[0] == 0
    code, out = invoke("check", str(path), "--set", "格式=信函")
    assert code == 2 and "--set 只用于草稿" in out
