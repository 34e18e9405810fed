"""Slip placement: the 劝返/责令 送达回证 is a form alone on the page after its letter (PDF and the
LibreOffice-rendered DOCX, same page count), never reported as spilled; the 入学 回执 stays a tear-off
slip on the letter's page; a wrong ``placement`` in a user's wording file is refused at its line."""

from __future__ import annotations

import re
from pathlib import Path

import pymupdf
import pytest
from profiles import write_profile
from typer.testing import CliRunner

from kongchuo_docs import gbt9704 as g
from kongchuo_docs.cli import app
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds.sample_roster import generate_rows, write_sample_roster
from kongchuo_docs.profile import load_profile
from kongchuo_docs.readers.roster import read_roster
from kongchuo_docs.system.libreoffice import render_docx_to_pdf, soffice_path

SAMPLE = load_profile(sample_path("profile", "单位设置.yaml"))
TITLES = {"劝返": "劝返复学通知书", "责令": "责令限期复学通知书"}


def _roster(path: Path, rows: int) -> Path:
    generated = [r for r in generate_rows(rows, seed=5, year=SAMPLE.first_year) if r.defect is None]
    schools = [r.values["入读学校"] for r in generated]
    school = max(set(schools), key=schools.count)
    write_sample_roster(path, [r for r in generated if r.values["入读学校"] == school], year=SAMPLE.first_year)
    return path


def _run(tmp_path: Path, roster: Path, kind: str, *extra: str, letters: dict | None = None) -> str:
    """Single-sided letters of `kind`; the CLI output on one line."""
    profile = write_profile(tmp_path, {"双面打印": ""}, letters)
    args = ["letters", str(roster), "-o", str(tmp_path / "out"), "--kind", kind, "--settings", str(profile), *extra]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.output.replace("\n", "")


def _pages(pdf: Path) -> list[str]:
    with pymupdf.open(pdf) as doc:
        return [re.sub(r"\s+", "", page.get_text()) for page in doc]


def _dashed(page: pymupdf.Page) -> int:
    return sum(1 for d in page.get_drawings() if d.get("dashes") not in (None, "[] 0"))


@pytest.mark.parametrize("kind", ["劝返", "责令"])
def test_service_receipt_is_alone_on_the_page_after_each_letter(tmp_path: Path, kind: str) -> None:
    roster = _roster(tmp_path / "名册.xlsx", 24)
    output = _run(tmp_path, roster, kind)
    assert "被挤到" not in output
    pdfs = sorted((tmp_path / "out").rglob("*.pdf"))
    forms = 0
    for pdf in pdfs:
        pages = _pages(pdf)
        starts = [i for i, text in enumerate(pages) if text.startswith(TITLES[kind])]
        assert starts
        for start, end in zip(starts, [*starts[1:], len(pages)], strict=True):
            # the letter's pages, then exactly one page holding the form and nothing of the letter
            assert pages[end - 1].startswith("送达回证送达文书名称"), pages[end - 1][:40]
            assert all("送达回证" not in text for text in pages[start : end - 1])
            assert "：" not in pages[end - 1].split("送达文书名称")[0]  # no salutation, no body above
        forms += len(starts)
        with pymupdf.open(pdf) as doc:
            for index in (i for i, text in enumerate(pages) if text.startswith("送达回证")):
                page = doc[index]
                assert _dashed(page) == 0  # no cut line on a form
                rows = [d["rect"].height for d in page.get_drawings() if d["items"] and d["items"][0][0] == "re"]
                assert rows and min(rows) >= g.LETTER_FORM_TABLE_ROW_PT - 0.1  # two 3号 lines to sign in
                title = next(s for b in page.get_text("dict")["blocks"] for line in b.get("lines", [])
                             for s in line["spans"] if s["text"].strip())  # fmt: skip
                assert title["text"].replace(" ", "") == "送达回证"
                assert title["size"] == pytest.approx(g.TITLE_SIZE_PT, abs=0.1)
    assert forms == len(read_roster(roster).students)


@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice not installed")
def test_rendered_docx_has_the_pdfs_pages(tmp_path: Path) -> None:
    roster = _roster(tmp_path / "名册.xlsx", 10)
    _run(tmp_path, roster, "劝返")
    pdf = next((tmp_path / "out").rglob("*.pdf"))
    rendered = render_docx_to_pdf(pdf.with_suffix(".docx"), tmp_path / "lo")
    ours, theirs = _pages(pdf), _pages(rendered)
    assert len(theirs) == len(ours) == 2 * len(read_roster(roster).students)
    assert [i for i, t in enumerate(theirs) if t.startswith("送达回证")] == list(range(1, len(ours), 2))


def test_enrolment_receipt_stays_on_the_letters_page(tmp_path: Path) -> None:
    roster = _roster(tmp_path / "名册.xlsx", 12)
    output = _run(tmp_path, roster, "入学", letters={"所需材料": []})
    pages = _pages(next((tmp_path / "out").rglob("*.pdf")))
    assert len(pages) == len(read_roster(roster).students)
    # the words on the cut line (cut_text), then the slip's title under it
    assert all(text.startswith("入学通知书") and "沿虚线剪下，交回学校入学通知书回执" in text for text in pages)
    assert "被挤到" not in output


def test_wrong_placement_in_a_wording_file_is_refused_at_its_line(tmp_path: Path) -> None:
    roster = _roster(tmp_path / "名册.xlsx", 4)
    folder = tmp_path / "措辞"
    assert CliRunner().invoke(app, ["templates", "export", str(folder)]).exit_code == 0
    wording = folder / "letters" / "return.yaml"
    text = wording.read_text(encoding="utf-8")
    wording.write_text(text.replace("placement: own-page", "placement: 单独一页"), encoding="utf-8")
    line = next(n for n, row in enumerate(wording.read_text(encoding="utf-8").splitlines(), 1) if "单独一页" in row)
    profile = write_profile(tmp_path, {"双面打印": ""})
    args = ["--templates", str(folder), "letters", str(roster), "-o", str(tmp_path / "out"), "--kind", "劝返",
            "--settings", str(profile)]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert f"return.yaml:{line}" in result.output.replace("\n", "") and "placement" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.pdf"))
