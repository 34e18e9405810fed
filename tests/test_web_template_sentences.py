"""网页版 模板 as sentences: each paragraph its own box with chips 〔姓名〕 and its condition in words;
saving the boxes unchanged writes the file as shown, an edited box changes only its block, a problem
is named by its paragraph in Chinese and linked to its box; the file itself stays under 高级."""

from __future__ import annotations

import html
import re

import pymupdf
import pytest
import yaml
from web_helpers import csrf_of, page_client, sample_file

from kongchuo_docs.web.app import ServerConfig, create_app
from kongchuo_docs.web.notice import QUICK_PDF
from kongchuo_docs.wording.files import TEMPLATES_ENV, WORDING_FILES

REL = "letters/enrolment.yaml"
INDEX = list(WORDING_FILES).index(REL)
NEW = "孩子确因身体状况需要延缓入学的，请于报到前向学校书面申请。"


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.delenv(TEMPLATES_ENV, raising=False)  # load_profile sets it for this process: undone after
    text = sample_file("profile", "单位设置.yaml").read_text(encoding="utf-8")
    profile = tmp_path / "单位设置.yaml"
    profile.write_text(re.sub(r"(?m)^模板目录:.*$", "模板目录: 措辞模板", text), encoding="utf-8")
    (tmp_path / "措辞模板").mkdir()
    application = create_app(ServerConfig(work_dir=tmp_path / "jobs", profile=profile))
    with page_client(application) as client:
        yield client, tmp_path / "措辞模板"


def sentence_form(page: str) -> dict[str, str]:
    """The sentence form as the page shows it: the file it was read from and each paragraph's box."""
    form = re.search(r'<form [^>]*id="sentences">(.*?)</form>', page, re.S)[1]
    data = {"mode": "sentences", "base": html.unescape(re.search(r'name="base" value="([^"]*)"', form)[1])}
    data.update({name: html.unescape(text) for name, text in
                 re.findall(r'<textarea id="(s\d+)" name="s\d+" rows="\d+">(.*?)</textarea>', form, re.S)})  # fmt: skip
    return data


def _post(client, data: dict[str, str], action: str, index: int = INDEX):
    return client.post(f"/templates/{index}", data={**data, "action": action, "csrf": csrf_of(client)})


def _summary(page: str) -> list[tuple[str, str]]:
    box = re.search(r'id="error-summary".*?</ul>', page, re.S)
    return [(a, html.unescape(m)) for a, m in re.findall(r'<a href="#([^"]+)">(.*?)</a>', box[0], re.S)] if box else []


def _box(data: dict[str, str], contains: str) -> str:
    return next(key for key, value in data.items() if key.startswith("s") and contains in value)


def test_each_paragraph_is_a_box_with_chips_and_its_condition_in_words(site):
    client, _ = site
    page = client.get(f"/templates/{INDEX}").text
    data = sentence_form(page)
    assert len([k for k in data if k.startswith("s")]) >= 20
    phone = _box(data, "咨询电话：")
    assert data[phone] == "咨询电话：〔咨询电话〕。"
    shown = re.search(
        rf'<label for="{phone}">第 \d+ 段</label> <span class="place">([^<]*)</span> '
        r'<span class="condition">([^<]*)</span>',
        page,
    )
    assert shown.groups() == ("正文", "仅当有咨询电话时")  # where it is printed, and when
    assert "〔姓名〕" in data[_box(data, "您的孩子")] and "{{" not in "".join(v for k, v in data.items() if k != "base")
    assert '<button type="button" class="chip">〔咨询电话〕</button>' in page  # a chip to add
    assert re.search(r'<details id="advanced">\s*<summary>高级', page)  # the file itself, folded away
    assert '<textarea name="text" id="text"' in page


def test_saving_unchanged_writes_the_file_as_shown_and_an_edit_changes_only_its_block(site):
    client, folder = site
    data = sentence_form(client.get(f"/templates/{INDEX}").text)
    saved = _post(client, data, "save")
    assert saved.status_code == 200 and 'id="saved"' in saved.text
    target = folder / REL
    assert target.read_text(encoding="utf-8") == data["base"]  # no edit → the same file
    before = yaml.safe_load(data["base"])

    data = sentence_form(saved.text)  # the page after saving: the saved file's sentences
    box = _box(data, "延缓入学")
    data[box] = NEW
    saved = _post(client, data, "save")
    assert saved.status_code == 200 and 'id="saved"' in saved.text
    after = yaml.safe_load(target.read_text(encoding="utf-8"))
    index = next(i for i, b in enumerate(before["blocks"]) if "延缓入学" in b.get("text", ""))
    assert after["blocks"][index]["text"] == NEW
    after["blocks"][index]["text"] = before["blocks"][index]["text"]
    assert after == before
    assert sentence_form(client.get(f"/templates/{INDEX}").text)[box] == NEW  # shown again as saved


def test_a_typed_chip_is_saved_as_its_variable(site):
    client, folder = site
    index = list(WORDING_FILES).index("rectification/notice.yaml")
    data = sentence_form(client.get(f"/templates/{index}").text)
    box = _box(data, "检查组通过查阅资料")
    data[box] = "共发现问题〔问题数〕个，〔问题数〕个均须整改。"  # its chip once more: typed, not the original
    saved = _post(client, data, "save", index)
    assert saved.status_code == 200 and 'id="saved"' in saved.text, _summary(saved.text)
    overview = yaml.safe_load((folder / "rectification/notice.yaml").read_text(encoding="utf-8"))["overview"]
    assert overview == "共发现问题{{ count }}个，{{ count }}个均须整改。"


