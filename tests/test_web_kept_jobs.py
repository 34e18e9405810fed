"""网页版 jobs kept across a restart (issue 21 #5): a finished job's page and download after the app is
closed and a new one made on the same store and work folder — for its owner and the 教育局, a 403 for
another school, gone after its expiry; a job the restart interrupted is failed with a Chinese message;
the store keeps only the names she gave her uploads and counts. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner
from web_helpers import add_accounts, csrf_of, logged_in, own_app, sample_file, sample_profile, wait_for_job

from kongchuo_docs.cli import app as cli_app
from kongchuo_docs.kinds.sample_roster import write_sample_file
from kongchuo_docs.store.jobs import kept_jobs
from kongchuo_docs.store.tables import KeptJob
from kongchuo_docs.web import app as web_app
from kongchuo_docs.web.app import close_app
from kongchuo_docs.web.kept_jobs import KEPT_FOLDER, RESTARTED
from kongchuo_docs.web.orphans import OWNER_FILE

PARTIES = "责任书名单.yaml"


@pytest.fixture
def server(tmp_path: Path, store_url: str):
    """Make the app (again: a restart) on one store and work folder, with the sample accounts; closed at the end."""
    made = []

    def start():
        if made:
            close_app(made[-1])
        app = own_app(tmp_path / "server", db=store_url)
        if not made:
            add_accounts(app.state.store)
        made.append(app)
        return app

    yield start
    close_app(made[-1])


def test_a_finished_job_survives_a_restart_for_its_owner_and_the_bureau_until_it_expires(server, tmp_path) -> None:
    app = server()
    c = logged_in(app, "yixiao")
    data = sample_file("cycle", PARTIES).read_bytes()
    url = c.post("/batch/agreements", files={"parties": (PARTIES, data)}, data={"csrf": csrf_of(c)}).url.path
    assert wait_for_job(c, url)["state"] == "done"
    result = c.get(f"{url}/download").content
    job_id = url.rsplit("/", 1)[1]
    folder = tmp_path / "server" / "jobs" / KEPT_FOLDER / job_id
    assert (folder / "result.zip").is_file() and not (folder / "in").exists()  # the upload went with the job

    app = server()  # the restart
    [row] = kept_jobs(app.state.store)
    assert (row.id, row.owner, row.account, row.role, row.state) == (job_id, "账号:yixiao", "yixiao", "学校", "done")
    assert row.inputs == [[PARTIES, len(data)]] and row.outputs > 0 and row.result_bytes == len(result)
    assert row.expires_at > dt.datetime.now() > row.finished_at
    owner = logged_in(app, "yixiao")
    page = owner.get(url)
    assert page.status_code == 200 and f"结果保留到 {row.expires_at:%H:%M}" in page.text and "之后自动删除" in page.text
    assert owner.get(f"{url}/download").content == result
    assert logged_in(app, "jyj").get(f"{url}/download").content == result
    other = logged_in(app, "erxiao")
    assert other.get(url).status_code == 403 and other.get(f"{url}/download").status_code == 403

    with app.state.store.engine.begin() as connection:  # its hour is over while the server was down
        connection.execute(update(KeptJob).values(expires_at=dt.datetime.now() - dt.timedelta(minutes=1)))
    app = server()
    assert logged_in(app, "yixiao").get(url).status_code == 404
    assert not folder.exists() and kept_jobs(app.state.store) == []


def test_a_job_the_restart_interrupts_is_failed_with_a_chinese_message(server, tmp_path) -> None:
    app = server()
    roster = tmp_path / "big.xlsx"
    write_sample_file(roster, rows=3000, seed=2, year=sample_profile().first_year)  # still being read at the restart
    c = logged_in(app, "yixiao")
    url = c.post("/letters/check", files={"roster": ("一小名册.xlsx", roster.read_bytes())},
                 data={"csrf": csrf_of(c)}).url.path  # fmt: skip
    job = app.state.jobs.find(url.rsplit("/", 1)[1])
    while not kept_jobs(app.state.store):  # recorded by the pool's thread
        app.state.jobs.wait(job, 0.05)
    assert not job.finished

    app = server()
    [row] = kept_jobs(app.state.store)
    assert row.state == "failed" and row.title == "名册校验（一小名册.xlsx）"
    page = logged_in(app, "yixiao").get(url)
    assert page.status_code == 200 and RESTARTED in page.text and "重新上传" in page.text
    assert not (job.folder / "in").exists()


def test_a_folder_whose_server_died_before_its_record_is_swept_at_the_next_start(server, tmp_path) -> None:
    """SIGKILL between an upload and the job's record: the next start deletes the upload at once (a live
    server's folder of a moment ago is kept: its record is on the way)."""
    app = server()
    _, orphan = app.state.jobs.new_folder()
    (orphan / "in" / "名册.xlsx").write_bytes(b"roster of the children")
    _, fresh = app.state.jobs.new_folder()  # this process lives on: not its server's death
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (orphan / OWNER_FILE).write_text(f"{dead.stdout.strip()} 0", encoding="ascii")  # a server gone

    server()
    assert not orphan.exists()
    assert fresh.exists()


def test_serve_work_dir_is_where_the_jobs_are_kept(tmp_path, monkeypatch) -> None:
    started = []
    monkeypatch.setattr(web_app, "serve", lambda config, open_browser: started.append(config))
    result = CliRunner().invoke(cli_app, ["serve", "--no-browser", "--work-dir", str(tmp_path), "--keep", "90"])
    assert result.exit_code == 0, result.output
    [config] = started
    assert (config.work_dir, config.keep) == (tmp_path, 5400.0)
