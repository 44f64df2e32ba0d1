"""The three QC scans (dangling-iri, missing-label, undeclared-term) in one pass over the triples.

``queries/qc/*-violation.rq`` stay the published definition of each check; run one by one in
Oxigraph each of the three scans every triple of the store (at 10^6 triples 1.6–2.2 s, 0.5 s and
0.5 s: a scan with a test on each object costs about 1.5 µs a triple). Here every source's
triples are read once, where they pass anyway (the rdflib graphs of the sources, or a bulk file
as Oxigraph parses it), into a :class:`QcIndex` per source: what the three checks need to know of
it. The findings are then set operations over the merged indexes — the size of the entity
sets, not of the graph — and an index of a bulk file is kept in the build cache by the file's
content hash (rdf/cache.py), so an unchanged file is never read again for QC.

Each finding is reported under its check's name with the columns of its stored query;
tests/test_qc.py proves on fixtures that violate each check that the fused check finds exactly
what each stored query finds.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from paradiplomacy.namespaces import ID, PD
from paradiplomacy.project import ProjectError
from paradiplomacy.query.catalogue import Result
from paradiplomacy.rdf.cache import BuildCache

#: the stored checks this module answers, in the catalogue's order
FUSED = ("dangling-iri-violation", "missing-label-violation", "undeclared-term-violation")
#: their columns, as the stored queries project them
VARIABLES = {
    "dangling-iri-violation": ["iri", "usedBy"],
    "missing-label-violation": ["entity", "lang"],
    "undeclared-term-violation": ["term", "usage"],
}
#: the version of the index's layout: a cached index of another layout is never read
INDEX_VERSION = "qc-index-1"

_ID, _PD = str(ID), str(PD)
_TYPE, _LABEL = str(RDF.type), str(RDFS.label)
_EVIDENCE = str(PD.Evidence)
_CONCEPTS = frozenset({str(SKOS.Concept), str(SKOS.ConceptScheme)})
_DECLARATIONS = frozenset(str(t) for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty))
_LANGS = ("fa", "en")
# A node as a string: an IRI as itself, a blank node as "_:" + its id (no IRI starts so: an
# IRI begins with a scheme, and a scheme with a letter), a literal as '"' + its lexical form.
_BNODE, _LITERAL = "_:", '"'


def _first(a: str, b: str) -> bool:
    """Whether ``a`` comes before ``b`` as dangling-iri's usedBy: IRIs before blank nodes (whose
    ids change from build to build), then in code-point order."""
    return (a.startswith(_BNODE), a) < (b.startswith(_BNODE), b)


@dataclass
class QcIndex:
    """What the three checks need to know of one source's triples."""

    #: IRIs under id/ that are the subject of a triple
    subjects: set[str] = field(default_factory=set)
    #: IRIs under id/ used as an object -> the smallest subject that uses it (dangling-iri's usedBy)
    objects: dict[str, str] = field(default_factory=dict)
    #: nodes typed with one of missing-label's classes
    typed: set[str] = field(default_factory=set)
    #: nodes with an rdfs:label in Persian, and in English
    labelled_fa: set[str] = field(default_factory=set)
    labelled_en: set[str] = field(default_factory=set)
    #: predicates of our namespace in use
    properties: set[str] = field(default_factory=set)
    #: objects of rdf:type whose text starts with our namespace (IRIs, or literals marked '"')
    classes: set[str] = field(default_factory=set)
    #: subjects typed owl:Class, owl:ObjectProperty, owl:DatatypeProperty or owl:AnnotationProperty
    declared: set[str] = field(default_factory=set)
    #: a slim index's (node, language) pairs its source types without a label in that language
    missing: set[tuple[str, str]] = field(default_factory=set)
    #: False for a slim index (see slim()): its subjects and labels are left to the store
    complete: bool = True

    def add(self, s: str, p: str, o: str | None, o_lang: str | None = None) -> None:
        """One triple: ``o`` as a node string (see above), ``o_lang`` a literal's language."""
        if s.startswith(_ID):
            self.subjects.add(s)
        if p.startswith(_PD):
            self.properties.add(p)
        if o is None:
            return
        if o.startswith(_ID):
            used = self.objects.get(o)
            if used is None or _first(s, used):
                self.objects[o] = s
        if p == _TYPE:
            text = o[1:] if o.startswith(_LITERAL) else o  # STR(?class): a literal's lexical form
            if (text.startswith(_PD) and o != _EVIDENCE) or o in _CONCEPTS:
                self.typed.add(s)
            if text.startswith(_PD):
                self.classes.add(o)
            if o in _DECLARATIONS:
                self.declared.add(s)
        elif p == _LABEL:
            if o_lang == "fa":
                self.labelled_fa.add(s)
            elif o_lang == "en":
                self.labelled_en.add(s)

    def update(self, other: QcIndex) -> QcIndex:
        self.subjects |= other.subjects
        for o, s in other.objects.items():
            used = self.objects.get(o)
            if used is None or _first(s, used):
                self.objects[o] = s
        self.typed |= other.typed
        self.labelled_fa |= other.labelled_fa
        self.labelled_en |= other.labelled_en
        self.properties |= other.properties
        self.classes |= other.classes
        self.declared |= other.declared
        self.missing |= other.missing
        return self

    def slim(self) -> QcIndex:
        """What of this index another source can still change, for the cache: the IRIs it uses
        but does not describe, the (node, language) labels it lacks, its terms. Its subjects and
        labels are dropped (at 10^6 triples they are nine tenths of the index): findings() looks
        the few candidates up in the store instead, which holds them."""
        objects = {o: s for o, s in self.objects.items() if o not in self.subjects}
        labelled = {"fa": self.labelled_fa, "en": self.labelled_en}
        missing = {(n, lang) for n in self.typed for lang in _LANGS if n not in labelled[lang]} | self.missing
        return QcIndex(objects=objects, properties=set(self.properties), classes=set(self.classes),
                       declared=set(self.declared), missing=missing, complete=False)

    # --- the cache's bytes ------------------------------------------------------------------
    # A slim index, one node a line (no IRI or blank node id holds a line break), in sections; the
    # few classes, which may be literals, as JSON.
    def to_bytes(self) -> bytes:
        if self.complete:
            raise ValueError("only a slim index is cached (QcIndex.slim())")
        objects = sorted(self.objects.items())
        missing = sorted(self.missing)
        sections = [[o for o, _ in objects], [s for _, s in objects], [n for n, _ in missing], [lang for _, lang in missing],
                    sorted(self.properties), sorted(self.declared)]
        head = json.dumps({"version": INDEX_VERSION, "sizes": [len(x) for x in sections], "classes": sorted(self.classes)},
                          ensure_ascii=False)
        return "\n".join([head, *(node for section in sections for node in section)]).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> QcIndex:
        head, _, body = data.partition(b"\n")
        raw = json.loads(head)
        if raw.get("version") != INDEX_VERSION:
            raise ValueError(f"a QC index of layout {raw.get('version')!r}, not {INDEX_VERSION!r}")
        lines = body.decode("utf-8").split("\n") if body else []
        if len(raw["sizes"]) != 6 or sum(raw["sizes"]) != len(lines):
            raise ValueError("a QC index whose sections do not add up")
        sections, at = [], 0
        for size in raw["sizes"]:
            sections.append(lines[at:at + size])
            at += size
        objects, users, nodes, langs, properties, declared = sections
        return cls(objects=dict(zip(objects, users, strict=True)), missing=set(zip(nodes, langs, strict=True)), properties=set(properties),
                   classes=set(raw["classes"]), declared=set(declared), complete=False)


