"""Wording as sentences (`wording.sentences`): every bundled wording file read as numbered paragraphs
with Chinese chips and conditions in words, and written back unchanged; an edit changes exactly its
paragraph; problems name the paragraph in Chinese at the command line (``--templates``)."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kongchuo_docs.cli import app
from kongchuo_docs.files.resources import template_path
from kongchuo_docs.wording import files as wording
from kongchuo_docs.wording.files import WORDING_FILES, allowed_variables, annotated, documented_variables
from kongchuo_docs.wording.sentences import (
    SentenceProblem,
    chinese,
    condition_words,
    jinja_text,
    sentences,
    shown,
    variable_names,
    with_edits,
)

ENGLISH = re.compile(r"[A-Za-z_]")
NEW = "请家长带孩子提前一天到校熟悉环境。"


@pytest.fixture(autouse=True)
def _no_user_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(wording.TEMPLATES_ENV, "")
    monkeypatch.setenv(wording.TEMPLATES_BY_ENV, "")


def _allowed(rel: str) -> dict[str, set[str]]:
    documented = documented_variables(rel)
    return {s.key_path: allowed_variables(documented, s.key_path) for s in sentences(annotated(rel, ""), rel)}


@pytest.mark.parametrize("rel", list(WORDING_FILES))
@pytest.mark.parametrize("form", ["bundled", "exported"])
def test_every_wording_file_round_trips_through_its_sentences_unchanged(rel: str, form: str) -> None:
    source = template_path(rel).read_text(encoding="utf-8") if form == "bundled" else annotated(rel, "x")
    allowed = _allowed(rel)
    found = sentences(source, rel)
    assert len(found) >= 10
    back = {s.number: jinja_text(shown(s.text, rel), s.text, rel, allowed[s.key_path]) for s in found}
    assert back == {s.number: s.text for s in found}
    assert with_edits(source, back, rel) == source  # load → no edit → save: the same characters


@pytest.mark.parametrize("rel", list(WORDING_FILES))
def test_the_page_shows_chips_and_conditions_in_chinese_only(rel: str) -> None:
    for sentence in sentences(template_path(rel).read_text(encoding="utf-8"), rel):
        text = shown(sentence.text, rel)
        assert "{{" not in text and "{%" not in text, (sentence.number, text)
        for chip in re.findall(r"〔([^〕]*)〕", text):
            assert not ENGLISH.search(chip), (sentence.number, chip)
        assert sentence.condition is None or not ENGLISH.search(sentence.condition)
        assert sentence.place and not ENGLISH.search(re.sub("PDF|Excel", "", sentence.place))  # where it is printed


@pytest.mark.parametrize("rel", list(WORDING_FILES))
def test_each_variable_has_one_chinese_name_in_its_file(rel: str) -> None:
    used = set().union(*documented_variables(rel).values())
    names = [chinese(name, rel) for name in used]
    assert len(set(names)) == len(names)  # a typed 〔中文名〕 goes back to one variable
    assert not [n for n in names if ENGLISH.search(n)]
    assert set(variable_names(rel)) >= {n for n in used if ENGLISH.search(n)}


def test_conditions_are_said_in_words() -> None:
    rel = "letters/enrolment.yaml"
    found = {s.text: s for s in sentences(template_path(rel).read_text(encoding="utf-8"), rel)}
    assert found["咨询电话：{{ 咨询电话 }}。"].condition == "仅当有咨询电话时"
    assert found["编号：{{ 编号 }}"].condition == "仅当有显示编号且没有入学文号前缀时"
    assert condition_words("入学回执 and 入学回执样式 == '回执'", rel) == "仅当有入学回执且入学回执样式为“回执”时"
    assert condition_words("schools is not none", "report/self_check.yaml") == "仅当填写了学校数时"
    materials = next(s for s in found.values() if "所需材料" in s.text)
    said = "〔仅当有所需材料时：〕，并带齐以下材料：〔所需材料（用“、”连接）〕〔条件结束〕"
    assert said in shown(materials.text, rel)


def test_an_edited_sentence_changes_exactly_its_block() -> None:
    rel = "letters/enrolment.yaml"
    source = annotated(rel, "入学通知书")
    allowed = _allowed(rel)
    before = yaml.safe_load(source)
    for sentence in sentences(source, rel):
        if "延缓入学" in sentence.text or sentence.text == "咨询电话：{{ 咨询电话 }}。":
            typed = shown(sentence.text, rel).replace("咨询电话：", "联系电话：") if "咨询" in sentence.text else NEW
            edit = jinja_text(typed, sentence.text, rel, allowed[sentence.key_path])
            text = with_edits(source, {sentence.number: edit}, rel)
            after = yaml.safe_load(text)
            index = int(re.match(r"blocks\[(\d+)\]", sentence.key_path)[1])
            assert after["blocks"][index]["text"] == (NEW if "延缓" in sentence.text else "联系电话：{{ 咨询电话 }}。")
            after["blocks"][index]["text"] = before["blocks"][index]["text"]
            assert after == before  # nothing else changed …
            changed = [line for line in difflib.ndiff(source.splitlines(), text.splitlines()) if line[:1] in "+-"]
            assert len(changed) == 2, changed  # … and in the file only the lines of that value


def test_a_typed_chip_becomes_its_variable_and_an_unknown_one_is_named() -> None:
    rel = "rectification/notice.yaml"
    allowed = {"unit", "team", "you"}
    assert jinja_text("〔检查组〕对〔单位名称〕〔2026〕", "对", rel, allowed) == "{{ team }}对{{ unit }}〔2026〕"
    with pytest.raises(SentenceProblem, match="〔银行卡号〕不是可用的字段"):
        jinja_text("〔银行卡号〕", "", rel, allowed)
    with pytest.raises(SentenceProblem, match="〔〕不成对"):
        jinja_text("〔检查组", "", rel, allowed)


def _export_and_run(tmp_path: Path, rel: str, old: str, new: str) -> str:
    folder = tmp_path / "模板"
    assert CliRunner().invoke(app, ["templates", "export", str(folder)]).exit_code == 0
    path = folder / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = CliRunner().invoke(app, ["--templates", str(folder), "demo", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "out").exists()
    return result.output.replace("\n", "")


def _number(rel: str, contains: str) -> int:
    return next(s.number for s in sentences(annotated(rel, ""), rel) if contains in s.text)


@pytest.mark.parametrize(("rel", "old", "new", "said"), [
    ("letters/enrolment.yaml", "{{ 监护人姓名 }}（", "{{ 监护人姓名 }（", "花括号不成对"),
    ("letters/enrolment.yaml", "孩子因身体状况", "孩子{{ 银行卡号 }}因身体状况", "〔银行卡号〕不是可用的字段"),
    ("rectification/notice.yaml", "{{ team }}{%", "{{ 检查人 }}{%", "〔检查人〕不是可用的字段"),
    ("letters/enrolment.yaml", "{% endif %}。", "。", "条件没有结束"),
])  # fmt: skip
def test_the_command_line_names_the_paragraph_in_chinese(tmp_path: Path, rel: str, old: str, new: str,
                                                         said: str) -> None:  # fmt: skip
    output = _export_and_run(tmp_path, rel, old, new)
    number = _number(rel, old.split("{")[0] or old)
    assert f"{rel.split('/')[1]}:" in output and f"第 {number} 段: {said}" in output, output
    assert "blocks[" not in output and "unexpected" not in output and "Traceback" not in output


@pytest.mark.parametrize("kind", ["入学", "劝返", "责令"])
def test_a_letter_block_is_named_in_messages_by_the_paragraph_the_page_shows(kind: str) -> None:
    from kongchuo_docs.letters.spec import load_spec
    from kongchuo_docs.letters.spec_model import KIND_FILES

    rel = f"letters/{KIND_FILES[kind]}"
    spec = load_spec(kind)
    numbers = {s.key_path: s.number for s in sentences(template_path(rel).read_text(encoding="utf-8"), rel)}
    for i, block in enumerate(spec.blocks):
        first = f"blocks[{i}].{'issuer' if block.type == 'signature' else 'text'}"
        assert spec.block_label(i) == f"第 {numbers[first]} 段"


ODD = ["a: b", "#不是注释", "- 不是列表", "it's", '"引号"', " 前面有空格", "后面有空格 ", "两行\n文字", "行\u2028分隔",
       "{{ 姓名 }}", "", "\t制表符", "反斜杠 \\ 和 \\n"]  # fmt: skip


@pytest.mark.parametrize("text", ODD)
def test_any_typed_text_is_written_back_as_typed(text: str) -> None:
    rel = "rectification/notice.yaml"
    source = annotated(rel, "整改通知")
    found = sentences(source, rel)
    for key_path in ("opening", "team", "you.学校", "requirements[1].text", "list_columns[2]"):  # >-, plain, flow
        sentence = next(s for s in found if s.key_path == key_path)
        written = with_edits(source, {sentence.number: text}, rel)
        again = {s.key_path: s.text for s in sentences(written, rel)}
        assert again[key_path] == text
        assert again == {**{s.key_path: s.text for s in found}, key_path: text}  # nothing else moved
