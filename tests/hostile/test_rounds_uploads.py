"""A hostile 报送 upload: a 自查表 whose shared strings take far longer to read than a form should is
read in a bounded process (like every uploaded file the pages read) and ended there at its time limit
with the Chinese message on the round's page; nothing is kept, and the server serves on."""

from __future__ import annotations

import io
import time
import zipfile
from functools import partial
from pathlib import Path

from web_helpers import csrf_of, logged_in

from kongchuo_docs.kinds.forms import build_forms
from kongchuo_docs.web import round_uploads
from kongchuo_docs.web.bounded import bounded

SHARED_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHARED_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
STRINGS = 1_500_000  # each distinct (numbered): packs about 10 times, well inside the upload's zip checks


def _slow_form(blank: Path) -> bytes:
    """The blank 自查表 (inline strings) with a shared-strings part of 1.5 million strings no cell uses."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(blank) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item).decode()
            if item.filename == "[Content_Types].xml":
                data = data.replace("</Types>", f'<Override PartName="/xl/sharedStrings.xml" '
                                                 f'ContentType="{SHARED_TYPE}"/></Types>')  # fmt: skip
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace("</Relationships>", f'<Relationship Id="rIdShared" Type="{SHARED_REL}" '
                                                         'Target="sharedStrings.xml"/></Relationships>')  # fmt: skip
            target.writestr(item, data)
        strings = "".join(f"<si><t>{n}</t></si>" for n in range(STRINGS))
        target.writestr("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                                f"{strings}</sst>")  # fmt: skip
    return buffer.getvalue()


def test_a_slow_upload_is_ended_in_its_own_process(tmp_path: Path, monkeypatch, accounts_app) -> None:
    build_forms(tmp_path / "空白", first_year=2026)
    data = _slow_form(tmp_path / "空白" / "自查表.xlsx")
    assert len(data) < 5 * 2**20
    monkeypatch.setattr(round_uploads, "bounded", partial(bounded, seconds=1))
    bureau = logged_in(accounts_app(), "jyj")
    opened = bureau.post("/rounds", data={"name": "秋季自查", "form": "自查表", "deadline": "2026-10-09",
                                          "units": ["凤山镇"], "csrf": csrf_of(bureau)})  # fmt: skip
    round_url = opened.url.path
    started = time.monotonic()
    page = bureau.post(f"{round_url}/upload", files={"file": ("自查表.xlsx", data)},
                       data={"csrf": csrf_of(bureau), "unit": "凤山镇"})  # fmt: skip
    assert time.monotonic() - started < 15
    assert page.status_code == 400 and "处理超时（超过 1 秒）" in page.text, page.text[-2000:]
    assert "已报 0，未报 1，有错误 0" in bureau.get(round_url).text  # nothing kept
