"""Write a `Document` as a GB/T 9704 DOCX (python-docx plus the OOXML it has no API for).

The writer follows the `Layout` paragraph by paragraph: the same blank lines, the same header
geometry (spacing in twips taken from the layout's positions), the same page breaks, and the
layout's page count decides the 版记 section: when the last page would be odd, the 版记 goes
to a following even page (with a blank page in between when needed) in a section whose footers
are empty, so the blank page and the 版记 page carry no page number (§7.4, §7.5); a 版记 page
straight after the text keeps its number.
Word breaks the lines itself; the 28-character grid (−0.25 pt per character, exact 28.95 pt
lines) makes its breaks agree with the layout's. Sections, footers, settings, styles and core properties are
written by the `docx_parts.DocxParts` mixin; the package is cleaned for WPS (`docx_clean`: no theme
fonts, a font table of the fonts used) as it is saved.
"""

from __future__ import annotations

import copy
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml.etree import _Element

from .. import gbt9704 as g
from ..layout.boxes import Colophon, Gap, ImageBox, Layout, Line, Measures, Page, Rule, TableBox
from ..layout.pages import layout_document
from ..model import Document
from ..system.fonts import resolve_fonts
from .docx_clean import clean_package
from .docx_parts import DocxParts, Section, tw
from .ooxml import (
    border,
    cut_line_runs,
    cut_line_tabs,
    deterministic_zip,
    el,
    paragraph_properties,
    run,
    run_properties,
)

_JC = {"justify": "both", "left": "left", "center": "center", "right": "right"}
TITLE_ROLES = ("title", "issued-title", "attachment-title")  # shaped titles never split over pages
_CELL_SLACK_PT = 0.5


