"""A Word/WPS draft (.docx) → `DraftItem`s: paragraphs with their automatic numbering, tables, pictures.

Read from the XML as saved, so the draft says what the clerk sees: tracked changes are taken as
accepted (insertions kept, deletions dropped), soft and hard breaks inside a paragraph are joined,
runs in different fonts are joined, comments are ignored, automatic list numbering (w:numPr) is
resolved through numbering.xml into the label Word shows ("一、", "（1）"), text boxes and shapes
are reported as not read. Paragraphs and tables are numbered in document order from 1.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document as open_docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from ..errors import InputError, Location, Problem, Problems
from .body_text import heading_of, int_to_cn
from .draft_items import DraftItem

EMU_PER_MM = 36000
DEFAULT_PICTURE_MM = 120.0  # a picture whose size the draft does not say
MAX_SPAN = 63  # columns a merged cell may cover (Word's own limit)
STYLED_CHARS = 200  # longer paragraphs are body text: their runs' bold and size decide nothing (and cost)
INDENT_TWIPS = 4 * 320  # four 16 pt characters: a signature block's left indent, in twips
_TEXT_BOX = (qn("w:txbxContent"),)
_SKIP = {qn("w:del"), qn("w:moveFrom"), qn("w:delText"), qn("w:instrText"), qn("w:pPr"), qn("w:rPr"),
         qn("w:commentReference")}
_NOTES = {qn("w:footnoteReference"): "脚注", qn("w:endnoteReference"): "尾注"}
# tags `_walk` meets once per run: named once here (qn() per element made long paragraphs slow)
_DELETED = {qn("w:del"), qn("w:moveFrom")}
_INSERTED = {qn("w:ins"), qn("w:moveTo")}
_TEXT, _RUN, _VAL = qn("w:t"), qn("w:r"), qn("w:val")
_SIZE, _BOLD = f'{qn("w:rPr")}/{qn("w:sz")}', f'{qn("w:rPr")}/{qn("w:b")}'
_TABS = {qn("w:tab"), qn("w:ptab")}
_PICTURES = {qn("w:drawing"), qn("w:pict"), qn("w:object")}
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_EXTENT = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"
_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
_VML_IMAGE = "{urn:schemas-microsoft-com:vml}imagedata"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_IDEOGRAPH = "甲乙丙丁戊己庚辛壬癸"
# numFmt values Word draws as 一、二、三: LibreOffice saves a .doc's 一、 as taiwaneseCountingThousand
_CHINESE_COUNTING = {"chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "japaneseCounting",
                     "taiwaneseCounting", "taiwaneseCountingThousand", "ideographDigital"}


@dataclass
class DocxDraft:
    """What a DOCX draft holds: its items, its pictures (PNG bytes by file name) and notes for the clerk."""

    items: list[DraftItem]
    images: dict[str, bytes] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)


def to_png(blob: bytes) -> bytes | None:
    """A picture's bytes as PNG (JPEG, GIF, BMP… converted); None when it is not a picture Pillow reads."""
    if blob[:8] == b"\x89PNG\r\n\x1a\n":
        return blob
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(blob)) as picture:
            buffer = io.BytesIO()
            picture.convert("RGBA" if "A" in picture.getbands() else "RGB").save(buffer, "PNG")
            return buffer.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def _int(value: str | None, default: int) -> int:
    """An integer attribute of the draft's XML; `default` when missing or malformed (hostile input)."""
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _format_number(n: int, fmt: str) -> str:
    """A list counter as Word draws it for numFmt `fmt`."""
    if fmt in _CHINESE_COUNTING:
        return int_to_cn(n) if n <= 99 else str(n)
    if fmt == "ideographTraditional":
        return _IDEOGRAPH[(n - 1) % len(_IDEOGRAPH)]
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt.startswith("decimalEnclosedCircle") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)  # ①…⑳
    if fmt in ("upperRoman", "lowerRoman") and 1 <= n < 40:
        tens, ones = divmod(n, 10)
        roman = "X" * tens + ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")[ones]
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


