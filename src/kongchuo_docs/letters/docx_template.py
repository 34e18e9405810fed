"""The default Word template of a letter kind, generated from its block spec (``templates/letters``).

The result is an ordinary docxtpl-style template — a DOCX package whose ``word/document.xml``
carries Jinja placeholders (``{{ 姓名 }}``) and ``{% if %}`` around optional paragraphs — so the
merge engine treats it like a clerk's own template, with one exception: the lines of the body
paragraphs come laid out (`LINES_FIELD`, filled by `docx_merge.laid_fields` from `layout.LaidLetter`),
so Word and LibreOffice break them where the PDF does. Layout: A4, 公文 margins, 3号 仿宋 at the letters'
own pitch (`gbt9704.LETTER_LINE_PITCH_PT`); the 回执 under the cut line in 小四, an own-page 送达回证 form
in 4号 (``gbt9704`` [practice]), right after the letter (LibreOffice ignores a bottom-aligned frame,
so unlike the PDF the DOCX does not pin the slip to the bottom of the 版心). An own-page slip
(送达回证 form) follows a `FORM_BREAK` paragraph, which the merge turns into a section break
(`docx_merge`): the form starts a new page, or in duplex a new sheet, exactly as the next letter would.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from lxml import etree

from .. import gbt9704 as g
from ..writers.font_table import font_table_xml
from ..writers.ooxml import cut_line_runs, cut_line_tabs
from .spec_model import Block, LetterSpec

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_JINJA_TAG = re.compile(r"({{.*?}}|{%.*?%}|{#.*?#})", re.S)

SIGNATURE_GLOBAL = "seal_indents_twips"
"""Jinja global the generated template calls: (issuer, date) → (issuer, date) right indents in twips."""
LINES_FIELD = "排版"
"""Merge field of the default template: block index → the XML of that body paragraph's laid-out lines."""
FORM_BREAK = '<w:p><w:pPr><w:pStyle w:val="LetterFormBreak"/></w:pPr></w:p>'
"""Marker paragraph before an own-page form; `docx_merge` replaces it with a section break."""

BODY_HALF_PT = round(g.BODY_SIZE_PT * 2)
TITLE_HALF_PT = round(g.TITLE_SIZE_PT * 2)
BODY_CHAR_TWIPS = g.pt_to_twips(g.BODY_SIZE_PT)
SLIP_STYLES = {False: ("LetterSlip", g.LETTER_TEAR_OFF_SIZE_PT, g.LETTER_TEAR_OFF_LINE_PITCH_PT),
               True: ("LetterForm", g.LETTER_SLIP_SIZE_PT, g.LETTER_SLIP_LINE_PITCH_PT)}  # fmt: skip
"""Slip text style by `form`: (style id, size pt, exact line pitch pt) — tear-off 回执 or own-page form."""
TYPE_AREA_TWIPS = g.mm_to_twips(g.TYPE_AREA_WIDTH_MM)
_WORDS_MARK = "\ue000"  # where the cut line's words go in its runs (a private-use character)


def jinja_text(source: str) -> str:
    """A block text as template source for XML: literal parts escaped, Jinja tags kept verbatim."""
    return "".join(
        part if _JINJA_TAG.fullmatch(part) else escape(part) for part in _JINJA_TAG.split(source)
    )


