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

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, VOID, XSD

from paradiplomacy.namespaces import ID, INSTANCE, PD
from paradiplomacy.query.catalogue import find, read_expected
from paradiplomacy.rdf.load import project_version
from paradiplomacy.rdf.release import release_of

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


def test_the_ontology_is_published_as_its_release_in_four_formats(site, dataset, project):
    # the release (one header, no imports), not the union of the modules: what OWL tools read
    def undated(graph: Graph) -> Graph:
        out = Graph()
        for t in graph:
            if t[1] not in (DCTERMS.issued, DCTERMS.modified):
                out.add(t)
        return out

    release = release_of(dataset, project_version(project))
    for name, fmt in (("ontology.ttl", "turtle"), ("ontology.rdf", "xml"), ("ontology.nt", "nt"), ("ontology.jsonld", "json-ld")):
        parsed = Graph().parse(site / name, format=fmt)
        assert isomorphic(undated(parsed), undated(release)), name
        assert list(parsed.subjects(RDF.type, OWL.Ontology)) == [URIRef("https://w3id.org/paradiplomacy/ontology")], name
    page = text(site, "ontology.html")
    assert 'id="SisterCityAgreement"' in page and "sister-city agreement" in page and "خواهرخواندگی" in page


def test_void_counts_equal_the_graph(site, graph, project):
    void = Graph().parse(site / "void.ttl", format="turtle")
    assert void.value(VOID_DATASET, VOID.triples).toPython() == len(graph)
    assert void.value(VOID_DATASET, VOID.properties).toPython() == len(set(graph.predicates()))
    assert void.value(VOID_DATASET, VOID.classes).toPython() == len(set(graph.objects(None, RDF.type)))
    subjects = {s for s in graph.subjects() if str(s).startswith(str(ID))}
    assert void.value(VOID_DATASET, VOID.entities).toPython() == len(subjects)
    graphs = [s for s in void.objects(VOID_DATASET, VOID.subset) if (s, RDF.type, VOID.Linkset) not in void]
    assert sum(void.value(s, VOID.triples).toPython() for s in graphs) == len(graph)  # one subset per named graph
    assert void.value(VOID_DATASET, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert str(void.value(VOID_DATASET, URIRef("http://www.w3.org/ns/dcat#version"))) == project_version(project)
    assert void.value(VOID_DATASET, VOID.sparqlEndpoint) == URIRef("https://w3id.org/paradiplomacy/sparql")
    dumps = {str(d) for d in void.objects(VOID_DATASET, VOID.dataDump)}
    assert "https://w3id.org/paradiplomacy/dumps/paradiplomacy.nq" in dumps
    for d in dumps:
        assert (site / d.removeprefix("https://w3id.org/paradiplomacy/")).is_file(), d
    vocabularies = {str(v) for v in void.objects(VOID_DATASET, VOID.vocabulary)}
    assert {str(PD), "http://www.w3.org/ns/org#", "http://www.opengis.net/ont/geosparql#"} <= vocabularies


DCAT_AP = Path(__file__).with_name("dcat-ap") / "dcat-ap-SHACL.ttl"
DCAT = Namespace("http://www.w3.org/ns/dcat#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")


def dcat_ap_violations(data: Graph) -> list[tuple[str, str, str]]:
    from pyshacl import validate

    _, report, _ = validate(data, shacl_graph=Graph().parse(DCAT_AP), inference="rdfs", allow_warnings=True)
    rows = report.query("""PREFIX sh: <http://www.w3.org/ns/shacl#>
        SELECT ?focus ?path ?message WHERE { ?r a sh:ValidationResult ; sh:resultSeverity sh:Violation ;
          sh:focusNode ?focus ; sh:resultMessage ?message . OPTIONAL { ?r sh:resultPath ?path } }""")
    return sorted((str(f), str(p), str(m)) for f, p, m in rows)


def test_void_conforms_to_the_dcat_ap_3_shapes(site):
    assert dcat_ap_violations(Graph().parse(site / "void.ttl", format="turtle")) == []


def test_the_dcat_ap_shapes_refuse_a_distribution_without_an_access_url(site):
    void = Graph().parse(site / "void.ttl", format="turtle")
    dist = URIRef("https://w3id.org/paradiplomacy/void#dump-dumps-paradiplomacy-nq")
    void.remove((dist, DCAT.accessURL, None))
    void.remove((dist, DCAT.byteSize, None))
    void.add((dist, DCAT.byteSize, Literal("12 kB")))
    violations = dcat_ap_violations(void)
    assert [(f, p) for f, p, _ in violations] == sorted([(str(dist), str(DCAT.accessURL)), (str(dist), str(DCAT.byteSize))])


def test_void_names_catalogue_publisher_contact_keywords_dates_and_sizes(site):
    void = Graph().parse(site / "void.ttl", format="turtle")
    catalog = URIRef("https://w3id.org/paradiplomacy/void#catalog")
    assert (catalog, DCAT.dataset, VOID_DATASET) in void
    publisher = void.value(VOID_DATASET, DCTERMS.publisher)
    assert Literal("Paradiplomacy Knowledge Graph developers", lang="en") in set(void.objects(publisher, FOAF.name))
    contact = void.value(VOID_DATASET, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Kind) in void and void.value(contact, VCARD.fn) is not None
    assert void.value(contact, VCARD.hasEmail) is None and void.value(contact, VCARD.hasURL) is None  # none invented
    keywords = {k.language for k in void.objects(VOID_DATASET, DCAT.keyword)}
    assert keywords == {"en", "fa"}
    for node in (catalog, VOID_DATASET):
        assert void.value(node, DCTERMS.issued).datatype == XSD.date and void.value(node, DCTERMS.modified) is not None
    for dist in void.objects(VOID_DATASET, DCAT.distribution):
        url = void.value(dist, DCAT.downloadURL)
        if url is not None:
            assert void.value(dist, DCAT.accessURL) == url
            size = void.value(dist, DCAT.byteSize)
            assert size.datatype == XSD.nonNegativeInteger
            assert int(size) == (site / str(url).removeprefix("https://w3id.org/paradiplomacy/")).stat().st_size


def test_the_geonames_linkset_counts_the_links(site, graph):
    void = Graph().parse(site / "void.ttl", format="turtle")
    linkset = URIRef("https://w3id.org/paradiplomacy/void#linkset-geonames-owl-sameAs")
    assert (VOID_DATASET, VOID.subset, linkset) in void and (linkset, RDF.type, VOID.Linkset) in void
    links = [o for o in graph.objects(None, OWL.sameAs) if str(o).startswith("https://sws.geonames.org/")]
    assert void.value(linkset, VOID.triples).toPython() == len(links)
    assert void.value(linkset, VOID.linkPredicate) == OWL.sameAs
    assert str(void.value(void.value(linkset, VOID.objectsTarget), VOID.uriSpace)) == "https://sws.geonames.org/"


def test_a_contact_is_a_mailto_or_a_web_address(dataset):
    from paradiplomacy.project import ProjectError
    from paradiplomacy.publish.void import describe

    triples = describe(dataset, "0", [], "mailto:publisher@example.org")
    assert (URIRef("https://w3id.org/paradiplomacy/void#contact"), VCARD.hasEmail, URIRef("mailto:publisher@example.org")) in triples
    with pytest.raises(ProjectError, match="--contact 'someone'"):
        describe(dataset, "0", [], "someone")


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


def test_a_relation_page_reads_label_type_parties_date_and_cites_document_and_locator(site):
    page = text(site, "id/rel/tehran-los-angeles.html")
    assert '<html lang="en" dir="ltr">' in page
    assert "Tehran–Los Angeles sister-city agreement" in page
    assert "1972" in page and "لس آنجلس (۱۹۷۲)" in page
    assert 'href="../city/los-angeles.html"' in page and 'href="../doc/004-dehshiri-khorrami-1397.html"' in page
    # the source is the document (by its title) and the place in it, not the file the fact is kept in
    assert 'href="#evidence-1"' in page and "Table 1, row Tehran (تهران), partner 1" in page
    assert "An analysis of the place of city diplomacy in the foreign policy of the Islamic Republic of Iran" in page
    assert "data/assertions/" not in page and ".ttl</code>" not in page
    # rows in reading order: label, type, the parties, the year; terms by their names, not CURIEs
    statements = page.split('<table class="statements">', 1)[1].split("</table>", 1)[0]
    names = re.findall(r"<tr><td><a [^>]*>([^<]+)</a></td>", statements)
    first = list(dict.fromkeys(names))[:4]
    assert first == ["label", "type", "party", "year"], first
    assert ">rdf:type<" not in page and ">rdfs:label<" not in page and "xsd:gYear</small>" not in page


def test_the_persian_relation_page_names_its_terms_in_persian(site):
    page = text(site, "id/rel/tehran-los-angeles.fa.html")
    main = page.split("<main>", 1)[1]
    assert main.index("خواهرخواندگی تهران و لس آنجلس") < main.index("Tehran–Los Angeles sister-city agreement")
    assert ">نوع</a>" in main and ">برچسب</a>" in main  # rdf:type and rdfs:label in Persian
    assert 'href="../city/tehran.fa.html" lang="fa" dir="auto" title="city:tehran">تهران</a>' in main


def test_an_entity_document_is_the_same_graph_in_three_formats(site):
    turtle = Graph().parse(site / "id/rel/tehran-los-angeles.ttl", format="turtle")
    assert isomorphic(turtle, Graph().parse(site / "id/rel/tehran-los-angeles.nt", format="nt"))
    assert isomorphic(turtle, Graph().parse(site / "id/rel/tehran-los-angeles.jsonld", format="json-ld"))
    rel, ev = REL["tehran-los-angeles"], URIRef(str(INSTANCE["ev"]) + "004-t1-tehran-los-angeles")
    assert (rel, PD.party, CITY["los-angeles"]) in turtle
    assert (ev, PD.quote, Literal("لس آنجلس (۱۹۷۲)", lang="fa")) in turtle  # the provenance travels along


# --- answers, map, charts ---------------------------------------------------------------------------------

def test_the_answers_page_links_the_rows_to_entity_pages_by_label(site, project):
    page = text(site, "answers.html")
    assert '<section class="answer" id="q001">' in page and "Partners of a city" in page
    # 004 Table 1, row Tehran: Los Angeles (1972), in the United States
    assert '<a href="id/city/los-angeles.html" lang="en" dir="auto" title="city:los-angeles">Los Angeles</a>' in page
    assert "city:los-angeles</a>" not in page and "^^" not in page and "XMLSchema#" not in page
    contents = page.split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
    stored = sorted(p.name.split("-", 1)[0] for p in (project.root / "queries" / "cq").glob("*.rq"))
    assert re.findall(r'<a href="#q(\d{3})">', contents) == stored


def test_the_persian_answers_page_shows_persian_labels_and_plain_years(site):
    page = text(site, "answers.fa.html")
    assert '<html lang="fa" dir="rtl">' in page
    row = next(r for r in page.split("<tr>") if 'href="id/city/los-angeles.fa.html"' in r and "SisterCityAgreement" in r)
    assert ">لس آنجلس</a>" in row and ">ایالات متحده آمریکا</a>" in row
    assert '<span dir="auto">1972</span>' in row  # a year as a year
    assert "Table 1, row Tehran (تهران), partner 1" in row  # the passage the row rests on


def test_every_answer_cell_is_escaped_once(site, project, dataset):
    """A cell holding markup is shown as text: the template escapes it, exactly once."""
    from paradiplomacy.build import Answer, canonical_dataset
    from paradiplomacy.publish.pages import Pages
    from paradiplomacy.publish.sitegraph import SiteGraph
    from paradiplomacy.query.catalogue import Result

    written = {}
    site_graph = SiteGraph(canonical_dataset(dataset))
    pages = Pages(site_graph, lambda path, html: written.setdefault(path, html), "test")
    query = find(project, "002")
    hostile = Result(["kind", "relations"], [("<script>alert(1)</script> & «x»", "9")])
    pages.answers([Answer(query, hostile, None)], [[[("004-dehshiri-khorrami-1397", "§5 <b>1</b>")]]], "en")
    html = written["answers.html"]
    assert "<script>alert" not in html and "<b>1</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; «x»" in html and "§5 &lt;b&gt;1&lt;/b&gt;" in html
    assert "&amp;lt;" not in html  # not escaped twice


def test_mixed_words_in_the_pages_own_text_are_isolated():
    from paradiplomacy.publish.pages import isolate

    assert str(isolate("پرس‌وجو از گراف (SPARQL)", "fa")) == 'پرس‌وجو از گراف (<bdi dir="ltr" lang="en">SPARQL</bdi>)'
    assert str(isolate("004 Table 1 (جدول شماره ۱), row <x>", "en")) == (
        '004 Table 1 (<bdi dir="rtl" lang="fa">جدول شماره ۱</bdi>), row &lt;x&gt;')


def test_the_map_holds_the_isfahan_florence_link(site):
    data = json.loads(text(site, "map.geojson"))
    lines = {f["properties"]["iri"]: f for f in data["features"] if f["geometry"]["type"] == "LineString"}
    link = lines[str(REL["isfahan-florence"])]  # 004 Table 1, row Isfahan: «فلورانس (۱۹۹۸)»
    assert link["properties"]["from"] == str(CITY["isfahan"]) and link["properties"]["to"] == str(CITY["florence"])
    assert link["properties"]["kind"] == "sister-city" and link["properties"]["year"] == "1998"
    points = {f["properties"]["iri"]: f["geometry"]["coordinates"] for f in data["features"] if f["geometry"]["type"] == "Point"}
    assert link["geometry"]["coordinates"] == [points[str(CITY["isfahan"])], points[str(CITY["florence"])]]
    assert "window.PD_MAP" in text(site, "map-data.js")
    assert "Natural Earth" in text(site, "map.html") and "Natural Earth" in text(site, "map.fa.html")  # said on the page
    world = text(site, "vendor/world-atlas/countries-110m.js")
    assert world.startswith("window.PD_WORLD = {") and '"countries"' in world
    assert (site / "vendor/world-atlas/LICENSE").is_file() and (site / "vendor/topojson-client/LICENSE").is_file()


def test_the_charts_show_the_papers_counts(site, project):
    page = text(site, "charts.html")
    charts = re.findall(r'<img src="(charts/[^"]+\.en\.svg)"', page)  # drawn by matplotlib, a file per language
    assert len(charts) == 5 and all((site / c).is_file() and (site / c.replace(".en.", ".fa.")).is_file() for c in charts)
    expected = read_expected(find(project, "003"))  # Table 2's regions, recomputed and printed
    for _region, recomputed, printed in expected.rows:
        assert f'<td class="n" data-series="recomputed">{recomputed}</td><td class="n" data-series="printed">{printed}</td>' in page


# --- what a browser loads -----------------------------------------------------------------------------------

def test_no_page_loads_anything_from_another_host(site):
    offending = []
    for page in site.rglob("*.html"):
        for url in LOADED.findall(page.read_text(encoding="utf-8")):
            if re.match(r"^(https?:)?//", url, re.IGNORECASE):
                offending.append(f"{page.relative_to(site)}: {url}")
    assert offending == []


def test_the_vendored_scripts_and_styles_are_there(site):
    for name in ("map.html", "map.fa.html", "answers.fa.html", "sparql.html", "index.html", "id/city/tehran.fa.html"):
        page = site / name
        for url in LOADED.findall(page.read_text(encoding="utf-8")):
            if not url.startswith("data:"):
                assert (page.parent / url).resolve().is_file(), f"{name}: {url}"
    assert (site / "vendor/leaflet/LICENSE").is_file()
    assert "SIL OPEN FONT LICENSE" in text(site, "vendor/vazirmatn/OFL.txt").upper()
    css = text(site, "assets/site.css")
    fonts = re.findall(r'url\("([^"]+\.woff2)"\)', css)
    assert fonts and all((site / "assets" / f).resolve().is_file() for f in fonts)


def test_the_redirect_rules_negotiate_with_303(site):
    # tests/test_conneg.py runs these rules on a real Apache; here: they are there, type maps included
    rules = text(site, ".htaccess")
    assert "RewriteRule ^(id/[a-z]+/[^.]+)$ /_conneg/entity.var/$1 [L]" in rules
    assert "RewriteRule ^_conneg/to/entity/ttl/(.*)$ /$1.ttl [R=303,L,NE]" in rules
    assert "RewriteRule ^_conneg/to/ontology/rdf/(.*)$ /ontology.rdf [R=303,L,NE]" in rules
    entity = text(site, "_conneg/entity.var")
    assert "URI: to/entity/html-fa\nContent-Type: text/html\nContent-Language: fa" in entity


def test_publishing_twice_gives_the_same_bytes(project, tmp_path):
    """Two publications of one copy of the sources, in two processes with different hash seeds
    (so set and dict orders differ), write identical files."""
    for name in ("ontology", "data", "queries"):
        shutil.copytree(project.root / name, tmp_path / name)
    shutil.copy(project.root / "pyproject.toml", tmp_path / "pyproject.toml")
    code = ("import sys; from pathlib import Path; from paradiplomacy.project import Project; "
            "from paradiplomacy.build import run; from paradiplomacy.publish.site import publish; "
            "publish(run(Project.locate()), Path(sys.argv[1]))")
    runs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path / f"site{seed}")], cwd=tmp_path,
                             env={**os.environ, "PYTHONHASHSEED": str(seed), "PDKG_ROOT": str(tmp_path)})
            for seed in (1, 2)]
    assert [run.wait(timeout=600) for run in runs] == [0, 0]

    def digest(root: Path) -> dict[str, str]:
        return {p.relative_to(root).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}

    first, second = digest(tmp_path / "site1"), digest(tmp_path / "site2")
    assert len(first) > 1000 and sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


