"""The dataset's description in VoID and DCAT (void.ttl): size, classes, properties,
vocabularies, licence, version, dumps and SPARQL endpoint.

Counts are of the union of the named graphs (distinct triples), the graph the SPARQL endpoint
answers on; each named graph (source file) is a void:subset with its own count. Every node has
an IRI under ``…/void#`` so the file is deterministic and each part can be cited.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, VOID, XSD

from .dumps import Dump
from .namespaces import BASE, GRAPH, ID, INSTANCE, PUBLICATION_PREFIXES
from .rdfdocs import compact, turtle
from .sitegraph import graph_file

VOID_DOC = BASE + "void"
DATASET = URIRef(VOID_DOC + "#paradiplomacy")
ENDPOINT = URIRef(BASE + "sparql")
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")  # pyproject.toml: CC-BY-4.0 for data and ontology
ONTOLOGY = URIRef(BASE + "ontology")
EXTRA_PREFIXES = PUBLICATION_PREFIXES


def namespace_of(iri: str) -> str:
    """The vocabulary a term belongs to: its IRI up to the last ``#`` or ``/``."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def local_id(text: str) -> str:
    """A fragment for a term or a path: ``geo:Geometry`` -> ``geo-Geometry``."""
    text = compact(text) or text
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-")


def describe(dataset: Dataset, version: str, dumps: list[Dump]) -> set:
    triples: set = set()
    add = lambda s, p, o: triples.add((s, p, o))
    everything = set()
    graphs = defaultdict(set)
    for graph in dataset.graphs():
        if str(graph.identifier).startswith(str(GRAPH)):
            for triple in graph:
                everything.add(triple)
                graphs[graph.identifier].add(triple)
    entities = {s for s, _, _ in everything if isinstance(s, URIRef) and str(s).startswith(str(ID))}
    instances = defaultdict(set)  # class -> its members
    for s, p, o in everything:
        if p == RDF.type and isinstance(o, URIRef):
            instances[o].add(s)
    classes = sorted(instances, key=str)
    properties = Counter(p for _, p, _ in everything)
    vocabularies = sorted({namespace_of(str(t)) for t in (*classes, *properties)})

    add(DATASET, RDF.type, VOID.Dataset)
    add(DATASET, RDF.type, DCAT.Dataset)
    add(DATASET, DCTERMS.title, Literal("Paradiplomacy Knowledge Graph", lang="en"))
    add(DATASET, DCTERMS.title, Literal("گراف دانش پارادیپلماسی", lang="fa"))
    add(DATASET, DCTERMS.description, Literal(
        "The foreign relations of cities and other sub-national actors (sister cities, MoUs, city networks, "
        "trips, offices, designations, claims) from five Persian documents, each fact with its source "
        "document, locator and verbatim quote.", lang="en"))
    add(DATASET, DCTERMS.license, LICENSE)
    add(DATASET, URIRef(str(DCAT) + "version"), Literal(version))  # DCAT 3; rdflib's DCAT is version 2
    add(DATASET, OWL.versionInfo, Literal(version))
    add(DATASET, DCTERMS.conformsTo, ONTOLOGY)
    add(DATASET, DCTERMS.language, URIRef("http://id.loc.gov/vocabulary/iso639-1/fa"))
    add(DATASET, DCTERMS.language, URIRef("http://id.loc.gov/vocabulary/iso639-1/en"))
    add(DATASET, FOAF.homepage, URIRef(BASE))
    add(DATASET, VOID.uriSpace, Literal(str(ID)))
    add(DATASET, VOID.sparqlEndpoint, ENDPOINT)
    add(DATASET, VOID.triples, Literal(len(everything)))
    add(DATASET, VOID.entities, Literal(len(entities)))
    add(DATASET, VOID.classes, Literal(len(classes)))
    add(DATASET, VOID.properties, Literal(len(properties)))
    add(DATASET, VOID.distinctSubjects, Literal(len({s for s, _, _ in everything})))
    add(DATASET, VOID.distinctObjects, Literal(len({o for _, _, o in everything})))
    for example in ("city/tehran", "rel/tehran-los-angeles"):
        if URIRef(str(ID) + example) in entities:
            add(DATASET, VOID.exampleResource, URIRef(str(ID) + example))
    for doc in sorted(e for e in entities if str(e).startswith(str(INSTANCE["doc"]))):
        add(DATASET, DCTERMS.source, doc)
    for vocabulary in vocabularies:
        add(DATASET, VOID.vocabulary, URIRef(vocabulary))

    for graph, members in graphs.items():
        subset = URIRef(f"{VOID_DOC}#graph-{local_id(graph_file(graph))}")
        add(DATASET, VOID.subset, subset)
        add(subset, RDF.type, VOID.Dataset)
        add(subset, RDFS.label, Literal(graph_file(graph)))
        add(subset, RDFS.seeAlso, graph)  # the named graph's IRI in the TriG and N-Quads dumps
        add(subset, VOID.triples, Literal(len(members)))
    for cls in classes:
        part = URIRef(f"{VOID_DOC}#class-{local_id(str(cls))}")
        add(DATASET, VOID.classPartition, part)
        add(part, VOID["class"], cls)
        add(part, VOID.entities, Literal(len(instances[cls])))
    for prop, count in properties.items():
        part = URIRef(f"{VOID_DOC}#property-{local_id(str(prop))}")
        add(DATASET, VOID.propertyPartition, part)
        add(part, VOID.property, prop)
        add(part, VOID.triples, Literal(count))

    for dump in dumps:
        url = URIRef(BASE + dump.path)
        dist = URIRef(f"{VOID_DOC}#dump-{local_id(dump.path)}")
        if dump.path.startswith("dumps/paradiplomacy."):
            add(DATASET, VOID.dataDump, url)
        add(DATASET, DCAT.distribution, dist)
        add(dist, RDF.type, DCAT.Distribution)
        add(dist, DCTERMS.title, Literal(f"{dump.path} ({dump.format})", lang="en"))
        add(dist, DCAT.downloadURL, url)
        add(dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{dump.media_type}"))
        add(dist, DCTERMS["format"], URIRef(dump.format_iri))
        add(dist, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger))
        add(dist, DCTERMS.license, LICENSE)

    service = URIRef(VOID_DOC + "#sparql")
    add(DATASET, DCAT.distribution, URIRef(VOID_DOC + "#sparql-distribution"))
    add(URIRef(VOID_DOC + "#sparql-distribution"), RDF.type, DCAT.Distribution)
    add(URIRef(VOID_DOC + "#sparql-distribution"), DCAT.accessURL, ENDPOINT)
    add(URIRef(VOID_DOC + "#sparql-distribution"), DCAT.accessService, service)
    add(service, RDF.type, DCAT.DataService)
    add(service, DCTERMS.title, Literal("Read-only SPARQL 1.1 endpoint (pdkg serve)", lang="en"))
    add(service, DCAT.endpointURL, ENDPOINT)
    add(service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/"))
    add(service, DCAT.servesDataset, DATASET)
    return triples


def void_turtle(dataset: Dataset, version: str, dumps: list[Dump]) -> str:
    return turtle(describe(dataset, version, dumps), EXTRA_PREFIXES)
