"""One layout per letter, shared by the PDF writer and the DOCX merge.

A letter kind is compiled once (`LetterLayout`): all its block texts and ``if:`` conditions become ONE
sandboxed Jinja template, so a letter costs one render, not one per block (the sandbox's checks run
when the template is compiled and trial-rendered). `LetterLayout.lay_out` fills it for one child and
breaks every paragraph once, with the 禁则 of `layout.text` and widths from the embedded fonts, cached
per (face, size, string). What repeats from letter to letter is not laid again: a block's lines are
kept per distinct texts (the fixed paragraphs, the date), and a paragraph naming the child resumes
after the lines it shares with the same block of the letter before (`layout.text.LineMemo`).
The result (`LaidLetter`) carries the lines drawn by the PDF writer
(`pdf_merge`), the same line breaks for the DOCX merge (a line that would be spread too wide is
ragged in both), and whether the tear-off 回执 fits under the letter on the same side — decided here,
before any file is written, so the count of letters whose slip goes to the next side is known first.

Pitches (pt): body and titles `gbt9704.LETTER_LINE_PITCH_PT`; the tear-off 回执 in 小四 at
`LETTER_TEAR_OFF_LINE_PITCH_PT`, its write-in line `LETTER_FILL_LINE_PITCH_PT`; an own-page
送达回证 form in 4号 at `LETTER_SLIP_LINE_PITCH_PT`, rows `LETTER_FORM_TABLE_ROW_PT` high.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import jinja2

from .. import gbt9704 as g
from ..errors import InputError
from ..layout.text import LineMemo, break_lines, justifiable, line_width
from ..wording import sandbox
from . import spec as spec_mod
from .geometry import seal_signature_indents
from .pdf_file import HEIGHT, WIDTH, Blank, CutLine, FillLine, Line, TableCell, TableRow, TextLine
from .pdf_fonts import FontPack

BODY = g.FONT_FANGSONG
TITLE = g.FONT_XIAOBIAOSONG
SLIP_TITLE = g.FONT_HEITI
ROLES = (BODY, TITLE, SLIP_TITLE)
"""Font roles of the letters, body first (its face gives the em-box centre)."""

FIT_PT = 0.01  # float tolerance when comparing heights
_SEPARATOR = "\x1f"  # between the texts of the one-render template (a roster value holding it: slow path)
_SHARED_TYPES = ("line", "paragraph")  # body blocks whose line breaks the DOCX merge takes over
_BLOCKS_KEPT = 1 << 12  # laid-out blocks kept for the next letters (those naming the child differ per letter)

Breaks = tuple[tuple[str, bool], ...]
"""A paragraph's lines, each with whether it ends ragged (kept at its natural width, not spread)."""


@dataclass(frozen=True)
class _Compiled:
    block: spec_mod.Block
    index: int  # in spec.all_blocks()
    slip: bool
    form: bool  # part of an own-page form (送达回证): titled like a letter, rows tall enough to sign
    when: jinja2.Template | None
    texts: tuple[jinja2.Template, ...]
    label: str  # the block's place in the wording file, for messages


@dataclass(frozen=True)
class LaidLetter:
    """One child's letter, laid out: what the PDF draws and the DOCX fills."""

    fields: Mapping[str, object]  # the letter's own merge fields (settings not included)
    bookmark: str
    body: tuple[Line, ...]
    slip: tuple[Line, ...]
    form: bool  # the slip is an own-page form (送达回证)
    breaks: dict[int, Breaks]  # block index → lines of a printed `line`/`paragraph` body block
    spilled: bool  # a one-page letter whose tear-off slip does not fit under it: the slip goes to the next side


class _CharWidths(dict[str, float]):
    """Advance in pt of each character of a role at a size with letter spacing, looked up once."""

    def __init__(self, fonts: FontPack, role: str, size: float, spacing: float):
        super().__init__()
        self.fonts, self.role, self.size, self.spacing = fonts, role, size, spacing

    def __missing__(self, char: str) -> float:
        self[char] = width = self.fonts.glyph(self.role, char).advance * self.size + self.spacing
        return width


