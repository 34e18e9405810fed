"""`profile.scope.RowScope`, the one scope every page task takes its account's rows through: a unit's
name as people write it (县 before, 人民政府 after, spaces, full-width letters), what `split` keeps and
counts, and what the message says."""

from __future__ import annotations

import pytest

from kongchuo_docs.errors import Location
from kongchuo_docs.profile.scope import RowScope

TOWN = RowScope("凤山镇", frozenset({"罗源县实验小学", "凤山中心小学"}), "罗源县")
SCHOOL = RowScope("凤山中心小学", frozenset({"凤山中心小学"}), "罗源县")


@pytest.mark.parametrize(("name", "owned"), [
    ("凤山镇", True), ("罗源县凤山镇人民政府", True), ("凤山镇人民政府", True), (" 凤山镇 ", True),
    ("罗源县实验小学", True), ("实验小学", True), ("罗源县 实验小学", True), ("凤山中心小学", True),
    ("罗源县凤山中心小学", True), ("松山镇", False), ("罗源县教育局", False), ("罗源县", False), ("", False),
    ("凤山镇中心小学", False), ("人民政府", False),
])  # fmt: skip
def test_a_township_owns_itself_and_its_schools_however_written(name: str, owned: bool) -> None:
    assert TOWN.owns(name) is owned


def test_a_school_owns_only_itself() -> None:
    assert SCHOOL.owns("罗源县凤山中心小学") and not SCHOOL.owns("凤山镇") and not SCHOOL.owns("罗源县实验小学")


def test_split_keeps_its_rows_in_order_and_counts_the_others_by_unit() -> None:
    rows = [("甲", "罗源县教育局"), ("乙", "凤山中心小学"), ("丙", "松山镇"), ("丁", "罗源县凤山镇人民政府"),
            ("戊", "")]
    own, foreign = TOWN.split(rows, lambda r: r[1], lambda r: Location("名单.xlsx", "名单", f"C{ord(r[0])}"))
    assert [r[0] for r in own] == ["乙", "丁"]
    assert foreign is not None and foreign.count == 3
    assert foreign.first == Location("名单.xlsx", "名单", f"C{ord('甲')}")
    assert foreign.units == {"罗源县教育局": 1, "松山镇": 1, "": 1}
    assert SCHOOL.split(rows[1:2], lambda r: r[1], lambda r: Location("x")) == ([rows[1]], None)


def test_the_message_names_the_units_the_count_and_whether_anything_was_built() -> None:
    foreign = TOWN.split([("松山镇",), ("",)], lambda r: r[0], lambda r: Location("名单.xlsx", "名单", "C3"))[1]
    assert foreign is not None
    left = TOWN.left_out(foreign, "份责任书", refused=False)
    assert left.severity == "warning" and str(left.location) == "名单.xlsx!名单!C3"
    assert "有 2 份责任书不属于本单位（凤山镇及其学校（凤山中心小学、罗源县实验小学））" in left.message
    assert "松山镇 1" in left.message and "未填单位 1" in left.message and "已略去" in left.message
    refused = SCHOOL.left_out(foreign, "条线索", refused=True)
    assert refused.severity == "error" and "（凤山中心小学）" in refused.message and "重新上传" in refused.message
