"""A build that fails, or is killed, leaves the last good build in build/ exactly as it was."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from paradiplomacy.build import PRODUCTS, commit, recover
from paradiplomacy.project import Project

PDKG = str(Path(sys.executable).with_name("pdkg"))


def digest(build: Path) -> str:
    """One hash of every product file of build/, names and bytes."""
    h = hashlib.sha256()
    for name in PRODUCTS:
        root = build / name
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root] if root.exists() else []
        for path in files:
            h.update(path.relative_to(build).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def pdkg(root: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PDKG_ROOT": str(root)}
    return subprocess.run([PDKG, *args], env=env, capture_output=True, text=True, timeout=600, **kwargs)


@pytest.fixture()
def edited(built):
    """Files of the copy changed by a test are put back after it."""
    saved: dict[Path, bytes] = {}

    def edit(path: Path) -> Path:
        saved.setdefault(path, path.read_bytes())
        return path

    yield edit
    for path, data in saved.items():
        path.write_bytes(data)


@pytest.mark.slow
def test_a_wrong_answer_leaves_the_last_good_build(built, edited):
    before = digest(built / "build")
    expected = edited(built / "queries" / "cq" / "001-partners-of-a-city.expected.csv")
    rows = expected.read_text(encoding="utf-8").splitlines(keepends=True)
    expected.write_text("".join(rows[:-1]), encoding="utf-8")  # the expected answer loses a partner
    result = pdkg(built, "build")
    assert result.returncode == 1 and "answers differ from the expected ones: 001-partners-of-a-city" in result.stderr
    assert "build/ was left as it was" in result.stderr
    assert digest(built / "build") == before
    # stopped before anything was written, with the row the expected file lost (Tehran's last
    # partner in Table 1, Tbilisi 2015) shown as answered but not expected
    assert "  + https://w3id.org/paradiplomacy/id/city/tbilisi, " in result.stdout


@pytest.mark.slow
def test_a_truncated_data_file_leaves_the_last_good_build(built, edited):
    before = digest(built / "build")
    data = edited(built / "data" / "sources" / "000-hamshahri-1404" / "facts.ttl")
    text = data.read_text(encoding="utf-8")
    data.write_text(text[: len(text) // 2], encoding="utf-8")
    result = pdkg(built, "build")
    assert result.returncode == 2 and "data/sources/000-hamshahri-1404/facts.ttl:" in result.stderr
    assert digest(built / "build") == before


@pytest.mark.slow
def test_a_killed_build_leaves_the_last_good_build(built):
    before = digest(built / "build")
    env = {**os.environ, "PDKG_ROOT": str(built)}
    process = subprocess.Popen([PDKG, "build"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging = built / "build" / f".staging-{process.pid}"
    deadline = time.monotonic() + 300
    # kill it while it writes the site, the longest step
    while not (staging / "site.new").is_dir() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the build ended before it could be killed"
    time.sleep(1)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert digest(built / "build") == before
    assert staging.is_dir()  # its half-written files are there, and only there
    recover(Project(built))  # what the next build does first
    assert not staging.exists() and digest(built / "build") == before


def _fake_build(root: Path, text: str) -> None:
    for name in PRODUCTS:
        if name == "site":
            (root / name / "id").mkdir(parents=True, exist_ok=True)
            (root / name / "id" / "x.html").write_text(text)
        else:
            root.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)


def _state(build: Path) -> set[str]:
    return {p.read_text() for name in PRODUCTS for p in ([build / name] if name != "site" else [build / name / "id" / "x.html"]) if p.exists()}


@pytest.mark.parametrize("stop_after", range(0, 2 * len(PRODUCTS) + 2))
def test_a_commit_stopped_at_any_rename_is_undone_or_complete(tmp_path, monkeypatch, stop_after):
    """Stop the move into build/ after each of its renames in turn: after recover, build/ holds
    the old build or the new one, never a mix, and files beside the products are untouched."""
    project = Project(tmp_path)
    build = project.build_dir
    _fake_build(build, "old")
    (build / "bench").mkdir()
    (build / "bench" / "bench.json").write_text("kept")
    staging = build / ".staging-1"
    _fake_build(staging, "new")
    calls = {"n": 0}
    rename = Path.rename

    def stopping_rename(self, target):
        if calls["n"] == stop_after:
            raise KeyboardInterrupt
        calls["n"] += 1
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", stopping_rename)
    try:
        commit(project, staging)
        finished = True
    except KeyboardInterrupt:
        finished = False
    monkeypatch.setattr(Path, "rename", rename)
    recover(project)
    assert _state(build) == ({"new"} if finished else {"old"})
    assert all((build / n).exists() for n in PRODUCTS)
    assert (build / "bench" / "bench.json").read_text() == "kept"
