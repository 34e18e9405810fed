"""问题线索移送登记表: the print-ready workbook, merging units' registers, the CLI and LibreOffice."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from kongchuo_docs.cli import app
from kongchuo_docs.errors import InputError, Problems
from kongchuo_docs.files.output import OutputSet
from kongchuo_docs.kinds import register as reg
from kongchuo_docs.kinds import register_data as reg_data
from kongchuo_docs.writers.xlsx_register import HEADER_ROW, RegisterColumn, column_widths
from kongchuo_docs.writers.xlsx_save import save_workbook

SEED_HEADERS = ["序号", "移送单位", "线索来源", "线索简要内容", "拟办意见", "转办情况", "责任部门", "办理情况"]
AS_OF = date(2020, 12, 20)
SHARED = "某村两名七年级学生10月起长期未到校，疑似随父母外出务工。"


def clue_yaml(n: int, *, unit: str = "罗源县教育局") -> str:
    """A YAML register of `n` clues, each with a distinct summary long enough to wrap."""
    lines = [f"填报单位: {unit}", "填报时间: 2020-10-09", "线索:"]
    sources = ["督导检查", "信访举报", "12345热线", "数据比对"]
    for i in range(1, n + 1):
        lines += [
            f"  - 移送单位: 罗源县教育局督导室{i}",
            f"    线索来源: {sources[i % len(sources)]}",
            f"    线索简要内容: 第{i}号线索：某镇学生长期未到校，家长称外出务工，学校未按规定书面报告，需核实去向。",
            "    拟办意见: 转乡镇政府核实，组织劝返",
            "    转办情况: 已转乡镇控辍保学工作领导小组",
            "    责任部门: 罗源县起步镇人民政府",
            "    办理情况: 办理中",
            f"    办理时限: 2020-10-{10 + i % 18:02d}",
        ]
    return "\n".join(lines) + "\n"


def build(tmp_path: Path, n: int) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "线索.yaml"
    source.write_text(clue_yaml(n), encoding="utf-8")
    reg.build_register_files(source, tmp_path / "out")
    return tmp_path / "out" / "问题线索移送登记表.xlsx"


# ---------------------------------------------------------------- the workbook


def assert_print_ready(path: Path, rows: int) -> list[str]:
    """The checks of issue 6: landscape A4 fitted to one page wide, header row repeated, merged title,
    the eight seed columns in order, thin borders and wrapping on every cell of the table; returns the headers."""
    sheet = load_workbook(path).worksheets[0]
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (int(sheet.page_setup.fitToWidth), int(sheet.page_setup.fitToHeight)) == (1, 0)
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
    headers = [c.value for c in sheet[HEADER_ROW]]
    assert headers[:8] == SEED_HEADERS
    last = sheet.cell(HEADER_ROW, len(headers)).column_letter
    assert f"A1:{last}1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A1"].value == "问题线索移送登记表"
    assert sheet["A2"].value.startswith("填报单位：")
    assert sheet.print_area.startswith(f"'{sheet.title}'!$A$1:${last}$")
    assert int(sheet.print_area.rsplit("$", 1)[1]) >= HEADER_ROW + rows
    for row in sheet.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW + rows, max_col=len(headers)):
        for cell in row:
            sides = (cell.border.left, cell.border.right, cell.border.top, cell.border.bottom)
            assert all(side.style == "thin" for side in sides), cell.coordinate
            assert cell.alignment.wrap_text, cell.coordinate
    assert sheet.cell(HEADER_ROW + rows + 1, 2).value is None  # nothing after the last row
    assert [sheet.cell(r, 1).value for r in range(HEADER_ROW + 1, HEADER_ROW + rows + 1)] == list(range(1, rows + 1))
    return headers


def test_register_workbook_prints_as_the_form(tmp_path: Path) -> None:
    path = build(tmp_path, 6)
    headers = assert_print_ready(path, 6)
    assert headers[8:] == ["办理时限"]  # the only optional column with values
    sheet = load_workbook(path).active
    assert sheet["A2"].value == "填报单位：罗源县教育局"
    assert "2020年10月9日" in next(c.value for c in sheet[2] if c.value and "填报时间" in c.value)
    assert sheet.print_area.endswith(f"${HEADER_ROW + 6}")


def test_demo_step_writes_the_register_and_the_merge(tmp_path: Path) -> None:
    with OutputSet(tmp_path) as out:
        reg.demo(out)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    registers = {e["path"]: e for e in manifest["files"] if e["kind"] == "referral-register"}
    single, county = "登记表/问题线索移送登记表.xlsx", "登记表/问题线索移送登记表（汇总）.xlsx"
    documents = {"登记表/问题线索移送登记表.docx", "登记表/问题线索移送登记表.pdf"}
    assert set(registers) == {single, county, *documents}
    assert registers[single]["records"] == 5  # samples/register/问题线索.yaml
    assert_print_ready(tmp_path / single, 5)
    # scripts/make_register_samples.py: 起步镇 4 clues (+ blank, numbered-empty and signature rows), 凤山 3, 公安局 2
    assert registers[county]["records"] == len(merged_rows(tmp_path / county)) == 9
    assert_print_ready(tmp_path / county, 9)
    assert all((tmp_path / "样例输入/登记表" / name).is_file() for name in reg.SAMPLE_UNITS)


def test_register_workbook_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    first = build(tmp_path / "a", 3).read_bytes()
    second = build(tmp_path / "b", 3).read_bytes()
    assert first == second


def test_column_widths_count_full_width_characters_double() -> None:
    columns = [RegisterColumn("甲"), RegisterColumn("乙")]
    narrow, wide = column_widths(columns, [("a" * 8, "中" * 8)])
    assert wide - 1.5 == pytest.approx(2 * (narrow - 1.5))  # 1.5 = padding
    long_text = "很长的线索内容" * 20
    squeezed = column_widths([RegisterColumn("内容", wrap=True)] + [RegisterColumn("x")] * 12,
                             [(long_text, *["2020-10-09"] * 12)])
    assert squeezed[0] < len(long_text) * 2  # wraps instead of running off the page


def test_wrapped_rows_are_tall_enough(tmp_path: Path) -> None:
    path = build(tmp_path, 2)
    sheet = load_workbook(path).active
    first_row = sheet.row_dimensions[HEADER_ROW + 1].height
    assert first_row is not None and first_row > 2 * 11  # the long 线索简要内容 wraps to several lines


# ---------------------------------------------------------------- merging


def unit_workbooks(folder: Path) -> tuple[list[Path], int]:
    """Three units' registers as units fill them; returns the files and the number of real clues."""
    folder.mkdir(parents=True, exist_ok=True)
    a = Workbook()
    sheet = a.active
    sheet.title = "问题线索登记"
    sheet["A1"] = "问题线索移送登记表"
    sheet["A2"] = "填报单位（盖章）：罗源县起步镇人民政府"
    sheet["F2"] = "填报时间：2020年12月18日"
    sheet.append([*SEED_HEADERS, "移送日期", "办理时限"])
    sheet.append([1, "起步镇控辍办", "数据比对", SHARED, "家访", "转学校", "起步中心小学", "办理中",
                  date(2020, 11, 20), date(2020, 12, 31)])
    sheet.append([None] * 10)  # blank row in the middle
    sheet.append([2, "起步镇控辍办", "督导检查", "初二学生连续缺课15天。", "约谈", "转起步中学", "起步中学", "已办结",
                  date(2020, 11, 2), date(2020, 11, 30)])
    sheet.append([3, "起步镇派出所", "巡察", "某村适龄儿童未入学。", "核实", "转中心小学", "起步中心小学", "未办",
                  date(2020, 11, 9), date(2020, 12, 1)])
    sheet.append([4])  # a pre-numbered empty line
    sheet.append(["填表人：林晓明"])
    b = Workbook()
    sheet = b.active
    sheet.title = "登记表"
    sheet["A2"], sheet["B2"] = "填报单位：", "罗源县凤山中心小学"
    sheet.append(["办理状态", "线索内容", "序号", "责任单位", "来源", "移送单位", "办理时限", "联系人"])
    sheet.append(["在办", " 某村两名七年级学生 10月起长期未到校, 疑似随父母外出务工", "一", "起步中心小学", "数据比对",
                  "凤山中心小学", "2020/12/31", "陈老师"])
    sheet.append(["办结", "五年级学生长期请病假。", "（补）", "凤山中心小学", "督导", "凤山中心小学", "2020/12/10",
                  "陈老师"])
    c = Workbook()
    sheet = c.active
    sheet.append(["线索编号", "序号", "线索简要内容", "办理情况", "办理时限", "移送日期", "线索来源"])
    sheet.append(["GA-07", "1-1", "网吧接纳未成年学生上网。", "办理中", "2020年11月30日", "2020年11月3日", "12345"])
    files = []
    for name, workbook in (("起步镇.xlsx", a), ("凤山中心小学.xlsx", b), ("罗源县公安局.xlsx", c)):
        save_workbook(workbook, folder / name)
        files.append(folder / name)
    return files, 6


