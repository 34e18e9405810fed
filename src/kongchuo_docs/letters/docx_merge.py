"""Compile-once DOCX merge: one template, many letters, written straight into the DOCX zip.

A template (the default one generated from the kind's spec, or a clerk's own docxtpl-style Word
file) is compiled ONCE: its ``word/document.xml`` is cleaned the docxtpl way (``{{ }}`` split
across runs joined), cut into head · body · section properties · tail, and the body compiled as
one Jinja template (StrictUndefined, autoescape = XML escaping). Each letter is one
``body.render(fields)`` string streamed into the output zip; nothing is parsed per letter and no
letter is kept in memory after it is written.

Duplex: every letter is its own section. With ``duplex`` each section has type ``oddPage``, so
Word and LibreOffice start every letter on a front side and insert the blank back page of an
odd-length letter themselves when printing; without it the type is ``nextPage``. An own-page
送达回证 form (`FORM_BREAK` in the default template) is a section of its own the same way.

Bytes are deterministic: fixed zip timestamps, fixed part order, fixed compression level.
"""

from __future__ import annotations

import html
import itertools
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import jinja2
from markupsafe import Markup

from .. import gbt9704
from ..errors import Location, Problems
from ..wording import sandbox
from ..writers.docx_clean import clean_package
from . import spec as spec_mod
from .docx_template import FORM_BREAK, LINES_FIELD, SIGNATURE_GLOBAL, package_parts
from .fields import with_field_names
from .layout import LaidLetter

DOCUMENT_PART = "word/document.xml"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
ZIP_LEVEL = 6
_BODY_OPEN = re.compile(r"<w:body(?:\s[^>]*)?>")
_SECT_TYPE = re.compile(r"<w:type\b[^>]*/>")
# Elements that follow w:type inside w:sectPr (ECMA-376 CT_SectPr order).
_AFTER_TYPE = re.compile(r"<w:(pgSz|pgMar|paperSrc|pgBorders|lnNumType|pgNumType|cols|formProt|vAlign|"
                         r"noEndnote|titlePg|textDirection|bidi|rtlGutter|docGrid|printerSettings)\b")
_DRAWING_ID = re.compile(r'(<wp:docPr\b[^>]*?\bid=")\d+(")')
_HEADER_FOOTER_PART = re.compile(r"word/(header|footer)\d*\.xml")
_PARAGRAPH = re.compile(r"<w:p[\s>]")


def seal_indents_twips(issuer: str, date: str) -> tuple[int, int]:
    """Right indents (twips) of 署名 and 成文日期 per GB/T 9704 §7.3.5.1."""
    from .geometry import seal_signature_indents

    issuer_chars, date_chars = seal_signature_indents(html.unescape(issuer), html.unescape(date))
    char_twips = gbt9704.pt_to_twips(gbt9704.BODY_SIZE_PT)
    return round(issuer_chars * char_twips), round(date_chars * char_twips)


@dataclass(frozen=True)
class CompiledDocx:
    """A template split and compiled: ``head + body(letter)… + sectPr + tail`` is a document.xml."""

    parts: tuple[tuple[str, bytes], ...]  # every other part of the package, in zip order
    head: str  # XML up to and including <w:body>
    body: jinja2.Template  # one letter
    sect_pr: str  # the page setup, as the last section's properties, with the section type set
    tail: str  # </w:body></w:document>
    source_label: str  # template name for messages

    def letter_break(self) -> str:
        """A 1 pt paragraph ending a letter's section (holding the section's properties)."""
        return _section_break(self.sect_pr)

    def render(self, fields: Mapping[str, object]) -> str:
        return sandbox.render(self.body, fields, where=self.source_label, field="正文")


def _section_break(sect_pr: str) -> str:
    """A 1 pt paragraph ending a section whose properties are `sect_pr`."""
    return (
        '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
        f'<w:rPr><w:sz w:val="2"/></w:rPr>{sect_pr}</w:pPr></w:p>'
    )


