"""A DOCX opened where the official fonts are missing falls back in a controlled way: the font table
declares them (GB2312 charset, PANOSE, family, alternate name) and the user's fontconfig aliases
(installed by setup.sh) make LibreOffice set each heading level in a face of the same kind."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pymupdf
import pytest

from kongchuo_docs import gbt9704 as g
from kongchuo_docs.readers.notice_yaml import read_notice
from kongchuo_docs.system.font_aliases import ALIASES_FILE, aliases_path, aliases_xml, install_aliases
from kongchuo_docs.system.fonts import ROLE_SPECS, resolve_fonts
from kongchuo_docs.system.libreoffice import soffice_path
from kongchuo_docs.writers.docx_writer import write_docx
from kongchuo_docs.writers.font_table import CHARSET_GB2312, DECLARATIONS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NOTICE = """\
发文机关: 罗源县教育局
发文字号: 罗教综〔2020〕47号
标题: 关于开展控辍保学专项检查的通知
主送: 各乡（镇）人民政府：
正文: |
  为做好控辍保学工作，现通知如下。
  一、检查内容
  （一）责任落实情况
  各乡镇要落实控辍保学责任。
成文日期: 2020-09-10
"""


@pytest.fixture(scope="module")
def docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fallback")
    source = folder / "通知.yaml"
    source.write_text(NOTICE, encoding="utf-8")
    doc, _ = read_notice(source)
    write_docx(doc, folder / "通知.docx")
    return folder / "通知.docx"


def test_font_table_declares_every_official_font(docx: Path) -> None:
    with zipfile.ZipFile(docx) as zf:
        root = ET.fromstring(zf.read("word/fontTable.xml"))
    declared = {f.get(f"{W}name"): f for f in root.iter(f"{W}font")}
    for spec in ROLE_SPECS:
        font = declared[spec.official]
        values = {child.tag.removeprefix(W): child.get(f"{W}val") for child in font}
        assert values["charset"] == CHARSET_GB2312 == "86"
        assert len(values["panose1"]) == 20 and values["panose1"] == DECLARATIONS[spec.official].panose
        assert values["altName"] in spec.aliases  # the font's other installed name
        assert values["family"] == ("swiss" if spec.official == g.FONT_HEITI else "roman")


def test_letters_docx_declares_the_official_fonts_too() -> None:
    from kongchuo_docs.letters.docx_template import package_parts
    from kongchuo_docs.letters.spec import load_spec

    parts = dict(package_parts(load_spec("入学")))
    declared = {f.get(f"{W}name") for f in ET.fromstring(parts["word/fontTable.xml"]).iter(f"{W}font")}
    assert declared == set(DECLARATIONS)
    assert b"/word/fontTable.xml" in parts["[Content_Types].xml"]
    assert b'Target="fontTable.xml"' in parts["word/_rels/document.xml.rels"]


def test_aliases_accept_the_stand_in_after_the_official_font(tmp_path: Path, monkeypatch) -> None:
    fonts = resolve_fonts()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert aliases_path() == tmp_path / "fontconfig" / "conf.d" / ALIASES_FILE
    path = install_aliases(fonts)
    root = ET.parse(path).getroot()
    accepted = {a.findtext("family"): a.findtext("accept/family") for a in root.iter("alias")}
    for role in fonts:
        spec = next(s for s in ROLE_SPECS if s.official == role.official)
        for name in (role.official, *spec.aliases):
            assert accepted.get(name) == (role.family if role.substituted else None)
    assert all(a.get("binding") == "strong" for a in root.iter("alias"))
    assert aliases_xml(fonts) == path.read_text(encoding="utf-8")


def _fc_match(name: str, env: dict[str, str]) -> str:
    return subprocess.run(["fc-match", "-f", "%{family[0]}", f"{name}:lang=zh-cn"], capture_output=True,
                          text=True, env=env, check=True).stdout  # fmt: skip


def _render(docx: Path, outdir: Path, env: dict[str, str]) -> Path:
    """LibreOffice as on a clerk's desk: the system fontconfig and the user's, no per-run mapping."""
    outdir.mkdir()
    subprocess.run([str(soffice_path()), f"-env:UserInstallation={(outdir / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(outdir), str(docx)],
                   env=env, capture_output=True, timeout=180, check=True)  # fmt: skip
    return outdir / f"{docx.stem}.pdf"


def _faces(pdf: Path) -> dict[str, str]:
    """The PDF font of the first span of each line, by the line's text."""
    faces = {}
    with pymupdf.open(pdf) as doc:
        for block in doc[0].get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                spans = [s for s in line["spans"] if s["text"].strip()]
                if spans:
                    faces["".join(s["text"] for s in spans).strip()] = spans[0]["font"]
    return faces


def _face_of(faces: dict[str, str], start: str) -> str:
    return next(font for text, font in faces.items() if text.startswith(start))


@pytest.mark.skipif(soffice_path() is None, reason="needs LibreOffice")
def test_libreoffice_sets_each_heading_level_in_a_face_of_its_kind(docx: Path, tmp_path: Path) -> None:
    fonts = resolve_fonts()
    if not fonts[g.FONT_KAITI].substituted or "WenKai" not in fonts[g.FONT_KAITI].family:
        pytest.skip("楷体_GB2312 installed or LXGW WenKai missing: nothing to fall back from")
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    bare = {**env, "XDG_CONFIG_HOME": str(tmp_path / "bare")}
    before = _faces(_render(docx, tmp_path / "before", bare))
    assert "WenKai" not in _face_of(before, "（一）")  # the problem: no 楷 face without the aliases

    user = {**env, "XDG_CONFIG_HOME": str(tmp_path / "user")}
    install_aliases(fonts, tmp_path / "user" / "fontconfig" / "conf.d" / ALIASES_FILE)
    assert _fc_match(g.FONT_KAITI, user) == fonts[g.FONT_KAITI].family == "LXGW WenKai"
    assert _fc_match(g.FONT_HEITI, user) == fonts[g.FONT_HEITI].family == "Noto Sans CJK SC"
    assert _fc_match(g.FONT_FANGSONG, user) == fonts[g.FONT_FANGSONG].family
    after = _faces(_render(docx, tmp_path / "after", user))
    assert "WenKai" in _face_of(after, "（一）")  # 二级标题 楷体
    assert "NotoSans" in _face_of(after, "一、")  # 一级标题 黑体
    assert "NotoSerif" in _face_of(after, "各乡镇要落实")  # 正文 仿宋 stand-in
    assert "NotoSerif" in _face_of(after, "关于开展")  # 标题 小标宋 stand-in


def test_doctor_installs_the_aliases_for_setup_sh(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "NO_COLOR": "1"}
    result = subprocess.run([sys.executable, "-m", "kongchuo_docs", "doctor", "--install-fontconfig"],
                            capture_output=True, text=True, env=env)  # fmt: skip
    target = tmp_path / "fontconfig" / "conf.d" / ALIASES_FILE
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"已写入字体替代规则：{target}"
    ET.parse(target)
    assert "doctor --install-fontconfig" in (Path(__file__).parents[1] / "scripts" / "setup.sh").read_text()
