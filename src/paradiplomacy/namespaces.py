"""The one home of every IRI base and prefix the project uses.

Instance IRIs are ``{BASE}id/{kind}/{slug}``; one prefix per kind keeps the Turtle readable
(``city:tehran``, ``rel:tehran-los-angeles``).  See docs/iri-policy.md.
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD, DefinedNamespace

BASE = "https://w3id.org/paradiplomacy/"


class PD(DefinedNamespace):
    """The ontology's terms, closed: ``PD.Cty`` is an AttributeError where it is written, not an
    IRI nobody declared. The list is the ontology's own (tests/test_namespaces.py compares them
    and names the term to add or to remove)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    AcademicArticle: URIRef
    Achievement: URIRef
    Actor: URIRef
    AwardCeremony: URIRef
    BilateralRelation: URIRef
    Body: URIRef
    City: URIRef
    CityCouncil: URIRef
    CityDiplomacyTheme: URIRef
    CityGoverningBody: URIRef
    CityNetwork: URIRef
    CivilSocietyOrganization: URIRef
    CivilizationalAffiliation: URIRef
    Claim: URIRef
    ControlledValue: URIRef
    CooperationMoU: URIRef
    CooperationProgramme: URIRef
    CooperationProject: URIRef
    Country: URIRef
    CountryClassification: URIRef
    Definition: URIRef
    Designation: URIRef
    DiplomacyForm: URIRef
    Disagreement: URIRef
    Election: URIRef
    Event: URIRef
    Evidence: URIRef
    ExecutiveDocument: URIRef
    ForeignPolicyDiscourse: URIRef
    GeneralAssembly: URIRef
    Government: URIRef
    HostedEvent: URIRef
    IntergovernmentalOrganization: URIRef
    InternationalOrganization: URIRef
    Interview: URIRef
    Meeting: URIRef
    Membership: URIRef
    Ministry: URIRef
    Municipality: URIRef
    NationalBody: URIRef
    NetworkSection: URIRef
    NewspaperArticle: URIRef
    OfficeHolding: URIRef
    Opinion: URIRef
    OpinionPiece: URIRef
    Parliament: URIRef
    ParliamentaryAssembly: URIRef
    ParliamentaryCommittee: URIRef
    Person: URIRef
    Place: URIRef
    ProcurementContract: URIRef
    Programme: URIRef
    Region: URIRef
    ReportedFigure: URIRef
    Role: URIRef
    ServiceExport: URIRef
    Signing: URIRef
    SisterCityAgreement: URIRef
    SourceDocument: URIRef
    SourcedFact: URIRef
    Summit: URIRef
    SymbolicAct: URIRef
    Topic: URIRef
    Trip: URIRef
    VisitReceived: URIRef
    # object properties
    about: URIRef
    achievement: URIRef
    attributionConfidence: URIRef
    broaderConcept: URIRef
    checkResult: URIRef
    civilizationalAffiliation: URIRef
    claimant: URIRef
    classifiedCountry: URIRef
    comparator: URIRef
    concerns: URIRef
    conferredBy: URIRef
    countScope: URIRef
    countedPeriod: URIRef
    countedSource: URIRef
    country: URIRef
    countsDistinct: URIRef
    datePrecision: URIRef
    defines: URIRef
    designatedEntity: URIRef
    designationType: URIRef
    destination: URIRef
    diplomacyTrack: URIRef
    eventStatus: URIRef
    evidence: URIRef
    foundedBy: URIRef
    foundedIn: URIRef
    governs: URIRef
    headOfGovernment: URIRef
    host: URIRef
    iranianParty: URIRef
    isCapitalOf: URIRef
    iso3166Entry: URIRef
    location: URIRef
    madeAt: URIRef
    narrowerConcept: URIRef
    organizer: URIRef
    partOf: URIRef
    participant: URIRef
    partnerParty: URIRef
    party: URIRef
    provider: URIRef
    recipient: URIRef
    region: URIRef
    relationStatus: URIRef
    resultingOffice: URIRef
    scope: URIRef
    seat: URIRef
    signedAgreement: URIRef
    sourceDocument: URIRef
    topic: URIRef
    traveller: URIRef
    # datatype properties
    checkNote: URIRef
    clause: URIRef
    countedDateKnown: URIRef
    dateAsWritten: URIRef
    dateInferred: URIRef
    dateNote: URIRef
    delegation: URIRef
    edition: URIRef
    foundingYear: URIRef
    geonamesId: URIRef
    heldOn: URIRef
    holderInferred: URIRef
    iso3166Alpha2: URIRef
    iso3166Alpha3: URIRef
    latestPublicationDate: URIRef
    locator: URIRef
    misprintedLabel: URIRef
    openEnd: URIRef
    openStart: URIRef
    outcome: URIRef
    periodEnd: URIRef
    periodStart: URIRef
    purpose: URIRef
    quantity: URIRef
    quote: URIRef
    recomputedBy: URIRef
    recomputedValue: URIRef
    reportedValue: URIRef
    seedFile: URIRef
    solarHijriDate: URIRef
    solarHijriEndDate: URIRef
    statement: URIRef
    unit: URIRef
    year: URIRef
    # annotation properties
    countedClass: URIRef

