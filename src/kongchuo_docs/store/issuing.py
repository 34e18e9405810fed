"""`发文字号: 自动` (issue 21 #4): the number is taken from the 发文登记簿 when the document is written —
not when it is read, checked or previewed — and the register learns the pages written, or voids the
number when the run fails after taking it (a taken number is never given again).

Spellings: ``自动`` (the 单位设置's 通知 代字) or ``某教督〔自动〕`` (that 代字); the year is the 成文日期's,
or this year's for a hand-dated document.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from .. import console
from ..errors import KongchuoError
from ..model import Document

if TYPE_CHECKING:  # SQLAlchemy loads only when a number is taken
    from ..profile import Profile
    from .audit import Actor
    from .database import Store

AUTO = "自动"
_AUTO = re.compile(r"\s*(?:(?P<prefix>[^\s〔〕]{1,20})\s*〔\s*自动\s*〕\s*号?|自动(?:取号)?)\s*")
# GB/T 9704 §8 / 《党政机关公文处理工作条例》第八条: the 15 文种, longest first for the title's ending
GENRES = ("决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案",
          "纪要", "函")  # fmt: skip
FAILED_RUN = "生成失败，号码作废"


def auto_number(text: str) -> str | None:
    """The canonical 自动 spelling of `text` (``自动`` or ``代字〔自动〕``), or None if it is a real number."""
    m = _AUTO.fullmatch(text)
    if m is None:
        return None
    return f"{m['prefix']}〔{AUTO}〕" if m["prefix"] else AUTO


def genre_of(title: str) -> str:
    """The 文种 a title ends with (…的通知 → 通知), or ""."""
    return next((g for g in GENRES if title.rstrip().endswith(g)), "")


def foreign_speaker(speakers: Sequence[str], profile: Profile) -> str | None:
    """The first of `speakers` (发文机关, then 署名) when none is the 单位设置's own organ (教育局, its
    办公室, the 领导小组); None when one is, or when none is named."""
    own = {profile.bureau, profile.office, profile.leading_group}
    return speakers[0] if speakers and not own.intersection(speakers) else None


def foreign_auto_message(speaker: str, profile: Profile) -> str:
    """Why a bare 自动 is not for a document `speaker` (not the bureau) issues, and what to write."""
    code = profile.number_code("通知") or "文号代字"
    return (f"发文字号“自动”用的是 {profile.bureau} 的文号代字 {code}，而这份公文由 {speaker} "
            f"发出：请写出它自己的文号，或写作 本单位代字〔自动〕（如 某小〔自动〕）")


def _check_own_organ(doc: Document, profile: Profile) -> None:
    """A bare 自动 takes the 单位设置's own 文号代字: only for a document its organs issue or sign, as
    for a draft. A school's or township's document would get the bureau's number and take a place in
    the bureau's 发文登记簿."""
    speaker = foreign_speaker([*doc.issuers, *(s.name for s in doc.signatures)], profile)
    if speaker is not None:
        raise KongchuoError(foreign_auto_message(speaker, profile))


class Numbering:
    """Numbers for one run: `assign` takes one for each 自动 document; leaving the `with` block
    records the pages (success) or voids what was taken (failure). With an `actor` (the page's account)
    each number issued or voided goes to the 操作日志 as well."""

    def __init__(self, settings: Path | None = None, db_url: str | None = None, actor: Actor | None = None):
        self._settings = settings
        self._db_url = db_url
        self._actor = actor
        self._store: Store | None = None
        self._taken: list[tuple[int, str]] = []  # (entry id, output path whose pages count)
        self._pages: dict[str, int | None] = {}

    def __enter__(self) -> Numbering:
        return self

    def assign(self, doc: Document) -> Document:
        """`doc` with its 自动 发文字号 replaced by the next number (registered as 取号); others as they are."""
        spelled = auto_number(doc.doc_number or "")
        if spelled is None:
            return doc
        from .register import Issue, take_number

        store, profile = self._open()
        if spelled == AUTO:
            _check_own_organ(doc, profile)
        prefix = spelled.removesuffix(f"〔{AUTO}〕") if spelled != AUTO else profile.number_code("通知")
        if not prefix:
            raise KongchuoError("发文字号写“自动”时需要文号代字：在单位设置的“文号代字”中填写，或写作 某教综〔自动〕")
        year = (doc.date or dt.date.today()).year
        colophon = doc.colophon
        entry = take_number(store, prefix, year, Issue(
            title=doc.title, genre=genre_of(doc.title), recipients=(doc.recipients or "").rstrip("：:"),
            copies_to="、".join(colophon.cc) if colophon else "",
            secrecy=doc.secrecy or "", urgency=doc.urgency or "", signers="、".join(doc.signers),
            issuer="、".join(doc.issuers) or (doc.signatures[0].name if doc.signatures else ""),
            written_on=doc.date, printed_on=colophon.print_date if colophon else None,
            attachments=len(doc.all_attachments),
        ))  # fmt: skip
        self._taken.append((entry.id, entry.number))
        console.info(f"已从发文登记簿取号：{entry.number}（再次生成同一文件时，请把“自动”改为这个文号，否则会再取一个新号）")
        return doc.model_copy(update={"doc_number": entry.number})

    @property
    def taken(self) -> list[str]:
        """The numbers this run has taken, in order."""
        return [number for _, number in self._taken]

    def written(self, number: str | None, pages: int | None) -> None:
        """The document numbered `number` was written with `pages` pages (DOCX and PDF agree)."""
        if number is not None and pages is not None and any(n == number for _, n in self._taken):
            self._pages[number] = pages

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._store is None:
            return
        from .audit import SUCCEEDED, record
        from .register import mark_issued, void_taken

        try:
            for entry_id, number in self._taken:
                if exc_type is None:
                    mark_issued(self._store, entry_id, pages=self._pages.get(number))
                else:
                    void_taken(self._store, entry_id, FAILED_RUN)
                if self._actor is not None:
                    record(self._store, self._actor, "取发文字号" if exc_type is None else "作废发文字号",
                           counts=number, outcome=SUCCEEDED if exc_type is None else FAILED_RUN)  # fmt: skip
        finally:
            self._store.close()

    def _open(self) -> tuple[Store, Profile]:
        from ..profile import load_profile
        from .database import open_store, store_url

        profile = load_profile(self._settings)
        assert profile is not None
        if self._store is None:
            self._store = open_store(store_url(self._db_url, profile.source), profile.area_code)
        return self._store, profile
