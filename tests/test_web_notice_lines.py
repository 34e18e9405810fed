"""写通知 holds every table and 签字栏 the command line takes (issue 17, web side): a 正文 table with its
标题, 列宽, 空行 and 表头行数 is one line of the text area, the 签字栏 of the 正文, of the 印发件 and of an 附件
the last line of its text area; YAML → page → YAML gives the same document, and the page's DOCX and PDF
are the ones ``kongchuo-docs build`` writes. Bad values are named at their line of the text area."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pymupdf
import pytest
from test_web_draft_ending import _docx_text
from typer.testing import CliRunner
from web_helpers import csrf_of, posted

from kongchuo_docs.cli import app as cli
from kongchuo_docs.model.limits import TABLE_BLANK_ROWS_MAX
from kongchuo_docs.readers.notice_yaml import read_notice
from kongchuo_docs.readers.yaml_records import load_yaml
from kongchuo_docs.web.notice_form import NoticeForm

NOTICE = """\
格式: 文件
发文机关: 某某县教育局
发文字号: 某教〔2026〕3号
标题: 某某县教育局关于印发控辍保学目标责任书的通知
主送: 各乡（镇）中心学校：
正文:
  - 为落实控辍保学责任，现将目标责任书印发给你们，请认真执行。
  - 表格: {标题: 各校到校情况, 表头: [序号, 学校, 应到人数, 实到人数], 行: [[1, 城关小学, 320, 318]],
         列宽: [1, 4, 2, 2], 空行: 3}
  - 请各校于3月10日前签订责任书。
签字栏:
  栏目: [学校负责人, 班主任]
  每行: 2
  日期: 是
署名: 某某县教育局
成文日期: 2026年3月2日
印发件:
  标题: 控辍保学目标责任书
  正文:
    - 为明确责任，签订本责任书。
    - 表格: {表头: [项目, 目标], 行: [[辍学率, 0], [巩固率, 99%]], 表头行数: 0, 列宽: [3, 2]}
  签字栏: {栏目: [甲方（盖章）, 乙方（盖章）], 每行: 2, 日期: 是}
  附件说明: 劝返复学学生清单
  附件:
    - 标题: 劝返复学学生清单
      表格: {标题: 2026年春季, 表头: [序号, 姓名, 班级], 行: [[1, 某某, 七年级1班]], 空行: 5, 列宽: [1, 2, 3]}
      签字栏: [学校负责人, 监护人]
版记:
  抄送: [县人民政府办公室]
  印发机关: 某某县教育局办公室
  印发日期: 2026年3月2日
