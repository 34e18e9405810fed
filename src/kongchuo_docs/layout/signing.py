"""署名, 成文日期 and 印章 rows (§7.3.5, §7.3.6), 签字栏 blocks and the 回执 slip: the signing end of a
document. A mixin of `pages.Layouter`, which supplies the flow and the text helpers."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .. import gbt9704 as g
from .boxes import CHAR, PITCH, WIDTH, Align, Gap, Item, Line
from .text import break_lines

if TYPE_CHECKING:
    from ..model import Document, Receipt, Signature, SignFields
    from .boxes import Measures
    from .flow import Flow


class SigningLayout:
    """Places the 署名/日期/附注 block and 签字栏 fields."""

    doc: Document
    m: Measures
    flow: Flow

    def sign_fields(self, block: SignFields, tail_pt: float = 0.0) -> None:
        """签字栏: `per_row` fields to a line, each its label and a writing line to the column's end
        (one character short of the next column), a blank line above every row; with `dated`, a
        blank date under each writing line. Fewer fields go to a line when a label would leave less
        than `SIGN_FIELD_MIN_WRITING_CHARS` to write on. The block stays on one page with text above
        it (`Flow.place_ending`; `tail_pt`: the height a 回执 needs under it)."""
        width = self.text_width
        per_row = block.per_row
        needed = max(self.body_width(label.rstrip("：") + "：") for label in block.labels) + CHAR * (
            g.SIGN_FIELD_MIN_WRITING_CHARS + 1)  # label, writing line, a character to the next column
        while per_row > 1 and needed > width / per_row:
            per_row -= 1
        column = width / per_row
        rows = [block.labels[i:i + per_row] for i in range(0, len(block.labels), per_row)]
        gap = g.SIGN_FIELD_ROW_GAP_LINES
        stroke = self.body_width(g.WRITING_LINE_CHAR)
        date_width = self.body_width(g.SIGN_FIELD_DATE_TEXT)
        items: list[Item] = []
        for r, labels in enumerate(rows):
            if r or self.flow.y > 0:  # apart from what stands above and from each other
                items += [Gap(PITCH, keep_with_next=True)] * gap
            more = r < len(rows) - 1
            fields, dates = [], []
            for c, label in enumerate(labels):
                label = label if label.endswith("：") else label + "："
                x = c * column
                room = column - CHAR - self.body_width(label)
                fields.append((x, label + g.WRITING_LINE_CHAR * max(1, int(room // stroke))))
                # under the writing line, or as far right as the column allows
                dates.append((max(x, min(x + self.body_width(label), x + column - CHAR - date_width)),
                              g.SIGN_FIELD_DATE_TEXT))
            items += self.row(fields, "sign-field", keep_with_next=more or block.dated)
            if block.dated:
                items += self.row(dates, "sign-field", keep_with_next=more)
        self.flow.place_ending(items, tail_pt)

    def receipt_items(self, receipt: Receipt) -> list[Item]:
        """回执 as the 入学 letters set it: the cut line (role "cut": the words typed on it, `cut_mark`
        draws the ✂ and the dashes), its title centred under it, its
        sentences in 小四 (`LETTER_TEAR_OFF_SIZE_PT` at `LETTER_TEAR_OFF_LINE_PITCH_PT`, every line a
        paragraph of its own, so the DOCX breaks them alike), its fields two to a line when they fit,
        each the typed value or a writing line to its column's end, and a blank date for the hand, on
        write-in lines `LETTER_FILL_LINE_PITCH_PT` high. All kept together (`Flow.place_foot`)."""
        size, pitch, fill = g.LETTER_TEAR_OFF_SIZE_PT, g.LETTER_TEAR_OFF_LINE_PITCH_PT, g.LETTER_FILL_LINE_PITCH_PT
        def measure(text: str) -> float:  # the font's widths, measured at the table size
            return self.m.table(text) * size / g.TABLE_SIZE_PT

        width, indent = self.text_width, g.BODY_INDENT_CHARS * size

        def line(text: str, role: str, *, height: float = pitch, font: str = g.FONT_FANGSONG, align: Align = "left",
                 indent_pt: float = 0.0, right_indent_pt: float = 0.0, beside: bool = False) -> Line:
            return Line(text, font, size, align, indent_pt=indent_pt, right_indent_pt=right_indent_pt, role=role,
                        height_pt=height, paragraph_start=not beside, keep_with_next=True, beside=beside)

        cut = Line(receipt.cut_text, g.FONT_FANGSONG, g.LETTER_CUT_TEXT_SIZE_PT, "center", role="cut",
                   height_pt=g.LETTER_CUT_LINE_PITCH_PT, paragraph_start=True, keep_with_next=True)
        items: list[Item] = [cut, line(receipt.title, "receipt-title", font=g.FONT_HEITI, align="center")]
        for text in receipt.text:
            for i, chunk in enumerate(break_lines(text, width, measure, indent, size * g.AUTOSPACE_EM)):
                items.append(line(chunk, "receipt", indent_pt=indent if i == 0 else 0.0))
        labels = [f.label.rstrip("：:") + "：" for f in receipt.fields]
        gap = g.LETTER_FILL_GAP_CHARS * size
        stroke = measure(g.WRITING_LINE_CHAR)
        least = g.SIGN_FIELD_MIN_WRITING_CHARS * size
        per_row = 2 if all(measure(lb + f.value) + least + gap <= width / 2
                           for lb, f in zip(labels, receipt.fields, strict=True)) else 1
        column = width / per_row
        for r in range(0, len(labels), per_row):
            for c, (label, field) in enumerate(zip(labels[r:r + per_row], receipt.fields[r:r + per_row],
                                                   strict=True)):
                room = column - 2 * gap - measure(label + field.value)  # a character spare
                writing = g.WRITING_LINE_CHAR * max(1, int(room // stroke)) if not field.value else ""
                items.append(line(label + field.value + writing, "receipt-field", height=fill, indent_pt=c * column,
                                  beside=c > 0))
        if receipt.dated:
            items.append(line(g.HAND_DATE_TEXT, "receipt-field", height=fill, align="right",
                              right_indent_pt=indent))
        items[-1] = replace(items[-1], keep_with_next=False)
        return items

    def signature_block(self) -> list[Item]:
        """署名, 成文日期, 附注 (§7.3.5, §7.3.6); a date left for the hand is a blank "年 月 日".
        The items, for `Flow.place_ending` with the 附件说明 above them: they stay on one page, and
        never on a page of their own (§7.3.5.1)."""
        doc = self.doc
        date_text = g.format_date(doc.date) if doc.date else g.HAND_DATE_TEXT
        wd = self.body_width(date_text)
        sigs = doc.signatures
        block: list[Item] = []
        if doc.seal:
            block += [Gap(PITCH, keep_with_next=True)] * g.SEAL_BLANK_LINES_ABOVE_SIGNATURE
            date_right = g.SEAL_DATE_RIGHT_INDENT_CHARS * CHAR
            centre_right = date_right + wd / 2  # distance of the date's centre from the right edge
            rows = self.sealed_rows(sigs, WIDTH - centre_right) if len(sigs) > 1 else []
            if rows:
                sigs, block = [], block + rows
            for sig in sigs:
                for text, role in ((sig.name, "signature"), (sig.note, "signature-note")):
                    if text:
                        right = max(0.0, centre_right - self.body_width(text) / 2)
                        block.append(Line(text, g.FONT_FANGSONG, g.BODY_SIZE_PT, "right", right_indent_pt=right,
                                          role=role, paragraph_start=True, keep_with_next=True))
        else:
            block += [Gap(PITCH, keep_with_next=True)] * g.NO_SEAL_BLANK_LINES_ABOVE_SIGNATURE
            ws = max((self.body_width(s.name) for s in sigs), default=0.0)
            sig_right = g.NO_SEAL_SIGNATURE_RIGHT_INDENT_CHARS * CHAR
            shift = g.NO_SEAL_DATE_SHIFT_CHARS * CHAR
            date_right = sig_right + ws - shift - wd
            if date_right < sig_right:  # date longer than the 署名: date 2 chars in, 署名 moves left
                date_right = sig_right
                sig_right = date_right + wd + shift - ws
            for sig in sigs:
                sig_start_right = sig_right + ws  # all 署名 start in one column
                for text, role in ((sig.name, "signature"), (sig.note, "signature-note")):
                    if text:
                        right = sig_start_right - self.body_width(text)
                        block.append(Line(text, g.FONT_FANGSONG, g.BODY_SIZE_PT, "right", right_indent_pt=right,
                                          role=role, paragraph_start=True, keep_with_next=True))
        block.append(Line(date_text, g.FONT_FANGSONG, g.BODY_SIZE_PT, "right",
                          right_indent_pt=date_right, role="date", paragraph_start=True,
                          keep_with_next=bool(doc.note)))
        if doc.note:
            block += self.paragraph_lines(doc.note, indent_chars=g.NOTE_INDENT_CHARS, role="note")
        return block

    def sealed_rows(self, sigs: list[Signature], last_centre: float) -> list[Item]:
        """联合行文 with seals (§7.3.5.1): the 署名 in rows of `JOINT_SEALS_PER_ROW`, in the organs'
        order, each centred on its seal's column; the last name centred over the date (x of its centre
        `last_centre`, pt from the 版心's left). Empty when two seals do not fit side by side (then
        the names stand one above the other, each centred over the date)."""
        per_row = g.JOINT_SEALS_PER_ROW
        seal = g.mm_to_pt(g.SEAL_DIAMETER_MM)
        pitch = min(WIDTH / per_row, (last_centre - seal / 2) / (per_row - 1))
        widest = max(self.body_width(s.name) for s in sigs)
        if pitch < seal or pitch < widest + CHAR or any(s.note for s in sigs):
            return []
        rows = [sigs[i:i + per_row] for i in range(0, len(sigs), per_row)]  # a short last row keeps to the right
        items: list[Item] = []
        for r, row in enumerate(rows):
            if r:
                items += [Gap(PITCH, keep_with_next=True)] * (g.SEAL_ROW_PITCH_LINES - 1)
            centres = [last_centre - pitch * (len(row) - 1 - c) for c in range(len(row))]
            items += self.row([(x - self.body_width(s.name) / 2, s.name) for x, s in zip(centres, row, strict=True)],
                              "signature", keep_with_next=True)
        return items