def last_page_used(lines: tuple[Line, ...] | list[Line]) -> tuple[int, float]:
    """(pages, pt used on the last page) when `lines` flow from the 版心 top over pages."""
    pages, used = 1, 0.0
    for line in lines:
        if used + line.pitch > HEIGHT + FIT_PT:
            pages, used = pages + 1, 0.0
        used += line.pitch
    return pages, used


def slip_fits(used: float, slip: tuple[Line, ...] | list[Line]) -> bool:
    """Whether a tear-off slip fits at the 版心 bottom of a page whose body uses `used` pt, the dashes
    of its cut line `LETTER_CUT_CLEARANCE_PT` below the last body line (the date and its seal): the
    upper half of the cut line stands in the clearance (`LETTER_CUT_ABOVE_DASHES_PT`)."""
    within = g.LETTER_CUT_ABOVE_DASHES_PT if slip and isinstance(slip[0], CutLine) else 0.0
    return used + g.LETTER_CUT_CLEARANCE_PT - within + sum(line.pitch for line in slip) <= HEIGHT + FIT_PT


class LetterLayout:
    """A letter kind compiled once: its texts as one template, its fonts' widths; `lay_out` per child."""

    def __init__(self, spec: spec_mod.LetterSpec, fonts: FontPack):
        env = spec_mod.environment(autoescape=False)
        self.fonts = fonts
        self.source = spec.source
        self.bookmark = env.from_string(spec.bookmark) if spec.bookmark else None
        self.blocks = [
            _Compiled(
                block,
                i,
                i >= len(spec.blocks),
                i >= len(spec.blocks) and spec.in_form(i - len(spec.blocks)),
                env.from_string(spec_mod.condition_source(block.when)) if block.when else None,
                tuple(env.from_string(t) for t in block.texts()),
                spec.block_label(i),
            )
            for i, block in enumerate(spec.all_blocks())
        ]
        sources = [spec.bookmark]
        for block in spec.all_blocks():
            sources += [spec_mod.condition_source(block.when) if block.when else "1", *block.texts()]
        self._parts = len(sources)
        self._whole = env.from_string(_SEPARATOR.join(s.removesuffix("\n") for s in sources))
        self._measures: dict[tuple[str, float, float], Callable[[str], float]] = {}
        self._units: dict[Callable[[str], float], dict] = defaultdict(dict)  # measure → `break_lines` units seen
        # per block (and measure, width, indent): what the next letter's paragraph shares with those before
        self._memos: dict[tuple, LineMemo] = defaultdict(LineMemo)
        # A letter's fixed blocks (延缓入学, 咨询电话, the date…) repeat: laid once per distinct texts.
        self._blocks_laid: dict[tuple, tuple[list[Line], Breaks | None]] = {}  # (block index, *texts) → lines, breaks

    # -- texts
    def _texts(self, fields: Mapping[str, object]) -> list[str]:
        """The bookmark, then per block its condition ("1" or "") and its texts: one render."""
        try:
            parts = sandbox.render(self._whole, fields, where=self.source, field="通知书模板").split(_SEPARATOR)
        except InputError:
            parts = []  # rendered block by block below, so the message names the block
        if len(parts) == self._parts:
            return parts
        parts = [sandbox.render(self.bookmark, fields, where=self.source, field="bookmark") if self.bookmark else ""]
        for item in self.blocks:
            shown = item.when is None or sandbox.render(item.when, fields, where=self.source, field=item.label)
            parts += ["1" if shown else "", *(sandbox.render(t, fields, where=self.source, field=item.label)
                                               for t in item.texts)]  # fmt: skip
        return parts

    # -- widths
    def measure(self, role: str, size: float, spacing: float) -> Callable[[str], float]:
        """Advance width in pt of a text in `role` at `size` with letter `spacing`, memoised per string."""
        key = (role, size, spacing)
        if key not in self._measures:
            advance = _CharWidths(self.fonts, role, size, spacing).__getitem__

            @lru_cache(maxsize=1 << 15)
            def measure(text: str) -> float:
                return sum(map(advance, text))

            self._measures[key] = measure
        return self._measures[key]

    # -- layout
    def _break(self, text: str, role: str, size: float, width: float, first: float, spacing: float,
               block: int) -> Breaks:  # fmt: skip
        """Lines of a justified paragraph, each with whether justification would spread it past
        `gbt9704.JUSTIFY_MAX_GAP_EM` (then it stays ragged). Widths count the space Word and LibreOffice
        add where Chinese meets digits (`gbt9704.AUTOSPACE_EM`), so no line is too long for them. The
        block's index `block` keys its `LineMemo`: what it shares with earlier letters is not broken again."""
        measure, autospace = self.measure(role, size, spacing), g.AUTOSPACE_EM * size
        memo = self._memos[(block, measure, width, first)]
        lines = break_lines(text, width, measure, first, autospace, seen=self._units[measure], memo=memo)
        last = len(lines) - 1
        return tuple(
            (line, i < last and not justifiable(
                line, (first if i == 0 else 0.0) + line_width(line, measure, autospace), width, size))
            for i, line in enumerate(lines)
        )  # fmt: skip

    def _paragraph(
        self, text: str, role: str, size: float, pitch: float, *, align: str, first_indent_em: float = 0.0,
        right_indent_em: float = 0.0, spacing: float = 0.0, breaks: Breaks | None = None,
    ) -> tuple[Line, ...]:  # fmt: skip
        measure = self.measure(role, size, spacing)
        first = first_indent_em * size
        width = WIDTH - right_indent_em * size
        if breaks is None:
            breaks = tuple((line, True) for line in break_lines(text, width, measure, first))
        out: list[Line] = []
        for i, (line, ragged) in enumerate(breaks):
            indent = first if i == 0 else 0.0
            natural = measure(line)
            line_spacing = spacing
            if align == "justify" and i < len(breaks) - 1 and not ragged:
                line_spacing += (width - indent - natural) / (len(line) - 1)
                x = indent
            elif align == "center":
                x = (WIDTH - natural) / 2
            elif align == "right":
                x = width - natural
            else:
                x = indent
            out.append(TextLine(line, role, size, x, line_spacing, pitch))
        return tuple(out)

    def _block_lines(self, item: _Compiled, texts: list[str], breaks: dict[int, Breaks]) -> list[Line]:
        block, form = item.block, item.form
        pitch = g.LETTER_LINE_PITCH_PT
        if item.form:
            size, line_pitch = g.LETTER_SLIP_SIZE_PT, g.LETTER_SLIP_LINE_PITCH_PT
        elif item.slip:
            size, line_pitch = g.LETTER_TEAR_OFF_SIZE_PT, g.LETTER_TEAR_OFF_LINE_PITCH_PT
        else:
            size, line_pitch = g.BODY_SIZE_PT, pitch
        spacing = 0.0 if item.slip else g.BODY_LETTER_SPACING_PT
        if block.type == "title":
            if item.slip and not form:
                return self._paragraph(texts[0], SLIP_TITLE, size, line_pitch, align="center")
            return [
                *self._paragraph(texts[0], TITLE, g.TITLE_SIZE_PT, pitch, align="center"),
                *[Blank(pitch)] * g.RECIPIENT_BLANK_LINES_BELOW_TITLE,
            ]
        if block.type == "number":
            return self._paragraph(texts[0], BODY, size, line_pitch, align="right", spacing=spacing)
        if block.type in _SHARED_TYPES:
            indent = g.BODY_INDENT_CHARS if block.type == "paragraph" else 0
            lines = self._break(texts[0], BODY, size, WIDTH, indent * size, spacing, item.index)
            if not item.slip:
                breaks[item.index] = lines
            return self._paragraph(texts[0], BODY, size, line_pitch, align="justify", spacing=spacing,
                                   first_indent_em=indent, breaks=lines)  # fmt: skip
        if block.type == "signature":
            issuer_indent, date_indent = seal_signature_indents(texts[0], texts[1])
            body = g.BODY_SIZE_PT
            return [
                *[Blank(pitch)] * g.SEAL_BLANK_LINES_ABOVE_SIGNATURE,
                *self._paragraph(texts[0], BODY, body, pitch, align="right", right_indent_em=issuer_indent,
                                 spacing=spacing),
                *self._paragraph(texts[1], BODY, body, pitch, align="right", right_indent_em=date_indent,
                                 spacing=spacing),
            ]  # fmt: skip
        if block.type == "cut":
            words_size, cut_pitch = g.LETTER_CUT_TEXT_SIZE_PT, g.LETTER_CUT_LINE_PITCH_PT
            words = TextLine(texts[1], BODY, words_size, (WIDTH - self.measure(BODY, words_size, 0.0)(texts[1])) / 2,
                             0.0, cut_pitch)
            return [CutLine(words, cut_pitch), *self._paragraph(texts[0], SLIP_TITLE, size, line_pitch, align="center")]
        if block.type == "table":
            min_height = g.LETTER_FORM_TABLE_ROW_PT if form else g.LETTER_SLIP_TABLE_ROW_LINES * line_pitch
            return [self._table_row(row, size, line_pitch, min_height) for row in block.table_rows(texts)]
        return [self._fill(texts, size, line_pitch if form else g.LETTER_FILL_LINE_PITCH_PT)]

    def _table_row(self, cells: list[str], size: float, pitch: float, min_height: float) -> TableRow:
        """A table row of label/value pairs: labels centred in a fixed column, values left-aligned in
        the rest (a 2-cell row's value spans it all); at least `min_height` pt, taller when a cell
        needs more lines."""
        label_w = g.LETTER_SLIP_TABLE_LABEL_CHARS * size
        value_w = (WIDTH - label_w * (len(cells) // 2)) / (len(cells) // 2)
        pad = g.LETTER_SLIP_TABLE_PAD_CHARS * size
        measure = self.measure(BODY, size, 0.0)
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
        height = max(min_height, (rows_needed + 0.5) * pitch)
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

    def lay_out(self, fields: Mapping[str, object], settings: Mapping[str, object]) -> LaidLetter:
        """The letter of the child whose merge fields are `fields` (with the run's `settings`)."""
        parts = iter(self._texts({**settings, **fields}))
        bookmark = next(parts).strip()
        body: list[Line] = []
        slip: list[Line] = []
        breaks: dict[int, Breaks] = {}
        form = False
        for item in self.blocks:
            shown = next(parts)
            texts = [next(parts) for _ in item.texts]
            if not shown:
                continue
            key = (item.index, *texts)
            laid = self._blocks_laid.get(key)
            if laid is None:  # a block's lines depend on its texts only: laid once per distinct texts
                if len(self._blocks_laid) >= _BLOCKS_KEPT:
                    self._blocks_laid.clear()
                own: dict[int, Breaks] = {}
                laid = self._blocks_laid[key] = (self._block_lines(item, texts, own), own.get(item.index))
            (slip if item.slip else body).extend(laid[0])
            if laid[1] is not None:
                breaks[item.index] = laid[1]
            form = form or (item.slip and item.block.placement == "own-page")
        pages, used = last_page_used(body)
        spilled = bool(slip) and not form and pages == 1 and not slip_fits(used, slip)
        return LaidLetter(fields, bookmark, tuple(body), tuple(slip), form, breaks, spilled)
