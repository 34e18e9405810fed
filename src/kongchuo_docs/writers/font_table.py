"""``word/fontTable.xml`` declarations of the five GB/T 9704 fonts.

Word and WPS choose a replacement for a font that is not installed from its declaration: the
character set (GB2312 = 0x86), the PANOSE classification and the family kind, and try the
alternate name first. Without one, a DOCX naming 仿宋_GB2312 on a machine lacking it falls back to
the application's default font. (LibreOffice ignores these on Linux and asks fontconfig instead:
see `font_aliases`.)
"""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from lxml import etree

from .. import gbt9704 as g
from .ooxml import el

CHARSET_GB2312 = "86"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


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


def font_table_xml(names: Collection[str] | None = None) -> bytes:
    """A ``word/fontTable.xml`` declaring the official fonts among `names` (default: all five), in the
    order of `DECLARATIONS`; `docx_clean` adds any other font a document uses."""
    root = etree.fromstring(f'<w:fonts xmlns:w="{_W}"/>')
    for name, decl in DECLARATIONS.items():
        if names is not None and name not in names:
            continue
        font = el("w:font", name=name)
        font.append(el("w:altName", val=decl.alt_name))
        font.append(el("w:panose1", val=decl.panose))
        font.append(el("w:charset", val=CHARSET_GB2312))
        font.append(el("w:family", val=decl.family))
        font.append(el("w:pitch", val="variable"))
        root.append(font)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