# --- reading triples ----------------------------------------------------------------------------
def _rdflib_node(term) -> str | None:
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return _BNODE + str(term)
    return None


def index_triples(triples: Iterable[tuple], index: QcIndex | None = None) -> QcIndex:
    """The index of rdflib triples (an rdflib Graph, or any iterable of (s, p, o))."""
    index = index if index is not None else QcIndex()
    for s, p, o in triples:
        subject = _rdflib_node(s)
        if isinstance(o, Literal):
            index.add(subject, str(p), _LITERAL + str(o), o.language)
        else:
            index.add(subject, str(p), _rdflib_node(o))
    return index


def index_quads(quads: Iterable, index: QcIndex | None = None) -> QcIndex:
    """The index of pyoxigraph quads or triples (``ox.parse``'s or a store's). The same rules as
    QcIndex.add, written out in the loop: this is the one pass over a bulk file."""
    index = index if index is not None else QcIndex()
    named, blank = ox.NamedNode, ox.BlankNode
    subjects, objects, typed, properties, classes, declared = (index.subjects, index.objects, index.typed, index.properties,
                                                               index.classes, index.declared)
    fa, en = index.labelled_fa, index.labelled_en
    for quad in quads:
        s, p, o = quad.subject, quad.predicate.value, quad.object
        if type(s) is named:
            s = s.value
            if s.startswith(_ID):
                subjects.add(s)
        else:
            s = _BNODE + s.value
        if p.startswith(_PD):
            properties.add(p)
        kind = type(o)
        if kind is named:
            o = o.value
            if o.startswith(_ID):
                used = objects.get(o)
                if used is None or _first(s, used):
                    objects[o] = s
            if p == _TYPE:
                if (o.startswith(_PD) and o != _EVIDENCE) or o in _CONCEPTS:
                    typed.add(s)
                if o.startswith(_PD):
                    classes.add(o)
                if o in _DECLARATIONS:
                    declared.add(s)
        elif kind is not blank:
            if p == _LABEL:
                lang = o.language
                if lang == "fa":
                    fa.add(s)
                elif lang == "en":
                    en.add(s)
            elif p == _TYPE and o.value.startswith(_PD):
                typed.add(s)
                classes.add(_LITERAL + o.value)
    return index


