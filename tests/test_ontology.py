"""The ontology: parses, every term is documented in Persian and English, and its release file
(release.py) is OWL 2 DL (the OWL API's profile check), consistent in HermiT and in Pellet, and
rendered correctly by pyLODE."""

from __future__ import annotations

import re
import shutil
from datetime import date

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD

from paradiplomacy.check.reasoner import check_consistency, check_dl_profile
from paradiplomacy.namespaces import PD
from paradiplomacy.rdf.load import ONTOLOGY_IRI, project_version
from paradiplomacy.rdf.release import release_date, release_of

# OWL 2 Structural Specification, section 4 ("Datatype Maps"): the datatypes an OWL 2 DL
# reasoner must support, and rdfs:Literal.
OWL2_DATATYPE_MAP = {RDFS.Literal, RDF.PlainLiteral, RDF.XMLLiteral, OWL.real, OWL.rational} | {
    XSD[name] for name in (
        "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger long int short byte "
        "unsignedLong unsignedInt unsignedShort unsignedByte double float string normalizedString token language "
        "Name NCName NMTOKEN boolean hexBinary base64Binary anyURI dateTime dateTimeStamp").split()}
RELEASE_DAY = "2026-12-06"


@pytest.fixture(scope="module")
def release(dataset, project) -> Graph:
    return release_of(dataset, project_version(project), RELEASE_DAY)


@pytest.fixture(scope="module")
def release_file(release, tmp_path_factory):
    path = tmp_path_factory.mktemp("release") / "paradiplomacy.rdf"
    release.serialize(path, format="xml")
    return path

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def our_terms(ontology):
    return sorted({s for t in TERM_TYPES for s in ontology.subjects(RDF.type, t) if str(s).startswith(str(PD))})


def test_ontology_declares_the_core_vocabulary(ontology):
    for term in ("City", "Municipality", "CityCouncil", "SisterCityAgreement", "CooperationMoU", "Membership",
                 "OfficeHolding", "Trip", "Summit", "GeneralAssembly", "Signing", "Election", "Designation",
                 "ServiceExport", "ProcurementContract", "Claim", "ReportedFigure", "Evidence", "SourceDocument",
                 "DiplomacyForm", "ForeignPolicyDiscourse", "Region", "CivilizationalAffiliation"):
        assert (PD[term], RDF.type, OWL.Class) in ontology, term


def test_every_term_has_fa_and_en_labels_and_a_definition(ontology):
    missing = []
    for term in our_terms(ontology):
        langs = {lit.language for lit in ontology.objects(term, RDFS.label) if isinstance(lit, Literal)}
        if not {"fa", "en"} <= langs or (term, SKOS.definition, None) not in ontology:
            missing.append(term)
    assert not missing, f"terms without fa+en labels or a definition: {missing}"


def test_version_is_stamped_from_pyproject(project, ontology):
    version = project_version(project)
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal(version)
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/{version}")


def test_bilateral_relation_has_exactly_two_parties_in_owl(ontology):
    restrictions = list(ontology.objects(PD.BilateralRelation, RDFS.subClassOf))
    assert any(
        ontology.value(r, OWL.onProperty) == PD.party and int(ontology.value(r, OWL.cardinality)) == 2
        for r in restrictions
    )


def test_no_undeclared_term_of_ours_in_data_or_shapes(ontology, data, shapes):
    declared = set(our_terms(ontology))
    used = {
        node
        for g in (data, shapes)
        for _, p, o in g
        for node in (p, o)
        if isinstance(node, URIRef) and str(node).startswith(str(PD))
    }
    assert sorted(used - declared) == []


def test_every_term_has_a_persian_and_an_english_definition(ontology):
    modules = sorted(s for s in ontology.subjects(RDF.type, OWL.Ontology) if s != ONTOLOGY_IRI)  # the header: dcterms:description
    terms = our_terms(ontology) + modules
    missing = [(term, lang) for term in terms for lang in ("fa", "en")
               if not any(d.language == lang for d in ontology.objects(term, SKOS.definition))]
    assert missing == []


def test_persian_definitions_are_persian(ontology):
    # the Arabic script, and the Persian letters (ی, ک) rather than the Arabic ones (ي, ك), except
    # where pd:quote's definition names the pairs its check ignores
    for term in our_terms(ontology):
        fa = [str(d).replace("ي/ی", "").replace("ك/ک", "") for d in ontology.objects(term, SKOS.definition) if d.language == "fa"]
        assert fa and all(re.search(r"[\u0600-\u06FF]{3}", d) and not re.search("[يك]", d) for d in fa), term


# --- the release file ---------------------------------------------------------------------------

def test_the_release_has_one_header_and_no_imports(release, ontology):
    assert list(release.subjects(RDF.type, OWL.Ontology)) == [ONTOLOGY_IRI]
    assert list(release.triples((None, OWL.imports, None))) == []
    assert len(list(ontology.subjects(RDF.type, OWL.Ontology))) == 7  # the sources keep their six modules
    assert set(our_terms(release)) == set(our_terms(ontology))


