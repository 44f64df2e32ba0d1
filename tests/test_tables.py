"""The table loader: derived defaults, errors as file:row:column, the generated column docs."""

from __future__ import annotations

import shutil

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from paradiplomacy.namespaces import INSTANCE, PD, SCHEMA, TIME, source_graph
from paradiplomacy.project import Project, ProjectError
from paradiplomacy.rdf.mapping import table_docs
from paradiplomacy.rdf.sources import load_data
from paradiplomacy.rdf.tables import TableError


def test_docs_tables_md_is_generated_from_the_mappings(project):
    assert (project.root / "docs" / "tables.md").read_text(encoding="utf-8") == table_docs(), (
        "run: .venv/bin/python -m paradiplomacy.rdf.mapping > docs/tables.md"
    )


REL, EV, EVENT = INSTANCE["rel"], INSTANCE["ev"], INSTANCE["event"]
DOC_ID = "900-test-source"
SOURCE_TTL = """PREFIX bibo: <http://purl.org/ontology/bibo/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX doc: <https://w3id.org/paradiplomacy/id/doc/>
PREFIX pd: <https://w3id.org/paradiplomacy/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

doc:900-test-source a pd:NewspaperArticle ; rdfs:label "a test source"@en , "منبع آزمایشی"@fa .
doc:900-test-source-part-t1 a bibo:DocumentPart ; dcterms:isPartOf doc:900-test-source ;
    dcterms:identifier "t1" ; rdfs:label "Table 1"@en , "جدول ۱"@fa .
"""


