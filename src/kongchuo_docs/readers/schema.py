"""Table schemas: one YAML file per input form in top-level ``forms/``, used by the readers
(`readers.table`) and by the blank-form generator (`writers.xlsx_forms`), so form and validator never drift.

Schema file format (``forms/<名称>.yaml``; see also ``forms/README.md``)::

    name: 学生名册              # 表名: file name of the blank form, used in messages
    sheet: 学生名册             # worksheet name the form gets and the reader looks for first
    layout: table              # table (default): a header row, one record per row
                               # fields: a vertical form, one label per row, its value in the next column
    title: 某某县学生名册        # (opt) title printed above a fields form; default: name
    description: |             # 填写说明: shown on the form's 填写说明 sheet, one paragraph per line
      每行填写一名学生。
    columns:                   # table layout: the columns (fields layout: write `fields:` instead)
      - key: id_number         # English identifier the code uses (unique in the schema)
        header: 身份证号         # Chinese header (table) or label (fields) the form prints
        synonyms: [身份证号码, 公民身份号码]   # (opt) other headers the reader accepts
        required: true         # (opt, default false) a value is needed; the form prints "身份证号*" in red
        type: id_number        # (opt, default text) see TYPES below
        values: [男, 女]        # enum: the allowed values (the form offers them and the aliases as a
                               # dropdown); text (opt): values the dropdown suggests, other text allowed
        aliases: {男性: 男}      # enum only (opt): other spellings the reader maps to a value
        choices: [男, 女]       # enum only (opt): the dropdown's entries (values and aliases), default values
        min: 0                 # int / number / percent (opt): smallest allowed value
        max: 100               # int / number / percent (opt): largest allowed value
        prompt: 18 位，末位可为 X # (opt) input prompt shown when the cell is selected (≤ 255 characters)
        example: 350123201909100011   # (opt) value of the example row / example in 填写说明
        width: 20              # (opt) column width in characters (Excel units); default from the header
        wrap: false            # (opt) wrap long text in the form's cells

Types (`TYPES`): text (any text), name (a person's name: inner spaces removed, "·" unified), int,
number, percent (``98.5%``, ``98.5`` or ``0.985`` → 0.985; a plain number above 1 is read as
percent), date (Excel dates, ``2020-09-10``, ``2020/9/10``, ``2020.9.10``, ``2020年9月10日``), id_number
(GB 11643 18-character 公民身份号码, check digit verified), phone (mobile or 区号-号码, several separated by
"/" or "、"), enum (one of `values`).

Headers are matched after removing spaces and the required mark "*", with full-width characters
folded to ASCII (``户籍所在村（社区）`` = ``户籍所在村(社区)``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from ..errors import InputError, Location, Problem, Problems
from ..files.resources import form_path
from ..support.yaml_load import safe_load
from .idcard import check_char

TYPES = ("text", "name", "int", "number", "percent", "date", "id_number", "phone", "enum")
LAYOUTS = ("table", "fields")
REQUIRED_MARK = "*"
_ITEM_KEYS = {
    "key", "header", "synonyms", "required", "type", "values", "aliases", "choices",
    "min", "max", "prompt", "example", "width", "wrap",
}  # fmt: skip
_SCHEMA_KEYS = {"name", "sheet", "layout", "title", "description", "columns", "fields"}
_KEY_SHAPE = re.compile(r"[a-z][a-z0-9_]*")
_BLANKS = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
EXAMPLE_YEAR = 2020  # the forms' examples, prompts and 填写说明 are written for the 学年 2020—2021
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")  # a year standing alone: 2020-10-09, 2020—2021, KC2020-001
_ID_BIRTH_YEAR = slice(6, 10)  # GB 11643: the birth year's digits in a 公民身份号码


def normalize_header(text: object) -> str:
    """A header as compared by the reader: NFKC-folded, no spaces, no trailing required mark."""
    folded = unicodedata.normalize("NFKC", str(text))
    return _BLANKS.sub("", folded).rstrip(REQUIRED_MARK)


@dataclass(frozen=True)
class Column:
    """One column (table layout) or one field (fields layout) of a form."""

    key: str
    header: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    type: str = "text"
    values: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)
    choices: tuple[str, ...] = ()  # the form's dropdown entries (enum: values and aliases); () = values
    min: float | None = None
    max: float | None = None
    prompt: str | None = None
    example: str | None = None
    width: float | None = None
    wrap: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """Header and synonyms, normalized as the reader compares them."""
        return tuple(dict.fromkeys(normalize_header(n) for n in (self.header, *self.synonyms)))

    @property
    def form_header(self) -> str:
        """The header the blank form prints: "姓名*" for a required column."""
        return self.header + REQUIRED_MARK if self.required else self.header


@dataclass(frozen=True)
class Schema:
    """A form: its name, sheet, layout, 填写说明 text and columns (or fields)."""

    name: str
    sheet: str
    layout: Literal["table", "fields"]
    title: str
    description: str
    columns: tuple[Column, ...]
    source: Path
    year_offset: int = 0  # years its examples were moved by from EXAMPLE_YEAR (`in_school_year`)

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    def header_lookup(self) -> dict[str, Column]:
        """Normalized header or synonym → column."""
        return {name: col for col in self.columns for name in col.names}

    def in_school_year(self, first_year: int) -> Schema:
        """This form with every year of its examples, prompts and 填写说明 moved from the 学年
        2020—2021 they are written for to the one starting in `first_year` (an example ID keeps a
        valid check digit), so a clerk's blank form speaks of her own year."""
        offset = first_year - EXAMPLE_YEAR - self.year_offset
        if offset == 0:
            return self
        columns = tuple(
            replace(col, prompt=None if col.prompt is None else shift_years(col.prompt, offset),
                    example=None if col.example is None else _shift_example(col, offset))
            for col in self.columns
        )  # fmt: skip
        return replace(self, description=shift_years(self.description, offset), columns=columns,
                       year_offset=self.year_offset + offset)


