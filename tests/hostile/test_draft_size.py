"""A draft with a 200 000-character paragraph (a whole book pasted into one paragraph, in many runs
with soft breaks, as Word saves pasted text): `check` and `build` refuse it with the paragraph limit,
naming the paragraph, in under 2 s each — the reader is linear in the paragraph's length."""

from __future__ import annotations

import time
from pathlib import Path

import draftmaker as dm
import pytest

from kongchuo_docs.model.limits import PARAGRAPH_MAX_CHARS

from .conftest import nothing_written

CHARS = 200_000
RUN_CHARS = 100  # pasted text arrives in runs of a few sentences
BOUND_S = 2.0  # issue 18: read or refused within 2 s at the CLI
SENTENCE = "根据县政府要求，各校校长为控辍保学第一责任人，班主任为直接责任人，逐一登记未到校学生。"
TEXT = (SENTENCE * (CHARS // len(SENTENCE) + 1))[:CHARS]


def long_draft(path: Path) -> Path:
    suffix = path.suffix
    if suffix == ".docx":
        doc = dm.new()
        dm.title(doc, "关于测试超长段落的通知")
        dm.para(doc, "各学校：")
        p = dm.para(doc, "", runs=[TEXT[i:i + RUN_CHARS] for i in range(0, CHARS, RUN_CHARS)])
        for run in p.runs[::50]:
            run.add_break()
        dm.signature(doc, "某县教育局", date="2026年3月2日")
        return dm.save(doc, path)
    return dm.write_shape([("title", "关于测试超长段落的通知"), ("p", "各学校："), ("p", TEXT),
                           ("right", "某县教育局"), ("right", "2026年3月2日")], path)


@pytest.mark.parametrize("suffix", [".docx", ".txt", ".md"])
def test_a_200000_character_paragraph_is_refused_with_its_limit_in_time(suffix: str, run, tmp_path: Path) -> None:
    path = long_draft(tmp_path / f"超长{suffix}")
    where = {".docx": "超长.docx 第 3 段", ".txt": "超长.txt:3", ".md": "超长.md:5"}[suffix]
    run(["check", "--help"])  # the commands' imports are not the reader's time
    started = time.perf_counter()
    checked = run(["check", str(path)])
    check_s = time.perf_counter() - started
    assert checked.code == 1 and f"段落过长：{CHARS}" in checked.output, checked.output
    assert f"一段最多 {PARAGRAPH_MAX_CHARS} 个字" in checked.output and where in checked.output
    started = time.perf_counter()
    built = run(["build", str(path), "-o", str(tmp_path / "out")])
    build_s = time.perf_counter() - started
    built.refused(where)
    assert "段落过长" in built.output and nothing_written(tmp_path / "out")
    assert check_s < BOUND_S and build_s < BOUND_S, (check_s, build_s)
