"""Everything the site mints dereferences: a crawler takes every IRI under the base from the
dumps, the ontology's release and the dataset description, and every link of every page, and
asks `pdkg serve` for each (following its 303s): no 404, no broken internal link, no missing
anchor. Then the new documents say what they should: a named graph's hold its triples, a
module's its source file's header, the version IRI's the release."""

from __future__ import annotations

import http.client
import posixpath
import re
import threading
import urllib.parse

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS

from paradiplomacy.namespaces import BASE
from paradiplomacy.rdf.load import project_version
from paradiplomacy.serve.server import make_server

MINTED = re.compile(r"<(" + re.escape(BASE) + r"[^>]*)>")
LINK = re.compile(r"""\b(?:href|src)="([^"]*)\"""")
ANCHOR = re.compile(r"""\bid="([^"]+)\"""")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def server(site):
    server = make_server(site, "127.0.0.1", 0, timeout=5, workers=1)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[:2]
    server.shutdown()
    server.server_close()


class Client:
    """One kept-alive connection; HEAD requests, redirects followed by hand."""

    def __init__(self, address) -> None:
        self.address = address
        self.conn = http.client.HTTPConnection(*address, timeout=30)

    def head(self, path: str, accept: str | None = None) -> tuple[int, str | None]:
        for attempt in (1, 2):
            try:
                self.conn.request("HEAD", urllib.parse.quote(path, safe="/#%"), headers={"Accept": accept} if accept else {})
                r = self.conn.getresponse()
                r.read()
                return r.status, r.getheader("Location")
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(*self.address, timeout=30)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def resolve(self, path: str, accept: str | None = None) -> tuple[int, str]:
        """The status at the end of the redirects, and the path it ends at."""
        for _ in range(5):
            status, location = self.head(path, accept)
            if status not in (301, 302, 303, 307, 308):
                return status, path
            path = location
        return 0, path


def minted_iris(site) -> set[str]:
    found = set()
    for name in ("dumps/paradiplomacy.nq", "ontology.nt", "void.nt"):
        found |= set(MINTED.findall((site / name).read_text(encoding="utf-8")))
    return found


def test_every_minted_iri_dereferences(site, server):
    client = Client(server)
    iris = minted_iris(site)
    paths = sorted({"/" + iri[len(BASE):].split("#", 1)[0] for iri in iris})
    assert len(paths) > 1500
    failed = []
    for path in paths:
        wanted = ((BROWSER, ".html"),) if path == "/sparql" else ((BROWSER, ".html"), ("text/turtle", ".ttl"))
        for accept, _ in wanted:
            status, end = client.resolve(path, accept)
            if status != 200:
                failed.append((path, accept, status, end))
    assert failed == []


def test_the_kinds_the_issue_named_are_among_them(site, project):
    iris = minted_iris(site)
    version = project_version(project)
    assert f"{BASE}ontology/{version}" in iris  # owl:versionIRI
    assert f"{BASE}void#paradiplomacy" in iris  # the dataset
    assert f"{BASE}graph/source/004-dehshiri-khorrami-1397" in iris and f"{BASE}graph/reference" in iris
    assert f"{BASE}ontology/actors" in iris and f"{BASE}ontology#SisterCityAgreement" in iris


def test_no_page_has_a_broken_internal_link(site, server):
    client = Client(server)
    anchors: dict[str, set[str]] = {}

    def ids(relative: str) -> set[str]:
        if relative not in anchors:
            anchors[relative] = set(ANCHOR.findall((site / relative).read_text(encoding="utf-8")))
        return anchors[relative]

    targets: dict[str, set[str]] = {}  # site path -> fragments linked to
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        relative = page.relative_to(site).as_posix()
        for link in LINK.findall(page.read_text(encoding="utf-8")):
            link = link.replace("&amp;", "&")
            if not link or re.match(r"^[a-z][a-z0-9+.-]*:", link, re.IGNORECASE) or link.startswith("//"):
                continue  # another host, data: or mailto:
            target, _, fragment = link.partition("#")
            path = posixpath.normpath(posixpath.join(posixpath.dirname(relative), target)) if target else relative
            path = path.split("?", 1)[0]
            targets.setdefault(path, set())
            if fragment:
                targets[path].add(urllib.parse.unquote(fragment))
    assert len(pages) > 3000 and len(targets) > 3000
    broken, missing = [], []
    for path, fragments in sorted(targets.items()):
        status, end = client.resolve("/" + path.lstrip("/"), BROWSER)
        if status != 200:
            broken.append((path, status))
        elif fragments and end.endswith(".html"):
            missing += [(path, f) for f in sorted(fragments - ids(end.lstrip("/")))]
    assert broken == [] and missing == []


