"""The letters' PDF file: the laid-out line types (`Line`), one page's content stream (`PageContent`)
and the file writer (`PdfWriter`) that streams pages and writes fonts, page tree and outline at the end,
with the PDF/A parts (`pdf_archive`). Positions in pt; the 版心 is placed on A4 by the GB/T 9704 margins."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import BinaryIO

from .. import gbt9704 as g
from ..layout import cut_mark
from .pdf_archive import DocumentInfo, document_id, info_dictionary, write_archive
from .pdf_archive import pdf_text as _pdf_text
from .pdf_fonts import EmbeddedFont, FontPack

PAGE_W = g.mm_to_pt(g.PAPER_WIDTH_MM)
PAGE_H = g.mm_to_pt(g.PAPER_HEIGHT_MM)
LEFT = g.mm_to_pt(g.MARGIN_LEFT_MM)
TOP = PAGE_H - g.mm_to_pt(g.MARGIN_TOP_MM)  # PDF y of the 版心 top
WIDTH = g.TYPE_AREA_WIDTH_PT
HEIGHT = g.TYPE_AREA_HEIGHT_PT
ZLIB_LEVEL = 6


# ---------------------------------------------------------------- laid-out lines


@dataclass(frozen=True)
class TextLine:
    """A line of text at `x` (pt from the 版心 left) with character spacing `spacing` (pt)."""

    text: str
    role: str
    size: float
    x: float
    spacing: float
    pitch: float


@dataclass(frozen=True)
class Blank:
    pitch: float


@dataclass(frozen=True)
class CutLine:
    """The cut line above a tear-off slip (`layout.cut_mark`): a ✂ at its left end, dashes across the
    版心 through the middle of the line, `words` centred in a gap of them."""

    words: TextLine
    pitch: float


@dataclass(frozen=True)
class FillLine:
    """Write-in fields: each label followed by an underline to the end of its share of the line."""

    labels: tuple[TextLine, ...]
    ends: tuple[float, ...]  # x (pt from the 版心 left) where each underline ends
    pitch: float


@dataclass(frozen=True)
class TableCell:
    """One bordered cell: `x`, `width` in pt from the 版心 left; its lines already broken and placed."""

    x: float
    width: float
    lines: tuple[TextLine, ...]


@dataclass(frozen=True)
class TableRow:
    """A row of a bordered slip table (送达回证); `pitch` is the row height in pt."""

    cells: tuple[TableCell, ...]
    pitch: float


Line = TextLine | Blank | CutLine | FillLine | TableRow


class PageContent:
    """The content stream of one page being drawn."""

    def __init__(self, fonts: FontPack):
        self.fonts = fonts
        self.ops: list[str] = []
        self.used_fonts: set[int] = set()

    def draw(self, line: Line, top: float) -> None:
        """Draw `line` whose line box starts `top` pt below the 版心 top."""
        if isinstance(line, TextLine):
            self._text(line, top)
        elif isinstance(line, CutLine):
            self._cut_line(line, top)
        elif isinstance(line, TableRow):
            y = TOP - top - line.pitch
            for cell in line.cells:
                self.ops.append(f"q {g.LETTER_RULE_PT:.2f} w {LEFT + cell.x:.2f} {y:.2f} {cell.width:.2f} "
                                f"{line.pitch:.2f} re S Q")  # fmt: skip
                offset = (line.pitch - sum(t.pitch for t in cell.lines)) / 2
                for k, text in enumerate(cell.lines):
                    self._text(text, top + offset + k * text.pitch)
        elif isinstance(line, FillLine):
            baseline = self._baseline(line.labels[0], top)
            for label, end in zip(line.labels, line.ends, strict=True):
                self._text(label, top)
                start = label.x + self.fonts.advance_em(label.role, label.text) * label.size
                rule_y = baseline + (self.fonts.em_centre - 0.5) * label.size  # bottom of the em box
                self.ops.append(
                    f"q {g.LETTER_RULE_PT:.2f} w {LEFT + start:.2f} {rule_y:.2f} m "
                    f"{LEFT + end:.2f} {rule_y:.2f} l S Q"
                )

    def _cut_line(self, line: CutLine, top: float) -> None:
        """The ✂ (its glyph when a face has it: `FontPack.has`; else drawn as lines), the words, the
        two runs of dashes either side of them: all centred on the middle of the line, where the
        words' em box is."""
        words = line.words
        y = TOP - top - line.pitch / 2
        size = g.LETTER_CUT_MARK_SIZE_PT
        if self.fonts.has(words.role, g.LETTER_CUT_MARK):
            self._text(TextLine(g.LETTER_CUT_MARK, words.role, size, 0.0, 0.0, line.pitch), top)
        else:
            self.ops.append(cut_mark.scissors_pdf_ops(LEFT, y + size / 2, size))
        self._text(words, top)
        width = self.fonts.advance_em(words.role, words.text) * words.size if words.text else 0.0
        for a, b in cut_mark.runs(WIDTH, width):
            self.ops.append(f"q {g.LETTER_RULE_PT:.2f} w [{g.LETTER_CUT_DASH_PT:g} {g.LETTER_CUT_DASH_GAP_PT:g}] 0 d "
                            f"{LEFT + a:.2f} {y:.2f} m {LEFT + b:.2f} {y:.2f} l S Q")

    def _baseline(self, line: TextLine, top: float) -> float:
        return TOP - top - line.pitch / 2 - self.fonts.em_centre * line.size

    def _text(self, line: TextLine, top: float) -> None:
        if not line.text:
            return
        parts = [f"BT {line.spacing:.3f} Tc 1 0 0 1 {LEFT + line.x:.2f} {self._baseline(line, top):.2f} Tm"]
        current = -1
        run: list[str] = []
        codes = self.fonts.hex_codes(line.role)
        for char in line.text:
            font, code = codes.get(char) or self.fonts.hex_code(line.role, char)
            if font != current:
                if run:
                    parts.append(f"<{''.join(run)}> Tj")
                    run = []
                parts.append(f"/F{font} {line.size:g} Tf")
                current = font
                self.used_fonts.add(font)
            run.append(code)
        parts.append(f"<{''.join(run)}> Tj ET")
        self.ops.append(" ".join(parts))



