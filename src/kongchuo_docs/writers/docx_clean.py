"""WPS-clean DOCX packages: every DOCX the tool writes passes through `clean_package` (the 公文 writer
when it saves, the letters' merge when it compiles its template, the default or a clerk's own).

WPS (and Word) resolve theme fonts before explicit ones: a ``w:asciiTheme``/``w:eastAsiaTheme``/
``w:hAnsiTheme``/``w:cstheme`` attribute overrides the font named beside it, and a theme font that
is not installed is reported as 「缺失字体」. python-docx's default template brings Calibri and
Cambria as theme fonts, ＭＳ 明朝/ＭＳ ゴシック and thirty other script-specific theme entries, and
a font table declaring fonts no 公文 uses. So:

- the theme's major and minor fonts become 宋体 (East Asian) and Times New Roman (Latin, complex
  script), without script-specific entries;
- every theme font attribute in styles, numbering, body, headers and footers is dropped, its font
  named explicitly where no explicit name was given (the theme's 宋体 / Times New Roman);
- only the styles in use are kept (those the body, headers and footers name, the default styles and
  the styles they are based on): python-docx's template brings 260 more, some in Courier; its
  numbering (bullets in Symbol) is left out when no paragraph is numbered, and so is Word 2010's
  duplicate ``stylesWithEffects.xml`` (a second copy of every style, theme fonts included), and the
  equation defaults naming Cambria Math (no 公文 holds an equation);
- ``word/fontTable.xml`` lists only the fonts the document uses (body, headers, footers, the default
  run, the styles kept, the numbering when kept): the official fonts with their declarations
  (`font_table.DECLARATIONS`: alternate name, PANOSE, GB2312), others as the package declared them.

Parts holding Jinja (a letters template's ``document.xml``) are edited as text, never re-serialized.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from lxml import etree

from .. import gbt9704 as g
from .font_table import font_table_xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
THEME_EAST_ASIA = g.FONT_SONGTI
THEME_LATIN = "Times New Roman"
FONT_TABLE = "word/fontTable.xml"
STYLES = "word/styles.xml"
NUMBERING = "word/numbering.xml"
SETTINGS = "word/settings.xml"
DROPPED_PART = "word/stylesWithEffects.xml"
_THEME_PART = re.compile(r"word/theme/theme\d*\.xml")
_CONTENT_PART = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
_WORD_XML = re.compile(r"word/[^/]+\.xml")
_RFONTS = re.compile(rb"<w:rFonts\b[^>]*?/?>")
_ATTRIBUTE = re.compile(rb'\s([\w:]+)="([^"]*)"')
_THEME_ATTRIBUTES = {b"w:asciiTheme": b"w:ascii", b"w:hAnsiTheme": b"w:hAnsi",
                     b"w:eastAsiaTheme": b"w:eastAsia", b"w:cstheme": b"w:cs"}  # fmt: skip
_FONT_ATTRIBUTES = (b"w:ascii", b"w:hAnsi", b"w:eastAsia", b"w:cs")
_MATH_PROPERTIES = re.compile(rb"<m:mathPr>.*?</m:mathPr>", re.S)  # Word's equation defaults: Cambria Math
_STYLE_REFERENCE = re.compile(rb'<w:(?:pStyle|rStyle|tblStyle)\b[^>]*\bw:val="([^"]*)"')


def clean_package(parts: Iterable[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The parts of a DOCX package (name, bytes), in the same order, cleaned for WPS (see the module)."""
    cleaned: dict[str, bytes] = {}
    for name, data in parts:
        if name == DROPPED_PART:
            continue
        if _THEME_PART.fullmatch(name):
            data = _theme(data)
        elif _WORD_XML.fullmatch(name):
            data = _RFONTS.sub(_explicit_fonts, data)
        if name == SETTINGS:
            data = _MATH_PROPERTIES.sub(b"", data)
        cleaned[name] = data
    content = [data for name, data in cleaned.items() if _CONTENT_PART.fullmatch(name)]
    numbered = any(b"<w:numPr" in data for data in content)
    fonts = set().union(*(_names(data) for data in content))
    if STYLES in cleaned:
        referenced = {ref.decode() for data in content for ref in _STYLE_REFERENCE.findall(data)}
        if numbered and NUMBERING in cleaned:
            referenced |= {ref.decode() for ref in _STYLE_REFERENCE.findall(cleaned[NUMBERING])}
        styles, style_fonts, styles_number = _used_styles(cleaned[STYLES], referenced)
        cleaned[STYLES] = styles
        fonts |= style_fonts
        numbered = numbered or styles_number
    dropped = {DROPPED_PART}
    if NUMBERING in cleaned and numbered:
        fonts |= _names(cleaned[NUMBERING])
    else:
        dropped.add(NUMBERING)  # python-docx's bullets (in Symbol) that no paragraph uses
    if FONT_TABLE in cleaned:
        cleaned[FONT_TABLE] = _font_table(fonts, cleaned[FONT_TABLE])
    return [(name, _without(data, name, dropped)) for name, data in cleaned.items() if name not in dropped]


