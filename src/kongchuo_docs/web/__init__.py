"""网页版: ``kongchuo-docs serve`` — the toolkit's pages over the same kinds, readers and writers."""
