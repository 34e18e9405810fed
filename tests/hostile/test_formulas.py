"""No XLSX the toolkit writes holds a formula, whatever the user typed (issue 11 #2)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import yaml
from openpyxl import load_workbook

from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds.sample_roster import generate_rows, write_sample_roster
from kongchuo_docs.writers.xlsx_save import formulas_as_text

from .conftest import HOSTILE

FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


def _formula_cells(outdir: Path) -> list[str]:
    """`file!sheet-part` of every sheet XML with a <f> element, over every .xlsx under `outdir`."""
    found = []
    for book in sorted(outdir.rglob("*.xlsx")):
        with zipfile.ZipFile(book) as zf:
            for name in zf.namelist():
                if name.startswith("xl/worksheets/") and FORMULA.search(zf.read(name)):
                    found.append(f"{book.name}!{name}")
    return found


def _values(book: Path) -> set[str]:
    workbook = load_workbook(book)
    return {str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value is not None}


def test_the_xml_pass_keeps_the_text_as_typed() -> None:
    xml = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           b'<row r="1"><c r="A1"><f>SUM(1,2)</f><v></v></c><c r="B1" t="n"><v>3</v></c></row>'
           b"</sheetData></worksheet>")
    out = formulas_as_text(xml)
    assert b"<f>" not in out and b">=SUM(1,2)</t>" in out and b"<v>3</v>" in out


def test_error_workbook_of_an_xlsx_and_a_csv_roster(tmp_path: Path, run) -> None:
    rows = generate_rows(12, invalid=0, seed=3)
    for row, text in zip(rows, HOSTILE, strict=False):
        row.values["户籍地址"] = text
    rows[0].values["身份证号码"] = HOSTILE[0]  # an invalid row whose 原值 is a formula
    roster = tmp_path / "名册.xlsx"
    write_sample_roster(roster, rows)
    result = run(["letters", str(roster), "-o", str(tmp_path / "out"), "--skip-invalid"])
    assert result.code == 0, result.output
    book = next((tmp_path / "out").rglob("名册错误标注.xlsx"))
    assert _formula_cells(tmp_path / "out") == []
    assert HOSTILE[0] in _values(book)

    csv = tmp_path / "名册.csv"
    workbook = load_workbook(roster)
    sheet = workbook.active
    lines = [",".join('"' + str(c.value or "").replace('"', '""') + '"' for c in r) for r in sheet.iter_rows()]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(["letters", str(csv), "-o", str(tmp_path / "csv"), "--skip-invalid"])
    assert result.code == 0, result.output
    assert _formula_cells(tmp_path / "csv") == []
    assert HOSTILE[0] in _values(next((tmp_path / "csv").rglob("名册错误标注.xlsx")))


def test_register_rectification_and_forms(tmp_path: Path, run) -> None:
    clues = yaml.safe_load(sample_path("register", "问题线索.yaml").read_text(encoding="utf-8"))
    for clue, text in zip(clues["线索"], HOSTILE, strict=False):
        clue["线索简要内容"] = text
        clue["拟办意见"] = text
    (tmp_path / "线索.yaml").write_text(yaml.safe_dump(clues, allow_unicode=True), encoding="utf-8")
    result = run(["register", "build", str(tmp_path / "线索.yaml"), "-o", str(tmp_path / "reg")])
    assert result.code == 0, result.output

    found = yaml.safe_load(sample_path("cycle", "检查发现问题.yaml").read_text(encoding="utf-8"))
    for problem, text in zip(found["问题"], HOSTILE, strict=False):
        problem["问题描述"] = text
        problem["整改要求"] = text
    (tmp_path / "问题.yaml").write_text(yaml.safe_dump(found, allow_unicode=True), encoding="utf-8")
    result = run(["rectification", str(tmp_path / "问题.yaml"), "-o", str(tmp_path / "rect")])
    assert result.code == 0, result.output

    assert run(["forms", "-o", str(tmp_path / "forms")]).code == 0
    books = list(tmp_path.rglob("*.xlsx"))
    assert any(b.parent.name == "rect" or "rect" in b.parts for b in books)
    assert _formula_cells(tmp_path) == []
    texts = set().union(*(_values(b) for b in books if "reg" in b.parts or "rect" in b.parts))
    assert set(HOSTILE) <= texts
