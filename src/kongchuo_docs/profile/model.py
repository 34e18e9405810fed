"""The 单位设置 profile as a frozen pydantic model: English attributes, Chinese keys (aliases).

Every county-, school- or year-specific word the documents print comes from here or from the
input. Values are checked where they are declared (a 6-digit 行政区划代码, a 学年 of two
consecutive years, dates that exist); `profile.load` turns the errors into located messages.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, create_model

from ..errors import Problem
from ..support.normalize import NormalizeError, normalize_doc_number, parse_date
from ..wording.letter_settings import LIST_SEPARATORS, coerce_setting, default_values, setting_keys

PROFILE_NAME = "单位设置.yaml"
TODAY = "今天"  # the 成文日期 rule "date of the run"
DEFAULT_AGE_CUTOFF = "8月31日"  # 义务教育法 第十一条: six full years old by 31 August of the intake year

_SCHOOL_YEAR = re.compile(r"(\d{4})\s*[—–\-－~～至到]+\s*(\d{4})(?:学年度?)?")
_DIGITS = re.compile(r"\d+")
_NUMBER_CODE = re.compile(r"[\u4e00-\u9fffA-Za-z]{1,12}")


def _text(value: object) -> object:
    """Strip text; a number typed in a workbook cell becomes its digits (350123.0 → 350123)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) else value


def _required(value: str) -> str:
    if not value:
        raise ValueError("必填，不能为空")
    return value


def _area_code(value: str) -> str:
    if not re.fullmatch(r"\d{6}", value):
        raise ValueError(f"行政区划代码应为 6 位数字（GB/T 2260），现为 {len(value)} 个字符")
    return value


def _digits(value: str) -> str:
    if value and not _DIGITS.fullmatch(value):
        raise ValueError("代码应只含数字")
    return value


def _number_code(value: str) -> str:
    if value and not _NUMBER_CODE.fullmatch(value):
        raise ValueError("文号代字只写机关代字，如 某教综（不含〔年份〕和序号）")
    return value


def _bool(value: object) -> object:
    return None if value is None or value == "" else coerce_setting(value, True)


def _date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return parse_date(value)
    except NormalizeError as exc:
        raise ValueError(str(exc)) from None


def _date_rule(value: object) -> dt.date | str:
    if isinstance(value, str) and value.strip() in ("", TODAY):
        return TODAY
    date = _date(value)
    assert date is not None
    return date


def normal_school_year(value: str) -> str:
    """学年 as 2026—2027 from 2026-2027, 2026至2027…; ValueError (Chinese) unless two consecutive years."""
    m = _SCHOOL_YEAR.fullmatch(value)
    if not m:
        raise ValueError("学年应写作 2026—2027（两个四位年份，中间用一字线）")
    first, second = int(m[1]), int(m[2])
    if second != first + 1:
        raise ValueError(f"学年的后一年应比前一年大 1，如 {first}—{first + 1}")
    return f"{first}—{second}"


def _doc_number(value: str) -> str:
    if not value:
        return value
    try:
        return normalize_doc_number(value)[0]
    except NormalizeError as exc:
        raise ValueError(str(exc)) from None


