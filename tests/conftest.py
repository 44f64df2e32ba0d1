from __future__ import annotations

import os

import pytest
from rdflib import Dataset, Graph

from paradiplomacy.build import query_graph
from paradiplomacy.namespaces import DATA_GRAPHS, GRAPH
from paradiplomacy.project import Project
from paradiplomacy.rdf.load import load_dataset, load_shapes, union


@pytest.fixture(scope="session")
def project() -> Project:
    return Project.locate()


@pytest.fixture(scope="session")
def dataset(project) -> Dataset:
    return load_dataset(project)


@pytest.fixture(scope="session")
def graph(dataset) -> Graph:
    """Ontology and data together: what the stored queries see."""
    return query_graph(dataset)


@pytest.fixture(scope="session")
def runner(dataset):
    """The stored queries' engine as `pdkg` runs them (Oxigraph), loaded once for the session; the
    reference engine gives the same rows (test_engines, CI)."""
    from paradiplomacy.build import Runner

    return Runner(dataset, "fast")


@pytest.fixture(scope="session")
def data(dataset) -> Graph:
    return union(dataset, DATA_GRAPHS)


@pytest.fixture(scope="session")
def ontology(dataset) -> Graph:
    return union(dataset, f"{GRAPH}ontology/")


@pytest.fixture(scope="session")
def shapes(project) -> Graph:
    return load_shapes(project)


@pytest.fixture(scope="session")
def seeds(project):
    if not project.seeds_dir.is_dir() or not any(project.seeds_dir.glob("*.txt")):
        pytest.skip(f"source texts not found at {project.seeds_dir} (put shared/ beside the checkout or set PDKG_SEEDS)")
    return project.seeds_dir


@pytest.fixture(scope="session")
def built(project, tmp_path_factory):
    """A copy of the sources with one good build in build/, by `pdkg build` in a process of its
    own: one build for the session (test_build_outputs breaks it and checks it survives, test_cli
    reads its artefacts)."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    root = tmp_path_factory.mktemp("good-build")
    for name in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(project.root / name, root / name)
    shutil.copy(project.root / "pyproject.toml", root / "pyproject.toml")
    pdkg = str(Path(sys.executable).with_name("pdkg"))
    result = subprocess.run([pdkg, "build"], env={**os.environ, "PDKG_ROOT": str(root)}, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture(scope="session")
def site(project, dataset, tmp_path_factory):
    """The site, published once per test session into a temporary folder (shared by
    test_publish, test_serve and test_browser)."""
    from paradiplomacy.build import run
    from paradiplomacy.publish.site import publish

    out = tmp_path_factory.mktemp("published") / "site"
    publish(run(project), out)
    return out


# --- the default selection ---------------------------------------------------------------------
# `make test` (plain `pytest`) runs every truth test — figures, quotes, links, dates, expected
# answers, conformance — and leaves out the heavy ones, each marked for what makes it heavy:
# builds and publications in subprocesses (slow), tests on the published site (site), synthetic
# graphs (scale), Chromium (browser), property-based fuzzing (fuzz). CI=true (`make test-all`,
# .ci/run) runs everything; so does `-m ...` of your own, or naming test files or tests.
HEAVY = ("slow", "site", "scale", "browser", "fuzz")


def _default_selection(config) -> bool:
    explicit = config.args_source is not pytest.Config.ArgsSource.TESTPATHS
    return not (os.environ.get("CI") == "true" or config.option.markexpr or explicit)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "site" in getattr(item, "fixturenames", ()):  # the session's published site: a full publication
            item.add_marker(pytest.mark.site)
    if not _default_selection(config):
        return
    kept, left = [], []
    for item in items:
        (left if any(item.get_closest_marker(m) for m in HEAVY) else kept).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


def pytest_report_header(config):
    if _default_selection(config):
        return f"default selection: tests marked {', '.join(HEAVY)} are left out; CI=true (make test-all) runs everything"
    return "every test selected"
