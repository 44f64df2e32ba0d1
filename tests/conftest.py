from __future__ import annotations

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
def site(project, dataset, tmp_path_factory):
    """The site, published once per test session into a temporary folder (shared by
    test_publish, test_serve and test_browser)."""
    from paradiplomacy.build import run
    from paradiplomacy.publish.site import publish

    out = tmp_path_factory.mktemp("published") / "site"
    publish(run(project), out)
    return out
