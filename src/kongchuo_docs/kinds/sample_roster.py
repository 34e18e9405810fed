"""Synthetic student rosters (学生名册) for demos, tests and benchmarks: ``kongchuo-docs sample-roster``.

Deterministic for a seed, school year and place set. Every row is valid (IDs with the county's area
code and correct MOD 11-2 check digit, ages that fit the grade on 31 August of the school year) unless it is one of
the `invalid` rows, each broken in exactly one way (a pair sharing an ID counts as two). Valid rows
carry the harmless untidiness real rosters have (a lower-case x, stray spaces, dates typed as text),
which the reader cleans. Word lists are data: ``templates/sample_data/names.yaml`` and ``roster.yaml``;
the places (乡镇, 村, 学校) come from the 单位设置 profile (`profile_places`) or, for demos and tests,
from ``samples/roster/places.yaml`` (`sample_places`).
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .. import console
from ..errors import KongchuoError, OutputExistsError
from ..files.resources import sample_path, template_path
from ..profile import Profile, load_profile
from ..readers.idcard import check_char, make_id
from ..readers.roster import FIRST_GRADE_AGE, GRADES, SCHOOL_YEAR_CUTOFF, school_year_reference
from ..support.yaml_load import safe_load
from ..writers.xlsx_save import save_workbook

SHEET = "学生名册"
HEADERS = (
    "序号", "姓名", "性别", "出生日期", "身份证号码", "户籍所在乡镇", "户籍所在村(社区)", "户籍地址",
    "现住址", "监护人姓名", "与学生关系", "联系电话", "入读学校", "年级", "班级", "备注",
)  # fmt: skip
COLUMN_WIDTHS = (6, 14, 6, 12, 21, 12, 14, 32, 32, 14, 10, 14, 20, 8, 6, 10)  # characters
DATE_FORMAT = "yyyy-mm-dd"
# Shares of valid rows given harmless untidiness the reader must clean.
UNTIDY_SHARE = 0.03
RARE_NAME_SHARE = 0.02
MINORITY_SHARE = 0.015
OLDER_SHARES = (0.85, 0.12, 0.03)  # usual age, one year older (enrolled at 7), two years (延缓入学)
DUPLICATE_PAIR_EVERY = 10  # one ID-sharing pair per 10 invalid rows
INVALID_KINDS = (
    "bad_check_digit", "gender_mismatch", "missing_name", "birth_date_mismatch", "bad_id_date",
    "wrong_id_length", "age_grade", "missing_school", "bad_phone", "bad_date_text",
)  # fmt: skip


@dataclass
class SampleRow:
    """One generated child, as written to the sheet."""

    values: dict[str, Any]
    defect: str | None = None


@dataclass(frozen=True)
class _Words:
    """The word lists of ``templates/sample_data``."""

    names: dict[str, Any]
    common: dict[str, Any]  # grades, guardian relations, mobile prefixes


@dataclass(frozen=True)
class Places:
    """Where the children live and go to school."""

    county: str  # the address prefix, e.g. 福建省某某县
    area_code: str  # 6 digits, the ID numbers' address code
    townships: dict[str, dict[str, Any]]  # name → weight, villages, primary, junior (schools), surname_weights


@cache
def _words() -> _Words:
    def load(name: str) -> dict[str, Any]:
        return safe_load(template_path("sample_data", name).read_text(encoding="utf-8"))

    return _Words(load("names.yaml"), load("roster.yaml"))


@cache
def sample_places() -> Places:
    """The demo county's places (samples/roster/places.yaml)."""
    data = safe_load(sample_path("roster", "places.yaml").read_text(encoding="utf-8"))
    return Places(data["county"], str(data["area_code"]), data["townships"])


def profile_places(profile: Profile) -> Places:
    """The profile's 乡镇 and 学校: a school whose name has 中学 teaches 七年级, any other 一年级; a
    township without a school of a kind (or a school without a 乡镇) shares the county's. Villages are
    made from the township's name (大桥镇 → 大桥村, 大桥社区). KongchuoError when it lists no school."""
    if not profile.schools:
        raise KongchuoError("单位设置中没有“学校”列表，无法生成样例名册：请填写“乡镇”和“学校”")
    names = [t.name for t in profile.townships] or sorted({s.township for s in profile.schools if s.township})
    names = names or [profile.county]

    def schools(township: str | None, junior: bool) -> list[str]:
        return [s.name for s in profile.schools
                if ("中学" in s.name) == junior and (township is None or s.township == township)]

    townships = {}
    for name in names:
        stem = name.removesuffix("街道").rstrip("镇乡") or name
        primary, junior = schools(name, False) or schools(None, False), schools(name, True) or schools(None, True)
        townships[name] = {"weight": 1, "villages": [f"{stem}村", f"{stem}社区"],
                           "primary": primary or junior, "junior": junior or primary}
    return Places(f"{profile.province}{profile.city}{profile.county}", profile.area_code, townships)


