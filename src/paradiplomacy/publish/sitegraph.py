"""The published graph indexed for page writing: statements in and out of each entity, the named
graph of each statement, labels in Persian and English (chosen by labels.LabelIndex, as in the
CLI's answers), evidence, and the path of each entity's documents on the site."""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from paradiplomacy.namespaces import BASE, GRAPH, ID, INSTANCE, PD, graph_location
from paradiplomacy.query.labels import LabelIndex
from paradiplomacy.rdf.serialize import compact, sort_key

LABELS = (RDFS.label, SKOS.prefLabel)
ONTOLOGY = BASE + "ontology"
# looked up hundreds of thousands of times a site: an rdflib Namespace attribute costs a call each
_TYPE, _EVIDENCE, _EVIDENCE_CLASS, _LOCATOR = RDF.type, PD.evidence, PD.Evidence, PD.locator


@dataclass(frozen=True)
class Statement:
    subject: URIRef | BNode
    predicate: URIRef
    object: URIRef | BNode | Literal
    graph: URIRef

    @property
    def source_file(self) -> str:
        """The hand-edited file the statement comes from (named graph IRI -> path)."""
        return graph_file(self.graph)


def graph_file(graph: URIRef) -> str:
    return graph_location(str(graph))


def graph_document(graph: URIRef) -> URIRef | None:
    """The source document whose statements a named graph holds (``…/graph/source/<doc-id>``),
    or None for graphs named otherwise (reference data, or the older graphs named by file)."""
    prefix = str(GRAPH) + "source/"
    return INSTANCE["doc"][str(graph)[len(prefix):]] if str(graph).startswith(prefix) else None


def entity_path(iri: str) -> str:
    """``…/id/city/tehran`` -> ``id/city/tehran`` (the path of its documents, without suffix)."""
    if not iri.startswith(str(ID)):
        raise ValueError(f"not an entity IRI under {ID}: {iri}")
    return "id/" + iri[len(str(ID)):]


