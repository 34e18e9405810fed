"""OFD (GB/T 33190-2016) output, made from the tool's own freshly written PDF: the same pages, text
as text (TextObject/TextCode with every glyph's advance), rules as PathObject, pictures as
ImageObject, the PDF's fonts re-embedded as TrueType subsets."""

from .package import OfdMeta, write_ofd

__all__ = ["OfdMeta", "write_ofd"]
