"""网页版 API tests: the pages, password and binding, 写通知 and 单位设置 through FastAPI's TestClient."""

from __future__ import annotations

import html
import re
import shutil

import pymupdf
import pytest
from typer.testing import CliRunner
from web_helpers import check_roster, csrf_of, form_data, page_client, post_notice, sample_file, settings_post

from kongchuo_docs.cli import app as cli_app
from kongchuo_docs.errors import InputError
from kongchuo_docs.profile import load_profile
from kongchuo_docs.readers.notice_yaml import read_notice
from kongchuo_docs.web import security
from kongchuo_docs.web.app import ServerConfig, close_app, create_app, page_routers, with_profile_password
from kongchuo_docs.web.home import CARDS
from kongchuo_docs.web.notice_form import NoticeForm
from kongchuo_docs.wording.files import TEMPLATES_ENV, WORDING_FILES

# ------------------------------------------------------------------ pages and headers


@pytest.mark.parametrize("path", ["/", "/notice", "/letters", "/forms", "/login", "/batch/compile",
                                  "/batch/agreements", "/batch/register-merge"])  # fmt: skip
def test_pages_answer_in_chinese_with_the_security_headers(web_client, path):
    response = web_client.get(path)
    assert response.status_code == 200
    assert 'lang="zh-CN"' in response.text
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in response.text  # no inline script anywhere (CSP would block it)
    assert "http://" not in response.text and "https://" not in response.text  # nothing from a CDN


def test_home_has_a_card_per_task_and_each_card_opens(web_client):
    page = web_client.get("/").text
    for title, href, _ in CARDS:
        assert title in page and f'href="{href}"' in page
        assert web_client.get(href).status_code == 200


def test_static_files_are_served_by_the_package(web_client):
    assert web_client.get("/static/app.js").status_code == 200
    assert web_client.get("/static/style.css").status_code == 200


def test_unknown_batch_page_is_a_chinese_404(web_client):
    response = web_client.get("/batch/nonsense")
    assert response.status_code == 404 and "没有这个页面" in response.text


def test_every_post_refuses_a_missing_or_wrong_csrf_token(web_app, web_client):
    posts = [route.path for router in page_routers() for route in router.routes if "POST" in route.methods]
    assert len(posts) >= 8
    for path in posts:
        url = path.replace("{job_id}", "x").replace("{task}", "compile")
        assert web_client.post(url, data={"csrf": "wrong"}).status_code == 403, path
        assert web_client.post(url).status_code == 403, path


def test_a_request_body_over_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(security, "MAX_REQUEST_BYTES", 1000)
    application = create_app(ServerConfig(work_dir=tmp_path))
    with page_client(application) as c:
        response = c.post("/letters/check", files={"roster": ("a.xlsx", b"0" * 5000)}, data={"csrf": csrf_of(c)})
    assert response.status_code == 413 and "上传内容超过" in response.text


# ------------------------------------------------------------------ password and binding


def test_an_open_address_without_a_password_is_refused():
    with pytest.raises(security.StartRefused, match="访问密码"):
        security.check_bind("0.0.0.0", None)
    security.check_bind("0.0.0.0", "secret")
    security.check_bind("127.0.0.1", None)
    security.check_bind("::1", None)


def test_serve_on_an_open_address_without_a_password_exits_2_in_chinese():
    result = CliRunner().invoke(cli_app, ["serve", "--host", "0.0.0.0", "--no-browser"])
    assert result.exit_code == 2
    assert "必须有登录" in result.output
    assert "Traceback" not in result.output


def test_with_a_password_every_page_asks_for_it_first(tmp_path):
    application = create_app(ServerConfig(password="开门123", work_dir=tmp_path))
    with page_client(application) as c:
        assert c.get("/", follow_redirects=False).headers["location"] == "/login"
        assert c.get("/notice", follow_redirects=False).status_code == 303
        assert c.post("/notice", data={}).status_code == 401
        token = csrf_of(c, "/login")
        wrong = c.post("/login", data={"password": "guess", "csrf": token})
        assert wrong.status_code == 401 and "密码不正确" in wrong.text
        assert c.post("/login", data={"password": "开门123"}).status_code == 403  # CSRF on the login too
        assert c.post("/login", data={"password": "开门123", "csrf": token}).status_code == 200
        assert c.get("/notice").status_code == 200
        c.post("/logout", data={"csrf": token})
        assert c.get("/", follow_redirects=False).status_code == 303


# ------------------------------------------------------------------ 写通知