class SiteGraph:
    def __init__(self, dataset: Dataset | None, labels: LabelIndex | None = None,
                 quads: Iterable[tuple] | None = None) -> None:
        """The whole published ``dataset``'s statements, or ``quads`` ((s, p, o, graph), rdflib
        terms): the slice of a store that one entity's documents need (publish/ondemand.py)."""
        self.labels = labels or LabelIndex()
        self.out: dict = defaultdict(list)  # subject -> [Statement]
        self.inc: dict = defaultdict(list)  # object IRI -> [Statement]
        if quads is None:
            quads = ((s, p, o, graph.identifier) for graph in (dataset.graphs() if dataset is not None else ())
                     for s, p, o in graph)
        prefix = str(GRAPH)
        for s, p, o, g in quads:
            if str(g).startswith(prefix):
                st = Statement(s, p, o, g)
                self.out[s].append(st)
                if isinstance(o, (URIRef, BNode)):
                    self.inc[o].append(st)

        def key(st):
            return sort_key(st.subject), sort_key(st.predicate), sort_key(st.object), str(st.graph)

        for statements in (*self.out.values(), *self.inc.values()):
            statements.sort(key=key)
        self.entities = sorted((s for s in self.out if isinstance(s, URIRef) and str(s).startswith(str(ID))), key=str)
        # subject -> predicate -> objects, and caches: a page asks for the same labels and links
        # thousands of times over
        self.props: dict = defaultdict(lambda: defaultdict(list))
        for subject, statements in self.out.items():
            for st in statements:
                self.props[subject][st.predicate].append(st.object)
        self._labels: dict = {}
        self._hrefs: dict = {}
        # (fact, graph) -> its evidence stated in that graph, in the statements' order
        self._evidence_in: dict = defaultdict(list)
        for subject, statements in self.out.items():
            for st in statements:
                if st.predicate == _EVIDENCE:
                    self._evidence_in[(subject, st.graph)].append(st.object)

    def bulk_only(self, iri, bulk_graphs: frozenset[str]) -> bool:
        """Only ``bulk_graphs`` state anything about ``iri`` (publish/ondemand.py leaves it out)."""
        statements = self.out.get(iri, ())
        return bool(statements) and all(str(st.graph) in bulk_graphs for st in statements)

    def shown(self, iri) -> list[Statement]:
        """The statements the documents of ``iri`` show: about it, naming it, about its
        evidence, and the evidence of the facts naming it."""
        shown = [*self.out.get(iri, ()), *self.inc.get(iri, ())]
        shown += [st for ev in self.evidence(iri) for st in self.out.get(ev, ())]
        shown += [st for fact in dict.fromkeys(st.subject for st in self.inc.get(iri, ())) for st in self.out.get(fact, ())
                  if st.predicate == _EVIDENCE]
        return shown

    # --- reading -------------------------------------------------------------------------
    def values(self, subject, predicate) -> list:
        found = self.props.get(subject)
        return found.get(predicate, []) if found else []

    def value(self, subject, predicate):
        found = self.values(subject, predicate)
        return found[0] if found else None

    def types(self, subject) -> list[URIRef]:
        return [t for t in self.values(subject, _TYPE) if isinstance(t, URIRef)]

    def is_evidence(self, subject) -> bool:
        return _EVIDENCE_CLASS in self.types(subject)

    def label(self, term, lang: str) -> str:
        """The label in ``lang``, else in the other language, else a locator, else a CURIE."""
        if isinstance(term, Literal):
            return str(term)
        key = (term, lang)
        if key not in self._labels:
            self._labels[key] = self._label(term, lang)
        return self._labels[key]

    def _label(self, term, lang: str) -> str:
        chosen = self.labels.label(str(term), lang)
        if chosen:  # the label the CLI shows for the same entity
            return chosen
        other = "en" if lang == "fa" else "fa"
        for wanted in (lang, other, None):
            for predicate in LABELS:
                for value in self.values(term, predicate):
                    if isinstance(value, Literal) and (wanted is None or value.language == wanted):
                        return str(value)
        locator = self.value(term, _LOCATOR)
        if locator is not None:
            return str(locator)
        iri = str(term)
        return compact(iri) or (iri[len(str(ID)):] if iri.startswith(str(ID)) else iri)

    def label_lang(self, term, lang: str) -> str:
        """The language the label of ``term`` shown for ``lang`` is in (for the lang attribute)."""
        known = self.labels.labels.get(str(term))
        if known:
            return lang if lang in known else next(iter(sorted(known)), "en")
        for wanted in (lang, "en" if lang == "fa" else "fa"):
            for predicate in LABELS:
                if any(isinstance(v, Literal) and v.language == wanted for v in self.values(term, predicate)):
                    return wanted
        return "en"

    def evidence(self, subject, graph: URIRef | None = None) -> list[URIRef]:
        """The evidence nodes of a fact (those stated in ``graph``, if given)."""
        if graph is None:
            return self.values(subject, _EVIDENCE)
        return list(self._evidence_in.get((subject, graph), ()))

    def description(self, subject) -> set:
        """The triples an entity's RDF documents hold: every statement about it, every statement
        naming it, and the document, locator and quote of each of its pieces of evidence (so a
        fact's document carries its provenance)."""
        triples = {(st.subject, st.predicate, st.object) for st in self.out.get(subject, ())}
        triples |= {(st.subject, st.predicate, st.object) for st in self.inc.get(subject, ())}
        for ev in self.evidence(subject):
            triples |= {(st.subject, st.predicate, st.object) for st in self.out.get(ev, ())}
        return triples

    # --- linking ---------------------------------------------------------------------------
    def href(self, term, from_path: str, suffix: str = ".html") -> str | None:
        """A relative link from the page at ``from_path`` to ``term``'s page, or None."""
        key = (term, posixpath.dirname(from_path), suffix)
        if key not in self._hrefs:
            self._hrefs[key] = self._href(term, from_path, suffix)
        return self._hrefs[key]

    def _href(self, term, from_path: str, suffix: str) -> str | None:
        iri = str(term)
        if iri.startswith(str(ID)) and term in self.out:
            target = entity_path(iri) + suffix
        elif iri.startswith(ONTOLOGY):
            target = "ontology" + (".fa" if suffix == ".fa.html" else "") + ".html" + (
                "#" + iri.split("#", 1)[1] if "#" in iri else "")
        else:
            return None
        return posixpath.relpath(target.split("#")[0], posixpath.dirname(from_path) or ".") + (
            "#" + target.split("#", 1)[1] if "#" in target else "")
