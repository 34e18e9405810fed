"""The 公文 kind (红头通知, 函…): a YAML file → DOCX and PDF, listed as kind ``notice``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .. import console
from ..files.output import DEMO_INPUTS, OutputSet, in_folder
from ..files.resources import sample_path
from ..readers.notice_yaml import read_notice
from ..store.issuing import Numbering
from ..writers.pdfa import DEFAULT_LEVEL
from .publish import write_document

SAMPLES = ("seed-notice.yaml", "letter-notice.yaml", "plain-report.yaml", "request.yaml")


def build_notice(out: OutputSet, source: Path, *, formats: Sequence[str], stem: str | None = None,
                 source_is_output: bool = False, source_ref: str | None = None,
                 numbering: Numbering | None = None, pdfa: str = DEFAULT_LEVEL) -> list[str]:
    """Read `source`, report warnings, write the document into `out` (PDF as PDF/A `pdfa`)."""
    doc, warnings = read_notice(source)
    console.problems(warnings)
    return write_document(out, doc, stem or Path(source).stem, kind="notice", source=source_ref or source,
                          source_is_output=source_is_output, formats=formats, numbering=numbering, pdfa=pdfa)


def build_notice_files(sources: Sequence[Path], outdir: Path, *, formats: Sequence[str], force: bool,
                       settings: Path | None = None, db_url: str | None = None,
                       pdfa: str = DEFAULT_LEVEL) -> list[str]:
    """``kongchuo-docs build``: each YAML file its own document into OUTDIR (all or nothing); a 发文字号
    of 自动 is taken from the 发文登记簿 of `settings`' county (or `db_url`) as the files are written."""
    from ..errors import KongchuoError

    for source in sources:
        if not Path(source).is_file():
            raise KongchuoError(f"找不到输入文件：{source}")
    with Numbering(settings, db_url) as numbering, OutputSet(outdir, force=force) as out:
        for source in sources:
            build_notice(out, source, formats=formats, numbering=numbering, pdfa=pdfa)
    return out.written


def demo(out: OutputSet) -> None:
    """The seed notice (samples/notice/seed-notice.yaml), a 信函格式, a 无版头 report and a 请示 (上行文),
    inputs copied to ``样例输入/通知/``; outputs in ``通知/``."""
    for name in SAMPLES:
        rel = in_folder(DEMO_INPUTS, f"通知/{name}")
        copied = out.copy_in(sample_path("notice", name), rel)
        build_notice(out, copied, formats=("docx", "pdf"), stem=f"通知/{Path(name).stem}",
                     source_is_output=True, source_ref=rel)
