"""The command line's edges: its version, a run outside a checkout, Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

PDKG = str(Path(sys.executable).parent / "pdkg")


def test_version_is_the_one_pyproject_declares(project):
    declared = tomllib.loads((project.root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    run = subprocess.run([PDKG, "--version"], capture_output=True, text=True)
    assert (run.returncode, run.stdout.strip()) == (0, f"pdkg {declared}")


def test_outside_a_checkout_is_one_line_and_exit_2(tmp_path):
    run = subprocess.run([PDKG, "query", "001"], capture_output=True, text=True, cwd=tmp_path, env={"PATH": "/usr/bin:/bin"})
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [f"pdkg: no project found at or above {tmp_path.resolve()} (expected ontology/ and pyproject.toml)"]


@pytest.mark.slow
def test_ctrl_c_is_quiet_and_exits_130(project):
    process = subprocess.Popen([PDKG, "validate"], cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2)  # well inside loading the sources
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in err and err.strip().endswith("pdkg: interrupted")


def test_query_reads_the_built_dump_only_while_it_is_newer_than_every_source(project, tmp_path):
    import os

    from paradiplomacy.project import Project

    copy = Project(tmp_path)
    for folder in ("ontology", "data", "shapes"):
        (tmp_path / folder / "sub").mkdir(parents=True)
        (tmp_path / folder / "sub" / "a.ttl").write_text("", encoding="utf-8")
    copy.build_dir.mkdir()
    copy.built_dump.write_text("", encoding="utf-8")
    sources = [p for p in tmp_path.rglob("*") if copy.build_dir not in (p, *p.parents)]
    built = copy.built_dump.stat().st_mtime_ns

    def age(path, ns):
        os.utime(path, ns=(ns, ns))

    for path in sources:  # every source file and folder a second older than the dump
        age(path, built - 10**9)
    assert copy.fresh_dump() == copy.built_dump
    age(tmp_path / "shapes" / "sub" / "a.ttl", built)  # edited in the clock tick of the build: stale
    assert copy.fresh_dump() is None
    age(tmp_path / "shapes" / "sub" / "a.ttl", built - 10**9)
    age(tmp_path / "data" / "sub" / "a.ttl", built + 10**10)  # a source edited after the build
    assert copy.fresh_dump() is None
    age(tmp_path / "data" / "sub" / "a.ttl", built - 10**9)
    assert copy.fresh_dump() == copy.built_dump
    (tmp_path / "ontology" / "sub" / "a.ttl").unlink()  # a source removed: only its folder's time says so
    assert copy.fresh_dump() is None
    age(tmp_path / "ontology" / "sub", built - 10**9)
    assert copy.fresh_dump() == copy.built_dump
    copy.built_dump.unlink()  # no build
    assert copy.fresh_dump() is None
