"""网页版 API tests: uploads and their limits, the letters' check → 生成 → download, the other kinds,
and the jobs (queue, cancel, privacy, keeping time) in real processes, through FastAPI's TestClient."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

from web_helpers import (
    check_roster,
    csrf_of,
    job_of,
    own_app,
    page_client,
    post_notice,
    sample_file,
    sample_profile,
    wait_for_job,
)

from kongchuo_docs.kinds.letters import checked_roster
from kongchuo_docs.kinds.sample_roster import write_sample_file
from kongchuo_docs.store.jobs import kept_jobs
from kongchuo_docs.web import jobs as web_jobs
from kongchuo_docs.web import security
from kongchuo_docs.web.orphans import OWNER_FILE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ------------------------------------------------------------------ uploads


def test_upload_of_a_wrong_type_is_refused(web_client):
    response = check_roster(web_client, "名册.docx", b"PK")
    assert response.status_code == 400 and "不支持的文件类型" in response.text


def test_upload_over_the_file_limit_is_refused(web_client, monkeypatch, web_rosters):
    monkeypatch.setattr(security, "MAX_FILE_BYTES", 1024)
    response = check_roster(web_client, "名册.xlsx", web_rosters[1].read_bytes())
    assert response.status_code == 400 and "文件超过" in response.text


def test_corrupt_xlsx_is_refused_with_its_name(web_client):
    response = check_roster(web_client, "坏名册.xlsx", b"this is not a workbook" * 10)
    assert response.status_code == 400 and "坏名册.xlsx：文件已损坏" in response.text


def test_xlsx_unpacking_past_the_limit_is_refused(web_client, monkeypatch):
    monkeypatch.setattr(security, "MAX_XLSX_UNPACKED", 1_000_000)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * 2_000_000)  # 2 MB of zeros in about 2 KB
    assert len(bomb.getvalue()) < 10_000
    response = check_roster(web_client, "炸弹.xlsx", bomb.getvalue())
    assert response.status_code == 400 and "解压后超过" in response.text


def test_too_many_files_are_refused(web_client, monkeypatch):
    monkeypatch.setattr(security, "MAX_FILES", 2)
    files = [("forms", (f"{n}.yaml", b"a: 1")) for n in range(3)]
    response = web_client.post("/batch/compile", files=files, data={"csrf": csrf_of(web_client)})
    assert response.status_code == 400 and "一次最多上传 2 个文件" in response.text


def test_upload_names_never_become_paths(web_client, web_app, web_rosters):
    response = check_roster(web_client, "../../../etc/名册*?:.xlsx", web_rosters[1].read_bytes())
    job = job_of(web_app, response.url.path)
    assert job is not None
    assert [p.relative_to(job.folder).as_posix() for p in (job.folder / "in").rglob("*")] == ["in/roster",
                                                                                          "in/roster/名册.xlsx"]
    assert job.names == {"名册.xlsx": "名册*?:.xlsx"}
    wait_for_job(web_client, response.url.path)


def test_stored_names_keep_what_can_be_kept_and_never_collide():
    from kongchuo_docs.web.job_pages import stored_name

    used: set[str] = set()
    names = [stored_name(security.Upload(name, ".xlsx", b""), used)
             for name in ("城东镇.xlsx", "城东镇.XLSX", "..xlsx", "~$临时.xlsx", "a/../b.xlsx", "实验小学（二）.xlsx",
                          "城西镇—报送·第2批【定稿】.xlsx", "a＼b.xlsx", "x\u200by.xlsx")]  # fmt: skip
    assert names == ["城东镇.xlsx", "城东镇（2）.xlsx", "上传的文件.xlsx", "临时.xlsx", "b.xlsx", "实验小学（二）.xlsx",
                     "城西镇—报送·第2批【定稿】.xlsx", "ab.xlsx", "xy.xlsx"]


# ------------------------------------------------------------------ letters


def test_roster_problems_are_listed_by_cell_and_marked_in_the_error_workbook(web_client, web_rosters, capfd):
    bad, _ = web_rosters
    response = check_roster(web_client, "学生名册.xlsx", bad.read_bytes())
    job_url = response.url.path
    assert wait_for_job(web_client, job_url)["state"] == "done"
    page = web_client.get(job_url).text
    expected = checked_roster(bad, sample_profile(), "入学")[1].problems.errors
    assert len(expected) == 2
    cells = re.findall(r'<td class="cell">([^<]+)</td>', page)
    assert sorted(cells) == sorted(p.location.cell for p in expected)
    assert "学生名册.xlsx" in page and "000.xlsx" not in page  # the name the user gave
    assert 'action="/letters/generate/' not in page  # no 生成 before the roster is fixed
    workbook = web_client.get(f"{job_url}/errors")
    assert workbook.status_code == 200 and workbook.content.startswith(b"PK")
    job_id = job_url.rsplit("/", 1)[1]
    assert web_client.post(f"/letters/generate/{job_id}", data={"csrf": csrf_of(web_client)}).status_code == 409
    ids = [str(p.value) for p in expected if p.value]
    logged = capfd.readouterr()
    assert not any(i and i in logged.out + logged.err for i in ids)  # no ID number in the server's output


def test_fixed_roster_generates_letters_with_progress_and_a_zip(web_client, web_rosters):
    _, good = web_rosters
    response = check_roster(web_client, "名册.xlsx", good.read_bytes(), kind="劝返", manifest="1", per_record="1")
    job_url = response.url.path
    assert wait_for_job(web_client, job_url)["state"] == "done"
    assert "校验通过：20 名学生" in web_client.get(job_url).text
    generated = web_client.post(job_url.replace("/jobs/", "/letters/generate/"), data={"csrf": csrf_of(web_client)})
    letters_url = generated.url.path
    assert web_client.get(job_url).status_code == 404  # the checked job handed over its roster
    progress = wait_for_job(web_client, letters_url)
    assert progress["state"] == "done", web_client.get(letters_url).text  # the page names the problem
    assert progress["done"] == progress["total"] == 60  # 20 letters, as PDF, as DOCX and one DOCX each
    schools = {f["title"] for f in progress["files"]}
    assert schools and all("劝返复学通知书" in t for t in schools)
    download = web_client.get(f"{letters_url}/download")
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(download.content)) as zf:
        names = zf.namelist()
        manifest = zf.read("manifest.json").decode()  # she asked for it
    assert sum(n.endswith(".pdf") for n in names) == len(schools) // 2
    assert not any(n.endswith(".zip") for n in names)  # no zip inside the zip: each child's DOCX in a folder
    assert sum(n.endswith(".docx") and "-单份/" in n for n in names) == 20
    assert '"records"' in manifest
    page = web_client.get(letters_url).text  # a reload after the download still shows the result
    assert 'id="download"' in page and "保留到" in page
    assert web_client.get(f"{letters_url}/download").content == download.content  # downloadable again


def test_the_manifest_is_in_the_zip_only_when_asked(web_client):
    files = {"parties": ("责任书名单.yaml", sample_file("cycle", "责任书名单.yaml").read_bytes())}
    response = web_client.post("/batch/agreements", files=files, data={"csrf": csrf_of(web_client)})
    assert wait_for_job(web_client, response.url.path)["state"] == "done"
    with zipfile.ZipFile(io.BytesIO(web_client.get(f"{response.url.path}/download").content)) as zf:
        names = zf.namelist()
    assert names and "manifest.json" not in names and all(n.endswith((".docx", ".pdf")) for n in names)


def test_a_queued_job_is_cancelled_and_its_folder_deleted(tmp_path, web_rosters):
    busy = tmp_path / "big.xlsx"
    write_sample_file(busy, rows=3000, seed=2, year=sample_profile().first_year)  # keeps the one worker busy
    application = own_app(tmp_path / "work", workers=1)
    with page_client(application) as c:
        token = csrf_of(c)
        urls = [c.post("/letters/check", files={"roster": ("名册.xlsx", roster.read_bytes())},
                       data={"csrf": token}).url.path for roster in (busy, web_rosters[1])]  # fmt: skip
        second = job_of(application, urls[1])
        assert second.state == "queued" and "排队中" in c.get(urls[1]).text
        assert c.post(f"{urls[1]}/cancel", data={"csrf": token}).status_code == 200
        assert not second.folder.exists() and c.get(urls[1]).status_code == 404
        wait_for_job(c, urls[0])


def test_a_running_job_is_cancelled_by_ending_its_process(tmp_path):
    roster = tmp_path / "big.xlsx"
    write_sample_file(roster, rows=3000, seed=2, year=sample_profile().first_year)  # still being read when cancelled
    application = own_app(tmp_path / "work", workers=1)
    with page_client(application) as c:
        url = c.post("/letters/check", files={"roster": ("名册.xlsx", roster.read_bytes())},
                     data={"csrf": csrf_of(c)}).url.path  # fmt: skip
        job = job_of(application, url)
        while job.state == "queued":
            application.state.jobs.wait(job, 0.05)
        assert job.state == "running" and job.process.is_alive()
        c.post(f"{url}/cancel", data={"csrf": csrf_of(c)})
        assert job.state == "cancelled" and not job.process.is_alive() and not job.folder.exists()


def test_jobs_are_private_to_their_session(web_client, web_app, web_rosters):
    url = check_roster(web_client, "名册.xlsx", web_rosters[1].read_bytes()).url.path
    stranger = page_client(web_app)
    assert stranger.get(url).status_code == 404
    assert stranger.get(f"{url}/progress").status_code == 404
    wait_for_job(web_client, url)


def test_jobs_and_previews_are_deleted_after_the_keeping_time(tmp_path, monkeypatch, web_rosters):
    monkeypatch.setattr(web_jobs, "SWEEP_SECONDS", 0.0)
    application = own_app(tmp_path)
    with page_client(application) as c:
        url = check_roster(c, "名册.xlsx", web_rosters[1].read_bytes()).url.path
        wait_for_job(c, url)
        preview = post_notice(c, "preview")
        image = re.findall(r'src="(/notice/preview/[^"]+\.png)"', preview.text)[0]
        assert c.get(image).status_code == 200
        assert c.get(url).status_code == 200
        application.state.jobs.keep = 1.0  # an hour, as far as this test can wait
        job = job_of(application, url)
        assert _kept_soon(application, job.id, True)  # the store has a 单位设置: the job is kept there
        job.expires = job.ended + 1.0
        time.sleep(2.0)
        assert c.get(url).status_code == 404 and c.get(image).status_code == 404
        assert [p.name for p in application.state.jobs.root.iterdir()] == [OWNER_FILE]  # the server's mark only
        assert not job.folder.exists()
        assert _kept_soon(application, job.id, False)  # its record gone with it


def _kept_soon(application, job_id: str, kept: bool) -> bool:
    """Whether the store comes to keep (`kept`) or to drop job `job_id` within 2 s: the pool's thread writes it."""
    for _ in range(40):
        if (job_id in {row.id for row in kept_jobs(application.state.store)}) == kept:
            return True
        time.sleep(0.05)
    return False


