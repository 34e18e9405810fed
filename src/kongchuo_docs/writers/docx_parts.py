"""The DOCX's whole-document parts: sections (page geometry, 横排 pages), footers with the page
number "— n —" (§7.5), settings.xml, the default styles and the core properties. A mixin of
`docx_writer.DocxWriter`, which fills the body and records the sections it opened."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml.etree import _Element

from .. import gbt9704 as g
from .ooxml import el, paragraph_properties, run, run_properties

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

    from ..model import Document

CORE_PROPERTY_MAX_CHARS = 255  # python-docx (and Word) refuse longer core properties (title, subject)


def tw(pt: float) -> int:
    """pt → twips."""
    return g.pt_to_twips(pt)


@dataclass
class Section:
    """A run of pages sharing orientation and page-number footers; ends at `last` (w:p)."""

    landscape: bool
    numbered: bool
    last: _Element | None = None
    title_page: bool = False
    elements: list[_Element] = field(default_factory=list)


class DocxParts:
    """Finishes the sections and writes the package parts around the body."""

    doc: Document
    word: WordDocument
    sections: list[Section]
    final_sectpr: _Element

    def finish_sections(self) -> None:
        """Give every section but the last a w:sectPr in its last paragraph, set page geometry and
        footers: numbered sections "— n —" odd right / even left; unnumbered ones empty."""
        for section in self.sections[:-1]:
            sect = copy.deepcopy(self.final_sectpr)
            for ref in sect.findall(qn("w:footerReference")) + sect.findall(qn("w:headerReference")):
                sect.remove(ref)
            ppr = section.last.find(qn("w:pPr"))
            ppr.append(sect)
        sect_elements = [s.last.find(qn("w:pPr")).find(qn("w:sectPr")) for s in self.sections[:-1]]
        sect_elements.append(self.final_sectpr)
        for spec, sect in zip(self.sections, sect_elements, strict=True):
            self.page_geometry(sect, spec.landscape)
        for spec, section in zip(self.sections, self.word.sections, strict=True):
            section.different_first_page_header_footer = spec.title_page
            for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
                footer.is_linked_to_previous = False
                self.footer(footer, spec.numbered, odd)
            if spec.title_page:
                first = section.first_page_footer
                first.is_linked_to_previous = False
                self.clear_footer(first)
            for header in (section.header, section.even_page_header):
                header.is_linked_to_previous = False
                self.clear_footer(header)

    def page_geometry(self, sect: _Element, landscape: bool) -> None:
        for child in list(sect):
            if child.tag in (qn("w:pgSz"), qn("w:pgMar"), qn("w:cols"), qn("w:docGrid"), qn("w:type")):
                sect.remove(child)
        w, h = g.mm_to_twips(g.PAPER_WIDTH_MM), g.mm_to_twips(g.PAPER_HEIGHT_MM)
        footer = g.mm_to_twips(g.PAGE_NUMBER_FOOTER_DISTANCE_MM)
        if landscape:
            size = el("w:pgSz", w=h, h=w, orient="landscape")
            margins = el("w:pgMar", top=g.mm_to_twips(g.LANDSCAPE_MARGIN_TOP_MM),
                         right=g.mm_to_twips(g.LANDSCAPE_MARGIN_RIGHT_MM),
                         bottom=g.mm_to_twips(g.LANDSCAPE_MARGIN_BOTTOM_MM),
                         left=g.mm_to_twips(g.LANDSCAPE_MARGIN_LEFT_MM), header=851, footer=footer, gutter=0)
        else:
            size = el("w:pgSz", w=w, h=h)
            margins = el("w:pgMar", top=g.mm_to_twips(g.MARGIN_TOP_MM), right=g.mm_to_twips(g.MARGIN_RIGHT_MM),
                         bottom=g.mm_to_twips(g.MARGIN_BOTTOM_MM), left=g.mm_to_twips(g.MARGIN_LEFT_MM),
                         header=851, footer=footer, gutter=0)
        grid = el("w:docGrid", type="lines", linePitch=g.LINE_PITCH_TWIPS)
        # schema order: footnotePr?, endnotePr?, type?, pgSz, pgMar, ..., cols, ..., titlePg, ..., docGrid
        refs = [c for c in sect if c.tag in (qn("w:headerReference"), qn("w:footerReference"))]
        anchor = refs[-1] if refs else None
        sect.insert(sect.index(anchor) + 1 if anchor is not None else 0, el("w:type", val="nextPage"))
        sect.find(qn("w:type")).addnext(size)
        size.addnext(margins)
        margins.addnext(el("w:cols", space=425))
        sect.append(grid)

    def footer(self, footer, numbered: bool, odd: bool) -> None:
        self.clear_footer(footer)
        if not numbered:
            return
        p = footer._element.find(qn("w:p"))
        indent = tw(g.PAGE_NUMBER_INDENT_CHARS * g.PAGE_NUMBER_SIZE_PT)
        ppr = paragraph_properties(line_twips=tw(g.PAGE_NUMBER_SIZE_PT), jc="right" if odd else "left",
                                   right_twips=indent if odd else 0, left_twips=0 if odd else indent)
        p.append(ppr)
        rpr = lambda: run_properties(g.FONT_SONGTI, g.PAGE_NUMBER_SIZE_PT)  # noqa: E731
        p.append(run(g.PAGE_NUMBER_DASH + " ", rpr()))
        p.append(el("w:r", [rpr(), el("w:fldChar", fldCharType="begin")]))
        instr = el("w:instrText")
        instr.text = " PAGE "
        instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        p.append(el("w:r", [rpr(), instr]))
        p.append(el("w:r", [rpr(), el("w:fldChar", fldCharType="separate")]))
        p.append(run("1", rpr()))
        p.append(el("w:r", [rpr(), el("w:fldChar", fldCharType="end")]))
        p.append(run(" " + g.PAGE_NUMBER_DASH, rpr()))

    @staticmethod
    def clear_footer(part) -> None:
        root = part._element
        for child in list(root):
            root.remove(child)
        root.append(el("w:p", [paragraph_properties(line_twips=20)]))

    def settings(self) -> None:
        settings = self.word.settings
        settings.odd_and_even_pages_header_footer = True
        root = settings.element
        for setting in root.iter(qn("w:compatSetting")):
            if setting.get(qn("w:name")) == "compatibilityMode":
                setting.set(qn("w:val"), "15")
        # a line ended by a line break (layout: too short to justify, e.g. before a 身份证号 that
        # did not fit) stays ragged in Word and LibreOffice instead of being spread
        compat = root.find(qn("w:compat"))
        if compat is not None:
            compat.insert(0, el("w:doNotExpandShiftReturn"))
        rsids = root.find(qn("w:rsids"))
        if rsids is not None:
            root.remove(rsids)
        lang = root.find(qn("w:themeFontLang"))
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")

    def styles(self) -> None:
        """Default run: 3号 仿宋 by name (theme fonts are removed by `docx_clean` on saving, §7 recipe)."""
        styles = self.word.styles.element
        rpr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        default = run_properties(g.FONT_FANGSONG, g.BODY_SIZE_PT)
        for child in list(rpr):
            rpr.remove(child)
        for child in default:
            rpr.append(child)
        ppr = styles.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}")
        for child in list(ppr):
            ppr.remove(child)
        ppr.append(el("w:spacing", before=0, after=0, line=g.LINE_PITCH_TWIPS, lineRule="exact"))

    def properties(self) -> None:
        """Core properties from the document, not the clock: same input, same bytes."""
        props = self.word.core_properties
        props.title = self.doc.title[:CORE_PROPERTY_MAX_CHARS]
        props.author = self.doc.organisation[:CORE_PROPERTY_MAX_CHARS]
        props.last_modified_by = self.doc.organisation[:CORE_PROPERTY_MAX_CHARS]
        if self.doc.date is not None:  # a date left for the hand keeps the template's fixed stamps
            stamp = dt.datetime.combine(self.doc.date, dt.time(), tzinfo=dt.timezone.utc)
            props.created = stamp
            props.modified = stamp
        props.revision = 1
        props.subject = (self.doc.doc_number or "")[:CORE_PROPERTY_MAX_CHARS]
        props.comments = ""
        props.keywords = ""
        props.language = "zh-CN"
        # python-docx's default template carries a thumbnail and app.xml of its own
        pkg = self.word.part.package
        for rel in list(pkg.rels.values()):
            if rel.reltype == RT.THUMBNAIL:
                pkg.rels.pop(rel.rId)