def compile_default(spec: spec_mod.LetterSpec, known: set[str], *, duplex: bool) -> CompiledDocx:
    """Compile the template generated from `spec` (wording checked against `known` fields)."""
    env = template_environment()
    spec_mod.check_fields(spec_mod.block_sources(spec), known, env, f"{spec.file_label}模板")
    parts = package_parts(spec)
    return _compile(parts, env, known, duplex=duplex, label=spec.source or f"{spec.file_label}模板")


def compile_word_template(path: Path, known: set[str], *, duplex: bool) -> CompiledDocx:
    """Compile a clerk's Word template with ``{{ 姓名 }}`` fields; unknown fields raise `InputError`."""
    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl import DocxTemplate

    problems = Problems()
    try:
        with zipfile.ZipFile(path) as zf:
            parts = [(info.filename, zf.read(info)) for info in zf.infolist() if not info.is_dir()]
    except (OSError, zipfile.BadZipFile):
        problems.error(Location(path.name), "不是有效的 Word 文件（.docx）")
        problems.raise_if_errors()
    names = [name for name, _ in parts]
    if DOCUMENT_PART not in names:
        problems.error(Location(path.name), "Word 文件中没有正文部分（word/document.xml）")
        problems.raise_if_errors()
    for name, data in parts:
        if _HEADER_FOOTER_PART.fullmatch(name) and b"{{" in data:
            problems.error(Location(path.name, column=name), "页眉、页脚中的字段不会被替换，请移入正文")
    problems.raise_if_errors()
    try:
        patcher = DocxTemplate(path)
        patcher.init_docx()
    except (PackageNotFoundError, KeyError, ValueError):
        problems.error(Location(path.name), "Word 文件无法打开（结构不完整），请用 Word 另存为 .docx 后再试")
        problems.raise_if_errors()
    patched = [
        (name, _field_names(patcher.patch_xml(data.decode("utf-8"))) if name == DOCUMENT_PART else data)
        for name, data in parts
    ]
    env = template_environment()
    body = _split(dict(patched)[DOCUMENT_PART].decode("utf-8"), path.name)[1]
    spec_mod.check_fields([body], known | set(env.globals), env, path,
                          paragraph_of=lambda name: _paragraph_of(body, name))
    return _compile(patched, env, known, duplex=duplex, label=path.name)


def _field_names(document: str) -> bytes:
    """A patched document.xml with the roster's headers used as names replaced by field names."""
    return with_field_names(document).encode("utf-8")


def _paragraph_of(body: str, name: str) -> int | None:
    """The body paragraph (1-based, as Word counts them) where a Jinja tag first reads `name`."""
    found = re.search(r"\{[{%](?:(?!\}\}|%\}).)*?(?<!\w)" + re.escape(name) + r"(?!\w)", body, re.S)
    return None if found is None else len(_PARAGRAPH.findall(body, 0, found.start()))


def template_environment() -> jinja2.Environment:
    """The sandbox with XML escaping and the one extra global the default template calls."""
    return spec_mod.environment(autoescape=True, extra_globals={SIGNATURE_GLOBAL: seal_indents_twips})


_LINE_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
_RAGGED_BREAK = ('</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="LetterBody"/></w:pPr>'
                 '<w:r><w:t xml:space="preserve">')  # fmt: skip


def laid_fields(letter: LaidLetter) -> dict[str, object]:
    """The default template's `LINES_FIELD` for `letter`: each body paragraph's lines as the layout
    broke them. A justified line ends in a line break (``w:br``: Word and LibreOffice spread such a
    line to the full width, as the PDF does); a ragged line ends its paragraph (a paragraph's last line
    is never spread) and the rest continues in a paragraph of the same style without indent."""
    laid = {}
    for index, lines in letter.breaks.items():
        out = []
        for i, (line, ragged) in enumerate(lines):
            out.append(html.escape(line, quote=False))
            if i < len(lines) - 1:
                out.append(_RAGGED_BREAK if ragged else _LINE_BREAK)
        laid[index] = Markup("".join(out))
    return {LINES_FIELD: laid}


