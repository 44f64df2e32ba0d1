"""SHACL: the real data conforms, and every shape has a passing and a failing fixture.

A fixture is `tests/shapes/<Class>Shape/valid-*.ttl` or `invalid-<reason>.ttl`. An invalid
fixture lists the exact results it must produce in `# expect: <focus> <path|-> <component>`
lines (prefixed names); no more, no fewer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import GEO, ORG, RDF, RDFS, SDO, SKOS

from paradiplomacy.check.validation import run_shacl, validate_dataset
from paradiplomacy.namespaces import PREFIXES, SH, bind_prefixes

FIXTURES = Path(__file__).parent / "shapes"
PREFIX_LINES = "".join(f"@prefix {p}: <{n}> .\n" for p, n in PREFIXES.items())
BASE = (FIXTURES / "_base.ttl").read_text(encoding="utf-8")  # valid nodes the fixtures point to


def fixture_files():
    return sorted(FIXTURES.glob("*Shape/*.ttl"))


def test_the_real_data_conforms(dataset, shapes):
    """On the validator `pdkg validate` uses; pySHACL's results on the same data are the same
    (test_engines.test_both_validators_agree_on_the_real_data, CI)."""
    report = validate_dataset(dataset, shapes, "store")
    assert report.violations == [], report.render()


def test_every_node_shape_has_a_valid_and_an_invalid_fixture(shapes):
    names = {str(s).rsplit("#", 1)[1] for s in shapes.subjects(SH.targetClass, None)}
    for name in sorted(names):
        files = {p.name for p in (FIXTURES / name).glob("*.ttl")}
        assert any(f.startswith("valid-") for f in files), f"{name} has no valid-*.ttl"
        assert any(f.startswith("invalid-") for f in files), f"{name} has no invalid-*.ttl"


# rdflib's closed namespaces list every term of these vocabularies, so a typo such as
# schema:startdate is caught without a network fetch of the vocabulary.
REUSED = (GEO, ORG, RDFS, SDO, SKOS)


def test_shape_terms_are_declared(shapes, ontology):
    declared = {s for s, _, _ in ontology}
    for prop in (SH.targetClass, SH["class"], SH.path):
        for term in shapes.objects(None, prop):
            if str(term).startswith(PREFIXES["pd"]):
                assert term in declared, f"{prop} names undeclared {term}"
            else:
                vocab = [ns for ns in REUSED if str(term).startswith(str(ns._NS))]
                assert vocab and term in vocab[0], f"{prop} names {term}, not a term of a reused vocabulary"


def expand(graph: Graph, name: str) -> str:
    return name[1:-1] if name.startswith("<") else str(graph.namespace_manager.expand_curie(name))


def expectations(path: Path, graph: Graph) -> set[tuple[str, str, str]]:
    expected = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            focus, prop, component = line.split(":", 1)[1].split()
            expected.add((expand(graph, focus), "-" if prop == "-" else expand(graph, prop), str(SH[component])))
    return expected


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture(path, shapes, ontology):
    data = bind_prefixes(Graph()).parse(data=PREFIX_LINES + BASE + path.read_text(encoding="utf-8"), format="turtle")
    conforms, results = run_shacl(data, shapes, ontology, "store")  # pySHACL agrees on every fixture (test_engines, CI)
    found = set()
    for r in results.subjects(RDF.type, SH.ValidationResult):
        if results.value(r, SH.resultSeverity) != SH.Violation:
            continue
        path_node = results.value(r, SH.resultPath)
        found.add((str(results.value(r, SH.focusNode)), "-" if path_node is None else str(path_node),
                   str(results.value(r, SH.sourceConstraintComponent))))
    if path.name.startswith("valid-"):
        assert found == set()
    else:
        assert found == expectations(path, data) and found