class DocxWriter(DocxParts):
    def __init__(self, doc: Document, layout: Layout):
        self.doc = doc
        self.layout = layout
        self.word = docx.Document()
        self.body = self.word.element.body
        for child in list(self.body):
            if child.tag != qn("w:sectPr"):
                self.body.remove(child)
        self.final_sectpr = self.body.find(qn("w:sectPr"))
        self.sections: list[Section] = []
        self.current: _Element | None = None  # the paragraph lines are being added to
        self.current_indent = 0.0  # first-line indent of `current`, pt
        self.current_flush = False  # every line of `current` fills the width (a paragraph split by a page)
        self.cursor = 0.0  # pt from the 版心 top, bottom of what is placed on the page
        self.tables_done: set[int] = set()

    # ------------------------------------------------------------------ building blocks

    def append(self, element: _Element) -> _Element:
        self.body.insert(len(self.body) - 1, element)  # before the final w:sectPr
        self.sections[-1].elements.append(element)
        if element.tag == qn("w:p"):
            self.sections[-1].last = element
        return element

    def line_rpr(self, line: Line, font: str | None = None) -> _Element:
        spacing = line.spacing_twips if line.size_pt == g.BODY_SIZE_PT else 0
        return run_properties(font or line.font, line.size_pt, spacing_twips=spacing,
                              color=line.color, scale_pct=line.scale_pct)

    def add_runs(self, p: _Element, line: Line) -> None:
        if line.hard_break:
            p.append(el("w:r", [self.line_rpr(line), el("w:br")]))
        text = line.text
        texts = p.findall(f"{qn('w:r')}/{qn('w:t')}")
        after = texts[-1].text or "" if texts else ""  # the line before in the paragraph
        if line.lead_len and line.lead_font:
            p.append(run(text[: line.lead_len], self.line_rpr(line, line.lead_font), after))
            after, text = text[: line.lead_len], text[line.lead_len :]
        if text:
            p.append(run(text, self.line_rpr(line), after))

    def paragraph(self, line: Line, before_pt: float, *, page_break: bool = False) -> _Element:
        """A w:p starting with `line`; the cut line above a 回执 (role "cut") as `ooxml.cut_line_runs`."""
        cut = line.role == "cut"
        ppr = paragraph_properties(
            keep_lines=line.role in TITLE_ROLES or line.keep_with_next,
            keep_next=line.keep_with_next,
            line_twips=tw(line.height_pt),
            before_twips=max(0, tw(before_pt)),
            jc="left" if cut else _JC[line.align],
            right_twips=tw(line.right_indent_pt),
            first_line_twips=tw(line.indent_pt),
            page_break_before=page_break,
            tabs=cut_line_tabs() if cut else None,
        )
        p = self.append(el("w:p", [ppr]))
        if cut:
            p.extend(cut_line_runs(line.text, line.font))
        else:
            self.add_runs(p, line)
        return p

    def spread_split_paragraph(self) -> None:
        """A paragraph whose last lines the layout carried to the next page (`Flow.carry_over`) is
        two w:p: the first ends in a full line, which Word and LibreOffice would leave unjustified
        as a paragraph's last line; set it "distribute" so every line of it fills the width."""
        if self.current is not None and self.current_flush:
            self.current.find(qn("w:pPr")).find(qn("w:jc")).set(qn("w:val"), "distribute")

    def hanging(self, p: _Element, first_indent_pt: float, rest_indent_pt: float) -> None:
        """Continuation lines indented differently from the first (附件说明 names aligned)."""
        ppr = p.find(qn("w:pPr"))
        ind = ppr.find(qn("w:ind"))
        if ind is None:
            ind = el("w:ind")
            ppr.find(qn("w:spacing")).addnext(ind)  # w:ind follows w:spacing
        for attr in ("w:firstLine", "w:hanging"):
            ind.attrib.pop(qn(attr), None)
        rest = tw(rest_indent_pt)
        ind.set(qn("w:left"), str(rest))
        delta = tw(first_indent_pt) - rest
        if delta > 0:
            ind.set(qn("w:firstLine"), str(delta))
        elif delta < 0:
            ind.set(qn("w:hanging"), str(-delta))

    def empty(self, height_pt: float, before_pt: float = 0.0, *, page_break: bool = False,
              keep_next: bool = False) -> _Element:
        ppr = paragraph_properties(line_twips=max(20, tw(height_pt)), before_twips=max(0, tw(before_pt)),
                                   page_break_before=page_break, keep_next=keep_next)
        ppr.append(run_properties(g.FONT_FANGSONG, g.BODY_SIZE_PT))
        return self.append(el("w:p", [ppr]))

    # ------------------------------------------------------------------ pages

    def write(self) -> None:
        first = self.layout.pages[0]
        self.sections.append(Section(first.landscape, True, title_page=self.layout.letter_format))
        for page in self.layout.pages:
            if page.role != "content":
                continue
            if not page.items:  # a blank back page (a recto document follows): one empty paragraph
                self.empty(1, page_break=True)
                continue
            if page.number > 1 and page.landscape != self.sections[-1].landscape:
                self.end_section()
                self.sections.append(Section(page.landscape, True))
            self.page(page)
        self.colophon_pages()
        self.finish_sections()
        self.settings()
        self.styles()
        self.properties()

    def page(self, page: Page) -> None:
        self.cursor = 0.0
        page_break = page.number > 1 and page.forced and not self.new_section_started()
        mark_lines = [pl for pl in page.items if isinstance(pl.item, Line) and pl.item.role in ("mark", "mark-suffix")]
        for placed in page.items:
            item = placed.item
            before = placed.y_pt - self.cursor
            if isinstance(item, Line):
                if item.role in ("mark", "mark-suffix"):
                    if placed is mark_lines[0]:
                        self.mark(mark_lines)
                    continue
                if item.beside:
                    self.beside(item)
                    continue
                if item.paragraph_start or self.current is None:
                    self.spread_split_paragraph()
                    self.current = self.paragraph(item, before, page_break=page_break)
                    self.current_indent = item.indent_pt
                    self.current_flush = item.flush
                else:
                    if item.indent_pt != self.current_indent:
                        self.hanging(self.current, self.current_indent, item.indent_pt)
                    self.add_runs(self.current, item)
                    self.current_flush = self.current_flush and item.flush
                page_break = False
                self.cursor = placed.y_pt + item.height_pt
            elif isinstance(item, Gap):
                self.current = None
                self.empty(item.height_pt, before, page_break=page_break, keep_next=item.keep_with_next)
                page_break = False
                self.cursor = placed.y_pt + item.height_pt
            elif isinstance(item, Rule):
                self.rule(item, placed.y_pt)
            elif isinstance(item, TableBox):
                self.current = None
                if id(item.table) not in self.tables_done:
                    self.tables_done.add(id(item.table))
                    if page_break or before > 0.5:
                        self.empty(1, before, page_break=page_break)
                    page_break = False
                    self.append(self.table(item))
                self.cursor = placed.y_pt + item.height_pt
            elif isinstance(item, ImageBox):
                self.current = None
                self.image(item, page_break)
                page_break = False
                self.cursor = placed.y_pt + item.height_pt

    def new_section_started(self) -> bool:
        return not self.sections[-1].elements

    def end_section(self) -> None:
        """Close the current section: its last element must be a paragraph (sectPr holder)."""
        section = self.sections[-1]
        if not section.elements or section.elements[-1].tag != qn("w:p"):
            self.empty(1)

    # ------------------------------------------------------------------ 版头 pieces

    def mark(self, placed: list) -> None:
        """发文机关标志: one centred paragraph, or for 联合行文 a borderless table, names stacked
        and the suffix right of them, vertically centred (§7.2.4). Letter format: a page frame."""
        names = [pl for pl in placed if pl.item.role == "mark"]
        suffix = next((pl.item for pl in placed if pl.item.role == "mark-suffix"), None)
        top = names[0].y_pt
        first: Line = names[0].item
        if self.layout.letter_format:
            frame = el("w:framePr", w=tw(g.TYPE_AREA_WIDTH_PT), hRule="exact",
                       h=tw(first.height_pt * len(names)), hAnchor="margin", vAnchor="page",
                       y=g.mm_to_twips(g.LETTER_MARK_TOP_MM), xAlign="center", wrap="none")
            for pl in names:
                ppr = paragraph_properties(line_twips=tw(pl.item.height_pt), jc="center", frame=copy.deepcopy(frame))
                p = self.append(el("w:p", [ppr]))
                self.add_runs(p, pl.item)
            return
        if suffix is None:
            self.current = self.paragraph(first, top - self.cursor)
            for pl in names[1:]:
                self.current = self.paragraph(pl.item, 0)
            self.cursor = names[-1].y_pt + names[-1].item.height_pt
            self.current = None
            return
        self.empty(top - self.cursor)
        height = first.height_pt * len(names)
        em = first.size_pt * first.scale_pct / 100  # the mark's names and suffix are full-width
        # LibreOffice wraps a line that fills its cell to the twip: half a point of slack
        names_w = em * max(len(pl.item.text) for pl in names) + _CELL_SLACK_PT
        suffix_w = em * (len(suffix.text) + 1)  # one em of air between the names and "文件"
        tbl = self.borderless_table([names_w, suffix_w], height)
        cells = tbl.findall(f"{qn('w:tr')}/{qn('w:tc')}")
        for pl in names:
            ppr = paragraph_properties(line_twips=tw(pl.item.height_pt), jc="distribute")
            p = el("w:p", [ppr])
            self.add_runs(p, pl.item)
            cells[0].append(p)
        cells[1].find(qn("w:tcPr")).append(el("w:vAlign", val="center"))
        p = el("w:p", [paragraph_properties(line_twips=tw(suffix.height_pt), jc="right")])
        self.add_runs(p, suffix)
        cells[1].append(p)
        self.append(tbl)
        self.cursor = names[-1].y_pt + names[-1].item.height_pt

    def borderless_table(self, widths_pt: list[float], height_pt: float) -> _Element:
        tblpr = el("w:tblPr", [
            el("w:tblW", w=tw(sum(widths_pt)), type="dxa"),
            el("w:jc", val="center"),
            el("w:tblLayout", type="fixed"),
            el("w:tblCellMar", [el("w:left", w=0, type="dxa"), el("w:right", w=0, type="dxa")]),
        ])
        grid = el("w:tblGrid", [el("w:gridCol", w=tw(w)) for w in widths_pt])
        tr = el("w:tr", [el("w:trPr", [el("w:trHeight", val=tw(height_pt), hRule="exact")])])
        for w in widths_pt:
            tr.append(el("w:tc", [el("w:tcPr", [el("w:tcW", w=tw(w), type="dxa")])]))
        return el("w:tbl", [tblpr, grid, tr])

    def beside(self, line: Line) -> None:
        """A Line sharing the line of the paragraph before it (签发人 on the 发文字号 line, §7.2.6;
        columns of 署名 and 签字栏): a tab stop where the layout puts it, a tab, the text. Left lines
        start at their indent, right lines end at their right indent (pt from the 版心's edges)."""
        p = self.sections[-1].last
        ppr = p.find(qn("w:pPr"))
        tabs = ppr.find(qn("w:tabs"))
        if tabs is None:
            tabs = el("w:tabs")
            ppr.find(qn("w:overflowPunct")).addprevious(tabs)
        if line.align == "right":
            tabs.append(el("w:tab", val="right", pos=tw(g.TYPE_AREA_WIDTH_PT - line.right_indent_pt)))
        else:
            tabs.append(el("w:tab", val="left", pos=tw(line.indent_pt)))
        p.append(el("w:r", [self.line_rpr(line, line.lead_font), el("w:tab")]))
        self.add_runs(p, line)

    def rule(self, rule: Rule, y_pt: float) -> None:
        """Red rule under the 发文字号 as that paragraph's bottom border (§7.2.7); the 信函格式
        double rule as a framed paragraph's bottom border (§10.1)."""
        color = rule.color or "000000"
        if rule.role == "red-rule":
            p = self.sections[-1].last
            ppr = p.find(qn("w:pPr"))
            space = round(y_pt - self.cursor)
            anchor = ppr.find(qn("w:tabs"))
            anchor = anchor if anchor is not None else ppr.find(qn("w:overflowPunct"))
            anchor.addprevious(
                el("w:pBdr", [border("bottom", g.RED_RULE_THICKNESS_EIGHTHS, color=color, space_pt=space)])
            )
            self.cursor = y_pt + rule.thickness_pt
        elif rule.role == "letter-rule-thick":  # thick over thin under the mark, thin over thick at the foot
            self.letter_rule(g.mm_to_pt(g.MARGIN_TOP_MM) + y_pt, "thinThickSmallGap")
            bottom = g.PAPER_HEIGHT_MM - g.LETTER_BOTTOM_RULE_ABOVE_PAPER_BOTTOM_MM
            self.letter_rule(g.mm_to_pt(bottom), "thickThinSmallGap")

    def letter_rule(self, y_paper_pt: float, style: str) -> None:
        """A red 170 mm double line, its top `y_paper_pt` from the paper top, in a page frame
        (§10.1). OOXML names double borders from the inside out, hence the swapped style names."""
        width = g.mm_to_pt(g.LETTER_RULE_WIDTH_MM)
        frame = el("w:framePr", w=tw(width), hRule="exact", h=tw(g.LETTER_RULE_GAP_PT * 4), hAnchor="page",
                   vAnchor="page", x=tw((g.mm_to_pt(g.PAPER_WIDTH_MM) - width) / 2), y=tw(y_paper_pt),
                   wrap="none")
        rule = border("top", g.LETTER_THICK_RULE_EIGHTHS, color=g.RED_RGB, style=style)
        self.append(el("w:p", [paragraph_properties(line_twips=20, frame=frame, borders=[rule])]))

    # ------------------------------------------------------------------ tables and images

    def table(self, box: TableBox) -> _Element:
        t = box.table
        widths = box.column_widths_pt
        cell_border = [border(side, g.TABLE_BORDER_EIGHTHS) for side in ("top", "left", "bottom", "right",
                                                                           "insideH", "insideV")]
        tblpr = el("w:tblPr", [
            el("w:tblW", w=sum(tw(w) for w in widths), type="dxa"),
            el("w:jc", val="center"),
            el("w:tblBorders", cell_border),
            el("w:tblLayout", type="fixed"),
            el("w:tblCellMar", [el("w:left", w=tw(g.TABLE_CELL_MARGIN_PT), type="dxa"),
                                el("w:right", w=tw(g.TABLE_CELL_MARGIN_PT), type="dxa")]),
        ])
        tbl = el("w:tbl", [tblpr, el("w:tblGrid", [el("w:gridCol", w=tw(w)) for w in widths])])
        rows = list(t.rows) + [[""] * t.columns for _ in range(t.blank_rows)]
        min_h = g.mm_to_pt(g.TABLE_MIN_ROW_HEIGHT_MM)
        kept = any(isinstance(pl.item, TableBox) and pl.item.table is t and pl.item.keep_with_next
                   for page in self.layout.pages for pl in page.items)  # its last row carried with the 署名
        # rows the layout split between pages (taller than a page): Word and LibreOffice split them alike
        split = {pl.item.rows[-1] for page in self.layout.pages for pl in page.items
                 if isinstance(pl.item, TableBox) and pl.item.table is t and pl.item.last_line is not None}
        for r, row in enumerate(rows):
            header = r < t.header_rows
            trpr = el("w:trPr", [*([] if r in split else [el("w:cantSplit")]),
                                 el("w:trHeight", val=tw(min_h), hRule="atLeast")])
            if header:
                trpr.append(el("w:tblHeader"))
            tr = el("w:tr", [trpr])
            for text, w in zip(row, widths, strict=True):
                tc = el("w:tc", [el("w:tcPr", [el("w:tcW", w=tw(w), type="dxa"), el("w:vAlign", val="center")])])
                # header rows keep with the row under them: never last on a page
                ppr = paragraph_properties(line_twips=tw(g.TABLE_LINE_PITCH_PT), jc="center" if header else "left",
                                           keep_next=header or (kept and r == len(rows) - 1))
                p = el("w:p", [ppr])
                font = g.FONT_HEITI if header else g.FONT_FANGSONG
                if text:
                    p.append(run(text, run_properties(font, g.TABLE_SIZE_PT)))
                tc.append(p)
                tr.append(tc)
            tbl.append(tr)
        return tbl

    def image(self, box: ImageBox, page_break: bool) -> None:
        ppr = paragraph_properties(line_twips=240, line_rule="auto", jc="center", page_break_before=page_break)
        p = self.append(el("w:p", [ppr]))
        from docx.text.paragraph import Paragraph as DocxParagraph

        DocxParagraph(p, self.word._body).add_run().add_picture(str(box.path), width=Pt(box.width_pt))

    # ------------------------------------------------------------------ 版记

    def colophon_pages(self) -> None:
        """Place the 版记 where the layout put it; unnumbered pages (a blank page and the 版记 page
        after it) get their own section."""
        pages = self.layout.pages
        target = self.layout.colophon_page
        if target is None:
            return
        if target.role == "content":
            self.end_section()
            self.empty(1)  # LibreOffice honours the frame's position only after an empty anchor paragraph
            self.colophon_frame(target.colophon)
            return
        if not target.numbered or self.sections[-1].landscape:  # unnumbered after a blank page (§7.5)
            self.end_section()
            self.sections.append(Section(False, target.numbered))
        if any(p.role == "blank" for p in pages):
            self.empty(1)
        # alone on its page the 版记 is pushed down by one spacer line (LibreOffice ignores the
        # position of a frame that starts a page)
        rules_pt = sum(r.rule_above_eighths for r in target.colophon.rows) / 8 + target.colophon.bottom_rule_eighths / 8
        spacer = g.TYPE_AREA_HEIGHT_PT - target.colophon.height_pt - rules_pt - 1  # borders add to paragraph height
        self.empty(spacer, page_break=len(self.sections[-1].elements) > 0)
        self.colophon_frame(target.colophon, framed=False)

    def colophon_frame(self, colophon: Colophon, *, framed: bool = True) -> None:
        """版记 rows pinned to the bottom of the 版心 (§7.4): one paragraph per row (抄送 wraps with
        its continuation aligned after the colon, §7.4.2), rules as paragraph borders (outer
        0.35 mm, inner 0.25 mm). Each row is its own page frame: LibreOffice lays a full-width
        floating table inline and drops the position of a frame made of unlike paragraphs."""
        width = g.TYPE_AREA_WIDTH_PT
        indent = tw(g.COLOPHON_INDENT_CHARS * g.COLOPHON_SIZE_PT)
        hang = tw(len(g.CC_LABEL) * g.COLOPHON_SIZE_PT)
        top = g.mm_to_pt(g.MARGIN_TOP_MM) + g.TYPE_AREA_HEIGHT_PT - colophon.height_pt
        rpr = lambda: run_properties(g.FONT_FANGSONG, g.COLOPHON_SIZE_PT)  # noqa: E731
        for i, row in enumerate(colophon.rows):
            borders = []
            if colophon.ruled:
                borders.append(border("top", row.rule_above_eighths))
                if i == len(colophon.rows) - 1:
                    borders.append(border("bottom", colophon.bottom_rule_eighths))
            frame = None
            if framed:
                frame = el("w:framePr", w=tw(width), hAnchor="margin", vAnchor="page", xAlign="center",
                           y=tw(top), wrap="notBeside")
            top += row.height_pt
            tabs = [el("w:tab", val="right", pos=tw(width) - indent)] if row.right else None
            wrapped = len(row.lines) > 1
            ppr = paragraph_properties(line_twips=tw(row.height_pt / len(row.lines)),
                                       left_twips=indent + hang if wrapped else indent, right_twips=indent,
                                       first_line_twips=-hang if wrapped else 0, frame=frame, borders=borders,
                                       tabs=tabs)
            p = el("w:p", [ppr, run("".join(row.lines), rpr())])
            if row.right:
                p.append(el("w:r", [rpr(), el("w:tab")]))
                p.append(run(row.right, rpr()))
            self.append(p)


def write_docx(doc: Document, path: Path, layout: Layout | None = None) -> int:
    """Write `doc` to `path`; return the number of pages (from the layout, measured with the
    fonts that serve each role on this machine)."""
    layout = layout or layout_document(doc, Measures.from_fonts(resolve_fonts()))
    writer = DocxWriter(doc, layout)
    writer.write()
    writer.word.save(str(path))
    deterministic_zip(Path(path), clean_package)
    return layout.page_count
