"""Write drafts the way Word and WPS save them (python-docx plus the XML they add): direct and
style formatting, automatic list numbering in numbering.xml, tracked changes, comments, text
boxes, pictures, merged table cells. Shared by the draft tests."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from PIL import Image

CENTER, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT


def new() -> docx.document.Document:
    return docx.Document()


def para(doc, text: str = "", *, align=None, bold: bool = False, size: float | None = None,
         style: str | None = None, indent_mm: float | None = None, runs: list[str] | None = None):
    """A paragraph with direct formatting; `runs` splits the text into runs in different fonts."""
    p = doc.add_paragraph(style=style)
    for n, piece in enumerate(runs or [text]):
        r = p.add_run(piece)
        r.bold = bold or None
        r.font.name = ("仿宋_GB2312", "宋体", "Times New Roman")[n % 3]
        if size:
            r.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    if indent_mm is not None:
        p.paragraph_format.left_indent = Mm(indent_mm)
    return p


def title(doc, *lines: str) -> None:
    for line in lines:
        para(doc, line, align=CENTER, bold=True, size=22)


def signature(doc, *lines: str, date: str) -> None:
    for line in (*lines, date):
        para(doc, line, align=RIGHT)


def numbering(doc, levels: list[tuple[str, str]], start: int = 1, start_override: int | None = None) -> int:
    """Add a list to numbering.xml with `levels` [(numFmt, lvlText)…]; its numId."""
    root = doc.part.numbering_part.element
    ids = [int(n.get(qn("w:abstractNumId"))) for n in root.findall(qn("w:abstractNum"))]
    abstract_id = max(ids, default=0) + 1
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels))
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>')
    first_num = root.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        root.append(abstract)
    num_ids = [int(n.get(qn("w:numId"))) for n in root.findall(qn("w:num"))]
    num_id = max(num_ids, default=0) + 1
    override = (f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start_override}"/></w:lvlOverride>'
                if start_override else "")
    root.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
                          f'{override}</w:num>'))
    return num_id


def numbered(doc, text: str, num_id: int, level: int = 0):
    """A paragraph numbered automatically: the label is not in its text."""
    p = para(doc, text)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return p


def tracked(doc, kept: str, inserted: str, deleted: str, tail: str = ""):
    """A paragraph with an insertion and a deletion still marked as revisions."""
    p = para(doc, kept)
    p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="1" w:author="张三" w:date="2026-03-01T10:00:00Z">'
                          f'<w:r><w:t>{inserted}</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="2" w:author="张三" w:date="2026-03-01T10:00:00Z">'
                          f'<w:r><w:delText>{deleted}</w:delText></w:r></w:del>'))
    if tail:
        p.add_run(tail)
    return p


def soft_break(doc, first: str, second: str, **kw):
    """One paragraph whose text goes on after a line break (Shift+Enter)."""
    p = para(doc, first, **kw)
    p.runs[-1].add_break()
    r = p.add_run(second)
    r.bold = kw.get("bold") or None
    if kw.get("size"):
        r.font.size = Pt(kw["size"])
    return p


def text_box(doc, text: str):
    """A paragraph anchoring a DrawingML text box (as Word 2010+ saves it)."""
    p = doc.add_paragraph()
    p._p.append(parse_xml(
        f'<w:r {nsdecls("w", "wp", "a")} xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="1800000" cy="500000"/><wp:wrapNone/><wp:docPr id="9" name="文本框 9"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx>'
        '<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>'))
    return p


def png(width: int = 240, height: int = 120, colour: str = "steelblue") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def picture(doc, data: bytes, width_mm: float) -> None:
    doc.add_picture(io.BytesIO(data), width=Mm(width_mm))


def style(doc, name: str, *, align=None, bold: bool = False, size: float | None = None,
          indent_mm: float | None = None) -> str:
    """A paragraph style carrying the formatting (WPS drafts format through styles)."""
    s = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    s.base_style = doc.styles["Normal"]
    if align is not None:
        s.paragraph_format.alignment = align
    if indent_mm is not None:
        s.paragraph_format.left_indent = Mm(indent_mm)
    s.font.bold = bold or None
    if size:
        s.font.size = Pt(size)
    return name


def table(doc, rows: list[list[str]], merge: tuple[int, int, int, int] | None = None):
    """A table; `merge` (row, col, row, col) merges that range (its text kept in the first cell)."""
    t = doc.add_table(rows=len(rows), cols=len(rows[0]))
    t.style = doc.styles["Table Grid"]
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            t.cell(i, j).text = text
    if merge:
        r0, c0, r1, c1 = merge
        keep = t.cell(r0, c0).text
        t.cell(r0, c0).merge(t.cell(r1, c1)).text = keep
    return t


def save(doc, path: Path) -> Path:
    doc.save(str(path))
    return path


# ---------------------------------------------------------------- one draft shape, saved in any format

def write_shape(parts: list[tuple[str, object]], path: Path, workdir: Path | None = None) -> Path:
    """A draft of `parts` [(kind, value)…] saved as `path` (.docx, .doc, .odt, .txt or .md), the way a
    clerk types it there: kinds "title" (centred, bold, 2号), "center", "p" (a body paragraph), "right"
    (a right-aligned line: 署名, date), "h1"/"h2" (a heading Word numbers 一、/（一） automatically,
    typed with its number in text drafts), "table" (rows), "picture" (a PNG, width in mm). Text drafts
    indent "right" lines and hold no tables; .doc/.odt are saved by LibreOffice from the .docx."""
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md"):
        parts = _typed_numbers(parts)
    if suffix == ".txt":
        lines = []
        for kind, value in parts:
            if kind in ("table", "picture"):
                raise ValueError("a text draft holds no tables or pictures")
            lines.append({"right": " " * 24, "center": " " * 12}.get(kind, "") + str(value))
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path
    if suffix == ".md":
        blocks = []
        for kind, value in parts:
            if kind == "title":
                blocks.append(f"# {value}")
            elif kind == "table":
                rows = [f"| {' | '.join(r)} |" for r in value]
                blocks.append("\n".join([rows[0], "|" + "---|" * len(value[0]), *rows[1:]]))
            elif kind == "picture":
                (path.parent / "图1.png").write_bytes(png())
                blocks.append("![图](图1.png)")
            else:
                blocks.append(str(value))
        path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
        return path
    doc = new()
    outline = numbering(doc, [("chineseCounting", "%1、"), ("chineseCounting", "（%2）")])
    for kind, value in parts:
        if kind in ("h1", "h2"):
            numbered(doc, str(value), outline, int(kind[1]) - 1)
        elif kind == "title":
            title(doc, str(value))
        elif kind == "center":
            para(doc, str(value), align=CENTER)
        elif kind == "right":
            para(doc, str(value), align=RIGHT)
        elif kind == "table":
            table(doc, value)
        elif kind == "picture":
            picture(doc, png(), float(value))
        else:
            para(doc, str(value))
    if suffix == ".docx":
        return save(doc, path)
    workdir = workdir or path.parent / "made"
    workdir.mkdir(parents=True, exist_ok=True)
    return saved_by_libreoffice(save(doc, workdir / f"{path.stem}.docx"), path)


def _typed_numbers(parts: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """"h1"/"h2" parts as body paragraphs with their numbers typed: 一、… （一）…"""
    from kongchuo_docs.readers.body_text import int_to_cn

    counts = [0, 0]
    out: list[tuple[str, object]] = []
    for kind, value in parts:
        if kind == "h1":
            counts = [counts[0] + 1, 0]
            value, kind = f"{int_to_cn(counts[0])}、{value}", "p"
        elif kind == "h2":
            counts[1] += 1
            value, kind = f"（{int_to_cn(counts[1])}）{value}", "p"
        out.append((kind, value))
    return out


def saved_by_libreoffice(docx_path: Path, target: Path) -> Path:
    """`docx_path` saved by LibreOffice as `target` (.doc, .odt), as Word/WPS users send them."""
    import subprocess

    from kongchuo_docs.system.libreoffice import soffice_path

    outdir = docx_path.parent / "saved"
    subprocess.run([str(soffice_path()), f"-env:UserInstallation={(docx_path.parent / 'lo-profile').as_uri()}",
                    "--headless", "--convert-to", target.suffix.lstrip("."), "--outdir", str(outdir),
                    str(docx_path)], check=True, capture_output=True, timeout=180)
    (outdir / f"{docx_path.stem}{target.suffix}").replace(target)
    return target
