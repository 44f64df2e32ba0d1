"""The downloadable dumps of the published site and the ontology's serialisations.

TriG and N-Quads keep one named graph per source file; Turtle, N-Triples and JSON-LD hold the
union. Every file is deterministic: the dataset's blank nodes are canonically labelled first
(build.canonical_dataset), and every writer sorts (rdflib's TriG and RDF/XML writers order graphs
and namespaces differently from one run to the next, so rdfdocs writes those two as well).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

from paradiplomacy.formats import rdf_format
from paradiplomacy.namespaces import GRAPH, bind_prefixes
from paradiplomacy.publish.pages import Writer
from paradiplomacy.rdf.load import union
from paradiplomacy.rdf.release import release_of
from paradiplomacy.rdf.serialize import context, json_terms, jsonld, nquads_text, ntriples, rdfxml, trig_text, triple_key, turtle


@dataclass(frozen=True)
class Dump:
    path: str  # relative to the site's root
    format: str
    media_type: str
    format_iri: str  # a W3C format IRI (http://www.w3.org/ns/formats/)
    size: int = 0


def sorted_graph(triples) -> Graph:
    """A graph filled in sorted order: rdflib's serializers follow insertion order."""
    graph = bind_prefixes(Graph())
    for triple in sorted(triples, key=triple_key):
        graph.add(triple)
    return graph


def write_dumps(dataset: Dataset, write: Writer, terms: dict | None = None, everything: Graph | None = None,
                texts: dict[str, str] | None = None) -> list[Dump]:
    """``dataset`` must already be canonical (build.canonicalise); ``terms`` the JSON-LD terms
    of its union (rdfdocs.json_terms), ``everything`` the union and ``texts`` the TriG and
    N-Quads texts, each computed here when not given (a build hands down its own)."""
    everything = everything if everything is not None else union(dataset, str(GRAPH))
    texts = texts or {}
    terms = json_terms(everything) if terms is None else terms
    full = context(None, terms.values())
    files = [
        ("dumps/paradiplomacy.trig", "trig", texts.get("TriG") or trig_text(dataset)),
        ("dumps/paradiplomacy.nq", "nq", texts.get("N-Quads") or nquads_text(dataset)),
        ("dumps/paradiplomacy.ttl", "ttl", turtle(everything)),
        ("dumps/paradiplomacy.nt", "nt", ntriples(everything)),
        ("dumps/paradiplomacy.jsonld", "jsonld", jsonld(everything, full, terms)),
        ("dumps/context.jsonld", "jsonld", json.dumps({"@context": full}, ensure_ascii=False, indent=1) + "\n"),
    ]
    return [_dump(path, fmt, write(path, text)) for path, fmt, text in files]


def _dump(path: str, name: str, written: Path) -> Dump:
    fmt = rdf_format(name)
    label = "JSON-LD context" if path.endswith("context.jsonld") else fmt.label
    return Dump(path, label, fmt.media_type, fmt.w3c, written.stat().st_size)


def write_ontology(dataset: Dataset, write: Writer, version: str, release: Graph | None = None) -> list[Dump]:
    """The ontology's release (release.py: one header, no imports, OWL 2 DL ranges; made here
    when not given), the file OWL tools and /ontology get; the modules stay apart in the TriG
    and N-Quads dumps."""
    ontology = release if release is not None else release_of(dataset, version)
    graph = sorted_graph(ontology)
    files = [
        ("ontology.ttl", "ttl", graph.serialize(format="longturtle")),
        ("ontology.rdf", "rdf", rdfxml(ontology)),
        ("ontology.nt", "nt", ntriples(ontology)),
        ("ontology.jsonld", "jsonld", jsonld(ontology)),
    ]
    return [_dump(path, fmt, write(path, text)) for path, fmt, text in files]