class PdfWriter:
    """Streams pages into a PDF file; fonts, resources and the page tree are written at the end."""

    CATALOG, PAGES, RESOURCES, INFO, EMPTY = 1, 2, 3, 4, 5

    def __init__(self, fh: BinaryIO, fonts: FontPack):
        self.fh = fh
        self.fonts = fonts
        self.offsets: dict[int, int] = {}
        self.next_id = 6
        self.kids: list[int] = []
        self.used_fonts: set[int] = set()
        self.bookmarks: list[tuple[str, int]] = []  # (title, index of the page it points to)
        fh.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self._stream(self.EMPTY, b"", compress=False)

    @property
    def page_count(self) -> int:
        return len(self.kids)

    def _new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def _obj(self, num: int, body: bytes) -> None:
        self.offsets[num] = self.fh.tell()
        self.fh.write(b"%d 0 obj\n" % num + body + b"\nendobj\n")

    def _stream(self, num: int, data: bytes, extra: str = "", *, compress: bool = True) -> None:
        if compress:
            data = zlib.compress(data, ZLIB_LEVEL)
            extra += " /Filter /FlateDecode"
        head = f"<< /Length {len(data)}{extra} >>\nstream\n".encode()
        self._obj(num, head + data + b"\nendstream")

    def _page_obj(self, content: int) -> None:
        page = self._new_id()
        self._obj(
            page,
            (
                f"<< /Type /Page /Parent {self.PAGES} 0 R /MediaBox [0 0 {PAGE_W:.2f} {PAGE_H:.2f}] "
                f"/Resources {self.RESOURCES} 0 R /Contents {content} 0 R >>"
            ).encode(),
        )
        self.kids.append(page)

    def page(self, content: PageContent) -> None:
        stream = self._new_id()
        self._stream(stream, "\n".join(content.ops).encode("ascii"))
        self.used_fonts |= content.used_fonts
        self._page_obj(stream)

    def blank_page(self) -> None:
        self._page_obj(self.EMPTY)

    def bookmark(self, title: str) -> None:
        """A bookmark to the next page written (the first page of a letter)."""
        self.bookmarks.append((title, len(self.kids)))

    def finish(self, info: DocumentInfo) -> None:
        font_refs = {index: self._font(self.fonts.fonts[index]) for index in sorted(self.used_fonts)}
        fonts = " ".join(f"/F{i} {ref} 0 R" for i, ref in font_refs.items())
        self._obj(self.RESOURCES, f"<< /Font << {fonts} >> >>".encode())
        kids = " ".join(f"{k} 0 R" for k in self.kids)
        self._obj(self.PAGES, f"<< /Type /Pages /Kids [{kids}] /Count {len(self.kids)} >>".encode())
        outlines = f" /Outlines {self._outlines()} 0 R /PageMode /UseOutlines" if self.bookmarks else ""
        archive = write_archive(self, info)
        self._obj(self.CATALOG, f"<< /Type /Catalog /Pages {self.PAGES} 0 R{outlines}{archive} >>".encode())
        self._obj(self.INFO, info_dictionary(info))
        xref = self.fh.tell()
        size = self.next_id
        lines = [f"xref\n0 {size}\n", "0000000000 65535 f \n"]
        lines += [f"{self.offsets[n]:010d} 00000 n \n" for n in range(1, size)]
        self.fh.write("".join(lines).encode())
        trailer = (f"trailer\n<< /Size {size} /Root {self.CATALOG} 0 R /Info {self.INFO} 0 R "
                   f"/ID {document_id(self.offsets, info)} >>\n")
        self.fh.write(f"{trailer}startxref\n{xref}\n%%EOF\n".encode())

    def _outlines(self) -> int:
        """The bookmarks as a flat outline; returns the outline root's object number."""
        root = self._new_id()
        items = [self._new_id() for _ in self.bookmarks]
        for i, ((title, page), num) in enumerate(zip(self.bookmarks, items, strict=True)):
            links = (f" /Prev {items[i - 1]} 0 R" if i else "") + (
                f" /Next {items[i + 1]} 0 R" if i + 1 < len(items) else ""
            )
            self._obj(num, (f"<< /Title {_pdf_text(title)} /Parent {root} 0 R{links} "
                            f"/Dest [{self.kids[page]} 0 R /XYZ null null null] >>").encode())  # fmt: skip
        first, last = items[0], items[-1]
        self._obj(root, f"<< /Type /Outlines /First {first} 0 R /Last {last} 0 R /Count {len(items)} >>".encode())
        return root

    def _font(self, font: EmbeddedFont) -> int:
        type0, cid, descriptor, program, cmap = (self._new_id() for _ in range(5))
        widths = " ".join(f"{code} [{w}]" for code, w in sorted(font.widths.items()))
        if font.cff:
            self._stream(program, font.data, " /Subtype /CIDFontType0C")
            subtype, file_key, gid_map = "CIDFontType0", "FontFile3", ""
        else:
            self._stream(program, font.data, f" /Length1 {len(font.data)}")
            subtype, file_key, gid_map = "CIDFontType2", "FontFile2", " /CIDToGIDMap /Identity"
        bbox = " ".join(str(v) for v in font.bbox)
        self._obj(
            descriptor,
            (
                f"<< /Type /FontDescriptor /FontName /{font.base_font} /Flags 4 /FontBBox [{bbox}] "
                f"/ItalicAngle 0 /Ascent {font.ascent} /Descent {font.descent} /CapHeight {font.cap_height} "
                f"/StemV 80 /{file_key} {program} 0 R >>"
            ).encode(),
        )
        self._obj(
            cid,
            (
                f"<< /Type /Font /Subtype /{subtype} /BaseFont /{font.base_font} "
                "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                f"/FontDescriptor {descriptor} 0 R /DW 1000 /W [{widths}]{gid_map} >>"
            ).encode(),
        )
        self._stream(cmap, _to_unicode_cmap(font.to_unicode))
        self._obj(
            type0,
            (
                f"<< /Type /Font /Subtype /Type0 /BaseFont /{font.base_font} /Encoding /Identity-H "
                f"/DescendantFonts [{cid} 0 R] /ToUnicode {cmap} 0 R >>"
            ).encode(),
        )
        return type0


def _to_unicode_cmap(mapping: dict[int, str]) -> bytes:
    entries = sorted(mapping.items())
    chunks = []
    for start in range(0, len(entries), 100):
        block = entries[start : start + 100]
        body = "\n".join(f"<{code:04X}> <{char.encode('utf-16-be').hex().upper()}>" for code, char in block)
        chunks.append(f"{len(block)} beginbfchar\n{body}\nendbfchar")
    text = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(chunks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )
    return text.encode("ascii")
