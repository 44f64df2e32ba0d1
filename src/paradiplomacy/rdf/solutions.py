"""The rows of a SELECT on a pyoxigraph store.

``Store.query`` answers every query form with its own kind of result (solutions, a boolean, triples);
code that reads rows must know it got rows, and a query of another form is a mistake to name, not
a result to iterate.
"""

from __future__ import annotations

import pyoxigraph as ox

from paradiplomacy.project import ProjectError


def select(store: ox.Store, query: str, union: bool = True) -> ox.QuerySolutions:
    """The solutions of ``query``, over the union of the store's graphs unless ``union`` is off."""
    result = store.query(query, use_default_graph_as_union=union)
    if not isinstance(result, ox.QuerySolutions):
        first = next((line.strip() for line in query.splitlines() if line.strip() and not line.lstrip().upper().startswith("PREFIX")), "")
        raise ProjectError(f"not a SELECT query (its answer is a {type(result).__name__}): {first[:100]!r}")
    return result