class _Numbering:
    """numbering.xml: each list's levels (start, numFmt, lvlText) and the running counters."""

    def __init__(self, part_element: etree._Element | None):
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.counters: dict[str, list[int]] = {}
        if part_element is None:
            return
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for an in part_element.findall(qn("w:abstractNum")):
            abstract[an.get(qn("w:abstractNumId"))] = {
                _int(lvl.get(qn("w:ilvl")), 0): self._level(lvl) for lvl in an.findall(qn("w:lvl"))
            }
        for num in part_element.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            levels = dict(abstract.get(ref.get(qn("w:val")) if ref is not None else "", {}))
            for override in num.findall(qn("w:lvlOverride")):
                ilvl = _int(override.get(qn("w:ilvl")), 0)
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    levels[ilvl] = self._level(lvl)
                start = override.find(qn("w:startOverride"))
                if start is not None and ilvl in levels:
                    _, fmt, text = levels[ilvl]
                    levels[ilvl] = (_int(start.get(qn("w:val")), 1), fmt, text)
            self.levels[num.get(qn("w:numId"))] = levels

    @staticmethod
    def _level(lvl: etree._Element) -> tuple[int, str, str]:
        def val(tag: str, default: str) -> str:
            el = lvl.find(qn(tag))
            return el.get(qn("w:val"), default) if el is not None else default

        return _int(val("w:start", "1"), 1), val("w:numFmt", "decimal"), val("w:lvlText", "")

    def label(self, num_id: str, ilvl: int) -> str:
        """The next label of list `num_id` at level `ilvl` ("一、"), counting as Word does."""
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        start = levels[ilvl][0]
        if not 0 <= ilvl < 9:
            return ""
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        _, fmt, text = levels[ilvl]
        if fmt in ("none", "bullet"):
            return ""
        for k in range(9):
            if f"%{k + 1}" in text:
                level_fmt = levels.get(k, (1, "decimal", ""))[1]
                value = counters[k] or levels.get(k, (1, "", ""))[0]
                text = text.replace(f"%{k + 1}", _format_number(value, level_fmt))
        return text


