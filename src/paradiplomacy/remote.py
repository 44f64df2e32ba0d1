"""Run stored queries against any SPARQL 1.1 endpoint through SPARQLWrapper."""

from __future__ import annotations

import re
import urllib.error
from http.client import HTTPException

from SPARQLWrapper import JSON, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from . import __version__
from .queries import QueryError, Result, StoredQuery

USER_AGENT = f"pdkg/{__version__} (Paradiplomacy Knowledge Graph; +https://w3id.org/paradiplomacy/)"


class EndpointError(RuntimeError):
    """The endpoint cannot be reached or refuses the query; names the endpoint."""


def with_values(query: StoredQuery, values: dict[str, str] | None) -> str:
    """The query text with its parameters bound by a VALUES block of serialised RDF terms,
    opening the outermost WHERE group (a trailing VALUES would join after GROUP BY)."""
    bindings = query.bindings(values)
    if not bindings:
        return query.text
    names = sorted(bindings)
    head = " ".join(f"?{n}" for n in names)
    row = " ".join(bindings[n].n3() for n in names)
    match = re.search(r"\bWHERE\s*\{", query.text, re.IGNORECASE)
    if match is None:
        raise QueryError(f"{query.path.name}: no WHERE group to bind parameters in")
    return f"{query.text[: match.end()]}\n  VALUES ({head}) {{ ({row}) }}{query.text[match.end():]}"


def run_remote(endpoint: str, query: StoredQuery, values: dict[str, str] | None = None, timeout: float = 30) -> Result:
    client = SPARQLWrapper(endpoint, agent=USER_AGENT)
    client.setTimeout(int(timeout))
    client.setMethod("POST")
    client.setReturnFormat(JSON)
    client.setQuery(with_values(query, values))
    # SPARQLWrapper guesses the query type from keywords and is fooled by words in our header
    # comments (it then sends an update); every stored query is a read-only SELECT.
    client.queryType = SELECT
    try:
        data = client.queryAndConvert()
    except (urllib.error.URLError, HTTPException, OSError, SPARQLWrapperException) as err:
        raise EndpointError(f"SPARQL endpoint {endpoint} failed for query {query.id}: {err}") from None
    variables = data["head"].get("vars", [])
    rows = [tuple(b.get(v, {}).get("value", "") for v in variables) for b in data["results"]["bindings"]]
    return Result(variables, rows)
