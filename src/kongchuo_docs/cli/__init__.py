"""The ``kongchuo-docs`` command: thin wrappers that call the kinds and report in Chinese.

`app.py` holds the Typer app and its shared options, `guard.py` the error guard; the commands live in
`documents.py`, `cycle.py` and `tools.py`, each adding its commands to the one app when imported.
"""

# isort: skip_file
# Importing a command module registers its commands on `app`, in this order (the order of --help).
from . import documents, cycle, tools, numbers, users, rounds  # noqa: F401
from .app import app, main

__all__ = ["app", "main"]
