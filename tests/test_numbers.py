"""The 发文登记簿 (issue 21 #4) on SQLite and PostgreSQL: numbers taken atomically per 代字 and year,
never given twice, voided numbers kept, gaps shown; `发文字号: 自动` at build; the export workbooks."""

from __future__ import annotations

import itertools
import multiprocessing
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pymupdf
import pytest
import yaml
from profiles import write_profile
from typer.testing import CliRunner

from kongchuo_docs.cli import app
from kongchuo_docs.errors import KongchuoError
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.model import Document
from kongchuo_docs.store.audit import Actor, command_line, entries
from kongchuo_docs.store.database import STORE_FILE, open_store
from kongchuo_docs.store.issuing import FAILED_RUN, Numbering, auto_number, genre_of
from kongchuo_docs.store.register import Issue, add_number, register_years, take_number, void_number
from kongchuo_docs.store.tables import STATUS_ISSUED, STATUS_VOID

_AREAS = itertools.count(110101)  # one county per test: the PostgreSQL database is shared by the session


@pytest.fixture
def area() -> str:
    return str(next(_AREAS))


def _sequences(url: str, area: str, prefix: str = "某教综", year: int = 2026) -> list[tuple[int, str]]:
    store = open_store(url, area)
    try:
        return [(e.sequence, e.status) for y in register_years(store, prefix=prefix, year=year) for e in y.entries]
    finally:
        store.close()


def test_numbers_run_per_prefix_and_year_and_a_voided_one_is_never_given_again(store_url: str, area: str) -> None:
    store = open_store(store_url, area)
    try:
        taken = [take_number(store, "某教综", 2026, Issue(title=f"通知{n}")).number for n in range(3)]
        assert taken == ["某教综〔2026〕1号", "某教综〔2026〕2号", "某教综〔2026〕3号"]
        assert take_number(store, "某教督", 2026, Issue()).number == "某教督〔2026〕1号"  # its own counter
        assert take_number(store, "某教综", 2027, Issue()).number == "某教综〔2027〕1号"  # a new year starts at 1
        void_number(store, "某教综〔2026〕3号", "标题写错")
        with pytest.raises(KongchuoError, match="已经作废"):
            void_number(store, "某教综〔2026〕3号", "再次")
        assert take_number(store, "某教综", 2026, Issue()).number == "某教综〔2026〕4号"
        [year] = register_years(store, prefix="某教综", year=2026)
        assert [(e.sequence, e.status, e.remark) for e in year.entries][2] == (3, STATUS_VOID, "标题写错")
        assert year.gaps == []
    finally:
        store.close()


def test_a_number_from_the_paper_register_moves_the_counter_and_leaves_gaps(store_url: str, area: str) -> None:
    store = open_store(store_url, area)
    try:
        take_number(store, "某教综", 2026, Issue())
        add_number(store, "某教综", 2026, 5, Issue(title="手工编号的通知"))
        assert take_number(store, "某教综", 2026, Issue()).number == "某教综〔2026〕6号"
        with pytest.raises(KongchuoError, match="不能重复登记"):
            add_number(store, "某教综", 2026, 6, Issue())
        add_number(store, "某教综", 2026, 3, Issue())  # filling a gap by hand is allowed
        [year] = register_years(store, prefix="某教综", year=2026)
        assert year.gaps == [2, 4]
    finally:
        store.close()


def test_counties_on_one_server_are_kept_apart(store_url: str) -> None:
    first, second = str(next(_AREAS)), str(next(_AREAS))
    for area in (first, second):
        store = open_store(store_url, area)
        try:
            assert take_number(store, "某教综", 2026, Issue()).number == "某教综〔2026〕1号"
        finally:
            store.close()
    assert _sequences(store_url, first) == [(1, "取号")]


def _take_many(url: str, area: str, count: int, queue: multiprocessing.Queue) -> None:
    store = open_store(url, area)
    try:
        queue.put([take_number(store, "某教综", 2026, Issue()).sequence for _ in range(count)])
    finally:
        store.close()


def test_two_processes_taking_numbers_at_once_get_distinct_consecutive_numbers(store_url: str, area: str) -> None:
    open_store(store_url, area).close()  # the schema exists before the race (its creation is tested below)
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [context.Process(target=_take_many, args=(store_url, area, 15, queue)) for _ in range(2)]
    for worker in workers:
        worker.start()
    got = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    assert sorted(got[0] + got[1]) == list(range(1, 31))
    assert all(a < b for run in got for a, b in itertools.pairwise(run))  # each run's own numbers ascend


