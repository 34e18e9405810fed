"""`kongchuo-docs demo`: Chinese folder names, reruns replace the demo's own unchanged files only."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import pytest

from kongchuo_docs.errors import OutputExistsError
from kongchuo_docs.files.output import OutputSet
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds import demo, forms


@pytest.fixture
def quick_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo with its forms step and an input copy (the other steps write the same way, through the
    same OutputSet; the full demo takes ~20 s)."""

    def copy_input(out: OutputSet) -> None:
        out.copy_in(sample_path("notice", "seed-notice.yaml"), "样例输入/通知/seed-notice.yaml")

    monkeypatch.setattr(demo, "_steps", lambda profile: [copy_input, partial(forms.demo, profile=profile)])


def test_demo_folders_are_chinese_and_marked_in_the_manifest(tmp_path: Path, quick_demo: None) -> None:
    written = demo.run_demo(tmp_path)
    assert {rel.split("/")[0] for rel in written} == {"空白表格", "样例输入"}
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["demo"]["files"]) == set(written)  # inputs included
    assert {e["path"] for e in manifest["files"]} == set(written)  # every file written is listed
    [copied] = [e for e in manifest["files"] if e["path"] == "样例输入/通知/seed-notice.yaml"]
    assert copied["kind"] == "input" and copied["sha256"] == manifest["demo"]["files"][copied["path"]]
    assert all(len(d) == 64 for d in manifest["demo"]["files"].values())


def test_demo_rerun_replaces_its_own_output(tmp_path: Path, quick_demo: None) -> None:
    first = demo.run_demo(tmp_path)
    pdf = tmp_path / "空白表格" / "学生名册.xlsx"
    before = pdf.stat().st_mtime_ns
    assert demo.run_demo(tmp_path) == first
    assert pdf.stat().st_mtime_ns != before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".kongchuo-")]


def test_demo_rerun_refuses_an_edited_file_and_writes_nothing(tmp_path: Path, quick_demo: None) -> None:
    demo.run_demo(tmp_path)
    edited = tmp_path / "样例输入" / "通知" / "seed-notice.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# 我改过\n", encoding="utf-8")
    pdf = tmp_path / "空白表格" / "学生名册.xlsx"
    before = pdf.stat().st_mtime_ns
    with pytest.raises(OutputExistsError, match="不是上次 demo 写出的原样文件"):
        demo.run_demo(tmp_path)
    assert edited.read_text(encoding="utf-8").endswith("# 我改过\n")
    assert pdf.stat().st_mtime_ns == before  # all or nothing


def test_demo_refuses_files_of_another_command(tmp_path: Path, quick_demo: None) -> None:
    with OutputSet(tmp_path) as out:
        forms.write_forms(out, forms.DEMO_FOLDER, first_year=2026)  # a `forms` run, not the demo
    with pytest.raises(OutputExistsError, match="已存在"):
        demo.run_demo(tmp_path)
    assert not (tmp_path / "样例输入").exists()


def test_a_later_command_keeps_the_demo_mark_of_the_files_it_did_not_touch(tmp_path: Path,
                                                                          quick_demo: None) -> None:
    demo.run_demo(tmp_path)
    with OutputSet(tmp_path) as out:
        forms.write_forms(out, "别的", first_year=2026)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert "样例输入/通知/seed-notice.yaml" in manifest["demo"]["files"]
    assert not any(rel.startswith("别的/") for rel in manifest["demo"]["files"])
    demo.run_demo(tmp_path)  # still replaceable
