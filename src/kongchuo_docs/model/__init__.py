"""The one document model every reader produces and every writer consumes."""

from .document import (
    Attachment,
    Block,
    Colophon,
    Document,
    DocumentFormat,
    Heading,
    Image,
    IssuedDocument,
    PageBreak,
    Paragraph,
    Receipt,
    ReceiptField,
    Signature,
    SignFields,
    Table,
)

__all__ = [
    "Attachment",
    "Block",
    "Colophon",
    "Document",
    "DocumentFormat",
    "Heading",
    "Image",
    "IssuedDocument",
    "PageBreak",
    "Paragraph",
    "Receipt",
    "ReceiptField",
    "SignFields",
    "Signature",
    "Table",
]
