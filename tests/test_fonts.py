"""Font roles: resolution, font folders, coverage and fallbacks, widths, CSS, fontconfig, LibreOffice."""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

from kongchuo_docs import gbt9704
from kongchuo_docs.errors import EnvironmentProblem, InputError, Location, Problems
from kongchuo_docs.system import font_faces, fonts

RARE = "䶮"  # U+4DAE, CJK Extension A: outside GB2312, found in names


def _cmap_of(path: Path, index: int) -> dict[int, str]:
    return TTFont(str(path), fontNumber=index, lazy=True).getBestCmap()


def _make_font(path: Path, names: dict[str, str], chars: dict[str, int]) -> Path:
    """A tiny TrueType font: family `names` (by language), one box glyph per char of advance `chars[c]`."""
    glyph_names = [".notdef"] + [f"uni{ord(c):04X}" for c in chars]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(glyph_names)
    fb.setupCharacterMap({ord(c): f"uni{ord(c):04X}" for c in chars})
    glyphs = {}
    for name in glyph_names:
        pen = TTGlyphPen(None)
        pen.moveTo((50, 0))
        pen.lineTo((50, 700))
        pen.lineTo((400, 700))
        pen.lineTo((400, 0))
        pen.closePath()
        glyphs[name] = pen.glyph()
    fb.setupGlyf(glyphs)
    advances = {".notdef": 1000} | {f"uni{ord(c):04X}": w for c, w in chars.items()}
    fb.setupHorizontalMetrics({name: (advances[name], 50) for name in glyph_names})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": names, "styleName": "Regular"})
    fb.setupOS2(usWeightClass=400, ulCodePageRange1=1 << 18)  # declares GB2312
    fb.setupPost()
    fb.save(str(path))
    return path


@pytest.fixture(scope="module")
def machine() -> fonts.FontSet:
    return fonts.resolve_fonts()


def _installed(official: str) -> bool:
    spec = next(s for s in fonts.ROLE_SPECS if s.official == official)
    return any(f.has_family(n) for f in fonts.system_faces() for n in spec.aliases)


# ---------------------------------------------------------------- resolution on this machine


def test_every_role_is_served_by_a_face_carrying_that_family(machine):
    assert [r.official for r in machine] == list(fonts.OFFICIAL_NAMES)
    for role in machine:
        font = TTFont(str(role.path), fontNumber=role.index, lazy=True)
        families = {n.toUnicode() for n in font["name"].names if n.nameID in (1, 16)}
        assert role.family in families, (role, families)


def test_missing_official_fonts_are_replaced_by_stand_ins_with_a_warning(machine):
    warnings = machine.warnings()
    for role in machine:
        if _installed(role.official):
            assert not role.substituted and role.source == "system"
            continue
        spec = next(s for s in fonts.ROLE_SPECS if s.official == role.official)
        assert role.substituted and role.source == "stand-in"
        assert role.family in spec.stand_ins or not any(
            f.has_family(n) for f in fonts.system_faces() for n in spec.stand_ins
        )
        assert sum(role.official in w and role.family in w for w in warnings) == 1
    assert len([w for w in warnings if "未安装" in w]) == sum(r.substituted for r in machine)


def test_xiaobiaosong_stand_in_is_the_heaviest_face_of_its_family(machine):
    role = machine[gbt9704.FONT_XIAOBIAOSONG]
    if not role.substituted:
        pytest.skip("方正小标宋简体 is installed here")
    same_family = [f for f in machine.faces if f.has_family(role.family)]
    assert role.weight == max(f.weight for f in same_family)
    assert role.weight >= 700


def test_resolution_is_memoised_per_process():
    assert fonts.resolve_fonts() is fonts.resolve_fonts()


def test_no_cjk_font_at_all_names_the_packages_to_install():
    with pytest.raises(EnvironmentProblem, match="fonts-noto-cjk fonts-lxgw-wenkai"):
        fonts.resolve_from(system=(), folder=())


