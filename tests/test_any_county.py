"""Another county (福建省宁德市古田县, 350922) builds every kind from its own profile and inputs, and no
output — DOCX XML, PDF text and bookmarks, XLSX, file names, manifest — names the demo county.

The 古田 inputs are the samples with every place name rewritten; the profile is written here."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pymupdf
import pytest
import yaml
from openpyxl import load_workbook
from typer.testing import CliRunner

from kongchuo_docs.cli import app
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds.sample_roster import generate_rows, profile_places, write_sample_roster
from kongchuo_docs.profile import load_profile

DEMO = "罗源"
# the demo county's places → invented ones of 古田 (longest first, so 罗源县 goes before 罗源)
RENAME = {
    "罗源县": "古田县", "罗源": "古田", "福州市": "宁德市", "榕控辍": "宁控辍", "罗教": "古教", "罗实小": "古实小",
    "350123": "350922", "凤山": "城东", "松山": "大桥", "起步": "黄田", "中房": "鹤塘", "飞竹": "杉洋",
    "鉴江": "凤都", "白塔": "水口", "洪洋": "大甲", "西兰": "吉巷", "霍口": "平湖", "碧里": "卓洋",
}
PATTERN = re.compile("|".join(map(re.escape, sorted(RENAME, key=len, reverse=True))))


def rename(text: str) -> str:
    return PATTERN.sub(lambda m: RENAME[m[0]], text)


def copy_renamed(source: Path, target: Path) -> Path:
    """A sample input with every demo place renamed (text files and workbooks alike)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.suffix == ".xlsx":
        workbook = load_workbook(source)
        for sheet in workbook.worksheets:
            sheet.title = rename(sheet.title)
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        cell.value = rename(cell.value)
        workbook.save(target)
    else:
        target.write_text(rename(source.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def gutian_profile(folder: Path) -> Path:
    data = yaml.safe_load(sample_path("profile", "单位设置.yaml").read_text(encoding="utf-8"))
    data = yaml.safe_load(rename(yaml.safe_dump(data, allow_unicode=True)))
    data.update({"学年": "2027—2028", "报到日期": "2027-08-30", "成文日期": "2027-08-20", "咨询电话": "0593-3882001",
                 "省级处罚条款": "《福建省实施〈中华人民共和国义务教育法〉办法》第四十一条"})
    data["通知书"]["复学截止日期"] = "2027-09-15"
    path = folder / "单位设置.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def output_texts(root: Path) -> dict[str, str]:
    """Every output's text by its relative path: whole XML of DOCX/XLSX parts, PDF page text,
    metadata and bookmarks, and the other files as they are."""
    texts: dict[str, str] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if path.suffix in (".docx", ".xlsx", ".zip"):
            with zipfile.ZipFile(path) as z:
                texts[rel] = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        elif path.suffix == ".pdf":
            with pymupdf.open(path) as doc:
                pages = "".join(page.get_text() for page in doc)
                texts[rel] = pages + str(doc.metadata) + str(doc.get_toc())
        elif path.suffix != ".png":
            texts[rel] = path.read_text(encoding="utf-8", errors="replace")
    return texts


@pytest.fixture(scope="module")
def gutian(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every kind built for 古田县 into one folder; the demo county's profile is nowhere to be found."""
    base = tmp_path_factory.mktemp("gutian")
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_CONFIG_HOME", str(base / "config"))
    patch.chdir(base)
    profile_path = gutian_profile(base)
    profile = load_profile(profile_path)
    inputs = base / "inputs"
    cycle = sample_path("cycle")
    for source in [*cycle.rglob("*.yaml"), *cycle.rglob("*.xlsx"),
                   *sample_path("notice").glob("*.yaml"), *sample_path("register").iterdir()]:
        copy_renamed(source, inputs / rename(source.relative_to(source.parents[1]).as_posix()))
    rows = generate_rows(40, seed=5, year=profile.first_year, places=profile_places(profile))
    schools = sorted({r.values["入读学校"] for r in rows})[:2]
    roster = inputs / "名册.xlsx"
    write_sample_roster(roster, [r for r in rows if r.values["入读学校"] in schools], year=profile.first_year,
                        county="福建省宁德市古田县")
    out = base / "out"
    runs = {  # output folder → command
        "通知": ["build", "inputs/notice/seed-notice.yaml"], "函": ["build", "inputs/notice/letter-notice.yaml"],
        **{kind: ["letters", str(roster), "--kind", kind, "--per-record"] for kind in ("入学", "劝返", "责令")},
        "责任书": ["agreements", "inputs/cycle/责任书名单.yaml"],
        "自查报告": ["self-check", "inputs/自查表/城东镇.yaml", "inputs/自查表/实验小学.xlsx", "--allow-inconsistent",
                 "--units", "inputs/cycle/单位信息.yaml"],
        "整改通知": ["rectification", "inputs/cycle/检查发现问题.yaml"],
        "工作总结": ["compile", "inputs/自查表", "--units", "inputs/cycle/单位信息.yaml",
                 "--findings", "inputs/cycle/检查发现问题.yaml"],
        "登记表": ["register", "build", "inputs/register/问题线索.yaml"],
        "登记表汇总": ["register", "merge",
                  *(f"inputs/register/{n}.xlsx" for n in ("黄田镇", "城东中心小学", "县公安局"))],
        "空白表格": ["forms"],
    }
    try:
        for folder, args in runs.items():
            result = CliRunner().invoke(app, [*args, "-o", str(out / folder)])
            assert result.exit_code == 0, (args, result.output)
    finally:
        patch.undo()
    return out


def test_the_renamed_inputs_hold_no_demo_county(gutian: Path) -> None:
    inputs = output_texts(gutian.parent / "inputs")
    assert inputs and not [rel for rel, text in inputs.items() if DEMO in text or DEMO in rel]


def test_every_kind_was_built(gutian: Path) -> None:
    kinds = {e["kind"] for manifest in gutian.rglob("manifest.json")
             for e in yaml.safe_load(manifest.read_text(encoding="utf-8"))["files"]}
    assert kinds >= {"notice", "letters", "agreement", "self-check-report", "rectification-notice", "summary",
                     "referral-register", "form"}
    assert (gutian / "空白表格" / "单位设置.xlsx").is_file()
    assert any((gutian / "登记表汇总").glob("*.xlsx"))


def test_no_output_names_the_demo_county(gutian: Path) -> None:
    texts = output_texts(gutian)
    assert len([rel for rel in texts if rel.endswith((".docx", ".pdf"))]) > 20
    assert [rel for rel, text in texts.items() if DEMO in text or DEMO in rel] == []


def test_the_county_words_are_the_profiles(gutian: Path) -> None:
    texts = output_texts(gutian)

    def text_of(pattern: str) -> str:
        found = [re.sub(r"\s+", "", t) for rel, t in texts.items() if re.search(pattern, rel)]
        assert found, pattern
        return "".join(found)

    assert "古田县教育局：" in text_of(r"^自查报告/.*\.pdf$")
    plan = "《古田县关于印发进一步加强控辍保学工作实施方案的通知》（古教综〔2020〕47号）"
    assert plan in text_of(r"^自查报告/.*\.pdf$")
    assert "古田县控辍保学工作领导小组：" in text_of(r"^工作总结/.*\.pdf$")
    assert "古田县教育局办公室" in text_of(r"^整改通知/.*\.pdf$")
    enrolment = text_of(r"^入学/.*\.pdf$")
    assert "2027—2028学年度入读" in enrolment and "2027年8月30日" in enrolment and "0593-3882001" in enrolment
    assert "第四十一条" in text_of(r"^责令/.*\.pdf$")
    assert f"和{plan}" in text_of(r"^责任书/.*\.pdf$")
