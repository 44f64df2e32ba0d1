"""A changed answer is shown as a row diff, and rewritten only on request, query by query."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PDKG = str(Path(sys.executable).parent / "pdkg")
AFRICA = "https://w3id.org/paradiplomacy/id/concept/region-africa"


def _copy(project, tmp_path: Path) -> Path:
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(project.root / folder, tmp_path / folder)
    shutil.copy(project.root / "pyproject.toml", tmp_path)
    return tmp_path


@pytest.mark.slow
def test_a_wrong_expected_answer_is_a_row_diff_and_update_restores_the_documents_answer(project, tmp_path):
    root = _copy(project, tmp_path)
    expected = root / "queries" / "cq" / "003-relations-by-region.expected.csv"
    truth = expected.read_text(encoding="utf-8")
    # Table 2 prints 3 relations for Africa, and Table 1 has 3: damage the printed figure
    assert f"{AFRICA},3,3\n" in truth
    expected.write_text(truth.replace(f"{AFRICA},3,3", f"{AFRICA},3,4"), encoding="utf-8")

    run = subprocess.run([PDKG, "answers", "003"], cwd=root, capture_output=True, text=True)
    assert run.returncode == 1
    assert f"  - {AFRICA}, 3, 4\n  + {AFRICA}, 3, 3" in run.stdout
    assert "pdkg answers --update ID" in run.stderr

    refused = subprocess.run([PDKG, "answers", "--update"], cwd=root, capture_output=True, text=True)
    assert refused.returncode == 2 and "name the queries" in refused.stderr

    update = subprocess.run([PDKG, "answers", "--update", "003"], cwd=root, capture_output=True, text=True)
    assert update.returncode == 0, update.stderr
    assert expected.read_text(encoding="utf-8") == truth


@pytest.mark.slow
def test_a_build_with_a_changed_answer_stops_before_writing_anything(project, tmp_path):
    root = _copy(project, tmp_path)
    expected = root / "queries" / "cq" / "003-relations-by-region.expected.csv"
    expected.write_text(expected.read_text(encoding="utf-8").replace(f"{AFRICA},3,3", f"{AFRICA},3,4"), encoding="utf-8")
    run = subprocess.run([PDKG, "build"], cwd=root, capture_output=True, text=True)
    assert run.returncode == 1
    assert "003-relations-by-region: DIFFERS" in run.stdout and f"  + {AFRICA}, 3, 3" in run.stdout
    assert "nothing was written or published" in run.stderr
    assert not (root / "build" / "site").exists() and not (root / "build" / "paradiplomacy.nq").exists()