def test_parse_fc_list_reads_families_weight_index_and_languages():
    lines = "霞鹜文楷,LXGW WenKai\tRegular\t[50 210]\t/f/a.ttc\t3\ten|zh-cn\nA\tBold\t200\t/f/b.ttf\t0\ten\n"
    first, second = font_faces._parse_fc_list(lines + "broken line\n")
    assert first.families == ("霞鹜文楷", "LXGW WenKai") and first.family == "霞鹜文楷"
    assert (first.weight, first.index, first.cjk) == (300, 3, True)
    assert (second.weight, second.path, second.cjk) == (700, Path("/f/b.ttf"), False)


# ---------------------------------------------------------------- user font folders


def test_font_dir_font_is_found_by_its_chinese_family_name(tmp_path):
    # The English name is no alias; only the Chinese name record says 楷体_GB2312.
    _make_font(tmp_path / "x1.ttf", {"en": "Some Test Kai", "zh-CN": "楷体_GB2312"}, {"中": 1000, "a": 500})
    font_set = fonts.resolve_fonts(tmp_path)
    role = font_set[gbt9704.FONT_KAITI]
    if _installed(gbt9704.FONT_KAITI):
        assert role.source == "system"
        return
    assert (role.source, role.substituted, role.family) == ("font-dir", False, "楷体_GB2312")
    assert role.path == tmp_path / "x1.ttf"
    assert not any(gbt9704.FONT_KAITI in w for w in font_set.warnings())


def test_symlinked_collection_in_font_dir_serves_stand_ins_with_the_right_face(tmp_path):
    system = [f for f in fonts.system_faces() if f.has_family("Noto Serif CJK SC") and f.weight == 400]
    if not system or system[0].index == 0:
        pytest.skip("Noto Serif CJK collection not installed")
    link = tmp_path / "renamed-serif.ttc"
    link.symlink_to(system[0].path)
    folder, notes = fonts.folder_faces((tmp_path,))
    font_set = fonts.resolve_from(system=(), folder=folder, font_dirs=(tmp_path,), notes=notes)
    role = font_set[gbt9704.FONT_FANGSONG]
    assert (role.path, role.index, role.family) == (link, system[0].index, "Noto Serif CJK SC")
    assert role.substituted and role.source == "stand-in"


def test_unreadable_font_file_is_reported_not_fatal(tmp_path):
    (tmp_path / "broken.ttf").write_bytes(b"not a font")
    faces, notes = fonts.folder_faces((tmp_path,))
    assert faces == () and len(notes) == 1 and "broken.ttf" in notes[0]


def test_font_dir_comes_from_option_then_env_then_config_file(tmp_path, monkeypatch):
    a, b, c = (tmp_path / n for n in "abc")
    for d in (a, b, c):
        d.mkdir()
    config_home = tmp_path / "config"
    (config_home / "kongchuo-docs").mkdir(parents=True)
    (config_home / "kongchuo-docs" / "fonts.yaml").write_text(f"font_dirs: ['{c}']\n", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config_home))
    monkeypatch.setenv(font_faces.FONT_DIR_ENV, str(b))
    assert fonts.configured_font_dirs(a) == (a,)
    assert fonts.configured_font_dirs() == (b,)
    monkeypatch.delenv(font_faces.FONT_DIR_ENV)
    assert fonts.configured_font_dirs() == (c,)


def test_missing_font_dir_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="字体文件夹: 文件夹不存在"):
        fonts.configured_font_dirs(tmp_path / "nope")


# ---------------------------------------------------------------- coverage, fallbacks, errors


def test_rare_character_is_drawn_by_the_role_font_or_a_fallback_that_has_it(machine):
    where = Location("名册.xlsx", "学生名册", "B7")
    for role in machine:
        problems = Problems()
        fallbacks = machine.check_text(f"王{RARE}", role.official, where, problems)
        assert problems.errors == []
        if RARE in machine.missing_chars(RARE, role.official):
            (fb,) = fallbacks
            assert ord(RARE) in _cmap_of(fb.path, fb.index)
        else:
            assert ord(RARE) in _cmap_of(role.path, role.index) and fallbacks == []


