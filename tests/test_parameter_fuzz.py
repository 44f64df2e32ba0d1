"""Hostile parameter values on the three paths a stored query runs: the fast engine (Oxigraph,
VALUES text), the reference engine (rdflib, initBindings) and a remote endpoint (a real Oxigraph
server, VALUES text over HTTP). Every value ends in a clean result or a clean refusal (TermError),
and a result holds exactly the term bound structurally: nothing a value carries becomes SPARQL.

The default run is a seeded subset of 300 values per path; CI (CI=true, as .ci/run is run) takes
10,000 per path, and PDKG_FUZZ_EXAMPLES sets any other number.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from paradiplomacy.query.catalogue import StoredQuery, find, parse_header, run_local, with_values
from paradiplomacy.query.engine import FastStore
from paradiplomacy.query.remote import run_remote
from paradiplomacy.query.terms import KINDS, TermError, to_term
from test_remote import oxigraph_server

EXAMPLES = int(os.environ.get("PDKG_FUZZ_EXAMPLES") or (10_000 if os.environ.get("CI") == "true" else 300))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))

FRAGMENTS = ['"', "'", "\\", "\n", "\r", "\x00", "\ud800", "\udc80", "}", "{", ">", "<", " ", "#", "%", "%zz", "\\u0022",
             '"} SERVICE <http://127.0.0.1:9/> { "', '> } UNION { ?s ?p ?o } #', ") } ; DROP ALL ; #", "UNDEF",
             "city:", "city:tehran", "https://w3id.org/paradiplomacy/id/city/tehran", "<", "2025", "-1", "۱۴۰۴",
             "ي", "\u200c", "\u202e", "\ufeff", "\U0001f600", "x" * 300]
VALUE = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.characters(), st.text(max_size=5)), max_size=8).map("".join)
# per kind, about half the values well-formed (so the engines really run them) and half hostile
IRI_LOCAL = st.text(alphabet=st.characters(categories=("L", "N", "Pd", "Pc")), min_size=1, max_size=20)
IRI = st.one_of(
    st.builds(lambda p, local: f"{p}:{local}", st.sampled_from(["city", "country", "doc", "person", "rel"]), IRI_LOCAL),
    st.builds(lambda local, tail: f"https://w3id.org/paradiplomacy/id/city/{local}{tail}", IRI_LOCAL, VALUE),
    st.builds(lambda v: f"<{v}>", st.one_of(VALUE, IRI_LOCAL.map(lambda local: "urn:x:" + local))),
    VALUE,
)
INTEGER = st.one_of(st.integers(-10**18 + 1, 10**18 - 1).map(str), st.integers().map(str), VALUE)
YEAR = st.one_of(st.integers(0, 9999).map(lambda n: f"{n:04d}"), st.integers(-99999, 99999).map(str), VALUE)
CASES = st.one_of(st.tuples(st.just("iri"), IRI), st.tuples(st.just("string"), VALUE),
                  st.tuples(st.just("integer"), INTEGER), st.tuples(st.just("year"), YEAR))


def echo_query(kind: str) -> StoredQuery:
    """A stored query that returns its one parameter, and a row count that an injected pattern
    (UNION, SERVICE, a closed group) would change."""
    text = "# param: v = x (string)\nSELECT ?v (COUNT(*) AS ?rows) WHERE {\n}\nGROUP BY ?v\n"
    header, params = parse_header(text)
    params = {"v": type(params["v"])("v", "x", kind, "")}
    return StoredQuery(f"echo-{kind}", "cq", Path(f"echo-{kind}.rq"), text, header, params)


QUERIES = {kind: echo_query(kind) for kind in KINDS}


def expected_rows(term) -> list[tuple[str, str]]:
    return [(str(term), "1")]


def structural(kind: str, value: str):
    """The term, or None when the value is refused; anything but a TermError fails the test."""
    try:
        return to_term(kind, value, "v")
    except TermError as err:
        assert "parameter 'v'" in str(err)
        return None


def ox_term(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))) if term.datatype else ox.Literal(str(term))


def check_path(run, case) -> None:
    """``run(query, values)`` refuses what to_term refuses, and otherwise returns the term itself."""
    kind, value = case
    term = structural(kind, value)
    if term is None:
        with pytest.raises(TermError):
            run(QUERIES[kind], {"v": value})
    else:
        assert run(QUERIES[kind], {"v": value}).rows == expected_rows(term)


@pytest.fixture(scope="module")
def fast():
    return FastStore()


@FUZZ
@given(CASES)
def test_fast_engine(fast, case):
    check_path(fast.run, case)
    kind, value = case
    term = structural(kind, value)
    if term is not None:  # and the very term: same IRI, or same lexical form and datatype
        [solution] = list(fast.store.query(with_values(QUERIES[kind], {"v": value})))
        assert solution["v"] == ox_term(term)


@FUZZ
@given(CASES)
def test_reference_engine(case):
    check_path(lambda query, values: run_local(Graph(), query, values), case)


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("fuzz-oxigraph")) as base:
        yield base + "/query"


@FUZZ
@given(CASES)
def test_remote_endpoint(endpoint, case):
    check_path(lambda query, values: run_remote(endpoint, query, values, timeout=10), case)


@settings(max_examples=min(EXAMPLES, 100), deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(IRI, YEAR, VALUE))
def test_stored_queries_agree_on_hostile_values(project, graph, dataset, value):
    """On the real graph and real queries of each kind (001 an IRI, 024 a string, 016 a year),
    the fast engine's VALUES text and rdflib's structural binding give the same rows or the same
    refusal."""
    store = _store(dataset)
    for qid, name in (("001", "city"), ("024", "lang"), ("016", "from")):
        query = find(project, qid)
        try:
            expected = run_local(graph, query, {name: value})
        except TermError:
            with pytest.raises(TermError):
                store.run(query, {name: value})
            continue
        got = store.run(query, {name: value})
        assert (got.variables, sorted(got.rows)) == (expected.variables, sorted(expected.rows))


_STORES: dict[int, FastStore] = {}


def _store(dataset) -> FastStore:
    if id(dataset) not in _STORES:
        _STORES[id(dataset)] = FastStore.from_dataset(dataset)
    return _STORES[id(dataset)]


def test_the_real_answer_survives_the_escaper(project, graph):
    # a value that escapes nothing still finds its answer: Ramsar's two partners (Table 1)
    store_rows = run_local(graph, find(project, "001"), {"city": "<https://w3id.org/paradiplomacy/id/city/ramsar>"}).rows
    assert sorted(r[0].rsplit("/", 1)[1] for r in store_rows) == ["al-wakrah", "puerto-montt"]
    assert isinstance(to_term("string", 'fa"\n', "lang"), Literal)
