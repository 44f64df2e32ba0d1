"""The published site: dumps, VoID, entity pages in Persian and English, map, charts, no CDN."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, VOID

from paradiplomacy.loading import project_version
from paradiplomacy.namespaces import ID, INSTANCE, PD
from paradiplomacy.queries import find, read_expected

CITY, REL = INSTANCE["city"], INSTANCE["rel"]
VOID_DATASET = URIRef("https://w3id.org/paradiplomacy/void#paradiplomacy")
# <script src=…> and <link href=…>: what a browser loads by itself when it shows a page
LOADED = re.compile(r"<(?:script|link)\b[^>]*?\b(?:src|href)=\"([^\"]*)\"", re.IGNORECASE)

def text(site: Path, relative: str) -> str:
    return (site / relative).read_text(encoding="utf-8")


# --- dumps ------------------------------------------------------------------------------------------

def test_the_dumps_hold_every_named_graph_and_the_union(site, dataset, graph):
    quads = Dataset()
    quads.parse(site / "dumps/paradiplomacy.nq", format="nquads")
    expected = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}
    assert {str(g.identifier): len(g) for g in quads.graphs() if len(g)} == expected  # one graph per source file
    trig = Dataset()
    trig.parse(site / "dumps/paradiplomacy.trig", format="trig")
    assert sum(len(g) for g in trig.graphs()) == sum(expected.values())
    for name, fmt in (("paradiplomacy.ttl", "turtle"), ("paradiplomacy.nt", "nt"), ("paradiplomacy.jsonld", "json-ld")):
        union = Graph().parse(site / "dumps" / name, format=fmt)
        assert len(union) == len(graph), name
        assert isomorphic(union, graph), name


def test_the_ontology_is_published_in_turtle_and_rdf_xml(site, ontology):
    for name, fmt in (("ontology.ttl", "turtle"), ("ontology.rdf", "xml"), ("ontology.nt", "nt"), ("ontology.jsonld", "json-ld")):
        parsed = Graph().parse(site / name, format=fmt)
        assert isomorphic(parsed, ontology), name
    page = text(site, "ontology.html")
    assert 'id="SisterCityAgreement"' in page and "sister-city agreement" in page and "خواهرخواندگی" in page


def test_void_counts_equal_the_graph(site, graph, project):
    void = Graph().parse(site / "void.ttl", format="turtle")
    assert void.value(VOID_DATASET, VOID.triples).toPython() == len(graph)
    assert void.value(VOID_DATASET, VOID.properties).toPython() == len(set(graph.predicates()))
    assert void.value(VOID_DATASET, VOID.classes).toPython() == len(set(graph.objects(None, RDF.type)))
    subjects = {s for s in graph.subjects() if str(s).startswith(str(ID))}
    assert void.value(VOID_DATASET, VOID.entities).toPython() == len(subjects)
    assert sum(void.value(s, VOID.triples).toPython() for s in void.objects(VOID_DATASET, VOID.subset)) == len(graph)
    assert void.value(VOID_DATASET, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert str(void.value(VOID_DATASET, URIRef("http://www.w3.org/ns/dcat#version"))) == project_version(project)
    assert void.value(VOID_DATASET, VOID.sparqlEndpoint) == URIRef("https://w3id.org/paradiplomacy/sparql")
    dumps = {str(d) for d in void.objects(VOID_DATASET, VOID.dataDump)}
    assert "https://w3id.org/paradiplomacy/dumps/paradiplomacy.nq" in dumps
    for d in dumps:
        assert (site / d.removeprefix("https://w3id.org/paradiplomacy/")).is_file(), d
    vocabularies = {str(v) for v in void.objects(VOID_DATASET, VOID.vocabulary)}
    assert {str(PD), "http://www.w3.org/ns/org#", "http://www.opengis.net/ont/geosparql#"} <= vocabularies


# --- entity pages ------------------------------------------------------------------------------------

def test_every_entity_has_its_pages_and_rdf_documents(site, graph):
    subjects = sorted({str(s) for s in graph.subjects() if str(s).startswith(str(ID))})
    missing = [s for s in subjects for ext in (".html", ".fa.html", ".ttl", ".jsonld", ".nt")
               if not (site / ("id/" + s[len(str(ID)):] + ext)).is_file()]
    assert missing == []


def test_tehran_in_persian_shows_its_labels_the_quotes_and_links(site):
    page = text(site, "id/city/tehran.fa.html")
    assert '<html lang="fa" dir="rtl">' in page
    assert "<h1>" in page and "تهران" in page.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert "ایران" in page  # Tehran's country, by its Persian label
    # 004 Table 1, row Tehran: Los Angeles, 1972 — the quote of the sister-city evidence
    assert "لس آنجلس (۱۹۷۲)" in page
    assert "Table 1, row Tehran (تهران), partner 1" in page
    assert 'href="../rel/tehran-los-angeles.fa.html"' in page
    assert 'href="../country/iran.fa.html"' in page
    assert 'href="tehran.html"' in page and 'href="tehran.ttl"' in page  # English page, RDF beside it


def test_a_relation_page_gives_each_statement_its_source(site):
    page = text(site, "id/rel/tehran-los-angeles.html")
    assert '<html lang="en" dir="ltr">' in page
    assert "Tehran–Los Angeles sister-city agreement" in page
    assert "1972" in page and "لس آنجلس (۱۹۷۲)" in page
    assert 'href="#evidence-1"' in page and "data/sources/004-dehshiri-khorrami-1397/" in page
    assert 'href="../city/los-angeles.html"' in page and 'href="../doc/004-dehshiri-khorrami-1397.html"' in page


def test_an_entity_document_is_the_same_graph_in_three_formats(site):
    turtle = Graph().parse(site / "id/rel/tehran-los-angeles.ttl", format="turtle")
    assert isomorphic(turtle, Graph().parse(site / "id/rel/tehran-los-angeles.nt", format="nt"))
    assert isomorphic(turtle, Graph().parse(site / "id/rel/tehran-los-angeles.jsonld", format="json-ld"))
    rel, ev = REL["tehran-los-angeles"], URIRef(str(INSTANCE["ev"]) + "004-t1-tehran-los-angeles")
    assert (rel, PD.party, CITY["los-angeles"]) in turtle
    assert (ev, PD.quote, Literal("لس آنجلس (۱۹۷۲)", lang="fa")) in turtle  # the provenance travels along


# --- answers, map, charts ---------------------------------------------------------------------------------

def test_the_answers_page_links_the_rows_to_entity_pages(site):
    page = text(site, "answers.html")
    assert "001: Partners of a city" in page or "001-partners-of-a-city" in page
    assert '<a href="id/city/los-angeles.html">city:los-angeles</a>' in page


def test_the_map_holds_the_isfahan_florence_link(site):
    data = json.loads(text(site, "map.geojson"))
    lines = {f["properties"]["iri"]: f for f in data["features"] if f["geometry"]["type"] == "LineString"}
    link = lines[str(REL["isfahan-florence"])]  # 004 Table 1, row Isfahan: «فلورانس (۱۹۹۸)»
    assert link["properties"]["from"] == str(CITY["isfahan"]) and link["properties"]["to"] == str(CITY["florence"])
    assert link["properties"]["kind"] == "sister-city" and link["properties"]["year"] == "1998"
    points = {f["properties"]["iri"]: f["geometry"]["coordinates"] for f in data["features"] if f["geometry"]["type"] == "Point"}
    assert link["geometry"]["coordinates"] == [points[str(CITY["isfahan"])], points[str(CITY["florence"])]]
    assert "window.PD_MAP" in text(site, "map-data.js")
    assert "There is no base map" in text(site, "map.html")  # said on the page


def test_the_charts_show_the_papers_counts(site, project):
    page = text(site, "charts.html")
    assert page.count("<svg") == 3
    expected = read_expected(find(project, "003"))  # Table 2's regions, recomputed and printed
    for _region, recomputed, printed in expected.rows:
        assert f"<td>{recomputed}</td><td>{printed}</td>" in page


# --- what a browser loads -----------------------------------------------------------------------------------

def test_no_page_loads_anything_from_another_host(site):
    offending = []
    for page in site.rglob("*.html"):
        for url in LOADED.findall(page.read_text(encoding="utf-8")):
            if re.match(r"^(https?:)?//", url, re.IGNORECASE):
                offending.append(f"{page.relative_to(site)}: {url}")
    assert offending == []


def test_the_vendored_scripts_and_styles_are_there(site):
    for name in ("map.html", "sparql.html", "index.html", "id/city/tehran.fa.html"):
        page = site / name
        for url in LOADED.findall(page.read_text(encoding="utf-8")):
            if not url.startswith("data:"):
                assert (page.parent / url).resolve().is_file(), f"{name}: {url}"
    assert (site / "vendor/leaflet/LICENSE").is_file()


def test_the_redirect_rules_negotiate_with_303(site):
    rules = text(site, ".htaccess")
    assert "RewriteCond %{HTTP_ACCEPT} text/turtle" in rules
    assert "RewriteRule ^id/([^.]+)$ id/$1.ttl [R=303,L]" in rules
    assert "ontology.rdf [R=303,L]" in rules


def test_publishing_twice_gives_the_same_bytes(project, tmp_path):
    """Two publications of one copy of the sources, in two processes with different hash seeds
    (so set and dict orders differ), write identical files."""
    for name in ("ontology", "data", "queries"):
        shutil.copytree(project.root / name, tmp_path / name)
    shutil.copy(project.root / "pyproject.toml", tmp_path / "pyproject.toml")
    code = ("import sys; from pathlib import Path; from paradiplomacy.project import Project; "
            "from paradiplomacy.loading import load_dataset; from paradiplomacy.publish import publish; "
            "p = Project.locate(); publish(p, load_dataset(p), out=Path(sys.argv[1]))")
    runs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path / f"site{seed}")], cwd=tmp_path,
                             env={**os.environ, "PYTHONHASHSEED": str(seed), "PDKG_ROOT": str(tmp_path)})
            for seed in (1, 2)]
    assert [run.wait(timeout=600) for run in runs] == [0, 0]

    def digest(root: Path) -> dict[str, str]:
        return {p.relative_to(root).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}

    first, second = digest(tmp_path / "site1"), digest(tmp_path / "site2")
    assert len(first) > 1000 and sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