def merged_rows(path: Path) -> list[dict[str, object]]:
    sheet = load_workbook(path)["问题线索移送登记表"]
    headers = [c.value for c in sheet[HEADER_ROW]]
    rows = []
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
        if row[1:] == (None,) * (len(row) - 1):  # the legend under the table (a merged row)
            break
        rows.append(dict(zip(headers, row, strict=True)))
    return rows


def test_merge_keeps_every_clue_and_flags_the_duplicate(tmp_path: Path) -> None:
    files, real_clues = unit_workbooks(tmp_path / "in")
    written, merged, warnings = reg.merge_register_files(files, tmp_path / "out", as_of=AS_OF)
    rows = merged_rows(tmp_path / "out" / written[0])
    assert len(rows) == real_clues == len(merged.clues)  # rows in = rows out
    assert [r["序号"] for r in rows] == list(range(1, real_clues + 1))
    assert [c.value for c in load_workbook(tmp_path / "out" / written[0]).active[HEADER_ROW]][:8] == SEED_HEADERS
    units = [r["报送单位"] for r in rows]
    assert units == sorted(units)  # grouped by unit
    assert set(units) == {"罗源县起步镇人民政府", "罗源县凤山中心小学", "罗源县公安局"}  # 填报单位 or file name
    qibu = [r for r in rows if r["报送单位"] == "罗源县起步镇人民政府"]
    by_date = ["初二学生连续缺课15天。", "某村适龄儿童未入学。", SHARED]  # 移送日期 11-02, 11-09, 11-20
    assert [r["线索简要内容"] for r in qibu] == by_date
    duplicates = [r for r in rows if r["核查标记"] and "疑似重复" in r["核查标记"]]
    assert {r["报送单位"] for r in duplicates} == {"罗源县起步镇人民政府", "罗源县凤山中心小学"}
    numbers = {r["序号"] for r in duplicates}
    for row in duplicates:
        (other,) = numbers - {row["序号"]}
        assert f"序号{other}" in row["核查标记"]
    assert any("填表人" in str(w) for w in warnings)  # the signature line is reported, not taken as a clue