def _split(document: str, label: str) -> tuple[str, str, str, str]:
    """(head, body, sectPr, tail) of a document.xml: the body's last element must be its sectPr."""
    opening = _BODY_OPEN.search(document)
    body_end = document.rfind("</w:body>")
    sect_start = document.rfind("<w:sectPr", 0, body_end)
    if opening is None or sect_start < opening.end() or not document[:body_end].rstrip().endswith("</w:sectPr>"):
        problems = Problems()
        problems.error(Location(label), "Word 文件正文缺少页面设置（w:sectPr），请用 Word 另存一次")
        problems.raise_if_errors()
    assert opening is not None
    return (
        document[: opening.end()],
        document[opening.end() : sect_start],
        document[sect_start:body_end].strip(),
        document[body_end:],
    )


def _with_section_type(sect_pr: str, section_type: str) -> str:
    """`sect_pr` with ``<w:type w:val=section_type/>`` in its schema position."""
    sect_pr = _SECT_TYPE.sub("", sect_pr)
    element = f'<w:type w:val="{section_type}"/>'
    follower = _AFTER_TYPE.search(sect_pr)
    if follower is None:
        return sect_pr.replace("</w:sectPr>", element + "</w:sectPr>")
    return sect_pr[: follower.start()] + element + sect_pr[follower.start() :]


def _compile(
    parts: list[tuple[str, bytes]], env: jinja2.Environment, known: set[str], *, duplex: bool, label: str
) -> CompiledDocx:
    """Split and compile; a body that breaks a sandbox rule on sample values is refused here, before input."""
    parts = clean_package(parts)  # WPS-clean once per template, not per letter
    document = dict(parts)[DOCUMENT_PART].decode("utf-8")
    head, body, sect_pr, tail = _split(document, label)
    sect_pr = _with_section_type(sect_pr, "oddPage" if duplex else "nextPage")
    body = body.replace(FORM_BREAK, _section_break(sect_pr))
    problems = Problems()
    try:
        template = env.from_string(body)
    except jinja2.TemplateSyntaxError as exc:
        problems.error(Location(label, line=exc.lineno), f"模板语法错误：{exc.message}")
        problems.raise_if_errors()
    sandbox.trial_render(template, known, where=label, field="正文")
    return CompiledDocx(
        parts=tuple((name, data) for name, data in parts if name != DOCUMENT_PART),
        head=head,
        body=template,
        sect_pr=sect_pr,
        tail=tail,
        source_label=label,
    )


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def write_merged(compiled: CompiledDocx, letters: Iterable[Mapping[str, object]], target: Path | IO[bytes]) -> int:
    """Write all `letters` (merge-field mappings) as one DOCX, each letter its own section.

    Returns the number of letters written. Memory: one rendered letter at a time.
    """
    count = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as zf:
        for name, data in compiled.parts:
            if name == "[Content_Types].xml":
                zf.writestr(_zip_info(name), data)
        with zf.open(_zip_info(DOCUMENT_PART), "w", force_zip64=True) as stream:
            stream.write(compiled.head.encode("utf-8"))
            pending: str | None = None
            drawing_ids = itertools.count(1)
            for fields in letters:
                if pending is not None:
                    stream.write((pending + compiled.letter_break()).encode("utf-8"))
                pending = compiled.render(fields)
                if "<wp:docPr " in pending:  # a picture repeated per letter: ids must stay unique
                    pending = _DRAWING_ID.sub(lambda m: f"{m[1]}{next(drawing_ids)}{m[2]}", pending)
                count += 1
            if pending is not None:
                stream.write(pending.encode("utf-8"))
            stream.write((compiled.sect_pr + compiled.tail).encode("utf-8"))
        for name, data in compiled.parts:
            if name != "[Content_Types].xml":
                zf.writestr(_zip_info(name), data)
    return count


def single_letter_bytes(compiled: CompiledDocx, fields: Mapping[str, object]) -> bytes:
    """One letter as a complete DOCX, in memory (for the per-child zip)."""
    import io

    buffer = io.BytesIO()
    write_merged(compiled, [fields], buffer)
    return buffer.getvalue()

