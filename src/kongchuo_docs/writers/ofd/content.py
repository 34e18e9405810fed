"""One OFD page's ``Content.xml`` (GB/T 33190-2016 §7.7, §8–§11): a layer of TextObject (text stays
text: one TextCode per run with every glyph's advance in DeltaX), PathObject (rules, cut lines,
borders) and ImageObject, in the PDF's drawing order. Lengths in mm, y down from the page's top-left;
every object's position is relative to its Boundary.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

from lxml import etree

from .fonts import OfdFont
from .source import PathShape, Picture, SourcePage, TextRun

NS = "http://www.ofdspec.org/2016"
NSMAP = {"ofd": NS}
TEXT_PAD_ABOVE = 1.2  # × font size (mm): a text Boundary reaches this far above the baseline
TEXT_PAD_BELOW = 0.4  # × font size below it (descenders)
TEXT_PAD_SIDE = 0.2  # × font size left and right (glyphs overhanging their advance)
MIN_REPEAT = 3  # equal advances from this many on are written as ``g n value``
CAPS = ("Butt", "Round", "Square")


def q(tag: str) -> str:
    """The qualified name of an OFD element."""
    return f"{{{NS}}}{tag}"


def num(value: float) -> str:
    """A length (mm) with at most 3 decimals (1 µm), no trailing zeros."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def box(x: float, y: float, w: float, h: float) -> str:
    return " ".join(num(v) for v in (x, y, w, h))


def color(parent: etree._Element, tag: str, rgb: tuple[int, int, int]) -> None:
    etree.SubElement(parent, q(tag), Value=" ".join(str(v) for v in rgb))


def page_xml(
    page: SourcePage,
    *,
    next_id: Callable[[], int],
    fonts: dict[str, tuple[int, OfdFont]],
    images: dict[int, int],
    area: tuple[float, float] | None,
) -> bytes:
    """The page part; `fonts` maps PDF font names to (resource ID, embedded font), `images` PDF image
    xrefs to resource IDs; `area` is the page's own size (mm) when it differs from the document's."""
    root = etree.Element(q("Page"), nsmap=NSMAP)
    if area is not None:
        etree.SubElement(etree.SubElement(root, q("Area")), q("PhysicalBox")).text = box(0, 0, *area)
    layer = etree.SubElement(etree.SubElement(root, q("Content")), q("Layer"), ID=str(next_id()), Type="Body")
    for picture in page.pictures:  # pictures first: text and rules are drawn over them
        _image(layer, picture, next_id(), images[picture.xref])
    items: list[TextRun | PathShape] = [*page.texts, *page.paths]
    for item in sorted(items, key=lambda i: i.seqno):
        if isinstance(item, TextRun):
            font_id, font = fonts[item.font]
            _text(layer, item, next_id(), font_id, font)
        else:
            _path(layer, item, next_id())
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _text(layer: etree._Element, run: TextRun, object_id: int, font_id: int, font: OfdFont) -> None:
    """A run as one TextObject. Positions are measured along the writing direction from the first
    glyph's origin; a run not written left to right (the turned page numbers of 横排 pages) gets a
    CTM turning that frame onto the page."""
    glyphs = run.glyphs
    size = run.size
    first_x = glyphs[0].x
    along = [g.x - first_x for g in glyphs] if run.direction == (1.0, 0.0) else [run.along(g.x, g.y)[0] for g in glyphs]
    u0 = min(along) - TEXT_PAD_SIDE * size  # the run's own box, relative to the first origin
    u1 = max(u + g.advance for u, g in zip(along, glyphs, strict=True)) + TEXT_PAD_SIDE * size
    v0 = -TEXT_PAD_ABOVE * size
    h = (TEXT_PAD_ABOVE + TEXT_PAD_BELOW) * size
    cos, sin = run.direction
    origin_x, origin_y = glyphs[0].x, glyphs[0].y
    corners = [(origin_x + u * cos - v * sin, origin_y + u * sin + v * cos) for u in (u0, u1) for v in (v0, v0 + h)]
    x0, y0 = min(c[0] for c in corners), min(c[1] for c in corners)
    x1, y1 = max(c[0] for c in corners), max(c[1] for c in corners)
    obj = etree.SubElement(layer, q("TextObject"), ID=str(object_id), Boundary=box(x0, y0, x1 - x0, y1 - y0),
                           Font=str(font_id), Size=num(size))  # fmt: skip
    if run.direction != (1.0, 0.0):
        shift_x = origin_x + u0 * cos - v0 * sin - x0
        shift_y = origin_y + u0 * sin + v0 * cos - y0
        obj.set("CTM", " ".join(num(v) for v in (cos, sin, -sin, cos, shift_x, shift_y)))
        x0, y0 = origin_x + u0, origin_y + v0  # TextCode positions are in the run's own frame
    if run.color != (0, 0, 0):
        color(obj, "FillColor", run.color)
    positions: list[float] = []  # of every character along the run; a glyph's characters share its advance
    for glyph, u in zip(glyphs, along, strict=True):
        if not font.cmap_glyph(glyph.char, glyph.gid):  # a shaped alternate or ligature: name its glyph
            etree.SubElement(obj, q("CGTransform"), CodePosition=str(len(positions)),
                             CodeCount=str(len(glyph.char)), GlyphCount="1")  # fmt: skip
            etree.SubElement(obj[-1], q("Glyphs")).text = str(font.glyphs[glyph.gid])
        positions += [u + glyph.advance * i / len(glyph.char) for i in range(len(glyph.char))]
    code = etree.SubElement(obj, q("TextCode"), X=num(glyphs[0].x - x0), Y=num(glyphs[0].y - y0))
    if len(positions) > 1:
        code.set("DeltaX", " ".join(_abbreviated(num(b - a) for a, b in itertools.pairwise(positions))))
    code.text = "".join(g.char for g in glyphs)