def _without(data: bytes, name: str, dropped: set[str]) -> bytes:
    """`data` of part `name` without the content types and relationships of the `dropped` parts."""
    for part in dropped:
        if name == "[Content_Types].xml":
            data = re.sub(rb'<Override\b[^>]*PartName="/%s"[^>]*/>' % re.escape(part.encode()), b"", data)
        elif name == "word/_rels/document.xml.rels":
            target = re.escape(part.removeprefix("word/").encode())
            data = re.sub(rb'<Relationship\b[^>]*Target="(?:/word/)?%s"[^>]*/>' % target, b"", data)
    return data


def _explicit_fonts(match: re.Match[bytes]) -> bytes:
    """A ``w:rFonts`` tag without theme attributes; a theme font with no explicit name beside it
    becomes the theme's own font, named."""
    tag = match[0]
    if b"heme=" not in tag:  # asciiTheme=, cstheme=, …: most tags have none
        return tag
    attributes = dict(_ATTRIBUTE.findall(tag))
    for theme, explicit in _THEME_ATTRIBUTES.items():
        value = attributes.pop(theme, None)
        if value is not None and explicit not in attributes:
            font = THEME_EAST_ASIA if b"EastAsia" in value else THEME_LATIN
            attributes[explicit] = font.encode()
    body = b"".join(b' %s="%s"' % item for item in attributes.items())
    return b"<w:rFonts" + body + (b"/>" if tag.endswith(b"/>") else b">")


def _theme(data: bytes) -> bytes:
    """The theme with 宋体 + Times New Roman as major and minor fonts, no script-specific entries."""
    root = etree.fromstring(data)
    for scheme in root.iter(f"{{{A}}}majorFont", f"{{{A}}}minorFont"):
        for child in list(scheme):
            if child.tag == f"{{{A}}}font":
                scheme.remove(child)
            elif child.tag in (f"{{{A}}}latin", f"{{{A}}}cs"):
                child.set("typeface", THEME_LATIN)
                child.attrib.pop("panose", None)
            elif child.tag == f"{{{A}}}ea":
                child.set("typeface", THEME_EAST_ASIA)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _names(xml: bytes) -> set[str]:
    """The fonts named by the ``w:rFonts`` tags in `xml`."""
    names = set()
    for tag in set(_RFONTS.findall(xml)):  # a body repeats a few distinct tags thousands of times
        attributes = dict(_ATTRIBUTE.findall(tag))
        names |= {html.unescape(attributes[a].decode()) for a in _FONT_ATTRIBUTES if attributes.get(a)}
    return names


def _used_styles(data: bytes, referenced: set[str]) -> tuple[bytes, set[str], bool]:
    """styles.xml with only the styles in use: `referenced`, the default styles and the styles they are
    based on (or linked to); with the fonts those and the default run name, and whether any is numbered."""
    root = etree.fromstring(data)
    by_id = {s.get(f"{{{W}}}styleId"): s for s in root.iter(f"{{{W}}}style")}
    pending = referenced | {i for i, s in by_id.items() if s.get(f"{{{W}}}default") in ("1", "true")}
    kept: set[str] = set()
    while pending:
        style_id = pending.pop()
        if style_id in kept or style_id not in by_id:
            continue
        kept.add(style_id)
        for link in ("basedOn", "link"):
            parent = by_id[style_id].find(f"{{{W}}}{link}")
            if parent is not None:
                pending.add(parent.get(f"{{{W}}}val"))
    for style_id, style in by_id.items():
        if style_id not in kept:
            style.getparent().remove(style)
    text = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return text, _names(text), b"<w:numPr" in text


def _font_table(used: set[str], existing: bytes | None) -> bytes:
    """A font table declaring exactly `used`: official fonts with their declarations, others as
    `existing` declared them (or by name only)."""
    root = etree.fromstring(font_table_xml(sorted(used)))
    declared = {f.get(f"{{{W}}}name") for f in root}
    if existing is not None:
        for font in etree.fromstring(existing).iter(f"{{{W}}}font"):
            name = font.get(f"{{{W}}}name")
            if name in used and name not in declared:
                root.append(font)
                declared.add(name)
    for name in sorted(used - declared):
        etree.SubElement(root, f"{{{W}}}font").set(f"{{{W}}}name", name)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
