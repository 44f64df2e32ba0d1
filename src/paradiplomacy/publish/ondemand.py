"""The documents of the entities a site leaves to ``pdkg serve``: rendered from the store, on
demand, with the templates and serializers of the static pages, byte for byte what
publish/site.py would have written for them.

At 10^6 triples a page per entity and language is hundreds of thousands of files (README, "The
pieces that scale"), so an entity that only the bulk graphs describe (``Sources.bulk_graphs``:
graphs read from bulk N-Quads files, such as the benchmark's synthetic graph) gets no files;
the site says so in :data:`MANIFEST` (the bulk graphs, the version and the JSON-LD terms the
pages need), and ``pdkg serve`` renders such an entity's pages and RDF documents when asked.

A page shows more than its entity's own statements (the labels and links of what it names, the
quotes of its evidence and their documents), so the renderer reads the slice of the store that
page needs: every quad about or naming the entity, every quad about each term those name, and
then the evidence of the facts naming it and the documents of that evidence. A
:class:`~paradiplomacy.publish.sitegraph.SiteGraph` of that slice gives the page the same
statements, labels and links as the SiteGraph of the whole dataset gives the static writer.

Two things a store does not keep would make the two differ, so an entity showing either stays
static (:func:`left_to_serve`): a blank node (a store relabels it) and a typed literal that is
not in the store's canonical form (Oxigraph writes ``"1500.0"^^xsd:decimal`` back as ``"1500"``).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from paradiplomacy.namespaces import GRAPH, ID, PD
from paradiplomacy.project import ProjectError
from paradiplomacy.publish.pages import Pages
from paradiplomacy.publish.sitegraph import SiteGraph, graph_document
from paradiplomacy.query.engine import FastStore
from paradiplomacy.query.labels import LabelIndex
from paradiplomacy.rdf.serialize import Term, jsonld, ntriples, turtle
from paradiplomacy.rdf.solutions import rdflib_term

#: the site's record of what it left to be rendered on demand (absent: every page is a file)
MANIFEST = "ondemand.json"
LAYOUT = "pdkg-ondemand-1"
#: an entity's documents, by the end of their names (the Persian page before the English one)
SUFFIXES = (".fa.html", ".html", ".ttl", ".jsonld", ".nt")
# what a page shows beyond the terms its entity's quads name: the evidence of the facts that
# name it, and the documents of every piece of evidence
_FOLLOW = (ox.NamedNode(str(PD.evidence)), ox.NamedNode(str(PD.sourceDocument)))


class ManifestError(ProjectError):
    """The site's on-demand manifest is unreadable; the message names the file."""


@dataclass(frozen=True)
class Manifest:
    version: str
    bulk_graphs: frozenset[str]
    terms: dict[URIRef, Term]
    entities: int  # how many entities were left to be rendered on demand


def manifest_text(version: str, bulk_graphs: Iterable[str], terms: dict[URIRef, Term], entities: int) -> str:
    return json.dumps({"layout": LAYOUT, "version": version, "bulk_graphs": sorted(bulk_graphs), "entities": entities,
                       # in the order json_terms made them (a dict's order is the documents' only input besides its keys)
                       "terms": [[t.iri, t.name, t.coerce] for t in terms.values()]},
                      ensure_ascii=False, indent=1) + "\n"


def read_manifest(site: Path) -> Manifest | None:
    """The manifest of the site in ``site``, or None when the site left nothing to render."""
    path = site / MANIFEST
    if not path.is_file():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("layout") != LAYOUT:
            raise ManifestError(f"{path}: layout {raw.get('layout')!r}, expected {LAYOUT!r}: publish the site again (`pdkg build`)")
        terms = {URIRef(iri): Term(name, iri, coerce) for iri, name, coerce in raw["terms"]}
        return Manifest(str(raw["version"]), frozenset(raw["bulk_graphs"]), terms, int(raw["entities"]))
    except ManifestError:
        raise
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as err:
        raise ManifestError(f"{path}: not a manifest of this package ({err.__class__.__name__}: {err}): "
                            "publish the site again (`pdkg build`)") from None


