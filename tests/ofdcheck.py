"""A structural OFD validator written from GB/T 33190-2016 (the parts an OFD writer must get right),
for the tests: `ofd_problems(path)` lists every problem found, empty for a sound file.

It checks the required parts and attributes (§7.3 OFD.xml, §7.5 Document.xml, §7.7 pages, §7.9
resources), the namespace of every element, the order of children where the schema fixes it,
ID uniqueness and MaxUnitID ≥ every ID, that every reference resolves (DocRoot, PublicRes,
DocumentRes, Page BaseLoc, TextObject Font, ImageObject ResourceID, FontFile, MediaFile), that
every font file parses with fontTools as a TrueType (glyf) font whose cmap covers the text (or a
CGTransform names the glyph), that DeltaX gives one advance per following character, and that
AbbreviatedData has the operands its operators need.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import Path

from fontTools.ttLib import TTFont
from lxml import etree

NS = "http://www.ofdspec.org/2016"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DOC_INFO_ORDER = ("DocID", "Title", "Author", "Subject", "Abstract", "CreationDate", "ModDate", "DocUsage", "Cover",
                  "Keywords", "Creator", "CreatorVersion", "CustomDatas")  # fmt: skip
COMMON_DATA_ORDER = ("MaxUnitID", "PageArea", "PublicRes", "DocumentRes", "TemplatePage", "DefaultCS")
RES_ORDER = ("ColorSpaces", "DrawParams", "Fonts", "MultiMedias", "CompositeGraphicUnits")
PAGE_ORDER = ("Template", "PageRes", "Area", "Content", "Actions")
TEXT_ORDER = ("Actions", "Clips", "FillColor", "StrokeColor", ("CGTransform", "TextCode"))
PATH_ORDER = ("Actions", "Clips", "StrokeColor", "FillColor", "AbbreviatedData")
OPERANDS = {"S": 2, "M": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}  # §9.3.5 table 35


def q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def local(element: etree._Element) -> str:
    return etree.QName(element).localname


def numbers(text: str | None) -> list[float]:
    return [float(v) for v in (text or "").split()]


def expand_deltas(text: str) -> list[float]:
    """DeltaX with ``g n value`` runs written out (§11.3)."""
    tokens, values, i = text.split(), [], 0
    while i < len(tokens):
        if tokens[i] == "g":
            values += [float(tokens[i + 2])] * int(tokens[i + 1])
            i += 3
        else:
            values.append(float(tokens[i]))
            i += 1
    return values


class _Checker:
    def __init__(self, zf: zipfile.ZipFile):
        self.zf = zf
        self.names = set(zf.namelist())
        self.problems: list[str] = []
        self.ids: dict[int, str] = {}

    def fail(self, message: str) -> None:
        self.problems.append(message)

    def part(self, name: str, root: str) -> etree._Element | None:
        if name not in self.names:
            self.fail(f"{name}: part missing")
            return None
        tree = etree.fromstring(self.zf.read(name))
        for element in tree.iter(etree.Element):
            if etree.QName(element).namespace != NS:
                self.fail(f"{name}: element {element.tag} outside the OFD namespace")
        if tree.tag != q(root):
            self.fail(f"{name}: root is {tree.tag}, not ofd:{root}")
        return tree

    def order(self, name: str, element: etree._Element, allowed: tuple) -> None:
        rank = {t: i for i, item in enumerate(allowed) for t in (item if isinstance(item, tuple) else (item,))}
        last = -1
        for child in element:
            tag = local(child)
            if tag not in rank:
                self.fail(f"{name}: unexpected ofd:{tag} in ofd:{local(element)}")
            elif rank[tag] < last:
                self.fail(f"{name}: ofd:{tag} out of order in ofd:{local(element)}")
            else:
                last = rank[tag]

    def unit(self, name: str, element: etree._Element) -> int | None:
        value = element.get("ID")
        if value is None or not value.isdigit() or int(value) < 1:
            self.fail(f"{name}: ofd:{local(element)} without a positive integer ID")
            return None
        if int(value) in self.ids:
            self.fail(f"{name}: ID {value} used twice (also in {self.ids[int(value)]})")
        self.ids[int(value)] = name
        return int(value)

    def boundary(self, name: str, element: etree._Element) -> None:
        values = numbers(element.get("Boundary"))
        if len(values) != 4 or values[2] < 0 or values[3] < 0:
            self.fail(f"{name}: ID {element.get('ID')} has Boundary {element.get('Boundary')!r}")


def ofd_problems(path: Path) -> list[str]:
    """Every structural problem of the OFD at `path` (empty: sound)."""
    with zipfile.ZipFile(path) as zf:
        check = _Checker(zf)
        ofd = check.part("OFD.xml", "OFD")
        if ofd is None:
            return check.problems
        if ofd.get("Version") != "1.0" or ofd.get("DocType") not in ("OFD", "OFD-A"):
            check.fail("OFD.xml: Version must be 1.0 and DocType OFD or OFD-A")
        bodies = ofd.findall(q("DocBody"))
        if not bodies:
            check.fail("OFD.xml: no ofd:DocBody")
        for body in bodies:
            _doc_body(check, body)
        return check.problems


def _doc_body(check: _Checker, body: etree._Element) -> None:
    info = body.find(q("DocInfo"))
    if info is None or not (info.findtext(q("DocID")) or "").strip():
        check.fail("OFD.xml: ofd:DocInfo with ofd:DocID is required")
    else:
        check.order("OFD.xml", info, DOC_INFO_ORDER)
        for tag in ("CreationDate", "ModDate"):
            value = info.findtext(q(tag))
            if value is not None and not DATE.match(value):
                check.fail(f"OFD.xml: {tag} {value!r} is not an xs:date")
        for custom in info.iterfind(f"{q('CustomDatas')}/{q('CustomData')}"):
            if not custom.get("Name"):
                check.fail("OFD.xml: ofd:CustomData without Name")
    root_path = (body.findtext(q("DocRoot")) or "").strip().lstrip("/")
    document = check.part(root_path, "Document") if root_path else None
    if document is None:
        check.fail("OFD.xml: ofd:DocRoot missing or unresolved")
        return
    base = posixpath.dirname(root_path)
    common = document.find(q("CommonData"))
    if common is None:
        check.fail(f"{root_path}: ofd:CommonData missing")
        return
    check.order(root_path, common, COMMON_DATA_ORDER)
    max_id = common.findtext(q("MaxUnitID"))
    if len(numbers(common.findtext(f"{q('PageArea')}/{q('PhysicalBox')}"))) != 4:
        check.fail(f"{root_path}: ofd:PageArea/ofd:PhysicalBox must hold 4 numbers")
    fonts: dict[str, TTFont] = {}
    media: set[str] = set()
    for tag in ("PublicRes", "DocumentRes"):
        for res_loc in common.iterfind(q(tag)):
            _res(check, posixpath.join(base, res_loc.text.strip()), fonts, media)
    pages = document.findall(f"{q('Pages')}/{q('Page')}")
    if not pages:
        check.fail(f"{root_path}: no ofd:Page")
    for page in pages:
        check.unit(root_path, page)
        _page(check, posixpath.join(base, page.get("BaseLoc", "")), fonts, media)
    if max_id is None or not max_id.isdigit():
        check.fail(f"{root_path}: ofd:MaxUnitID missing")
    elif check.ids and int(max_id) < max(check.ids):
        check.fail(f"{root_path}: MaxUnitID {max_id} below the largest ID {max(check.ids)}")


def _res(check: _Checker, name: str, fonts: dict[str, TTFont], media: set[str]) -> None:
    res = check.part(name, "Res")
    if res is None:
        return
    check.order(name, res, RES_ORDER)
    folder = posixpath.join(posixpath.dirname(name), res.get("BaseLoc", ""))
    for container in res:
        if len(container) == 0:
            check.fail(f"{name}: empty ofd:{local(container)}")
    for font in res.iterfind(f"{q('Fonts')}/{q('Font')}"):
        font_id = check.unit(name, font)
        if not font.get("FontName"):
            check.fail(f"{name}: font {font_id} without FontName")
        file_name = posixpath.join(folder, font.findtext(q("FontFile")) or "")
        if file_name not in check.names:
            check.fail(f"{name}: font {font_id}: file {file_name} missing (fonts must be embedded)")
            continue
        parsed = TTFont(io.BytesIO(check.zf.read(file_name)))
        if "glyf" not in parsed or "cmap" not in parsed:
            check.fail(f"{name}: font {font_id} is not a TrueType (glyf) font with a cmap")
        fonts[str(font_id)] = parsed
    for item in res.iterfind(f"{q('MultiMedias')}/{q('MultiMedia')}"):
        item_id = check.unit(name, item)
        file_name = posixpath.join(folder, item.findtext(q("MediaFile")) or "")
        data = check.zf.read(file_name) if file_name in check.names else b""
        if not (data.startswith(b"\x89PNG") or data.startswith(b"\xff\xd8")):
            check.fail(f"{name}: picture {item_id}: {file_name} missing or not PNG/JPEG")
        media.add(str(item_id))


def _page(check: _Checker, name: str, fonts: dict[str, TTFont], media: set[str]) -> None:
    page = check.part(name, "Page")
    if page is None:
        return
    check.order(name, page, PAGE_ORDER)
    for layer in page.iterfind(f"{q('Content')}/{q('Layer')}"):
        check.unit(name, layer)
        for obj in layer:
            check.unit(name, obj)
            check.boundary(name, obj)
            kind = local(obj)
            if kind == "TextObject":
                _text(check, name, obj, fonts)
            elif kind == "PathObject":
                _path(check, name, obj)
            elif kind == "ImageObject":
                if obj.get("ResourceID") not in media:
                    check.fail(f"{name}: image {obj.get('ID')} refers to missing resource {obj.get('ResourceID')}")
                if len(numbers(obj.get("CTM"))) != 6:
                    check.fail(f"{name}: image {obj.get('ID')} without a 6-number CTM")


def _text(check: _Checker, name: str, obj: etree._Element, fonts: dict[str, TTFont]) -> None:
    check.order(name, obj, TEXT_ORDER)
    font = fonts.get(obj.get("Font", ""))
    if font is None:
        check.fail(f"{name}: text {obj.get('ID')} refers to missing font {obj.get('Font')}")
    if not numbers(obj.get("Size")) or numbers(obj.get("Size"))[0] <= 0:
        check.fail(f"{name}: text {obj.get('ID')} without a positive Size")
    transformed: set[int] = set()
    for child in obj:
        if local(child) == "CGTransform":
            position = int(child.get("CodePosition", "0"))
            transformed.update(range(position, position + int(child.get("CodeCount", "1"))))
            if font is not None and any(int(g) >= font["maxp"].numGlyphs for g in child.findtext(q("Glyphs")).split()):
                check.fail(f"{name}: text {obj.get('ID')}: CGTransform names a glyph the font lacks")
        elif local(child) == "TextCode":
            text = child.text or ""
            if child.get("X") is None or child.get("Y") is None:
                check.fail(f"{name}: text {obj.get('ID')}: TextCode without X and Y")
            if child.get("DeltaX") is not None and len(expand_deltas(child.get("DeltaX"))) > len(text) - 1:
                check.fail(f"{name}: text {obj.get('ID')}: more DeltaX values than gaps between characters")
            cmap = font.getBestCmap() if font is not None else {}
            lacking = [c for i, c in enumerate(text) if ord(c) not in cmap and i not in transformed]
            if font is not None and lacking:
                check.fail(f"{name}: text {obj.get('ID')}: font {obj.get('Font')} has no glyph for {lacking}")
            transformed = set()


def _path(check: _Checker, name: str, obj: etree._Element) -> None:
    check.order(name, obj, PATH_ORDER)
    tokens = (obj.findtext(q("AbbreviatedData")) or "").split()
    if not tokens:
        check.fail(f"{name}: path {obj.get('ID')} without AbbreviatedData")
    i = 0
    while i < len(tokens):
        op = tokens[i]
        count = OPERANDS.get(op)
        if count is None or len(tokens) < i + 1 + count:
            check.fail(f"{name}: path {obj.get('ID')}: bad AbbreviatedData at {op!r}")
            return
        try:
            [float(v) for v in tokens[i + 1 : i + 1 + count]]
        except ValueError:
            check.fail(f"{name}: path {obj.get('ID')}: {op} lacks its {count} numbers")
            return
        i += 1 + count