def _abbreviated(values: Iterator[str]) -> list[str]:
    """Advances with runs of `MIN_REPEAT` or more equal values as ``g n value`` (§11.3)."""
    items: list[str] = []
    runs: list[tuple[str, int]] = []
    for value in values:
        if runs and runs[-1][0] == value:
            runs[-1] = (value, runs[-1][1] + 1)
        else:
            runs.append((value, 1))
    for value, count in runs:
        items += ["g", str(count), value] if count >= MIN_REPEAT else [value] * count
    return items


def _path(layer: etree._Element, shape: PathShape, object_id: int) -> None:
    points = [(args[i], args[i + 1]) for _op, args in shape.commands for i in range(0, len(args), 2)]
    pad = shape.line_width / 2 if shape.stroke else 0.0
    x0 = min(p[0] for p in points) - pad
    y0 = min(p[1] for p in points) - pad
    x1 = max(p[0] for p in points) + pad
    y1 = max(p[1] for p in points) + pad
    attrs = {"ID": str(object_id), "Boundary": box(x0, y0, x1 - x0, y1 - y0)}
    if shape.stroke:
        attrs["LineWidth"] = num(shape.line_width)
        if shape.cap:
            attrs["Cap"] = CAPS[shape.cap]
        if shape.dashes:
            attrs["DashPattern"] = " ".join(num(v) for v in shape.dashes)
    else:
        attrs["Stroke"] = "false"
    if shape.fill:
        attrs["Fill"] = "true"
        if shape.even_odd:
            attrs["Rule"] = "Even-Odd"
    obj = etree.SubElement(layer, q("PathObject"), attrs)
    if shape.stroke and shape.stroke != (0, 0, 0):
        color(obj, "StrokeColor", shape.stroke)
    if shape.fill:
        color(obj, "FillColor", shape.fill)
    data = []
    for op, args in shape.commands:
        data.append(op)
        data += [num(v - (x0 if i % 2 == 0 else y0)) for i, v in enumerate(args)]
    etree.SubElement(obj, q("AbbreviatedData")).text = " ".join(data)


def _image(layer: etree._Element, picture: Picture, object_id: int, resource_id: int) -> None:
    x0, y0, x1, y1 = picture.box
    w, h = x1 - x0, y1 - y0
    etree.SubElement(layer, q("ImageObject"), ID=str(object_id), Boundary=box(x0, y0, w, h),
                     ResourceID=str(resource_id), CTM=f"{num(w)} 0 0 {num(h)} 0 0")  # fmt: skip
