"""rdf/solutions.select: the rows of a SELECT, and an error for a query of another form (pyoxigraph
answers an ASK with a boolean and a CONSTRUCT with triples, which have no rows to read)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from paradiplomacy.project import ProjectError
from paradiplomacy.rdf.solutions import select

EX = "https://example.org/"


@pytest.fixture()
def store() -> ox.Store:
    store = ox.Store()
    # one triple in a named graph: seen through the union of the graphs, not in the default graph
    store.add(ox.Quad(ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}p"), ox.Literal("x"), ox.NamedNode(f"{EX}g")))
    return store


def test_a_select_gives_its_rows_over_the_union_of_the_graphs(store):
    rows = [(r["s"].value, r["o"].value) for r in select(store, "SELECT ?s ?o WHERE { ?s ?p ?o }")]
    assert rows == [(f"{EX}a", "x")]
    assert list(select(store, "SELECT ?s WHERE { ?s ?p ?o }", union=False)) == []


@pytest.mark.parametrize("query", ["PREFIX ex: <https://example.org/>\nASK { ?s ex:p ?o }", "CONSTRUCT WHERE { ?s ?p ?o }"])
def test_another_query_form_is_an_error_naming_the_query(store, query):
    with pytest.raises(ProjectError) as err:
        select(store, query)
    assert "not a SELECT query" in str(err.value)
    assert query.splitlines()[-1] in str(err.value)  # its first line after the prefixes