def _run(text_source: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{jinja_text(text_source)}</w:t></w:r>'


def _laid_run(index: int) -> str:
    """A 3号 body run holding the laid-out lines of block `index` (`docx_merge.laid_fields`)."""
    return f'<w:r><w:t xml:space="preserve">{{{{ {LINES_FIELD}[{index}] }}}}</w:t></w:r>'


def _cut_runs(words_source: str) -> str:
    """The cut line's runs (`ooxml.cut_line_runs`, as the 公文 DOCX has them), the words' Jinja source
    kept verbatim."""
    runs = cut_line_runs(_WORDS_MARK if words_source else "", g.FONT_FANGSONG)
    xml = "".join(etree.tostring(r, encoding="unicode") for r in runs).replace(f' xmlns:w="{W_NS}"', "")
    return xml.replace(_WORDS_MARK, jinja_text(words_source))


def _char_twips(form: bool) -> int:
    return g.pt_to_twips(SLIP_STYLES[form][1])


def _para(style: str, runs: str, extra_ppr: str = "", *, keep_next: bool = False) -> str:
    keep = "<w:keepNext/>" if keep_next else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{keep}{extra_ppr}</w:pPr>{runs}</w:p>'


def _blank(style: str = "LetterBody") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr></w:p>'


def _fill(labels: list[str], keep_next: bool, form: bool) -> str:
    """Write-in fields: each label followed by an underscore-leader tab, the line split evenly; a
    tear-off slip's write-in line is `LETTER_FILL_LINE_PITCH_PT` high (room to write by hand)."""
    n = len(labels)
    gap = g.LETTER_FILL_GAP_CHARS * _char_twips(form)
    stops = [TYPE_AREA_TWIPS * (i + 1) // n - (gap if i < n - 1 else 0) for i in range(n)]
    tabs = "".join(f'<w:tab w:val="left" w:leader="underscore" w:pos="{pos}"/>' for pos in stops)
    runs = []
    for i, label in enumerate(labels):
        lead = "　" * g.LETTER_FILL_GAP_CHARS if i else ""
        runs.append(_run(f"{lead}{label}：") + "<w:r><w:tab/></w:r>")
    pitch = "" if form else _exact(g.LETTER_FILL_LINE_PITCH_PT)
    return _para(SLIP_STYLES[form][0], "".join(runs), f"<w:tabs>{tabs}</w:tabs>{pitch}", keep_next=keep_next)


def _exact(pitch_pt: float) -> str:
    return f'<w:spacing w:before="0" w:after="0" w:line="{g.pt_to_twips(pitch_pt)}" w:lineRule="exact"/>'


def _table(block: Block, keep_next: bool, form: bool) -> str:
    """A bordered label/value table (送达回证): a 4-column grid of label, value, label, value; a 2-cell
    row's value spans three columns. Rows never split and stay with the cut line (or title) above them;
    in an own-page `form` each row is at least two 3号 lines high, room to sign."""
    style, _, pitch = SLIP_STYLES[form]
    label_w = round(g.LETTER_SLIP_TABLE_LABEL_CHARS * _char_twips(form))
    value_w = (TYPE_AREA_TWIPS - 2 * label_w) // 2
    border = f'w:val="single" w:sz="{g.LETTER_RULE_EIGHTHS}" w:space="0" w:color="000000"'
    edges = "".join(f"<w:{e} {border}/>" for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
    pad = round(g.LETTER_SLIP_TABLE_PAD_CHARS * _char_twips(form))
    height = g.LETTER_FORM_TABLE_ROW_TWIPS if form else round(g.LETTER_SLIP_TABLE_ROW_LINES * g.pt_to_twips(pitch))
    rows = []
    for r, row in enumerate(block.rows):
        keep = keep_next or r < len(block.rows) - 1
        cells = []
        for i, text in enumerate(row):
            label = i % 2 == 0
            width = label_w if label else (value_w if len(row) == 4 else TYPE_AREA_TWIPS - label_w)
            span = '<w:gridSpan w:val="3"/>' if len(row) == 2 and not label else ""
            ppr = ("<w:keepNext/>" if keep else "") + ('<w:jc w:val="center"/>' if label else "")
            cells.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}<w:vAlign w:val="center"/></w:tcPr>'
                f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>{_run(text)}</w:p></w:tc>'
            )
        rows.append(f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{height}" w:hRule="atLeast"/></w:trPr>'
                    f"{''.join(cells)}</w:tr>")  # fmt: skip
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in (label_w, value_w, label_w, value_w))
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{TYPE_AREA_TWIPS}" w:type="dxa"/><w:tblBorders>{edges}</w:tblBorders>'
        f'<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="{pad}" w:type="dxa"/>'
        f'<w:right w:w="{pad}" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        f"{''.join(rows)}</w:tbl>"
    )