@pytest.mark.parametrize(("contains", "edit", "said"), [
    ("您的孩子", lambda t: t.replace("〔姓名〕", "{{ 姓名 }", 1), "花括号不成对"),
    ("您的孩子", lambda t: t + "〔银行卡号〕", "〔银行卡号〕不是可用的字段"),
    ("您的孩子", lambda t: t + "〔性别", "〔〕不成对"),
    ("所需材料", lambda t: t.replace("〔条件结束〕", "", 1), "条件没有结束"),
])  # fmt: skip
def test_a_refused_edit_names_its_paragraph_in_chinese_and_keeps_what_was_typed(site, contains, edit, said):
    client, folder = site
    data = sentence_form(client.get(f"/templates/{INDEX}").text)
    box = _box(data, contains)
    data[box] = edit(data[box])
    refused = _post(client, data, "save")
    assert refused.status_code == 422
    number = int(box[1:])
    problems = _summary(refused.text)
    assert problems and problems[0][0] == box and problems[0][1].startswith(f"第 {number} 段：{said}"), problems
    assert not re.search(r"blocks\[|[A-Za-z]{4,}", "".join(m for _, m in problems))  # no key path, no English
    assert sentence_form(refused.text)[box] == data[box]  # the box comes back as typed
    assert not (folder / REL).exists()


def test_a_letter_file_that_is_no_letter_kind_is_refused_at_save_by_paragraph(site):
    client, folder = site
    data = sentence_form(client.get(f"/templates/{INDEX}").text)
    data["s2"] = "../逃出"  # 第 2 段: the name of the output folder
    refused = _post(client, data, "save")
    assert refused.status_code == 422 and not (folder / REL).exists()
    assert _summary(refused.text)[0] == ("s2", "第 2 段：通知书模板格式错误：file_label 用作输出文件夹名：不能为空，"
                                               '不能含 \\ / : * ? " < > | 或以点开头结尾')  # fmt: skip
    page = client.get(f"/templates/{INDEX}").text
    raw = html.unescape(re.search(r'<textarea name="text" id="text"[^>]*>(.*?)</textarea>', page, re.S)[1])
    refused = _post(client, {"mode": "raw", "text": raw.replace("type: paragraph", "type: 段落", 1)}, "save")
    said = _summary(refused.text)[0][1]
    assert re.match(r"第 \d+ 行（第 \d+ 段）：通知书模板格式错误：只能是 'title'、'number'、", said), said


def test_the_file_itself_under_advanced_still_saves_and_says_its_line(site):
    client, folder = site
    page = client.get(f"/templates/{INDEX}").text
    text = html.unescape(re.search(r'<textarea name="text" id="text"[^>]*>(.*?)</textarea>', page, re.S)[1])
    bad = text.replace("{{ 监护人姓名 }}（", "{{ 监护人姓名 }（", 1)
    line = 1 + next(i for i, s in enumerate(bad.splitlines()) if "{{ 监护人姓名 }（" in s)
    refused = _post(client, {"mode": "raw", "text": bad}, "save")
    assert refused.status_code == 422
    assert _summary(refused.text)[0][0] == "text" and re.match(rf"第 {line} 行（第 \d+ 段）：花括号不成对",
                                                               _summary(refused.text)[0][1])  # fmt: skip
    assert re.search(r'<details id="advanced" open>', refused.text)
    saved = _post(client, {"mode": "raw", "text": text.replace("入学通知书", "入学通知书（本县）", 1)}, "save")
    assert saved.status_code == 200 and "入学通知书（本县）" in (folder / REL).read_text(encoding="utf-8")


def test_a_sentence_preview_draws_the_edited_paragraph(site):
    client, folder = site
    data = sentence_form(client.get(f"/templates/{INDEX}").text)
    data[_box(data, "延缓入学")] = NEW
    response = _post(client, data, "preview")
    assert response.status_code == 200, _summary(response.text)
    preview_id = re.search(r'src="/notice/preview/([^/]+)/1\.png"', response.text)[1]
    with pymupdf.open(client.app.state.previews[preview_id].folder / QUICK_PDF) as pdf:
        text = "".join(page.get_text() for page in pdf).replace("\n", "")
    assert NEW in text
    assert sentence_form(response.text)[_box(data, "延缓入学")] == NEW  # the page keeps the edit
    assert not (folder / REL).exists()  # a preview saves nothing


def test_a_letters_roster_header_is_taken_as_its_field_typed_as_a_chip_or_in_the_file(site):
    """A clerk types the roster's column header (〔入读学校〕) in a letter's paragraph: saved as its
    field (学校); the file itself under 高级 with {{ 户籍所在乡镇 }} is saved as written, not refused."""
    client, folder = site
    data = sentence_form(client.get(f"/templates/{INDEX}").text)
    data[_box(data, "延缓入学")] = "请到〔入读学校〕报到。"
    saved = _post(client, data, "save")
    assert saved.status_code == 200 and 'id="saved"' in saved.text, _summary(saved.text)
    assert "请到{{ 学校 }}报到。" in (folder / REL).read_text(encoding="utf-8")

    text = (folder / REL).read_text(encoding="utf-8").replace("请到{{ 学校 }}报到。", "户籍乡镇：{{户籍所在乡镇}}。")
    saved = client.post(f"/templates/{INDEX}", data={"text": text, "action": "save", "csrf": csrf_of(client)})
    assert saved.status_code == 200 and 'id="saved"' in saved.text, _summary(saved.text)
    assert (folder / REL).read_text(encoding="utf-8") == text

    data = sentence_form(saved.text)
    data[_box(data, "户籍乡镇")] = "请到〔就读学校〕报到。"  # neither a field nor a header: refused at its box
    refused = _post(client, data, "save")
    assert refused.status_code == 422 and any("〔就读学校〕不是可用的字段" in m for _, m in _summary(refused.text))