# ------------------------------------------------------------------ the other kinds


def test_batch_kind_runs_like_its_command_and_zips_the_outputs(web_client):
    data = sample_file("register", "问题线索.yaml").read_bytes()
    files = {"clues": ("线索.yaml", data)}
    response = web_client.post("/batch/register-build", files=files, data={"csrf": csrf_of(web_client), "manifest": "1",
                                                                         "formats": ["xlsx", "docx", "pdf"]})
    assert wait_for_job(web_client, response.url.path)["state"] == "done"
    download = web_client.get(f"{response.url.path}/download")
    with zipfile.ZipFile(io.BytesIO(download.content)) as zf:
        assert {Path(n).suffix for n in zf.namelist()} >= {".xlsx", ".docx", ".pdf", ".json"}


def test_batch_kind_problems_name_the_uploaded_file_and_nothing_is_written(web_client):
    response = web_client.post("/batch/agreements", files={"parties": ("名单.yaml", "- 甲方: 县教育局\n".encode())},
                           data={"csrf": csrf_of(web_client)})  # fmt: skip
    url = response.url.path
    assert wait_for_job(web_client, url)["state"] == "failed"
    page = web_client.get(url).text
    assert "名单.yaml" in page and 'id="problems"' in page and "未生成任何文件" in page
    assert web_client.get(f"{url}/download").status_code == 409


