"""Hostile inputs end in a located Chinese message and exit 2, never a traceback (issue 11 #5, #8, #11)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import yaml
from openpyxl import Workbook

from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds.sample_roster import generate_rows, write_sample_roster

from .conftest import nothing_written

SHEET = "xl/worksheets/sheet1.xml"


def _roster(path: Path, rows: int = 6) -> Path:
    write_sample_roster(path, generate_rows(rows, invalid=0, seed=5))
    return path


def _rewrite(book: Path, name: str, change) -> None:
    """Replace zip entry `name` of `book` by `change(data)`, stored compressed as before."""
    with zipfile.ZipFile(book) as zf:
        entries = [(info, zf.read(info.filename)) for info in zf.infolist()]
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, change(data) if info.filename == name else data)


def _corrupt_stream(book: Path, name: str) -> None:
    """Overwrite the middle of `name`'s deflate stream with 0xFF bytes (a zlib.error when read)."""
    with zipfile.ZipFile(book) as zf:
        info = zf.getinfo(name)
    data = bytearray(book.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 4, start + min(info.compress_size, 64)):
        data[i] = 0xFF
    book.write_bytes(bytes(data))


def test_truncated_sheet_xml_in_a_roster(tmp_path: Path, run) -> None:
    roster = _roster(tmp_path / "名册.xlsx")
    _rewrite(roster, SHEET, lambda data: data[: len(data) // 2])
    run(["letters", str(roster), "-o", str(tmp_path / "out")]).refused("名册.xlsx", "无法作为 Excel 工作簿打开")
    assert nothing_written(tmp_path / "out")


def test_corrupt_compressed_stream_in_a_roster(tmp_path: Path, run) -> None:
    roster = _roster(tmp_path / "名册.xlsx", rows=200)
    _corrupt_stream(roster, SHEET)
    run(["letters", str(roster), "-o", str(tmp_path / "out")]).refused("名册.xlsx", "无法作为 Excel 工作簿打开")
    assert nothing_written(tmp_path / "out")


def test_truncated_register_workbook(tmp_path: Path, run) -> None:
    book = tmp_path / "登记.xlsx"
    (tmp_path / "登记.xlsx").write_bytes(sample_path("register", "起步镇.xlsx").read_bytes())
    _rewrite(book, SHEET, lambda data: data[: len(data) // 2])
    run(["register", "build", str(book), "-o", str(tmp_path / "out")]).refused("登记.xlsx")
    assert nothing_written(tmp_path / "out")


def test_yaml_nul_deep_nesting_and_duplicated_keys(tmp_path: Path, run) -> None:
    seed = sample_path("notice", "seed-notice.yaml").read_text(encoding="utf-8")
    lines = seed.splitlines()
    key_line = next(i for i, line in enumerate(lines) if line.startswith("发文字号"))
    cases = {
        "nul.yaml": ("\n".join([*lines[:key_line], "发文字号: \"罗教〔2020〕\\0号\"", *lines[key_line + 1:]]),
                     f"nul.yaml:{key_line + 1}"),
        "raw.yaml": ("\n".join([*lines[:key_line], "发文字号: 罗教\x00号", *lines[key_line + 1:]]),
                     f"raw.yaml:{key_line + 1}"),
        "deep.yaml": ("a: " + "[" * 5000 + "]" * 5000 + "\n", "deep.yaml"),
        "dup.yaml": ("\n".join([*lines, lines[key_line]]), f"第 {key_line + 1} 行和第 {len(lines) + 1} 行"),
    }
    for name, (text, where) in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        run(["build", str(tmp_path / name), "-o", str(tmp_path / "out")]).refused(where)
        assert nothing_written(tmp_path / "out")


def test_hidden_roster_sheet_is_named_in_a_warning(tmp_path: Path, run) -> None:
    roster = _roster(tmp_path / "名册.xlsx")
    from openpyxl import load_workbook

    workbook = load_workbook(roster)
    workbook.create_sheet("说明")
    workbook.worksheets[0].sheet_state = "hidden"
    workbook.active = 1
    workbook.save(roster)
    result = run(["letters", str(roster), "-o", str(tmp_path / "out")])
    assert result.code == 0, result.output
    assert "此工作表在 Excel 中是隐藏的" in result.output
    assert f"名册.xlsx!{workbook.worksheets[0].title}" in result.output


def test_long_and_colliding_school_names_get_distinct_safe_files(tmp_path: Path, run) -> None:
    rows = generate_rows(8, invalid=0, seed=9)
    names = ["学" * 300, ".", "..", "学校", "CON", "NUL.txt", "凤山 小学. ", "凤山/小学"]
    for row, name in zip(rows, names, strict=True):
        row.values["入读学校"] = name
    roster = tmp_path / "名册.xlsx"
    write_sample_roster(roster, rows)
    result = run(["letters", str(roster), "-o", str(tmp_path / "out")])
    assert result.code == 0, result.output
    files = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))["files"]
    pdfs = [f for f in files if f["format"] == "pdf"]
    assert len(pdfs) == len(names) and sum(f["records"] for f in pdfs) == len(rows)  # rows in = letters
    stems = [Path(f["path"]).stem for f in pdfs]
    assert len({s.casefold() for s in stems}) == len(stems)
    for stem in stems:
        assert len(stem.encode()) <= 150 and stem not in (".", "..") and not stem.endswith((".", " "))
        assert stem.split(".")[0].upper() not in ("CON", "NUL")
    assert {f["title"].removesuffix("入学通知书") for f in pdfs} == {n.strip() for n in names}  # exact names


def test_settings_sheet_hidden_is_warned(tmp_path: Path, run) -> None:
    roster = _roster(tmp_path / "名册.xlsx")
    from openpyxl import load_workbook

    workbook = load_workbook(roster)
    settings = workbook.create_sheet("设置")
    settings.append(["项目", "内容"])
    settings.sheet_state = "hidden"
    workbook.save(roster)
    result = run(["letters", str(roster), "-o", str(tmp_path / "out")])
    assert result.code == 0, result.output
    assert "名册.xlsx!设置" in result.output and "隐藏" in result.output


def test_unreadable_workbook_is_not_a_roster(tmp_path: Path, run) -> None:
    book = tmp_path / "空.xlsx"
    Workbook().save(book)
    _rewrite(book, SHEET, lambda data: b"<worksheet")
    result = run(["letters", str(book), "-o", str(tmp_path / "out")])
    result.refused("空.xlsx")
    assert yaml is not None and nothing_written(tmp_path / "out")


def test_force_with_a_new_roster_says_it_keeps_old_schools(tmp_path: Path, run) -> None:
    rows = generate_rows(6, invalid=0, seed=5)
    for row, school in zip(rows, ["甲校", "甲校", "甲校", "乙校", "乙校", "乙校"], strict=True):
        row.values["入读学校"] = school
    roster = tmp_path / "名册.xlsx"
    write_sample_roster(roster, rows)
    assert run(["letters", str(roster), "-o", str(tmp_path / "out")]).code == 0
    write_sample_roster(roster, rows[:3])
    result = run(["letters", str(roster), "-o", str(tmp_path / "out"), "--force"])
    assert result.code == 0, result.output
    assert "已保留未删除" in result.output and "乙校.pdf" in result.output
    assert (tmp_path / "out" / "入学通知书" / "乙校.pdf").is_file()


def _seed_with(tmp_path: Path, name: str, replace: dict[str, str], body: list[str] | None = None) -> Path:
    """The seed notice with top-level keys replaced (and its 正文 replaced by `body` lines)."""
    lines = sample_path("notice", "seed-notice.yaml").read_text(encoding="utf-8").splitlines()
    lines = [f"{k}: {replace[k]}" if (k := line.split(":", 1)[0]) in replace else line for line in lines]
    if body is not None:
        start = lines.index("正文: |")
        end = next(i for i in range(start + 1, len(lines)) if lines[i] and not lines[i].startswith(" "))
        lines[start:end] = ["正文: |", *(f"  {text}" for text in body)]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_doc_number_over_255_characters(tmp_path: Path, run) -> None:
    notice = _seed_with(tmp_path, "长文号.yaml", {"发文字号": "罗教〔2020〕" + "1" * 260 + "号"})
    line = notice.read_text(encoding="utf-8").splitlines().index(next(
        x for x in notice.read_text(encoding="utf-8").splitlines() if x.startswith("发文字号"))) + 1
    run(["build", str(notice), "-o", str(tmp_path / "out")]).refused(f"长文号.yaml:{line}", "发文字号过长")
    assert nothing_written(tmp_path / "out")


def test_120_numbered_paragraphs(tmp_path: Path, run) -> None:
    body = [f"{n}. 第{n}项工作要求。" for n in range(1, 121)]
    notice = _seed_with(tmp_path, "多条.yaml", {}, body)
    result = run(["build", str(notice), "-o", str(tmp_path / "out"), "--format", "docx"])
    assert result.code == 0, result.output
    from docx import Document

    texts = [p.text for p in Document(str(tmp_path / "out" / "多条.docx")).paragraphs]
    assert any(t.startswith("120.") for t in texts) and any(t.startswith("110.") for t in texts)


def test_a_300_character_party_b(tmp_path: Path, run) -> None:
    names = tmp_path / "名单.yaml"
    text = sample_path("cycle", "责任书名单.yaml").read_text(encoding="utf-8")
    names.write_text(text.replace("乙方: 罗源县实验小学", "乙方: " + "实" * 300, 1), encoding="utf-8")
    result = run(["agreements", str(names), "-o", str(tmp_path / "out")])
    assert result.code == 0, result.output
    longest = max((p for p in (tmp_path / "out").rglob("*.pdf")), key=lambda p: len(p.name.encode()))
    assert len(longest.name.encode()) < 255


def test_characters_no_font_has_skip_their_rows(tmp_path: Path, run) -> None:
    rows = generate_rows(10, invalid=0, seed=6)
    school = rows[0].values["入读学校"]
    for row in rows:
        row.values["入读学校"] = school
    rows[2].values["姓名"] = "林\U0010fffd"
    rows[5].values["户籍地址"] = "凤山镇\U00031350村"
    roster = tmp_path / "名册.xlsx"
    write_sample_roster(roster, rows)
    refused = run(["letters", str(roster), "-o", str(tmp_path / "refused")])
    refused.refused("U+10FFFD", "U+31350", "名册.xlsx!学生名册!")
    assert nothing_written(tmp_path / "refused")

    result = run(["letters", str(roster), "-o", str(tmp_path / "out"), "--skip-invalid"])
    assert result.code == 0, result.output
    files = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))["files"]
    letters = sum(f["records"] for f in files if f["kind"] == "letters" and f["format"] == "pdf")
    [marked] = [f for f in files if f["kind"] == "error-workbook"]
    assert marked["records"] == 2 and letters + marked["records"] == len(rows)  # rows in = letters + errors
    from openpyxl import load_workbook

    listing = [r for r in load_workbook(tmp_path / "out" / marked["path"])["错误清单"].iter_rows(
        min_row=2, values_only=True)]
    assert len(listing) == 2 and all(r[0].startswith("学生名册!") and "没有字形" in r[2] for r in listing)


