"""网页版 写通知: the pictures of an uploaded Word draft stay with the session (a private scratch
folder), are listed with a 删除 button, and are in the preview and the downloads."""

from __future__ import annotations

import io
import re
import zipfile

import pymupdf
from web_helpers import csrf_of, page_client

LOADED_BODY = re.compile(r'<textarea id="f-body" name="body"[^>]*>(.*?)</textarea>', re.S)


def _draft_with_pictures(tmp_path):  # type: ignore[no-untyped-def]
    import draftmaker as dm

    doc = dm.new()
    dm.title(doc, "某某县教育局关于报送控辍保学台账的通知")
    dm.para(doc, "各乡（镇）中心学校：")
    dm.para(doc, "现将台账样式通知如下。")
    dm.picture(doc, dm.png(240, 120, "steelblue"), 80)
    dm.para(doc, "一、报送时间")
    dm.para(doc, "每月5日前报送。")
    dm.picture(doc, dm.png(200, 200, "darkred"), 40)
    dm.signature(doc, "某某县教育局", date="2026年9月1日")
    return dm.save(doc, tmp_path / "台账通知.docx")


def _form_of(page: str, csrf: str) -> dict[str, str]:
    import html

    data = {name: html.unescape(value) for name, value in
            re.findall(r'<input type="text" id="[^"]+" name="([^"]+)" value="([^"]*)"', page)}  # fmt: skip
    data.update({name: html.unescape(value) for name, value in
                 re.findall(r'<textarea id="[^"]+" name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S)})  # fmt: skip
    data["csrf"] = csrf
    return data


def _picture_count(pdf_bytes: bytes) -> int:
    """Pictures drawn in a PDF (an image's transparency mask is not one)."""
    with pymupdf.open(stream=pdf_bytes, filetype="pdf") as pdf:
        images = [image for page in pdf for image in page.get_images()]
    masks = {image[1] for image in images}
    return len({image[0] for image in images} - masks)


def test_draft_pictures_are_listed_previewed_downloaded_and_removable(web_client, tmp_path):
    draft = _draft_with_pictures(tmp_path)
    csrf = csrf_of(web_client)
    loaded = web_client.post("/notice/load", files={"file": ("台账通知.docx", draft.read_bytes())},
                             data={"csrf": csrf})  # fmt: skip
    assert loaded.status_code == 200
    listing = re.search(r'<div class="field" id="draft-images">(.*?)</div>', loaded.text, re.S)[1]
    names = re.findall(r'<span class="image-name">([^<]+)</span>（(\d+) KB）', listing)
    assert [n for n, _ in names] == ["图片1.png", "图片2.png"] and all(int(kb) >= 1 for _, kb in names)
    assert listing.count('value="remove-image:') == 2
    body = LOADED_BODY.search(loaded.text)[1]
    assert "[图片：图片1.png，宽度 80" in body and "[图片：图片2.png，宽度 40" in body
    form = _form_of(loaded.text, csrf)

    preview = web_client.post("/notice", data={**form, "action": "preview"})
    assert preview.status_code == 200 and 'id="preview"' in preview.text, preview.text[-2000:]
    preview_id = re.search(r'src="/notice/preview/([^/]+)/1\.png"', preview.text)[1]
    first_pages = web_client.app.state.previews[preview_id].folder / "first-pages.pdf"
    assert _picture_count(first_pages.read_bytes()) == 2

    pdf = web_client.post("/notice", data={**form, "action": "pdf"})
    assert pdf.headers["content-type"] == "application/pdf" and _picture_count(pdf.content) == 2
    docx = web_client.post("/notice", data={**form, "action": "docx"})
    with zipfile.ZipFile(io.BytesIO(docx.content)) as opened:
        assert len([n for n in opened.namelist() if n.startswith("word/media/")]) == 2

    removed = web_client.post("/notice", data={**form, "action": "remove-image:图片1.png"})
    assert removed.status_code == 200
    assert re.findall(r'<span class="image-name">([^<]+)</span>', removed.text) == ["图片2.png"]
    body = LOADED_BODY.search(removed.text)[1]
    assert "图片1.png" not in body and "[图片：图片2.png" in body
    pdf = web_client.post("/notice", data={**_form_of(removed.text, csrf), "action": "pdf"})
    assert pdf.status_code == 200 and _picture_count(pdf.content) == 1


def test_a_picture_line_without_its_picture_is_the_readers_error_at_its_body_line(web_client):
    csrf = csrf_of(web_client)
    data = {"format": "文件", "issuers": "某某县教育局", "title": "关于报送台账的通知", "recipients": "各校：",
            "body": "现通知如下。\n[图片：图片9.png]\n请按时报送。", "signatures": "某某县教育局",
            "date": "2026年9月1日", "csrf": csrf, "action": "check"}  # fmt: skip
    response = web_client.post("/notice", data=data)
    assert response.status_code == 422
    assert "第 2 行：找不到图片文件（图片/图片9.png）" in response.text


def test_another_session_does_not_get_the_pictures(web_client, tmp_path):

    draft = _draft_with_pictures(tmp_path)
    web_client.post("/notice/load", files={"file": ("台账通知.docx", draft.read_bytes())},
                    data={"csrf": csrf_of(web_client)})  # fmt: skip
    stranger = page_client(web_client.app)
    assert 'id="draft-images"' not in stranger.get("/notice").text
    folders = list(web_client.app.state.draft_images.values())
    assert folders and all(f.parent == web_client.app.state.jobs.root for f in folders)
