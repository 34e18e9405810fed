"""The 模板目录 the page reads and writes is a folder beside the 单位设置 file: a relative one is
made there on the first save, one elsewhere is refused, and no symbolic link is followed (a wording
file linked to a secret is refused and its lines never shown)."""

from __future__ import annotations

import html
import re

import pytest
from web_helpers import csrf_of, own_app, page_client, settings_post

from kongchuo_docs.errors import InputError
from kongchuo_docs.wording.files import TEMPLATES_ENV, WORDING_FILES, annotated, check_folder

SECRET = "root:$6$SECRETHASH:19000:0:99999:7:::"
REL = "letters/enrolment.yaml"
FILES = list(WORDING_FILES.items())
INDEX = list(WORDING_FILES).index(REL)


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.delenv(TEMPLATES_ENV, raising=False)  # load_profile sets it for this process
    application = own_app(tmp_path / "单位")
    with page_client(application) as client:
        yield client, tmp_path / "单位"


def _text_of(client, index: int) -> str:
    """The wording shown in the 模板 page's editor."""
    page = client.get(f"/templates/{index}").text
    return html.unescape(re.search(r'<textarea name="text"[^>]*>(.*?)</textarea>', page, re.S)[1])


def test_a_relative_folder_is_made_beside_the_settings_and_used(site):
    client, home = site
    saved = settings_post(client, 模板目录="措辞模板")
    assert saved.status_code == 200 and 'id="saved"' in saved.text, saved.text[-2000:]
    assert (home / "措辞模板").is_dir()
    text = _text_of(client, INDEX).replace("入学通知书", "入学通知书（本县）", 1)
    response = client.post(f"/templates/{INDEX}", data={"text": text, "action": "save", "csrf": csrf_of(client)})
    assert response.status_code == 200, response.text[-2000:]
    assert "入学通知书（本县）" in (home / "措辞模板" / REL).read_text(encoding="utf-8")


@pytest.mark.parametrize("outside", ["../别处", "/tmp/kongchuo-模板", "."])
def test_a_folder_outside_is_refused_at_its_field(site, outside):
    client, home = site
    before = (home / "单位设置.yaml").read_bytes()
    refused = settings_post(client, 模板目录=outside)
    assert refused.status_code == 422
    field = re.search(r'id="field-模板目录">(.*?)</div>', refused.text, re.S)[1]
    assert "单位设置文件所在文件夹中的一个文件夹" in field
    assert (home / "单位设置.yaml").read_bytes() == before
    assert not (home.parent / "别处").exists()


def test_a_linked_folder_is_refused(site, tmp_path):
    client, home = site
    (tmp_path / "别处").mkdir()
    (home / "措辞模板").symlink_to(tmp_path / "别处")
    refused = settings_post(client, 模板目录="措辞模板")
    assert refused.status_code == 422 and "符号链接" in refused.text


def test_a_wording_file_linked_to_a_secret_is_never_read(site, tmp_path):
    client, home = site
    assert settings_post(client, 模板目录="措辞模板").status_code == 200
    secret = tmp_path / "shadow"
    secret.write_text(f"{SECRET}\n", encoding="utf-8")
    linked = home / "措辞模板" / REL
    linked.parent.mkdir(parents=True)
    linked.symlink_to(secret)
    token = csrf_of(client)
    pages = [client.get("/templates"), client.get(f"/templates/{INDEX}"),
             client.post(f"/templates/{INDEX}", data={"text": "title: 新\n", "action": "save", "csrf": token}),
             client.post(f"/templates/{INDEX}", data={"action": "reset", "csrf": token}),
             client.post(f"/templates/{INDEX + 1}", data={"text": annotated(*FILES[INDEX + 1]),
                                                          "action": "preview", "csrf": token})]  # fmt: skip
    for response in pages:
        assert SECRET not in response.text and "SECRETHASH" not in response.text
        assert response.status_code in (409, 422), (pages.index(response), response.status_code)
        assert "符号链接" in response.text
    assert linked.is_symlink() and secret.read_text(encoding="utf-8") == f"{SECRET}\n"



def test_the_commands_refuse_a_linked_wording_file_too(tmp_path):
    secret = tmp_path / "shadow"
    secret.write_text(f"title: {SECRET}\n", encoding="utf-8")
    linked = tmp_path / "措辞模板" / REL
    linked.parent.mkdir(parents=True)
    linked.symlink_to(secret)
    with pytest.raises(InputError) as caught:
        check_folder(tmp_path / "措辞模板")
    shown = "\n".join(str(p) for p in caught.value.problems)
    assert "符号链接" in shown and "SECRETHASH" not in shown