# --- what the static writer leaves out --------------------------------------------------------------

def _from_ox(term) -> URIRef | BNode | Literal:
    """A store's term as rdflib reads the same term from a file (a plain literal has no datatype)."""
    return rdflib_term(term, plain_strings=True)


def _same(a: Literal, b) -> bool:
    return isinstance(b, Literal) and str(a) == str(b) and a.datatype == b.datatype and a.language == b.language


def rewritten(literals: Iterable[Literal]) -> set[Literal]:
    """The typed literals a store gives back in another form than this one (a number not in its
    canonical form), found by storing them all once in a scratch store."""
    typed = sorted({lit for lit in literals if lit.datatype is not None}, key=lambda lit: (str(lit.datatype), str(lit)))
    if not typed:
        return set()
    scratch, p, g = ox.Store(), ox.NamedNode("urn:x-pdkg:value"), ox.NamedNode("urn:x-pdkg:g")
    scratch.extend(ox.Quad(ox.NamedNode(f"urn:x-pdkg:{n}"), p, ox.Literal(str(lit), datatype=ox.NamedNode(str(lit.datatype))), g)
                   for n, lit in enumerate(typed))
    back = {int(q.subject.value.rsplit(":", 1)[1]): _from_ox(q.object) for q in scratch}
    return {lit for n, lit in enumerate(typed) if not _same(lit, back.get(n))}


def left_to_serve(site: SiteGraph, bulk_graphs: frozenset[str]) -> set[URIRef]:
    """The entities whose documents the static site leaves to ``pdkg serve``: those only
    ``bulk_graphs`` describe, unless what their documents show holds a blank node or a literal
    the store would give back in another form (then the page from the store would differ)."""
    if not bulk_graphs:
        return set()
    shown = {e: site.shown(e) for e in site.entities if site.bulk_only(e, bulk_graphs)}
    changed = rewritten(st.object for statements in shown.values() for st in statements if isinstance(st.object, Literal))
    return {e for e, statements in shown.items()
            if not any(isinstance(st.subject, BNode) or isinstance(st.object, BNode) or st.object in changed for st in statements)}


# --- rendering from the store -------------------------------------------------------------------------

def _named(quads) -> list:
    return [q for q in quads if isinstance(q.graph_name, ox.NamedNode)]  # the store's default graph is not published


