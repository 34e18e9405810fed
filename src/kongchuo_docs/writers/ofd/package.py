"""Assemble an OFD package (GB/T 33190-2016 §7) from the tool's own PDF: ``OFD.xml`` with DocInfo
and the DA/T 46 CustomDatas, ``Doc_0/Document.xml`` (CommonData, Pages), ``PublicRes.xml`` (fonts),
``DocumentRes.xml`` (pictures, only when there are any), one ``Content.xml`` per page and the
embedded files under ``Doc_0/Res/``.

IDs are one sequence over the document (fonts, pictures, then each page, its layer and objects);
``MaxUnitID`` is the last. Same PDF and metadata, same bytes: fixed zip dates, a DocID hashed from
the PDF, the 成文日期 as CreationDate (none when the date is left to be written by hand).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pymupdf
from lxml import etree

from ... import __version__
from ...model import Document
from .content import NSMAP, box, page_xml, q
from .fonts import OfdFont, UsedFont, build_font, font_names, font_xref
from .source import SourcePage, read_page

DOC_ROOT = "Doc_0/Document.xml"
ZIP_DATE = (2000, 1, 1, 0, 0, 0)  # fixed member dates: same input, same bytes
GENRES = ("决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复",
          "议案", "函", "纪要")  # fmt: skip
"""The 15 文种 of the 党政机关公文处理工作条例 (2012) 第八条, longest match at a title's end."""


@dataclass(frozen=True)
class OfdMeta:
    """What DocInfo and the DA/T 46 CustomDatas say about the document."""

    title: str  # 题名 / 标题
    author: str  # 责任者: the 发文机关
    date: dt.date | None  # 成文日期, also the CreationDate
    doc_number: str | None = None  # 文号
    secrecy: str | None = None  # 密级
    genre: str | None = None  # 文种; default: read from the title's end

    @classmethod
    def of_document(cls, doc: Document) -> OfdMeta:
        """The metadata of a 公文 (its 发文机关 as author, 成文日期, 文号, 密级)."""
        secrecy = doc.secrecy.split("★")[0] if doc.secrecy else None  # 秘密★1年: the level, not its term
        return cls(doc.title, doc.organisation, doc.date, doc.doc_number, secrecy)

    def genre_or_guess(self) -> str | None:
        if self.genre:
            return self.genre
        title = self.title.rstrip("　 ）)")
        return next((g for g in sorted(GENRES, key=len, reverse=True) if title.endswith(g)), None)


def write_ofd(pdf: Path, target: Path, meta: OfdMeta) -> int:
    """Write the OFD of the PDF at `pdf` to `target`; return its number of pages."""
    data = Path(pdf).read_bytes()
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        pages = [read_page(page) for page in doc]
        fonts, images = _resources(doc, pages)
        counter = itertools.count(1)
        font_ids = {name: (next(counter), font) for name, font in fonts.items()}
        image_ids = {xref: next(counter) for xref in images}
        doc_w, doc_h = (pages[0].width, pages[0].height) if pages else (210.0, 297.0)
        page_parts = []
        page_ids = []
        for page in pages:
            page_ids.append(next(counter))
            own = (page.width, page.height)
            area = own if max(abs(own[0] - doc_w), abs(own[1] - doc_h)) > 0.01 else None
            page_parts.append(page_xml(page, next_id=lambda: next(counter), fonts=font_ids, images=image_ids,
                                       area=area))  # fmt: skip
        max_id = next(counter) - 1
        media = {xref: _image_file(doc, xref) for xref in images}
    files: dict[str, bytes] = {
        "OFD.xml": _ofd_xml(meta, len(pages), hashlib.md5(data, usedforsecurity=False).hexdigest()),
        DOC_ROOT: _document_xml(max_id, (doc_w, doc_h), page_ids, bool(images)),
        "Doc_0/PublicRes.xml": _public_res(font_ids),
    }
    if images:
        files["Doc_0/DocumentRes.xml"] = _document_res(image_ids, media)
    for font_id, font in font_ids.values():
        files[f"Doc_0/Res/font_{font_id}.ttf"] = font.data
    for xref, image_id in image_ids.items():
        files[f"Doc_0/Res/image_{image_id}.{media[xref][0]}"] = media[xref][1]
    for index, part in enumerate(page_parts):
        files[f"Doc_0/Pages/Page_{index}/Content.xml"] = part
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, content)
    return len(pages)


