"""版头 geometry (§7.2, §10.1): 份号/密级/紧急程度, the 发文机关标志 sized to the 版心, 发文字号 and
签发人, the red rule(s). A mixin of `pages.Layouter`, which supplies the flow and the text helpers."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .. import gbt9704 as g
from .boxes import CHAR, WIDTH, Align, Line, Placed, Rule

if TYPE_CHECKING:
    from ..model import Document
    from .boxes import Measures
    from .flow import Flow


class HeadLayout:
    """Places the 版头 of the 文件格式 and the 信函格式 at the top of the first page."""

    doc: Document
    m: Measures
    flow: Flow

    def head_lines(self) -> None:
        """份号, 密级, 紧急程度: lines 1–3 at the top of the 版心 (§7.2.1–7.2.3)."""
        doc = self.doc
        for text, font, role in (
            (doc.copy_number, g.FONT_FANGSONG, "copy-number"),
            (doc.secrecy, g.FONT_HEITI, "secrecy"),
            (doc.urgency, g.FONT_HEITI, "urgency"),
        ):
            if text:
                self.flow.place(Line(text, font, g.BODY_SIZE_PT, "left", role=role, paragraph_start=True))

    def mark_size(self) -> tuple[float, int, float]:
        """(font size pt, horizontal scale %, line height pt) of the 发文机关标志 lines."""
        doc = self.doc
        names = doc.issuers
        max_size = g.LETTER_MARK_SIZE_PT if doc.format == "letter" else g.MARK_MAX_SIZE_PT
        suffix = doc.mark_suffix if doc.format == "file" else None
        # joint issue: names stacked, the suffix to their right (one column of its own)
        longest = max(self.m.mark(n) for n in names)
        if suffix and len(names) > 1:
            em = longest + self.m.mark(suffix) + 1  # one em of air between names and suffix
        else:
            em = longest + (self.m.mark(suffix) if suffix else 0)
        fit = WIDTH / em
        size = min(max_size, math.floor(fit * 2) / 2)  # whole half-points (OOXML w:sz), never wider
        scale = 100
        if size < g.MARK_MIN_SIZE_PT:
            size = g.MARK_MIN_SIZE_PT
            scale = int(fit / size * 100)
        return size, scale, size

    def mark_lines(self, top: float, color: str) -> float:
        """Place the 发文机关标志 from `top` (pt from the 版心 top); return its bottom."""
        doc = self.doc
        size, scale, line_h = self.mark_size()
        suffix = doc.mark_suffix if doc.format == "file" else None
        joint = len(doc.issuers) > 1
        y = top
        for i, name in enumerate(doc.issuers):
            text = name if joint or not suffix else name + suffix
            self.flow.place_at(
                y,
                Line(text, g.FONT_XIAOBIAOSONG, size, "center", role="mark", color=color,
                     height_pt=line_h, scale_pct=scale, paragraph_start=i == 0),
            )
            y += line_h
        if joint and suffix:
            # the suffix stands right of the stacked names, vertically centred (§7.2.4)
            mid = top + (y - top - line_h) / 2
            self.flow.page.items.append(
                Placed(mid, Line(suffix, g.FONT_XIAOBIAOSONG, size, "right", role="mark-suffix",
                                 color=color, height_pt=line_h, scale_pct=scale))
            )
        return y

    def file_head(self) -> None:
        """版头 of the 文件格式 (§7.2)."""
        self.head_lines()
        bottom = self.mark_lines(g.mm_to_pt(g.MARK_TOP_BELOW_TYPE_AREA_MM), g.RED_RGB)
        self.flow.y = bottom
        self.blank(g.DOC_NUMBER_BLANK_LINES_BELOW_MARK)
        self.doc_number_line(align="center")
        rule_y = self.flow.y + self.rule_offset_pt()
        self.flow.place_at(rule_y, Rule(WIDTH, g.RED_RULE_THICKNESS_PT, g.RED_RGB))
        self.flow.y = rule_y + g.RED_RULE_THICKNESS_PT
        self.blank(g.TITLE_BLANK_LINES_BELOW_RULE)

    @staticmethod
    def rule_offset_pt() -> float:
        """Distance from the bottom of the 发文字号 line box to the red rule, pt: 4 mm under the
        glyphs (§7.2.7), which end `EXACT_LINE_TEXT_BOTTOM_EM` above the line's bottom. Whole
        points, because the DOCX draws the rule as a paragraph border spaced in points."""
        glyph_gap = g.EXACT_LINE_TEXT_BOTTOM_EM * g.BODY_SIZE_PT
        return float(round(g.mm_to_pt(g.RED_RULE_BELOW_DOC_NUMBER_MM) - glyph_gap))

    def doc_number_line(self, align: Align) -> None:
        doc = self.doc
        if not doc.signers:
            self.flow.place(Line(doc.doc_number or "", g.FONT_FANGSONG, g.BODY_SIZE_PT, align,
                                 role="doc-number", paragraph_start=True))
            return
        # 上行文 (§7.2.5, §7.2.6): "签发人：" 仿宋 + names 楷体 one char in from the right, two names a
        # line, later lines aligned with the first name; the 发文字号, one char in from the left,
        # shares the line of the last names
        per_line = g.SIGNERS_PER_LINE
        rows = [g.SIGNER_NAME_GAP.join(doc.signers[i:i + per_line]) for i in range(0, len(doc.signers), per_line)]
        label = g.SIGNER_LABEL
        edge = g.SIGNER_INDENT_CHARS * CHAR
        names_x = WIDTH - edge - self.body_width(label + rows[0]) + self.body_width(label)
        for i, names in enumerate(rows):
            last = i == len(rows) - 1
            if last:
                self.flow.place(Line(doc.doc_number or "", g.FONT_FANGSONG, g.BODY_SIZE_PT, "left",
                                     indent_pt=edge, role="doc-number", paragraph_start=True))
            if i == 0:
                line = Line(label + names, g.FONT_KAITI, g.BODY_SIZE_PT, "right", right_indent_pt=edge,
                            role="signer", lead_len=len(label), lead_font=g.FONT_FANGSONG,
                            paragraph_start=not last, beside=last)
            else:
                line = Line(names, g.FONT_KAITI, g.BODY_SIZE_PT, "left", indent_pt=names_x, role="signer",
                            paragraph_start=not last, beside=last)
            self.flow.place(line)

    def letter_head(self) -> None:
        """版头 of the 信函格式 (§10.1): mark 30 mm from the paper top, double red rule."""
        top = g.mm_to_pt(g.LETTER_MARK_TOP_MM - g.MARGIN_TOP_MM)  # negative: above the 版心
        bottom = self.mark_lines(top, g.RED_RGB)
        rule_y = bottom + g.mm_to_pt(g.LETTER_TOP_RULE_BELOW_MARK_MM)
        thick = g.LETTER_THICK_RULE_EIGHTHS / 8
        thin = g.LETTER_THIN_RULE_EIGHTHS / 8
        width = g.mm_to_pt(g.LETTER_RULE_WIDTH_MM)
        self.flow.place_at(rule_y, Rule(width, thick, g.RED_RGB, role="letter-rule-thick"))
        thin_y = rule_y + thick + g.LETTER_RULE_GAP_PT
        self.flow.place_at(thin_y, Rule(width, thin, g.RED_RGB, role="letter-rule-thin"))
        self.flow.y = max(0.0, thin_y + thin)
        self.head_lines()
        if self.doc.doc_number:
            self.doc_number_line(align="right")
        self.blank(g.LETTER_TITLE_BLANK_LINES)