def test_merge_colours_duplicates_and_overdue_rows(tmp_path: Path) -> None:
    files, _ = unit_workbooks(tmp_path / "in")
    written, _, _ = reg.merge_register_files(files, tmp_path / "out", as_of=AS_OF)
    sheet = load_workbook(tmp_path / "out" / written[0]).active
    rows = merged_rows(tmp_path / "out" / written[0])
    for offset, row in enumerate(rows):
        fill = sheet.cell(HEADER_ROW + 1 + offset, 4).fill
        colour = fill.fgColor.rgb[-6:] if fill.fill_type == "solid" else None
        mark = row["核查标记"] or ""
        if "逾期" in mark:
            assert colour == "F8CBAD"
        elif "疑似重复" in mark:
            assert colour == "FFF2CC"
        else:
            assert colour is None


def test_overdue_depends_on_the_reference_date(tmp_path: Path) -> None:
    files, _ = unit_workbooks(tmp_path / "in")
    registers, _ = reg_data.read_registers(files)
    early = reg_data.merge_registers(registers, as_of=date(2020, 11, 1))
    late = reg_data.merge_registers(registers, as_of=AS_OF)
    assert early.overdue == 0
    overdue = [c.values["summary"] for c in late.clues if c.overdue]
    # 12-01 某村… (未办理) and 11-30 网吧… (办理中) are past; 11-30 初二… is 已办结, 12-31 not yet due
    assert sorted(overdue) == sorted(["某村适龄儿童未入学。", "网吧接纳未成年学生上网。"])


