"""A table row taller than a page is split between its text lines, as Word and LibreOffice split a
row without w:cantSplit: the clerk's long 问题描述 / 线索简要内容 comes out whole, over as many pages as
it needs, under the repeated header; rows that fit on a page still move whole to the next one."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
import zipfile
from pathlib import Path

import docx
import openpyxl
import pymupdf
import pytest
from profiles import write_profile
from typer.testing import CliRunner
from web_helpers import csrf_of, wait_for_job

from kongchuo_docs import gbt9704 as g
from kongchuo_docs import model
from kongchuo_docs.cli import app
from kongchuo_docs.layout.boxes import HEIGHT, WIDTH, TableBox
from kongchuo_docs.layout.pages import layout_document
from kongchuo_docs.model.limits import CELL_MAX_CHARS

ALPHABET = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅"  # 23: a dropped or doubled line shows


def long_text(n: int) -> str:
    return "".join(ALPHABET[i % len(ALPHABET)] for i in range(n))


def _long_lines(page: pymupdf.Page) -> list[str]:
    """The text lines of `page` made of the long text's characters only, top to bottom."""
    found = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            text = "".join(span["text"] for span in line["spans"]).replace(" ", "")
            if len(text) >= 3 and set(text) <= set(ALPHABET):
                found.append((line["bbox"][1], line["bbox"][0], text))
    return [text for *_, text in sorted(found)]


def table_pages(pdf: Path, header: str) -> list[list[str]]:
    """Per page carrying the table's header (`header`, a column name): the long text's lines on it."""
    with pymupdf.open(pdf) as doc:
        return [_long_lines(page) for page in doc if header in page.get_text().replace("\n", "").replace(" ", "")]


def docx_cells(path: Path) -> list[str]:
    return [cell.text for table in docx.Document(str(path)).tables for row in table.rows for cell in row.cells]


def _forms(tmp_path: Path) -> tuple[Path, Path]:
    profile = write_profile(tmp_path / "县")
    result = CliRunner().invoke(app, ["forms", "-o", str(tmp_path / "空白"), "--settings", str(profile)])
    assert result.exit_code == 0, result.output
    return tmp_path / "空白", profile


def filled_inspection(tmp_path: Path, text: str) -> tuple[Path, Path]:
    """The blank 检查发现问题 form, its 示例 row left in, with one problem described by `text`."""
    forms, profile = _forms(tmp_path)
    path = forms / "检查发现问题.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["检查发现问题"]
    header = next(r for r in ws.iter_rows() if any(c.value == "问题描述*" for c in r))
    column = {str(c.value).rstrip("*"): c.column for c in header if c.value}
    row = ws.max_row + 1
    for label, value in {"被检查单位": "丙镇人民政府", "问题类别": "档案", "问题描述": text, "整改要求": "补齐档案",
                         "整改时限": "2020-10-23", "整改状态": "整改中", "检查日期": "2020-10-12"}.items():
        ws.cell(row, column[label], value)
    wb.save(path)
    return path, profile


def filled_clues(tmp_path: Path, text: str) -> tuple[Path, Path]:
    """The blank 问题线索登记 form, its 示例 row left in, with one clue of `text` under it."""
    forms, profile = _forms(tmp_path)
    path = forms / "问题线索登记.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["问题线索登记"]
    column = {str(c.value).rstrip("*"): c.column for c in ws[1] if c.value}
    for label, value in {"序号": "2", "移送单位": "某某县教育局督导室", "线索来源": "群众举报", "线索简要内容": text,
                         "移送日期": dt.date(2026, 10, 10)}.items():
        ws.cell(3, column[label], value)
    wb.save(path)
    return path, profile


def rectification(tmp_path: Path, n: int) -> Path:
    source, profile = filled_inspection(tmp_path, long_text(n))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["rectification", str(source), "-o", str(out), "--date", "2020-10-16",
                                      "--number", "52", "--settings", str(profile)])
    assert result.exit_code == 0, result.output
    return out


def register(tmp_path: Path, n: int) -> Path:
    source, profile = filled_clues(tmp_path, long_text(n))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["register", "build", str(source), "-o", str(out), "--date", "2026-10-12",
                                      "--settings", str(profile)])
    assert result.exit_code == 0, result.output
    return out


