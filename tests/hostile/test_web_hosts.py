"""Only this page talks to the server: a foreign Host (DNS rebinding) and a change asked from
another site's page are refused in Chinese, whatever the CSRF token; the password never goes on
the command line."""

from __future__ import annotations

from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_helpers import PAGE_URL, csrf_of, own_app, page_client

from kongchuo_docs.cli import app as cli_app
from kongchuo_docs.web import app as web_app_module
from kongchuo_docs.web.hosts import AllowedHosts


def test_a_rebound_name_cannot_read_the_settings(web_app):
    evil = TestClient(web_app, base_url="http://evil.example:8765")
    response = evil.get("/settings")
    assert response.status_code == 421
    assert "只接受通过本机地址" in response.text and "evil.example" in response.text
    assert "访问密码" not in response.text
    assert evil.post("/notice/outline", json={"body": ""}).status_code == 421


def test_the_page_answers_at_its_own_addresses(web_app):
    for base in ("http://127.0.0.1:8765", "http://localhost:8765", "http://[::1]:8765", "http://LOCALHOST."):
        assert TestClient(web_app, base_url=base).get("/").status_code == 200, base


def test_allowed_hosts_bound_address_wildcard_and_extra_names():
    lan = AllowedHosts("192.168.1.5", ["Office-PC"])
    assert "192.168.1.5:8765" in lan and "office-pc:8765" in lan and "127.0.0.2" in lan
    assert "192.168.1.6" not in lan and "evil.example" not in lan and "" not in lan
    anywhere = AllowedHosts("0.0.0.0")
    assert "10.0.0.7:8765" in anywhere and "[fe80::1]:8765" in anywhere
    assert "office-pc" not in anywhere and "localhost.evil.example" not in anywhere


def test_an_allowed_name_is_answered(tmp_path):
    application = own_app(tmp_path, allow_hosts=("office-pc",))
    with TestClient(application, base_url="http://office-pc:8765") as c:
        assert c.get("/").status_code == 200


def test_a_post_from_another_sites_page_is_refused_even_with_the_token(web_app):
    client = page_client(web_app)
    token = csrf_of(client)
    body = {"json": {"body": "一、甲"}}
    ok = client.post("/notice/outline", headers={"x-csrf-token": token}, **body)
    assert ok.status_code == 200
    for headers in ({"origin": "http://evil.example"}, {"origin": "null"}, {"origin": "http://127.0.0.1:9999"},
                    {"origin": "", "referer": "http://evil.example/page"}, {"origin": ""}):
        refused = client.post("/notice/outline", headers={"x-csrf-token": token, **headers}, **body)
        assert refused.status_code == 403, headers
        assert "不是从本网页版的页面发出的" in refused.text
    by_referer = client.post("/notice/outline", headers={"x-csrf-token": token, "origin": "",
                                                         "referer": f"{PAGE_URL}/notice"}, **body)  # fmt: skip
    assert by_referer.status_code == 200


def test_pages_ask_browsers_to_send_their_origin(web_client):
    assert web_client.get("/").headers["referrer-policy"] == "same-origin"  # no-referrer makes Origin "null"


def test_the_password_on_the_command_line_is_refused_with_advice():
    result = CliRunner().invoke(cli_app, ["serve", "--password", "秘密", "--no-browser"])
    assert result.exit_code == 2, result.output
    assert "不接受 --password" in result.output and "KONGCHUO_PASSWORD" in result.output
    assert "访问密码" in result.output and "--ask-password" in result.output
    assert "Traceback" not in result.output


def test_the_password_comes_from_the_environment_or_a_prompt(monkeypatch):
    started: list = []
    monkeypatch.setattr(web_app_module, "serve", lambda config, open_browser: started.append(config))
    monkeypatch.setenv("KONGCHUO_PASSWORD", "环境中的密码")
    result = CliRunner().invoke(cli_app, ["serve", "--no-browser", "--allow-host", "office-pc", "--allow-host", "x"])
    assert result.exit_code == 0, result.output
    assert started[-1].password == "环境中的密码" and started[-1].allow_hosts == ("office-pc", "x")
    monkeypatch.delenv("KONGCHUO_PASSWORD")
    result = CliRunner().invoke(cli_app, ["serve", "--no-browser", "--ask-password"], input="打字的密码\n打字的密码\n")
    assert result.exit_code == 0, result.output
    assert started[-1].password == "打字的密码" and "打字的密码" not in result.output


def test_a_mistyped_password_at_the_prompt_is_refused_in_chinese(monkeypatch):
    monkeypatch.setattr(web_app_module, "serve", lambda config, open_browser: None)
    for typed, said in (("甲\n乙\n", "两次输入的访问密码不一致"), ("\n", "访问密码不能为空")):
        result = CliRunner().invoke(cli_app, ["serve", "--no-browser", "--ask-password"], input=typed)
        assert result.exit_code == 2 and said in result.output, result.output
