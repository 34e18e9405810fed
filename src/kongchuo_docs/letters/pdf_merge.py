"""Compile-once PDF merge: letters laid out on the GB/T 9704 grid and written straight to PDF.

Why not WeasyPrint: measured on this machine class, one WeasyPrint render of a school's letters
costs ≈ 13 ms per letter (≈ 130 s of CPU for 10 000 letters), over the 60 s target even on two
cores. A letter is a few paragraphs of 3号 text on a fixed grid (22 lines of 28 characters), so
this module lays it out itself: the block texts are compiled once (Jinja), each letter's lines are
broken with the 禁则 of `layout.text`, justified to the 版心 width by character spacing, and
written as one compressed content stream per page (≈ 0.3 ms per letter). Fonts are subset once
per run (`pdf_fonts`) and embedded at the end of each file; the text stays searchable (ToUnicode).

Pagination: body lines flow over pages; the slip under the cut line (回执/送达回证) is kept whole at
the bottom of the 版心 and moves to the next page when it does not fit; in duplex it is only ever
printed on a front side with a blank back.
With ``duplex`` every letter starts on an odd page: a letter ending on an odd page is followed by a
blank page. Memory: one page at a time.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import jinja2

from .. import gbt9704 as g
from .. import sandbox
from ..layout.text import break_lines, justifiable
from . import spec as spec_mod
from .geometry import seal_signature_indents
from .pdf_fonts import EmbeddedFont, FontPack

BODY = g.FONT_FANGSONG
TITLE = g.FONT_XIAOBIAOSONG
SLIP_TITLE = g.FONT_HEITI
ROLES = (BODY, TITLE, SLIP_TITLE)
"""Font roles of the letters, body first (its face gives the em-box centre)."""

PAGE_W = g.mm_to_pt(g.PAPER_WIDTH_MM)
PAGE_H = g.mm_to_pt(g.PAPER_HEIGHT_MM)
LEFT = g.mm_to_pt(g.MARGIN_LEFT_MM)
TOP = PAGE_H - g.mm_to_pt(g.MARGIN_TOP_MM)  # PDF y of the 版心 top
WIDTH = g.TYPE_AREA_WIDTH_PT
HEIGHT = g.TYPE_AREA_HEIGHT_PT
_FIT_PT = 0.01
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
    """A dashed rule across the 版心 at the top of the line, `label` (the slip's title) centred under it."""

    label: TextLine
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


@dataclass(frozen=True)
class _Compiled:
    block: spec_mod.Block
    slip: bool
    when: jinja2.Template | None
    texts: tuple[jinja2.Template, ...]
    label: str  # the block's place in the wording file, for messages


class CompiledPdf:
    """A letter kind compiled once: Jinja texts, fonts and the grid; `write` lays out many letters."""

    def __init__(self, spec: spec_mod.LetterSpec, fonts: FontPack, *, duplex: bool):
        env = spec_mod.environment(autoescape=False)
        self.fonts = fonts
        self.duplex = duplex
        self.source = spec.source
        self.bookmark = env.from_string(spec.bookmark) if spec.bookmark else None
        self.blocks = [
            _Compiled(
                block,
                i >= len(spec.blocks),
                env.from_string(spec_mod.condition_source(block.when)) if block.when else None,
                tuple(env.from_string(t) for t in block.texts()),
                spec.block_label(i),
            )
            for i, block in enumerate(spec.all_blocks())
        ]

    # -- layout
    def _measure(self, role: str, size: float, spacing: float) -> Callable[[str], float]:
        glyphs = self.fonts.glyphs[role]
        fallback = glyphs["\ufffd"]

        def measure(text: str) -> float:
            return sum((glyphs.get(c) or fallback).advance * size + spacing for c in text)

        return measure

    def _paragraph(
        self, text: str, role: str, size: float, pitch: float, *, align: str, first_indent_em: float = 0.0,
        right_indent_em: float = 0.0, spacing: float = 0.0,
    ) -> list[Line]:  # fmt: skip
        measure = self._measure(role, size, spacing)
        first = first_indent_em * size
        width = WIDTH - right_indent_em * size
        lines = break_lines(text, width, measure, first)
        out: list[Line] = []
        for i, line in enumerate(lines):
            indent = first if i == 0 else 0.0
            natural = measure(line)
            line_spacing = spacing
            if align == "justify" and i < len(lines) - 1 and justifiable(line, indent + natural, width, size):
                line_spacing += (width - indent - natural) / (len(line) - 1)
                x = indent
            elif align == "center":
                x = (WIDTH - natural) / 2
            elif align == "right":
                x = width - natural
            else:
                x = indent
            out.append(TextLine(line, role, size, x, line_spacing, pitch))
        return out

    def _block_lines(self, item: _Compiled, fields: Mapping[str, object]) -> list[Line]:
        block = item.block
        texts = [sandbox.render(t, fields, where=self.source, field=item.label) for t in item.texts]
        body, pitch = g.BODY_SIZE_PT, g.LINE_PITCH_PT
        slip_size, slip_pitch = g.LETTER_SLIP_SIZE_PT, g.LETTER_SLIP_LINE_PITCH_PT
        size, line_pitch = (slip_size, slip_pitch) if item.slip else (body, pitch)
        spacing = 0.0 if item.slip else g.BODY_LETTER_SPACING_PT
        if block.type == "title":
            if item.slip:
                return self._paragraph(texts[0], SLIP_TITLE, slip_size, slip_pitch, align="center")
            return [
                *self._paragraph(texts[0], TITLE, g.TITLE_SIZE_PT, pitch, align="center"),
                *[Blank(pitch)] * g.RECIPIENT_BLANK_LINES_BELOW_TITLE,
            ]
        if block.type == "number":
            return self._paragraph(texts[0], BODY, size, line_pitch, align="right", spacing=spacing)
        if block.type == "line":
            return self._paragraph(texts[0], BODY, size, line_pitch, align="justify", spacing=spacing)
        if block.type == "paragraph":
            return self._paragraph(
                texts[0], BODY, size, line_pitch, align="justify", spacing=spacing,
                first_indent_em=g.BODY_INDENT_CHARS,
            )  # fmt: skip
        if block.type == "signature":
            issuer_indent, date_indent = seal_signature_indents(texts[0], texts[1])
            return [
                *[Blank(pitch)] * g.SEAL_BLANK_LINES_ABOVE_SIGNATURE,
                *self._paragraph(texts[0], BODY, body, pitch, align="right", right_indent_em=issuer_indent,
                                 spacing=spacing),
                *self._paragraph(texts[1], BODY, body, pitch, align="right", right_indent_em=date_indent,
                                 spacing=spacing),
            ]  # fmt: skip
        if block.type == "cut":
            first, *rest = self._paragraph(texts[0], SLIP_TITLE, slip_size, slip_pitch, align="center")
            return [CutLine(first, slip_pitch), *rest]  # type: ignore[arg-type]
        if block.type == "table":
            return [self._table_row(row, size, line_pitch) for row in block.table_rows(texts)]
        return [self._fill(texts, size, line_pitch)]

    def _table_row(self, cells: list[str], size: float, pitch: float) -> TableRow:
        """A table row of label/value pairs: labels centred in a fixed column, values left-aligned in
        the rest (a 2-cell row's value spans it all); taller when a value needs more lines."""
        label_w = g.LETTER_SLIP_TABLE_LABEL_CHARS * size
        value_w = (WIDTH - label_w * (len(cells) // 2)) / (len(cells) // 2)
        pad = g.LETTER_SLIP_TABLE_PAD_CHARS * size
        measure = self._measure(BODY, size, 0.0)
        placed: list[TableCell] = []
        x = 0.0
        for i, text in enumerate(cells):
            width = label_w if i % 2 == 0 else value_w
            lines = break_lines(text, width - 2 * pad, measure, 0.0) if text else []
            placed.append(TableCell(x, width, tuple(
                TextLine(line, BODY, size, x + ((width - measure(line)) / 2 if i % 2 == 0 else pad), 0.0, pitch)
                for line in lines
            )))  # fmt: skip
            x += width
        rows_needed = max((len(c.lines) for c in placed), default=1)
        height = max(g.LETTER_SLIP_TABLE_ROW_LINES * pitch, (rows_needed + 0.5) * pitch)
        return TableRow(tuple(placed), height)

    def _fill(self, labels: list[str], size: float, pitch: float) -> FillLine:
        n = len(labels)
        gap = g.LETTER_FILL_GAP_CHARS * size
        starts = [WIDTH * i / n for i in range(n)]
        ends = tuple(WIDTH * (i + 1) / n - (gap if i < n - 1 else 0.0) for i in range(n))
        return FillLine(
            tuple(TextLine(f"{label}：", BODY, size, x, 0.0, pitch) for label, x in zip(labels, starts, strict=True)),
            ends,
            pitch,
        )

    def letter(self, fields: Mapping[str, object]) -> tuple[list[Line], list[Line]]:
        """The body lines and the slip lines of one letter."""
        body: list[Line] = []
        slip: list[Line] = []
        for item in self.blocks:
            if item.when is not None and not sandbox.render(item.when, fields, where=self.source, field=item.label):
                continue
            (slip if item.slip else body).extend(self._block_lines(item, fields))
        return body, slip

    # -- output
    def write(self, letters: Iterable[Mapping[str, object]], target: Path, *, title: str) -> tuple[int, int, int]:
        """Write all `letters` into one PDF at `target`; return (letters, pages, spilled): `spilled`
        counts the letters whose body fits one page but whose slip had to go to a second page."""
        with target.open("wb") as fh:
            writer = _PdfWriter(fh, self.fonts)
            count = spilled = 0
            for fields in letters:
                if self.bookmark is not None:
                    writer.bookmark(sandbox.render(self.bookmark, fields, where=self.source, field="bookmark").strip())
                body, slip = self.letter(fields)
                spilled += self._paginate(writer, body, slip)
                count += 1
                if self.duplex and writer.page_count % 2:
                    writer.blank_page()
            writer.finish(title)
        return count, writer.page_count, spilled

    def _paginate(self, writer: _PdfWriter, body: list[Line], slip: list[Line]) -> bool:
        """Body lines from the 版心 top; the slip kept whole at the 版心 bottom (the cut line as low as
        possible) and at least `LETTER_CUT_CLEARANCE_PT` below the last body line (the date and seal).
        When the body leaves no room for it, the slip goes to the next page. With ``duplex`` a slip is
        only ever printed on a front side (odd page) whose back is blank, so cutting it off never cuts
        into the letter: if the body ends on a back side, the slip goes to the front of a new sheet.
        Returns whether a one-page body had its slip pushed to another page."""
        page = _PageContent(self.fonts)
        first_page = writer.page_count
        used = 0.0
        for line in body:
            if used + line.pitch > HEIGHT + _FIT_PT:
                writer.page(page)
                page, used = _PageContent(self.fonts), 0.0
            page.draw(line, used)
            used += line.pitch
        body_pages = writer.page_count - first_page + 1
        slip_height = sum(line.pitch for line in slip)
        on_back_side = writer.page_count % 2 == 1  # the page being drawn would be an even page
        no_room = used + g.LETTER_CUT_CLEARANCE_PT + slip_height > HEIGHT + _FIT_PT
        spilled = bool(slip) and no_room and body_pages == 1
        if slip and (no_room or (self.duplex and on_back_side)):
            writer.page(page)
            if self.duplex and writer.page_count % 2:
                writer.blank_page()
            page = _PageContent(self.fonts)
        top = HEIGHT - slip_height
        for line in slip:
            page.draw(line, top)
            top += line.pitch
        writer.page(page)
        return spilled


# ---------------------------------------------------------------- PDF writing


class _PageContent:
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
            self._text(line.label, top)
            y = TOP - top
            self.ops.append(
                f"q {g.LETTER_RULE_PT:.2f} w [{g.LETTER_CUT_DASH_PT:g} {g.LETTER_CUT_DASH_GAP_PT:g}] 0 d "
                f"{LEFT:.2f} {y:.2f} m {LEFT + WIDTH:.2f} {y:.2f} l S Q"
            )
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

    def _baseline(self, line: TextLine, top: float) -> float:
        return TOP - top - line.pitch / 2 - self.fonts.em_centre * line.size

    def _text(self, line: TextLine, top: float) -> None:
        if not line.text:
            return
        parts = [f"BT {line.spacing:.3f} Tc 1 0 0 1 {LEFT + line.x:.2f} {self._baseline(line, top):.2f} Tm"]
        current = -1
        run: list[str] = []
        for char in line.text:
            glyph = self.fonts.glyph(line.role, char)
            if glyph.font != current:
                if run:
                    parts.append(f"<{''.join(run)}> Tj")
                    run = []
                parts.append(f"/F{glyph.font} {line.size:g} Tf")
                current = glyph.font
                self.used_fonts.add(glyph.font)
            run.append(f"{glyph.code:04X}")
        parts.append(f"<{''.join(run)}> Tj ET")
        self.ops.append(" ".join(parts))


class _PdfWriter:
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

    def page(self, content: _PageContent) -> None:
        stream = self._new_id()
        self._stream(stream, "\n".join(content.ops).encode("ascii"))
        self.used_fonts |= content.used_fonts
        self._page_obj(stream)

    def blank_page(self) -> None:
        self._page_obj(self.EMPTY)

    def bookmark(self, title: str) -> None:
        """A bookmark to the next page written (the first page of a letter)."""
        self.bookmarks.append((title, len(self.kids)))

    def finish(self, title: str) -> None:
        font_refs = {index: self._font(self.fonts.fonts[index]) for index in sorted(self.used_fonts)}
        fonts = " ".join(f"/F{i} {ref} 0 R" for i, ref in font_refs.items())
        self._obj(self.RESOURCES, f"<< /Font << {fonts} >> >>".encode())
        kids = " ".join(f"{k} 0 R" for k in self.kids)
        self._obj(self.PAGES, f"<< /Type /Pages /Kids [{kids}] /Count {len(self.kids)} >>".encode())
        outlines = f" /Outlines {self._outlines()} 0 R /PageMode /UseOutlines" if self.bookmarks else ""
        self._obj(self.CATALOG, f"<< /Type /Catalog /Pages {self.PAGES} 0 R{outlines} >>".encode())
        self._obj(self.INFO, f"<< /Title {_pdf_text(title)} /Producer (kongchuo-docs) >>".encode())
        xref = self.fh.tell()
        size = self.next_id
        lines = [f"xref\n0 {size}\n", "0000000000 65535 f \n"]
        lines += [f"{self.offsets[n]:010d} 00000 n \n" for n in range(1, size)]
        self.fh.write("".join(lines).encode())
        trailer = f"trailer\n<< /Size {size} /Root {self.CATALOG} 0 R /Info {self.INFO} 0 R >>\n"
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


def _pdf_text(text: str) -> str:
    """A PDF text string in UTF-16BE with BOM, as hex."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


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