def generate_rows(rows: int, *, invalid: int = 0, seed: int = 1, year: int | None = None,
                  places: Places | None = None, grade: str | None = None) -> list[SampleRow]:
    """`rows` children for the school year starting in `year` (default: this year), `invalid` broken,
    living in `places` (default: the demo county of samples/), all in `grade` when given (else of
    every grade), each of that grade's age in that year."""
    if not 0 <= invalid <= rows:
        raise ValueError("invalid must be between 0 and rows")
    rng = random.Random(seed)
    reference = school_year_reference(year)
    maker = _RowMaker(rng, reference, _words(), places or sample_places())
    result = [SampleRow(maker.child(grade)) for _ in range(rows)]
    _break_rows(rng, result, invalid, maker)
    for number, row in enumerate(result, start=1):
        row.values["序号"] = number
        if row.defect is None and rng.random() < UNTIDY_SHARE:
            _untidy(rng, row.values)
    return result


def write_sample_roster(target: Path, rows: list[SampleRow], *, year: int | None = None,
                        county: str | None = None) -> None:
    """Write `rows` as a 学生名册 workbook (title row 1, header row 2) with openpyxl write-only mode;
    the title names `county` (default: the demo county of samples/)."""
    reference = school_year_reference(year)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    for index, width in enumerate(COLUMN_WIDTHS):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A3"
    county = sample_places().county if county is None else county
    title = WriteOnlyCell(sheet, f"{county}{reference.year}年秋季学期学生名册（合成样例数据）")
    title.font = Font(bold=True, size=14)
    sheet.append([title])
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append([_cell(sheet, row.values.get(header)) for header in HEADERS])
    save_workbook(workbook, target)


def write_sample_file(
    target: Path, *, rows: int, invalid: int = 0, seed: int = 1, year: int | None = None,
    settings: Path | None = None, force: bool = False,
) -> None:
    """The ``sample-roster`` command: generate and write one roster file (places and default year from
    the 单位设置 profile `settings`, explicit or found), refusing to overwrite unless
    `force`. Written to a temporary name first, so a failed run leaves no half-written file. No manifest:
    a sample roster is an input, not a document."""
    if target.suffix.lower() != ".xlsx":
        raise KongchuoError(f"输出文件应以 .xlsx 结尾：{target}")
    if rows < 1 or not 0 <= invalid <= rows:
        raise KongchuoError(f"--rows 应至少为 1，--invalid 应在 0 到 --rows 之间（现为 {rows}、{invalid}）")
    if target.exists() and not force:
        raise OutputExistsError(f"输出文件已存在：{target}（如需覆盖，请加 --force）")
    places, year = _places_and_year(settings, year)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.partial")
    try:
        generated = generate_rows(rows, invalid=invalid, seed=seed, year=year, places=places)
        write_sample_roster(staging, generated, year=year, county=places.county)
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)


def _places_and_year(settings: Path | None, year: int | None) -> tuple[Places, int | None]:
    """The places and school year of the ``sample-roster`` command: the 单位设置 profile's (explicit
    or found), else the demo county's (said on the terminal)."""
    profile = load_profile(settings, required=False)
    if profile is None or not profile.schools:
        console.info("未找到单位设置或其中没有学校，使用内置的演示地名（samples/roster/places.yaml）。")
        return sample_places(), year
    return profile_places(profile), year or profile.first_year


def _cell(sheet: Any, value: object) -> object:
    """Dates become date cells shown as 2019-09-10; everything else is written as it is."""
    if not isinstance(value, date):
        return value
    cell = WriteOnlyCell(sheet, value)
    cell.number_format = DATE_FORMAT
    return cell