def test_role_font_lacking_a_character_falls_back_to_an_installed_face(tmp_path):
    _make_font(tmp_path / "k.ttf", {"en": "KaiTi_GB2312"}, {"王": 1000, "中": 1000})
    font_set = fonts.resolve_from(fonts.system_faces(), fonts.folder_faces((tmp_path,))[0], (tmp_path,))
    if font_set[gbt9704.FONT_KAITI].source != "font-dir":
        pytest.skip("楷体 is installed on the system")
    assert font_set.missing_chars(f"王{RARE}中{RARE}", gbt9704.FONT_KAITI) == [RARE]
    problems = Problems()
    (fb,) = font_set.check_text(f"王{RARE}", gbt9704.FONT_KAITI, "花名册 第3行 姓名", problems)
    assert problems.errors == [] and fb.char == RARE and fb.where == "花名册 第3行 姓名"
    assert ord(RARE) in _cmap_of(fb.path, fb.index)
    assert RARE in font_set.report_lines([fb])[-1]
    assert font_set.segments(f"王{RARE}{RARE}中", gbt9704.FONT_KAITI) == [
        ("王", "KaiTi_GB2312"),
        (RARE * 2, fb.family),
        ("中", "KaiTi_GB2312"),
    ]


def test_fallback_report_groups_places_per_character():
    fallbacks = [
        fonts.Fallback(RARE, gbt9704.FONT_FANGSONG, "X Serif", Path("/x.ttf"), 0, f"名册.xlsx!B{row}")
        for row in (2, 3, 3, 4, 5)
    ]
    (line,) = fonts.fallback_lines(fallbacks)
    assert "名册.xlsx!B2、名册.xlsx!B3、名册.xlsx!B4 等 4 处" in line and "X Serif" in line


def test_substitution_warnings_are_one_line_once_per_process(machine, capsys, monkeypatch):
    from kongchuo_docs import console

    if not machine.warnings():
        pytest.skip("no substitution on this machine")
    monkeypatch.setattr(fonts, "_ANNOUNCED", set())
    machine.announce()
    first = capsys.readouterr().err
    machine.announce()
    assert capsys.readouterr().err == ""
    [line] = first.splitlines()
    missing = [r.official for r in machine if r.substituted]
    assert line == f"警告 未安装正式字体：{'、'.join(missing)}，已用免费替代字体，详见 kongchuo-docs doctor"
    for verbosity, shown in (("verbose", True), ("quiet", False)):
        monkeypatch.setattr(fonts, "_ANNOUNCED", set())
        monkeypatch.setattr(console, "_verbosity", verbosity)
        machine.announce()
        text = capsys.readouterr().err
        assert all((warning in text) == shown for warning in machine.warnings())
        assert ("未安装正式字体" in text) == shown


@pytest.mark.parametrize("char", ["\ue000", "\u0378"])  # private use; unassigned
def test_character_no_font_has_is_an_error_naming_where(machine, char):
    problems = Problems()
    where = Location("名册.xlsx", "学生名册", "B9", column="姓名")
    machine.check_text(f"张{char}", gbt9704.FONT_FANGSONG, where, problems)
    (problem,) = problems.errors
    assert str(problem).startswith("名册.xlsx!学生名册!B9 姓名: ")
    assert f"U+{ord(char):04X}" in problem.message
    with pytest.raises(InputError):
        problems.raise_if_errors()


def test_controls_and_variation_selectors_need_no_glyph(machine):
    assert machine.missing_chars("a\n\t\u200b\ufe0f", gbt9704.FONT_FANGSONG) == []


# ---------------------------------------------------------------- widths


def test_text_width_sums_advances_in_pt(tmp_path):
    _make_font(tmp_path / "w.ttf", {"en": "仿宋_GB2312"}, {"中": 1000, "a": 500, "1": 550})
    font_set = fonts.resolve_from(fonts.system_faces(), fonts.folder_faces((tmp_path,))[0], (tmp_path,))
    if font_set[gbt9704.FONT_FANGSONG].source != "font-dir":
        pytest.skip("仿宋 is installed on the system")
    assert font_set.text_width_pt("中a1", gbt9704.FONT_FANGSONG, 16) == pytest.approx(16 + 8 + 8.8)
    measure = font_set.measure(gbt9704.FONT_FANGSONG, 16, spacing_pt=-0.25)
    assert measure("中a1") == pytest.approx(16 + 8 + 8.8 - 3 * 0.25)


