"""The term escaper: every value a parameter may hold is written so that a SPARQL parser reads
back exactly that term, and every value it may not hold is refused with the parameter's name."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from paradiplomacy.query.terms import TermError, expand_iri, sparql_string, sparql_term, to_term

# every code point but the surrogates, weighted towards the characters a string literal must escape
SPECIAL = st.sampled_from(['"', "\\", "\n", "\r", "\t", "\b", "\f", "\x00", "\x7f", "\x85", "\u2028", "'", "}", "u0022", "\\u0022", ">", "<"])
TEXT = st.lists(st.one_of(SPECIAL, st.characters(exclude_categories=("Cs",))), max_size=40).map("".join)


def parsed_back(text: str) -> ox.Literal | ox.NamedNode:
    """What Oxigraph's SPARQL parser makes of a serialised term."""
    solutions = ox.Store().query(f"SELECT ?v WHERE {{ VALUES ?v {{ {text} }} }}")
    return next(iter(solutions))["v"]


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(TEXT)
def test_a_string_is_read_back_exactly_by_oxigraph(text):
    assert parsed_back(sparql_string(text)) == ox.Literal(text)


@settings(max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_a_string_is_read_back_exactly_as_n_triples_by_rdflib(text):
    # the same escapes are N-Triples: rdflib's N-Triples parser is an independent reader of them
    graph = Graph().parse(data=f"<urn:s> <urn:p> {sparql_term(Literal(text))} .\n", format="nt")
    assert [str(o) for o in graph.objects()] == [text]


@pytest.mark.parametrize("char", ['"', "\\", "\n", "\r"])
def test_the_four_forbidden_characters_never_appear_raw_or_as_u_escapes(char):
    # a raw one ends the literal or the line; \u0022 is expanded by some engines before parsing
    body = sparql_string(f"a{char}b")[1:-1]
    assert char not in body.replace("\\\\", "").replace('\\"', "") and "\\u" not in body


def test_a_lone_surrogate_is_refused_with_its_position():
    with pytest.raises(TermError, match=r"parameter 'lang': lone surrogate U\+DC80 at position 2"):
        to_term("string", "fa\udc80", "lang")


@pytest.mark.parametrize("value, fragment", [
    ("https://a b", "Invalid IRI code point ' '"),
    ('https://x/"', "Invalid IRI code point '\"'"),
    ("https://x/a>b", "Invalid IRI code point '>'"),
    ("https://x/%zz", "Invalid IRI percent encoding"),
    ("http://[::1/", "in host"),
    ("Tehran", "no prefix"),
    ("city:teh ran", "must be followed by letters"),
    ("city:", "must be followed by letters"),
    ("<city:tehran> } SERVICE <http://127.0.0.1/> {", "Invalid IRI code point"),
])
def test_a_malformed_iri_is_refused_saying_what_is_wrong(value, fragment):
    with pytest.raises(TermError) as err:
        expand_iri(value, "city")
    assert "parameter 'city'" in str(err.value) and fragment in str(err.value)


def test_iris_valid_under_rfc_3987_are_accepted():
    assert expand_iri("city:tehran") == URIRef("https://w3id.org/paradiplomacy/id/city/tehran")
    assert expand_iri("<urn:isbn:0451450523>") == URIRef("urn:isbn:0451450523")
    assert expand_iri("http://[::1]:8080/a?b#c") == URIRef("http://[::1]:8080/a?b#c")
    assert expand_iri("https://fa.wikipedia.org/wiki/تهران") == URIRef("https://fa.wikipedia.org/wiki/تهران")


@pytest.mark.parametrize("kind, value", [
    ("integer", "۱۳۹۷"), ("integer", "1_000"), ("integer", "1e3"), ("integer", " 5"), ("integer", "9" * 19),
    ("year", "۱۴۰۴"), ("year", "99"), ("year", "2025-01"), ("year", "２０２５"),
])
def test_numbers_take_ascii_digits_only(kind, value):
    # Persian digits usually write a Solar Hijri year: passing one as a Gregorian year would be wrong
    with pytest.raises(TermError, match="parameter 'p' expects"):
        to_term(kind, value, "p")


@pytest.mark.parametrize("value, fault", [
    ("۲۰۲۵-۰۶-۰۱", "expects a Gregorian date"), ("2025-6-1", "expects a Gregorian date"), ("2025", "expects a Gregorian date"),
    ("2025-02-30", "day is out of range"), ("2025-13-01", "month must be in 1..12"),
])
def test_a_date_is_an_iso_gregorian_day(value, fault):
    with pytest.raises(TermError, match=f"parameter 'date'.*{fault}"):
        to_term("date", value, "date")


def test_terms_of_every_kind_serialise_as_sparql():
    assert sparql_term(to_term("date", "2018-04-16", "d")) == '"2018-04-16"^^<http://www.w3.org/2001/XMLSchema#date>'

    assert sparql_term(to_term("year", "2006", "y")) == '"2006"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    assert sparql_term(to_term("integer", "-12", "n")) == '"-12"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert sparql_term(Literal("شهر", lang="fa")) == '"شهر"@fa'
    assert parsed_back(sparql_term(to_term("year", "2006", "y"))) == ox.Literal("2006", datatype=ox.NamedNode(str(XSD.gYear)))


def test_a_refused_value_is_shown_readable_with_its_hidden_characters_visible():
    with pytest.raises(TermError, match="got '۲۰۲۵'"):  # Persian as Persian, not \u06f2…
        to_term("year", "۲۰۲۵", "from")
    with pytest.raises(TermError, match=r"got 'city:a\\u200Cb'"):  # a ZWNJ or a newline is made visible
        to_term("iri", "city:a\u200cb", "city")
