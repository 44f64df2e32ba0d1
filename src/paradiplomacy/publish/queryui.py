"""The query page (``sparql.html``, ``sparql.fa.html``): YASGUI with a tab per stored query,
answers named by their labels in the page's language (``templates/sparql.js``).

The script reads what it needs from ``queries.js``, written here: the stored queries with their
defaults bound, and the project's namespaces (IRIs live in ``namespaces.py`` only), so that the
page can link an entity to its page and name the IRIs it has no label for by a CURIE."""

from __future__ import annotations

import json

from paradiplomacy.namespaces import BASE, ID, PD, PREFIXES
from paradiplomacy.query.catalogue import StoredQuery, with_values


def query_script(stored: dict[str, StoredQuery]) -> str:
    queries = [dict(id=q.id, title=q.title, title_fa=q.header.get("title.fa", ""), text=with_values(q, None))
               for q in stored.values() if q.kind == "cq"]
    site = dict(base=BASE, id=str(ID), ontology=str(PD), prefixes=PREFIXES)
    return ("window.PD_QUERIES = " + json.dumps(queries, ensure_ascii=False, indent=1) + ";\n"
            + "window.PD_SITE = " + json.dumps(site, ensure_ascii=False, indent=1, sort_keys=True) + ";\n")


def write_query_pages(pages, write, stored: dict[str, StoredQuery]) -> None:
    """queries.js and the page in both languages (each page switches language in place too)."""
    write("queries.js", query_script(stored))
    for lang in ("en", "fa"):
        pages.render("sparql.html", "sparql.html" if lang == "en" else "sparql.fa.html", lang, "SPARQL")
