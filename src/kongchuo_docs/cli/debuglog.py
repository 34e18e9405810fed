"""The last resort of the command line: an unexpected error becomes one Chinese line on the console
and a debug log (with the traceback) under the user cache folder, for the clerk to send along.

Cache folder: ``$XDG_CACHE_HOME/kongchuo-docs/logs`` (default ``~/.cache/…``), on Windows
``%LOCALAPPDATA%\\kongchuo-docs\\logs``. Tracebacks never go to the console: they may show paths
and values of the input (children's ID numbers).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import tempfile
import traceback
from pathlib import Path

from .. import __version__

APP = "kongchuo-docs"


def cache_dir() -> Path:
    """The user cache folder of the toolkit (not created)."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / APP


def save_debug_log(exc: BaseException, argv: list[str] | None = None) -> Path | None:
    """Write `exc`'s traceback, the command line and versions to a new log file; its path, or None
    when no folder could take it."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = "".join(
        [
            f"{APP} {__version__}, Python {platform.python_version()}, {platform.platform()}\n",
            f"命令：{' '.join(sys.argv if argv is None else argv)}\n\n",
            *traceback.format_exception(type(exc), exc, exc.__traceback__),
        ]
    )
    for folder in (cache_dir() / "logs", Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{APP}-错误-{stamp}-{os.getpid()}.log"
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return None