def test_count_sheet_adds_up(tmp_path: Path) -> None:
    files, real_clues = unit_workbooks(tmp_path / "in")
    written, merged, _ = reg.merge_register_files(files, tmp_path / "out", as_of=AS_OF)
    sheet = load_workbook(tmp_path / "out" / written[0])["统计"]
    values = [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]
    header = next(r for r in values if r[0] == "责任部门")
    totals = [r for r in values if r[0] == "合计"]
    assert len(totals) == 2  # by 责任部门 and by 报送单位
    total_col = header.index("合计")
    assert all(r[total_col] == real_clues for r in totals)
    assert all(r[header.index("其中逾期")] == merged.overdue for r in totals)
    statuses = header[1:total_col]
    assert statuses[:3] == ("未办理", "办理中", "已办结")
    assert sum(totals[0][1:total_col]) == real_clues


def test_merged_register_reads_back_as_a_register(tmp_path: Path) -> None:
    files, real_clues = unit_workbooks(tmp_path / "in")
    written, _, _ = reg.merge_register_files(files, tmp_path / "out", as_of=AS_OF, reporting_unit="罗源县教育局")
    again, _ = reg_data.read_registers([tmp_path / "out" / written[0]])
    assert again[0].reporting_unit == "罗源县教育局"
    assert again[0].reported_on == AS_OF
    assert len(again[0].clues) == real_clues


def test_problems_of_all_files_are_reported_by_cell(tmp_path: Path) -> None:
    files, _ = unit_workbooks(tmp_path / "in")
    bad = Workbook()
    sheet = bad.active
    sheet.title = "登记表"
    sheet.append(["序号", "线索来源", "线索简要内容", "办理时限"])
    sheet.append([1, "小道消息", "某村学生未到校。", "下周"])
    sheet.append([2, "督导检查", None, "2020-12-01"])
    save_workbook(bad, tmp_path / "in" / "坏表.xlsx")
    missing = tmp_path / "in" / "不存在.xlsx"
    with pytest.raises(InputError) as caught:
        reg_data.read_registers([*files, tmp_path / "in" / "坏表.xlsx", missing])
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith("坏表.xlsx!登记表!B2 线索来源") for m in messages)
    assert any(m.startswith("坏表.xlsx!登记表!D2 办理时限") for m in messages)
    assert any(m.startswith("坏表.xlsx!登记表!C3 线索简要内容") for m in messages)
    assert any(m.startswith("不存在.xlsx") for m in messages)


def test_register_from_yaml_reports_lines(tmp_path: Path) -> None:
    source = tmp_path / "线索.yaml"
    source.write_text("填报单位: 某镇\n填报日期: 2020-10-09\n线索:\n  - 线索来源: 传闻\n", encoding="utf-8")
    problems = Problems()
    reg_data.read_register(source, problems)
    messages = [str(p) for p in problems.errors]
    assert any(m.startswith("线索.yaml:2 填报日期") for m in messages)
    assert any(m.startswith("线索.yaml:4 线索来源") for m in messages)
    assert any("线索简要内容" in m and "必填" in m for m in messages)


# ---------------------------------------------------------------- CLI


