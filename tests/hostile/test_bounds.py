"""Bounded everywhere (issue 18 #1, #2): YAML alias bombs, templates that build huge values or numbers,
and the limited worker that checks a user's templates — refused fast, located, exit 2."""

from __future__ import annotations

import errno
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docx import Document as WordDocument

from kongchuo_docs.errors import InputError, os_error_message
from kongchuo_docs.files.resources import sample_path, template_path
from kongchuo_docs.kinds.sample_roster import generate_rows, write_sample_roster
from kongchuo_docs.model.limits import YAML_ALIAS_EXPANSION
from kongchuo_docs.profile import load_profile
from kongchuo_docs.support.yaml_load import safe_load
from kongchuo_docs.wording import limited, sandbox

from .conftest import nothing_written

MEMORY_LIMIT = 1536 * 2**20  # bytes of address space for a CLI run under test (it needs ~400 MB)


def _alias_bomb(first_line: str = "标题: 关于做好控辍保学工作的通知") -> str:
    """1.5 KB of YAML whose aliases expand to 9**12 lists (billions of items) if followed."""
    lines = [first_line, 'a0: &a0 ["控辍保学控辍保学控辍保学控辍保学控辍保学"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 13)]
    return "\n".join(lines) + "\n"


def _limited_run(args: list[str], cwd: Path | None = None) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run the CLI under a memory limit; the result and the CPU seconds it used (user + system)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run([sys.executable, "-m", "kongchuo_docs", *args], capture_output=True, text=True,
                            timeout=120, preexec_fn=limit, cwd=cwd,
                            env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"})  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return result, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def test_alias_bomb_is_small() -> None:
    assert len(_alias_bomb().encode()) < 1600


@pytest.mark.parametrize("command", ["build", "check"])
def test_alias_bomb_refused_fast_under_a_memory_limit(tmp_path: Path, command: str) -> None:
    bomb = tmp_path / "通知.yaml"
    bomb.write_text(_alias_bomb(), encoding="utf-8")
    args = [command, str(bomb)] + (["-o", str(tmp_path / "out")] if command == "build" else [])
    result, cpu = _limited_run(args)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "通知.yaml:" in result.stderr + result.stdout and "别名“*a" in result.stderr + result.stdout
    assert cpu < 5, cpu  # CPU seconds: the wall time also holds the shared machine's other work
    assert nothing_written(tmp_path / "out")


def test_alias_bomb_in_the_profile_refused_at_its_alias(tmp_path: Path) -> None:
    profile = tmp_path / "单位设置.yaml"
    profile.write_text(_alias_bomb("县: 某某县"), encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(InputError) as caught:
        load_profile(profile)
    assert time.perf_counter() - start < 5
    problem = caught.value.problems[0]
    assert problem.location.file == "单位设置.yaml" and problem.location.line is not None
    assert "别名" in problem.message and str(YAML_ALIAS_EXPANSION) in problem.message


def test_alias_bomb_in_a_wording_file_refused_at_the_cli(tmp_path: Path, run) -> None:
    folder = tmp_path / "模板"
    (folder / "letters").mkdir(parents=True)
    text = template_path("letters", "return.yaml").read_text(encoding="utf-8")
    (folder / "letters" / "return.yaml").write_text(text + _alias_bomb("x_bomb: 1"), encoding="utf-8")
    run(["--templates", str(folder), "version"]).refused("return.yaml:", "别名")


def test_an_alias_that_repeats_its_own_container_is_refused() -> None:
    with pytest.raises(Exception) as caught:
        safe_load("a: &a [1, *a]\n")
    assert "自身" in str(caught.value)


def test_a_few_honest_aliases_still_load() -> None:
    data = safe_load("base: &base {县: 某某县, 学年: 2026}\nschool: {<<: *base, 名称: 实验小学}\n")
    assert data["school"] == {"县": "某某县", "学年": 2026, "名称": "实验小学"}


BIG_VALUES = {
    "replace": "{{ (('x' * 10000) | replace('x', 'x' * 10000)) | length }}",
    "replace_method": "{{ ('x' * 10000).replace('x', 'x' * 10000) | length }}",
    "center": "{{ 'x' | center(100000000) }}",
    "format": "{{ '%0100000000d' | format(1) }}",
    "percent": "{{ '%.100000000f' % 1.5 }}",
    "power_tower": "{{ (((9 ** 64) ** 64) ** 64) ** 64 }}",
    "big_product": "{{ (10 ** 900) * (10 ** 900) }}",
    "indent": "{{ ('x\\n' * 5000) | indent(100000) }}",
    "join": "{{ (['a'] * 10000) | join('y' * 10000) }}",
    "concat_doubling": "{% set a = 'x' * 10000 %}" + "{% set a = a ~ a %}" * 30 + "{{ a | length }}",
    "set_block_doubling": "{% set a = 'x' * 10000 %}" + "{% set a %}{{ a }}{{ a }}{% endset %}" * 30 + "{{ a }}",
    "macro_doubling": "{% macro m(s) %}{{ s }}{{ s }}{% endmacro %}{% set a = 'x' * 10000 %}"
    + "{% set a = m(a) %}" * 30 + "{{ a | length }}",
    "nested_lists": "{% set a = [1] %}" + "{% set a = [a, a] %}" * 40 + "{{ a }}",
    "nested_compare": "{% set a = (1,) %}{% set b = (1,) %}" + "{% set a = (a, a) %}{% set b = (b, b) %}" * 40
    + "{{ a == b }}",
}


@pytest.mark.parametrize("name", sorted(BIG_VALUES))
def test_templates_that_build_huge_values_are_refused_fast(name: str) -> None:
    template = sandbox.environment(autoescape=False).from_string(BIG_VALUES[name])
    start = time.process_time()
    with pytest.raises(InputError) as caught:
        sandbox.render(template, {}, where="措辞.yaml", line=7, field="正文")
    assert time.process_time() - start < 2
    assert str(caught.value).startswith("措辞.yaml:7 正文: 模板超出限制")


def test_ordinary_templates_still_render() -> None:
    source = ("{{ 姓名 }}（{{ 性别 | replace('男', '男生') }}）{{ '%s年' % 学年 }} {{ (姓名 ~ '!') | center(8) }} "
              "{{ [1, 2] | join('、') }} {{ 2 ** 10 }} {% if 姓名 in ['张三'] %}是{% endif %}"
              "{% set 落款 %}{{ 姓名 }}{% endset %}{{ 落款 }}{% for a, b in [(1, 2)] %}{{ a + b }}{% endfor %}")
    template = sandbox.environment(autoescape=False).from_string(source)
    out = sandbox.render(template, {"姓名": "张三", "性别": "男", "学年": 2026}, where="t.yaml")
    assert out == "张三（男生）2026年   张三!    1、2 1024 是张三3"


def _wording_folder(tmp_path: Path, expression: str) -> Path:
    """A wording folder whose return letter's 编号 line also computes `expression`."""
    folder = tmp_path / "模板"
    (folder / "letters").mkdir(parents=True)
    text = template_path("letters", "return.yaml").read_text(encoding="utf-8")
    assert 'text: "编号：{{ 编号 }}"' in text
    text = text.replace('text: "编号：{{ 编号 }}"', f"text: {json.dumps(expression, ensure_ascii=False)}")
    (folder / "letters" / "return.yaml").write_text(text, encoding="utf-8")
    return folder


CLI_TEMPLATES = {
    "replace": "{{ (('x' * 10000) | replace('x', 'x' * 10000)) | length }}",
    "center": "{{ 'x' | center(100000000) }}",
    "format": "{{ '%0100000000d' | format(1) }}",
    "power": "{{ (((9 ** 64) ** 64) ** 64) ** 64 }}",
    "percent": "{{ '%.100000000f' % 1.5 }}",
}


@pytest.mark.parametrize("name", sorted(CLI_TEMPLATES))
def test_template_bombs_refused_at_the_cli(tmp_path: Path, run, name: str) -> None:
    folder = _wording_folder(tmp_path, "编号：" + CLI_TEMPLATES[name])
    line = next(n for n, text in enumerate((folder / "letters" / "return.yaml").read_text().splitlines(), 1)
                if "编号：" in text)  # fmt: skip
    roster = tmp_path / "名册.xlsx"
    write_sample_roster(roster, generate_rows(3, invalid=0, seed=5))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.process_time()
    result = run(["--templates", str(folder), "letters", str(roster), "--kind", "劝返", "-o", str(tmp_path / "out")])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result.refused(f"return.yaml:{line}", "模板超出限制")
    cpu = time.process_time() - start + (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert cpu < 2, cpu  # this process and its check worker, CPU seconds
    assert nothing_written(tmp_path / "out")


def test_word_template_bomb_refused_in_a_letters_run(tmp_path: Path, run) -> None:
    doc = WordDocument()
    doc.add_paragraph("入学通知书")
    doc.add_paragraph("{{ 姓名 }}{{ (('x' * 10000) | replace('x', 'x' * 10000)) | length }}")
    doc.save(tmp_path / "模板.docx")
    roster = tmp_path / "名册.xlsx"
    write_sample_roster(roster, generate_rows(3, invalid=0, seed=5))
    start = time.process_time()
    run(["letters", str(roster), "--template", str(tmp_path / "模板.docx"), "-o", str(tmp_path / "out")]).refused(
        "模板.docx", "模板超出限制")
    assert time.process_time() - start < 2
    assert nothing_written(tmp_path / "out")


def test_worker_past_its_memory_limit_is_stopped_with_a_message() -> None:
    with pytest.raises(InputError) as caught:
        limited.run_limited("builtins:bytearray", 4 * 2**30, what="模板检查")
    assert "模板检查超出上限" in str(caught.value)


def test_worker_past_its_wall_time_is_stopped_with_a_message(monkeypatch) -> None:
    monkeypatch.setattr(limited, "TRIAL_WALL_SECONDS", 1)
    start = time.monotonic()
    with pytest.raises(InputError) as caught:
        limited.run_limited("time:sleep", 60, what="模板检查")
    assert time.monotonic() - start < 30
    assert "超过 1 秒仍未完成" in str(caught.value)


def test_worker_passes_results_and_input_errors_back(tmp_path: Path) -> None:
    assert limited.run_limited("os.path:basename", "/a/b.txt", what="检查") == "b.txt"
    with pytest.raises(InputError) as caught:
        limited.run_limited("kongchuo_docs.profile:load_profile", tmp_path / "缺少.yaml", what="检查")
    assert "缺少.yaml" in str(caught.value)


def test_sample_profile_still_loads() -> None:
    assert load_profile(sample_path("profile", "单位设置.yaml")) is not None


def test_a_huge_name_cell_is_refused_at_its_cell(tmp_path: Path, run) -> None:
    from openpyxl import load_workbook

    roster = tmp_path / "名册.xlsx"
    write_sample_roster(roster, generate_rows(4, invalid=0, seed=5))
    book = load_workbook(roster)
    sheet = book.worksheets[0]
    header = next(cell for row in sheet.iter_rows(max_row=10) for cell in row if cell.value == "姓名")
    target = sheet.cell(row=header.row + 2, column=header.column)
    target.value = "张" * 30_000  # openpyxl keeps at most 32 767 (Excel's own cell limit)
    book.save(roster)
    result = run(["letters", str(roster), "-o", str(tmp_path / "out")])
    result.refused(f"名册.xlsx!{sheet.title}!{target.coordinate}", "内容过长：30000 个字，此栏最多 100 个字")
    assert "张" * 100 not in result.output  # the value is quoted cut, never whole
    assert nothing_written(tmp_path / "out")


def test_a_huge_profile_value_is_refused_at_its_line(tmp_path: Path) -> None:
    text = sample_path("profile", "单位设置.yaml").read_text(encoding="utf-8")
    number, line = next((n, line) for n, line in enumerate(text.splitlines(), 1) if line.startswith("县:"))
    profile = tmp_path / "单位设置.yaml"
    profile.write_text(text.replace(line, "县: " + "某" * 1_000_000), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_profile(profile)
    assert f"单位设置.yaml:{number} 县: 内容过长：1000000 个字" in str(caught.value)


def test_a_huge_value_in_a_yaml_record_is_refused_at_its_line(tmp_path: Path, run) -> None:
    text = sample_path("cycle", "责任书名单.yaml").read_text(encoding="utf-8")
    number, line = next((n, line) for n, line in enumerate(text.splitlines(), 1) if line.startswith("依据文号:"))
    names = tmp_path / "责任书名单.yaml"
    names.write_text(text.replace(line, "依据文号: " + "文" * 300_000), encoding="utf-8")
    run(["agreements", str(names), "-o", str(tmp_path / "out")]).refused(f"责任书名单.yaml:{number}", "内容过长")
    assert nothing_written(tmp_path / "out")


def test_os_error_message_finds_a_full_disk_through_wrapping() -> None:
    full = OSError(errno.ENOSPC, "No space left on device", "/tmp/x/通知.pdf")
    assert os_error_message(full) == "磁盘空间不足：/tmp/x/通知.pdf"
    try:
        try:
            raise full
        except OSError as exc:
            raise RuntimeError("a library's own error") from exc
    except RuntimeError as wrapped:
        assert os_error_message(wrapped) == "磁盘空间不足：/tmp/x/通知.pdf"
    assert os_error_message(ValueError("x")) is None
    assert os_error_message(OSError(errno.ENOENT, "No such file")) is None


def test_a_full_disk_inside_a_library_error_is_said_in_chinese(tmp_path: Path, monkeypatch, run) -> None:
    from kongchuo_docs.files import output

    def full_disk(*args: object, **kwargs: object) -> None:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as exc:
            raise RuntimeError("write failed") from exc

    monkeypatch.setattr(output.os, "replace", full_disk)
    out = tmp_path / "out"
    result = run(["build", str(sample_path("notice", "seed-notice.yaml")), "-o", str(out), "--format", "docx"])
    result.refused("磁盘空间不足")
    assert "内部错误" not in result.output and "No space" not in result.output
    assert nothing_written(out)


def test_libreoffice_failures_are_said_in_chinese(tmp_path: Path, monkeypatch) -> None:
    from kongchuo_docs.errors import EnvironmentProblem
    from kongchuo_docs.system import libreoffice

    english = "Error: source file could not be loaded\nLibreOffice: general I/O error"
    monkeypatch.setattr(libreoffice, "soffice_path", lambda: Path("/usr/bin/soffice"))
    monkeypatch.setattr(libreoffice.subprocess, "run",
                        lambda *a, **k: subprocess.CompletedProcess(a, 1, stdout="", stderr=english))  # fmt: skip
    draft = tmp_path / "草稿.doc"
    draft.write_bytes(b"\xd0\xcf\x11\xe0 damaged")
    with pytest.raises(InputError) as caught:
        libreoffice.convert_to_docx(draft, tmp_path / "work")
    text = str(caught.value)
    assert text.startswith("草稿.doc: LibreOffice 无法读取这个文件") and "Error" not in text
    docx = tmp_path / "通知.docx"
    docx.write_bytes(b"PK")
    monkeypatch.setattr(libreoffice, "resolve_fonts", lambda: _FakeFonts())
    monkeypatch.setattr(libreoffice, "cache_dir", lambda: tmp_path / "cache")
    with pytest.raises(EnvironmentProblem) as failed:
        libreoffice.render_docx_to_pdf(docx, tmp_path / "pdf")
    assert "未能把 通知.docx 转为 PDF" in str(failed.value) and "Error" not in str(failed.value)


class _FakeFonts:
    """Just enough of `fonts.FontSet` for `render_docx_to_pdf` to reach LibreOffice."""

    def fontconfig_xml(self) -> str:
        return "<fontconfig/>"

    def write_fontconfig(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.fontconfig_xml(), encoding="utf-8")
        return path


def _two_school_rows(schools: list[str]):
    rows = generate_rows(2 * len(schools), invalid=0, seed=5)
    for index, row in enumerate(rows):
        row.values["入读学校"] = schools[index // 2]
    return rows


def test_force_with_another_roster_removes_the_earlier_rosters_files(tmp_path: Path, run) -> None:
    import json as json_module

    first, second = tmp_path / "名册一.xlsx", tmp_path / "名册二.xlsx"
    write_sample_roster(first, _two_school_rows(["甲校", "乙校"]))
    write_sample_roster(second, _two_school_rows(["甲校"]))
    out = tmp_path / "out"
    assert run(["letters", str(first), "-o", str(out)]).code == 0
    assert (out / "入学通知书" / "乙校.pdf").is_file()
    result = run(["letters", str(second), "-o", str(out), "--force"])
    assert result.code == 0, result.output
    assert "已删除上次由其他输入文件生成" in result.output and "乙校.pdf" in result.output
    assert "已保留未删除" not in result.output
    assert sorted(p.name for p in (out / "入学通知书").iterdir()) == ["甲校.docx", "甲校.pdf"]
    manifest = json_module.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {Path(entry["source"]).name for entry in manifest["files"]} == {"名册二.xlsx"}


def test_force_with_another_notice_keeps_the_first_notice(tmp_path: Path, run) -> None:
    out = tmp_path / "out"
    seed = sample_path("notice", "seed-notice.yaml")
    other = tmp_path / "另一份.yaml"
    other.write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    assert run(["build", str(seed), "-o", str(out), "--format", "docx"]).code == 0
    assert run(["build", str(other), "-o", str(out), "--format", "docx", "--force"]).code == 0
    assert sorted(p.name for p in out.glob("*.docx")) == sorted(["另一份.docx", "seed-notice.docx"])


@pytest.mark.parametrize("after", [0.2, 2.5])
def test_ctrl_c_with_jobs_is_one_line_and_leaves_nothing(tmp_path: Path, after: float) -> None:
    """Ctrl+C as a terminal sends it — SIGINT to every process of the run — while the workers start
    (0.2 s after the first appeared) and while they render: exit 130, one Chinese line, no worker
    traceback, nothing written, no process left."""
    roster = tmp_path / "名册.xlsx"
    write_sample_roster(roster, generate_rows(12000, invalid=0, seed=2))  # still rendering 2.5 s in (letters got fast)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "kongchuo_docs", "letters", str(roster), "-o", str(out), "--jobs", "2"]
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True, env=env)  # fmt: skip

    def children() -> list[str]:
        return subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()

    deadline = time.monotonic() + 120
    while len(children()) < 2 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(after)
    assert process.poll() is None, "the run ended before Ctrl+C could be sent"
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)  # times out if a worker outlives the run (holding stderr)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert stderr.splitlines()[-1] == "已中断，未写出任何文件。" and stderr.count("已中断") == 1, stderr
    assert all(line.startswith(("警告", "已中断")) for line in stderr.splitlines() if line.strip()), stderr
    assert nothing_written(out) and not list(out.glob(".kongchuo-*"))
    time.sleep(0.5)
    assert children() == []


@pytest.mark.parametrize("name", ["replace", "power"])
def test_template_bombs_refused_at_the_templates_page(web_client, name: str) -> None:
    from web_helpers import csrf_of

    from kongchuo_docs.wording.files import WORDING_FILES

    index = list(WORDING_FILES).index("letters/return.yaml")
    text = template_path("letters", "return.yaml").read_text(encoding="utf-8")
    text = text.replace('text: "编号：{{ 编号 }}"', "text: " + json.dumps("编号：" + CLI_TEMPLATES[name]))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.process_time()
    response = web_client.post(f"/templates/{index}", data={"text": text, "action": "preview",
                                                           "csrf": csrf_of(web_client)})  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert response.status_code == 422, response.text
    assert "模板超出限制" in response.text and "letters/return.yaml" in response.text
    cpu = time.process_time() - start + (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert cpu < 2, cpu  # the server's process and the check's worker, CPU seconds


def test_a_text_option_past_its_budget_is_refused_at_both_doors(tmp_path: Path, web_client) -> None:
    """A task's text option (a 填报单位, 文号, 时段) is held to `SHORT_CELL_MAX_CHARS` by its declaration:
    the command exits 2 naming the option, the page says it on its form (no job); nothing written."""
    from typer.testing import CliRunner
    from web_helpers import csrf_of

    from kongchuo_docs.cli import app
    from kongchuo_docs.model.limits import SHORT_CELL_MAX_CHARS

    clues = sample_path("register", "问题线索.yaml")
    unit = "某" * (SHORT_CELL_MAX_CHARS * 200)
    result = CliRunner().invoke(app, ["register", "build", str(clues), "-o", str(tmp_path / "out"), "--unit", unit])
    assert result.exit_code == 2, result.output
    assert "--unit（填报单位）" in result.output and f"此栏最多 {SHORT_CELL_MAX_CHARS} 个字" in result.output
    assert unit not in result.output and nothing_written(tmp_path / "out")
    page = web_client.post("/batch/register-build", data={"csrf": csrf_of(web_client), "unit": unit},
                           files={"clues": (clues.name, clues.read_bytes())})
    assert page.status_code == 400 and f"此栏最多 {SHORT_CELL_MAX_CHARS} 个字" in page.text  # the form again
    assert f"{unit[:10]}…" in page.text  # the message names the value by its start
