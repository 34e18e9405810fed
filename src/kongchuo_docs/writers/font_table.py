"""``word/fontTable.xml`` declarations of the five GB/T 9704 fonts.

Word and WPS choose a replacement for a font that is not installed from its declaration: the
character set (GB2312 = 0x86), the PANOSE classification and the family kind, and try the
alternate name first. Without one, a DOCX naming 仿宋_GB2312 on a machine lacking it falls back to
the application's default font. (LibreOffice ignores these on Linux and asks fontconfig instead:
see `font_aliases`.)
"""

from __future__ import annotations

from typing import NamedTuple

from docx.document import Document as WordDocument
from lxml import etree

from .. import gbt9704 as g
from .ooxml import el

CHARSET_GB2312 = "86"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FONT_TABLE_PART = "/word/fontTable.xml"


class FontDeclaration(NamedTuple):
    alt_name: str  # the name the font is also installed under (English name on Windows)
    panose: str  # PANOSE-1, 10 bytes in hex, of the Windows font
    family: str  # roman (serif), swiss (sans), modern, script, decorative, auto


DECLARATIONS: dict[str, FontDeclaration] = {
    g.FONT_XIAOBIAOSONG: FontDeclaration("FZXiaoBiaoSong-B05S", "02010601030101010101", "roman"),
    g.FONT_FANGSONG: FontDeclaration("FangSong_GB2312", "02010609030101010101", "roman"),
    g.FONT_KAITI: FontDeclaration("KaiTi_GB2312", "02010609030101010101", "roman"),
    g.FONT_HEITI: FontDeclaration("SimHei", "02010609060101010101", "swiss"),
    g.FONT_SONGTI: FontDeclaration("SimSun", "02010600030101010101", "roman"),
}


def declare_fonts(word: WordDocument) -> None:
    """Add (or replace) the declaration of every official font in a python-docx document's font table."""
    part = next(p for p in word.part.package.iter_parts() if p.partname == FONT_TABLE_PART)
    root = etree.fromstring(part.blob)
    _declare(root)
    part._blob = _serialized(root)


def font_table_xml() -> bytes:
    """A ``word/fontTable.xml`` holding only the official fonts (for a package built by hand)."""
    root = etree.fromstring(f'<w:fonts xmlns:w="{_W}"/>')
    _declare(root)
    return _serialized(root)


def _declare(root: etree._Element) -> None:
    for name, decl in DECLARATIONS.items():
        for old in root.findall(f"{{{_W}}}font[@{{{_W}}}name='{name}']"):
            root.remove(old)
        font = el("w:font", name=name)
        font.append(el("w:altName", val=decl.alt_name))
        font.append(el("w:panose1", val=decl.panose))
        font.append(el("w:charset", val=CHARSET_GB2312))
        font.append(el("w:family", val=decl.family))
        font.append(el("w:pitch", val="variable"))
        root.append(font)


def _serialized(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