def index_file(path: Path) -> QcIndex:
    """The index of an N-Quads, N-Triples, Turtle or TriG file, as Oxigraph parses it."""
    from paradiplomacy.query.engine import RDFLIB_TO_OX_FORMAT

    return index_quads(ox.parse(path=str(path), format=RDFLIB_TO_OX_FORMAT[path.suffix], lenient=True))


def cached_index(path: Path, cache: BuildCache) -> QcIndex:
    """The slim index of a bulk file, from the build cache while the file's content is unchanged."""
    return QcIndex.from_bytes(_cached_bytes(path, cache))


def _cached_bytes(path: Path, cache: BuildCache) -> bytes:
    data = cache.derived(INDEX_VERSION, [path], lambda: index_file(path).slim().to_bytes())
    try:
        QcIndex.from_bytes(data)
    except (ValueError, KeyError, TypeError):  # an entry of another layout: made anew
        data = index_file(path).slim().to_bytes()
        cache.store_derived(INDEX_VERSION, [path], data)
    return data


class Prefetch:
    """The slim indexes of bulk files, made by a child process (``python -m paradiplomacy.check.qc``)
    into the cache while this one loads the store and validates: pyoxigraph holds the GIL, so a
    thread would not run beside it. Files whose index is in the cache are read here and no
    process is started; a child that fails is reported by result() with its last line."""

    def __init__(self, paths: Sequence[Path], cache: BuildCache) -> None:
        import subprocess
        import sys

        self.cache, self.paths = cache, list(paths)
        cold = [p for p in self.paths if not cache.has_derived(INDEX_VERSION, [p])]
        self._child = None
        if cold:
            self._child = subprocess.Popen([sys.executable, "-m", "paradiplomacy.check.qc", str(cache.root), *map(str, cold)],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def result(self) -> list[QcIndex]:
        if self._child is not None:
            _, err = self._child.communicate()
            code, self._child = self._child.returncode, None
            if code != 0:
                raise ProjectError(f"the QC index of {', '.join(map(str, self.paths))} failed: "
                                   f"{(err.strip().splitlines() or ['exit ' + str(code)])[-1]}")
        return [cached_index(p, self.cache) for p in self.paths]


def index_dataset(dataset) -> QcIndex:
    """The index of every named graph of an rdflib Dataset (the union the stored queries see)."""
    index = QcIndex()
    for graph in dataset.graphs():
        if str(graph.identifier) != "urn:x-rdflib:default":
            index_triples(graph, index)
    return index


# --- the findings -------------------------------------------------------------------------------
def _text(node: str) -> str:
    """A node string as the stored queries' rows give it (Oxigraph's term value)."""
    if node.startswith(_BNODE):
        return node[len(_BNODE):]
    if node.startswith(_LITERAL):
        return node[len(_LITERAL):]
    return node


def _store_of(store):
    return getattr(store, "store", store)  # a FastStore, or a pyoxigraph Store


def findings(indexes: QcIndex | Iterable[QcIndex], store=None) -> dict[str, Result]:
    """Each check's rows, as its stored query answers them on the union of the indexed sources
    (sorted as its ORDER BY; dangling-iri's usedBy, a SAMPLE there, is here the smallest subject
    that uses the IRI). The indexes must cover every source the store holds; ``store`` (a
    FastStore or pyoxigraph Store holding them) is needed when an index is slim: the candidates
    no complete index settles are looked up there, one index lookup each."""
    indexes = [indexes] if isinstance(indexes, QcIndex) else list(indexes)
    if store is None and not all(i.complete for i in indexes):
        raise ValueError("a slim QC index needs the store that holds its source")
    merged = QcIndex()
    for index in indexes:
        merged.update(index)
    labelled = {"fa": merged.labelled_fa, "en": merged.labelled_en}
    candidates = {(n, lang) for n in merged.typed for lang in _LANGS if n not in labelled[lang]}
    candidates |= {(n, lang) for n, lang in merged.missing if n not in labelled[lang]}
    dangling = {iri: used for iri, used in merged.objects.items() if iri not in merged.subjects}
    if store is not None:
        ox_store = _store_of(store)
        dangling = {iri: used for iri, used in dangling.items()
                    if next(iter(ox_store.quads_for_pattern(ox.NamedNode(iri), None, None, None)), None) is None}
        candidates = {(n, lang) for n, lang in candidates if n.startswith(_BNODE) or lang not in _store_labels(ox_store, n)}
    undeclared = {(term, "property") for term in merged.properties if term not in merged.declared}
    undeclared |= {(_text(term), "class") for term in merged.classes if term not in merged.declared}
    return {
        "dangling-iri-violation": Result(VARIABLES["dangling-iri-violation"], sorted((i, _text(u)) for i, u in dangling.items())),
        "missing-label-violation": Result(VARIABLES["missing-label-violation"], sorted((_text(n), lang) for n, lang in candidates)),
        "undeclared-term-violation": Result(VARIABLES["undeclared-term-violation"], sorted(undeclared)),
    }


_LABEL_NODE = ox.NamedNode(_LABEL)


def _store_labels(store, node: str) -> set[str]:
    """The languages of ``node``'s rdfs:label in the store (a blank node's labels are all in its
    own source, so only IRIs are looked up)."""
    return {q.object.language for q in store.quads_for_pattern(ox.NamedNode(node), _LABEL_NODE, None, None)
            if type(q.object) is ox.Literal}


def failures(indexes: QcIndex | Iterable[QcIndex], store=None) -> Mapping[str, Result]:
    """Only the checks that found something (CheckOutcome.qc_failures' shape)."""
    return {check: result for check, result in findings(indexes, store).items() if result.rows}


def check(dataset, store=None, bulk: Sequence[Path] = (), cache: BuildCache | None = None,
          prefetch: Prefetch | None = None) -> Mapping[str, Result]:
    """The build's call: the fused checks' failures on ``dataset`` (the sources, as
    rdf.load.load_dataset gives them) plus the ``bulk`` files loaded into ``store`` beside it
    (for the benchmark, the synthetic graph). A bulk file's index comes from ``prefetch`` when
    one was started for it, else from ``cache`` (made there, in this process, when missing)."""
    indexes = [index_dataset(dataset)]
    if bulk:
        if prefetch is not None:
            indexes += prefetch.result()
        elif cache is not None:
            indexes += [cached_index(path, cache) for path in bulk]
        else:
            indexes += [index_file(path) for path in bulk]
    return failures(indexes, store if not all(i.complete for i in indexes) else None)


if __name__ == "__main__":  # Prefetch's child: python -m paradiplomacy.check.qc CACHE_DIR FILE...
    import sys

    _cache = BuildCache(Path(sys.argv[1]))
    for _path in sys.argv[2:]:
        _cached_bytes(Path(_path), _cache)