def test_cli_merge_and_build(tmp_path: Path) -> None:
    files, real_clues = unit_workbooks(tmp_path / "in")
    runner = CliRunner()
    target = tmp_path / "out" / "汇总.xlsx"
    args = ["register", "merge", *map(str, files), "-o", str(target), "--as-of", "2020年12月20日"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    duplicate_line = next(line for line in result.output.splitlines() if line.startswith("疑似重复："))
    assert "起步镇.xlsx!问题线索登记!第4行" in duplicate_line and "凤山中心小学.xlsx!登记表!第4行" in duplicate_line
    assert len(merged_rows(target)) == real_clues
    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "--force" in again.output
    bad_date = runner.invoke(app, [*args[:-1], "明天", "--force"])
    assert bad_date.exit_code == 2 and "--as-of" in bad_date.output
    source = tmp_path / "线索.yaml"
    source.write_text(clue_yaml(2), encoding="utf-8")
    built = runner.invoke(app, ["register", "build", str(source), "-o", str(tmp_path / "b")])
    assert built.exit_code == 0, built.output
    assert (tmp_path / "b" / "问题线索移送登记表.xlsx").is_file()


# ---------------------------------------------------------------- LibreOffice


def test_libreoffice_prints_the_header_row_on_every_page(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: cannot check the printed pages")
    fitz = pytest.importorskip("pymupdf")
    path = build(tmp_path, 40)
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path / "pdf"), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with fitz.open(tmp_path / "pdf" / "问题线索移送登记表.pdf") as pdf:
        pages = [page.get_text() for page in pdf]
        sizes = {(round(page.rect.width), round(page.rect.height)) for page in pdf}
    assert len(pages) >= 2
    assert sizes == {(842, 595)}  # A4 landscape
    for number, text in enumerate(pages, start=1):
        compact = "".join(text.split())
        assert all(h in compact for h in SEED_HEADERS), f"page {number} lacks the header row"
        assert f"第{number}页共{len(pages)}页" in compact
    assert "问题线索移送登记表" in pages[0] and "问题线索移送登记表" not in pages[1]
    found = {n for n in range(1, 41) if f"第{n}号线索" in "".join("".join(pages).split())}
    assert found == set(range(1, 41))  # every row printed


def test_register_table_holds_the_seed_form(tmp_path: Path) -> None:
    source = tmp_path / "线索.yaml"
    source.write_text(clue_yaml(3), encoding="utf-8")
    problems = Problems()
    table = reg.register_table(reg_data.read_register(source, problems), blank_rows=2)
    assert not problems.errors
    assert table.rows[0] == SEED_HEADERS  # 办理时限 (filled in) stays in the workbook
    assert [row[0] for row in table.rows[1:]] == ["1", "2", "3"]
    assert table.rows[1][3].startswith("第1号线索")
    assert table.widths is not None and table.widths[3] == max(table.widths)  # 线索简要内容 widest
    assert table.blank_rows == 2


def test_the_blank_form_filled_in_is_read_as_a_register(tmp_path: Path) -> None:
    from kongchuo_docs.writers.xlsx_forms import write_blank_form

    form = tmp_path / "起步镇-问题线索登记.xlsx"
    write_blank_form(reg_data.schema(), form)
    workbook = load_workbook(form)
    sheet = workbook[reg_data.schema().sheet]
    headers = [c.value.rstrip("*") for c in sheet[1]]
    values = {"线索简要内容": ["甲村学生未到校。", "乙村学生未到校。"], "线索来源": ["信访举报", "媒体"],
              "办理情况": ["未办理", "已办结"], "办理时限": [date(2020, 12, 1), date(2020, 12, 2)]}
    for offset in range(2):
        for header, column in values.items():
            sheet.cell(3 + offset, headers.index(header) + 1, column[offset])
    workbook.save(form)
    registers, _ = reg_data.read_registers([form])
    assert [c.values["summary"] for c in registers[0].clues] == values["线索简要内容"]  # example row skipped
    assert registers[0].unit == "起步镇-问题线索登记"  # the blank form has no 填报单位 row: the file name


def test_a_unit_with_no_clues_is_counted_and_a_file_given_twice_is_refused(tmp_path: Path) -> None:
    files, real_clues = unit_workbooks(tmp_path / "in")
    empty = tmp_path / "in" / "空.yaml"
    empty.write_text("填报单位: 罗源县中房镇人民政府\n填报时间: 2020-12-18\n线索: []\n", encoding="utf-8")
    registers, _ = reg_data.read_registers([*files, empty])
    merged = reg_data.merge_registers(registers, as_of=AS_OF)
    assert len(merged.clues) == real_clues
    _, counts = reg.merged_sheets(merged, "罗源县教育局")
    by_unit = {row[0]: row for row in counts.tables[1].rows}
    assert by_unit["罗源县中房镇人民政府"][1:] == (0,) * (len(by_unit["罗源县中房镇人民政府"]) - 1)
    with pytest.raises(InputError, match="同一文件给了两次"):
        reg_data.read_registers([files[0], files[1], files[0].parent / ".." / "in" / files[0].name])


def test_register_as_landscape_docx_and_pdf_table_pages(tmp_path: Path) -> None:
    import docx

    fitz = pytest.importorskip("pymupdf")
    clues = 12  # more than one 横排 page
    source = tmp_path / "线索.yaml"
    source.write_text(clue_yaml(clues), encoding="utf-8")
    written = reg.build_register_files(source, tmp_path / "out", formats=("docx", "pdf"))
    assert written == ["问题线索移送登记表.docx", "问题线索移送登记表.pdf"]
    document = docx.Document(str(tmp_path / "out" / "问题线索移送登记表.docx"))
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert rows[0] == SEED_HEADERS
    assert [row[0] for row in rows if row[0].isdigit()] == [str(n) for n in range(1, clues + 1)]
    shown = [p.text.replace("\u200b", "").replace("\u2060", "") for p in document.paragraphs]  # break controls
    assert any("填报单位：罗源县教育局" in text and "填报时间：2020年10月9日" in text for text in shown)
    assert all(section.page_width > section.page_height for section in document.sections)  # 横排
    with fitz.open(tmp_path / "out" / "问题线索移送登记表.pdf") as pdf:
        pages = ["".join(page.get_text().split()) for page in pdf]
        assert {(round(page.rect.width), round(page.rect.height)) for page in pdf} == {(842, 595)}
    assert len(pages) >= 2
    assert all(all(header in page for header in SEED_HEADERS) for page in pages)  # header row on every page
    assert all(f"第{n}号线索" in "".join(pages) for n in range(1, clues + 1))
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert {e["kind"] for e in manifest["files"]} == {"referral-register"}
    assert all(e["records"] == clues and e["pages"] == len(pages) for e in manifest["files"])


def test_a_register_without_date_cannot_be_a_document(tmp_path: Path) -> None:
    source = tmp_path / "线索.yaml"
    source.write_text("填报单位: 某镇\n线索: []\n", encoding="utf-8")
    with pytest.raises(InputError, match="填报时间"):
        reg.build_register_files(source, tmp_path / "out")
    assert not (tmp_path / "out" / "问题线索移送登记表.xlsx").exists()  # all or nothing
    assert reg.build_register_files(source, tmp_path / "out", formats=("xlsx",)) == ["问题线索移送登记表.xlsx"]


def test_other_sheets_holding_clues_are_named(tmp_path: Path) -> None:
    workbook = Workbook()
    for index, month in enumerate(("10月", "11月")):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = month
        sheet.append(["序号", "线索简要内容", "办理情况"])
        sheet.append([1, f"{month}的线索。", "办理中"])
    workbook.create_sheet("填写说明").append(["每行一条线索"])
    save_workbook(workbook, tmp_path / "月报.xlsx")
    registers, warnings = reg_data.read_registers([tmp_path / "月报.xlsx"])
    assert [c.values["summary"] for c in registers[0].clues] == ["10月的线索。"]
    (warning,) = warnings
    assert str(warning).startswith("月报.xlsx!10月") and "11月（1行）" in str(warning)