def test_two_processes_opening_a_new_database_at_once_both_work(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    script = ("import sys; from kongchuo_docs.store.database import open_store; "
              "from kongchuo_docs.store.register import Issue, take_number; "
              "s = open_store(sys.argv[1], '350000'); print(take_number(s, '某教综', 2026, Issue()).sequence)")
    runs = [subprocess.Popen([sys.executable, "-c", script, url], stdout=subprocess.PIPE, text=True) for _ in range(2)]
    assert sorted(int(run.communicate(timeout=120)[0]) for run in runs) == [1, 2]


def test_auto_spellings_and_genres() -> None:
    assert auto_number("自动") == "自动" and auto_number(" 自动取号 ") == "自动"
    assert auto_number("某教督〔自动〕") == "某教督〔自动〕" and auto_number("某教督〔 自动 〕号") == "某教督〔自动〕"
    assert auto_number("某教综〔2026〕3号") is None
    assert genre_of("关于开展控辍保学专项督查的通知") == "通知" and genre_of("关于某事的请示") == "请示"
    assert genre_of("控辍保学工作总结") == ""


def _notice(folder: Path, number: str = "自动", date: str = "2026年3月2日") -> Path:
    data = yaml.safe_load(sample_path("notice", "letter-notice.yaml").read_text(encoding="utf-8"))
    data["发文字号"] = number
    data["成文日期"] = date
    path = folder / "通知.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _pdf_text(path: Path) -> str:
    with pymupdf.open(path) as doc:
        return "".join(page.get_text() for page in doc).replace(" ", "").replace("\n", "")


def test_build_takes_the_next_number_as_it_writes_and_the_register_learns_the_pages(tmp_path: Path) -> None:
    profile = write_profile(tmp_path / "县")
    source = _notice(tmp_path)
    for run in ("一", "二"):
        result = CliRunner().invoke(app, ["build", str(source), "-o", str(tmp_path / run), "--settings", str(profile),
                                          "--format", "pdf"])  # fmt: skip
        assert result.exit_code == 0, result.output
    assert "罗教综〔2026〕1号" in _pdf_text(tmp_path / "一" / "通知.pdf")
    assert "罗教综〔2026〕2号" in _pdf_text(tmp_path / "二" / "通知.pdf")
    assert (profile.parent / STORE_FILE).is_file()  # the store sits beside the 单位设置
    store = open_store(f"sqlite:///{profile.parent / STORE_FILE}", "350123")
    try:
        [year] = register_years(store, year=2026)
    finally:
        store.close()
    with pymupdf.open(tmp_path / "一" / "通知.pdf") as doc:
        pages = doc.page_count
    assert [(e.number, e.status, e.pages) for e in year.entries] == [
        ("罗教综〔2026〕1号", STATUS_ISSUED, pages), ("罗教综〔2026〕2号", STATUS_ISSUED, pages)]
    assert year.entries[0].genre == "函"  # …劝返复学工作的函


def test_check_takes_no_number_and_a_failed_write_voids_the_one_it_took(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    profile = write_profile(tmp_path / "县")
    source = _notice(tmp_path, "罗教督〔自动〕")
    assert CliRunner().invoke(app, ["check", str(source)]).exit_code in (0, 1)
    assert not (profile.parent / STORE_FILE).exists()  # checking never takes a number

    def broken(*_args: object, **_kwargs: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kongchuo_docs.writers.pdf_writer.write_pdf", broken)
    result = CliRunner().invoke(app, ["build", str(source), "-o", str(tmp_path / "坏"), "--settings", str(profile),
                                      "--format", "pdf"])  # fmt: skip
    assert result.exit_code != 0
    assert not (tmp_path / "坏" / "通知.pdf").exists()
    url = f"sqlite:///{profile.parent / STORE_FILE}"
    assert _sequences(url, "350123", "罗教督") == [(1, STATUS_VOID)]
    monkeypatch.undo()
    result = CliRunner().invoke(app, ["build", str(source), "-o", str(tmp_path / "好"), "--settings", str(profile),
                                      "--format", "pdf"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "罗教督〔2026〕2号" in _pdf_text(tmp_path / "好" / "通知.pdf")  # the voided 1 is not given again


def test_numbers_taken_and_voided_for_an_actor_go_to_the_log(tmp_path: Path) -> None:
    """The page's 写通知 numbers with its account: the one written is logged as taken, the one of a
    failed write as voided (the register's 作废 reason as its outcome)."""
    profile = write_profile(tmp_path / "县")
    doc = Document(title="关于甲的通知", doc_number="罗教督〔自动〕", date=date(2026, 3, 2), issuers=["罗源县教育局"])
    clerk = Actor("jyj", "教育局", "罗源县教育局")
    with Numbering(profile, None, clerk) as numbering:
        numbering.assign(doc)
    with pytest.raises(OSError), Numbering(profile, None, clerk) as numbering:
        numbering.assign(doc)
        raise OSError(28, "No space left on device")
    with Numbering(profile) as numbering:  # the command line's build: no actor, nothing logged
        numbering.assign(doc)
    store = open_store(f"sqlite:///{profile.parent / STORE_FILE}", "350123")
    try:
        logged = [(e.account, e.action, e.counts, e.outcome) for e in reversed(entries(store))]
    finally:
        store.close()
    assert logged == [("jyj", "取发文字号", "罗教督〔2026〕1号", "成功"),
                      ("jyj", "作废发文字号", "罗教督〔2026〕2号", FAILED_RUN)]  # fmt: skip


def test_numbers_commands_list_void_add_and_export(tmp_path: Path) -> None:
    profile = write_profile(tmp_path / "县")
    url = f"sqlite:///{profile.parent / STORE_FILE}"
    store = open_store(url, "350123")
    try:
        for title in ("关于甲的通知", "关于乙的通知"):
            take_number(store, "罗教综", 2026, Issue(title=title, issuer="罗源县教育局"))
    finally:
        store.close()
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(app, ["numbers", *args, "--settings", str(profile)])
        assert result.exit_code == 0, result.output
        return result.output

    run("void", "罗教综[2026]第2号", "--reason", "重复发文")
    run("add", "罗教综〔2026〕5号", "--title", "关于丙的请示", "--date", "2026-03-02")
    listed = run("list", "--year", "2026")
    assert "罗教综〔2026〕2号\t作废" in listed and "缺号：3、4" in listed
    refused = runner.invoke(app, ["numbers", "void", "罗教综〔2026〕9号", "--reason", "x", "--settings", str(profile)])
    assert refused.exit_code == 2 and "发文登记簿中没有 罗教综〔2026〕9号" in refused.output
    run("export", "-o", str(tmp_path / "导出"), "--fonds", "Z012", "--year", "2026")
    register = openpyxl.load_workbook(tmp_path / "导出" / "发文登记簿.xlsx").worksheets[0]
    rows = [[c.value for c in row] for row in register.iter_rows(min_row=4) if row[0].value is not None]
    assert [(r[0], r[1], r[14]) for r in rows[:5]] == [
        (1, "罗教综〔2026〕1号", "取号"), (2, "罗教综〔2026〕2号", "作废"), (3, "罗教综〔2026〕3号", "缺号"),
        (4, "罗教综〔2026〕4号", "缺号"), (5, "罗教综〔2026〕5号", "已发文")]  # fmt: skip
    catalogue = openpyxl.load_workbook(tmp_path / "导出" / "归档文件目录.xlsx").worksheets[0]
    [item] = [[c.value for c in row] for row in catalogue.iter_rows(min_row=4) if row[2].value]
    assert item[1:6] == ["Z012-2026-Y-0001", "罗教综〔2026〕5号", "罗源县教育局", "关于丙的请示", "20260302"]
    store = open_store(url, "350123")
    try:
        logged = [(e.account, e.action, e.task, e.counts, e.files) for e in reversed(entries(store))]
    finally:
        store.close()
    cli = command_line().name
    assert cli.startswith("命令行：") and len(cli) > len("命令行：")
    assert logged == [(cli, "作废发文字号", "", "罗教综〔2026〕2号（原因：重复发文）", ""),
                      (cli, "补登发文字号", "关于丙的请示", "罗教综〔2026〕5号", ""),
                      (cli, "导出发文登记簿", "", "2026年", "发文登记簿.xlsx、归档文件目录.xlsx")]  # fmt: skip