def shift_years(text: str, offset: int) -> str:
    """`text` with every standalone year (19xx/20xx) moved by `offset` years."""
    return _YEAR.sub(lambda m: str(int(m.group()) + offset), text)


def _shift_example(col: Column, offset: int) -> str:
    example = str(col.example)
    if col.type != "id_number" or not example[:17].isdigit():
        return shift_years(example, offset)
    first17 = example[:6] + str(int(example[_ID_BIRTH_YEAR]) + offset) + example[10:17]
    return first17 + check_char(first17)


def yearless(col: Column, value: Any) -> Any:
    """`value` with its years left out, to recognise the blank form's example row whatever 学年 the
    form was written for (`Schema.in_school_year`)."""
    if col.type == "id_number" and isinstance(value, str) and len(value) == 18:
        return value[:6] + value[10:17]
    if col.type == "date" and hasattr(value, "month"):
        return value.month, value.day
    return _YEAR.sub("", value) if isinstance(value, str) else value


def load_schema(name_or_path: str | Path) -> Schema:
    """Load a schema by name (``"学生名册"`` → ``forms/学生名册.yaml``) or from a path."""
    path = Path(name_or_path)
    if path.suffix.lower() not in (".yaml", ".yml"):
        path = form_path(f"{name_or_path}.yaml")
    return _load(path.resolve())


def available_schemas() -> list[Schema]:
    """Every schema in ``forms/``, sorted by file name."""
    return [_load(p.resolve()) for p in sorted(form_path().glob("*.yaml"))]