@pytest.fixture()
def folder(project, tmp_path):
    """A checkout with the real reference data and one new source folder."""
    (tmp_path / "ontology").mkdir()
    shutil.copy(project.root / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(project.root / "data" / "reference", tmp_path / "data" / "reference")
    src = tmp_path / "data" / "sources" / DOC_ID
    src.mkdir(parents=True)
    (src / "source.ttl").write_text(SOURCE_TTL, encoding="utf-8")
    return src


def graph_of(folder):
    return load_data(Project(folder.parents[2])).graphs[source_graph(DOC_ID)]


def test_a_relation_is_one_row_and_the_rest_is_derived(folder):
    (folder / "relations.csv").write_text(
        "id,kind,party_a,party_b,year,part,item,quote\n"
        "tehran-los-angeles,sister-city,city:tehran,city:los-angeles,1972,t1,row Tehran (تهران),لس آنجلس (۱۹۷۲)\n",
        encoding="utf-8",
    )
    g = graph_of(folder)
    rel, ev = REL["tehran-los-angeles"], EV["900-rel-tehran-los-angeles"]
    assert set(g.objects(rel, PD.party)) == {INSTANCE["city"]["tehran"], INSTANCE["city"]["los-angeles"]}
    # labels from the parties' labels in places.csv (fa as printed, en from GeoNames)
    assert set(g.objects(rel, RDFS.label)) == {
        Literal("خواهرخواندگی تهران و لس آنجلس", lang="fa"), Literal("Tehran–Los Angeles sister-city agreement", lang="en")}
    assert g.value(rel, PD.datePrecision) == TIME.unitYear and g.value(rel, PD.year) == Literal("1972", datatype=XSD.gYear)
    # the evidence's type and document from the folder, its locator from the part's label and the item
    assert (ev, RDF.type, PD.Evidence) in g and g.value(ev, PD.sourceDocument) == INSTANCE["doc"][DOC_ID]
    assert g.value(ev, PD.locator) == Literal("Table 1, row Tehran (تهران)")
    assert g.value(ev, PD.quote) == Literal("لس آنجلس (۱۹۷۲)", lang="fa")


def test_a_value_written_by_hand_wins_over_the_derived_one(folder):
    (folder / "evidence.csv").write_text("id,part,item,quote,locator\n900-x,t1,row A,quote,Table 1 (as printed)\n", encoding="utf-8")
    (folder / "relations.csv").write_text(
        "id,kind,party_a,party_b,label_en,evidence\nx,mou,city:tehran,city:istanbul,Tehran and Istanbul MoU,900-x\n", encoding="utf-8")
    g = graph_of(folder)
    assert set(g.objects(REL["x"], RDFS.label)) == {Literal("Tehran and Istanbul MoU", lang="en"),
                                                    Literal("تفاهم‌نامه همکاری تهران و استانبول", lang="fa")}
    assert g.value(EV["900-x"], PD.locator) == Literal("Table 1 (as printed)")


def test_solar_hijri_dates_become_iso_dates_with_their_precision(folder):
    # 24 Mehr 1402 is 16 October 2023 (source 000's trip to China); Khordad 1404 runs from
    # 22 May to 21 June 2025 (source 000's latest publication date is its last day)
    (folder / "evidence.csv").write_text("id,part,quote\n900-e,t1,q\n", encoding="utf-8")
    (folder / "events.csv").write_text(
        "id,kind,label_en,label_fa,date_sh,evidence\n"
        "a,trip,A,الف,1402-07-24,900-e\n"
        "b,meeting,B,ب,1404-03,900-e\n", encoding="utf-8")
    g = graph_of(folder)
    assert g.value(EVENT["a"], SCHEMA.startDate) == Literal("2023-10-16", datatype=XSD.date)
    assert (EVENT["a"], SCHEMA.endDate, None) not in g and g.value(EVENT["a"], PD.datePrecision) == TIME.unitDay
    assert g.value(EVENT["b"], SCHEMA.startDate) == Literal("2025-05-22", datatype=XSD.date)
    assert g.value(EVENT["b"], SCHEMA.endDate) == Literal("2025-06-21", datatype=XSD.date)
    assert g.value(EVENT["b"], PD.datePrecision) == TIME.unitMonth


def test_every_bad_cell_of_a_file_is_reported_at_once_as_file_row_column(folder):
    (folder / "relations.csv").write_text(
        "id,kind,party_a,party_b,date_sh,part,quote,colour\n"
        "a,sister-city,city:isfahn,city:tbilisi,,t1,q,\n"  # a misspelt slug
        "b,twinning,city:tehran,city:osaka,,t1,q,\n"  # an unknown kind, a city not in places.csv
        "c,mou,city:tehran,city:istanbul,1402-12-30,t9,q,\n",  # 1402 is a common year; no part t9
        encoding="utf-8")
    with pytest.raises(TableError) as err:
        graph_of(folder)
    text = str(err.value)
    where = f"data/sources/{DOC_ID}/relations.csv"
    assert f"{where}:1:8 (colour)" in text  # a column the table does not have
    assert f"{where}:2:3 (party_a): 'city:isfahn'" in text and "closest: city:isfahan" in text
    assert f"{where}:3:2 (kind): 'twinning': sister-city | mou" in text
    assert f"{where}:3:4 (party_b): 'city:osaka'" in text and "gazetteer: Osaka (JP, GeoNames 1853909)" in text
    assert f"{where}:4:5 (date_sh): '1402-12-30'" in text and "Solar Hijri date" in text
    assert f"{where}:4:6 (part): 't9'" in text and "t1" in text
    assert len(err.value.errors) == 6


def test_a_relation_status_is_a_concept_and_an_unknown_one_is_refused(folder):
    (folder / "relations.csv").write_text(
        "id,kind,party_a,party_b,status,part,quote\nx,mou,city:tehran,city:istanbul,signed,t1,q\n", encoding="utf-8")
    g = graph_of(folder)
    assert g.value(INSTANCE["rel"]["x"], PD.relationStatus) == INSTANCE["concept"]["relation-status-signed"]
    (folder / "relations.csv").write_text(
        "id,kind,party_a,party_b,status,part,quote\nx,mou,city:tehran,city:istanbul,cancelled,t1,q\n", encoding="utf-8")
    with pytest.raises(TableError, match=r"relations.csv:2:5 \(status\): 'cancelled'"):
        graph_of(folder)


def test_a_place_is_a_slug_an_id_and_a_label_and_the_gazetteer_gives_the_rest(folder):
    places = folder.parents[1] / "reference" / "places.csv"
    places.write_text(places.read_text(encoding="utf-8") + "city:bursa,750269,بورسا,,,,\ncity:nowhere,999999999,هیچ‌جا,,,,\n", encoding="utf-8")
    with pytest.raises(TableError) as err:
        graph_of(folder)
    last_row = len(places.read_text().splitlines())
    assert [str(e).split(": ", 1)[0] for e in err.value.errors] == [f"data/reference/places.csv:{last_row}:2 (geonames_id)"]
    places.write_text("\n".join(places.read_text(encoding="utf-8").splitlines()[:-1]) + "\n", encoding="utf-8")
    ref = load_data(Project(folder.parents[2])).graphs["https://w3id.org/paradiplomacy/graph/reference"]
    bursa = INSTANCE["city"]["bursa"]
    assert ref.value(bursa, PD.country) == INSTANCE["country"]["turkey"]  # TR, through places.csv's Turkey
    assert (bursa, URIRef("http://www.w3.org/2002/07/owl#sameAs"), URIRef("https://sws.geonames.org/750269/")) in ref
    assert Literal("Bursa", lang="en") in set(ref.objects(bursa, RDFS.label))
    assert str(ref.value(URIRef(f"{bursa}/geometry"), URIRef("http://www.opengis.net/ont/geosparql#asWKT"))).startswith("POINT(29.06013 ")


def test_an_id_written_twice_is_refused_with_where_it_was_first(folder):
    (folder / "evidence.csv").write_text("id,part,quote\n900-e,t1,q\n", encoding="utf-8")
    (folder / "memberships.csv").write_text("id,member,organization,role,evidence\nx,city:tehran,body:uclg,member,900-e\n", encoding="utf-8")
    (folder / "offices.csv").write_text("id,holder,organization,role,label_en,label_fa,evidence\n"
                                        "x,person:alireza-zakani,body:tehran-municipality,mayor,A,الف,900-e\n", encoding="utf-8")
    with pytest.raises(TableError) as err:
        graph_of(folder)
    assert str(err.value) == (f"data/sources/{DOC_ID}/offices.csv:2:1 (id): 'x': an id not used before "
                              f"(mem:x is already data/sources/{DOC_ID}/memberships.csv:2)")


def test_each_quote_is_traced_to_the_cell_that_holds_it(folder):
    (folder / "evidence.csv").write_text("id,part,item,quote\n900-e,t1,row A,q one\n", encoding="utf-8")
    (folder / "relations.csv").write_text(
        "id,kind,party_a,party_b,evidence,part,quote\nx,mou,city:tehran,city:istanbul,900-e,,\n"
        "y,mou,city:tehran,city:baku,,t1,q two\n", encoding="utf-8")
    where = load_data(Project(folder.parents[2])).where
    path = f"data/sources/{DOC_ID}"
    assert where[str(EV["900-e"])] == f"{path}/evidence.csv:2:4"
    assert where[str(EV["900-rel-y"])] == f"{path}/relations.csv:3:7"
    assert where[str(REL["x"])] == f"{path}/relations.csv:2:1"


def test_an_iso_date_of_any_precision_fills_year_or_start_and_end(folder):
    (folder / "evidence.csv").write_text("id,part,quote\n900-e,t1,q\n", encoding="utf-8")
    (folder / "relations.csv").write_text(
        "id,kind,party_a,party_b,date,evidence\n"
        "a,sister-city,city:tehran,city:istanbul,2013,900-e\n"
        "b,mou,city:tehran,city:baku,2012-02,900-e\n"  # 2012 is a leap year
        "c,mou,city:tehran,city:kazan,2013-02-29,900-e\n", encoding="utf-8")
    with pytest.raises(TableError) as err:
        graph_of(folder)
    assert [str(e) for e in err.value.errors] == [
        f"data/sources/{DOC_ID}/relations.csv:4:5 (date): '2013-02-29': an ISO date YYYY, YYYY-MM or YYYY-MM-DD that exists"]
    (folder / "relations.csv").write_text("\n".join((folder / "relations.csv").read_text(encoding="utf-8").splitlines()[:3]) + "\n", encoding="utf-8")
    g = graph_of(folder)
    assert g.value(REL["a"], PD.year) == Literal("2013", datatype=XSD.gYear) and g.value(REL["a"], PD.datePrecision) == TIME.unitYear
    assert (g.value(REL["b"], SCHEMA.startDate), g.value(REL["b"], SCHEMA.endDate)) == (
        Literal("2012-02-01", datatype=XSD.date), Literal("2012-02-29", datatype=XSD.date))
    assert g.value(REL["b"], PD.datePrecision) == TIME.unitMonth


def test_a_label_that_is_no_literal_is_an_error_naming_the_file(folder):
    # the derived labels read every entity's rdfs:label by language; an IRI has none (once an AttributeError)
    source = folder / "source.ttl"
    source.write_text(SOURCE_TTL + "<https://w3id.org/paradiplomacy/id/city/tehran> rdfs:label <https://example.org/tehran> .\n",
                      encoding="utf-8")
    with pytest.raises(ProjectError) as err:
        graph_of(folder)
    assert str(err.value) == (f"data/sources/{DOC_ID}/source.ttl: https://w3id.org/paradiplomacy/id/city/tehran "
                              "has the rdfs:label https://example.org/tehran, not a literal")
    source.write_text(SOURCE_TTL.replace('rdfs:label "Table 1"@en', "rdfs:label <https://example.org/table-1>"), encoding="utf-8")
    with pytest.raises(ProjectError) as err:
        graph_of(folder)
    assert str(err.value) == (f"data/sources/{DOC_ID}/source.ttl: the part https://w3id.org/paradiplomacy/id/doc/{DOC_ID}-part-t1 "
                              "has the rdfs:label https://example.org/table-1, not a literal")
