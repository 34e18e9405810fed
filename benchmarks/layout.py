"""Layout time on long input (issue 11 #4): a 100-character title, a 200 000-character body, and
the refusal of a 3 MB paragraph. Widths come from the installed fonts, as in `build`.

Run: .venv/bin/python benchmarks/layout.py   (prints seconds)

Goals: title and body each < 1 s; the 3 MB paragraph refused (input limit) in well under 1 s.
The limits are in src/kongchuo_docs/model/limits.py.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kongchuo_docs.errors import InputError
from kongchuo_docs.layout.boxes import Measures
from kongchuo_docs.layout.pages import layout_document
from kongchuo_docs.model import Document, Paragraph
from kongchuo_docs.model.limits import PARAGRAPH_MAX_CHARS, TITLE_MAX_CHARS
from kongchuo_docs.readers.notice_yaml import read_notice
from kongchuo_docs.system.fonts import resolve_fonts

SENTENCE = "各乡（镇）要落实控辍保学“七长”责任制，2020年秋季学期前完成劝返复学工作。"


def _timed(label: str, work: Callable[[], str]) -> None:
    start = time.perf_counter()
    result = work()
    print(f"{label:58} {time.perf_counter() - start:7.3f} s   {result}")


def main() -> None:
    measures = Measures.from_fonts(resolve_fonts())
    date = dt.date(2026, 9, 1)
    title = ("关于进一步加强义务教育控辍保学工作建立健全" * 10)[:TITLE_MAX_CHARS - 3] + "的通知"
    short_body = [Paragraph(text=SENTENCE)]

    def title_layout() -> str:
        doc = Document(issuers=["某某县教育局"], title=title, body=short_body, date=date)
        lines = [ln for ln in layout_document(doc, measures).lines() if ln.role == "title"]
        return f"{len(lines)} title lines"

    paragraph = (SENTENCE * (PARAGRAPH_MAX_CHARS // len(SENTENCE)))[:PARAGRAPH_MAX_CHARS]
    body = [Paragraph(text=paragraph) for _ in range(200_000 // PARAGRAPH_MAX_CHARS)]

    def body_layout() -> str:
        doc = Document(issuers=["某某县教育局"], title="关于测试的通知", body=body, date=date)
        layout = layout_document(doc, measures)
        return f"{sum(len(p.text) for p in body)} characters, {layout.page_count} pages"

    _timed(f"{len(title)}-character title (layout of the whole notice)", title_layout)
    _timed("200 000-character body (10 paragraphs at the limit)", body_layout)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "长段落.yaml"
        path.write_text("发文机关: 某某县教育局\n标题: 关于测试的通知\n成文日期: 2026年9月1日\n正文: |\n  "
                        + "控" * 1_000_000 + "\n", encoding="utf-8")  # 3 MB of UTF-8

        def refusal() -> str:
            try:
                read_notice(path)
            except InputError as exc:
                return str(exc).splitlines()[0][:60]
            return "NOT REFUSED"

        _timed(f"3 MB paragraph ({path.stat().st_size / 1e6:.1f} MB file): read and refuse", refusal)


if __name__ == "__main__":
    main()