def _month_day(value: object) -> str:
    """A cut-off day of the year as "M月D日" from 8月31日, 8-31, 08/31."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.date):  # Excel turns a typed 8月31日 into a date of the current year
        return f"{value.month}月{value.day}日"
    text = str(value).strip()
    m = re.fullmatch(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    try:
        date = dt.date(2001, int(m[1]), int(m[2])) if m else None  # 2001: 2月29日 does not exist every year
    except ValueError:
        date = None
    if date is None:
        raise ValueError("应写作 月日，如 8月31日（每年都有的日期）")
    return f"{date.month}月{date.day}日"


def _place_list(value: object) -> object:
    """乡镇/学校 may also be names only: "大桥镇、城东街道" or a list of names."""
    if isinstance(value, str):
        value = [name for name in LIST_SEPARATORS.split(value) if name.strip()]
    if isinstance(value, list):
        return [{"名称": item} if isinstance(item, str) else item for item in value]
    return value


def _number_codes(value: object) -> object:
    """文号代字 may be one 代字 for every kind."""
    return {"通知": value} if isinstance(value, str) and value.strip() else value


Text = Annotated[str, BeforeValidator(_text)]
RequiredText = Annotated[str, BeforeValidator(_text), AfterValidator(_required)]
Code = Annotated[str, BeforeValidator(_text), AfterValidator(_digits)]
AreaCode = Annotated[str, BeforeValidator(_text), AfterValidator(_required), AfterValidator(_area_code)]
SchoolYear = Annotated[str, BeforeValidator(_text), AfterValidator(_required), AfterValidator(normal_school_year)]
OptionalBool = Annotated[bool | None, BeforeValidator(_bool)]
OptionalDate = Annotated[dt.date | None, BeforeValidator(_date)]
_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Township(BaseModel):
    """A 乡镇 of the county and its code (统计用区划代码, optional)."""

    model_config = _FROZEN
    name: RequiredText = Field(alias="名称")
    code: Code = Field("", alias="代码")


class School(BaseModel):
    """A school, its 学校标识码 (optional) and the 乡镇 it lies in (optional)."""

    model_config = _FROZEN
    name: RequiredText = Field(alias="名称")
    code: Code = Field("", alias="代码")
    township: Text = Field("", alias="乡镇")


class PlanRef(BaseModel):
    """The county's 实施方案 that 自查报告 and 整改通知 cite: its title and 文号."""

    model_config = _FROZEN
    title: Annotated[str, BeforeValidator(_text), AfterValidator(lambda t: t.strip("《》"))] = Field(
        "", alias="标题")
    number: Annotated[str, BeforeValidator(_text), AfterValidator(_doc_number)] = Field("", alias="文号")


NumberCode = Annotated[str, BeforeValidator(_text), AfterValidator(_number_code)]


class NumberCodes(BaseModel):
    """机关代字 per kind of document; `Profile.number_code` falls back to 通知."""

    model_config = _FROZEN
    通知: NumberCode = ""
    督导: NumberCode = ""
    整改: NumberCode = ""
    自查: NumberCode = ""
    总结: NumberCode = ""


# letter settings that live at the top of the profile, not in its 通知书 section
TOP_LEVEL_LETTER_KEYS: dict[str, str] = {
    "学年": "school_year", "成文日期": "date_rule", "双面打印": "duplex", "报到日期": "report_date",
    "报到时间": "report_time", "咨询电话": "phone", "省级处罚条款": "penalty_clause",
}
EMPTY_IS_A_VALUE = frozenset({"报到时间"})
"""Top-level letter keys whose value written empty means "print none", not "use the default"."""


def _letter_section_model() -> type[BaseModel]:
    """A model of the 通知书 section: every key of templates/letters/settings.yaml but the lifted ones,
    each typed like its default there (yes/no, whole number, date, list, text); unset keys are None."""
    defaults = default_values(first_year=2000)  # only the types matter here
    fields: dict[str, Any] = {}
    for key in sorted(setting_keys() - TOP_LEVEL_LETTER_KEYS.keys()):
        default = defaults[key]

        def coerce(value: object, default: object = default) -> object:
            blank = value is None or (value == "" and not isinstance(default, str))
            return None if blank else coerce_setting(value, default)

        fields[key] = (Annotated[Any, BeforeValidator(coerce)], None)
    return create_model("LetterSection", __config__=_FROZEN, **fields)


LetterSection = _letter_section_model()


