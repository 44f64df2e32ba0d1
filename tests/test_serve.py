"""`pdkg serve` over HTTP: content negotiation, the SPARQL protocol, refusals and limits."""

from __future__ import annotations

import csv
import http.client
import io
import json
import shutil
import socket
import threading
import time
import urllib.parse

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS
from typer.testing import CliRunner

from paradiplomacy.build import same_rows
from paradiplomacy.cli import app
from paradiplomacy.query.catalogue import catalogue, read_expected
from paradiplomacy.query.remote import run_remote
from paradiplomacy.serve.server import make_server

TEHRAN = URIRef("https://w3id.org/paradiplomacy/id/city/tehran")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # ~10^12 rows: never ends
TIMEOUT = 3.0
LIMIT = 1000


def start(site, **options):
    server = make_server(site, "127.0.0.1", 0, **options)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def base(site):
    """The base URL of a server of the published site, on a free port of 127.0.0.1."""
    server = start(site, timeout=TIMEOUT, limit=LIMIT, workers=2)
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()


def request(base: str, method: str, path: str, body: bytes | str | None = None, headers: dict | None = None):
    """One request, redirects not followed: (status, headers, body text)."""
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        conn.request(method, path, body=body.encode("utf-8") if isinstance(body, str) else body, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode("utf-8")
    finally:
        conn.close()


def query_path(text: str, **params) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": text, **params})


# --- content negotiation ----------------------------------------------------------------------------------

@pytest.mark.parametrize("accept, suffix", [
    ("text/html", ".html"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", ".html"),  # a browser
    ("text/turtle", ".ttl"),
    ("application/ld+json", ".jsonld"),
    ("application/n-triples", ".nt"),
    ("text/turtle;q=0.5, application/n-triples", ".nt"),
    ("*/*", ".html"),
])
def test_an_entity_iri_redirects_to_the_document_asked_for(base, accept, suffix):
    status, headers, _ = request(base, "GET", "/id/city/tehran", headers={"Accept": accept})
    assert status == 303
    assert headers["location"] == "/id/city/tehran" + suffix
    assert "Accept" in headers["vary"]


def test_the_documents_are_served_with_their_media_types(base):
    status, headers, body = request(base, "GET", "/id/city/tehran.ttl")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=body, format="turtle")
    assert (TEHRAN, RDFS.label, Literal("تهران", lang="fa")) in graph
    status, headers, body = request(base, "GET", "/id/city/tehran.jsonld")
    assert status == 200 and headers["content-type"] == "application/ld+json"
    assert (TEHRAN, RDFS.label, Literal("Tehran", lang="en")) in Graph().parse(data=body, format="json-ld")
    status, headers, body = request(base, "GET", "/id/city/tehran.nt")
    assert status == 200 and headers["content-type"] == "application/n-triples"


def test_persian_readers_are_sent_to_the_persian_page(base):
    status, headers, _ = request(base, "GET", "/id/city/tehran", headers={"Accept": "text/html", "Accept-Language": "fa-IR,fa;q=0.9,en;q=0.5"})
    assert status == 303 and headers["location"] == "/id/city/tehran.fa.html"
    status, _, body = request(base, "GET", "/id/city/tehran.fa.html")
    assert status == 200 and 'dir="rtl"' in body and "لس آنجلس (۱۹۷۲)" in body


def test_unknown_resources_and_formats(base):
    assert request(base, "GET", "/id/city/atlantis", headers={"Accept": "text/turtle"})[0] == 404
    assert request(base, "GET", "/id/city/tehran", headers={"Accept": "image/png"})[0] == 406
    assert request(base, "GET", "/no/such/file.html")[0] == 404
    assert request(base, "GET", "/../pyproject.toml")[0] == 404
    assert request(base, "GET", "/.htaccess")[0] == 404


def test_the_ontology_iri_negotiates_too(base):
    for accept, suffix in (("application/rdf+xml", ".rdf"), ("text/turtle", ".ttl"), ("text/html", ".html")):
        status, headers, _ = request(base, "GET", "/ontology", headers={"Accept": accept})
        assert status == 303 and headers["location"] == "/ontology" + suffix
    status, headers, body = request(base, "GET", "/ontology.ttl")
    assert status == 200 and "pd:SisterCityAgreement" in body


def test_the_site_is_served(base):
    status, headers, body = request(base, "GET", "/")
    assert status == 200 and headers["content-type"].startswith("text/html") and "dumps/paradiplomacy.nq" in body
    status, headers, _ = request(base, "GET", "/vendor/leaflet/leaflet.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    status, headers, body = request(base, "GET", "/sparql", headers={"Accept": "text/html"})
    assert status == 200 and "yasgui.min.js" in body


# --- the SPARQL endpoint -------------------------------------------------------------------------------------

def test_every_stored_query_gives_its_expected_rows(project, base):
    checked, differing = 0, []
    for query in catalogue(project).values():
        if query.kind == "cq" and query.expected_path.exists():
            checked += 1
            if not same_rows(run_remote(base + "/sparql", query), read_expected(query)):
                differing.append(query.id)
        elif query.kind == "qc":  # quality checks: nothing to report on the published graph
            assert run_remote(base + "/sparql", query).rows == [], query.id
    assert checked >= 11 and differing == []


LABELS = f"SELECT ?label WHERE {{ <{TEHRAN}> <{RDFS.label}> ?label }} ORDER BY ?label"


def test_results_in_json_xml_csv_and_tsv(base):
    status, headers, body = request(base, "GET", query_path(LABELS), headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and headers["content-type"] == "application/sparql-results+json"
    bindings = json.loads(body)["results"]["bindings"]
    assert {"type": "literal", "value": "تهران", "xml:lang": "fa"} in [b["label"] for b in bindings]
    status, headers, body = request(base, "GET", query_path(LABELS), headers={"Accept": "application/sparql-results+xml"})
    assert status == 200 and headers["content-type"] == "application/sparql-results+xml"
    assert '<literal xml:lang="fa">تهران</literal>' in body
    status, headers, body = request(base, "GET", query_path(LABELS, format="csv"))
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(body))) == [["label"], ["Tehran"], ["تهران"]]
    status, headers, body = request(base, "GET", query_path(LABELS), headers={"Accept": "text/tab-separated-values"})
    assert status == 200 and body.splitlines() == ["?label", '"Tehran"@en', '"تهران"@fa']


def test_post_as_form_and_as_query_body(base):
    form = urllib.parse.urlencode({"query": LABELS})
    status, _, body = request(base, "POST", "/sparql", form, {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"})
    assert status == 200 and "تهران" in body
    status, _, body = request(base, "POST", "/sparql", LABELS, {"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert status == 200 and "تهران" in body
    status, _, body = request(base, "POST", "/sparql", "ASK { ?s ?p ?o }", {"Content-Type": "application/sparql-query"})
    assert status == 200 and json.loads(body)["boolean"] is True
    construct = f"CONSTRUCT {{ <{TEHRAN}> <{RDFS.label}> ?l }} WHERE {{ <{TEHRAN}> <{RDFS.label}> ?l }}"
    status, headers, body = request(base, "POST", "/sparql", construct, {"Content-Type": "application/sparql-query", "Accept": "text/turtle"})
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    assert (TEHRAN, RDFS.label, Literal("تهران", lang="fa")) in Graph().parse(data=body, format="turtle")


def test_updates_are_refused(base):
    insert = "PREFIX ex: <http://example.org/>\nINSERT DATA { ex:a ex:b ex:c }"
    assert request(base, "POST", "/sparql", insert, {"Content-Type": "application/sparql-update"})[0] == 403
    form = urllib.parse.urlencode({"update": insert})
    assert request(base, "POST", "/sparql", form, {"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    status, _, body = request(base, "GET", query_path(insert))
    assert status == 403 and "read-only" in body
    assert request(base, "GET", "/sparql?" + urllib.parse.urlencode({"update": "DROP ALL"}))[0] == 403
    assert request(base, "PUT", "/sparql", "x")[0] == 405
    assert request(base, "DELETE", "/id/city/tehran")[0] == 405
    status, _, body = request(base, "GET", query_path("ASK { ?s ?p ?o }"))
    assert status == 200  # and the graph is still there
    _, _, body = request(base, "GET", query_path("ASK { <http://example.org/a> ?p ?o }"))
    assert json.loads(body)["boolean"] is False


def test_a_bad_query_gets_400_with_the_parsers_message(base):
    status, _, body = request(base, "GET", query_path("SELECT ?x WHERE { ?x ?y }"))
    assert status == 400 and body.startswith("SPARQL syntax error:") and "error at" in body
    assert request(base, "GET", "/sparql", headers={"Accept": "application/sparql-results+json"})[0] == 400


def test_the_row_limit_cuts_the_answer_and_says_so(base, graph):
    status, headers, body = request(base, "GET", query_path("SELECT * WHERE { ?s ?p ?o }", format="json"))
    assert len(graph) > LIMIT
    assert status == 200 and headers["pdkg-truncated"] == "true" and headers["pdkg-result-limit"] == str(LIMIT)
    assert len(json.loads(body)["results"]["bindings"]) == LIMIT


def test_a_query_past_the_timeout_is_stopped_and_the_server_goes_on(base):
    started = time.monotonic()
    status, _, body = request(base, "GET", query_path(SLOW))
    assert status == 503 and f"{TIMEOUT:g} s" in body
    assert time.monotonic() - started < TIMEOUT + 5
    for _ in range(3):  # both workers still answer (the stuck one was replaced)
        status, _, body = request(base, "GET", query_path(LABELS, format="csv"))
        assert status == 200 and "تهران" in body


# --- the command -------------------------------------------------------------------------------------------------

def test_serve_without_a_site_says_to_build_first(project, tmp_path, monkeypatch):
    for name in ("ontology", "data", "queries"):
        shutil.copytree(project.root / name, tmp_path / name)
    shutil.copy(project.root / "pyproject.toml", tmp_path / "pyproject.toml")
    monkeypatch.setenv("PDKG_ROOT", str(tmp_path))
    result = CliRunner().invoke(app, ["serve", "--port", "0"])
    assert result.exit_code == 2 and "pdkg build" in result.output


def test_serve_on_a_port_in_use_is_a_clear_error(project, site, monkeypatch, tmp_path):
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "site").symlink_to(site)
    for name in ("ontology",):
        shutil.copytree(project.root / name, tmp_path / name)
    shutil.copy(project.root / "pyproject.toml", tmp_path / "pyproject.toml")
    monkeypatch.setenv("PDKG_ROOT", str(tmp_path))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--port", str(port), "--workers", "1"])
    assert result.exit_code == 2 and f"127.0.0.1:{port}" in result.output and "--port" in result.output
