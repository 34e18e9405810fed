"""Draw a `Layout` as HTML for WeasyPrint: every page a paper-sized box, every line, rule, table
fragment and image absolutely positioned where the layout put it.

So the PDF has the layout's line breaks and pages, not WeasyPrint's. Units: pt everywhere (the
layout's unit); positions are from the paper's top-left corner.

* **Baselines.** A line of the layout is an exact-height line box. LibreOffice seats its baseline
  `gbt9704.EXACT_LINE_BASELINE_FRACTION` of the height below its top; WeasyPrint (CSS) centres the
  font's ascent + descent in the line-height instead. Each line's box is moved by the difference,
  computed from the hhea/OS/2 metrics Pango uses for the face, so both put the glyphs at the same place.
  Spans in another face (a run-in heading's words, fallback characters) get ``line-height: 0`` so
  they never enlarge the line box.
* **Flush lines.** WeasyPrint's ``justify`` widens only spaces, so a `Line.flush` line gets its own
  ``letter-spacing``: (available width − natural width) / (characters − 1), the natural width
  measured by HarfBuzz as Pango shapes it (`FontSet.measure`). Other 三号 lines keep
  `gbt9704.BODY_LETTER_SPACING_PT` (28 characters in the 版心), narrowed only if a line would not fit.
* **Automatic space** where Chinese meets Latin letters or digits (`layout.text.autospace_gaps`,
  which LibreOffice and Word add and the layout counts) is a left margin on the span after the gap.
* **横排 pages** (`Page.landscape`) are landscape paper with the 版心 turned a quarter
  (`gbt9704.LANDSCAPE_MARGIN_*`); the page number stays where a portrait page has it: it is drawn in
  portrait coordinates and the whole portrait frame is turned with the page (a quarter clockwise:
  the table's top at the 订口), so it reads top to bottom along the left edge (the portrait page's foot).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from markupsafe import Markup

from .. import gbt9704 as g
from ..errors import Location, Problems
from ..layout import cut_mark
from ..layout.boxes import Colophon, Gap, ImageBox, Layout, Line, Measures, Page, Rule, TableBox
from ..layout.text import autospace_gaps, break_lines
from ..system.fonts import Fallback, FontSet

PAPER_W = g.mm_to_pt(g.PAPER_WIDTH_MM)
PAPER_H = g.mm_to_pt(g.PAPER_HEIGHT_MM)

# Where a line's text comes from, for error messages (a character no font has).
ROLE_LABEL = {
    "body": "正文", "title": "标题", "issued-title": "印发件标题", "attachment-title": "附件标题",
    "mark": "发文机关标志", "mark-suffix": "发文机关标志", "doc-number": "发文字号", "signer": "签发人",
    "recipients": "主送机关", "h1": "一级标题", "h2": "二级标题", "h3": "三级标题", "h4": "四级标题",
    "attachment-note": "附件说明", "signature": "署名", "signature-note": "署名", "date": "成文日期",
    "note": "附注", "attachment-label": "附件", "caption": "图注", "copy-number": "份号",
    "secrecy": "密级", "urgency": "紧急程度", "table": "表格", "colophon": "版记", "page-number": "页码",
    "sign-field": "签字栏", "cut": "回执的裁剪线", "receipt-title": "回执", "receipt": "回执", "receipt-field": "回执",
}  # fmt: skip


@dataclass(frozen=True)
class Box:
    """One absolutely positioned element: CSS class, inline style, inner HTML."""

    cls: str
    style: str
    html: Markup = field(default_factory=Markup)


@dataclass
class HtmlPage:
    orientation: str  # "portrait" | "landscape"
    boxes: list[Box] = field(default_factory=list)


@dataclass(frozen=True)
class Frame:
    """Where the 版心 of a page is on the paper, pt."""

    left: float
    top: float
    width: float
    height: float

    @staticmethod
    def of(page: Page) -> Frame:
        return LANDSCAPE if page.landscape else PORTRAIT


PORTRAIT = Frame(g.mm_to_pt(g.MARGIN_LEFT_MM), g.mm_to_pt(g.MARGIN_TOP_MM), g.TYPE_AREA_WIDTH_PT,
                 g.TYPE_AREA_HEIGHT_PT)
# §8 横排表格: the same 版心 turned a quarter (see gbt9704.LANDSCAPE_MARGIN_*)
LANDSCAPE = Frame(g.mm_to_pt(g.LANDSCAPE_MARGIN_LEFT_MM), g.mm_to_pt(g.LANDSCAPE_MARGIN_TOP_MM),
                  g.TYPE_AREA_HEIGHT_PT, g.TYPE_AREA_WIDTH_PT)


@cache
def face_extents(path: Path, index: int) -> tuple[float, float]:
    """(ascent, descent) in em as Pango takes them for line boxes: OS/2 typo metrics when the font
    says USE_TYPO_METRICS, else hhea (read once per face; ~1 ms with a lazy fontTools load)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=index, lazy=True)
    upem = font["head"].unitsPerEm
    os2 = font.get("OS/2")
    if os2 is not None and os2.fsSelection & (1 << 7):
        return os2.sTypoAscender / upem, -os2.sTypoDescender / upem
    hhea = font["hhea"]
    return hhea.ascent / upem, -hhea.descent / upem