def test_text_width_of_ideographs_in_installed_fonts_is_one_em(machine):
    for role in machine:
        assert machine.text_width_pt("中国教育", role.official, 16) == pytest.approx(64)


# ---------------------------------------------------------------- CSS and fontconfig


def test_css_stack_starts_with_the_role_family(machine):
    for role in machine:
        stack = machine.css_font_family(role.official)
        assert stack.startswith(f'"{role.family}"')
        assert len(stack.split(", ")) == len(set(stack.split(", ")))


def test_font_face_rules_only_for_font_dir_faces(tmp_path, machine):
    assert machine.css_font_face_rules() == ""
    _make_font(tmp_path / "h.ttf", {"en": "SimHei"}, {"中": 1000})
    font_set = fonts.resolve_from(fonts.system_faces(), fonts.folder_faces((tmp_path,))[0], (tmp_path,))
    rules = font_set.css_font_face_rules()
    if font_set[gbt9704.FONT_HEITI].source != "font-dir":
        pytest.skip("黑体 is installed on the system")
    assert rules.count("@font-face") == 1 and (tmp_path / "h.ttf").as_uri() in rules


def test_fontconfig_file_maps_official_names_to_the_serving_families(tmp_path, machine):
    conf = machine.write_fontconfig(tmp_path / "fonts.conf")
    ET.parse(conf)  # well-formed (an XML comment with "--" once made fontconfig ignore the file)
    if shutil.which("fc-match") is None:
        pytest.skip("fc-match not installed")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    for role in machine:
        matched = subprocess.run(
            ["fc-match", "--format", "%{family}|%{weight}", role.official],
            capture_output=True, text=True, env=env, check=True,
        ).stdout  # fmt: skip
        families, weight = matched.split("|")
        assert role.family in families.split(","), (role, matched)
        assert font_faces._css_weight(float(weight)) == role.weight


def test_fontconfig_file_adds_the_font_dirs(tmp_path):
    if shutil.which("fc-match") is None:
        pytest.skip("fc-match not installed")
    (tmp_path / "fonts").mkdir()
    _make_font(tmp_path / "fonts" / "h.ttf", {"en": "SimHei"}, {"中": 1000})
    font_set = fonts.resolve_fonts(tmp_path / "fonts")
    conf = font_set.write_fontconfig(tmp_path / "fonts.conf")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    matched = subprocess.run(
        ["fc-match", "--format", "%{family}|%{file}", gbt9704.FONT_HEITI],
        capture_output=True, text=True, env=env, check=True,
    ).stdout  # fmt: skip
    role = font_set[gbt9704.FONT_HEITI]
    assert matched == f"{role.family}|{role.path}"


# ---------------------------------------------------------------- LibreOffice


def test_libreoffice_renders_official_names_with_the_resolved_fonts(tmp_path, machine, monkeypatch):
    from kongchuo_docs.system.libreoffice import render_docx_to_pdf, soffice_path

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    if soffice_path() is None:
        pytest.skip("LibreOffice (soffice) not installed: DOCX→PDF rendering not tested")
    import docx
    import pymupdf
    from docx.oxml.ns import qn

    document = docx.Document()
    for official in fonts.OFFICIAL_NAMES:
        run = document.add_paragraph().add_run(f"控辍保学{official}")
        fonts_element = run._element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts_element.set(qn(attribute), official)
    document.save(tmp_path / "roles.docx")
    pdf = render_docx_to_pdf(tmp_path / "roles.docx", tmp_path / "out", machine)
    spans = {
        span["text"]: span["font"]
        for block in pymupdf.open(pdf)[0].get_text("dict")["blocks"]
        for line in block.get("lines", [])
        for span in line["spans"]
    }
    for role in machine:
        embedded = spans[f"控辍保学{role.official}"].replace("-", "").replace(" ", "").lower()
        # PostScript names drop spaces (NotoSerifCJKjp-Bold, LXGWWenKai-Regular); the Noto faces of
        # one collection share one CFF name, so the family prefix is what can be compared.
        family_key = role.family.replace(" ", "").lower().removesuffix("sc")
        assert embedded.startswith(family_key), (role, embedded)
        assert ("bold" in embedded) == (role.weight >= 700)


