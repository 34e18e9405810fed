"""Recognise the parts of a drafted 公文 (标题, 主送, 正文, 附件说明, 署名, 成文日期, 附件, 版记).

A draft reader (DOCX, text, Markdown) turns its file into `DraftItem`s, one per paragraph, table
or picture, numbered as the clerk sees them. `recognise` places them into the same mapping the
公文 YAML reader validates (Chinese keys), with each value's paragraph number in ``mapping.lines``
and, for 正文 lists, in `Paras.numbers`: the validation of `notice_yaml` runs unchanged and names
"草稿.docx 第 N 段". What cannot be placed (no title, two dates) is an error naming the paragraph.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from ..errors import Location, Problems
from ..support.normalize import NormalizeError, normalize_doc_number, parse_date
from .body_text import heading_of
from .cut_line import cut_line_words
from .draft_ending import (
    CONTACT,
    SERVICE,
    SERVICE_WIDTHS,
    SignBlock,
    doc_number_of,
    is_cut_line,
    is_hand_date,
    receipt_start,
    service_form,
    sign_block_start,
    sign_labels,
    tear_off_receipt,
)
from .draft_items import DraftItem, Paras, located, put
from .notice_keys import LIST_NUMBER
from .yaml_records import LineDict

SHORT_LINE = 40  # characters: a 主送, 署名 or title line is shorter; a paragraph of body text is not
LONG_RECIPIENTS = 120  # characters: a 主送 listing many organs may run to three lines
SENTENCE_WORDS = re.compile(r"如下|根据|按照|为了|为做好|现将|现就|通知|要求")  # a colon sentence, not a 主送
TITLE_LINES = 3  # a title is split over at most this many paragraphs
NOTE_START = re.compile(r"附\s*件\s*[：:]\s*(.*)")
NOTE_ITEM = re.compile(r"\d+\s*[.．、]\s*\S.*")
ATTACHMENT_LABEL = re.compile(r"附\s*件\s*(\d*)\s*[：:]?\s*(.*)")
CC = re.compile(r"抄\s*送\s*[：:]\s*(.+)")
MARK = re.compile(r"([\u4e00-\u9fff（）()]{2,30}?)\s*文\s*件")  # a 发文机关标志 typed into the draft
ISSUING = re.compile(r"印发|转发")  # a notice that issues or forwards the document printed after it
NOTE = re.compile(r"[（(][^（）()]+[）)]")  # 附注 under the date: （此件公开发布）
RECIPIENT_NOTE = re.compile(r"(.+?[：:])\s*([（(][^（）()]{1,20}[）)])")  # 赵某某：（监护人姓名）
PRINTED = re.compile(r"(.*?)\s*(\S+?)\s*印\s*发")
END_PUNCTUATION = "。；，、！？.;,!?"
HAND = "手填"  # the 成文日期 of a draft dated by hand


def _set_off(item: DraftItem) -> bool:
    """Right-aligned, centred or indented: how a signature block stands apart from the body."""
    return item.align in ("right", "center") or item.indented


def _date_of(text: str) -> bool:
    squeezed = re.sub(r"\s", "", text)
    if len(squeezed) > 16:
        return False
    try:
        parse_date(squeezed)
    except NormalizeError:
        return False
    return True


def _squeeze(text: str) -> str:
    return re.sub(r"\s", "", text)


def _block(item: DraftItem) -> Any:
    """A 正文 entry: the paragraph's text, or a table/picture mapping as the YAML reader takes it."""
    if item.table:
        header, *rows = item.table
        return {"表格": {"表头": header, "行": rows}}
    if item.image is not None:
        return {"图片": item.image[0], "宽度": round(item.image[1], 1)}
    return item.text