class _RowMaker:
    """Draws one plausible child after another; remembers IDs so none repeats by chance."""

    def __init__(self, rng: random.Random, reference: date, words: _Words, places: Places):
        self.rng = rng
        self.reference = reference
        self.words = words
        self.places = places
        common = words.common
        self.area_code = places.area_code
        self.county = places.county
        self.townships = list(places.townships)
        self.township_weights = [t["weight"] for t in places.townships.values()]
        self.grades = list(common["grades"])
        self.grade_weights = [g["weight"] for g in common["grades"].values()]
        self.relations = list(common["relations"])
        self.relation_weights = [r["weight"] for r in common["relations"].values()]
        self.surnames = list(words.names["surnames"])
        base = [float(w) for w in words.names["surnames"].values()]
        self.county_surname_weights = base
        self.surname_weights = {
            name: [w + town.get("surname_weights", {}).get(s, 0) for s, w in zip(self.surnames, base, strict=True)]
            for name, town in places.townships.items()
        }  # township → weights, raised where a surname is common (畲族 surnames in 霍口畲族乡)
        self.used_ids: set[str] = set()

    def child(self, grade: str | None = None) -> dict[str, Any]:
        rng = self.rng
        township = rng.choices(self.townships, self.township_weights)[0]
        town = self.places.townships[township]
        grade = grade or rng.choices(self.grades, self.grade_weights)[0]
        male = rng.random() < 0.52
        birth = self.birth_date(grade)
        number = self.new_id(birth, male)
        name, surname, minority = self.child_name(township, male)
        relation = rng.choices(self.relations, self.relation_weights)[0]
        village = rng.choice(town["villages"])
        address = f"{self.county}{township}{village}{rng.randint(1, 199)}号"
        current = address if rng.random() < 0.8 else self.other_address()
        school_list = town["primary"] if GRADES.index(grade) < 6 else town["junior"]
        classes = self.words.common["grades"][grade]["classes"]
        return {
            "姓名": name,
            "性别": "男" if male else "女",
            "出生日期": birth,
            "身份证号码": number,
            "户籍所在乡镇": township,
            "户籍所在村(社区)": village,
            "户籍地址": address,
            "现住址": current,
            "监护人姓名": self.guardian_name(surname, relation, minority),
            "与学生关系": relation,
            "联系电话": self.phone(),
            "入读学校": rng.choice(school_list),
            "年级": grade,
            "班级": f"{rng.randint(1, classes)}班",
            "备注": "",
        }

    def birth_date(self, grade: str, extra_years: int | None = None) -> date:
        """A birthday making the child the usual age for `grade` (plus `extra_years`) on 31 August."""
        rng = self.rng
        if extra_years is None:
            extra_years = rng.choices(range(len(OLDER_SHARES)), OLDER_SHARES)[0]
        age = FIRST_GRADE_AGE + GRADES.index(grade) + extra_years
        month, day = SCHOOL_YEAR_CUTOFF
        latest = date(self.reference.year - age, month, day)  # turns `age` on the cutoff day
        earliest = date(latest.year - 1, month, day) + timedelta(days=1)
        return earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))

    def new_id(self, birth: date, male: bool) -> str:
        while True:
            sequence = self.rng.randrange(500) * 2 + (1 if male else 0)
            number = make_id(self.area_code, birth, sequence)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def child_name(self, township: str, male: bool) -> tuple[str, str, bool]:
        """(full name, surname, is a minority name written with "·")."""
        rng = self.rng
        names = self.words.names
        if rng.random() < MINORITY_SHARE:
            pool = names["minority_children_male" if male else "minority_children_female"]
            return rng.choice(pool), "", True
        surname = self.surname(township)
        given_pool = names["given_male" if male else "given_female"]
        given = "".join(rng.choice(given_pool) for _ in range(rng.choice((1, 2, 2, 2))))
        if rng.random() < RARE_NAME_SHARE:
            given = given[:-1] + rng.choice(names["rare_given"])
        return surname + given, surname, False

    def surname(self, township: str | None) -> str:
        """A surname as common in `township` (None: the county as a whole)."""
        weights = self.county_surname_weights if township is None else self.surname_weights[township]
        return self.rng.choices(self.surnames, weights)[0]

    def guardian_name(self, child_surname: str, relation: str, minority: bool) -> str:
        rng = self.rng
        names = self.words.names
        info = self.words.common["relations"][relation]
        if minority:
            pool = names["minority_guardians_male" if info["male"] else "minority_guardians_female"]
            return rng.choice(pool)
        surname = child_surname if info["same_surname"] else self.surname(None)
        pool = names["given_male" if info["male"] else "given_female"]
        return surname + "".join(rng.choice(pool) for _ in range(2))

    def phone(self) -> str:
        prefix = self.rng.choice(self.words.common["mobile_prefixes"])
        return f"{prefix}{self.rng.randrange(10**8):08d}"

    def other_address(self) -> str:
        township = self.rng.choice(self.townships)
        village = self.rng.choice(self.places.townships[township]["villages"])
        return f"{self.county}{township}{village}{self.rng.randint(1, 199)}号"


