"""网页版 API tests: every page and error path through FastAPI's TestClient, jobs in real processes."""

from __future__ import annotations

import html
import io
import re
import shutil
import time
import zipfile
from pathlib import Path

import pymupdf
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_helpers import csrf_of, form_data, sample_file, wait_for_job

from kongchuo_docs.cli import app as cli_app
from kongchuo_docs.errors import InputError
from kongchuo_docs.kinds.letters import checked_roster
from kongchuo_docs.profile import load_profile
from kongchuo_docs.readers.notice_yaml import read_notice
from kongchuo_docs.sample_roster import write_sample_file
from kongchuo_docs.web import jobs as web_jobs
from kongchuo_docs.web import security
from kongchuo_docs.web.app import ServerConfig, create_app, page_routers, with_profile_password
from kongchuo_docs.web.home import CARDS
from kongchuo_docs.web.notice_form import NoticeForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    work = tmp_path_factory.mktemp("web")
    profile = work / "单位设置.yaml"
    shutil.copyfile(sample_file("profile", "单位设置.yaml"), profile)
    application = create_app(ServerConfig(workers=2, work_dir=work, profile=profile))
    yield application
    application.state.jobs.close()
    application.state.render.close()


@pytest.fixture
def client(app):
    return TestClient(app)  # no lifespan: the module's app (its pool and folders) outlives each client


