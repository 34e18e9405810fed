"""Write the three sample unit registers in ``samples/register/`` as units fill them by hand.

Each looks different, as real returns do: 起步镇 keeps the form's layout but has a blank row in
the middle, pre-numbered empty rows and a signature line under the table; 凤山中心小学 puts the
columns in another order with other header words (线索内容, 责任单位, 办理状态), writes its 填报单位
in the cell next to the label, numbers its rows 一、二… and sends a clue 起步镇 also sent (other
punctuation); 县公安局 has no title rows at all (its unit comes from the file name), an extra
column, dates typed as text and a clue past its deadline. Run from the repository root::

    .venv/bin/python scripts/make_register_samples.py

The files are saved with fixed timestamps, so rerunning gives the same bytes.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook

from kongchuo_docs.writers.xlsx_save import save_workbook

OUT = Path(__file__).resolve().parents[1] / "samples" / "register"
SHARED_CLUE = "起步镇某村两名七年级学生10月起长期未到校，疑似随父母外出务工。"
SHARED_CLUE_RETYPED = "起步镇某村两名七年级学生 10月起长期未到校, 疑似随父母外出务工"


def qibu() -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "问题线索登记"
    sheet.merge_cells("A1:K1")
    sheet["A1"] = "问题线索移送登记表"
    sheet["A2"] = "填报单位：罗源县起步镇人民政府"
    sheet["G2"] = "填报时间：2020年12月18日"
    sheet.append(
        ["序号", "移送单位", "线索来源", "线索简要内容", "拟办意见", "转办情况", "责任部门", "办理情况",
         "移送日期", "办理时限", "备注"]
    )  # fmt: skip
    rows = [
        [1, "起步镇控辍办", "数据比对", SHARED_CLUE, "村委会、学校联合家访", "11月2日转起步镇中心小学",
         "罗源县起步镇中心小学", "办理中", date(2020, 11, 2), date(2020, 12, 31), None],
        [2, "起步镇控辍办", "督导检查", "起步中学初二学生连续缺课15天，班主任未家访。", "约谈班主任，限期家访",
         "11月9日转起步中学", "罗源县起步中学", "已办结", date(2020, 11, 9), date(2020, 11, 30), "学生已返校"],
        None,  # a blank row in the middle
        [3, "起步镇派出所", "巡察移交", "县委巡察组移交：某村适龄儿童未入学。", "核实户籍和就学情况",
         "11月20日转起步镇中心小学", "罗源县起步镇中心小学", "未办理", date(2020, 11, 20), date(2021, 1, 15), None],
        [4, "起步镇控辍办", "信访举报", "群众举报某超市雇用未满16周岁学生。", "转县人社局调查",
         "12月1日转县人社局", "罗源县人力资源和社会保障局", "办理中", date(2020, 12, 1), date(2020, 12, 25), None],
    ]  # fmt: skip
    for row in rows:
        sheet.append(row or [None] * 11)
    for number in (5, 6, 7):
        sheet.append([number])  # pre-numbered empty lines of the form
    sheet.append(["填表人：林晓明　联系电话：0591-26831234"])
    return workbook


def fengshan() -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "登记表"
    sheet["A1"] = "控辍保学问题线索移送登记表"
    sheet["A2"] = "填报单位："
    sheet["B2"] = "罗源县凤山中心小学"
    sheet["E2"] = "填报时间："
    sheet["F2"] = "2020.12.15"
    sheet.append(
        ["序号", "线索内容", "来源", "移送单位", "办理时限", "办理状态", "责任单位", "拟处理意见", "转办情况",
         "联系人"]
    )  # fmt: skip
    rows = [
        ["一", SHARED_CLUE_RETYPED, "数据比对", "凤山中心小学", "2020/12/31", "在办", "罗源县起步镇中心小学",
         "协助起步镇核实", "12月3日函告起步镇中心小学", "陈老师"],
        ["二", "五年级学生长期请病假，无医院证明。", "督导", "凤山中心小学", "2020/12/10", "办结",
         "罗源县凤山中心小学", "家访核实，必要时送教上门", "本校处理", "陈老师"],
        ["（补）", "某村留守儿童家长拒绝送子女入学。", "信访", "凤山镇政府", None, "未办", "罗源县凤山镇人民政府",
         "乡镇政府依法批评教育、责令限期改正", "12月14日转凤山镇政府", "吴老师"],
    ]  # fmt: skip
    for row in rows:
        sheet.append(row)
    return workbook


def police() -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    sheet.append(
        ["线索编号", "序号", "移送日期", "线索来源", "移送单位", "线索简要内容", "责任部门", "办理情况",
         "办理时限", "反馈日期", "拟办意见", "转办情况", "经办人"]
    )  # fmt: skip
    rows = [
        ["GA-2020-07", 1, "2020年11月3日", "12345", "县公安局治安大队", "网吧接纳未成年学生上网，疑似逃学。",
         "罗源县文体旅游局", "办理中", "2020年11月30日", None, "转文体旅游局查处网吧", "11月4日转县文体旅游局",
         "黄警官"],
        ["GA-2020-09", 2, date(2020, 12, 2), "数据比对", "县公安局户政科", "户籍人口比对发现6名适龄儿童无学籍信息。",
         "罗源县教育局初教科", "已办结", date(2020, 12, 16), date(2020, 12, 15), "移送教育局核查学籍",
         "12月2日转县教育局", "黄警官"],
    ]  # fmt: skip
    for row in rows:
        sheet.append(row)
    return workbook


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, make in (("起步镇", qibu), ("凤山中心小学", fengshan), ("县公安局", police)):
        save_workbook(make(), OUT / f"{name}.xlsx")
        print(OUT / f"{name}.xlsx")


if __name__ == "__main__":
    main()