class _DocxReader:
    def __init__(self, path: Path, name: str | None = None):
        self.path = Path(path)
        self.file = name or self.path.name
        try:
            self.doc = open_docx(str(self.path))
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError):
            raise InputError([Problem(Location(self.file), "不是可以读取的 Word 文档（.docx）；"
                                      "请在 Word 或 WPS 中打开后“另存为”Word 文档（*.docx）")]) from None
        try:
            numbering = self.doc.part.numbering_part.element
        except (KeyError, NotImplementedError):
            numbering = None
        self.numbering = _Numbering(numbering)
        self.problems = Problems()
        self.images: dict[str, bytes] = {}
        self.changes = [0, 0]  # insertions, deletions

    def read(self) -> DocxDraft:
        items: list[DraftItem] = []
        for number, child in enumerate(self._blocks(self.doc.element.body), start=1):
            if child.tag == qn("w:tbl"):
                items.append(DraftItem(number=number, table=self._table(child, number)))
            else:
                items.extend(self._paragraph(child, number))
        inserted, deleted = self.changes
        if inserted or deleted:
            self.problems.warning(Location(self.file), f"草稿含修订标记：已按“接受全部修订”读取"
                                  f"（{inserted} 处插入保留，{deleted} 处删除不计）")
        return DocxDraft(items=items, images=self.images, warnings=self.problems.warnings)

    def _blocks(self, parent: etree._Element) -> list[etree._Element]:
        """Paragraphs and tables in order, looking inside content controls (w:sdt)."""
        out = []
        for child in parent:
            if child.tag in (qn("w:p"), qn("w:tbl")):
                out.append(child)
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    out.extend(self._blocks(content))
            elif child.tag == qn("w:altChunk"):
                self.problems.warning(Location(self.file, paragraph=len(out) + 1),
                                      "嵌入的其他文档（HTML/RTF 片段）未读取，请粘贴为文字")
        return out

    # ------------------------------------------------------------ paragraphs

    def _paragraph(self, p: etree._Element, number: int) -> list[DraftItem]:
        """The paragraph as text (with its numbering label), plus a picture item per image in it."""
        where = Location(self.file, paragraph=number)
        parts: list[str] = []
        pictures: list[tuple[str, float]] = []
        self._walk(p, parts, pictures, where)
        text = "".join(parts).replace("\t", " ").replace("\u2060", "").replace("\u200b", "")  # ours: `ooxml.run`
        if text.strip():
            text = self._label(p) + text
        style = self._style_chain(p)
        if text.strip() and not heading_of(text.strip()) and self._heading_style(style):
            self.problems.warning(where, "用了标题样式但没有编号（一、（一）1.），按正文段落排；需要时在文字前加上编号",
                                  text.strip()[:20])
        styled = len(text) <= STYLED_CHARS  # a title or 署名 line: its bold and size are looked at
        items = [DraftItem(number=number, text=text, align=self._align(p, style),
                           bold=styled and self._bold(p, style), size_pt=self._size(p, style) if styled else None,
                           indented=self._indented(p, style))]
        for picture in pictures:
            items.append(DraftItem(number=number, image=picture))
        return items

    def _walk(self, el: etree._Element, parts: list[str], pictures: list[tuple[str, float]],
              where: Location) -> None:
        for child in el:
            tag = child.tag
            if tag in _SKIP or tag == _MC_FALLBACK:
                if tag in _DELETED:
                    self.changes[1] += 1
                continue
            if tag in _INSERTED:
                self.changes[0] += 1
            if tag in _NOTES:
                self.problems.warning(where, f"{_NOTES[tag]}未读取：公文正文不用脚注，请把内容写入正文或附注")
            elif tag == _TEXT:
                parts.append(child.text or "")
            elif tag in _TABS:
                parts.append(" ")
            elif tag in _PICTURES:
                self._drawing(child, pictures, where)
            else:
                self._walk(child, parts, pictures, where)

    def _drawing(self, el: etree._Element, pictures: list[tuple[str, float]], where: Location) -> None:
        boxes = list(el.iter(*_TEXT_BOX))
        if boxes:
            text = "".join(t.text or "" for box in boxes for t in box.iter(qn("w:t")))
            self.problems.warning(where, "文本框或图形中的文字未读取，请移到正文段落中", text.strip()[:30] or None)
            return
        blip = next(el.iter(_BLIP), None)
        rel = blip.get(_EMBED) if blip is not None else None
        if rel is None:
            image = next(el.iter(_VML_IMAGE), None)
            rel = image.get(_REL_ID) if image is not None else None
        if rel is None:
            self.problems.warning(where, "图形（形状、艺术字等）未读取")
            return
        extent = next(el.iter(_EXTENT), None)
        width_mm = _int(extent.get("cx"), 0) / EMU_PER_MM if extent is not None else 0
        width_mm = width_mm if width_mm > 0 else DEFAULT_PICTURE_MM
        png = self._png(rel, where)
        if png is not None:
            name = f"图{len(self.images) + 1}.png"
            self.images[name] = png
            pictures.append((name, width_mm))

    def _png(self, rel: str, where: Location) -> bytes | None:
        """The picture behind relationship `rel` as PNG bytes (other formats converted)."""
        try:
            blob = self.doc.part.related_parts[rel].blob
        except KeyError:
            self.problems.warning(where, "图片链接到文档外的文件，未读取")
            return None
        png = to_png(blob)
        if png is None:
            self.problems.warning(where, "图片格式无法读取（如 EMF/WMF），请另存为 PNG 后插入")
        return png

    def _label(self, p: etree._Element) -> str:
        num_pr = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num_pr is None:
            for style in self._style_chain(p):
                num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
                if num_pr is not None:
                    break
        if num_pr is None:
            return ""
        num_id = num_pr.find(qn("w:numId"))
        ilvl = num_pr.find(qn("w:ilvl"))
        if num_id is None or num_id.get(qn("w:val")) == "0":
            return ""
        level = _int(ilvl.get(qn("w:val")), 0) if ilvl is not None else 0
        return self.numbering.label(num_id.get(qn("w:val")), level)

    # ------------------------------------------------------------ formatting

    def _style_chain(self, p: etree._Element) -> list[etree._Element]:
        """The paragraph's style and the styles it is based on (the XML elements)."""
        styles = self.doc.styles.element
        ref = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        style_id = ref.get(qn("w:val")) if ref is not None else None
        chain: list[etree._Element] = []
        while style_id and len(chain) < 10:
            style = next((s for s in styles.findall(qn("w:style")) if s.get(qn("w:styleId")) == style_id), None)
            if style is None:
                break
            chain.append(style)
            based = style.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None
        return chain

    @staticmethod
    def _heading_style(chain: list[etree._Element]) -> bool:
        """A Word/WPS heading style ("heading 1", "标题 1"; the title style is not one)."""
        for style in chain:
            name = style.find(qn("w:name"))
            value = (name.get(qn("w:val"), "") if name is not None else "").lower()
            if value.startswith("heading") or (value.startswith("标题") and value[2:].strip().isdigit()):
                return True
        return False

    @staticmethod
    def _first(elements: list[etree._Element], path: str) -> etree._Element | None:
        for el in elements:
            found = el.find(path)
            if found is not None:
                return found
        return None

    def _align(self, p: etree._Element, style: list[etree._Element]) -> str:
        jc = self._first([p, *style], f"{qn('w:pPr')}/{qn('w:jc')}")
        value = jc.get(qn("w:val")) if jc is not None else "left"
        return {"center": "center", "right": "right", "end": "right", "both": "justify",
                "distribute": "justify"}.get(value, "left")

    def _indented(self, p: etree._Element, style: list[etree._Element]) -> bool:
        ind = self._first([p, *style], f"{qn('w:pPr')}/{qn('w:ind')}")
        if ind is None:
            return False
        left = ind.get(qn("w:left")) or ind.get(qn("w:start")) or "0"
        return _int(left, 0) >= INDENT_TWIPS

    def _bold(self, p: etree._Element, style: list[etree._Element]) -> bool:
        runs = [r for r in p.iter(_RUN) if "".join(t.text or "" for t in r.iter(_TEXT)).strip()]
        if not runs:
            return False
        style_bold = self._first(style, f"{qn('w:rPr')}/{qn('w:b')}")
        default = style_bold is not None and style_bold.get(qn("w:val"), "1") not in ("0", "false")
        for r in runs:
            b = r.find(_BOLD)
            bold = default if b is None else b.get(_VAL, "1") not in ("0", "false")
            if not bold:
                return False
        return True

    def _size(self, p: etree._Element, style: list[etree._Element]) -> float | None:
        """The largest run size in pt (w:sz is in half-points)."""
        sizes = [int(sz.get(_VAL)) / 2 for r in p.iter(_RUN) for sz in r.findall(_SIZE) if sz.get(_VAL, "").isdigit()]
        if sizes:
            return max(sizes)
        sz = self._first(style, f"{qn('w:rPr')}/{qn('w:sz')}")
        return int(sz.get(qn("w:val"))) / 2 if sz is not None and sz.get(qn("w:val"), "").isdigit() else None

    # ------------------------------------------------------------ tables

    def _table(self, tbl: etree._Element, number: int) -> list[list[str]]:
        """Rows of cell texts; a merged cell's text stays in its first cell, the cells it covers are empty."""
        rows: list[list[str]] = []
        where = Location(self.file, paragraph=number)
        merged = False
        for tr in tbl.findall(qn("w:tr")):
            row: list[str] = []
            for tc in tr.findall(qn("w:tc")):
                parts: list[str] = []
                for p in tc.iter(qn("w:p")):
                    para: list[str] = []
                    self._walk(p, para, [], where)
                    text = "".join(para).strip()
                    if text:
                        parts.append(self._label(p) + text)
                tc_pr = tc.find(qn("w:tcPr"))
                span = tc_pr.find(qn("w:gridSpan")) if tc_pr is not None else None
                v_merge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
                continued = v_merge is not None and v_merge.get(qn("w:val"), "continue") == "continue"
                merged |= span is not None or v_merge is not None
                row.append("" if continued else "".join(parts))
                if span is not None:
                    row.extend([""] * min(_int(span.get(qn("w:val")), 1) - 1, MAX_SPAN))
            rows.append(row)
        width = max((len(r) for r in rows), default=0)
        rows = [r + [""] * (width - len(r)) for r in rows]
        if merged:
            self.problems.warning(where, "表格中的合并单元格：文字保留在合并区域的第一个单元格，其余单元格留空")
        return rows


def read_docx_draft(path: Path, name: str | None = None) -> DocxDraft:
    """Read a .docx draft (never modified), its findings named `name` (default: the file's name; the
    original's for a converted .doc). Raises InputError when it is not a readable DOCX."""
    return _DocxReader(path, name).read()