def test_several_files_for_the_merge(web_client):
    files = [("registers", (p.name, p.read_bytes())) for p in sorted(sample_file("register").glob("*.xlsx"))]
    response = web_client.post("/batch/register-merge", files=files, data={"csrf": csrf_of(web_client)})
    assert wait_for_job(web_client, response.url.path)["state"] == "done"
    page = web_client.get(response.url.path).text
    assert all(name in page for name, _ in (f[1] for f in files))


def test_a_zip_of_unit_forms_is_compiled_and_every_file_accounted_for(web_client):
    folder = sample_file("cycle", "自查表")
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as zf:
        for path in sorted(folder.iterdir()):
            zf.writestr(f"各单位/{path.name}", path.read_bytes())
    response = web_client.post("/batch/compile", files={"forms": ("自查表.zip", packed.getvalue())},
                           data={"csrf": csrf_of(web_client)})  # fmt: skip
    assert wait_for_job(web_client, response.url.path)["state"] == "done"
    page = web_client.get(response.url.path).text
    for path in folder.iterdir():
        if path.suffix in (".xlsx", ".yaml"):
            assert f"自查表.zip/{path.name}" in page
    assert "报送说明.txt" not in page  # not a form: left out of the job


def test_blank_forms_download(web_client):
    page = web_client.get("/forms").text
    links = re.findall(r'href="(/forms/\d+)"', page)
    assert links
    workbook = web_client.get(links[0])
    assert workbook.status_code == 200 and workbook.headers["content-type"] == XLSX
    assert web_client.get("/forms/999").status_code == 404
