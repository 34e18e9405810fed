"""The default Word template of a letter kind, generated from its block spec (``templates/letters``).

The result is an ordinary docxtpl-style template — a DOCX package whose ``word/document.xml``
carries Jinja placeholders (``{{ 姓名 }}``) and ``{% if %}`` around optional paragraphs — so the
merge engine treats it exactly like a clerk's own template. Layout follows GB/T 9704: A4, 公文
margins, 3号 仿宋 on the 28.95 pt grid; the slip under the cut line in 4号 (``gbt9704`` [practice]),
right after the letter (LibreOffice ignores a bottom-aligned frame, so unlike the PDF the DOCX does
not pin the slip to the bottom of the 版心). An own-page slip (送达回证 form) follows a `FORM_BREAK`
paragraph, which the merge turns into a section break (`docx_merge`): the form starts a new page, or in
duplex a new sheet, exactly as the next letter would.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from .. import gbt9704 as g
from ..writers.font_table import font_table_xml
from .spec import Block, LetterSpec

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_JINJA_TAG = re.compile(r"({{.*?}}|{%.*?%}|{#.*?#})", re.S)

SIGNATURE_GLOBAL = "seal_indents_twips"
RAGGED_FILTER = "ragged_breaks"  # docx_merge.ragged_breaks: a line break where a line would be spread
"""Jinja global the generated template calls: (issuer, date) → (issuer, date) right indents in twips."""
FORM_BREAK = '<w:p><w:pPr><w:pStyle w:val="LetterFormBreak"/></w:pPr></w:p>'
"""Marker paragraph before an own-page form; `docx_merge` replaces it with a section break."""

BODY_HALF_PT = round(g.BODY_SIZE_PT * 2)
TITLE_HALF_PT = round(g.TITLE_SIZE_PT * 2)
SLIP_HALF_PT = round(g.LETTER_SLIP_SIZE_PT * 2)
BODY_CHAR_TWIPS = g.pt_to_twips(g.BODY_SIZE_PT)
SLIP_CHAR_TWIPS = g.pt_to_twips(g.LETTER_SLIP_SIZE_PT)
TYPE_AREA_TWIPS = g.mm_to_twips(g.TYPE_AREA_WIDTH_MM)


def jinja_text(source: str) -> str:
    """A block text as template source for XML: literal parts escaped, Jinja tags kept verbatim."""
    return "".join(
        part if _JINJA_TAG.fullmatch(part) else escape(part) for part in _JINJA_TAG.split(source)
    )


def _run(text_source: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{jinja_text(text_source)}</w:t></w:r>'


def _body_run(text_source: str, indent_chars: int) -> str:
    """A 3号 body run whose lines are never spread past half a character per gap: the filled text
    gets a line break before a unit (a 身份证号) that would leave its line too short to justify."""
    return (f'<w:r><w:t xml:space="preserve">{{% filter {RAGGED_FILTER}({indent_chars}) %}}'
            f'{jinja_text(text_source)}{{% endfilter %}}</w:t></w:r>')


def _para(style: str, runs: str, extra_ppr: str = "", *, keep_next: bool = False) -> str:
    keep = "<w:keepNext/>" if keep_next else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{keep}{extra_ppr}</w:pPr>{runs}</w:p>'


def _blank(style: str = "LetterBody") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr></w:p>'


def _fill(labels: list[str], keep_next: bool) -> str:
    """Write-in fields: each label followed by an underscore-leader tab, the line split evenly."""
    n = len(labels)
    gap = g.LETTER_FILL_GAP_CHARS * SLIP_CHAR_TWIPS
    stops = [TYPE_AREA_TWIPS * (i + 1) // n - (gap if i < n - 1 else 0) for i in range(n)]
    tabs = "".join(f'<w:tab w:val="left" w:leader="underscore" w:pos="{pos}"/>' for pos in stops)
    runs = []
    for i, label in enumerate(labels):
        lead = "　" * g.LETTER_FILL_GAP_CHARS if i else ""
        runs.append(_run(f"{lead}{label}：") + "<w:r><w:tab/></w:r>")
    return _para("LetterSlip", "".join(runs), f"<w:tabs>{tabs}</w:tabs>", keep_next=keep_next)


def _table(block: Block, keep_next: bool, form: bool) -> str:
    """A bordered label/value table (送达回证): a 4-column grid of label, value, label, value; a 2-cell
    row's value spans three columns. Rows never split and stay with the cut line (or title) above them;
    in an own-page `form` each row is at least two 3号 lines high, room to sign."""
    label_w = round(g.LETTER_SLIP_TABLE_LABEL_CHARS * SLIP_CHAR_TWIPS)
    value_w = (TYPE_AREA_TWIPS - 2 * label_w) // 2
    border = f'w:val="single" w:sz="{g.LETTER_RULE_EIGHTHS}" w:space="0" w:color="000000"'
    edges = "".join(f"<w:{e} {border}/>" for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
    pad = round(g.LETTER_SLIP_TABLE_PAD_CHARS * SLIP_CHAR_TWIPS)
    height = g.LETTER_FORM_TABLE_ROW_TWIPS if form else round(
        g.LETTER_SLIP_TABLE_ROW_LINES * g.pt_to_twips(g.LETTER_SLIP_LINE_PITCH_PT)
    )
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
                f'<w:p><w:pPr><w:pStyle w:val="LetterSlip"/>{ppr}</w:pPr>{_run(text)}</w:p></w:tc>'
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


def _block_xml(block: Block, slip: bool, keep_next: bool = False, form: bool = False) -> str:
    """A block's paragraphs; `keep_next` keeps a slip block on the page of the next one (slip whole);
    `form`: the block belongs to an own-page form (title set like the letter's, tall table rows)."""
    text_style = "LetterSlip" if slip else "LetterBody"
    opts = {"keep_next": keep_next}
    if block.type == "title":
        xml = _para("LetterSlipTitle", _run(block.text), **opts) if slip and not form else (
            _para("LetterTitle", _run(block.text), keep_next=keep_next)
            + _blank() * g.RECIPIENT_BLANK_LINES_BELOW_TITLE
        )
    elif block.type == "number":
        xml = _para(text_style, _run(block.text), '<w:jc w:val="right"/>', **opts)
    elif block.type == "line":
        xml = _para(text_style, _run(block.text) if slip else _body_run(block.text, 0), **opts)
    elif block.type == "paragraph":
        run = _run(block.text) if slip else _body_run(block.text, g.BODY_INDENT_CHARS)
        xml = _para(text_style + "Indent", run, **opts)
    elif block.type == "signature":
        xml = _signature(block)
    elif block.type == "cut":
        xml = _para("LetterCut", _run(block.text), **opts)
    elif block.type == "table":
        xml = _table(block, keep_next, form)
    else:  # fill
        xml = _fill(block.labels, keep_next)
    if block.placement == "own-page":
        xml = FORM_BREAK + xml
    return f"{{% if {block.when} %}}{xml}{{% endif %}}" if block.when else xml


def document_xml(spec: LetterSpec) -> str:
    """``word/document.xml`` of the default template: one letter, Jinja placeholders, A4 公文 page."""
    body = "".join(_block_xml(b, slip=False) for b in spec.blocks)
    last = len(spec.slip) - 1
    body += "".join(
        _block_xml(b, slip=True, keep_next=i < last, form=spec.in_form(i)) for i, b in enumerate(spec.slip)
    )
    sect = (
        f'<w:sectPr><w:pgSz w:w="{g.mm_to_twips(g.PAPER_WIDTH_MM)}" w:h="{g.mm_to_twips(g.PAPER_HEIGHT_MM)}"/>'
        f'<w:pgMar w:top="{g.mm_to_twips(g.MARGIN_TOP_MM)}" w:right="{g.mm_to_twips(g.MARGIN_RIGHT_MM)}" '
        f'w:bottom="{g.mm_to_twips(g.MARGIN_BOTTOM_MM)}" w:left="{g.mm_to_twips(g.MARGIN_LEFT_MM)}" '
        'w:header="851" w:footer="992" w:gutter="0"/>'
        f'<w:docGrid w:type="lines" w:linePitch="{g.LINE_PITCH_TWIPS}"/></w:sectPr>'
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
    """Paragraph styles of the letters: body on the exact 28.95 pt grid, title, slip, cut line."""
    exact = f'<w:spacing w:before="0" w:after="0" w:line="{g.LINE_PITCH_TWIPS}" w:lineRule="exact"/>'
    slip_exact = (
        f'<w:spacing w:before="0" w:after="0" w:line="{g.pt_to_twips(g.LETTER_SLIP_LINE_PITCH_PT)}" '
        'w:lineRule="exact"/>'
    )
    body_rpr = (
        f'{_rfonts(g.FONT_FANGSONG)}<w:spacing w:val="{g.BODY_CHAR_SPACING_TWIPS}"/>'
        f'<w:sz w:val="{BODY_HALF_PT}"/><w:szCs w:val="{BODY_HALF_PT}"/>'
    )
    slip_size = f'<w:sz w:val="{SLIP_HALF_PT}"/><w:szCs w:val="{SLIP_HALF_PT}"/>'
    slip_rpr = f"{_rfonts(g.FONT_FANGSONG)}{slip_size}"
    keep = "<w:keepLines/>"
    cut_clear = (  # the cut line at least LETTER_CUT_CLEARANCE_LINES below the date (and the seal on it)
        f'<w:spacing w:before="{g.LETTER_CUT_CLEARANCE_TWIPS}" w:after="0" '
        f'w:line="{g.pt_to_twips(g.LETTER_SLIP_LINE_PITCH_PT)}" w:lineRule="exact"/>'
    )
    cut_border = (
        f'<w:pBdr><w:top w:val="dashed" w:sz="{g.LETTER_RULE_EIGHTHS}" w:space="1" w:color="000000"/></w:pBdr>'
    )
    indent = (
        f'<w:ind w:firstLineChars="{g.BODY_INDENT_CHARS * 100}" w:firstLine="{g.BODY_INDENT_CHARS * BODY_CHAR_TWIPS}"/>'
    )
    slip_indent = (
        f'<w:ind w:firstLineChars="{g.BODY_INDENT_CHARS * 100}" w:firstLine="{g.BODY_INDENT_CHARS * SLIP_CHAR_TWIPS}"/>'
    )
    styles = [
        _style("LetterBody", None, f'<w:snapToGrid w:val="0"/>{exact}<w:jc w:val="both"/>', body_rpr),
        _style("LetterBodyIndent", "LetterBody", indent, ""),
        _style("LetterTitle", "LetterBody", '<w:jc w:val="center"/>',
               f'{_rfonts(g.FONT_XIAOBIAOSONG)}<w:sz w:val="{TITLE_HALF_PT}"/><w:szCs w:val="{TITLE_HALF_PT}"/>'),
        _style("LetterCut", "LetterSlip", f'{keep}{cut_border}{cut_clear}<w:jc w:val="center"/>',
               f"{_rfonts(g.FONT_HEITI)}{slip_size}"),
        _style("LetterSlip", "LetterBody", f"{keep}{slip_exact}", slip_rpr),
        _style("LetterSlipIndent", "LetterSlip", slip_indent, ""),
        _style("LetterSlipTitle", "LetterSlip", '<w:jc w:val="center"/>', f"{_rfonts(g.FONT_HEITI)}"),
    ]  # fmt: skip
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
        '<w:compat><w:doNotExpandShiftReturn/>'
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
