"""Run stored queries against any SPARQL 1.1 endpoint through SPARQLWrapper.

Parameters given by name (``city=اصفهان``, ``city=Isfahan``, ``city=city:isfahan``) are resolved
as on the embedded store, by a :class:`~paradiplomacy.query.labels.LabelIndex`, here read from
the endpoint itself (one query for its labels: the graph the query runs on is the one that
names its entities); the endpoint then gets the IRI, bound as an RDF term in a VALUES block."""

from __future__ import annotations

import urllib.error
from http.client import HTTPException

from SPARQLWrapper import JSON, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from paradiplomacy.project import ProjectError, package_version
from paradiplomacy.query.catalogue import Result, StoredQuery, with_values
from paradiplomacy.query.labels import LabelIndex

USER_AGENT = f"pdkg/{package_version()} (Paradiplomacy Knowledge Graph; +https://w3id.org/paradiplomacy/)"


class EndpointError(ProjectError):
    """The endpoint cannot be reached or refuses the query; names the endpoint."""


def select(endpoint: str, text: str, what: str, timeout: float = 30, whole: bool = False) -> Result:
    """A SELECT on ``endpoint``: its variables and rows as text (IRIs, lexical forms, labels);
    ``what`` names the query in errors. ``whole``: refuse an answer the endpoint says it cut
    (``PDKG-Truncated``, as ``pdkg serve`` does past its row or byte limit)."""
    client = SPARQLWrapper(endpoint, agent=USER_AGENT)
    client.setTimeout(int(timeout))
    client.setMethod("POST")
    client.setReturnFormat(JSON)
    client.setQuery(text)
    # SPARQLWrapper guesses the query type from keywords and is fooled by words in our header
    # comments (it then sends an update); every query sent from here is a read-only SELECT.
    client.queryType = SELECT
    try:
        answer = client.query()
        truncated = answer.info().get("pdkg-truncated") == "true"
        data = answer.convert()
    except (urllib.error.URLError, HTTPException, OSError, SPARQLWrapperException, ValueError) as err:
        # ValueError: an answer that is not SPARQL JSON results
        raise EndpointError(f"SPARQL endpoint {endpoint} failed for {what}: {err}") from None
    if whole and truncated:
        raise EndpointError(f"SPARQL endpoint {endpoint} cut its answer to {what} "
                            f"({answer.info().get('pdkg-truncated-by', 'a limit')}): raise its limit (pdkg serve --limit)")
    try:
        variables = data["head"].get("vars", [])
        rows = [tuple(b.get(v, {}).get("value", "") for v in variables) for b in data["results"]["bindings"]]
    except (KeyError, TypeError, AttributeError) as err:
        raise EndpointError(f"SPARQL endpoint {endpoint} answered {what} with no SELECT results ({err!r})") from None
    return Result(variables, rows)


def run_remote(endpoint: str, query: StoredQuery, values: dict[str, str] | None = None, timeout: float = 30) -> Result:
    return select(endpoint, with_values(query, values), f"query {query.id}", timeout)


class RemoteRunner:
    """What LabelIndex.from_runner reads labels through: ``select`` on an endpoint."""

    def __init__(self, endpoint: str, timeout: float = 30) -> None:
        self.endpoint, self.timeout = endpoint, timeout

    def select(self, text: str) -> Result:
        # names left out of a cut answer would be refused as unknown: better to say so
        return select(self.endpoint, text, "the query for its labels", self.timeout, whole=True)


def remote_labels(endpoint: str, timeout: float = 30) -> LabelIndex:
    """The names of the endpoint's entities, to resolve parameters and label answers with."""
    return LabelIndex.from_runner(RemoteRunner(endpoint, timeout))