"""
MAIN_TABLE = "[表格 标题=各校到校情况 列宽=1,4,2,2 空行=3：序号|学校|应到人数|实到人数 / 1|城关小学|320|318]"


def _write(folder: Path, text: str = NOTICE) -> Path:
    path = folder / "责任书通知.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _rows(docx: bytes) -> int:
    """Table rows in the DOCX (blank rows for the hand included)."""
    return len(re.findall(r"<w:tr[ >]", zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()))


def _pdf_text(data: bytes) -> list[str]:
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        return [page.get_text() for page in pdf]


def test_tables_and_sign_fields_are_lines_and_come_back_as_the_same_document(tmp_path):
    source = _write(tmp_path)
    form = NoticeForm.from_yaml(load_yaml(source))
    assert form.get("body").splitlines() == [
        "为落实控辍保学责任，现将目标责任书印发给你们，请认真执行。", MAIN_TABLE, "请各校于3月10日前签订责任书。",
        "[签字栏 每行=2 日期=是：学校负责人|班主任]"]  # fmt: skip
    assert form.get("issued_body").splitlines()[1:] == [
        "[表格 列宽=3,2 表头行数=0：项目|目标 / 辍学率|0 / 巩固率|99%]",
        "[签字栏 每行=2 日期=是：甲方（盖章）|乙方（盖章）]"]  # fmt: skip
    [attachment] = form.attachments
    assert attachment["body"] == "[签字栏：学校负责人|监护人]"
    assert (attachment["caption"], attachment["blank"], attachment["widths"]) == ("2026年春季", "5", "1 2 3")
    assert form.get("kept") == ""  # nothing left outside the form

    back = tmp_path / "back" / "通知.yaml"
    back.parent.mkdir()
    back.write_text(form.to_yaml()[0], encoding="utf-8")
    original, warnings = read_notice(source)
    assert read_notice(back) == (original, warnings) and not warnings
    table = original.body[1]
    assert (table.caption, table.widths, table.blank_rows) == ("各校到校情况", [1, 4, 2, 2], 3)
    assert original.issued[0].blocks[1].header_rows == 0


def test_the_page_builds_what_the_command_line_builds(web_client, tmp_path):
    source = _write(tmp_path)
    loaded = web_client.post("/notice/load", files={"file": (source.name, source.read_bytes())},
                             data={"csrf": csrf_of(web_client)})  # fmt: skip
    assert loaded.status_code == 200 and 'id="draft-findings"' not in loaded.text
    body = re.search(r'<textarea id="f-body" name="body" rows="\d+">(.*?)</textarea>', loaded.text, re.S)[1]
    assert MAIN_TABLE in body and "[签字栏 每行=2 日期=是：学校负责人|班主任]" in body
    form = NoticeForm.from_yaml(load_yaml(source))  # what the page holds
    outline = web_client.post("/notice/outline", json={"body": form.get("body")},
                              headers={"x-csrf-token": csrf_of(web_client)}).json()  # fmt: skip
    assert outline["problems"] == []  # the lines' settings are no text with pasted spaces

    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(tmp_path / "out"), "--format", "docx,pdf"])
    assert result.exit_code == 0, result.output
    built = {fmt: (tmp_path / "out" / f"{source.stem}.{fmt}").read_bytes() for fmt in ("docx", "pdf")}
    for fmt in ("docx", "pdf"):
        response = web_client.post("/notice", data={**posted(form), "action": fmt, "csrf": csrf_of(web_client)})
        assert response.status_code == 200 and response.headers["content-type"].startswith("application/"), fmt
        if fmt == "docx":
            assert _docx_text(response.content) == _docx_text(built["docx"])
            assert _rows(response.content) == _rows(built["docx"]) == 5 + 3 + 7  # blank rows: 3 and 5
        else:
            assert _pdf_text(response.content) == _pdf_text(built["pdf"])
    text = "".join("".join(_pdf_text(built["pdf"])).split())  # the PDF spaces digits from CJK
    for printed in ("各校到校情况", "2026年春季", "学校负责人", "甲方（盖章）", "监护人"):
        assert printed in text, printed

    saved = web_client.post("/notice", data={**posted(form), "action": "yaml", "csrf": csrf_of(web_client)})
    (tmp_path / "saved").mkdir()
    (tmp_path / "saved" / source.name).write_bytes(saved.content)  # 下载 YAML, then build it at the CLI
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "saved" / source.name), "-o", str(tmp_path / "again"),
                                      "--format", "docx"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert _docx_text((tmp_path / "again" / f"{source.stem}.docx").read_bytes()) == _docx_text(built["docx"])

    more = posted(form) | {"body": form.get("body").replace("空行=3", "空行=6"), "action": "docx",
                           "csrf": csrf_of(web_client)}  # fmt: skip
    assert _rows(web_client.post("/notice", data=more).content) == 5 + 3 + 7 + 3  # her edit of the line


def _body_messages(client, form: NoticeForm, body: list[str]) -> str:
    response = client.post("/notice", data={**posted(form), "body": "\n".join(body), "action": "check",
                                            "csrf": csrf_of(client)})  # fmt: skip
    assert response.status_code == 422, response.text[:500]
    return response.text.split('id="field-body"')[1].split("</div>")[0]


def test_bad_table_and_sign_lines_are_named_at_their_line(web_client, tmp_path):
    form = NoticeForm.from_yaml(load_yaml(_write(tmp_path)))
    first = "为落实控辍保学责任，现将目标责任书印发给你们，请认真执行。"
    field = _body_messages(web_client, form, [first, "[表格 列宽=1,2 空行=500：序号|学校|人数 / 1|城关小学|3]"])
    assert "第 2 行：列宽应为 3 个正数" in field
    assert f"第 2 行：空行数应为 0 到 {TABLE_BLANK_ROWS_MAX} 的整数" in field and "（500）" in field
    field = _body_messages(web_client, form, [first, "", "[表格 列款=2 空行=五：序号|学校]"])
    assert "第 3 行：列款：表格中没有这一项，是不是“列宽”？" in field and "第 3 行：空行数应为" in field
    field = _body_messages(web_client, form, [first, "[表格 空行=5]"])
    assert "第 2 行：表格需要“表头”" in field
    field = _body_messages(web_client, form, [first, "[表格 标题=情况：序号|学校 / 1|城关小学|多余]"])
    assert "第 2 行：第 1 行有 3 列，表头有 2 列" in field
    field = _body_messages(web_client, form, ["[签字栏：甲方|乙方]", first])
    assert "第 1 行：签字栏排在正文的最后" in field
    field = _body_messages(web_client, form, [first, "", "[签字栏 每行=5：甲方|乙方]"])
    assert "第 3 行：每行栏目数应为 1 到 4（5）" in field


def test_a_bad_line_of_the_issued_document_is_named_there(web_client, tmp_path):
    form = NoticeForm.from_yaml(load_yaml(_write(tmp_path)))
    lines = form.get("issued_body").splitlines()
    lines[1] = lines[1].replace("列宽=3,2", "列宽=3")
    lines[2] = lines[2].replace("每行=2", "每行=6")
    response = web_client.post("/notice", data={**posted(form), "issued_body": "\n".join(lines), "action": "check",
                                                "csrf": csrf_of(web_client)})  # fmt: skip
    field = response.text.split('id="field-issued_body"')[1].split("</div>")[0]
    assert "第 2 行：列宽应为 2 个正数" in field and "第 3 行：每行栏目数应为 1 到 4（6）" in field


def test_the_command_line_refuses_blank_rows_over_the_budget(tmp_path):
    source = _write(tmp_path, NOTICE.replace("空行: 3", f"空行: {TABLE_BLANK_ROWS_MAX + 1}"))
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and not (tmp_path / "out").exists()
    assert f"责任书通知.yaml:9 空行: 空行数应为 0 到 {TABLE_BLANK_ROWS_MAX} 的整数" in result.output


def test_a_table_the_line_cannot_spell_is_said_when_the_yaml_is_loaded(web_client, tmp_path):
    source = _write(tmp_path, NOTICE.replace("城关小学, 320", "'城关小学|城关中学', 320"))
    loaded = web_client.post("/notice/load", files={"file": (source.name, source.read_bytes())},
                             data={"csrf": csrf_of(web_client)})  # fmt: skip
    said = loaded.text.split('id="draft-findings"')[1].split("</ul>")[0]
    assert "正文中的 1 个表格不能写成正文框中的一行" in said


def test_an_attachments_every_key_comes_back_from_the_form(tmp_path, web_client):
    source = _write(tmp_path, """\