class _Recogniser:
    def __init__(self, items: list[DraftItem], file: str, problems: Problems, by_line: bool):
        self.items = [i for i in items if not i.is_text or i.text.strip()]
        self.file = file
        self.by_line = by_line
        self.problems = problems
        self.data = located()  # a part the draft lacks is named without a paragraph
        self.service: list[DraftItem] = []  # a 送达回证 after the letter: made a form once the letter is read

    def where(self, item: DraftItem | None) -> Location:
        return locate(self.file, item.number if item else None, self.by_line)

    def run(self) -> LineDict:
        items = self.items
        if not any(i.is_text for i in items):
            self.problems.error(Location(self.file), "草稿中没有文字，无法识别为公文")
            return self.data
        items = self.receipt(self.colophon(items))
        date_at = self.date(items)
        if date_at is None:
            return self.data
        head, tail = items[:date_at], items[date_at + 1:]
        date_item = items[date_at] if date_at < len(items) else None
        head = self.sign_fields(head)
        head = self.signatures(head, date_item)
        head = self.title(head)
        self.body_and_notes(head)
        self.attachments(tail)
        self.separate_attachments()
        self.service_page()
        return self.data

    # ------------------------------------------------------------ from the end

    def colophon(self, items: list[DraftItem]) -> list[DraftItem]:
        """抄送 and "…印发" lines at the end → 版记."""
        colophon = located()
        end = len(items)
        while end > 0 and items[end - 1].is_text:
            item = items[end - 1]
            text = item.text.strip()
            cc = CC.fullmatch(text)
            printed = PRINTED.fullmatch(text)
            if cc and "抄送" not in colophon:
                names = [n.strip() for n in re.split(r"[，,、]", cc[1].rstrip("。.")) if n.strip()]
                put(colophon, "抄送", names, item.number)
            elif printed and _date_of(printed[2]) and "印发日期" not in colophon:
                if printed[1]:
                    put(colophon, "印发机关", printed[1], item.number)
                put(colophon, "印发日期", _squeeze(printed[2]), item.number)
            else:
                break
            colophon.line = item.number
            end -= 1
        if colophon:
            put(self.data, "版记", colophon, colophon.line)
        return items[:end]

    def date(self, items: list[DraftItem]) -> int | None:
        """The 成文日期: the one short paragraph that is only a date, before any 附件 page. A draft
        without one is dated by hand: at its blank date line ("年 月 日"), else after its last line
        (the index returned is then len(items)). None: two dates (an error)."""
        dates = [n for n, i in enumerate(items) if i.is_text and _date_of(i.text)]
        if not dates:
            return self.hand_date(items)
        first = dates[0]
        later = [n for n in dates[1:] if not any(ATTACHMENT_LABEL.fullmatch(items[k].text.strip())
                                                 and items[k].is_text for k in range(first + 1, n))]
        if later:
            other = items[later[0]]
            self.problems.error(
                self.where(other),
                f"有两个成文日期（{self.where(items[first])}、{self.where(other)}）：正文后只应有一行日期，"
                "附件应以“附件1”等一行开始",
                other.text.strip(),
            )
            return None
        item = items[first]
        put(self.data, "成文日期", _squeeze(item.text), item.number)
        return first

    def hand_date(self, items: list[DraftItem]) -> int:
        """No typed date: the first blank date line ending the letter (only a 附注 or 附件 pages after
        it) that is not under signing lines, else the end."""
        blank = [n for n, i in enumerate(items) if n > 0 and i.is_text and is_hand_date(i.text)
                 and sign_labels(items[n - 1].text) is None and self._ends_letter(items, n)]
        if blank:
            put(self.data, "成文日期", HAND, items[blank[0]].number)
            return blank[0]
        put(self.data, "成文日期", HAND, None)
        self.data.defaulted = {"成文日期"}
        last = next(i for i in reversed(items) if i.is_text)
        self.problems.warning(self.where(last), "草稿没有成文日期：按手填排（留空“年 月 日”，印出后手写）；"
                              "要印出日期时在署名下加一行日期，或用 --set 成文日期=2026年3月2日")
        return len(items)

    def _ends_letter(self, items: list[DraftItem], n: int) -> bool:
        """Item n is the letter's last line: after it only a 附注 line, then nothing or 附件 pages."""
        after = items[n + 1:]
        if after and after[0].is_text and NOTE.fullmatch(after[0].text.strip()):
            after = after[1:]
        return not after or self._label(after[0]) is not None

    def receipt(self, items: list[DraftItem]) -> list[DraftItem]:
        """A 送达回证/回执 at the end of a letter: its own page (kept as text) after the letter; the cut
        line above it dropped."""
        start = receipt_start(items)
        if start is None:
            return items
        end = start
        while end > 1 and items[end - 1].is_text and is_cut_line(items[end - 1].text):
            end -= 1
        title = re.sub(r"\s", "", items[start].text)
        if SERVICE.search(title) and all(i.is_text for i in items[start:]):
            self.service = items[start:]
            self.problems.warning(self.where(items[start]), f"{title}：另起一页排成送达回证表格（与通知书的送达回证"
                                  "相同，送达文书名称带本文文号）")
        elif not self.tear_off(items[start:], [cut_line_words(i.text) or "" for i in items[end:start]]):
            self.own_page(items[start:])
            self.problems.warning(self.where(items[start]), f"{title}：另起一页按原文排印（不作剪切回执）")
        return items[:end]

    def tear_off(self, items: list[DraftItem], cut_words: list[str]) -> bool:
        """A 回执 typed after the letter → the tear-off 回执 at the foot of the letter's last page
        (`draft_ending.tear_off_receipt`), the words of the cut lines above it (`cut_words`, the
        first typed) printed on its cut line; False (nothing done) when it cannot be one."""
        receipt = tear_off_receipt(items, next(filter(None, cut_words), ""))
        if receipt is None:
            return False
        put(self.data, "回执", receipt, items[0].number)
        self.problems.warning(self.where(items[0]), f"{receipt['标题']}：排在最后一页页脚的剪切线下"
                              "（放不下时排到下一页页脚）")
        return True

    def service_page(self) -> None:
        """The 送达回证 typed after the letter as the letters' form (`draft_ending.service_form`): a page
        of its own after the letter, the form a table without header row."""
        if not self.service:
            return
        first, data = self.service[0], self.data
        number = data.get("发文字号")
        with contextlib.suppress(NormalizeError):  # else the reader reports it at its line
            number = normalize_doc_number(number)[0] if number else None
        signatures = data.get("署名") or [data.get("发文机关", "")]
        text, rows = service_form(self.service[1:], document=str(data.get("标题", "")), doc_number=number,
                                  issuer=signatures[0], recipient=str(data.get("主送", "")))
        body = Paras()
        for line in text:
            body.add(line, first.number)
        body.add({"表格": {"表头": rows[0], "行": rows[1:], "表头行数": 0, "列宽": list(SERVICE_WIDTHS)}}, first.number)
        page = located(first.number)
        put(page, "标题", SERVICE.search(first.text.replace(" ", ""))[0], first.number)
        put(page, "正文", body, first.number)
        pages = data.get("印发件")
        pages = pages if isinstance(pages, list) else [pages] if pages else []
        put(data, "印发件", [*pages, page], first.number)

    def own_page(self, items: list[DraftItem]) -> LineDict:
        """Items after the letter set on a page of their own, as typed (a 印发件 of the YAML): the first
        line its title, signing lines at its end its 签字栏; cut lines dropped."""
        page = located(items[0].number)
        put(page, "标题", re.sub(r"\s", "", items[0].text), items[0].number)
        lines = [i for i in items[1:] if not (i.is_text and is_cut_line(i.text))]
        signed_at, block = sign_block_start(lines)
        body = Paras()
        for item in lines[:signed_at]:
            body.add(_block(item), item.number)
        if body:
            put(page, "正文", body, body.numbers[0])
        if block is not None:
            put(page, "签字栏", self.sign_mapping(block, dated=block.dated), block.number)
        pages = self.data.get("印发件")
        put(self.data, "印发件", [*pages, page] if isinstance(pages, list) else [page], page.line)
        return page

    def sign_fields(self, head: list[DraftItem]) -> list[DraftItem]:
        """Signing lines ("教师（签名）：", "甲方（盖章）：") right above the date (or at the end of an
        undated draft) → 签字栏 with writing space."""
        start, block = sign_block_start(head)
        if block is None:
            return head
        dated = block.dated or "成文日期" in getattr(self.data, "defaulted", ())
        put(self.data, "签字栏", self.sign_mapping(block, dated=dated), block.number)
        return head[:start]

    @staticmethod
    def sign_mapping(block: SignBlock, *, dated: bool) -> LineDict:
        """A 签字栏 as the YAML reader takes it: 栏目, 每行, 日期."""
        fields = located(block.number)
        put(fields, "栏目", block.labels, block.number)
        put(fields, "每行", block.per_row, block.number)
        if dated:
            put(fields, "日期", "是", block.number)
        return fields

    def signatures(self, head: list[DraftItem], date: DraftItem | None) -> list[DraftItem]:
        """署名: the short lines right above the date (several for 联合行文), set off as the date is
        (right-aligned, centred or indented) when the date is."""
        names: list[DraftItem] = []
        end = len(head)
        while end > 1 and len(names) < 3:
            item = head[end - 1]
            text = item.text.strip()
            if (not item.is_text or len(text) > SHORT_LINE or text[-1] in END_PUNCTUATION + "：:"
                    or NOTE_START.fullmatch(text) or NOTE_ITEM.fullmatch(text) or heading_of(text)
                    or re.search(r"[：:]", text) or (names and NOTE.fullmatch(text))
                    or (date is not None and _set_off(date) and not _set_off(item))):
                break
            names.insert(0, item)
            end -= 1
        if len(names) > 1 and NOTE.fullmatch(names[-1].text.strip()):  # （某局代章） under the name
            note = names.pop()
            put(self.data, "署名备注", note.text.strip(), note.number)
        if names:
            put(self.data, "署名", [" ".join(n.text.split()) for n in names], names[0].number)
        return head[:end]

    # ------------------------------------------------------------ from the start

    def title(self, head: list[DraftItem]) -> list[DraftItem]:
        """版头 lines the draft may carry (``某县教育局文件``, the 发文字号), 标题 (1–3 paragraphs), 主送."""
        start = 0
        while start < min(2, len(head) - 1) and head[start].is_text:
            text = head[start].text.strip()
            if doc_number_of(head[start]) is not None:
                if "发文字号" in self.data:
                    break
                put(self.data, "发文字号", doc_number_of(head[start]), head[start].number)
            elif MARK.fullmatch(text) and "发文机关" not in self.data:
                put(self.data, "发文机关", MARK.fullmatch(text)[1], head[start].number)
            else:
                break
            start += 1
        rest = head[start:]
        first = rest[0] if rest else None
        if first is None or not first.is_text or len(first.text.strip()) > 60 or first.text.strip()[-1] in "。；":
            self.problems.error(self.where(first),
                                "找不到标题：第一段应为公文标题（一到三行，通常居中、加粗或字号较大）",
                                first.text.strip()[:20] if first else None)
            return []
        count = self._title_count(rest)
        lines = rest[:count]
        put(self.data, "标题", "".join(i.text.strip() for i in lines), first.number)
        rest = rest[count:]
        if rest and doc_number_of(rest[0]) is not None and "发文字号" not in self.data:  # typed under the title
            put(self.data, "发文字号", doc_number_of(rest[0]), rest[0].number)
            rest = rest[1:]
        if rest and rest[0].is_text and self._recipient_like(rest[0]):
            text = rest[0].text.strip()
            noted = RECIPIENT_NOTE.fullmatch(text)
            if noted:
                text = noted[1]
                self.problems.warning(self.where(rest[0]), f"主送后的括注“{noted[2]}”是填写提示，不印出")
            put(self.data, "主送", text, rest[0].number)
            rest = rest[1:]
        return rest

    def _title_count(self, items: list[DraftItem]) -> int:
        """How many paragraphs the title spans: all before a 主送 line in the first four, else
        those formatted like the first."""
        for n in range(1, min(TITLE_LINES, len(items) - 1) + 1):
            if doc_number_of(items[n]) is not None:
                return n
            if self._recipient_like(items[n]):
                candidates = items[:n]
                if all(i.is_text and len(i.text.strip()) <= SHORT_LINE and "。" not in i.text for i in candidates):
                    return n
                break
        first = items[0]
        styled = first.align == "center" or first.bold or (first.size_pt or 0) > 16
        count = 1
        while (styled and count < min(TITLE_LINES, len(items)) and items[count].is_text
               and (items[count].align, items[count].bold, items[count].size_pt)
               == (first.align, first.bold, first.size_pt)
               and not self._recipient_like(items[count]) and doc_number_of(items[count]) is None):
            count += 1
        return count

    @staticmethod
    def _recipient_like(item: DraftItem) -> bool:
        """A 主送 line: ends in a colon, no full stop; short, or a longer list of organs that reads as no
        sentence ("…通知如下：" is body text)."""
        text = item.text.strip()
        noted = RECIPIENT_NOTE.fullmatch(text)
        text = noted[1] if noted else text
        if not (item.is_text and text and text[-1] in "：:" and "。" not in text):
            return False
        return len(text) <= SHORT_LINE or (len(text) <= LONG_RECIPIENTS and not SENTENCE_WORDS.search(text))

    def body_and_notes(self, items: list[DraftItem], target: LineDict | None = None) -> None:
        """正文, then 附件说明 (附件：1. … / 2. …) at its end, into `target` (default: the notice)."""
        target = self.data if target is None else target
        notes_at = next((n for n, i in enumerate(items) if i.is_text and NOTE_START.fullmatch(i.text.strip())
                         and all(j.is_text and NOTE_ITEM.fullmatch(j.text.strip()) for j in items[n + 1:])),
                        None)
        body = Paras()
        for item in items[:notes_at]:
            body.add(_block(item), item.number)
        if body:
            put(target, "正文", body, body.numbers[0])
        if notes_at is None:
            return
        first = NOTE_START.fullmatch(items[notes_at].text.strip())[1].strip()
        notes = [first] if first else []
        notes += [i.text.strip() for i in items[notes_at + 1:]]
        put(target, "附件说明", notes, items[notes_at].number)

    def attachments(self, items: list[DraftItem]) -> None:
        """附注 right under the date; the document a 印发/转发 notice issues (its title and text, not
        labelled); then 附件 pages: "附件1" (or "附件"), the title, text and tables."""
        if items and items[0].is_text and NOTE.fullmatch(items[0].text.strip()):
            put(self.data, "附注", items[0].text.strip(), items[0].number)
            items = items[1:]
        contact = CONTACT.fullmatch(items[0].text.strip()) if items and items[0].is_text else None
        if contact and "附注" not in self.data:  # 联系人：张三，电话：1234567 under the date
            put(self.data, "联系人", contact["who"], items[0].number)
            put(self.data, "联系电话", contact["phone"].strip(), items[0].number)
            items = items[1:]
        owner = self.data
        if items and not self._starts_attachment(items, 0) and ISSUING.search(str(self.data.get("标题", ""))):
            end = next((n for n in range(len(items)) if self._starts_attachment(items, n)), len(items))
            owner = self.issued(items[:end])
            items = items[end:]
        start = next((n for n, item in enumerate(items) if self._label(item)), len(items))
        if start:
            self.loose_page(items[:start])
            items = items[start:]
        found: list[LineDict] = []
        current: LineDict | None = None
        for item in items:
            label = self._label(item)
            if label and (label[1] or not label[2] or current is None):
                current = located(item.number)
                if label[2]:
                    put(current, "标题", label[2].strip(), item.number)
                found.append(current)
                continue
            if "标题" not in current and item.is_text:
                put(current, "标题", item.text.strip(), item.number)
                continue
            body = current.get("正文")
            if body is None:
                body = Paras()
                put(current, "正文", body, item.number)
            body.add(_block(item), item.number)
        if found:
            target = owner if "附件说明" in owner or owner is self.data else self.data
            put(target, "附件", found, found[0].line)

    def loose_page(self, items: list[DraftItem]) -> None:
        """What follows the date unlabelled (a form, a list with its own title): a page of its own, as
        typed, with a warning; text with no title line cannot be placed (an error)."""
        first = items[0]
        text = first.text.strip()
        if first.is_text and len(text) <= SHORT_LINE and text[-1] not in END_PUNCTUATION + "：:":
            page = self.own_page(items)
            self.problems.warning(self.where(first), f"成文日期之后的“{page['标题']}”没有“附件”标注："
                                  "另起一页按原文排印；是附件时在它上面加一行“附件”")
            return
        self.problems.error(self.where(first), "成文日期之后只能是附件（以“附件1”等一行开始）、另页的回执或表格"
                            "（第一行为标题）或版记（抄送、印发）", text[:20] if first.is_text else None)

    def separate_attachments(self) -> None:
        """附件说明 naming 附件 the draft does not hold (they travel as separate files): an 附件说明 as
        §7.3.4 lays it out, each 附件 marked 另行发送 (the reader warns that it is not in the file)."""
        notes = self.data.get("附件说明")
        issued = self.data.get("印发件")
        held = [d for d in (issued if isinstance(issued, list) else [issued]) if isinstance(d, dict) and "附件" in d]
        if not notes or "附件" in self.data or held:
            return
        number = self.data.lines.get("附件说明")
        found = []
        for note in notes:
            entry = located(number)
            put(entry, "标题", LIST_NUMBER.sub("", note), number)
            put(entry, "另行发送", "是", number)
            found.append(entry)
        put(self.data, "附件", found, number)

    @staticmethod
    def _label(item: DraftItem) -> re.Match[str] | None:
        return ATTACHMENT_LABEL.fullmatch(item.text.strip()) if item.is_text else None

    def _starts_attachment(self, items: list[DraftItem], n: int) -> bool:
        """Item n opens an 附件 page: "附件", "附件1", "附件1：标题", or "附件：标题" unless a bare label
        follows (then that line is an 附件说明)."""
        label = self._label(items[n])
        if label is None:
            return False
        if label[2] and not label[1]:
            return not any((later := self._label(i)) and not later[2] for i in items[n + 1:])
        return True

    def issued(self, items: list[DraftItem]) -> LineDict:
        """印发件: the issued document's title (1–3 lines formatted alike), its text and 附件说明."""
        first = items[0]
        count = 1
        while (count < min(TITLE_LINES, len(items) - 1) and items[count].is_text
               and (items[count].align, items[count].bold) == (first.align, first.bold)
               and (first.align == "center" or first.bold) and len(items[count].text.strip()) <= SHORT_LINE
               and items[count].text.strip()[-1] not in END_PUNCTUATION):
            count += 1
        issued = located(first.number)
        put(issued, "标题", "".join(i.text.strip() for i in items[:count]), first.number)
        self.body_and_notes(items[count:], issued)
        slip = self.data.get("印发件")  # a 送达回证 page found first goes after the issued document
        put(self.data, "印发件", [issued, *slip] if isinstance(slip, list) else issued, first.number)
        return issued


def locate(file: str, number: int | None, by_line: bool) -> Location:
    """Where item `number` is: a paragraph of a Word draft, a line of a text draft."""
    return Location(file, line=number) if by_line else Location(file, paragraph=number)


def recognise(items: list[DraftItem], file: str, problems: Problems, *, by_line: bool = False) -> LineDict:
    """The 公文 mapping of a draft; placement errors go to `problems` with their paragraph (or line)."""
    return _Recogniser(items, file, problems, by_line).run()
