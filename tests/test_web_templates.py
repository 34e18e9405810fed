"""网页版 模板 预览: the edited wording drawn for one sample record by the kinds' own code, shown as
the notice preview's page images; checked first, and never written into the 模板目录."""

from __future__ import annotations

import html
import re

import pymupdf
import pytest
from fastapi.testclient import TestClient
from web_helpers import csrf_of, page_client, sample_file, sample_profile

from kongchuo_docs.web.app import ServerConfig, create_app
from kongchuo_docs.web.notice import QUICK_PDF
from kongchuo_docs.wording.files import TEMPLATES_ENV, WORDING_FILES

MARK = "预览专用措辞甲乙丙"


def _default_text(client: TestClient, index: int) -> str:
    page = client.get(f"/templates/{index}").text
    return html.unescape(re.search(r'<textarea name="text"[^>]*>(.*?)</textarea>', page, re.S)[1])


def _preview(client: TestClient, rel: str, edit) -> tuple[object, str]:  # type: ignore[no-untyped-def]
    index = list(WORDING_FILES).index(rel)
    text = edit(_default_text(client, index))
    response = client.post(f"/templates/{index}", data={"text": text, "action": "preview", "csrf": csrf_of(client)})
    return response, text


def _pdf_text(client: TestClient, response) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    preview_id = re.search(r'src="/notice/preview/([^/]+)/1\.png"', response.text)[1]
    preview = client.app.state.previews[preview_id]
    with pymupdf.open(preview.folder / QUICK_PDF) as pdf:
        return pdf.page_count, "".join(page.get_text() for page in pdf).replace("\n", "")


@pytest.mark.parametrize(("rel", "line"), [
    ("letters/enrolment.yaml", r"( *text: )入学通知书"),  # the printed title block
    ("rectification/notice.yaml", r"(team: ).*"),
    ("agreement/school-subject-teacher.yaml", r"(title: ).*"),  # a level the sample list has no row of
    ("report/self_check.yaml", None),
    ("summary/summary.yaml", None),
])  # fmt: skip
def test_preview_draws_the_edited_wording_for_one_sample_record(web_client, rel, line):
    def edit(text: str) -> str:
        if line is None:
            return text
        edited, count = re.subn(rf"(?m)^{line}$", rf"\g<1>{MARK}", text, count=1)
        assert count == 1
        return edited

    response, _ = _preview(web_client, rel, edit)
    assert response.status_code == 200, response.text
    images = re.findall(r'src="(/notice/preview/[^"]+\.png)"', response.text)
    pages, text = _pdf_text(web_client, response)
    assert len(images) == pages >= 1
    if line is not None:
        assert MARK in text
    png = web_client.get(images[0])
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert page_client(web_client.app).get(images[0]).status_code == 404  # another session never sees it


def test_a_letter_preview_is_one_child_of_the_profiles_county(web_client):
    response, _ = _preview(web_client, "letters/enrolment.yaml", lambda t: t)
    _, text = _pdf_text(web_client, response)
    assert text.count("沿虚线剪下，交回学校") == 1  # one letter (paged as printed: duplex, spilled receipt)
    profile = sample_profile()
    assert profile.county in text
    born = int(re.search(r"(\d{4})年\d{1,2}月\d{1,2}日出生", text)[1])
    assert born in (profile.first_year - 7, profile.first_year - 6)  # six by 8月31日: entering 一年级 this 学年


def test_a_preview_of_bad_wording_shows_the_problem_at_its_line_and_draws_nothing(web_client):
    before = set(web_client.app.state.previews)
    response, text = _preview(web_client, "rectification/notice.yaml",
                              lambda t: t.replace("{{ team }}", "{{ team }}{{ 银行卡号 }}", 1))
    line = next(n for n, s in enumerate(text.splitlines(), start=1) if s.startswith("opening:"))  # its value
    assert response.status_code == 422
    assert f"第 {line} 行（第 7 段）：〔银行卡号〕不是可用的字段" in response.text  # the raw file (高级): its line
    assert set(web_client.app.state.previews) == before and 'id="preview"' not in response.text


def test_a_preview_writes_nothing_into_the_templates_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(TEMPLATES_ENV, raising=False)  # load_profile sets it for this process: undone after
    text = sample_file("profile", "单位设置.yaml").read_text(encoding="utf-8")
    profile = tmp_path / "单位设置.yaml"
    profile.write_text(re.sub(r"(?m)^模板目录:.*$", "模板目录: 措辞模板", text), encoding="utf-8")
    folder = tmp_path / "措辞模板"
    (folder / "report").mkdir(parents=True)
    own = folder / "report" / "self_check.yaml"
    application = create_app(ServerConfig(work_dir=tmp_path / "jobs", profile=profile))
    with page_client(application) as c:
        index = list(WORDING_FILES).index("report/self_check.yaml")
        saved = c.post(f"/templates/{index}", data={"text": _default_text(c, index), "action": "save",
                                                    "csrf": csrf_of(c)})  # fmt: skip
        assert saved.status_code == 200 and own.is_file()
        kept = own.read_bytes()
        response, _ = _preview(c, "rectification/notice.yaml", lambda t: re.sub(r"(?m)^team: .*$", f"team: {MARK}", t))
        assert response.status_code == 200 and MARK in _pdf_text(c, response)[1]
        assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
            "report/self_check.yaml"]
        assert own.read_bytes() == kept


def test_a_preview_without_a_profile_says_to_fill_in_the_settings(tmp_path):
    application = create_app(ServerConfig(work_dir=tmp_path / "jobs", profile=tmp_path / "单位设置.yaml"))
    with page_client(application) as c:
        response, _ = _preview(c, "summary/summary.yaml", lambda t: t)
        assert response.status_code == 422 and "单位设置" in response.text
