"""Run stored queries against any SPARQL 1.1 endpoint through SPARQLWrapper."""

from __future__ import annotations

import urllib.error
from http.client import HTTPException

from SPARQLWrapper import JSON, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from paradiplomacy import __version__
from paradiplomacy.project import ProjectError
from paradiplomacy.query.catalogue import Result, StoredQuery, with_values

USER_AGENT = f"pdkg/{__version__} (Paradiplomacy Knowledge Graph; +https://w3id.org/paradiplomacy/)"


class EndpointError(ProjectError):
    """The endpoint cannot be reached or refuses the query; names the endpoint."""


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
    except (urllib.error.URLError, HTTPException, OSError, SPARQLWrapperException, ValueError) as err:
        # ValueError: an answer that is not SPARQL JSON results
        raise EndpointError(f"SPARQL endpoint {endpoint} failed for query {query.id}: {err}") from None
    try:
        variables = data["head"].get("vars", [])
        rows = [tuple(b.get(v, {}).get("value", "") for v in variables) for b in data["results"]["bindings"]]
    except (KeyError, TypeError, AttributeError) as err:
        raise EndpointError(f"SPARQL endpoint {endpoint} answered query {query.id} with no SELECT results ({err!r})") from None
    return Result(variables, rows)
