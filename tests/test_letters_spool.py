"""The command's two-pass letters run: the roster is read once and spooled per school (the main process
keeps only the problems and ID numbers), each school's worker reads its rows back. Its files are the
very files the roster held whole gives (same bytes), its messages the same, and the letters whose slip
spills are told as soon as the first school is laid out, before any school's files are done."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import pytest
from profiles import write_profile

from kongchuo_docs.errors import InputError
from kongchuo_docs.kinds.letters import ERROR_WORKBOOK, build_letters_files
from kongchuo_docs.kinds.sample_roster import generate_rows, write_sample_roster
from kongchuo_docs.letters.fields import FIELD_NAMES
from kongchuo_docs.letters.grouping import SORT_KEYS, group_letters, group_students
from kongchuo_docs.letters.jobs import EngineConfig, Engines, Output, Unit
from kongchuo_docs.letters.plan import check_glyphs, checked_roster, font_pack, roster_chars
from kongchuo_docs.letters.spec import load_spec
from kongchuo_docs.profile import load_profile
from kongchuo_docs.system.fonts import resolve_fonts
from kongchuo_docs.wording.letter_settings import setting_keys
from kongchuo_docs.writers.error_workbook import write_error_workbook
from kongchuo_docs.writers.pdfa import DEFAULT_LEVEL, Archive

LONG = ["户口簿", "出生医学证明", "预防接种证", "监护人身份证", "居住证明（非本地户籍适用）", "房产证或租房合同",
        "孩子近期一寸免冠照片两张", "幼儿园毕业证明"] * 2  # fmt: skip
"""所需材料 that push many 入学 slips to the next side."""


def _roster(path: Path, year: int, rows: int = 300, invalid: int = 12) -> Path:
    generated = generate_rows(rows, invalid=invalid, seed=7, year=year)
    assert not invalid or "duplicate_id" in {row.defect for row in generated}  # found after spooling
    if invalid:  # characters no font has: rows found unprintable (and left out) after spooling
        clean = [row for row in generated if row.defect is None]
        clean[3].values["姓名"] = clean[3].values["姓名"][:1] + "\U000f0001"
        clean[40].values["监护人姓名"] = "\ue000" + clean[40].values["监护人姓名"]
    assert len({row.values["入读学校"] for row in generated}) > 3
    write_sample_roster(path, generated, year=year)
    return path


def _held_whole(roster: Path, profile_path: Path, kind: str, folder: Path) -> dict[tuple[str, str], str]:
    """(title, format) → sha256 of each file as the run made them with the roster held whole: every
    valid student in memory, grouped and numbered in the main process, each school's letters sent
    whole to the engines."""
    profile = load_profile(profile_path)
    spec = load_spec(kind)
    settings, data = checked_roster(roster, profile, kind)
    fontset = resolve_fonts()
    fallbacks, dropped = check_glyphs(fontset, roster_chars(data.students), lambda: data.students, data.table,
                                      skip_invalid=True)  # fmt: skip
    students = [s for s in data.students if s.row not in dropped]
    groups = group_students(students, spec.group_by, SORT_KEYS[str(settings["排序"])], str(settings["班内排序"]))
    created = settings["成文日期"] if isinstance(settings["成文日期"], dt.date) else None
    fonts = font_pack(spec, settings, roster_chars(students), fontset, fallbacks)
    config = EngineConfig(spec, settings.context(), frozenset(FIELD_NAMES) | frozenset(setting_keys()), None,
                          bool(settings["双面打印"]), fonts, created, Archive(DEFAULT_LEVEL, roster))  # fmt: skip
    engines = Engines(config)
    made = {("名册错误标注", "xlsx"): folder / ERROR_WORKBOOK}
    write_error_workbook(data.table, made["名册错误标注", "xlsx"])
    for n, (group, letters) in enumerate(group_letters(groups).items()):
        title = f"{group}{spec.file_label}"
        outputs = (Output("pdf", folder / f"{n}.pdf", title), Output("docx", folder / f"{n}.docx", title),
                   Output("zip", folder / f"{n}.zip", f"{title}（单份）"))  # fmt: skip
        engines.run(Unit(letters, outputs))
        made.update({(output.title, output.fmt): output.target for output in outputs})
    return {key: hashlib.sha256(path.read_bytes()).hexdigest() for key, path in made.items()}


@pytest.mark.parametrize(("kind", "jobs"), [("入学", 2), ("责令", 1)])
def test_the_spooled_run_writes_the_same_bytes_as_the_roster_held_whole(tmp_path: Path, kind: str,
                                                                        jobs: int) -> None:  # fmt: skip
    profile_path = write_profile(tmp_path / "profile", letters={"所需材料": LONG})
    roster = _roster(tmp_path / "名册.xlsx", load_profile(profile_path).first_year)
    out = tmp_path / "out"
    build_letters_files(roster, out, kind=kind, settings_file=profile_path, jobs=jobs, per_record=True,
                        skip_invalid=True)  # fmt: skip
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]
    spooled = {(entry["title"], entry["format"]): entry["sha256"] for entry in manifest}
    (tmp_path / "whole").mkdir()
    expected = _held_whole(roster, profile_path, kind, tmp_path / "whole")
    assert len(expected) > 3 * 3 + 1  # several schools (townships), three files each, and the error workbook
    assert spooled == expected
    assert not list(out.rglob(".scratch-*")) and not list(out.glob(".kongchuo-*"))  # the spool is gone


def test_a_bad_roster_stops_with_the_same_messages_and_writes_nothing(tmp_path: Path) -> None:
    profile_path = write_profile(tmp_path / "profile")
    roster = _roster(tmp_path / "名册.xlsx", load_profile(profile_path).first_year)
    out = tmp_path / "out"
    with pytest.raises(InputError) as stopped:
        build_letters_files(roster, out, settings_file=profile_path, jobs=2)
    expected = checked_roster(roster, load_profile(profile_path), "入学")[1].problems.errors
    assert [str(p) for p in stopped.value.problems] == [str(p) for p in expected]
    assert any("身份证号重复" in p.message for p in expected)  # a row spooled before its repeat was read
    assert not any("字形" in p.message for p in expected)  # glyphs are checked once the rows are valid
    assert all(p.location.cell for p in expected)  # file!sheet!cell
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_spilled_slips_are_told_before_any_file_is_done(tmp_path: Path, jobs: int,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """As soon as the first (largest) school is laid out, its spilled slips are told — before that
    school's files, or any other, are written — and the total of every school at the end."""
    profile_path = write_profile(tmp_path / "profile", letters={"所需材料": LONG})
    roster = _roster(tmp_path / "名册.xlsx", load_profile(profile_path).first_year, invalid=0)
    events: list[tuple[str, str]] = []
    monkeypatch.setattr("kongchuo_docs.console.warn", lambda message: events.append(("warn", message)))

    def progress(title: str, done: int, total: int) -> None:
        if done == total:
            events.append(("done", title))

    build_letters_files(roster, tmp_path / "out", settings_file=profile_path, jobs=jobs, on_progress=progress)
    spills = [i for i, (what, text) in enumerate(events) if what == "warn" and "被挤到第 2 页" in text]
    done = [i for i, (what, _) in enumerate(events) if what == "done"]
    assert len(spills) == 2 and len(done) > 3, events
    first, total = events[spills[0]][1], events[spills[1]][1]
    assert spills[0] < done[0] and "其他学校的排好后在最后合计" in first  # told before any file is done
    assert spills[1] > done[-1] and total.startswith("合计：")  # the total once every school is laid out
    first_count, total_count = (int(re.search(r"(\d+) 封通知书", text)[1]) for text in (first, total))
    assert 0 < first_count < total_count <= 300
