"""The fast engine (Oxigraph, the shapes compiled to SPARQL and run once over the store) gives
the reference engine's answers (rdflib SPARQL, pySHACL): the same rows for every stored query
and the same SHACL results."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from paradiplomacy.build import Runner
from paradiplomacy.check.shacl_compile import compile_shapes
from paradiplomacy.check.shacl_store import validate_store
from paradiplomacy.check.validation import run_shacl, validate_dataset
from paradiplomacy.namespaces import PREFIXES, SH
from paradiplomacy.query.catalogue import catalogue, find
from paradiplomacy.query.engine import FastStore

FIXTURES = Path(__file__).parent / "shapes"


@pytest.fixture(scope="module")
def runners(dataset):
    return Runner(dataset, "fast"), Runner(dataset, "reference")


def query_ids():
    from paradiplomacy.project import Project

    return list(catalogue(Project.locate()))


@pytest.mark.parametrize("query_id", query_ids())
@pytest.mark.slow
def test_both_engines_give_the_same_rows(project, runners, query_id):
    fast, reference = runners
    query = find(project, query_id)
    a, b = fast.run(query), reference.run(query)
    assert a.variables == b.variables and sorted(a.rows) == sorted(b.rows)


def test_the_fast_engine_binds_parameters_as_terms(project, runners):
    fast, _ = runners
    result = fast.run(find(project, "001"), {"city": "city:ramsar"})
    assert sorted(r[0].rsplit("/", 1)[1] for r in result.rows) == ["al-wakrah", "puerto-montt"]  # Table 1, row Ramsar
    assert len(fast.run(find(project, "001"), {"city": "city:isfahan"}).rows) == 14  # Table 1, row Isfahan


def results_of(graph: Graph) -> set[tuple[str, ...]]:
    keys = (SH.focusNode, SH.resultPath, SH.sourceConstraintComponent, SH.resultSeverity, SH.value, SH.sourceShape)
    return {tuple(str(graph.value(r, k)) for k in keys) for r in graph.subjects(RDF.type, SH.ValidationResult)}


@pytest.mark.slow
def test_both_validators_agree_on_the_real_data(dataset, shapes):
    fast, reference = validate_dataset(dataset, shapes, "store"), validate_dataset(dataset, shapes, "pyshacl")
    assert fast.conforms == reference.conforms and results_of(fast.graph) == results_of(reference.graph)


@pytest.mark.slow
def test_both_validators_agree_on_every_fixture(shapes, ontology):
    prefixes = "".join(f"@prefix {p}: <{n}> .\n" for p, n in PREFIXES.items())
    base = (FIXTURES / "_base.ttl").read_text(encoding="utf-8")
    components = set()
    for path in sorted(FIXTURES.glob("*Shape/*.ttl")):
        data = Graph().parse(data=prefixes + base + path.read_text(encoding="utf-8"), format="turtle")
        (c1, r1), (c2, r2) = run_shacl(data, shapes, ontology, "store"), run_shacl(data, shapes, ontology, "pyshacl")
        assert (c1, results_of(r1)) == (c2, results_of(r2)), path.name
        components |= {r[2] for r in results_of(r2)}
    # every kind of constraint the store validator compiles is met by some fixture's violation,
    # so the comparison proves each translation, not just the ones the data happens to trip
    compiled = {str(c.component) for c in compile_shapes(shapes, lambda cls: [cls])} | {str(SH.SPARQLConstraintComponent)}
    assert compiled <= components


@pytest.fixture(scope="module")
def mixed(dataset):
    """The real data plus a small synthetic graph, damaged so that the shapes have work to do:
    every 7th agreement loses its evidence, every 11th city its English label."""
    from rdflib import Dataset
    from rdflib.namespace import RDFS

    from paradiplomacy.bench.synthetic import synthetic_dataset
    from paradiplomacy.namespaces import PD

    combined = Dataset(default_union=True)
    for source in (dataset, synthetic_dataset(4000, seed=7)):
        for graph in source.graphs():
            target = combined.graph(graph.identifier)
            for triple in graph:
                target.add(triple)
    agreements = sorted(set(combined.subjects(RDF.type, PD.SisterCityAgreement)))
    for rel in agreements[::7]:
        combined.remove((rel, PD.evidence, None, None))
    cities = sorted(set(combined.subjects(RDF.type, PD.City)))
    for city in cities[::11]:
        for label in list(combined.objects(city, RDFS.label)):
            if label.language == "en":
                combined.remove((city, RDFS.label, label, None))
    return combined


@pytest.mark.scale
def test_both_engines_agree_on_a_synthetic_graph(project, mixed):
    fast, reference = Runner(mixed, "fast"), Runner(mixed, "reference")
    for query in catalogue(project).values():
        a, b = fast.run(query), reference.run(query)
        assert a.variables == b.variables and sorted(a.rows) == sorted(b.rows), query.id
    assert fast.run(find(project, "missing-label-violation")).rows  # the damage shows


@pytest.mark.scale
def test_both_validators_agree_on_a_synthetic_graph(mixed, shapes, ontology):
    from paradiplomacy.build import query_graph

    data = query_graph(mixed)
    (c1, r1), (c2, r2) = validate_store(FastStore.from_dataset(mixed), shapes), run_shacl(data, shapes, ontology, "pyshacl")
    assert c1 is c2 is False
    assert results_of(r1) == results_of(r2)
    components = {r[2].rsplit("#", 1)[1] for r in results_of(r2)}
    assert {"MinCountConstraintComponent", "QualifiedMinCountConstraintComponent"} <= components
