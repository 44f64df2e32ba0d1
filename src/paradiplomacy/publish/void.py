"""The dataset's description in VoID and DCAT-AP 3 (void.ttl): a catalogue holding the dataset,
its size, classes, properties, vocabularies, licence, version, dates, publisher, contact point,
keywords, dumps and SPARQL endpoint, and the linksets to GeoNames (and to Wikidata, from the
crosswalk, when it holds any row). tests/test_publish.py validates it against the official DCAT-AP
3.0.0 SHACL shapes (tests/dcat-ap/).

DCAT-AP types every value it constrains by class (dct:LicenseDocument, dct:MediaType,
dct:LinguisticSystem, dct:Standard...): those types are stated here. The contact point names the
developers the project records; an e-mail or web address for it exists only when the publisher
gives one (``pdkg publish --contact``): none is invented.

Counts are of the union of the named graphs (distinct triples), the graph the SPARQL endpoint
answers on; each named graph (source file) is a void:subset with its own count. Every node has
an IRI under ``…/void#`` so the file is deterministic and each part can be cited.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, VOID, XSD

from paradiplomacy.namespaces import AGENT, BASE, GN, GRAPH, ID, INSTANCE, PUBLICATION_PREFIXES, WD
from paradiplomacy.project import ProjectError
from paradiplomacy.publish.dumps import Dump
from paradiplomacy.publish.sitegraph import graph_file
from paradiplomacy.rdf.links import ISO_ENTRY
from paradiplomacy.rdf.release import release_date
from paradiplomacy.rdf.serialize import compact, jsonld, ntriples, turtle

VCARD = Namespace(PUBLICATION_PREFIXES["vcard"])

VOID_DOC = BASE + "void"
DATASET = URIRef(VOID_DOC + "#paradiplomacy")
ENDPOINT = URIRef(BASE + "sparql")
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")  # pyproject.toml: CC-BY-4.0 for data and ontology
ONTOLOGY = URIRef(BASE + "ontology")
CATALOG = URIRef(VOID_DOC + "#catalog")
CONTACT = URIRef(VOID_DOC + "#contact")
EXTRA_PREFIXES = PUBLICATION_PREFIXES
AGENT_NAMES = {"en": "Paradiplomacy Knowledge Graph developers",
               "fa": "توسعه‌دهندگان گراف دانش پارادیپلماسی"}  # as ontology/paradiplomacy.ttl names them
KEYWORDS = {
    "en": ("paradiplomacy", "city diplomacy", "sister cities", "twinning", "city networks", "Iran", "linked data"),
    "fa": ("پارادیپلماسی", "دیپلماسی شهری", "خواهرخواندگی", "شبکه‌های شهری", "ایران", "داده پیوندی"),
}
LANGUAGES = ("http://id.loc.gov/vocabulary/iso639-1/fa", "http://id.loc.gov/vocabulary/iso639-1/en")


def namespace_of(iri: str) -> str:
    """The vocabulary a term belongs to: its IRI up to the last ``#`` or ``/``."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def local_id(text: str) -> str:
    """A fragment for a term or a path: ``geo:Geometry`` -> ``geo-Geometry``."""
    text = compact(text) or text
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-")


def contact_term(contact: str) -> tuple[URIRef, URIRef]:
    """``--contact``: a mailto: address or an http(s) page, as (vcard property, IRI)."""
    if contact.startswith("mailto:") and "@" in contact:
        return VCARD.hasEmail, URIRef(contact)
    if contact.startswith(("https://", "http://")) and " " not in contact:
        return VCARD.hasURL, URIRef(contact)
    raise ProjectError(f"--contact {contact!r}: give a mailto: address or an http(s) URL of the publisher's contact")


