"""The stored queries give the same answers on a real SPARQL server (Oxigraph) as embedded."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from paradiplomacy.build import same_rows
from paradiplomacy.query.catalogue import catalogue, find, run_local
from paradiplomacy.query.remote import EndpointError, run_remote


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        pytest.fail("the oxigraph server (PyPI package 'oxigraph') is not installed")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def oxigraph_server(location: Path, *options: str):
    """A real Oxigraph SPARQL server on a free loopback port, stopped afterwards; yields its base URL."""
    port = free_port()
    server = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", *options],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def endpoint(dataset, tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph"), "--union-default-graph") as base:
        # load the built dataset over the Graph Store Protocol (N-Quads into the store)
        body = dataset.serialize(format="nquads").encode("utf-8")
        request = urllib.request.Request(base + "/store", data=body, method="POST",
                                         headers={"Content-Type": "application/n-quads"})
        urllib.request.urlopen(request, timeout=60)
        yield base + "/query"


def test_every_stored_query_answers_the_same_on_oxigraph(project, graph, endpoint):
    differing = []
    for query in catalogue(project).values():
        local, remote = run_local(graph, query), run_remote(endpoint, query)
        if not same_rows(local, remote):
            differing.append(query.id)
    assert differing == []


def test_parameters_travel_as_a_values_block(project, endpoint):
    result = run_remote(endpoint, find(project, "001"), {"city": "city:ramsar"})
    assert sorted(r[0].rsplit("/", 1)[1] for r in result.rows) == ["al-wakrah", "puerto-montt"]  # Table 1, Ramsar


def test_an_unreachable_endpoint_is_a_clear_error(project):
    port = free_port()
    with pytest.raises(EndpointError, match=f"127.0.0.1:{port}"):
        run_remote(f"http://127.0.0.1:{port}/query", find(project, "001"), timeout=2)


# --- names on the remote path ------------------------------------------------------------------
# A fake SPARQL endpoint on loopback: it answers the label query with the labels below and any
# other query with no rows, and keeps what it was sent. The labels are those of the graph
# (004 Table 1 names Isfahan «اصفهان» and Istanbul «استانبول»).
FAKE_LABELS = [
    ("https://w3id.org/paradiplomacy/id/city/isfahan", "en", "Isfahan"),
    ("https://w3id.org/paradiplomacy/id/city/isfahan", "fa", "اصفهان"),
    ("https://w3id.org/paradiplomacy/id/city/istanbul", "en", "Istanbul"),
    ("https://w3id.org/paradiplomacy/id/city/istanbul", "fa", "استانبول"),
    ("https://w3id.org/paradiplomacy/id/city/florence", "en", "Florence"),
    ("https://w3id.org/paradiplomacy/id/city/florence", "fa", "فلورانس"),
]


FAKE_CUT = {"labels": False}  # the fake endpoint says it cut its answer to the label query


@pytest.fixture()
def fake_endpoint():
    import json
    import threading
    import urllib.parse
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    received: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the standard library's name
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
            query = urllib.parse.parse_qs(body).get("query", [body])[0]
            received.append(query)
            if "?property" in query and "rdfs:label" in query:
                variables = ["entity", "property", "label", "lang"]
                bindings = [{"entity": {"type": "uri", "value": e},
                             "property": {"type": "uri", "value": "http://www.w3.org/2000/01/rdf-schema#label"},
                             "label": {"type": "literal", "value": label, "xml:lang": lang},
                             "lang": {"type": "literal", "value": lang}} for e, lang, label in FAKE_LABELS]
            else:  # 001's answer for Isfahan, one row of Table 1: «فلورانس (۱۹۹۸)»
                variables = ["partner", "country", "kind", "year"]
                bindings = [{"partner": {"type": "uri", "value": "https://w3id.org/paradiplomacy/id/city/florence"},
                             "country": {"type": "uri", "value": "https://w3id.org/paradiplomacy/id/country/italy"},
                             "kind": {"type": "literal", "value": "SisterCityAgreement"},
                             "year": {"type": "literal", "value": "1998", "datatype": "http://www.w3.org/2001/XMLSchema#gYear"}}]
            data = json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            if FAKE_CUT["labels"] and "?property" in query:
                self.send_header("PDKG-Truncated", "true")
                self.send_header("PDKG-Truncated-By", "rows")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", received
    server.shutdown()
    server.server_close()


def pdkg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "pdkg"), *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", ["اصفهان", "Isfahan", "isfahan", "city:isfahan", "https://w3id.org/paradiplomacy/id/city/isfahan"])
def test_a_name_is_resolved_and_sent_as_an_iri(fake_endpoint, name):
    url, received = fake_endpoint
    run = pdkg("query", "001", "--endpoint", url, "--param", f"city={name}", "--format", "csv", "--lang", "fa")
    assert run.returncode == 0, run.stderr
    sent = received[-1]
    # bound as an RDF term in the VALUES block, never as the name given
    assert "<https://w3id.org/paradiplomacy/id/city/isfahan>" in sent.split("WHERE", 1)[1]
    assert "اصفهان" not in sent and "Isfahan" not in sent
    assert "001-partners-of-a-city with city = city:isfahan (اصفهان)" in run.stderr  # the answer says what it ran with
    header, row = run.stdout.strip().splitlines()
    assert header == "partner,partner_label,country,kind,year"  # the remote answer is labelled too
    assert row.startswith("https://w3id.org/paradiplomacy/id/city/florence,فلورانس,")


@pytest.mark.parametrize("name", ["Isfahann", "city:isfahann", "اصفهانن"])
def test_an_unknown_name_is_refused_with_suggestions_before_the_query_is_sent(fake_endpoint, name):
    url, received = fake_endpoint
    run = pdkg("query", "001", "--endpoint", url, "--param", f"city={name}")
    assert run.returncode == 2
    assert "closest: city:isfahan (Isfahan / اصفهان)" in run.stderr
    assert len(received) == 1 and "rdfs:label" in received[0]  # only the labels were asked for


def test_a_remote_name_resolves_on_a_real_server(endpoint):
    run = pdkg("query", "001", "--endpoint", endpoint, "--param", "city=اصفهان", "--format", "csv")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    # Isfahan's row of Table 1 lists 14 partner cities, Florence (فلورانس (۱۹۹۸)) among them
    assert len(lines) == 1 + 14
    assert any(line.startswith("https://w3id.org/paradiplomacy/id/city/florence,Florence,") and line.endswith(",1998") for line in lines)


def test_a_label_answer_the_endpoint_cut_is_refused(fake_endpoint, monkeypatch):
    url, received = fake_endpoint
    monkeypatch.setitem(FAKE_CUT, "labels", True)
    run = pdkg("query", "001", "--endpoint", url, "--param", "city=Isfahan")
    assert run.returncode == 2
    assert "cut its answer to the query for its labels (rows)" in run.stderr and url in run.stderr
    assert len(received) == 1  # the stored query was not sent