def _pt(value: float) -> str:
    return f"{value:.3f}pt"


def _css_family(family: str) -> str:
    """One family, no stack: characters a face lacks are already cut out into spans naming the
    fallback face (`FontSet.segments`), and short stacks keep WeasyPrint fast (~60 ms on the seed)."""
    return '"' + family.replace("\\", "\\\\").replace('"', '\\"') + '"'


OVERFLOW_TOLERANCE_PT = 0.5  # a table or picture may end this far below the 版心 (rounding)

# WeasyPrint draws letter spacing into the PDF with per-glyph TJ adjustments it rounds (up to
# ~0.01 pt a glyph), while its layout places each inline box exactly: text is cut into runs of at
# most this many characters, so the drift never exceeds a few hundredths of a pt (0.02 mm).
RUN_CHARS = 7


def _runs(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of runs of at most about RUN_CHARS characters, never cutting a Latin word."""
    cut = start
    for i in range(start + 1, end):
        if i - cut >= RUN_CHARS and not (text[i - 1].isascii() and text[i].isascii()):
            yield cut, i
            cut = i
    yield cut, end


def _parts(line: Line) -> list[tuple[str, str]]:
    """(text, official font) parts of a line: its leading characters in `lead_font` (a run-in
    heading's own words; "签发人：" in 仿宋 before the names in 楷体, §7.2.6), as the DOCX has them."""
    text = line.text
    if line.lead_len and line.lead_font:
        return [(text[: line.lead_len], line.lead_font), (text[line.lead_len :], line.font)]
    return [(text, line.font)]


class HtmlBuilder:
    """Turns a Layout into `HtmlPage`s, checking every character against the fonts on the way."""

    def __init__(self, layout: Layout, fonts: FontSet, measures: Measures):
        self.layout = layout
        self.fonts = fonts
        self.measures = measures
        self.problems = Problems()
        self.fallbacks: list[Fallback] = []
        self.mark_faces: list[Fallback] = []  # faces of marks drawn in another face (the ✂), for the CSS
        self.notes: list[str] = []  # what to tell once per run (`FontSet.announce`)
        self.pages: list[HtmlPage] = []
        self._where = ""
        self.too_tall: set[int] = set()  # id() of tables whose header was found taller than a page

    # ------------------------------------------------------------------ pages

    def build(self) -> list[HtmlPage]:
        for page in self.layout.pages:
            self.pages.append(self.page(page))
        return self.pages

    def page(self, page: Page) -> HtmlPage:
        frame = Frame.of(page)
        out = HtmlPage("landscape" if page.landscape else "portrait")
        line_no = 0
        joint = self.joint_mark(page)
        for placed in page.items:
            item = joint.get(id(placed.item), placed.item)
            if isinstance(item, Line):
                line_no += 1
                self._where = f"第 {page.number} 页第 {line_no} 行{ROLE_LABEL.get(item.role, '')}"
                out.boxes.append(self.line(item, frame, placed.y_pt))
                if item.role == "cut":
                    out.boxes.extend(self.cut_line(item, frame, placed.y_pt))
            elif isinstance(item, Rule):
                out.boxes.append(self.rule(item, frame, placed.y_pt))
            elif isinstance(item, TableBox):
                self._where = f"第 {page.number} 页表格"
                self.check_table(item, frame, placed.y_pt)
                out.boxes.extend(self.table(item, frame, placed.y_pt))
            elif isinstance(item, ImageBox):
                self._where = f"第 {page.number} 页图片"
                self.check_fits(item, frame, placed.y_pt, "图片比一页还高，请减小图片宽度")
                out.boxes.append(self.image(item, frame, placed.y_pt))
            elif not isinstance(item, Gap):
                raise TypeError(f"unknown layout item {item!r}")
        if self.layout.letter_format and page.number == 1:
            out.boxes.extend(self.letter_foot_rules())
        if page.colophon is not None:
            self._where = f"第 {page.number} 页版记"
            out.boxes.extend(self.colophon(page.colophon, frame))
        if page.numbered:
            self._where = f"第 {page.number} 页页码"
            out.boxes.append(self.page_number(page))
        return out

    def check_table(self, box: TableBox, frame: Frame, y_pt: float) -> None:
        """A table fragment running past the 版心's foot: the layout splits every row taller than a
        page, so only header rows with one line of a row under them taller than a page do; an error
        naming where the header was read (else the row that passes the foot, else the page)."""
        if y_pt + box.height_pt <= frame.height + OVERFLOW_TOLERANCE_PT or id(box.table) in self.too_tall:
            return
        self.too_tall.add(id(box.table))  # told once, not on every page the header repeats on
        bottom, row = y_pt, box.rows[-1]
        for r in box.rows:
            bottom += box.part_height(r)
            if bottom > frame.height + OVERFLOW_TOLERANCE_PT:
                row = r
                break
        sources = box.table.sources or [None] * len(box.table.rows)
        header = [sources[r] for r in box.rows if r < box.table.header_rows]
        source = next((s for s in header if s), sources[row] if row < len(sources) else None)
        where = Location(source, column=self._where) if source else Location(self._where)
        self.problems.error(where, "表格的表头太高，表头下放不下一行内容，请精简表头文字")

    def check_fits(self, item: ImageBox, frame: Frame, y_pt: float, message: str) -> None:
        """A box the layout could not split that runs past the 版心's foot would be cut off by the
        paper's edge: an error, not a silently clipped page."""
        if y_pt + item.height_pt > frame.height + OVERFLOW_TOLERANCE_PT:
            self.problems.error(Location(self._where), message)

    # ------------------------------------------------------------------ text lines

    def line(self, line: Line, frame: Frame, y_pt: float) -> Box:
        """One layout line as a positioned box whose baseline sits where LibreOffice puts it."""
        pieces = self.pieces(line)
        size, height = line.size_pt, line.height_pt
        left = frame.left + line.indent_pt
        # a condensed line (scale_pct) is laid out wider and squeezed back onto its width
        scale = line.scale_pct / 100
        width = (frame.width - line.indent_pt - line.right_indent_pt) / scale
        spacing = self.letter_spacing(line, pieces, width)
        # the letter spacing after the last glyph is part of the box: keep it off the aligned edge
        if line.align == "right":
            left += spacing * scale
        elif line.align == "center":
            left += spacing * scale / 2
        face = self.fonts.face(line.font)
        ascent, descent = face_extents(face.path, face.index)
        css_baseline = (height - (ascent + descent) * size) / 2 + ascent * size
        top = frame.top + y_pt + g.EXACT_LINE_BASELINE_FRACTION * height - css_baseline
        style = [
            f"left:{_pt(left)}", f"top:{_pt(top)}", f"width:{_pt(width)}", f"height:{_pt(height)}",
            f"font-family:{_css_family(self.fonts[line.font].family)}",
            f"font-weight:{self.fonts[line.font].weight}",
            f"font-size:{_pt(size)}", f"line-height:{_pt(height)}", f"letter-spacing:{_pt(spacing)}",
            f"text-align:{'left' if line.align == 'justify' else line.align}",
        ]
        if line.color:
            style.append(f"color:#{line.color}")
        if scale != 1:
            style.append(f"transform-origin:0 50%;transform:scaleX({scale:.4f})")
        html = Markup("")
        for start, end, face_css, gap in pieces:
            for cut, stop in _runs(line.text, start, end):
                css = [face_css] if face_css else []
                if gap and cut == start:
                    css.append(f"margin-left:{_pt(self.measures.autospace(size))}")
                html += Markup('<span style="{}">{}</span>').format(";".join(css), line.text[cut:stop])
        return Box("line", ";".join(style), html)

    @staticmethod
    def joint_mark(page: Page) -> dict[int, Line]:
        """联合行文 (§7.2.4), as the DOCX draws it: the stacked names spread over the width of the
        longest and "文件" right of them after one em of air, the whole block centred in the 版心.
        Maps id() of the page's mark lines to their replacements (none without a suffix)."""
        marks = [pl.item for pl in page.items if isinstance(pl.item, Line) and pl.item.role in ("mark", "mark-suffix")]
        suffix = next((m for m in marks if m.role == "mark-suffix"), None)
        if suffix is None:
            return {}
        names = [m for m in marks if m.role == "mark"]
        em = suffix.size_pt * suffix.scale_pct / 100  # names and suffix are full-width
        names_w = em * max(len(m.text) for m in names)
        suffix_w = em * (len(suffix.text) + 1)
        side = (g.TYPE_AREA_WIDTH_PT - names_w - suffix_w) / 2
        spread = {id(m): replace(m, align="justify", flush=True, indent_pt=side,
                                 right_indent_pt=side + suffix_w) for m in names}
        return spread | {id(suffix): replace(suffix, align="right", right_indent_pt=side)}

    def pieces(self, line: Line) -> list[tuple[int, int, str | None, bool]]:
        """The line cut into (start, end, CSS font of the piece or None for the line's own face,
        automatic space before it): a run-in heading's words, fallback characters, Chinese/Latin
        boundaries. Checks every character against the fonts (errors into `problems`)."""
        text = line.text
        gaps = set(autospace_gaps(text))
        own_family = self.fonts[line.font].family
        pieces: list[tuple[int, int, str | None, bool]] = []
        start = 0
        for part, official in _parts(line):
            if not part:
                continue
            self.fallbacks += self.fonts.check_text(part, official, f"{self._where}（{text}）", self.problems)
            for segment, family in self.fonts.segments(part, official):
                css = None
                if family != own_family or official != line.font:
                    css = self._face_css(family, official)
                end = start + len(segment)
                cut = start
                for i in range(start + 1, end):
                    if i in gaps:
                        pieces.append((cut, i, css, cut in gaps))
                        cut = i
                pieces.append((cut, end, css, cut in gaps))
                start = end
        return pieces

    def _face_css(self, family: str, official: str) -> str:
        """CSS font of a piece in another face; ``line-height: 0`` keeps it from enlarging the line."""
        return f"font-family:{_css_family(family)};font-weight:{self.fonts[official].weight};line-height:0pt"

    def letter_spacing(self, line: Line, pieces: list[tuple[int, int, str | None, bool]], width: float) -> float:
        """CSS letter-spacing of a line, pt: flush lines fill `width` exactly, 三号 lines are condensed
        to the 28-character grid (narrowed if the line would not fit; closer in a paragraph set closer,
        `Line.spacing_twips`), other sizes keep the font's."""
        count, size = len(line.text), line.size_pt
        if count < 2 or (not line.flush and size != g.BODY_SIZE_PT):
            return 0.0
        fit = (width - self.natural_width(line, pieces)) / (count - 1)
        if line.flush:
            return fit
        # a paragraph set closer (§7.3.5.4) is condensed by as much more as its DOCX runs
        spacing = g.BODY_LETTER_SPACING_PT + (line.spacing_twips - g.BODY_CHAR_SPACING_TWIPS) / g.TWIPS_PER_PT
        return min(spacing, fit) if line.align in ("left", "justify") else spacing

    def natural_width(self, line: Line, pieces: list[tuple[int, int, str | None, bool]]) -> float:
        """Width of the line's glyphs without letter spacing, automatic spaces included, pt."""
        size = line.size_pt
        width = sum(self.fonts.measure(official, size)(part) for part, official in _parts(line))
        return width + sum(self.measures.autospace(size) for *_, gap in pieces if gap)

    # ------------------------------------------------------------------ rules, tables, images

    @staticmethod
    def bar(left: float, top: float, width: float, height: float, color: str | None) -> Box:
        style = (f"left:{_pt(left)};top:{_pt(top)};width:{_pt(width)};height:{_pt(height)};"
                 f"background:#{color or '000000'}")
        return Box("rule", style)

    def rule(self, rule: Rule, frame: Frame, y_pt: float) -> Box:
        """A layout Rule, its top edge at `y_pt`: 版心 rules centred on the 版心, the 信函 double
        rule centred on the paper (as the DOCX frames it)."""
        if rule.role.startswith("letter-rule"):
            left = (PAPER_W - rule.width_pt) / 2
        else:
            left = frame.left + (frame.width - rule.width_pt) / 2
        return self.bar(left, frame.top + y_pt, rule.width_pt, rule.thickness_pt, rule.color)

    def cut_line(self, line: Line, frame: Frame, y_pt: float) -> list[Box]:
        """The cut line above a 回执 (role "cut", its words `line.text` drawn by `line`), its top at
        `y_pt`: the ✂ at its left end and dashes `LETTER_RULE_PT` thick across the 版心 with a gap
        for the words (`cut_mark`), as the letters draw it."""
        words = self.fonts.measure(line.font, line.size_pt)(line.text) if line.text else 0.0
        y = frame.top + y_pt + cut_mark.dash_drop() - g.LETTER_RULE_PT / 2
        boxes = [self.bar(frame.left + a, y, b - a, g.LETTER_RULE_PT, None) for a, b in cut_mark.dashes(frame.width,
                                                                                                        words)]
        size, top = g.LETTER_CUT_MARK_SIZE_PT, y_pt + cut_mark.mark_top()
        face, note = self.fonts.mark_face(g.LETTER_CUT_MARK, line.font)
        if note:
            self.notes.append(note)
        if face is None:
            data = base64.b64encode(cut_mark.scissors_svg().encode()).decode()
            style = f"left:{_pt(frame.left)};top:{_pt(frame.top + top)};width:{_pt(size)};height:{_pt(size)}"
            # a block: an inline image would sit on the box's baseline, below its top
            return [*boxes, Box("image", style, Markup('<img src="data:image/svg+xml;base64,{}" '
                                                       'style="display:block;width:100%;height:100%" alt="">')
                                .format(data))]
        # the box of a line in the role's face, the ✂ put in by hand: no per-character fallback report
        box = self.line(Line("", line.font, size, "left", role="cut", height_pt=size), frame, top)
        css = ""
        if face.key != self.fonts.face(line.font).key:
            self.mark_faces.append(Fallback(g.LETTER_CUT_MARK, line.font, face.family, face.path, face.index, ""))
            css = self._face_css(face.family, line.font)
        return [*boxes, Box(box.cls, box.style, Markup('<span style="{}">{}</span>').format(css, g.LETTER_CUT_MARK))]

    def letter_foot_rules(self) -> list[Box]:
        """信函格式 page 1: thin over thick red double rule 20 mm above the paper's bottom (§10.1)."""
        width = g.mm_to_pt(g.LETTER_RULE_WIDTH_MM)
        left = (PAPER_W - width) / 2
        thin, thick = g.LETTER_THIN_RULE_EIGHTHS / 8, g.LETTER_THICK_RULE_EIGHTHS / 8
        top = PAPER_H - g.mm_to_pt(g.LETTER_BOTTOM_RULE_ABOVE_PAPER_BOTTOM_MM)
        return [
            self.bar(left, top, width, thin, g.RED_RGB),
            self.bar(left, top + thin + g.LETTER_RULE_GAP_PT, width, thick, g.RED_RGB),
        ]

    def table(self, box: TableBox, frame: Frame, y_pt: float) -> list[Box]:
        """The rows of a table fragment: cell lines broken as the layout sized the rows, grid lines
        (a split row's part closed by a line at the page's foot and under the repeated header)."""
        t = box.table
        rows = list(t.rows) + [[""] * t.columns for _ in range(t.blank_rows)]
        widths = box.column_widths_pt
        xs = [frame.left]
        for w in widths:
            xs.append(xs[-1] + w)
        margin = g.TABLE_CELL_MARGIN_PT
        pitch = g.TABLE_LINE_PITCH_PT
        autospace = self.measures.autospace(g.TABLE_SIZE_PT)
        boxes: list[Box] = []
        ys = [y_pt]
        for r in box.rows:
            top, height = ys[-1], box.part_height(r)
            header = r < t.header_rows
            start, end = box.part(r)
            for c, text in enumerate(rows[r]):
                if not text:
                    continue
                lines = break_lines(text, widths[c] - 2 * margin, self.measures.table, autospace_pt=autospace)
                if (start, end) == (0, None):  # a whole row: its cells' text centred
                    y = top + (height - pitch * len(lines)) / 2
                else:  # a part of a split row: the lines of each cell that fall on this page, from the top
                    lines, y = lines[start:end], top
                for k, chunk in enumerate(lines):
                    cell = Frame(xs[c] + margin, frame.top, widths[c] - 2 * margin, frame.height)
                    # cell lines are not spread: a narrow cell would pull "2020年" apart
                    line = Line(chunk, g.FONT_HEITI if header else g.FONT_FANGSONG, g.TABLE_SIZE_PT,
                                align="center" if header else "left", role="table", height_pt=pitch)
                    boxes.append(self.line(line, cell, y + k * pitch))
            ys.append(top + height)
        weight = g.TABLE_BORDER_EIGHTHS / 8
        width = sum(widths)
        for y in ys:  # horizontal grid lines, centred on the row boundaries
            boxes.append(self.bar(frame.left, frame.top + y - weight / 2, width, weight, None))
        for x in xs:
            boxes.append(self.bar(x - weight / 2, frame.top + ys[0], weight, ys[-1] - ys[0], None))
        return boxes

    @staticmethod
    def image(box: ImageBox, frame: Frame, y_pt: float) -> Box:
        left = frame.left + (frame.width - box.width_pt) / 2
        style = f"left:{_pt(left)};top:{_pt(frame.top + y_pt)};width:{_pt(box.width_pt)};height:{_pt(box.height_pt)}"
        # inline data, not a file URL: WeasyPrint names the image in the PDF after its URL, and the
        # same picture in another folder must give the same bytes
        data = base64.b64encode(Path(box.path).read_bytes()).decode()
        html = Markup('<img src="data:image/png;base64,{}" style="width:100%;height:100%" alt="">').format(data)
        return Box("image", style, html)

    # ------------------------------------------------------------------ 版记, page numbers

    def colophon(self, colophon: Colophon, frame: Frame) -> Iterator[Box]:
        """版记 rows pinned to the bottom of the 版心 (§7.4): first and last rule 0.35 mm, inner
        rules 0.25 mm; 抄送 continuation lines aligned after the colon; 印发日期 one character in
        from the right on the 印发机关 row."""
        size = g.COLOPHON_SIZE_PT
        indent = g.COLOPHON_INDENT_CHARS * size
        y = frame.height - colophon.height_pt
        for i, row in enumerate(colophon.rows):
            if colophon.ruled:
                weight = row.rule_above_eighths / 8
                top = y if i == 0 else y - weight / 2
                yield self.bar(frame.left, frame.top + top, frame.width, weight, None)
            line_h = row.height_pt / len(row.lines)
            for k, text in enumerate(row.lines):
                left = indent if k == 0 else indent + len(g.CC_LABEL) * size
                yield self.line(Line(text, g.FONT_FANGSONG, size, "left", indent_pt=left, right_indent_pt=indent,
                                     role="colophon", height_pt=line_h), frame, y + k * line_h)
            if row.right:
                yield self.line(Line(row.right, g.FONT_FANGSONG, size, "right", right_indent_pt=indent,
                                     role="colophon", height_pt=line_h), frame, y)
            y += row.height_pt
        if colophon.ruled:
            weight = colophon.bottom_rule_eighths / 8
            yield self.bar(frame.left, frame.top + frame.height - weight, frame.width, weight, None)

    def page_number(self, page: Page) -> Box:
        """"— n —" 14 pt 宋体, 7 mm under the 版心, odd pages right and even pages left one character
        in (§7.5). On a 横排 page it is drawn on the portrait page and turned with it."""
        indent = g.PAGE_NUMBER_INDENT_CHARS * g.PAGE_NUMBER_SIZE_PT
        line = Line(g.page_number_text(page.number), g.FONT_SONGTI, g.PAGE_NUMBER_SIZE_PT,
                    "left" if page.even else "right", indent_pt=indent if page.even else 0.0,
                    right_indent_pt=0.0 if page.even else indent, role="page-number",
                    height_pt=g.PAGE_NUMBER_SIZE_PT)
        y = PORTRAIT.height + g.mm_to_pt(g.PAGE_NUMBER_BELOW_TYPE_AREA_MM)
        box = self.line(line, PORTRAIT, y)
        if not page.landscape:
            return box
        return Box("turned", "", Markup('<div class="line" style="{}">{}</div>').format(box.style, box.html))