def test_the_release_header_names_creator_publisher_dates_version_and_citation(release, project):
    version = project_version(project)
    assert release.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/{version}")
    creator = release.value(ONTOLOGY_IRI, DCTERMS.creator)
    # the creator the project records (ontology/paradiplomacy.ttl), as an agent with a name
    assert Literal("Paradiplomacy Knowledge Graph developers", lang="en") in set(release.objects(creator, FOAF.name))
    assert release.value(ONTOLOGY_IRI, DCTERMS.publisher) == creator
    assert release.value(ONTOLOGY_IRI, DCTERMS.created) == Literal("2026-11-23", datatype=XSD.date)
    for p in (DCTERMS.issued, DCTERMS.modified):
        assert release.value(ONTOLOGY_IRI, p) == Literal(RELEASE_DAY, datatype=XSD.date)
    cite = str(release.value(ONTOLOGY_IRI, DCTERMS.bibliographicCitation))
    assert cite == f"Paradiplomacy Knowledge Graph developers. Paradiplomacy Ontology, version {version}. {ONTOLOGY_IRI}/{version}"


def test_the_release_date_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764979200")  # 2025-12-06T00:00:00Z
    assert release_date() == "2025-12-06"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert date.fromisoformat(release_date())  # today, a valid date


def test_every_range_of_the_release_is_in_the_owl2_datatype_map(release, ontology):
    ranges = {o for p in release.subjects(RDF.type, OWL.DatatypeProperty) for o in release.objects(p, RDFS.range)}
    assert ranges - OWL2_DATATYPE_MAP == set()
    # the sources keep the datatypes the data has; the release says so on the property
    assert ontology.value(PD.year, RDFS.range) == XSD.gYear and release.value(PD.year, RDFS.range) == RDFS.Literal
    assert any("xsd:gYear" in str(c) and c.language == "en" for c in release.objects(PD.year, RDFS.comment))
    assert any("xsd:gYear" in str(c) and c.language == "fa" for c in release.objects(PD.year, RDFS.comment))
    assert release.value(PD.quote, RDFS.range) == RDF.PlainLiteral  # "…"@fa is an rdf:PlainLiteral in OWL 2


def test_the_release_passes_the_owl_api_owl2_dl_profile_check(release_file):
    report = check_dl_profile(release_file)
    assert report.violations == [], report.violations[:20]
    assert "0 OWL 2 DL profile violation(s)" in report.summary


@pytest.mark.slow
def test_the_profile_check_reports_an_undeclared_annotation_property(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<https://example.org/o> a <http://www.w3.org/2002/07/owl#Ontology> .\n"
                   "<https://example.org/C> a <http://www.w3.org/2002/07/owl#Class> ;\n"
                   "    <http://www.w3.org/2004/02/skos/core#definition> \"a class\" .\n", encoding="utf-8")
    report = check_dl_profile(bad)
    assert len(report.violations) == 1 and "Use of undeclared annotation property" in report.violations[0]
    assert "skos/core#definition" in report.violations[0]


@pytest.mark.parametrize("reasoner", ["hermit", pytest.param("pellet", marks=pytest.mark.slow)])  # HermiT is the build's
def test_the_release_is_consistent_with_no_unsatisfiable_class(release, reasoner):
    result = check_consistency(release, reasoner)
    assert result.consistent, result.message
    assert result.unsatisfiable == []


@pytest.mark.slow
def test_pellet_finds_an_inconsistent_ontology_inconsistent():
    bad = Graph().parse(data="""PREFIX owl: <http://www.w3.org/2002/07/owl#>
        <https://example.org/A> a owl:Class ; owl:disjointWith <https://example.org/B> .
        <https://example.org/B> a owl:Class .
        <https://example.org/x> a owl:NamedIndividual, <https://example.org/A>, <https://example.org/B> .""", format="turtle")
    for reasoner in ("hermit", "pellet"):
        assert not check_consistency(bad, reasoner).consistent, reasoner


@pytest.mark.slow
def test_pylode_documents_the_release_under_the_ontologys_title(release, tmp_path):
    from pylode import OntPub

    path = tmp_path / "paradiplomacy.ttl"
    release.serialize(path, format="longturtle")
    html = OntPub(str(path)).make_html()
    heading = html.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert "Paradiplomacy Ontology" in heading and "هستان‌شناسی پارادیپلماسی" in heading
    assert "module" not in heading.lower() and "Time module" not in html
    assert f"{ONTOLOGY_IRI}/" in html  # the version IRI
    assert str(PD.SisterCityAgreement) in html
    fa = next(str(d) for d in release.objects(PD.SisterCityAgreement, SKOS.definition) if d.language == "fa")
    assert fa in html and "Paradiplomacy Knowledge Graph developers" in html


def test_java_is_present_for_the_reasoner():
    # The reasoner test above skips without Java; CI must never pass that way silently.
    assert shutil.which("java"), "Java is missing: HermiT cannot check the ontology (install default-jre-headless)"