# --- JSON-LD with terms ---------------------------------------------------------------------------

def test_entity_json_reads_as_plain_keys(site):
    doc = json.loads(text(site, "id/rel/tehran-los-angeles.jsonld"))
    node = next(n for n in doc["@graph"] if n["id"] == "rel:tehran-los-angeles")
    # 004 Table 1, row Tehran: «لس آنجلس (۱۹۷۲)»
    assert node["type"] == "SisterCityAgreement"
    assert node["party"] == ["city:los-angeles", "city:tehran"]  # two parties of equal standing
    assert node["year"] == "1972" and doc["@context"]["year"] == {"@id": "pd:year", "@type": "xsd:gYear"}
    assert node["label"]["en"] == "Tehran–Los Angeles sister-city agreement"
    evidence = next(n for n in doc["@graph"] if n["id"] == node["evidence"])
    assert evidence["quote"] == {"fa": "لس آنجلس (۱۹۷۲)"}


def test_the_published_context_holds_terms_and_prefixes(site):
    ctx = json.loads(text(site, "dumps/context.jsonld"))["@context"]
    assert ctx["city"] == str(CITY) and ctx["pd"] == str(PD)
    assert ctx["label"] == {"@id": "rdfs:label", "@container": "@language"}
    assert ctx["party"] == {"@id": "pd:party", "@type": "@id"}
    assert ctx["pd_country"] == {"@id": "pd:country", "@type": "@id"}  # "country" is the prefix of country:iran
    assert ctx["City"] == "pd:City"