# --- what the new documents hold ---------------------------------------------------------------------

def test_a_named_graphs_documents_hold_its_triples(site, dataset):
    for name in ("graph/source/004-dehshiri-khorrami-1397", "graph/reference", "graph/links/iso3166"):
        graph = dataset.graph(URIRef(BASE + name))
        for ext, fmt in ((".nt", "nt"), (".ttl", "turtle"), (".jsonld", "json-ld")):
            parsed = Graph().parse(site / (name + ext), format=fmt)
            assert len(parsed) == len(graph) and len(parsed) > 0, name + ext
    every = {str(g.identifier) for g in dataset.graphs() if str(g.identifier).startswith(BASE + "graph/") and len(g)}
    documented = {BASE + p.relative_to(site).as_posix()[: -len(".html")] for p in (site / "graph").rglob("*.html")
                  if not p.name.endswith(".fa.html")}
    assert documented == every


def test_the_paper_graphs_page_names_its_document(site):
    page = (site / "graph/source/004-dehshiri-khorrami-1397.html").read_text(encoding="utf-8")
    # the paper's title, as its doc: entity gives it, linked to its page
    assert 'href="../../id/doc/004-dehshiri-khorrami-1397.html"' in page
    assert "An analysis of the place of city diplomacy in the foreign policy of the Islamic Republic of Iran" in page
    assert 'href="004-dehshiri-khorrami-1397.nt"' in page and "dumps/paradiplomacy.nq" in page
    fa = (site / "graph/source/004-dehshiri-khorrami-1397.fa.html").read_text(encoding="utf-8")
    assert '<html lang="fa" dir="rtl">' in fa and "گراف نام‌دار" in fa


def test_a_modules_documents_hold_its_header_and_terms(site):
    relations = Graph().parse(site / "ontology/relations.ttl", format="turtle")
    module = URIRef(BASE + "ontology/relations")
    assert (module, RDF.type, OWL.Ontology) in relations
    assert (module, RDFS.label, Literal("Relations module", lang="en")) in relations  # ontology/modules/relations.ttl
    assert (URIRef(BASE + "ontology#SisterCityAgreement"), RDF.type, OWL.Class) in relations
    page = (site / "ontology/relations.fa.html").read_text(encoding="utf-8")
    assert "ماژول روابط" in page and 'href="../ontology.fa.html#SisterCityAgreement"' in page
    assert isomorphic(relations, Graph().parse(site / "ontology/relations.rdf", format="xml"))


def test_the_version_iri_serves_the_release(site, project):
    version = project_version(project)
    release = Graph().parse(site / "ontology.ttl", format="turtle")
    versioned = Graph().parse(site / f"ontology/{version}.ttl", format="turtle")
    assert isomorphic(release, versioned)
    assert (URIRef(BASE + "ontology"), OWL.versionIRI, URIRef(f"{BASE}ontology/{version}")) in versioned


def test_the_dataset_description_in_three_formats(site):
    turtle = Graph().parse(site / "void.ttl", format="turtle")
    assert isomorphic(turtle, Graph().parse(site / "void.jsonld", format="json-ld"))
    assert isomorphic(turtle, Graph().parse(site / "void.nt", format="nt"))
    subset = URIRef(BASE + "void#graph-data-sources-004-dehshiri-khorrami-1397")
    assert (subset, URIRef("http://rdfs.org/ns/void#dataDump"), URIRef(BASE + "graph/source/004-dehshiri-khorrami-1397.nt")) in turtle