def describe(dataset: Dataset, version: str, dumps: list[Dump], contact: str | None = None, date: str | None = None) -> set:
    triples: set = set()
    def add(s, p, o) -> None:
        triples.add((s, p, o))

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

    day = Literal(date or release_date(), datatype=XSD.date)
    add(CATALOG, RDF.type, DCAT.Catalog)
    add(CATALOG, DCTERMS.title, Literal("Paradiplomacy Knowledge Graph catalogue", lang="en"))
    add(CATALOG, DCTERMS.title, Literal("فهرست گراف دانش پارادیپلماسی", lang="fa"))
    add(CATALOG, DCTERMS.description, Literal("The Paradiplomacy Knowledge Graph, its dumps and its SPARQL endpoint.", lang="en"))
    add(CATALOG, DCTERMS.description, Literal("گراف دانش پارادیپلماسی، پرونده‌های بارگیری و نقطه دسترسی SPARQL آن.", lang="fa"))
    add(CATALOG, DCTERMS.publisher, AGENT)
    add(CATALOG, DCTERMS.license, LICENSE)
    add(CATALOG, DCTERMS.issued, day)
    add(CATALOG, DCTERMS.modified, day)
    add(CATALOG, FOAF.homepage, URIRef(BASE))
    add(CATALOG, DCAT.dataset, DATASET)
    add(CATALOG, DCAT.service, URIRef(VOID_DOC + "#sparql"))
    for language in LANGUAGES:
        add(CATALOG, DCTERMS.language, URIRef(language))
        add(URIRef(language), RDF.type, DCTERMS.LinguisticSystem)
    add(AGENT, RDF.type, FOAF.Agent)
    add(AGENT, RDF.type, FOAF.Organization)
    for lang, name in AGENT_NAMES.items():
        add(AGENT, FOAF.name, Literal(name, lang=lang))
        add(CONTACT, VCARD.fn, Literal(name, lang=lang))
    add(CONTACT, RDF.type, VCARD.Kind)  # DCAT-AP's class, stated: no vCard ontology to infer it from
    add(CONTACT, RDF.type, VCARD.Organization)
    if contact:
        add(CONTACT, *contact_term(contact))
    add(LICENSE, RDF.type, DCTERMS.LicenseDocument)
    add(ONTOLOGY, RDF.type, DCTERMS.Standard)
    add(URIRef(BASE), RDF.type, FOAF.Document)

    add(DATASET, RDF.type, VOID.Dataset)
    add(DATASET, RDF.type, DCAT.Dataset)
    add(DATASET, DCTERMS.publisher, AGENT)
    add(DATASET, DCAT.contactPoint, CONTACT)
    add(DATASET, DCTERMS.issued, day)
    add(DATASET, DCTERMS.modified, day)
    add(DATASET, DCAT.landingPage, URIRef(BASE))
    for lang, words in KEYWORDS.items():
        for word in words:
            add(DATASET, DCAT.keyword, Literal(word, lang=lang))
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
    add(DATASET, DCTERMS.description, Literal(
        "روابط خارجی شهرها و دیگر بازیگران زیرملی (خواهرخواندگی، تفاهم‌نامه‌ها، شبکه‌های شهری، سفرها، مناصب، عناوین، ادعاها) "
        "برگرفته از پنج سند فارسی، هر واقعیت با سند منبع، نشانی در سند و نقل‌قول عین متن.", lang="fa"))
    for language in LANGUAGES:
        add(DATASET, DCTERMS.language, URIRef(language))
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
        add(DATASET, PROV.wasDerivedFrom, doc)  # DCAT-AP keeps dct:source for datasets
    for vocabulary in vocabularies:
        add(DATASET, VOID.vocabulary, URIRef(vocabulary))

    for graph, members in graphs.items():
        subset = URIRef(f"{VOID_DOC}#graph-{local_id(graph_file(graph))}")
        add(DATASET, VOID.subset, subset)
        add(subset, RDF.type, VOID.Dataset)
        add(subset, RDFS.label, Literal(graph_file(graph)))
        add(subset, RDFS.seeAlso, graph)  # the named graph's IRI in the TriG and N-Quads dumps
        add(subset, VOID.dataDump, URIRef(str(graph) + ".nt"))  # its triples alone (publish/documents.py)
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
        add(dist, DCAT.accessURL, url)  # DCAT-AP: every distribution has an access URL
        add(dist, DCAT.downloadURL, url)
        media = URIRef(f"https://www.iana.org/assignments/media-types/{dump.media_type}")
        add(dist, DCAT.mediaType, media)
        add(media, RDF.type, DCTERMS.MediaType)
        add(dist, DCTERMS["format"], URIRef(dump.format_iri))
        add(URIRef(dump.format_iri), RDF.type, DCTERMS.MediaTypeOrExtent)
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
    add(URIRef("https://www.w3.org/TR/sparql11-protocol/"), RDF.type, DCTERMS.Standard)
    add(service, DCAT.servesDataset, DATASET)
    add(service, DCTERMS.publisher, AGENT)
    add(service, DCTERMS.license, LICENSE)
    linksets(everything, add)
    return triples


def linksets(everything: set, add) -> None:
    """A void:Linkset per target and link predicate of the links out of the dataset."""
    targets = {  # namespace -> (fragment, title, homepage)
        str(GN): ("geonames", "GeoNames", "https://www.geonames.org/"),
        str(WD): ("wikidata", "Wikidata", "https://www.wikidata.org/"),
        ISO_ENTRY: ("iso3166", "ISO Online Browsing Platform: ISO 3166 codes", "https://www.iso.org/obp/ui/"),
    }
    counts = Counter()
    for s, p, o in everything:
        if isinstance(o, URIRef) and str(s).startswith(str(ID)):
            for ns in targets:
                if str(o).startswith(ns):
                    counts[(ns, p)] += 1
    for (ns, predicate), count in sorted(counts.items()):
        name, title, homepage = targets[ns]
        target = URIRef(f"{VOID_DOC}#{name}")
        linkset = URIRef(f"{VOID_DOC}#linkset-{name}-{local_id(str(predicate))}")
        add(target, RDF.type, VOID.Dataset)
        add(target, DCTERMS.title, Literal(title, lang="en"))
        add(target, FOAF.homepage, URIRef(homepage))
        add(target, VOID.uriSpace, Literal(ns))
        add(DATASET, VOID.subset, linkset)
        add(linkset, RDF.type, VOID.Linkset)
        add(linkset, VOID.subjectsTarget, DATASET)
        add(linkset, VOID.objectsTarget, target)
        add(linkset, VOID.linkPredicate, predicate)
        add(linkset, VOID.triples, Literal(count))


def void_turtle(dataset: Dataset, version: str, dumps: list[Dump], contact: str | None = None) -> str:
    return turtle(describe(dataset, version, dumps, contact), EXTRA_PREFIXES)


def void_documents(dataset: Dataset, version: str, dumps: list[Dump], contact: str | None = None) -> dict[str, str]:
    """void.ttl, .jsonld and .nt: the documents the dataset's IRI (…/void) negotiates to."""
    triples = describe(dataset, version, dumps, contact)
    return {"void.ttl": turtle(triples, EXTRA_PREFIXES), "void.jsonld": jsonld(triples), "void.nt": ntriples(triples)}