PDSH = Namespace(BASE + "shapes#")
GRAPH = Namespace(BASE + "graph/")
ID = Namespace(BASE + "id/")

#: kind -> namespace of the instances of that kind
KINDS = (
    "body",  # organizations: municipalities, councils, parliaments, ministries, networks
    "city",
    "claim",  # claims, reported figures, disagreements
    "concept",  # SKOS concepts and schemes
    "country",
    "doc",  # source documents
    "event",  # trips, meetings, summits, signings, elections, hosted events
    "ev",  # evidence: document + locator + verbatim quote
    "fact",  # designations, projects, service exports, contracts, classifications
    "mem",  # memberships and offices (W3C ORG Membership)
    "person",
    "rel",  # bilateral relations: sister-city agreements and cooperation MoUs
)
INSTANCE = {kind: Namespace(f"{ID}{kind}/") for kind in KINDS}

BIBO = Namespace("http://purl.org/ontology/bibo/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SH = Namespace("http://www.w3.org/ns/shacl#")
VANN = Namespace("http://purl.org/vocab/vann/")
GN = Namespace("https://sws.geonames.org/")
WD = Namespace("http://www.wikidata.org/entity/")  # Wikidata items, only from the dated crosswalk (crosswalk.py)
#: W3C's format IRIs (https://www.w3.org/ns/formats/), the dcterms:format of each dump (formats.py)
W3C_FORMATS = "http://www.w3.org/ns/formats/"
#: the project's developers, as ontology/paradiplomacy.ttl names them (creator and publisher)
AGENT = URIRef(BASE + "void#developers")

#: prefix -> namespace, written in this order (sorted) at the top of every Turtle source
PREFIXES: dict[str, str] = dict(
    sorted(
        {
            "bibo": str(BIBO),
            "dcterms": str(DCTERMS),
            "foaf": str(FOAF),
            "geo": str(GEO),
            "gn": str(GN),
            "org": str(ORG),
            "owl": str(OWL),
            "pd": str(PD),
            "pdsh": str(PDSH),
            "prov": str(PROV),
            "rdf": str(RDF),
            "rdfs": str(RDFS),
            "schema": str(SCHEMA),
            "sem": str(SEM),
            "sh": str(SH),
            "skos": str(SKOS),
            "time": str(TIME),
            "vann": str(VANN),
            "xsd": str(XSD),
            **{kind: str(ns) for kind, ns in INSTANCE.items()},
        }.items()
    )
)


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes (and only those) to ``graph``."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def graph_iri(relative_path: str) -> str:
    """The named-graph IRI of an ontology file, from its path relative to the repository."""
    stem = relative_path.rsplit(".", 1)[0]
    return f"{GRAPH}{stem}"


#: the data's named graphs: one for the shared reference data, one per source document, named
#: for the document, not for the files that hold it (docs/iri-policy.md)
REFERENCE_GRAPH = f"{GRAPH}reference"
SOURCE_GRAPH = f"{GRAPH}source/"
DATA_GRAPHS = (REFERENCE_GRAPH, SOURCE_GRAPH)


def source_graph(doc_id: str) -> str:
    return f"{SOURCE_GRAPH}{doc_id}"


def graph_location(graph: str) -> str:
    """Where the hand-edited sources of a named graph live (for reports and pages)."""
    graph = str(graph)
    if graph == REFERENCE_GRAPH:
        return "data/reference/"
    if graph.startswith(SOURCE_GRAPH):
        return f"data/sources/{graph[len(SOURCE_GRAPH):]}/"
    if graph.startswith(f"{GRAPH}links/"):  # derived by the build (links.py): no source file
        return graph[len(str(GRAPH)):]
    if graph.startswith(str(GRAPH)):
        return graph[len(str(GRAPH)):] + ".ttl"
    return graph

#: vocabularies of the published dataset description only (VoID, DCAT, W3C formats); kept out
#: of PREFIXES so that the hand-edited sources keep their prefix block
PUBLICATION_PREFIXES: dict[str, str] = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "formats": W3C_FORMATS,
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "void": "http://rdfs.org/ns/void#",
}