@cache
def _load(path: Path) -> Schema:
    problems = Problems()
    where = Location(path.name)
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError([Problem(where, f"无法读取表格定义：{exc.strerror}")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise InputError([Problem(Location(path.name, line=line), "YAML 格式错误")]) from None
    if not isinstance(data, dict):
        raise InputError([Problem(where, "表格定义应为键值对（name、sheet、columns…）")])
    for unknown in sorted(set(data) - _SCHEMA_KEYS):
        problems.error(Location(path.name, column=str(unknown)), "未知的设置项")
    layout = data.get("layout", "table")
    if layout not in LAYOUTS:
        problems.error(Location(path.name, column="layout"), "应为 table 或 fields", layout)
    items_key = "fields" if layout == "fields" else "columns"
    items = data.get(items_key)
    if not isinstance(items, list) or not items:
        problems.error(Location(path.name, column=items_key), "应列出至少一项")
        items = []
    name = str(data.get("name") or path.stem)
    columns = tuple(_column(path, i, item, problems) for i, item in enumerate(items, start=1))
    _check_unique(path, columns, problems)
    problems.raise_if_errors()
    return Schema(
        name=name,
        sheet=str(data.get("sheet") or name),
        layout=layout,
        title=str(data.get("title") or name),
        description=str(data.get("description") or "").strip(),
        columns=columns,
        source=path,
    )


def _column(path: Path, index: int, item: Any, problems: Problems) -> Column:
    where = Location(path.name, column=f"第 {index} 项")
    if not isinstance(item, dict):
        problems.error(where, "应为键值对（key、header…）")
        return Column(key=f"item{index}", header=f"第{index}项")
    for unknown in sorted(set(item) - _ITEM_KEYS):
        problems.error(where, f"未知的设置项 {unknown}")
    key = str(item.get("key", ""))
    header = str(item.get("header", "")).strip()
    if not _KEY_SHAPE.fullmatch(key):
        problems.error(where, "key 应为小写英文标识符（如 id_number）", key)
    if not header:
        problems.error(where, "缺少 header（中文表头）")
    col_type = str(item.get("type", "text"))
    if col_type not in TYPES:
        problems.error(where, f"type 应为 {'、'.join(TYPES)} 之一", col_type)
    values = tuple(str(v) for v in item.get("values") or ())
    aliases = {str(k): str(v) for k, v in (item.get("aliases") or {}).items()}
    if values and col_type not in ("enum", "text"):
        problems.error(where, "values 只用于 enum 和 text 类型")
    if col_type == "enum" and not values:
        problems.error(where, "enum 类型须列出 values")
    for alias, target in aliases.items():
        if target not in values:
            problems.error(where, f"aliases 中 {alias} 对应的 {target} 不在 values 中")
    choices = tuple(str(v) for v in item.get("choices") or ())
    for choice in choices:
        if choice not in values and choice not in aliases:
            problems.error(where, f"choices 中的 {choice} 既不在 values 也不在 aliases 中")
    prompt = item.get("prompt")
    if prompt is not None and len(str(prompt)) > 255:
        problems.error(where, "prompt 不能超过 255 个字符（Excel 输入提示的上限）")
    example = item.get("example")
    return Column(
        key=key,
        header=header or f"第{index}项",
        synonyms=tuple(str(s) for s in item.get("synonyms") or ()),
        required=bool(item.get("required", False)),
        type=col_type,
        values=values,
        aliases=aliases,
        choices=choices,
        min=_number_or_none(item.get("min"), where, problems),
        max=_number_or_none(item.get("max"), where, problems),
        prompt=None if prompt is None else str(prompt).strip(),
        example=None if example is None else str(example),
        width=_number_or_none(item.get("width"), where, problems),
        wrap=bool(item.get("wrap", False)),
    )


def _check_unique(path: Path, columns: tuple[Column, ...], problems: Problems) -> None:
    keys: set[str] = set()
    owners: dict[str, str] = {}
    for col in columns:
        if col.key in keys:
            problems.error(Location(path.name, column=col.header), "key 重复", col.key)
        keys.add(col.key)
        for name in col.names:
            if name in owners and owners[name] != col.key:
                problems.error(
                    Location(path.name, column=col.header), f"表头或同义词与 {owners[name]} 重复", name
                )
            owners[name] = col.key


def _number_or_none(value: object, where: Location, problems: Problems) -> float | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    problems.error(where, "min、max、width 应为数字", value)
    return None