def _break_rows(rng: random.Random, rows: list[SampleRow], invalid: int, maker: _RowMaker) -> None:
    """Break `invalid` rows, each in one way; ID-sharing pairs count as two broken rows."""
    chosen = rng.sample(range(len(rows)), invalid)
    pairs = invalid // DUPLICATE_PAIR_EVERY
    for first, second in zip(chosen[0 : 2 * pairs : 2], chosen[1 : 2 * pairs : 2], strict=True):
        _share_id(rows[first], rows[second])
    for order, index in enumerate(chosen[2 * pairs :]):
        kind = INVALID_KINDS[order % len(INVALID_KINDS)]
        rows[index].defect = kind
        _BREAKERS[kind](rng, rows[index].values, maker)


def _share_id(original: SampleRow, copy: SampleRow) -> None:
    """The copy takes the original's identity fields, so the shared ID is its only problem."""
    for key in ("身份证号码", "性别", "出生日期", "年级", "入读学校"):
        copy.values[key] = original.values[key]
    original.defect = copy.defect = "duplicate_id"


def _bad_check_digit(rng: random.Random, values: dict[str, Any], maker: _RowMaker) -> None:
    number = values["身份证号码"]
    wrong = rng.choice([c for c in "0123456789X" if c != number[17]])
    values["身份证号码"] = number[:17] + wrong


def _gender_mismatch(rng: random.Random, values: dict[str, Any], maker: _RowMaker) -> None:
    values["性别"] = "女" if values["性别"] == "男" else "男"


def _missing_name(rng: random.Random, values: dict[str, Any], maker: _RowMaker) -> None:
    values["姓名"] = ""


def _birth_date_mismatch(rng: random.Random, values: dict[str, Any], maker: _RowMaker) -> None:
    values["出生日期"] = values["出生日期"] + timedelta(days=rng.randint(1, 20))


def _bad_id_date(rng: random.Random, values: dict[str, Any], maker: _RowMaker) -> None:
    """Month 13 in the ID's birth date, check digit recomputed so the date is the only fault."""
    number = values["身份证号码"]
    first17 = number[:10] + "13" + number[12:17]
    values["身份证号码"] = first17 + check_char(first17)


def _wrong_id_length(rng: random.Random, values: dict[str, Any], maker: _RowMaker) -> None:
    values["身份证号码"] = values["身份证号码"][:17]


def _age_grade(rng: random.Random, values: dict[str, Any], maker: _RowMaker) -> None:
    """A child three years too young for its grade; ID and birth date agree with each other."""
    birth = maker.birth_date(values["年级"], extra_years=-3)
    values["出生日期"] = birth
    values["身份证号码"] = maker.new_id(birth, values["性别"] == "男")


def _missing_school(rng: random.Random, values: dict[str, Any], maker: _RowMaker) -> None:
    values["入读学校"] = ""


def _bad_phone(rng: random.Random, values: dict[str, Any], maker: _RowMaker) -> None:
    values["联系电话"] = values["联系电话"][:10]  # a digit missing


def _bad_date_text(rng: random.Random, values: dict[str, Any], maker: _RowMaker) -> None:
    values["出生日期"] = f"{values['出生日期'].year}-02-30"


_BREAKERS = {
    "bad_check_digit": _bad_check_digit,
    "gender_mismatch": _gender_mismatch,
    "missing_name": _missing_name,
    "birth_date_mismatch": _birth_date_mismatch,
    "bad_id_date": _bad_id_date,
    "wrong_id_length": _wrong_id_length,
    "age_grade": _age_grade,
    "missing_school": _missing_school,
    "bad_phone": _bad_phone,
    "bad_date_text": _bad_date_text,
}


def _untidy(rng: random.Random, values: dict[str, Any]) -> None:
    """One harmless flaw of hand-typed data: lower-case x, stray spaces, a date typed as text."""
    flaw = rng.randrange(4)
    if flaw == 0 and values["身份证号码"].endswith("X"):
        values["身份证号码"] = values["身份证号码"][:17] + "x"
    elif flaw == 1:
        values["姓名"] = f" {values['姓名']}\u3000"
    elif flaw == 2:
        born = values["出生日期"]
        values["出生日期"] = f"{born.year}年{born.month}月{born.day}日"
    else:
        values["联系电话"] = values["联系电话"][:3] + " " + values["联系电话"][3:]
