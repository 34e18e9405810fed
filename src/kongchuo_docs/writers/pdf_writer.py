"""Write a `Document` as a GB/T 9704 PDF with WeasyPrint, from the same `Layout` as the DOCX.

The layout decides every line break and page; `pdf_html` draws it as absolutely positioned HTML
(template and CSS in ``templates/pdf/``) and WeasyPrint renders that. Fonts come from
`fonts.resolve_fonts` (embeddable faces only: the user's or free stand-ins); substitutions are
announced once per run, characters a role's face lacks fall back per character, and a character
no font has stops the build with an error naming its page and line — never a box.

Same input, same bytes: the PDF's dates are the 成文日期, its identifier a hash of its own content
(pydyf's ``identifier=True``), pictures are inlined (not named by their folder), and nothing
depends on the clock or the output folder. Every PDF is PDF/A (`pdfa`: 2b by default; 3b embeds the
source file). Font subsetting needs HarfBuzz's subsetter
(``libharfbuzz-subset.so.0``): without it WeasyPrint falls back to fontTools, seconds per CJK font.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from markupsafe import Markup

from .. import __version__
from ..errors import EnvironmentProblem
from ..files.resources import template_path
from ..layout.boxes import Layout, Measures
from ..layout.pages import layout_document
from ..model import Document
from ..system.fonts import resolve_fonts
from .pdf_html import PAPER_H, PAPER_W, HtmlBuilder, HtmlPage
from .pdfa import DEFAULT_ARCHIVE, Archive, weasyprint_options

SUBSET_INSTALL_HINT = "sudo apt-get install libharfbuzz-subset0"
MIN_HARFBUZZ = (4, 1, 0)  # WeasyPrint subsets with HarfBuzz from this version on


def write_pdf(doc: Document, path: Path, layout: Layout | None = None, *, first_pages: int | None = None,
              archive: Archive = DEFAULT_ARCHIVE) -> int:
    """Write `doc` to `path` as PDF/A at `archive`'s level; return the number of pages (the layout's).
    With `first_pages`, only that many pages are drawn (the web preview's quick start); the count
    returned is still the whole's."""
    fonts = resolve_fonts()
    measures = Measures.from_fonts(fonts)
    layout = layout or layout_document(doc, measures)
    builder = HtmlBuilder(layout, fonts, measures)
    pages = builder.build()
    builder.problems.raise_if_errors()  # a character no font has: nothing is written
    fonts.announce(builder.fallbacks, builder.notes)
    expected = min(first_pages, layout.page_count) if first_pages else layout.page_count
    pages = pages[:expected]
    html = render_html(doc, pages, fonts.css_font_face_rules([*builder.fallbacks, *builder.mark_faces]))
    document = _weasyprint().HTML(string=html).render(font_config=_font_config())  # every URL is absolute
    if len(document.pages) != expected:  # a box overflowed its page: a bug, not a user error
        raise RuntimeError(f"PDF has {len(document.pages)} pages, the layout {expected}")
    # subsets without hinting instructions (5 % smaller on the seed; viewers and printers do not need them)
    document.write_pdf(Path(path), pdf_identifier=True, hinting=False, full_fonts=False,
                       **weasyprint_options(archive, doc.date))
    return layout.page_count


def render_html(doc: Document, pages: list[HtmlPage], font_faces: str) -> str:
    """The HTML WeasyPrint renders: metadata from the document, CSS from the template folder."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_path("pdf")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    css = env.get_template("gongwen.css.j2").render(paper_w=round(PAPER_W, 3), paper_h=round(PAPER_H, 3))
    meta = {
        "title": doc.title,
        "author": doc.organisation,
        "subject": doc.doc_number,
        "date": doc.date.isoformat() if doc.date else None,  # 成文日期 as creation and modification date
        "generator": f"kongchuo-docs {__version__}",
    }
    # CSS goes into <style> as it is (HTML escaping would turn its quotes into &#34;)
    return env.get_template("gongwen.html.j2").render(
        meta=meta, css=Markup(css), font_faces=Markup(font_faces), pages=pages
    )


@cache
def _weasyprint():
    """WeasyPrint, imported on first use (~0.7 s), after checking its HarfBuzz subsetter."""
    import weasyprint
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    if harfbuzz_subset is None or not harfbuzz.hb_version_atleast(*MIN_HARFBUZZ):
        raise EnvironmentProblem(
            "缺少 HarfBuzz 子集化库（libharfbuzz-subset.so.0，HarfBuzz ≥ 4.1）：生成中文 PDF 会慢几十倍。"
            f"请安装：{SUBSET_INSTALL_HINT}（kongchuo-docs doctor 可检查环境）"
        )
    return weasyprint


@cache
def _font_config():
    """One fontconfig/Pango font map per process, shared by every PDF of a run."""
    _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()
