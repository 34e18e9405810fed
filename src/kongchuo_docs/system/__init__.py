"""What the machine provides and the documents depend on: its fonts (fontconfig, the user's font
folders, the bundled stand-ins, the fontconfig aliases), HarfBuzz, and headless LibreOffice."""
