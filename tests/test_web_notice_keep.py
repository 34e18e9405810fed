"""写通知 never fails silently and keeps her work: a refused form lists every problem at the top,
linked to its field (a missing 发文机关 too, which the YAML puts on line 1); a blank form starts
from the 单位设置; every POST comes back by redirect and the form is restored on the next visit; a
Word draft's 附件 table reaches the form as the command line keeps it."""

from __future__ import annotations

import re
from datetime import date

from web_helpers import csrf_of, post_notice, sample_profile

from kongchuo_docs.readers.draft import plain_mapping, read_draft
from kongchuo_docs.web.notice_form import NoticeForm


def _field(page: str, name: str) -> str:
    tag = rf'<(?:textarea|input type="text") id="f-{name}" name="{name}"'
    found = re.search(tag + r'[^>]*?(?:value="([^"]*)"|>(.*?)</textarea>)', page, re.S)
    assert found, name
    return found[1] if found[1] is not None else found[2]


def test_a_blank_notice_starts_from_the_settings(web_client):
    profile = sample_profile()
    page = web_client.get("/notice").text
    assert _field(page, "issuers") == profile.bureau
    assert _field(page, "doc_number") == f"{profile.number_code('通知')}〔{date.today().year}〕号"
    assert _field(page, "printer") == profile.office


def test_a_notice_without_its_issuer_says_so_at_the_top_and_at_the_field(web_client):
    for action in ("preview", "pdf", "check"):
        response = post_notice(web_client, action, issuers="")
        assert response.status_code == 422
        assert [r.status_code for r in response.history] == [303]  # POST → redirect → GET
        summary = response.text.split('id="error-summary"')[1].split("</div>")[0]
        assert 'href="#field-issuers"' in summary and "发文机关：必填" in summary, action
        field = response.text.split('id="field-issuers"')[1].split("</div>")[0]
        assert "必填" in field and "field-error" in field


def test_a_problem_without_a_field_is_in_the_summary(web_client):
    response = web_client.post("/notice/load", files={"file": ("坏.yaml", "标题: [\n".encode())},
                               data={"csrf": csrf_of(web_client)})  # fmt: skip
    summary = response.text.split('id="error-summary"')[1].split("</div>")[0]
    assert response.status_code == 422 and "坏.yaml" in summary and "YAML 格式错误" in summary


def test_the_typed_notice_is_kept_for_the_session_until_she_starts_anew(web_client):
    post_notice(web_client, "check", title="某某县教育局关于做好寒假控辍保学工作的通知")
    web_client.get("/letters")  # a menu click elsewhere
    page = web_client.get("/notice").text
    assert _field(page, "title") == "某某县教育局关于做好寒假控辍保学工作的通知"
    assert 'id="check-ok"' in page  # as she left it
    cleared = web_client.post("/notice", data={"action": "new", "csrf": csrf_of(web_client)})
    assert _field(cleared.text, "title") == "" and _field(cleared.text, "issuers") == sample_profile().bureau


def test_a_word_drafts_attachment_table_reaches_the_form(tmp_path, web_client):
    import draftmaker as dm

    doc = dm.new()
    dm.title(doc, "某某县教育局关于报送疑似辍学学生名单的通知")
    dm.para(doc, "各乡（镇）中心学校：")
    dm.para(doc, "请核实附件所列学生情况。")
    dm.para(doc, "附件：疑似辍学学生名单")
    dm.signature(doc, "某某县教育局", date="2026年3月2日")
    dm.para(doc, "附件")
    dm.para(doc, "疑似辍学学生名单", align=dm.CENTER)
    dm.table(doc, [["序号", "姓名", "学校"], ["1", "张某某", "一中"], ["2", "李某某", "二中"]])
    draft = dm.save(doc, tmp_path / "名单通知.docx")
    at_cli = read_draft(draft, tmp_path / "work")  # what `build` reads
    attachment = plain_mapping(at_cli.mapping)["附件"][0]
    assert attachment["正文"][0]["表格"]["表头"] == ["序号", "姓名", "学校"]

    loaded = web_client.post("/notice/load", files={"file": ("名单通知.docx", draft.read_bytes())},
                             data={"csrf": csrf_of(web_client)})  # fmt: skip
    assert loaded.status_code == 200
    assert 'name="att-0-header" value="序号\t姓名\t学校"' in loaded.text
    rows = re.search(r'<textarea name="att-0-rows"[^>]*>(.*?)</textarea>', loaded.text, re.S)[1]
    assert rows.splitlines() == ["1\t张某某\t一中", "2\t李某某\t二中"]
    form = NoticeForm.from_yaml(plain_mapping(at_cli.mapping))
    assert form.attachments[0]["title"] == "疑似辍学学生名单"


def test_line_numbers_in_messages_are_the_fields_own(web_client):
    body = "为做好秋季学期控辍保学工作，现通知如下。\n各校要逐户核查,做好登记。"
    response = post_notice(web_client, "check", body=body)
    field = response.text.split('id="field-body"')[1].split("</div>")[0]
    assert "第 2 行：" in field and "请把这一行的 , 改为全角" in field
    assert not re.search(r"第 ([3-9]|\d\d+) 行", field)  # no YAML line number
