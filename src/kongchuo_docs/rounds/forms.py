"""The forms a round collects, the task input that reads each (its suffixes, its blank form) and the
units of the 单位设置 expected to send it by default. No SQLAlchemy here: the command line and the
pages name the forms when they load."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..declare import InputFile
from ..declare.catalog import COMPILE, REGISTER_MERGE

if TYPE_CHECKING:
    from ..profile import Profile

FORM_SELF_CHECK = "自查表"
FORM_REGISTER = "问题线索登记表"
ROUND_FORMS = (FORM_SELF_CHECK, FORM_REGISTER)
FORM_INPUTS: dict[str, InputFile] = {FORM_SELF_CHECK: COMPILE.inputs[0], FORM_REGISTER: REGISTER_MERGE.inputs[0]}
# who fills each form (documents.md: every 乡镇 and 学校 writes a 自查表 and sends the 登记表)
FORM_ROLES: dict[str, tuple[str, ...]] = {FORM_SELF_CHECK: ("乡镇", "学校"), FORM_REGISTER: ("乡镇", "学校")}


def profile_units(profile: Profile, form: str) -> list[str]:
    """The 单位设置's 乡镇 then 学校 that fill `form`, in the 单位设置's order (the default expected units)."""
    roles = FORM_ROLES[form]
    townships = [t.name for t in profile.townships] if "乡镇" in roles else []
    schools = [s.name for s in profile.schools] if "学校" in roles else []
    return list(dict.fromkeys([*townships, *schools]))