def _signature(block: Block) -> str:
    blanks = _blank() * g.SEAL_BLANK_LINES_ABOVE_SIGNATURE
    return (
        f"{blanks}{{% set _署名 %}}{jinja_text(block.issuer)}{{% endset %}}"
        f"{{% set _日期 %}}{jinja_text(block.date)}{{% endset %}}"
        f"{{% set _缩进 = {SIGNATURE_GLOBAL}(_署名, _日期) %}}"
        + _para("LetterBody", "<w:r><w:t>{{ _署名 }}</w:t></w:r>",
                '<w:jc w:val="right"/><w:ind w:right="{{ _缩进[0] }}"/>')
        + _para("LetterBody", "<w:r><w:t>{{ _日期 }}</w:t></w:r>",
                '<w:jc w:val="right"/><w:ind w:right="{{ _缩进[1] }}"/>')
    )  # fmt: skip


def _block_xml(block: Block, index: int, slip: bool, keep_next: bool = False, form: bool = False) -> str:
    """Block `index`'s paragraphs; `keep_next` keeps a slip block on the page of the next one (slip
    whole); `form`: the block belongs to an own-page form (title set like the letter's, tall rows)."""
    text_style = SLIP_STYLES[form][0] if slip else "LetterBody"
    opts = {"keep_next": keep_next}
    if block.type == "title":
        xml = _para("LetterSlipTitle", _run(block.text), **opts) if slip and not form else (
            _para("LetterTitle", _run(block.text), keep_next=keep_next)
            + _blank() * g.RECIPIENT_BLANK_LINES_BELOW_TITLE
        )
    elif block.type == "number":
        xml = _para(text_style, _run(block.text), '<w:jc w:val="right"/>', **opts)
    elif block.type == "line":
        xml = _para(text_style, _run(block.text) if slip else _laid_run(index), **opts)
    elif block.type == "paragraph":
        xml = _para(text_style + "Indent", _run(block.text) if slip else _laid_run(index), **opts)
    elif block.type == "signature":
        xml = _signature(block)
    elif block.type == "cut":  # the cut line, then the slip's title
        xml = _para("LetterCut", _cut_runs(block.cut_text), keep_next=True) + _para("LetterSlipTitle",
                                                                                    _run(block.text), **opts)
    elif block.type == "table":
        xml = _table(block, keep_next, form)
    else:  # fill
        xml = _fill(block.labels, keep_next, form)
    if block.placement == "own-page":
        xml = FORM_BREAK + xml
    return f"{{% if {block.when} %}}{xml}{{% endif %}}" if block.when else xml


def document_xml(spec: LetterSpec) -> str:
    """``word/document.xml`` of the default template: one letter, Jinja placeholders, A4 公文 page."""
    body = "".join(_block_xml(b, i, slip=False) for i, b in enumerate(spec.blocks))
    last, first = len(spec.slip) - 1, len(spec.blocks)
    body += "".join(
        _block_xml(b, first + i, slip=True, keep_next=i < last, form=spec.in_form(i))
        for i, b in enumerate(spec.slip)
    )
    sect = (
        f'<w:sectPr><w:pgSz w:w="{g.mm_to_twips(g.PAPER_WIDTH_MM)}" w:h="{g.mm_to_twips(g.PAPER_HEIGHT_MM)}"/>'
        f'<w:pgMar w:top="{g.mm_to_twips(g.MARGIN_TOP_MM)}" w:right="{g.mm_to_twips(g.MARGIN_RIGHT_MM)}" '
        f'w:bottom="{g.mm_to_twips(g.MARGIN_BOTTOM_MM)}" w:left="{g.mm_to_twips(g.MARGIN_LEFT_MM)}" '
        'w:header="851" w:footer="992" w:gutter="0"/>'
        f'<w:docGrid w:type="lines" w:linePitch="{g.LETTER_LINE_PITCH_TWIPS}"/></w:sectPr>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{body}{sect}</w:body></w:document>'
    )


def _rfonts(name: str) -> str:
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}" w:hint="eastAsia"/>'


