"""The documents of the IRIs the site mints besides its entities: each named graph
(``…/graph/source/{doc-id}``, ``…/graph/reference``, ``…/graph/links/…``, ``…/graph/ontology/…``),
each module of the ontology (``…/ontology/{module}``) and the version IRI (``…/ontology/{version}``).
Each has an HTML page in English and Persian and its RDF beside it, at the paths
publish/conneg.py's table sends its IRI to:

- a named graph's RDF documents hold its triples (the slice of the N-Quads dump under its name);
  its page says what it holds, how many triples, and links the document it comes from;
- a module's documents hold its source file's statements (its header and its terms); its page
  lists the terms, linked to the ontology's documentation;
- the version IRI's documents are the release itself (the files /ontology gives), kept under the
  version's name so that they stay when a later release replaces /ontology's.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from paradiplomacy.namespaces import BASE, GRAPH, PD, REFERENCE_GRAPH, SOURCE_GRAPH, graph_location
from paradiplomacy.publish.pages import Pages, Writer
from paradiplomacy.publish.sitegraph import graph_document
from paradiplomacy.rdf.serialize import jsonld, ntriples, rdfxml, turtle

ONTOLOGY = BASE + "ontology"
RDF_DOCS = ((".ttl", "Turtle", "text/turtle"), (".jsonld", "JSON-LD", "application/ld+json"), (".nt", "N-Triples", "application/n-triples"))
RELEASE_DOCS = (*RDF_DOCS, (".rdf", "RDF/XML", "application/rdf+xml"))
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)

TEXT = {
    "en": dict(
        graph="Named graph", module="Ontology module", version="Ontology release", triples="Triples", subjects="Subjects",
        sources="Kept in", document="Source document", as_="This graph as", in_dumps="With its name, in the dumps",
        module_as="This module as", release_as="This release as", terms="Terms", part_of="Module of",
        graph_of="Its statements, as a named graph", version_of="Version of", documentation="Documentation",
        source_intro="The statements taken from one source document, each with its locator and verbatim quote.",
        reference_intro="The shared reference data: the statements several documents rest on, kept apart from any one document.",
        links_intro="Links the build derives from the packages' data (no hand-edited source file).",
        ontology_intro="The statements of one source file of the ontology.",
        version_intro="This version of the ontology, as one file with one header (the modules merged).",
    ),
    "fa": dict(
        graph="گراف نام‌دار", module="ماژول هستان‌شناسی", version="نسخهٔ منتشرشدهٔ هستان‌شناسی", triples="سه‌تایی‌ها",
        subjects="نهادها", sources="نگه‌داشته در", document="سند منبع", as_="این گراف در قالب", in_dumps="با نامش، در پرونده‌های بارگیری",
        module_as="این ماژول در قالب", release_as="این نسخه در قالب", terms="اصطلاح‌ها", part_of="ماژولِ",
        graph_of="گزاره‌هایش، به صورت گراف نام‌دار", version_of="نسخه‌ای از", documentation="مستندات",
        source_intro="گزاره‌های برگرفته از یک سند منبع، هر یک با نشانی در سند و نقل‌قول عین متن.",
        reference_intro="داده‌های مرجع مشترک: گزاره‌هایی که چند سند بر آن‌ها استوارند، جدا از هر سند.",
        links_intro="پیوندهایی که ساخت گراف از داده‌های بسته‌ها به دست می‌آورد (بی‌پرونده‌ای که با دست ویرایش شود).",
        ontology_intro="گزاره‌های یکی از پرونده‌های منبع هستان‌شناسی.",
        version_intro="این نسخه از هستان‌شناسی، در یک پرونده با یک سرآیند (ماژول‌ها در هم).",
    ),
}


def _plain(text, lang: str | None = None, href: str | None = None, title: str | None = None) -> dict:
    return dict(text=str(text), href=href, external=None, lang=lang, title=title)


def _link(target: str, from_path: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(from_path) or ".")


class Documents:
    def __init__(self, dataset: Dataset, write: Writer, pages: Pages, version: str, terms: dict) -> None:
        self.dataset, self.write, self.pages, self.version, self.terms = dataset, write, pages, version, terms

    def page(self, stem: str, lang: str, title: str, iri: str, intro: list[dict], rows: list[dict], formats_label: str,
             formats) -> None:
        path = stem + (".fa.html" if lang == "fa" else ".html")
        name = stem.rsplit("/", 1)[-1]
        docs = [dict(href=name + ext, name=label, type=mime) for ext, label, mime in formats]
        self.pages.render("described.html", path, lang, title, d=dict(title=title, iri=iri, intro=intro, rows=rows,
                          formats_label=formats_label, formats=docs),
                          alternates=[dict(type=mime, href=name + ext) for ext, _, mime in formats])

    def rdf(self, stem: str, triples: set, rdf_xml: bool = False) -> None:
        self.write(stem + ".ttl", turtle(triples))
        self.write(stem + ".jsonld", jsonld(triples, terms=self.terms))
        self.write(stem + ".nt", ntriples(triples))
        if rdf_xml:
            self.write(stem + ".rdf", rdfxml(triples))

    # --- named graphs --------------------------------------------------------------------------------
    def graphs(self) -> list[str]:
        written = []
        for graph in sorted(self.dataset.graphs(), key=lambda g: str(g.identifier)):
            iri = str(graph.identifier)
            if not iri.startswith(str(GRAPH)) or not len(graph):
                continue
            stem = iri[len(BASE):]
            triples = set(graph)
            self.rdf(stem, triples)
            for lang in ("en", "fa"):
                self.graph_page(stem, iri, triples, lang)
            written.append(iri)
        return written

    def graph_page(self, stem: str, iri: str, triples: set, lang: str) -> None:
        t = TEXT[lang]
        path = stem + (".fa.html" if lang == "fa" else ".html")
        suffix = ".fa.html" if lang == "fa" else ".html"
        intro = "source_intro" if iri.startswith(SOURCE_GRAPH) else "reference_intro" if iri == REFERENCE_GRAPH else \
            "links_intro" if iri.startswith(f"{GRAPH}links/") else "ontology_intro"
        rows = [dict(label=t["triples"], values=[_plain(len(triples))]),
                dict(label=t["subjects"], values=[_plain(len({s for s, _, _ in triples}))]),
                dict(label=t["sources"], values=[_plain(graph_location(iri), title=iri)])]
        document = graph_document(URIRef(iri))
        if document is not None:
            rows.insert(0, dict(label=t["document"], values=[self.pages.value(document, path, lang)]))
        module = self.module_of(iri)
        if module is not None:
            rows.insert(0, dict(label=t["module"], values=[_plain(module[len(BASE):], href=_link(module[len(BASE):] + suffix, path))]))
        rows.append(dict(label=t["in_dumps"], values=[_plain(f"dumps/paradiplomacy{ext}", href=_link(f"dumps/paradiplomacy{ext}", path))
                                                       for ext in (".trig", ".nq")]))
        self.page(stem, lang, t["graph"], iri, [_plain(t[intro], lang)], rows, t["as_"], RDF_DOCS)

    def module_of(self, graph_iri: str) -> str | None:
        """The module IRI a graph of the ontology holds the header of, if any."""
        graph = self.dataset.graph(URIRef(graph_iri))
        found = [str(s) for s in graph.subjects(RDF.type, OWL.Ontology) if str(s).startswith(ONTOLOGY + "/")]
        return found[0] if len(found) == 1 else None

    # --- the ontology's modules and version ------------------------------------------------------------
    def modules(self) -> list[str]:
        written = []
        for graph in sorted(self.dataset.graphs(), key=lambda g: str(g.identifier)):
            if not str(graph.identifier).startswith(f"{GRAPH}ontology/"):
                continue
            module = self.module_of(str(graph.identifier))
            if module is None:
                continue
            stem = module[len(BASE):]
            self.rdf(stem, set(graph), rdf_xml=True)
            for lang in ("en", "fa"):
                self.module_page(stem, module, graph, str(graph.identifier), lang)
            written.append(module)
        return written

    def module_page(self, stem: str, module: str, graph, graph_iri: str, lang: str) -> None:
        t = TEXT[lang]
        path = stem + (".fa.html" if lang == "fa" else ".html")
        suffix = ".fa.html" if lang == "fa" else ".html"
        subject = URIRef(module)

        def in_lang(predicate) -> list[Literal]:
            values = [o for o in graph.objects(subject, predicate) if isinstance(o, Literal)]
            return sorted((v for v in values if v.language == lang), key=str) or sorted(values, key=str)

        labels = in_lang(RDFS.label)
        title = str(labels[0]) if labels else stem
        intro = [_plain(d, d.language) for d in in_lang(SKOS.definition)]
        terms = sorted({s for cls in TERM_TYPES for s in graph.subjects(RDF.type, cls)
                        if isinstance(s, URIRef) and str(s).startswith(str(PD))}, key=str)
        rows = [dict(label=t["part_of"], values=[_plain(ONTOLOGY, href=_link("ontology" + suffix, path))]),
                dict(label=t["graph_of"], values=[_plain(graph_iri[len(BASE):], href=_link(graph_iri[len(BASE):] + suffix, path))]),
                dict(label=t["terms"], values=[self.pages.value(term, path, lang) for term in terms])]
        self.page(stem, lang, title, module, intro, rows, t["module_as"], RELEASE_DOCS)

    def version_documents(self, site: Path) -> str:
        """The release under the version IRI: the files /ontology gives, copied."""
        stem = f"ontology/{self.version}"
        for ext, _, _ in RELEASE_DOCS:
            self.write(stem + ext, (site / f"ontology{ext}").read_text(encoding="utf-8"))
        for lang in ("en", "fa"):
            t = TEXT[lang]
            path = stem + (".fa.html" if lang == "fa" else ".html")
            suffix = ".fa.html" if lang == "fa" else ".html"
            rows = [dict(label=t["version_of"], values=[_plain(ONTOLOGY, href=_link("ontology" + suffix, path))]),
                    dict(label=t["documentation"], values=[_plain("ontology" + suffix, href=_link("ontology" + suffix, path))])]
            self.page(stem, lang, f"{t['version']} {self.version}", BASE + stem, [_plain(t["version_intro"], lang)], rows,
                      t["release_as"], RELEASE_DOCS)
        return BASE + stem


def write_documents(dataset: Dataset, write: Writer, pages: Pages, version: str, terms: dict, site: Path) -> list[str]:
    """Write the documents of the named graphs, the modules and the version IRI (``site``: the
    folder being written, which already holds the release files); returns the IRIs documented."""
    docs = Documents(dataset, write, pages, version, terms)
    return [*docs.graphs(), *docs.modules(), docs.version_documents(site)]