发文机关: 某某县教育局
标题: 某某县教育局关于报送劝返复学情况的通知
主送: 各乡（镇）中心学校：
正文: 请于3月10日前报送。
附件说明:
  - 劝返复学情况登记表
  - 劝返复学工作方案
署名: 某某县教育局
成文日期: 2026年3月2日
附件:
  - 标题: 劝返复学情况登记表
    横排: 是
    表格: {标题: 登记表, 表头: [学校, 姓名, 情况], 行: [[城关小学, 某某, 已返校]], 表头行数: 0, 空行: 4,
          列宽: [2, 1, 3]}
    表后说明: 请如实填写。
    签字栏: {栏目: [填表人, 审核人], 每行: 2}
  - 标题: 劝返复学工作方案
    另行发送: 是
""")
    form = NoticeForm.from_yaml(load_yaml(source))
    first, second = form.attachments
    assert (first["landscape"], first["header_rows"], first["after"]) == ("1", "0", "请如实填写。")
    assert second["separate"] == "1" and first["caption"] == "登记表"
    response = web_client.post("/notice", data={**posted(form), "action": "yaml", "csrf": csrf_of(web_client)})
    back = tmp_path / "back.yaml"
    back.write_bytes(response.content)
    (doc, warnings), (expected, said) = read_notice(back), read_notice(source)
    assert doc == expected and [w.message for w in warnings] == [w.message for w in said]  # 另行发送: said alike
    attachment = doc.attachments[0]
    assert attachment.landscape and [b.type for b in attachment.blocks] == ["table", "paragraph", "sign_fields"]


TRICKY = [
    ("{标题: '春季 到校：情况', 表头: [a, b], 行: [[1, 2]]}", "[表格 标题=「春季 到校：情况」：a|b / 1|2]"),
    ("{标题: 甲=乙, 表头: [a, b], 行: [[1, 2]]}", "[表格 标题=「甲=乙」：a|b / 1|2]"),
    ("{caption: 表, header: [a, b], rows: [[1, 2]], widths: [1.5, 2], blank_rows: 2, header_rows: 0}",
     "[表格 标题=表 列宽=1.5,2 空行=2 表头行数=0：a|b / 1|2]"),
    ("{表头: [序号, '', 备注], 行: [[1, null, ''], ['', x, '']]}", "[表格：序号||备注 / 1|| / |x|]"),
    ("{表头: [序号, 姓名], 空行: 0, 表头行数: 1}", "[表格：序号|姓名]"),
]


@pytest.mark.parametrize(("table", "line"), TRICKY)
def test_a_table_line_spells_each_table_and_reads_back_as_it(tmp_path, table, line):
    source = _write(tmp_path, f"发文机关: 某某县教育局\n标题: 某某县教育局关于报送情况的通知\n正文:\n  - 请填写下表。\n"
                              f"  - 表格: {table}\n签字栏: {{栏目: 填表人, 日期: true}}\n署名: 某某县教育局\n"
                              "成文日期: 2026年3月2日\n")  # fmt: skip
    form = NoticeForm.from_yaml(load_yaml(source))
    assert form.get("body").splitlines()[1:] == [line, "[签字栏 日期=是：填表人]"]
    back = tmp_path / "back.yaml"
    back.write_text(form.to_yaml()[0], encoding="utf-8")
    assert read_notice(back)[0] == read_notice(source)[0]