def _resources(doc: pymupdf.Document, pages: list[SourcePage]) -> tuple[dict[str, OfdFont], list[int]]:
    """The embedded fonts (by PDF font name) and the picture xrefs the pages use, in first-use order."""
    names = font_names(doc)
    used: dict[str, UsedFont] = {}
    images: list[int] = []
    for page in pages:
        for run in page.texts:
            font = used.get(run.font) or used.setdefault(run.font, UsedFont(run.font, font_xref(names, run.font)))
            for glyph in run.glyphs:
                font.chars.setdefault(glyph.gid, glyph.char)
                font.pairs.add((glyph.char, glyph.gid))
                font.advances[glyph.gid] = max(font.advances.get(glyph.gid, 0.0), glyph.advance / run.size)
        images += [p.xref for p in page.pictures if p.xref not in images]
    return {name: build_font(doc, font) for name, font in used.items()}, images


def _image_file(doc: pymupdf.Document, xref: int) -> tuple[str, bytes]:
    """A picture as an OFD may hold it: its JPEG as it is, anything else (with its mask) as PNG."""
    info = doc.extract_image(xref)
    if info.get("ext") in ("jpeg", "jpg") and not info.get("smask"):
        return "jpg", info["image"]
    pixmap = pymupdf.Pixmap(doc, xref)
    if info.get("smask"):
        pixmap = pymupdf.Pixmap(pixmap, pymupdf.Pixmap(doc, info["smask"]))
    if pixmap.colorspace and pixmap.colorspace.n not in (1, 3):
        pixmap = pymupdf.Pixmap(pymupdf.csRGB, pixmap)
    return "png", pixmap.tobytes("png")


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _ofd_xml(meta: OfdMeta, pages: int, doc_id: str) -> bytes:
    root = etree.Element(q("OFD"), nsmap=NSMAP, Version="1.0", DocType="OFD")
    body = etree.SubElement(root, q("DocBody"))
    info = etree.SubElement(body, q("DocInfo"))
    etree.SubElement(info, q("DocID")).text = doc_id
    etree.SubElement(info, q("Title")).text = meta.title
    if meta.author:
        etree.SubElement(info, q("Author")).text = meta.author
    if meta.doc_number:
        etree.SubElement(info, q("Subject")).text = meta.doc_number
    if meta.date:  # a 成文日期 left to be written by hand: no date (not the day of the run: same input, same bytes)
        etree.SubElement(info, q("CreationDate")).text = meta.date.isoformat()
    etree.SubElement(info, q("Creator")).text = "kongchuo-docs"
    etree.SubElement(info, q("CreatorVersion")).text = __version__
    custom = {
        "文号": meta.doc_number,
        "成文日期": meta.date.isoformat() if meta.date else None,
        "密级": meta.secrecy,
        "页数": str(pages),
        "文种": meta.genre_or_guess(),
    }
    datas = etree.SubElement(info, q("CustomDatas"))
    for name, value in custom.items():
        if value:
            etree.SubElement(datas, q("CustomData"), Name=name).text = value
    etree.SubElement(body, q("DocRoot")).text = DOC_ROOT
    return _xml(root)


def _document_xml(max_id: int, size: tuple[float, float], page_ids: list[int], has_media: bool) -> bytes:
    root = etree.Element(q("Document"), nsmap=NSMAP)
    common = etree.SubElement(root, q("CommonData"))
    etree.SubElement(common, q("MaxUnitID")).text = str(max_id)
    etree.SubElement(etree.SubElement(common, q("PageArea")), q("PhysicalBox")).text = box(0, 0, *size)
    etree.SubElement(common, q("PublicRes")).text = "PublicRes.xml"
    if has_media:
        etree.SubElement(common, q("DocumentRes")).text = "DocumentRes.xml"
    pages = etree.SubElement(root, q("Pages"))
    for index, page_id in enumerate(page_ids):
        etree.SubElement(pages, q("Page"), ID=str(page_id), BaseLoc=f"Pages/Page_{index}/Content.xml")
    return _xml(root)


def _public_res(fonts: dict[str, tuple[int, OfdFont]]) -> bytes:
    root = etree.Element(q("Res"), nsmap=NSMAP, BaseLoc="Res")
    if fonts:
        container = etree.SubElement(root, q("Fonts"))
        for font_id, font in fonts.values():
            element = etree.SubElement(container, q("Font"), ID=str(font_id), FontName=font.name,
                                       FamilyName=font.family)  # fmt: skip
            if font.bold:
                element.set("Bold", "true")
            etree.SubElement(element, q("FontFile")).text = f"font_{font_id}.ttf"
    return _xml(root)


def _document_res(images: dict[int, int], media: dict[int, tuple[str, bytes]]) -> bytes:
    root = etree.Element(q("Res"), nsmap=NSMAP, BaseLoc="Res")
    container = etree.SubElement(root, q("MultiMedias"))
    for xref, image_id in images.items():
        ext = media[xref][0]
        element = etree.SubElement(container, q("MultiMedia"), ID=str(image_id), Type="Image",
                                   Format="JPEG" if ext == "jpg" else "PNG")  # fmt: skip
        etree.SubElement(element, q("MediaFile")).text = f"image_{image_id}.{ext}"
    return _xml(root)