# ---------------------------------------------------------------- WeasyPrint uses what the report says


def _pdf_font_families(pdf: Path) -> set[str]:
    """Family names (name ID 1) of the fonts embedded in `pdf`."""
    import io

    import pymupdf

    document = pymupdf.open(pdf)
    families = set()
    for xref, *_ in document[0].get_fonts():
        buffer = document.extract_font(xref)[3]
        names = TTFont(io.BytesIO(buffer))["name"]
        families.add(names.getDebugName(1))
    return families


def _weasyprint_pdf(target: Path, css: str, body: str) -> Path:
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    weasyprint.HTML(string=f'<html lang="zh-CN"><body>{body}</body></html>').write_pdf(
        target, stylesheets=[weasyprint.CSS(string=css, font_config=font_config)], font_config=font_config
    )
    return target


def test_weasyprint_embeds_the_role_face_and_the_reported_fallback(tmp_path, machine):
    official = gbt9704.FONT_KAITI
    text = "楷体㐀䶮"
    problems = Problems()
    fallbacks = machine.check_text(text, official, "probe", problems)
    css = f"p {{ font-family: {machine.css_font_family(official, fallbacks)}; }}"
    families = _pdf_font_families(_weasyprint_pdf(tmp_path / "p.pdf", css, f"<p>{text}</p>"))
    assert families == {machine[official].family} | {fb.family for fb in fallbacks}


def test_weasyprint_uses_the_right_face_of_a_collection_in_a_font_dir(tmp_path, monkeypatch):
    from fontTools.ttLib import TTCollection

    if _installed(gbt9704.FONT_KAITI):
        pytest.skip("楷体 is installed on the system")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    collection = TTCollection()
    collection.fonts = [
        TTFont(_make_font(tmp_path / f"{i}.ttf", {"en": name}, {"中": 1000}))
        for i, name in enumerate(("Face Zero Test", "KaiTi_GB2312"))
    ]
    (tmp_path / "fonts").mkdir()
    collection.save(str(tmp_path / "fonts" / "pair.ttc"))
    dirs = (tmp_path / "fonts",)
    font_set = fonts.resolve_from(fonts.system_faces(), fonts.folder_faces(dirs)[0], dirs)
    official = gbt9704.FONT_KAITI
    assert (font_set[official].index, font_set[official].source) == (1, "font-dir")
    css = f"{font_set.css_font_face_rules()}\np {{ font-family: {font_set.css_font_family(official)}; }}"
    assert _pdf_font_families(_weasyprint_pdf(tmp_path / "p.pdf", css, "<p>中</p>")) == {"KaiTi_GB2312"}


def test_text_width_matches_what_weasyprint_draws(tmp_path, machine):
    import pymupdf

    samples = ["控辍保学——2024年AV“引号”", "罗教综〔2020〕47号 GB/T 9704", f"王{RARE}㐀同学", "Ta, V. 1.5%……"]
    roles = list(machine)
    css = "@page { size: A3; margin: 10mm } p { font-size: 16pt; margin: 0; white-space: nowrap }"
    css += "".join(
        f".r{i} {{ font-family: {machine.css_font_family(r.official)}; font-weight: {r.weight} }}"
        for i, r in enumerate(roles)
    )
    # A sentinel 中 after each sample: its origin is where the sample's advance ends.
    html = "".join(f'<p class="r{i}">{text}中</p>' for i in range(len(roles)) for text in samples)
    pdf = _weasyprint_pdf(tmp_path / "widths.pdf", css, html)
    drawn = []
    for block in pymupdf.open(pdf)[0].get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            chars = [c for span in line["spans"] for c in span["chars"]]
            drawn.append(chars[-1]["origin"][0] - chars[0]["origin"][0])
    expected = [machine.text_width_pt(text, r.official, 16) for r in roles for text in samples]
    assert drawn == pytest.approx(expected, abs=0.05)