def test_notice_field_error_is_the_cli_message_next_to_its_field(web_client, tmp_path):
    response = post_notice(web_client, "check", doc_number="罗教综〔20〕47号")
    assert response.status_code == 422
    field = re.search(r'id="field-doc_number">(.*?)</div>', response.text, re.S)[1]
    form = NoticeForm.from_post({**form_data(), "doc_number": "罗教综〔20〕47号"})
    path = tmp_path / "通知.yaml"
    path.write_text(form.to_yaml()[0], encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_notice(path)
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].message in field


def test_notice_body_problem_names_its_line_in_the_text_area(web_client):
    response = post_notice(web_client, "check", body="一、甲\n正文。\n三、丙")
    body_field = re.search(r'id="field-body">(.*?)</div>', response.text, re.S)[1]
    assert "第 3 行" in body_field and "应为“二、”" in body_field


def test_notice_check_of_the_seed_passes_and_shows_its_outline(web_client):
    response = post_notice(web_client, "check")
    assert response.status_code == 200 and 'id="check-ok"' in response.text
    assert "<li class=\"level-1\">" not in response.text  # the seed's own body has no headings
    response = post_notice(web_client, "check", body="一、总体要求\n（一）加强领导\n二、措施")
    outline = re.search(r'<ol id="outline"[^>]*>(.*?)</ol>', response.text, re.S)[1]
    assert re.findall(r'class="level-(\d)">([^<]+)<', outline) == [
        ("1", "一、总体要求"), ("2", "（一）加强领导"), ("1", "二、措施")]


def test_live_outline_lists_headings_and_numbering_problems(web_client):
    token = csrf_of(web_client)
    body = "一、甲\n（一）乙\n三、丙"
    response = web_client.post("/notice/outline", json={"body": body}, headers={"x-csrf-token": token})
    data = response.json()
    assert [h["text"] for h in data["headings"]] == ["一、甲", "（一）乙", "三、丙"]
    assert data["problems"][0]["line"] == 3 and "应为“二、”" in data["problems"][0]["message"]


