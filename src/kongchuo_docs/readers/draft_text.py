"""A plain-text (.txt, UTF-8 or GBK) or Markdown (.md) draft → `DraftItem`s.

Text: one line is one paragraph (as Notepad and WeChat copies give them); a line indented by four
spaces or more is an indented line (a signature block). Markdown: lines of a paragraph are joined,
``# 标题`` is the title, ``**`` and ``__`` emphasis marks are dropped, ``| a | b |`` rows are a
table (the ``|---|`` row separates the header), pictures in the draft's folder are kept.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError, Location, Problem, Problems
from .draft_docx import to_png
from .draft_items import DraftItem

ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 reads GBK and GB2312 files
_MD_HEADING = re.compile(r"#{1,6}\s+(.*)")
_MD_RULE = re.compile(r"\s*([-*_]\s*){3,}")
_MD_TABLE_SEPARATOR = re.compile(r"\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)]*)\)")
PICTURE_MM = 120.0  # width of a Markdown picture (Markdown does not say), mm
_PARAGRAPH_END = "。：:；;！!？?"
_WRAPPED = 30  # characters: a shorter line ends its paragraph (a title, 主送 or 署名 line)


def read_text_file(path: Path) -> str:
    """The file's text, UTF-8 (with or without BOM) or GBK/GB18030. Raises InputError."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(Location(path.name), f"无法读取文件：{exc.strerror}")]) from None
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError([Problem(Location(path.name), "文件编码无法识别：请另存为 UTF-8 或 GBK 编码的文本")])


def _indent(line: str) -> int:
    """Leading blank width in half-width spaces (a full-width space counts two)."""
    stripped = line.lstrip(" \u3000\t")
    head = line[: len(line) - len(stripped)]
    return head.count(" ") + 2 * head.count("\u3000") + 4 * head.count("\t")


def text_items(text: str) -> list[DraftItem]:
    """One item per line of a .txt draft, numbered by line."""
    return [DraftItem(number=n, text=line.strip(), indented=_indent(line) >= 8)
            for n, line in enumerate(text.splitlines(), start=1)]


def _picture(target: str, folder: Path, images: dict[str, bytes]) -> str | None:
    """A Markdown picture's file, read when it lies in the draft's folder: its name in `images`."""
    relative = Path(target.strip().split(" ")[0].strip("<>"))
    if relative.is_absolute() or ".." in relative.parts:
        return None
    try:
        png = to_png((folder / relative).read_bytes())
    except OSError:
        return None
    if png is None:
        return None
    name = f"图{len(images) + 1}.png"
    images[name] = png
    return name


def markdown_items(text: str, file: str, problems: Problems, folder: Path | None = None,
                   images: dict[str, bytes] | None = None) -> list[DraftItem]:
    """Items of a .md draft, each numbered by its first line. Pictures (``![说明](图.png)``) in the
    draft's `folder` are read into `images` (PNG by name); others are reported as not read."""
    images = images if images is not None else {}
    items: list[DraftItem] = []
    paragraph: list[str] = []
    table: list[list[str]] = []
    start = 0

    def flush() -> None:
        nonlocal paragraph, table
        if paragraph:
            items.append(DraftItem(number=start, text="".join(paragraph)))
        if table:
            items.append(DraftItem(number=start, table=[r + [""] * (max(map(len, table)) - len(r)) for r in table]))
        paragraph, table = [], []

    for n, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        for target in _MD_IMAGE.findall(stripped):
            name = _picture(target, folder, images) if folder is not None else None
            if name is None:
                problems.warning(Location(file, line=n), "图片未读取（应为草稿所在文件夹中的图片文件）", target)
            else:
                flush()
                items.append(DraftItem(number=n, image=(name, PICTURE_MM)))
        stripped = _MD_IMAGE.sub("", stripped).strip()
        if stripped.startswith("|"):
            if paragraph:
                flush()
            if not table:
                start = n
            if not _MD_TABLE_SEPARATOR.fullmatch(stripped):
                table.append([c.strip() for c in stripped.strip("|").split("|")])
            continue
        if not stripped or _MD_RULE.fullmatch(stripped):
            flush()
            continue
        heading = _MD_HEADING.fullmatch(stripped)
        clean = re.sub(r"(\*\*|__)(.+?)\1", r"\2", heading[1] if heading else stripped)
        if heading or table:
            flush()
        if heading:
            items.append(DraftItem(number=n, text=clean, align="center" if stripped.startswith("# ") else "left",
                                   bold=True))
            continue
        if paragraph and (paragraph[-1][-1] in _PARAGRAPH_END or len(paragraph[-1]) < _WRAPPED):
            flush()  # Chinese drafts often put one paragraph on each line, without a blank line between
        if not paragraph:
            start = n
        paragraph.append(clean)
        if line.endswith("  ") or line.endswith("\\"):  # a Markdown hard break ends the paragraph here
            paragraph[-1] = paragraph[-1].rstrip("\\")
            flush()
    flush()
    return items
