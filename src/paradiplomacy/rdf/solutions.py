"""The rows of a SELECT on a pyoxigraph store, and Oxigraph's terms as rdflib's.

``Store.query`` answers every query form with its own kind of result (solutions, a boolean, triples);
code that reads rows must know it got rows, and a query of another form is a mistake to name, not
a result to iterate.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from paradiplomacy.project import ProjectError

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def select(store: ox.Store, query: str, union: bool = True) -> ox.QuerySolutions:
    """The solutions of ``query``, over the union of the store's graphs unless ``union`` is off."""
    result = store.query(query, use_default_graph_as_union=union)
    if not isinstance(result, ox.QuerySolutions):
        first = next((line.strip() for line in query.splitlines() if line.strip() and not line.lstrip().upper().startswith("PREFIX")), "")
        raise ProjectError(f"not a SELECT query (its answer is a {type(result).__name__}): {first[:100]!r}")
    return result


def rdflib_term(term, plain_strings: bool = False) -> URIRef | BNode | Literal:
    """An Oxigraph term as rdflib's (the one conversion of the package: the store's answers, the
    bulk graphs' samples, the on-demand pages). Oxigraph gives every simple literal the datatype
    xsd:string; ``plain_strings`` drops it, as rdflib reads a plain literal from a file, where the
    two must give the same bytes (an on-demand page and its static twin)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if plain_strings and datatype == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))