def _style(style_id: str, based_on: str | None, ppr: str, rpr: str) -> str:
    base = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    return (
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{style_id}"><w:name w:val="{style_id}"/>'
        f"{base}<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )


def styles_xml() -> str:
    """Paragraph styles of the letters: body at the letters' exact pitch (no widow control and no
    automatic Chinese–Latin spacing, so Word and LibreOffice keep the laid-out lines), title, the
    tear-off 回执 (`LetterSlip`…), the own-page form (`LetterForm`…), cut line."""
    exact = _exact(g.LETTER_LINE_PITCH_PT)
    body_rpr = (
        f'{_rfonts(g.FONT_FANGSONG)}<w:spacing w:val="{g.BODY_CHAR_SPACING_TWIPS}"/>'
        f'<w:sz w:val="{BODY_HALF_PT}"/><w:szCs w:val="{BODY_HALF_PT}"/>'
    )
    keep = "<w:keepLines/>"
    indent = (
        f'<w:ind w:firstLineChars="{g.BODY_INDENT_CHARS * 100}" w:firstLine="{g.BODY_INDENT_CHARS * BODY_CHAR_TWIPS}"/>'
    )
    body_ppr = ('<w:widowControl w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
                '<w:snapToGrid w:val="0"/>')
    styles = [
        _style("LetterBody", None, f'{body_ppr}{exact}<w:jc w:val="both"/>', body_rpr),
        _style("LetterBodyIndent", "LetterBody", indent, ""),
        _style("LetterTitle", "LetterBody", '<w:jc w:val="center"/>',
               f'{_rfonts(g.FONT_XIAOBIAOSONG)}<w:sz w:val="{TITLE_HALF_PT}"/><w:szCs w:val="{TITLE_HALF_PT}"/>'),
    ]  # fmt: skip
    for form, (style, size, pitch) in SLIP_STYLES.items():
        half = round(size * 2)
        size_rpr = f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
        first = g.BODY_INDENT_CHARS * _char_twips(form)
        styles += [
            _style(style, "LetterBody", f"{keep}{_exact(pitch)}", f"{_rfonts(g.FONT_FANGSONG)}{size_rpr}"),
            _style(f"{style}Indent", style,
                   f'<w:ind w:firstLineChars="{g.BODY_INDENT_CHARS * 100}" w:firstLine="{first}"/>', ""),
            _style(f"{style}Title", style, '<w:jc w:val="center"/>', f"{_rfonts(g.FONT_HEITI)}"),
        ]  # fmt: skip
    tabs = "".join(etree.tostring(t, encoding="unicode") for t in cut_line_tabs()).replace(f' xmlns:w="{W_NS}"', "")
    clearance = g.LETTER_CUT_CLEARANCE_TWIPS - g.LETTER_CUT_ABOVE_DASHES_TWIPS  # to the dashes, as `slip_fits`
    cut_ppr = (  # the cut line at least LETTER_CUT_CLEARANCE_LINES below the date (and the seal on it)
        f'{keep}<w:tabs>{tabs}</w:tabs><w:spacing w:before="{clearance}" w:after="0" '
        f'w:line="{g.LETTER_CUT_LINE_PITCH_TWIPS}" w:lineRule="exact"/><w:jc w:val="left"/>'
    )
    styles.append(_style("LetterCut", "LetterSlip", cut_ppr, ""))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault><w:rPr>{body_rpr}'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>'
        f"<w:pPrDefault><w:pPr>{exact}</w:pPr></w:pPrDefault></w:docDefaults>{''.join(styles)}</w:styles>"
    )


def package_parts(spec: LetterSpec) -> list[tuple[str, bytes]]:
    """Every part of the default template package, ``word/document.xml`` included, in zip order."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/word/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
        '<Override PartName="/word/settings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
        '<Override PartName="/word/fontTable.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
        "</Types>"
    )
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    doc_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/settings" Target="settings.xml"/>'
        f'<Relationship Id="rId3" Type="{rel}/fontTable" Target="fontTable.xml"/></Relationships>'
    )
    settings = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:settings xmlns:w="{W_NS}"><w:defaultTabStop w:val="{BODY_CHAR_TWIPS * 2}"/>'
        '<w:characterSpacingControl w:val="compressPunctuation"/>'
        '<w:compat>'
        '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
        'w:val="15"/></w:compat></w:settings>'
    )
    return [
        ("[Content_Types].xml", content_types.encode()),
        ("_rels/.rels", root_rels.encode()),
        ("word/document.xml", document_xml(spec).encode()),
        ("word/_rels/document.xml.rels", doc_rels.encode()),
        ("word/styles.xml", styles_xml().encode()),
        ("word/settings.xml", settings.encode()),
        ("word/fontTable.xml", font_table_xml()),
    ]