@pytest.fixture(scope="module")
def rosters(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rosters")
    bad, good = folder / "bad.xlsx", folder / "good.xlsx"
    year = _profile().first_year
    write_sample_file(bad, rows=20, invalid=2, seed=7, year=year)
    write_sample_file(good, rows=20, invalid=0, seed=7, year=year)
    return bad, good


def _profile():
    return load_profile(sample_file("profile", "单位设置.yaml"))


def _app(folder: Path, **options):
    """An app of its own (closed by the test) with a copy of the sample 单位设置."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = folder / "单位设置.yaml"
    shutil.copyfile(sample_file("profile", "单位设置.yaml"), profile)
    return create_app(ServerConfig(work_dir=folder / "jobs", profile=profile, **options))


def post_notice(client: TestClient, action: str, **changes: str):
    return client.post("/notice", data={**form_data(), **changes, "action": action, "csrf": csrf_of(client)})


# ------------------------------------------------------------------ pages and headers


@pytest.mark.parametrize("path", ["/", "/notice", "/letters", "/forms", "/login", "/batch/compile",
                                  "/batch/agreements", "/batch/register-merge"])  # fmt: skip
def test_pages_answer_in_chinese_with_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert 'lang="zh-CN"' in response.text
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in response.text  # no inline script anywhere (CSP would block it)
    assert "http://" not in response.text and "https://" not in response.text  # nothing from a CDN


def test_home_has_a_card_per_task_and_each_card_opens(client):
    page = client.get("/").text
    for title, href, _ in CARDS:
        assert title in page and f'href="{href}"' in page
        assert client.get(href).status_code == 200


def test_static_files_are_served_by_the_package(client):
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/style.css").status_code == 200


def test_unknown_batch_page_is_a_chinese_404(client):
    response = client.get("/batch/nonsense")
    assert response.status_code == 404 and "没有这个页面" in response.text


def test_every_post_refuses_a_missing_or_wrong_csrf_token(app, client):
    posts = [route.path for router in page_routers() for route in router.routes if "POST" in route.methods]
    assert len(posts) >= 8
    for path in posts:
        url = path.replace("{job_id}", "x").replace("{task}", "compile")
        assert client.post(url, data={"csrf": "wrong"}).status_code == 403, path
        assert client.post(url).status_code == 403, path


def test_a_request_body_over_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(security, "MAX_REQUEST_BYTES", 1000)
    application = create_app(ServerConfig(work_dir=tmp_path))
    with TestClient(application) as c:
        response = c.post("/letters/check", files={"roster": ("a.xlsx", b"0" * 5000)}, data={"csrf": csrf_of(c)})
    application.state.jobs.close()
    application.state.render.close()
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
    assert "必须设置访问密码" in result.output
    assert "Traceback" not in result.output


def test_with_a_password_every_page_asks_for_it_first(tmp_path):
    application = create_app(ServerConfig(password="开门123", work_dir=tmp_path))
    with TestClient(application) as c:
        assert c.get("/", follow_redirects=False).headers["location"] == "/login"
        assert c.get("/notice", follow_redirects=False).status_code == 303
        assert c.post("/notice", data={}).status_code == 401
        token = re.search(r'name="csrf-token" content="([^"]+)"', c.get("/login").text)[1]
        wrong = c.post("/login", data={"password": "guess", "csrf": token})
        assert wrong.status_code == 401 and "密码不正确" in wrong.text
        assert c.post("/login", data={"password": "开门123"}).status_code == 403  # CSRF on the login too
        assert c.post("/login", data={"password": "开门123", "csrf": token}).status_code == 200
        assert c.get("/notice").status_code == 200
        c.post("/logout", data={"csrf": token})
        assert c.get("/", follow_redirects=False).status_code == 303
    application.state.jobs.close()
    application.state.render.close()


# ------------------------------------------------------------------ 写通知


def test_notice_field_error_is_the_cli_message_next_to_its_field(client, tmp_path):
    response = post_notice(client, "check", doc_number="罗教综〔20〕47号")
    assert response.status_code == 422
    field = re.search(r'id="field-doc_number">(.*?)</div>', response.text, re.S)[1]
    form = NoticeForm.from_post({**form_data(), "doc_number": "罗教综〔20〕47号"})
    path = tmp_path / "通知.yaml"
    path.write_text(form.to_yaml()[0], encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_notice(path)
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].message in field


def test_notice_body_problem_names_its_line_in_the_text_area(client):
    response = post_notice(client, "check", body="一、甲\n正文。\n三、丙")
    body_field = re.search(r'id="field-body">(.*?)</div>', response.text, re.S)[1]
    assert "第 3 行" in body_field and "应为“二、”" in body_field


def test_notice_check_of_the_seed_passes_and_shows_its_outline(client):
    response = post_notice(client, "check")
    assert response.status_code == 200 and 'id="check-ok"' in response.text
    assert "<li class=\"level-1\">" not in response.text  # the seed's own body has no headings
    response = post_notice(client, "check", body="一、总体要求\n（一）加强领导\n二、措施")
    outline = re.search(r'<ol id="outline"[^>]*>(.*?)</ol>', response.text, re.S)[1]
    assert re.findall(r'class="level-(\d)">([^<]+)<', outline) == [
        ("1", "一、总体要求"), ("2", "（一）加强领导"), ("1", "二、措施")]


def test_live_outline_lists_headings_and_numbering_problems(client):
    token = csrf_of(client)
    body = "一、甲\n（一）乙\n三、丙"
    response = client.post("/notice/outline", json={"body": body}, headers={"x-csrf-token": token})
    data = response.json()
    assert [h["text"] for h in data["headings"]] == ["一、甲", "（一）乙", "三、丙"]
    assert data["problems"][0]["line"] == 3 and "应为“二、”" in data["problems"][0]["message"]


def test_preview_pages_are_the_pdf_pages(client):
    response = post_notice(client, "preview")
    assert response.status_code == 200
    images = re.findall(r'src="(/notice/preview/[^"]+\.png)"', response.text)
    pdf = post_notice(client, "pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    with pymupdf.open(stream=pdf.content, filetype="pdf") as opened:
        assert len(images) == opened.page_count
        width, height = opened[0].rect.width, opened[0].rect.height
    assert round(width / 72 * 25.4) == 210 and round(height / 72 * 25.4) == 297  # A4
    for url in (images[0], images[-1]):  # a first page and one drawn with the whole PDF
        png = client.get(url)
        assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
        assert png.headers["content-type"] == "image/png"
    stranger = TestClient(client.app)  # another session never sees it
    assert stranger.get(images[0]).status_code == 404


def test_downloads_docx_and_yaml_and_the_yaml_fills_the_form_again(client):
    docx = post_notice(client, "docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert "filename*=utf-8''" in docx.headers["content-disposition"]
    yaml_text = post_notice(client, "yaml").content
    loaded = client.post("/notice/load", files={"file": ("我的通知.yaml", yaml_text)}, data={"csrf": csrf_of(client)})
    assert loaded.status_code == 200 and "已载入 我的通知.yaml" in loaded.text
    assert "罗教综〔2020〕47号" in loaded.text and "问题线索移送登记表" in loaded.text


def test_yaml_upload_errors_name_the_uploaded_file(client):
    token = csrf_of(client)
    broken = client.post("/notice/load", files={"file": ("坏.yaml", "标题: [\n".encode())}, data={"csrf": token})
    assert broken.status_code == 422 and "坏.yaml" in broken.text and "YAML 格式错误" in broken.text
    wrong_type = client.post("/notice/load", files={"file": ("a.exe", b"MZ")}, data={"csrf": token})
    assert wrong_type.status_code == 400 and "不支持的文件类型" in wrong_type.text


# ------------------------------------------------------------------ uploads


def _check(client, name: str, data: bytes, **extra: str):
    return client.post("/letters/check", files={"roster": (name, data)}, data={"csrf": csrf_of(client), **extra})


def test_upload_of_a_wrong_type_is_refused(client):
    response = _check(client, "名册.docx", b"PK")
    assert response.status_code == 400 and "不支持的文件类型" in response.text


def test_upload_over_the_file_limit_is_refused(client, monkeypatch, rosters):
    monkeypatch.setattr(security, "MAX_FILE_BYTES", 1024)
    response = _check(client, "名册.xlsx", rosters[1].read_bytes())
    assert response.status_code == 400 and "文件超过" in response.text


def test_corrupt_xlsx_is_refused_with_its_name(client):
    response = _check(client, "坏名册.xlsx", b"this is not a workbook" * 10)
    assert response.status_code == 400 and "坏名册.xlsx：文件已损坏" in response.text


def test_xlsx_unpacking_past_the_limit_is_refused(client, monkeypatch):
    monkeypatch.setattr(security, "MAX_XLSX_UNPACKED", 1_000_000)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * 2_000_000)  # 2 MB of zeros in about 2 KB
    assert len(bomb.getvalue()) < 10_000
    response = _check(client, "炸弹.xlsx", bomb.getvalue())
    assert response.status_code == 400 and "解压后超过" in response.text


def test_too_many_files_are_refused(client, monkeypatch):
    monkeypatch.setattr(security, "MAX_FILES", 2)
    files = [("files", (f"{n}.yaml", b"a: 1")) for n in range(3)]
    response = client.post("/batch/compile", files=files, data={"csrf": csrf_of(client)})
    assert response.status_code == 400 and "一次最多上传 2 个文件" in response.text


def test_upload_names_never_become_paths(client, app, rosters):
    response = _check(client, "../../../etc/名册.xlsx", rosters[1].read_bytes())
    job = app.state.jobs.get(client.cookies and _owner(client, app), response.url.path.rsplit("/", 1)[1])
    assert job is not None
    assert [p.name for p in (job.folder / "in").iterdir()] == ["000.xlsx"]
    assert job.names == {"000.xlsx": "名册.xlsx"}
    wait_for_job(client, response.url.path)


def _owner(client, app) -> str:
    return next(job.owner for job in app.state.jobs._jobs.values())


# ------------------------------------------------------------------ letters


def test_roster_problems_are_listed_by_cell_and_marked_in_the_error_workbook(client, rosters, capfd):
    bad, _ = rosters
    response = _check(client, "学生名册.xlsx", bad.read_bytes())
    job_url = response.url.path
    assert wait_for_job(client, job_url)["state"] == "done"
    page = client.get(job_url).text
    expected = checked_roster(bad, _profile(), "入学")[1].problems.errors
    assert len(expected) == 2
    cells = re.findall(r'<td class="cell">([^<]+)</td>', page)
    assert sorted(cells) == sorted(p.location.cell for p in expected)
    assert "学生名册.xlsx" in page and "000.xlsx" not in page  # the name the user gave
    assert 'action="/letters/generate/' not in page  # no 生成 before the roster is fixed
    workbook = client.get(f"{job_url}/errors")
    assert workbook.status_code == 200 and workbook.content.startswith(b"PK")
    job_id = job_url.rsplit("/", 1)[1]
    assert client.post(f"/letters/generate/{job_id}", data={"csrf": csrf_of(client)}).status_code == 409
    ids = [str(p.value) for p in expected if p.value]
    logged = capfd.readouterr()
    assert not any(i and i in logged.out + logged.err for i in ids)  # no ID number in the server's output


def test_fixed_roster_generates_letters_with_progress_and_a_zip(client, rosters):
    _, good = rosters
    response = _check(client, "名册.xlsx", good.read_bytes(), kind="劝返")
    job_url = response.url.path
    assert wait_for_job(client, job_url)["state"] == "done"
    assert "校验通过：20 名学生" in client.get(job_url).text
    generated = client.post(job_url.replace("/jobs/", "/letters/generate/"), data={"csrf": csrf_of(client)})
    letters_url = generated.url.path
    assert client.get(job_url).status_code == 404  # the checked job handed over its roster
    progress = wait_for_job(client, letters_url)
    assert progress["state"] == "done"
    assert progress["done"] == progress["total"] == 40  # 20 letters, as PDF and as DOCX
    schools = {f["title"] for f in progress["files"]}
    assert schools and all(t.endswith("劝返复学通知书") for t in schools)
    download = client.get(f"{letters_url}/download")
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(download.content)) as zf:
        names = zf.namelist()
        manifest = zf.read("manifest.json").decode()
    assert "manifest.json" in names and sum(n.endswith(".pdf") for n in names) == len(schools)
    assert '"records"' in manifest
    assert client.get(letters_url).status_code == 404  # deleted after download


def test_a_queued_job_is_cancelled_and_its_folder_deleted(tmp_path, rosters):
    application = _app(tmp_path, workers=1)
    with TestClient(application) as c:
        token = csrf_of(c)
        urls = [c.post("/letters/check", files={"roster": ("名册.xlsx", rosters[1].read_bytes())},
                       data={"csrf": token}).url.path for _ in range(2)]  # fmt: skip
        second = application.state.jobs.get(_owner(c, application), urls[1].rsplit("/", 1)[1])
        assert second.state == "queued" and "排队中" in c.get(urls[1]).text
        assert c.post(f"{urls[1]}/cancel", data={"csrf": token}).status_code == 200
        assert not second.folder.exists() and c.get(urls[1]).status_code == 404
        wait_for_job(c, urls[0])
    application.state.jobs.close()
    application.state.render.close()


def test_a_running_job_is_cancelled_by_ending_its_process(tmp_path):
    roster = tmp_path / "big.xlsx"
    write_sample_file(roster, rows=3000, seed=2, year=_profile().first_year)  # still being read when cancelled
    application = _app(tmp_path / "work", workers=1)
    with TestClient(application) as c:
        url = c.post("/letters/check", files={"roster": ("名册.xlsx", roster.read_bytes())},
                     data={"csrf": csrf_of(c)}).url.path  # fmt: skip
        job = application.state.jobs.get(_owner(c, application), url.rsplit("/", 1)[1])
        while job.state == "queued":
            application.state.jobs.wait(job, 0.05)
        assert job.state == "running" and job.process.is_alive()
        c.post(f"{url}/cancel", data={"csrf": csrf_of(c)})
        assert job.state == "cancelled" and not job.process.is_alive() and not job.folder.exists()
    application.state.jobs.close()
    application.state.render.close()


def test_jobs_are_private_to_their_session(client, app, rosters):
    url = _check(client, "名册.xlsx", rosters[1].read_bytes()).url.path
    stranger = TestClient(app)
    assert stranger.get(url).status_code == 404
    assert stranger.get(f"{url}/progress").status_code == 404
    wait_for_job(client, url)


# ------------------------------------------------------------------ the other kinds


def test_batch_kind_runs_like_its_command_and_zips_the_outputs(client):
    data = sample_file("register", "问题线索.yaml").read_bytes()
    files = {"files": ("线索.yaml", data)}
    response = client.post("/batch/register-build", files=files, data={"csrf": csrf_of(client)})
    assert wait_for_job(client, response.url.path)["state"] == "done"
    download = client.get(f"{response.url.path}/download")
    with zipfile.ZipFile(io.BytesIO(download.content)) as zf:
        assert {Path(n).suffix for n in zf.namelist()} >= {".xlsx", ".docx", ".pdf", ".json"}


def test_batch_kind_problems_name_the_uploaded_file_and_nothing_is_written(client):
    response = client.post("/batch/agreements", files={"files": ("名单.yaml", "- 甲方: 县教育局\n".encode())},
                           data={"csrf": csrf_of(client)})  # fmt: skip
    url = response.url.path
    assert wait_for_job(client, url)["state"] == "failed"
    page = client.get(url).text
    assert "名单.yaml" in page and 'id="problems"' in page and "未生成任何文件" in page
    assert client.get(f"{url}/download").status_code == 409


def test_several_files_for_the_merge(client):
    files = [("files", (p.name, p.read_bytes())) for p in sorted(sample_file("register").glob("*.xlsx"))]
    response = client.post("/batch/register-merge", files=files, data={"csrf": csrf_of(client)})
    assert wait_for_job(client, response.url.path)["state"] == "done"
    page = client.get(response.url.path).text
    assert all(name in page for name, _ in (f[1] for f in files))


def test_blank_forms_download(client):
    page = client.get("/forms").text
    links = re.findall(r'href="(/forms/\d+)"', page)
    assert links
    workbook = client.get(links[0])
    assert workbook.status_code == 200 and workbook.headers["content-type"] == XLSX
    assert client.get("/forms/999").status_code == 404


# ------------------------------------------------------------------ 单位设置


@pytest.fixture
def profile_app(tmp_path):
    path = tmp_path / "单位设置.yaml"
    shutil.copyfile(sample_file("profile", "单位设置.yaml"), path)
    application = create_app(ServerConfig(work_dir=tmp_path / "work", profile=path))
    yield application, path
    application.state.jobs.close()
    application.state.render.close()


def _settings_post(c: TestClient, **changes: str):
    page = c.get("/settings").text
    data = {name: html.unescape(value) for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', page)}
    data.update({name: html.unescape(value) for name, value in
                 re.findall(r'<textarea id="[^"]+" name="([^"]+)" rows="\d+">(.*?)</textarea>', page, re.S)})
    data.update(changes)
    return c.post("/settings", data=data)


def test_settings_form_shows_the_profile_and_saves_it_checked(profile_app):
    application, path = profile_app
    c = TestClient(application)
    page = c.get("/settings").text
    assert 'value="罗源县教育局"' in page and "罗源县实验小学，凤山镇" in page
    before = load_profile(path).model_dump()
    saved = _settings_post(c, 咨询电话="0591-26831234")
    assert saved.status_code == 200 and 'id="saved"' in saved.text
    after = load_profile(path)
    assert after.phone == "0591-26831234"
    assert {**before, "phone": after.phone} == after.model_dump()  # nothing else changed
    assert path.with_name("单位设置.yaml.bak").is_file()
    assert "# 必填。" in path.read_text(encoding="utf-8")  # the blank's comments stay for the clerk


def test_settings_problem_is_shown_at_its_field_and_nothing_is_saved(profile_app):
    application, path = profile_app
    c = TestClient(application)
    before = path.read_bytes()
    refused = _settings_post(c, 行政区划代码="35012", **{"实施方案.文号": "罗教综〔20〕47号"})
    assert refused.status_code == 422
    assert "行政区划代码应为 6 位数字" in re.search(r'id="field-行政区划代码">(.*?)</div>', refused.text, re.S)[1]
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


def test_a_word_draft_fills_the_form_with_the_draft_readers_outline(client, tmp_path):
    import draftmaker as dm

    doc = dm.new()
    dm.title(doc, "某某县教育局关于做好秋季学期控辍保学工作的通知")
    dm.para(doc, "各乡（镇）中心学校：")
    dm.para(doc, "为做好秋季学期控辍保学工作，现就有关事项通知如下。")
    dm.para(doc, "一、摸清底数")
    dm.para(doc, "各校要逐户核查适龄儿童少年入学情况。")
    dm.signature(doc, "某某县教育局", date="2026年9月1日")
    draft = dm.save(doc, tmp_path / "秋季通知.docx")
    loaded = client.post("/notice/load", files={"file": ("秋季通知.docx", draft.read_bytes())},
                         data={"csrf": csrf_of(client)})  # fmt: skip
    assert loaded.status_code == 200 and "已载入 秋季通知.docx" in loaded.text
    assert 'value="某某县教育局关于做好秋季学期控辍保学工作的通知"' in loaded.text
    outline = re.search(r'<ul id="draft-outline">(.*?)</ul>', loaded.text, re.S)[1]
    assert "1级标题 一、摸清底数" in outline and "成文日期：2026年9月1日" in outline
    body = re.search(r'<textarea id="f-body" name="body"[^>]*>(.*?)</textarea>', loaded.text, re.S)[1]
    assert body.splitlines()[1:3] == ["一、摸清底数", "各校要逐户核查适龄儿童少年入学情况。"]
    issuers = re.search(r'<textarea id="f-issuers" name="issuers"[^>]*>(.*?)</textarea>', loaded.text, re.S)[1]
    assert issuers == "罗源县教育局"  # what the draft lacks comes from the 单位设置, as in the CLI
    assert "上传.docx" not in loaded.text


def test_a_zip_of_unit_forms_is_compiled_and_every_file_accounted_for(client):
    folder = sample_file("cycle", "自查表")
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as zf:
        for path in sorted(folder.iterdir()):
            zf.writestr(f"各单位/{path.name}", path.read_bytes())
    response = client.post("/batch/compile", files={"files": ("自查表.zip", packed.getvalue())},
                           data={"csrf": csrf_of(client)})  # fmt: skip
    assert wait_for_job(client, response.url.path)["state"] == "done"
    page = client.get(response.url.path).text
    for path in folder.iterdir():
        if path.suffix in (".xlsx", ".yaml"):
            assert f"自查表.zip/{path.name}" in page
    assert "报送说明.txt" not in page  # not a form: left out of the job


def test_jobs_and_previews_are_deleted_after_the_keeping_time(tmp_path, monkeypatch, rosters):
    monkeypatch.setattr(web_jobs, "SWEEP_SECONDS", 0.0)
    application = _app(tmp_path)
    with TestClient(application) as c:
        url = _check(c, "名册.xlsx", rosters[1].read_bytes()).url.path
        wait_for_job(c, url)
        preview = post_notice(c, "preview")
        image = re.findall(r'src="(/notice/preview/[^"]+\.png)"', preview.text)[0]
        assert c.get(image).status_code == 200
        assert c.get(url).status_code == 200
        application.state.jobs.keep = 1.0  # an hour, as far as this test can wait
        time.sleep(2.0)
        assert c.get(url).status_code == 404 and c.get(image).status_code == 404
        assert [p.name for p in application.state.jobs.root.iterdir()] == []
    application.state.jobs.close()
    application.state.render.close()


def test_a_tampered_session_cookie_is_a_new_session(client):
    token = csrf_of(client)
    client.cookies.set("kongchuo_session", client.cookies.get("kongchuo_session")[:-4] + "AAAA")
    assert client.post("/notice/outline", json={"body": ""}, headers={"x-csrf-token": token}).status_code == 403


def test_what_users_typed_or_uploaded_is_escaped_in_the_page(client):
    response = post_notice(client, "check", title="<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in response.text and "&lt;script&gt;" in response.text
    upload = _check(client, "<img src=x onerror=alert(1)>.docx", b"PK")
    assert "<img src=x" not in upload.text and "&lt;img src=x onerror=alert(1)&gt;.docx" in upload.text


def test_without_a_profile_a_job_says_so_and_links_the_settings_page(tmp_path, rosters, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no user profile either
    application = create_app(ServerConfig(work_dir=tmp_path / "jobs", profile=tmp_path / "单位设置.yaml"))
    with TestClient(application) as c:
        url = _check(c, "名册.xlsx", rosters[1].read_bytes()).url.path
        assert wait_for_job(c, url)["state"] == "failed"
        page = c.get(url).text
        assert "找不到单位设置文件" in page and 'href="/settings"' in page
    application.state.jobs.close()
    application.state.render.close()


def test_framework_errors_are_chinese_pages_too(client):
    for response in (client.get("/no/such/page"), client.get("/letters/check"),
                     client.post("/letters/check", data={"csrf": csrf_of(client)})):  # fmt: skip
        assert response.status_code in (400, 404, 405)
        message = re.search(r'id="error-message">([^<]+)<', response.text)[1]
        assert re.search(r"[\u4e00-\u9fff]", message) and "Not Found" not in message