class OnDemand:
    """Renders the documents of the entities a published site left out, from ``store`` (the
    published graph: the site's N-Quads dump, or the build's store), and keeps the last
    ``capacity`` documents in memory, at most ``max_bytes`` of them (the page of a country that
    thousands of facts name is megabytes)."""

    def __init__(self, store: ox.Store, manifest: Manifest, capacity: int = 512, max_bytes: int = 64 << 20) -> None:
        self.store, self.manifest, self.capacity, self.max_bytes = store, manifest, capacity, max_bytes
        self._bytes = 0
        self.pages = Pages(SiteGraph(None), _no_writer, manifest.version)  # compiles the templates once
        self._cache: OrderedDict[str, bytes | None] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def entity_of(path: str) -> tuple[str, str] | None:
        """``/id/city/x.fa.html`` -> (the entity's IRI, ".fa.html"); None for any other path."""
        relative = path.lstrip("/")
        if not relative.startswith("id/"):
            return None
        suffix = next((s for s in SUFFIXES if relative.endswith(s)), None)
        if suffix is None or len(relative) == len(suffix) + 3:
            return None
        return str(ID) + relative[3:-len(suffix)], suffix

    def has(self, iri: str) -> bool:
        """The store describes ``iri`` (an entity: a statement about it in a published graph)."""
        node = self._node(iri)
        return node is not None and any(str(q.graph_name.value).startswith(str(GRAPH))
                                        for q in _named(self.store.quads_for_pattern(node, None, None)))

    def document(self, path: str) -> bytes | None:
        """The bytes of the document at the site path ``path`` (an entity's page or RDF
        document), or None when the store describes no such entity."""
        found = self.entity_of(path)
        if found is None:
            return None
        with self._lock:
            if path in self._cache:
                self._cache.move_to_end(path)
                return self._cache[path]
        body = self.render(*found)
        data = body.encode("utf-8") if body is not None else None
        with self._lock:
            if path not in self._cache:
                self._cache[path] = data
                self._bytes += len(data or b"")
            while self._cache and (len(self._cache) > self.capacity or self._bytes > self.max_bytes):
                self._bytes -= len(self._cache.popitem(last=False)[1] or b"")
        return data

    def render(self, iri: str, suffix: str) -> str | None:
        """The text of ``iri``'s document ``suffix`` (as SUFFIXES), or None when the store does not describe it."""
        page = suffix in (".html", ".fa.html")
        site = self.site_of(iri, page)
        entity = URIRef(iri)
        if site is None or entity not in site.out:
            return None
        if page:
            pages = self.pages.for_site(site)
            path, title, context = pages.entity_context(entity, "fa" if suffix == ".fa.html" else "en")
            return pages.render_text("entity.html", path, "fa" if suffix == ".fa.html" else "en", title, **context)
        triples = site.description(entity)
        if suffix == ".ttl":
            return turtle(triples)
        if suffix == ".jsonld":
            return jsonld(triples, terms=self.manifest.terms)
        return ntriples(triples)

    def site_of(self, iri: str, page: bool = True) -> SiteGraph | None:
        """A SiteGraph of the slice of the store the pages of ``iri`` need (see the module's
        docstring), or only what its RDF documents hold (``page`` False: the quads about and
        naming it and those about its evidence, SiteGraph.description), or None when the store
        has nothing about it."""
        node = self._node(iri)
        if node is None:
            return None
        store = self.store
        quads = _named(store.quads_for_pattern(node, None, None)) + _named(store.quads_for_pattern(None, None, node))
        if not quads:
            return None
        described = {node}
        frontier: set = set()
        if not page:  # a hub's RDF documents need none of its neighbours' statements
            quads += [q for ev in sorted({q.object for q in quads if q.subject == node and q.predicate == _FOLLOW[0]
                                          and isinstance(q.object, ox.NamedNode)}, key=str)
                      for q in _named(store.quads_for_pattern(ev, None, None))]
        for q in quads if page else ():
            frontier.update(t for t in (q.subject, q.predicate, q.object) if isinstance(t, (ox.NamedNode, ox.BlankNode)))
            document = graph_document(URIRef(q.graph_name.value))
            if document is not None:
                frontier.add(ox.NamedNode(str(document)))
        while page and (frontier := frontier - described):
            new = [q for term in sorted(frontier, key=str) for q in _named(store.quads_for_pattern(term, None, None))]
            described |= frontier
            quads += new
            frontier = {q.object for q in new if q.predicate in _FOLLOW and isinstance(q.object, ox.NamedNode)}
        quads = list(dict.fromkeys(quads))  # a fact naming the entity was read as its neighbour too
        local = FastStore()
        local.store.extend(quads)
        return SiteGraph(None, LabelIndex.from_runner(local),
                         quads=((_from_ox(q.subject), _from_ox(q.predicate), _from_ox(q.object), URIRef(q.graph_name.value))
                                for q in quads))

    @staticmethod
    def _node(iri: str) -> ox.NamedNode | None:
        try:
            return ox.NamedNode(iri)
        except ValueError:  # not an IRI (a space, a bracket in the path): nothing in the store
            return None


def _no_writer(relative: str, text: str) -> Path:
    raise AssertionError("an on-demand page is rendered to text, never written")
