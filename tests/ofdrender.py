"""Draw an OFD's pages for the tests: its text with its own embedded font files, at the TextCode
positions (X, Y and DeltaX), and its PathObjects, into a new PDF with PyMuPDF, whose page renders can
then be compared with the source PDF's. A glyph lost in the TrueType conversion, a wrong advance or a
misplaced rule shows as different pixels. Text turned by a CTM and pictures are not drawn."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pymupdf
from lxml import etree
from ofdcheck import NS, expand_deltas

PT_PER_MM = 72 / 25.4


def q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _rgb(element: etree._Element | None, default: tuple[float, ...] | None) -> tuple[float, ...] | None:
    return default if element is None else tuple(int(v) / 255 for v in element.get("Value").split())


def draw_ofd(ofd: Path) -> pymupdf.Document:
    """The OFD's pages (A4 or their own Area) as a PDF drawn by PyMuPDF."""
    out = pymupdf.open()
    with zipfile.ZipFile(ofd) as zf:
        res = etree.fromstring(zf.read("Doc_0/PublicRes.xml"))
        fonts = {f.get("ID"): zf.read(f"Doc_0/Res/{f.findtext(q('FontFile'))}") for f in res.iter(q("Font"))}
        document = etree.fromstring(zf.read("Doc_0/Document.xml"))
        default_box = document.findtext(f"{q('CommonData')}/{q('PageArea')}/{q('PhysicalBox')}")
        for page_ref in document.iter(q("Page")):
            content = etree.fromstring(zf.read(f"Doc_0/{page_ref.get('BaseLoc')}"))
            own_box = content.findtext(f"{q('Area')}/{q('PhysicalBox')}")
            _x, _y, width, height = (float(v) * PT_PER_MM for v in (own_box or default_box).split())
            page = out.new_page(width=width, height=height)
            for font_id, data in fonts.items():
                page.insert_font(fontname=f"F{font_id}", fontbuffer=data)
            for obj in content.iter(q("TextObject")):
                if not obj.get("CTM"):
                    _text(page, obj)
            for obj in content.iter(q("PathObject")):
                _path(page, obj)
    return out


def _text(page: pymupdf.Page, obj: etree._Element) -> None:
    bx, by, _w, _h = (float(v) for v in obj.get("Boundary").split())
    size = float(obj.get("Size")) * PT_PER_MM
    color = _rgb(obj.find(q("FillColor")), (0, 0, 0))
    for code in obj.iter(q("TextCode")):
        x, y = float(code.get("X")) + bx, float(code.get("Y")) + by
        deltas = expand_deltas(code.get("DeltaX") or "")
        for i, char in enumerate(code.text):
            page.insert_text((x * PT_PER_MM, y * PT_PER_MM), char, fontname=f"F{obj.get('Font')}", fontsize=size,
                             color=color)  # fmt: skip
            x += deltas[i] if i < len(deltas) else 0.0


def _path(page: pymupdf.Page, obj: etree._Element) -> None:
    bx, by, _w, _h = (float(v) for v in obj.get("Boundary").split())
    tokens = obj.findtext(q("AbbreviatedData")).split()
    shape = page.new_shape()
    start = current = None
    i = 0
    while i < len(tokens):
        op = tokens[i]
        count = {"M": 2, "L": 2, "B": 6, "C": 0}[op]
        values = [float(v) for v in tokens[i + 1 : i + 1 + count]]
        points = [pymupdf.Point((values[k] + bx) * PT_PER_MM, (values[k + 1] + by) * PT_PER_MM)
                  for k in range(0, count, 2)]  # fmt: skip
        if op == "M":
            start = current = points[0]
        elif op == "L":
            shape.draw_line(current, points[0])
            current = points[0]
        elif op == "B":
            shape.draw_bezier(current, *points)
            current = points[-1]
        elif current != start:
            shape.draw_line(current, start)
            current = start
        i += 1 + count
    stroke = obj.get("Stroke") != "false"
    dashes = obj.get("DashPattern")
    shape.finish(
        color=_rgb(obj.find(q("StrokeColor")), (0, 0, 0)) if stroke else None,
        fill=_rgb(obj.find(q("FillColor")), None) if obj.get("Fill") == "true" else None,
        width=float(obj.get("LineWidth", "0.353")) * PT_PER_MM,
        dashes=f"[{' '.join(str(float(v) * PT_PER_MM) for v in dashes.split())}] 0" if dashes else None,
        even_odd=obj.get("Rule") == "Even-Odd",
    )
    shape.commit()


def grey_difference(a: pymupdf.Page, b: pymupdf.Page, dpi: int = 72) -> float:
    """Mean absolute difference (0–255) of the two pages rendered in grey at `dpi`."""
    one = a.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY).samples
    two = b.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY).samples
    assert len(one) == len(two), "pages of different sizes"
    return sum(abs(x - y) for x, y in zip(one, two, strict=True)) / len(one)