class Profile(BaseModel):
    """One county's 单位设置. Attributes in English; the YAML/Excel keys are the Chinese aliases."""

    model_config = _FROZEN

    province: RequiredText = Field(alias="省")
    city: Text = Field("", alias="市")
    county: RequiredText = Field(alias="县")
    area_code: AreaCode = Field(alias="行政区划代码")
    bureau: RequiredText = Field(alias="教育局")
    office_name: Text = Field("", alias="办公室")
    leading_group_name: Text = Field("", alias="领导小组")
    number_codes: Annotated[NumberCodes, BeforeValidator(_number_codes)] = Field(NumberCodes(), alias="文号代字")
    plan: PlanRef | None = Field(None, alias="实施方案")
    school_year: SchoolYear = Field(alias="学年")
    report_date: OptionalDate = Field(None, alias="报到日期")
    report_time: Text = Field("", alias="报到时间")
    phone: Text = Field("", alias="咨询电话")
    date_rule: Annotated[dt.date | Literal["今天"], BeforeValidator(_date_rule)] = Field(TODAY, alias="成文日期")
    duplex: OptionalBool = Field(None, alias="双面打印")
    penalty_clause: Text = Field("", alias="省级处罚条款")
    age_cutoff: Annotated[str, BeforeValidator(_month_day)] = Field("", alias="入学年龄截止日")
    townships: Annotated[tuple[Township, ...], BeforeValidator(_place_list)] = Field((), alias="乡镇")
    schools: Annotated[tuple[School, ...], BeforeValidator(_place_list)] = Field((), alias="学校")
    templates_dir: Text = Field("", alias="模板目录")
    password: Text = Field("", alias="访问密码")
    letters: LetterSection = Field(LetterSection(), alias="通知书")  # type: ignore[valid-type]

    _source: Path | None = PrivateAttr(None)
    _warnings: tuple[Problem, ...] = PrivateAttr(())

    # ------------------------------------------------------------------ derived values

    @property
    def source(self) -> Path | None:
        """The file the profile was read from (None when built in code)."""
        return self._source

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Warnings found while reading the profile (to print, never fatal)."""
        return self._warnings

    @property
    def office(self) -> str:
        """印发机关: as written, else 教育局 + 办公室."""
        return self.office_name or f"{self.bureau}办公室"

    @property
    def leading_group(self) -> str:
        """控辍保学工作领导小组: as written, else 县 + 控辍保学工作领导小组."""
        return self.leading_group_name or f"{self.county}控辍保学工作领导小组"

    @property
    def first_year(self) -> int:
        """The first year of the 学年 (2026 for 2026—2027)."""
        return int(self.school_year[:4])

    @property
    def templates_path(self) -> Path | None:
        """模板目录 resolved against the profile's folder; None when not set."""
        if not self.templates_dir:
            return None
        base = self._source.parent if self._source is not None else Path.cwd()
        return (base / self.templates_dir).resolve()

    def age_reference(self, school_year: str | None = None) -> dt.date:
        """The day the age of a 学年's pupils is taken on: 入学年龄截止日 (default 8月31日, 义务教育法
        art. 11: six full years by 31 August) in the first year of `school_year` (default the profile's)."""
        month, day = (int(n) for n in re.findall(r"\d+", self.age_cutoff or DEFAULT_AGE_CUTOFF))
        return dt.date(int((school_year or self.school_year)[:4]), month, day)

    def number_code(self, kind: str) -> str:
        """The 机关代字 for `kind` (通知, 督导, 整改, 自查, 总结), else the 通知 one, else ""."""
        return getattr(self.number_codes, kind, "") or self.number_codes.通知

    def issue_date(self, today: dt.date | None = None) -> dt.date:
        """The 成文日期 the rule gives: the fixed date, or `today` (default: the real today)."""
        if isinstance(self.date_rule, dt.date):
            return self.date_rule
        return today or dt.date.today()

    def letter_settings(self) -> dict[str, object]:
        """The letter settings this profile sets (top-level keys and the 通知书 section), by Chinese
        key; a 成文日期 rule of 今天 gives today's date."""
        values: dict[str, object] = {}
        for key, attr in TOP_LEVEL_LETTER_KEYS.items():
            value = getattr(self, attr)
            if key == "成文日期" and value == TODAY:
                value = dt.date.today()
            if value not in (None, "") or (key in EMPTY_IS_A_VALUE and attr in self.model_fields_set):
                values[key] = value
        values.update({k: v for k, v in self.letters.model_dump().items() if v is not None})
        return values