def grid(height_pt: float) -> float:
    """The 版心 height in whole lines of the DOCX's line grid, where LibreOffice ends a page's body, pt."""
    return math.floor(height_pt / g.LINE_PITCH_PT) * g.LINE_PITCH_PT


def full_page_lines(header_pt: float) -> int:
    """Text lines of a split row on a 横排 page under the repeated header."""
    return math.floor((grid(WIDTH) - header_pt) / g.TABLE_LINE_PITCH_PT)


def assert_split_whole(pages: list[list[str]], text: str) -> None:
    """Every character of `text` in order over the table's pages; the pages after the first full."""
    assert "".join("".join(lines) for lines in pages) == text
    header_pt = g.mm_to_pt(g.TABLE_MIN_ROW_HEIGHT_MM)
    counts = [len(lines) for lines in pages]
    assert len(pages) >= 2 and all(count == full_page_lines(header_pt) for count in counts[1:-1])
    assert 1 <= counts[-1] <= full_page_lines(header_pt)


@pytest.mark.parametrize("n", [300, 1500, 6000])
def test_a_long_problem_description_comes_out_whole_over_pages(tmp_path: Path, n: int) -> None:
    out = rectification(tmp_path, n)
    [pdf] = out.glob("*整改通知.pdf")
    pages = table_pages(pdf, "问题描述")
    assert_split_whole(pages, long_text(n))
    with pymupdf.open(pdf) as doc:
        notice = [page for page in doc if "问题描述" not in page.get_text().replace("\n", "")]
        assert doc.page_count == len(pages) + len(notice)
    [path] = out.glob("*整改通知.docx")
    assert long_text(n) in docx_cells(path)


@pytest.mark.parametrize("n", [300, 1500, 6000])
def test_a_long_clue_comes_out_whole_over_pages(tmp_path: Path, n: int) -> None:
    out = register(tmp_path, n)
    pdf = out / "问题线索移送登记表.pdf"
    pages = table_pages(pdf, "线索简要内容")
    assert_split_whole(pages, long_text(n))
    with pymupdf.open(pdf) as doc:
        assert doc.page_count == len(pages)  # every page of the register carries its header
    assert long_text(n) in docx_cells(out / "问题线索移送登记表.docx")
    cells = [c.value for row in openpyxl.load_workbook(out / "问题线索移送登记表.xlsx").worksheets[0].iter_rows()
             for c in row]
    assert long_text(n) in cells


def test_the_register_page_builds_a_long_clue_by_default(tmp_path: Path, web_client) -> None:
    """The web page's 问题线索移送登记表 with its default formats (xlsx, docx, pdf)."""
    source, _ = filled_clues(tmp_path, long_text(1500))
    response = web_client.post("/batch/register-build", data={"csrf": csrf_of(web_client)},
                               files={"clues": ("问题线索登记.xlsx", source.read_bytes())})
    assert wait_for_job(web_client, response.url.path)["state"] == "done"
    download = web_client.get(f"{response.url.path}/download")
    with zipfile.ZipFile(io.BytesIO(download.content)) as zf:
        [name] = [n for n in zf.namelist() if n.endswith(".pdf")]
        pdf = tmp_path / "web.pdf"
        pdf.write_bytes(zf.read(name))
    assert_split_whole(table_pages(pdf, "线索简要内容"), long_text(1500))