def test_preview_pages_are_the_pdf_pages(web_client):
    response = post_notice(web_client, "preview")
    assert response.status_code == 200
    images = re.findall(r'src="(/notice/preview/[^"]+\.png)"', response.text)
    pdf = post_notice(web_client, "pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    with pymupdf.open(stream=pdf.content, filetype="pdf") as opened:
        assert len(images) == opened.page_count
        width, height = opened[0].rect.width, opened[0].rect.height
    assert round(width / 72 * 25.4) == 210 and round(height / 72 * 25.4) == 297  # A4
    for url in (images[0], images[-1]):  # a first page and one drawn with the whole PDF
        png = web_client.get(url)
        assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
        assert png.headers["content-type"] == "image/png"
    stranger = page_client(web_client.app)  # another session never sees it
    assert stranger.get(images[0]).status_code == 404


def test_a_report_without_red_header_is_offered_and_built_through_the_form(web_client):
    data = form_data("plain-report.yaml")
    assert data["format"] == "无版头"
    page = web_client.post("/notice", data={**data, "action": "check", "csrf": csrf_of(web_client)})
    assert page.status_code == 200 and '<option value="无版头" selected>无版头格式</option>' in page.text
    pdf = web_client.post("/notice", data={**data, "action": "pdf", "csrf": csrf_of(web_client)})
    with pymupdf.open(stream=pdf.content, filetype="pdf") as opened:
        first_line = opened[0].get_text().splitlines()[0].replace(" ", "")
        top_mm = opened[0].get_text("dict")["blocks"][0]["bbox"][1] / 72 * 25.4
    assert first_line.startswith("起步镇2026年春季学期") and "文件" not in first_line
    # the title opens the 版心 (no 版头); a page set closer to keep its ending starts 0.7 mm higher
    assert 35 <= top_mm <= 38


def test_downloads_docx_and_yaml_and_the_yaml_fills_the_form_again(web_client):
    docx = post_notice(web_client, "docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert "filename*=utf-8''" in docx.headers["content-disposition"]
    yaml_text = post_notice(web_client, "yaml").content
    files = {"file": ("我的通知.yaml", yaml_text)}
    loaded = web_client.post("/notice/load", files=files, data={"csrf": csrf_of(web_client)})
    assert loaded.status_code == 200 and "已载入 我的通知.yaml" in loaded.text
    assert "罗教综〔2020〕47号" in loaded.text and "问题线索移送登记表" in loaded.text


def test_yaml_upload_errors_name_the_uploaded_file(web_client):
    token = csrf_of(web_client)
    broken = web_client.post("/notice/load", files={"file": ("坏.yaml", "标题: [\n".encode())}, data={"csrf": token})
    assert broken.status_code == 422 and "坏.yaml" in broken.text and "YAML 格式错误" in broken.text
    wrong_type = web_client.post("/notice/load", files={"file": ("a.exe", b"MZ")}, data={"csrf": token})
    assert wrong_type.status_code == 400 and "不支持的文件类型" in wrong_type.text


def test_a_word_draft_fills_the_form_with_the_draft_readers_outline(web_client, tmp_path):
    import draftmaker as dm

    doc = dm.new()
    dm.title(doc, "某某县教育局关于做好秋季学期控辍保学工作的通知")
    dm.para(doc, "各乡（镇）中心学校：")
    dm.para(doc, "为做好秋季学期控辍保学工作，现就有关事项通知如下。")
    dm.para(doc, "一、摸清底数")
    dm.para(doc, "各校要逐户核查适龄儿童少年入学情况。")
    dm.signature(doc, "某某县教育局", date="2026年9月1日")
    draft = dm.save(doc, tmp_path / "秋季通知.docx")
    loaded = web_client.post("/notice/load", files={"file": ("秋季通知.docx", draft.read_bytes())},
                         data={"csrf": csrf_of(web_client)})  # fmt: skip
    assert loaded.status_code == 200 and "已载入 秋季通知.docx" in loaded.text
    assert 'value="某某县教育局关于做好秋季学期控辍保学工作的通知"' in loaded.text
    outline = re.search(r'<ul id="draft-outline">(.*?)</ul>', loaded.text, re.S)[1]
    assert "1级标题 一、摸清底数" in outline and "成文日期：2026年9月1日" in outline
    body = re.search(r'<textarea id="f-body" name="body"[^>]*>(.*?)</textarea>', loaded.text, re.S)[1]
    assert body.splitlines()[1:3] == ["一、摸清底数", "各校要逐户核查适龄儿童少年入学情况。"]
    issuers = re.search(r'<textarea id="f-issuers" name="issuers"[^>]*>(.*?)</textarea>', loaded.text, re.S)[1]
    assert issuers == "某某县教育局"  # the draft speaks for itself (its title's organ), as in the CLI
    assert "上传.docx" not in loaded.text


# ------------------------------------------------------------------ 单位设置


@pytest.fixture
def profile_app(tmp_path):
    path = tmp_path / "单位设置.yaml"
    shutil.copyfile(sample_file("profile", "单位设置.yaml"), path)
    application = create_app(ServerConfig(work_dir=tmp_path / "work", profile=path))
    yield application, path
    close_app(application)


def test_settings_form_shows_the_profile_and_saves_it_checked(profile_app):
    application, path = profile_app
    c = page_client(application)
    page = c.get("/settings").text
    assert 'value="罗源县教育局"' in page and "罗源县实验小学，凤山镇" in page
    legends = re.findall(r"<legend>(.*?)</legend>", page)
    assert legends[:4] == ["单位", "文号", "本县控辍保学实施方案", "学年与日期"]  # the profile's own sections
    assert re.search(r'for="p-教育局">教育局 <span class="required"', page)  # required marked
    assert re.search(r'<select id="p-双面打印" name="双面打印">.*?<option value="是" selected>', page)  # 是/否
    before = load_profile(path).model_dump()
    saved = settings_post(c, 咨询电话="0591-26831234")
    assert saved.status_code == 200 and 'id="saved"' in saved.text
    after = load_profile(path)
    assert after.phone == "0591-26831234"
    assert {**before, "phone": after.phone} == after.model_dump()  # nothing else changed
    assert path.with_name("单位设置.yaml.bak").is_file()
    assert "# 必填。" in path.read_text(encoding="utf-8")  # the blank's comments stay for the clerk


def test_settings_problem_is_shown_at_its_field_and_nothing_is_saved(profile_app):
    application, path = profile_app
    c = page_client(application)
    before = path.read_bytes()
    refused = settings_post(c, 行政区划代码="35012", **{"实施方案.文号": "罗教综〔20〕47号"})
    assert refused.status_code == 422 and [r.status_code for r in refused.history] == [303]  # POST → GET
    banner = refused.text.split('id="error-summary"')[1].split("</div>")[0]
    assert "未保存：2 处需要改正" in banner  # a failed save never looks like the page before it
    assert 'href="#field-行政区划代码"' in banner and 'href="#field-实施方案.文号"' in banner
    assert 'value="35012"' in refused.text  # what she typed is kept
    assert "6 位数字" in re.search(r'id="field-行政区划代码">(.*?)</div>', refused.text, re.S)[1]
    assert "年份" in re.search(r'id="field-实施方案.文号">(.*?)</div>', refused.text, re.S)[1]
    assert path.read_bytes() == before


def test_the_profile_password_guards_an_open_server(tmp_path):
    path = tmp_path / "单位设置.yaml"
    text = sample_file("profile", "单位设置.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace('访问密码: ""', '访问密码: "办公室的密码"'), encoding="utf-8")
    config = with_profile_password(ServerConfig(host="0.0.0.0", profile=path))
    assert config.password == "办公室的密码"
    security.check_bind(config.host, config.password)
    assert with_profile_password(ServerConfig(host="0.0.0.0", password="给定", profile=path)).password == "给定"


# ------------------------------------------------------------------ the page itself


def test_a_tampered_session_cookie_is_a_new_session(web_client):
    token = csrf_of(web_client)
    web_client.cookies.set("kongchuo_session", web_client.cookies.get("kongchuo_session")[:-4] + "AAAA")
    assert web_client.post("/notice/outline", json={"body": ""}, headers={"x-csrf-token": token}).status_code == 403


def test_what_users_typed_or_uploaded_is_escaped_in_the_page(web_client):
    response = post_notice(web_client, "check", title="<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in response.text and "&lt;script&gt;" in response.text
    upload = check_roster(web_client, "<img src=x onerror=alert(1)>.docx", b"PK")
    assert "<img src=x" not in upload.text and "&lt;img src=x onerror=alert(1)&gt;.docx" in upload.text


def test_framework_errors_are_chinese_pages_too(web_client):
    for response in (web_client.get("/no/such/page"), web_client.get("/letters/check")):
        assert response.status_code in (400, 404, 405)
        message = re.search(r'id="error-message">([^<]+)<', response.text)[1]
        assert re.search(r"[\u4e00-\u9fff]", message) and "Not Found" not in message
    empty = web_client.post("/letters/check", data={"csrf": csrf_of(web_client)})  # the form comes back, said why
    assert empty.status_code == 400 and "学生名册：请选择文件" in empty.text.split('id="error-summary"')[1]


# ------------------------------------------------------------------ 模板


def test_templates_are_edited_checked_saved_and_reset_in_the_profiles_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(TEMPLATES_ENV, raising=False)  # load_profile sets it for this process: undone after
    text = sample_file("profile", "单位设置.yaml").read_text(encoding="utf-8")
    profile = tmp_path / "单位设置.yaml"
    profile.write_text(re.sub(r"(?m)^模板目录:.*$", "模板目录: 措辞模板", text), encoding="utf-8")
    (tmp_path / "措辞模板").mkdir()  # the profile refuses a 模板目录 that does not exist
    application = create_app(ServerConfig(work_dir=tmp_path / "jobs", profile=profile))
    with page_client(application) as c:
        listing = c.get("/templates").text
        assert listing.count('href="/templates/') == len(WORDING_FILES) and "no-folder" not in listing
        index = list(WORDING_FILES).index("letters/enrolment.yaml")
        page = c.get(f"/templates/{index}").text
        default = html.unescape(re.search(r'<textarea name="text"[^>]*>(.*?)</textarea>', page, re.S)[1])
        assert "可用变量" in default
        token = csrf_of(c)
        bad = default.replace("{{ 姓名 }}", "{{ 姓名 }}{{ 银行卡号 }}", 1)
        refused = c.post(f"/templates/{index}", data={"text": bad, "action": "save", "csrf": token})
        assert refused.status_code == 422 and "〔银行卡号〕不是可用的字段" in refused.text
        target = tmp_path / "措辞模板" / "letters" / "enrolment.yaml"
        assert not target.exists()
        saved = c.post(f"/templates/{index}", data={"text": default, "action": "save", "csrf": token})
        assert saved.status_code == 200 and 'id="saved"' in saved.text and target.is_file()
        assert "已修改" in c.get("/templates").text
        c.post(f"/templates/{index}", data={"action": "reset", "csrf": token})
        assert not target.exists()


def test_without_a_templates_folder_the_defaults_are_shown_only(web_client):
    listing = web_client.get("/templates").text
    assert 'id="no-folder"' in listing
    refused = web_client.post("/templates/0", data={"text": "x", "action": "save", "csrf": csrf_of(web_client)})
    assert refused.status_code == 409 and "模板目录" in refused.text