def test_a_formula_never_calculated_is_not_called_blank(tmp_path: Path, run) -> None:
    roster = _roster(tmp_path / "名册.xlsx")
    from openpyxl import load_workbook

    workbook = load_workbook(roster)
    sheet = workbook.active
    header = next(r for r in range(1, 5) if any(c.value == "姓名" for c in sheet[r]))
    column = next(c.column_letter for c in sheet[header] if c.value == "姓名")
    sheet[f"{column}{header + 1}"] = '=CONCAT("林","一")'  # openpyxl stores no cached result
    workbook.save(roster)
    run(["letters", str(roster), "-o", str(tmp_path / "out")]).refused(
        f"名册.xlsx!{sheet.title}!{column}{header + 1}", "公式没有计算结果")
    assert nothing_written(tmp_path / "out")


def test_a_character_no_font_has_in_yaml_names_the_line(tmp_path: Path, run) -> None:
    text = sample_path("notice", "seed-notice.yaml").read_text(encoding="utf-8")
    line = next(n for n, x in enumerate(text.splitlines(), start=1) if x.startswith("标题"))
    (tmp_path / "生僻.yaml").write_text(text.replace("标题: ", "标题: \U00031350", 1), encoding="utf-8")
    run(["build", str(tmp_path / "生僻.yaml"), "-o", str(tmp_path / "out")]).refused(f"生僻.yaml:{line}", "U+31350")
    assert nothing_written(tmp_path / "out")


def test_a_character_no_font_has_in_a_record_yaml_names_the_line(tmp_path: Path, run) -> None:
    text = sample_path("cycle", "责任书名单.yaml").read_text(encoding="utf-8")
    line = next(n for n, x in enumerate(text.splitlines(), start=1) if "乙方: 林芳" in x)
    (tmp_path / "名单.yaml").write_text(text.replace("乙方: 林芳", "乙方: 林\U0010fffd", 1), encoding="utf-8")
    run(["agreements", str(tmp_path / "名单.yaml"), "-o", str(tmp_path / "out")]).refused(
        f"名单.yaml:{line} 乙方", "U+10FFFD")
    assert nothing_written(tmp_path / "out")
