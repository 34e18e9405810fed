"""The wheel carries templates, forms and samples, and the package finds them there."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_data_and_resolves_it(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path),
         str(ROOT)],
        check=True, capture_output=True,
    )
    [wheel] = tmp_path.glob("kongchuo_docs-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        z.extractall(tmp_path / "site")
    for required in ("kongchuo_docs/templates/layout/title_words.txt", "kongchuo_docs/forms/学生名册.yaml",
                     "kongchuo_docs/samples/notice/seed-notice.yaml", "kongchuo_docs/gbt9704.py"):
        assert required in names, required
    probe = ("from kongchuo_docs.files.resources import data_dir, sample_path; "
             "print(data_dir('templates')); print(sample_path('notice', 'seed-notice.yaml').is_file())")
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True,
                            env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"})
    templates, found = result.stdout.split()
    assert Path(templates) == tmp_path / "site" / "kongchuo_docs" / "templates"
    assert found == "True"
