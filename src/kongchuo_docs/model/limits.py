"""Input limits that keep layout time bounded (issue 11 #4), one place for the numbers.

A 公文 title longer than `TITLE_MAX_CHARS` characters would fill more than five 2号 lines; a
paragraph longer than `PARAGRAPH_MAX_CHARS` characters is about 24 pages of 3号 text with no
paragraph break, which is a pasting mistake rather than a document. Readers check text against
these limits where they know the input's location; the model refuses the rest (final guard).
README.md documents both numbers.
"""

from __future__ import annotations

TITLE_MAX_CHARS = 100
PARAGRAPH_MAX_CHARS = 20_000


def title_problem(text: str) -> str | None:
    """A Chinese message when `text` is too long for a title, else None."""
    if len(text) > TITLE_MAX_CHARS:
        return f"标题过长：{len(text)} 个字，最多 {TITLE_MAX_CHARS} 个字（请精简标题）"
    return None


def paragraph_problem(text: str) -> str | None:
    """A Chinese message when `text` is too long for one paragraph, else None."""
    if len(text) > PARAGRAPH_MAX_CHARS:
        return (f"段落过长：{len(text)} 个字，一段最多 {PARAGRAPH_MAX_CHARS} 个字"
                "（请分段：每段单独一行；多行文字用 | 开头）")
    return None


TABLE_BLANK_ROWS_MAX = 200
"""Empty rows a table may add for hand-filling (`Table.blank_rows`): a register of some ten pages; more is
a typing mistake (空行: 20000), and each row is laid out."""


def blank_rows_problem(value: object) -> str | None:
    """A Chinese message when `value` is not a table's count of blank rows (a whole number 0 to
    `TABLE_BLANK_ROWS_MAX`), else None."""
    text = str(value).strip()
    if not text.isdigit() or int(text) > TABLE_BLANK_ROWS_MAX:
        return f"空行数应为 0 到 {TABLE_BLANK_ROWS_MAX} 的整数（一张表最多加 {TABLE_BLANK_ROWS_MAX} 行空行）"
    return None

YAML_ALIAS_EXPANSION = 100_000
"""Items and characters that YAML anchors/aliases (``&a`` … ``*a``) may add to a file beyond what it
spells out: a 公文 or 单位设置 repeats a block a few times at most; an alias bomb (aliases of aliases,
1.5 KB growing to gigabytes) is refused at the alias that passes the budget."""

TRIAL_CPU_SECONDS = 10
"""CPU seconds the worker checking a user's templates may use (`limited.run_limited`; a folder of
every wording file checks in well under 1 s)."""
TRIAL_MEMORY_BYTES = 1024 * 2**20
"""Address space of that worker, bytes (the interpreter and its libraries take about 200 MB)."""
TRIAL_WALL_SECONDS = 30
"""Wall seconds the caller waits for that worker (more than its CPU time: the machine may be busy)."""

CELL_MAX_CHARS = 10 * PARAGRAPH_MAX_CHARS
"""Characters in one text cell of a workbook or one text value of a YAML record (several paragraphs of a
自查表's narrative; each paragraph is held to `PARAGRAPH_MAX_CHARS` where it is read as one)."""
SHORT_CELL_MAX_CHARS = 100
"""Characters in a cell that holds a name, an ID number, a date, a number or a choice."""
PROFILE_VALUE_MAX_CHARS = PARAGRAPH_MAX_CHARS
"""Characters in one value of the 单位设置 (a name, an address; a letter's 前期劝返情况 is a paragraph)."""


def cell_problem(text: str, short: bool) -> str | None:
    """A Chinese message when a cell's `text` is too long (`short`: a name, number, date or choice)."""
    limit = SHORT_CELL_MAX_CHARS if short else CELL_MAX_CHARS
    if len(text) > limit:
        return f"内容过长：{len(text)} 个字，此栏最多 {limit} 个字"
    return None


def profile_value_problem(text: str) -> str | None:
    """A Chinese message when a 单位设置 value is too long."""
    if len(text) > PROFILE_VALUE_MAX_CHARS:
        return f"内容过长：{len(text)} 个字，单位设置中每一项最多 {PROFILE_VALUE_MAX_CHARS} 个字"
    return None

ROUND_UPLOAD_MAX_BYTES = 5 * 2**20
"""Bytes of one file a unit uploads to a 报送 round (kept in the store with every earlier upload: a filled
自查表 is some 20 KB, a year's 问题线索登记表 a few hundred KB)."""


def round_upload_problem(size: int) -> str | None:
    """A Chinese message when an upload to a 报送 round is too large (`size` in bytes), else None."""
    if size > ROUND_UPLOAD_MAX_BYTES:
        return f"文件过大：{size / 2**20:.1f} MB，报送的表格最多 {ROUND_UPLOAD_MAX_BYTES // 2**20} MB"
    return None