def test_a_clue_past_the_cell_budget_is_refused_in_chinese_naming_its_line(tmp_path: Path) -> None:
    """An .xlsx cell holds 32 767 characters at most; a YAML value is held to `CELL_MAX_CHARS`."""
    source = tmp_path / "线索.yaml"
    source.write_text(f"填报单位: 某县教育局\n填报时间: 2026-10-09\n线索:\n  - 移送单位: 某县教育局督导室\n"
                      f"    线索简要内容: {long_text(CELL_MAX_CHARS + 1)}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["register", "build", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "线索.yaml:5" in result.output and f"内容过长：{CELL_MAX_CHARS + 1} 个字" in result.output
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ the layout's rule


def _table(cells: list[str], *, rows_before: int = 0) -> model.Document:
    rows = [["序号", "内容"], *[[str(i), "短"] for i in range(rows_before)],
            *[[str(i), cell] for i, cell in enumerate(cells)]]
    return model.Document(format="plain", kind="t", issuers=["某单位"], title="试验表", date=dt.date(2026, 1, 1),
                          body=[model.Table(rows=rows, widths=[1, 4])])


def _boxes(doc: model.Document) -> list[list[TableBox]]:
    return [[pl.item for pl in page.items if isinstance(pl.item, TableBox)] for page in layout_document(doc).pages]


def test_a_row_that_fits_on_a_page_still_moves_whole() -> None:
    """A row of 20 lines (shorter than a page) under rows filling most of page 1 is not cut: it
    starts page 2, under the repeated header."""
    doc = _table([long_text(20 * 26)], rows_before=17)
    pages = _boxes(doc)
    assert all(box.last_line is None and box.first_line == 0 for boxes in pages for box in boxes)
    last = len(doc.body[0].rows) - 1
    assert pages[1][0].rows == (0, last)


def test_a_row_taller_than_a_page_is_split_between_its_lines_under_the_repeated_header() -> None:
    doc = _table([long_text(3000)], rows_before=3)
    placed = [pl for page in layout_document(doc).pages for pl in page.items if isinstance(pl.item, TableBox)]
    boxes = [pl.item for pl in placed]
    row = len(doc.body[0].rows) - 1
    lines = round(boxes[0].row_heights_pt[row] / g.TABLE_LINE_PITCH_PT)
    assert len(boxes) >= 3 and all(box.rows[0] == 0 for box in boxes)  # the header on every page
    parts = [box.part(row) for box in boxes]
    assert parts[0][0] == 0 and parts[-1][1] is None
    assert all(a[1] == b[0] for a, b in itertools.pairwise(parts))  # no line lost or doubled
    assert sum(box.part_height(row) for box in boxes) == pytest.approx(lines * g.TABLE_LINE_PITCH_PT)
    for pl in placed[:-1]:  # each page filled to within a line of the grid's last line
        assert grid(HEIGHT) - g.TABLE_LINE_PITCH_PT < pl.y_pt + pl.item.height_pt <= grid(HEIGHT) + 0.05


@pytest.mark.parametrize(("build", "header"), [(rectification, "问题描述"), (register, "线索简要内容")])
def test_word_and_the_pdf_split_the_long_row_alike(tmp_path: Path, build, header: str) -> None:
    """The DOCX as LibreOffice lays it out: the row split on the same pages as the PDF, each page
    cut at the same line of the cell, the header repeated, every character in order."""
    from kongchuo_docs.system.libreoffice import render_docx_to_pdf, soffice_path

    if soffice_path() is None:
        pytest.skip("LibreOffice 未安装：跳过渲染检查（CI 会安装）")
    out = build(tmp_path, 1500)
    [pdf] = out.glob("*.pdf")
    [docx_path] = out.glob("*.docx")
    rendered = render_docx_to_pdf(docx_path, tmp_path / "lo")
    ours, theirs = table_pages(pdf, header), table_pages(rendered, header)
    for pages in (ours, theirs):
        assert_split_whole(pages, long_text(1500))
    assert [len(lines) for lines in ours] == [len(lines) for lines in theirs]
    with pymupdf.open(pdf) as a, pymupdf.open(rendered) as b:
        assert a.page_count == b.page_count


def test_a_header_taller_than_a_page_is_named_by_its_yaml_line(tmp_path: Path) -> None:
    """What still stops a document — a header with not one line of a row under it on a page — names
    the input once, not the page alone."""
    from kongchuo_docs.files.resources import sample_path

    text = sample_path("notice", "plain-report.yaml").read_text(encoding="utf-8")
    text = text.replace("入学率]", "入学率" + "说明" * 1000 + "]")
    source = tmp_path / "台账.yaml"
    source.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if "表头:" in row)
    result = CliRunner().invoke(app, ["build", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.count(f"台账.yaml:{line} 表头") == 1 and "表头太高" in result.output
    assert not (tmp_path / "out").exists()
