"""A Word or text draft loaded into 写通知 keeps what the form has no fields for (issue 17, web side):
its 签字栏 (the 正文's last line), the 送达回证 page after a letter, a tear-off 回执, a 请示's 联系人 — 预览 and
下载 give the document ``kongchuo-docs build DRAFT`` gives (the text of both DOCX compared, paragraph for paragraph)."""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

import draftmaker as dm
import pytest
from test_draft_corpus import SHAPES
from typer.testing import CliRunner
from web_helpers import csrf_of, posted

from kongchuo_docs.cli import app as cli

CASES = ("入学通知书.docx", "劝返通知书.txt", "教师责任书.txt", "监护人承诺书.txt", "请示.md", "目标责任书.docx",
         "乡镇报告.docx", "带表格通知.md")


def _docx_text(data: bytes) -> list[str]:
    """The DOCX's paragraphs' text in order (w:t runs of each w:p joined; empty paragraphs left out)."""
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    paragraphs = (re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p) for p in re.findall(r"<w:p[ >].*?</w:p>", xml, re.S))
    return [html.unescape("".join(runs)) for runs in paragraphs if "".join(runs).strip()]


@pytest.mark.parametrize("name", CASES)
def test_a_loaded_draft_builds_as_the_command_line_builds_it(name, web_app, web_client, tmp_path: Path):
    draft = dm.write_shape(SHAPES[name].parts, tmp_path / name)
    loaded = web_client.post("/notice/load", files={"file": (name, draft.read_bytes())},
                             data={"csrf": csrf_of(web_client)})  # fmt: skip
    assert loaded.status_code == 200, loaded.text
    [kept_page] = [p for p in web_app.state.notices.values() if p.shown.get("loaded") == name]
    form = kept_page.form
    expect = SHAPES[name].expect
    receipt = [field.split("：")[0] for field in expect.receipt or []]
    if expect.slip or receipt:  # what the form has no fields for is on the page, as kept
        shown = re.search(r'<textarea id="f-kept" name="kept" rows="\d+">(.*?)</textarea>', loaded.text, re.S)
        assert shown and html.unescape(shown[1]) == form.get("kept")
        for label in [*expect.slip_fields, *([expect.slip] if expect.slip else []), *receipt]:
            assert label in form.get("kept"), label
    if expect.sign_fields:  # the 签字栏: the 正文's last line, as typed there
        last = form.get("body").splitlines()[-1]
        assert last.startswith("[签字栏") and all(label in last for label in expect.sign_fields), last

    response = web_client.post("/notice", data={**posted(form), "action": "docx", "csrf": csrf_of(web_client)})
    assert response.status_code == 200 and response.content[:2] == b"PK", response.text[:2000]
    settings = web_app.state.config.profile_path()
    result = CliRunner().invoke(cli, ["build", str(draft), "-o", str(tmp_path / "out"), "--format", "docx",
                                      "--settings", str(settings)])  # fmt: skip
    assert result.exit_code == 0, result.output
    built = (tmp_path / "out" / f"{draft.stem}.docx").read_bytes()
    assert _docx_text(response.content) == _docx_text(built)
    if expect.sign_fields:
        assert all(label in "".join(_docx_text(response.content)) for label in expect.sign_fields)
    if expect.slip:
        assert expect.slip in _docx_text(response.content)
    assert all(any(label in p for p in _docx_text(response.content)) for label in receipt)  # the tear-off 回执


def test_a_body_table_is_one_line_of_the_text_area_and_one_it_cannot_spell_is_said(web_app, web_client, tmp_path):
    draft = dm.write_shape(SHAPES["乡镇报告.docx"].parts, tmp_path / "乡镇报告.docx")
    loaded = web_client.post("/notice/load", files={"file": ("乡镇报告.docx", draft.read_bytes())},
                             data={"csrf": csrf_of(web_client)})  # fmt: skip
    assert loaded.status_code == 200 and "表单中没有" not in loaded.text
    [page] = [p for p in web_app.state.notices.values() if p.shown.get("loaded") == "乡镇报告.docx"]
    body = page.form.get("body").splitlines()
    assert body[1] == "[表格：序号|学校|应到人数|实到人数 / 1|城关小学|320|318 / 2|城关中学|410|409]"
    broken = web_client.post("/notice", data={**posted(page.form), "body": "\n".join([*body, "二、加强排查"]),
                                              "action": "check", "csrf": csrf_of(web_client)})  # fmt: skip
    assert f"第 {len(body) + 1} 行" in broken.text.split('id="field-body"')[1].split("</div>")[0]  # its own line

    from kongchuo_docs.web.notice_kept import unkept

    widths = {"表格": {"表头": ["序号"], "行": [["1"]], "列宽": [20], "空行": 3}}
    assert unkept({"正文": ["为做好工作。", widths]}) == []  # a line spells it
    piped = {"表格": {"表头": ["序号", "说明"], "行": [["1", "是|否"]]}}
    assert "1 个表格" in unkept({"正文": ["为做好工作。", piped]})[0]
    assert "1 个表格" in unkept({"印发件": {"标题": "办法", "正文": [piped]}})[0]


def test_sign_fields_no_line_can_spell_are_said():
    from kongchuo_docs.web.notice_kept import unkept

    sign = {"栏目": ["甲方（盖章）"]}
    assert unkept({"正文": "为做好工作。"}) == []
    assert unkept({"附件": [{"标题": "责任书", "签字栏": sign}]}) == []  # the 附件 正文's last line
    assert unkept({"印发件": {"标题": "办法", "签字栏": sign}}) == []
    assert "签字栏" in unkept({"印发件": {"标题": "办法", "附件": [{"标题": "表", "sign_fields": ["甲|乙"]}]}})[0]
    pages = {"印发件": [{"标题": "送达回证", "签字栏": {"栏目": ["甲|乙"]}}]}
    assert unkept(pages) == []  # pages after a letter: kept whole
