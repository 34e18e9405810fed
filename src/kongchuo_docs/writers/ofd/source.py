"""Read the tool's own freshly written PDF with PyMuPDF into what an OFD page holds: text runs with
every glyph's origin, paths, pictures. The PDF writers already placed every glyph; this reads the
places back exactly instead of laying out a second time.

All lengths here are millimetres, origin at the page's top-left, y down (PyMuPDF's page space in pt
times `MM_PER_PT`), the OFD's own coordinate system.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pymupdf

MM_PER_PT = 25.4 / 72


@dataclass(slots=True)
class Glyph:
    """One glyph of a run: its characters (more than one where shaping made one glyph of several, as
    the 2-em dash of ——), glyph id in the PDF font program, origin (mm), advance (mm)."""

    char: str
    gid: int
    x: float
    y: float
    advance: float


@dataclass
class TextRun:
    """Glyphs of one font, size and colour on one baseline, in reading order."""

    font: str  # the PDF font's name without its subset tag, as PyMuPDF's text trace gives it
    size: float  # mm
    color: tuple[int, int, int]
    glyphs: list[Glyph]
    seqno: int  # drawing order on the page
    direction: tuple[float, float] = (1.0, 0.0)  # unit vector of the writing direction (y down)

    def along(self, x: float, y: float) -> tuple[float, float]:
        """Page point (mm) → (distance along the writing direction, distance below the baseline
        line), both from the first glyph's origin."""
        cos, sin = self.direction
        dx, dy = x - self.glyphs[0].x, y - self.glyphs[0].y
        return dx * cos + dy * sin, -dx * sin + dy * cos


@dataclass
class PathShape:
    """A filled and/or stroked path: `commands` are OFD AbbreviatedData operators with mm coordinates."""

    commands: list[tuple[str, tuple[float, ...]]]
    stroke: tuple[int, int, int] | None
    fill: tuple[int, int, int] | None
    line_width: float  # mm
    even_odd: bool
    dashes: tuple[float, ...]  # mm, empty for a solid line
    cap: int  # 0 butt, 1 round, 2 square
    seqno: int  # drawing order on the page


@dataclass
class Picture:
    """A placed image: `xref` of the PDF image, its box (mm) on the page."""

    xref: int
    box: tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass
class SourcePage:
    width: float  # mm
    height: float  # mm
    texts: list[TextRun] = field(default_factory=list)
    paths: list[PathShape] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)


def rgb(color: tuple[float, ...] | None) -> tuple[int, int, int] | None:
    """A PyMuPDF colour (0–1 floats, gray/RGB/CMYK) as 0–255 RGB; None stays None."""
    if color is None:
        return None
    if len(color) == 1:
        color = (color[0],) * 3
    elif len(color) == 4:
        c, m, y, k = color
        color = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return tuple(round(max(0.0, min(1.0, v)) * 255) for v in color)  # type: ignore[return-value]


def read_page(page: pymupdf.Page) -> SourcePage:
    """The text, paths and pictures of `page`."""
    rect = page.rect
    result = SourcePage(rect.width * MM_PER_PT, rect.height * MM_PER_PT)
    for span in page.get_texttrace():
        if span["type"] == 3 or span["opacity"] == 0:  # invisible text (OCR layers): nothing to show
            continue
        result.texts.extend(_runs(span))
    for drawing in page.get_drawings():
        shape = _path(drawing)
        if shape is not None:
            result.paths.append(shape)
    for info in page.get_image_info(xrefs=True):
        if info["xref"]:
            x0, y0, x1, y1 = info["bbox"]
            result.pictures.append(Picture(info["xref"], (x0 * MM_PER_PT, y0 * MM_PER_PT,
                                                          x1 * MM_PER_PT, y1 * MM_PER_PT)))
    return result


def _runs(span: dict) -> list[TextRun]:
    """A text-trace span split where the baseline changes (a span never crosses fonts or sizes)."""
    font = span["font"]
    cos, sin = float(span["dir"][0]), float(span["dir"][1])
    size = span["size"] * MM_PER_PT
    color = rgb(span["color"]) or (0, 0, 0)
    runs: list[TextRun] = []
    glyphs: list[Glyph] = []
    line = last_u = 0.0  # the current run's baseline offset and last glyph's place along it (mm)
    horizontal = (cos, sin) == (1.0, 0.0)
    scale = MM_PER_PT
    for code, gid, (ox, oy), bbox in span["chars"]:
        if gid < 0 and glyphs:  # a character drawn by the glyph before it
            glyphs[-1].char += chr(code)
            continue
        x, y = ox * scale, oy * scale
        if horizontal:  # nearly every run: no projection
            glyph = Glyph(chr(code), gid, x, y, (bbox[2] - bbox[0]) * scale)
            u, v = x, y
        else:
            advance = (abs(bbox[2] - bbox[0]) * abs(cos) + abs(bbox[3] - bbox[1]) * abs(sin)) * scale
            glyph = Glyph(chr(code), gid, x, y, advance)
            u, v = x * cos + y * sin, -x * sin + y * cos
        if glyphs and abs(v - line) < 1e-3 and u >= last_u:
            glyphs.append(glyph)
        else:
            glyphs = [glyph]
            runs.append(TextRun(font, size, color, glyphs, span["seqno"], (cos, sin)))
            line = v
        last_u = u
    return runs


def _path(drawing: dict) -> PathShape | None:
    """A `get_drawings` path as OFD commands; None for a clip or an invisible path."""
    stroke = rgb(drawing.get("color")) if "s" in drawing["type"] else None
    fill = rgb(drawing.get("fill")) if "f" in drawing["type"] else None
    if stroke is None and fill is None:
        return None
    commands: list[tuple[str, tuple[float, ...]]] = []
    current = None
    for item in drawing["items"]:
        kind, *points = item
        if kind == "re":
            r = points[0]
            commands += [("M", (r.x0, r.y0)), ("L", (r.x1, r.y0)), ("L", (r.x1, r.y1)), ("L", (r.x0, r.y1)),
                         ("C", ())]  # fmt: skip
            current = None
            continue
        if kind == "qu":
            q = points[0]
            commands += [("M", (q.ul.x, q.ul.y)), ("L", (q.ur.x, q.ur.y)), ("L", (q.lr.x, q.lr.y)),
                         ("L", (q.ll.x, q.ll.y)), ("C", ())]  # fmt: skip
            current = None
            continue
        start = points[0]
        if current is None or abs(current.x - start.x) > 1e-6 or abs(current.y - start.y) > 1e-6:
            commands.append(("M", (start.x, start.y)))
        if kind == "l":
            commands.append(("L", (points[1].x, points[1].y)))
        else:  # "c": cubic Bézier
            commands.append(("B", tuple(v for p in points[1:] for v in (p.x, p.y))))
        current = points[-1]
    if drawing.get("closePath"):
        commands.append(("C", ()))
    scaled = [(op, tuple(v * MM_PER_PT for v in args)) for op, args in commands]
    dashes = _dashes(drawing.get("dashes"))
    cap = drawing.get("lineCap") or (0,)
    return PathShape(scaled, stroke, fill, (drawing.get("width") or 0.0) * MM_PER_PT,
                     bool(drawing.get("even_odd")), dashes, int(max(cap)), drawing["seqno"])  # fmt: skip


def _dashes(spec: str | None) -> tuple[float, ...]:
    """``"[ 4 3 ] 0"`` (pt) → (4, 3) in mm; a solid line → ()."""
    if not spec or "[" not in spec:
        return ()
    inside = spec[spec.index("[") + 1 : spec.index("]")]
    return tuple(float(v) * MM_PER_PT for v in inside.split())
