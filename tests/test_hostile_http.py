"""Hostile requests to `pdkg serve` (issue 12): each one gets its status and a message naming
what is wrong, the connection is closed cleanly after the answer, and the endpoint goes on
answering. Raw sockets, so that requests no HTTP client library would send can be sent."""

from __future__ import annotations

import http.client
import http.server
import json
import os
import signal
import socket
import threading
import time
import urllib.parse

import pytest

from paradiplomacy.query.guard import Limits
from paradiplomacy.serve.server import HttpLimits, make_server

TEHRAN = "https://w3id.org/paradiplomacy/id/city/tehran"
LABELS = f"SELECT ?label WHERE {{ <{TEHRAN}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }} ORDER BY ?label"
SHORT = HttpLimits(idle=2, head=2, body_time=2)


def start(site, **options):
    server = make_server(site, "127.0.0.1", 0, **options)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def served(site):
    server = start(site, timeout=5, limit=1000, workers=2, http=SHORT)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def address(served):
    return served.server_address[:2]


def exchange(address, data: bytes, *, half_close: bool = False, timeout: float = 10) -> tuple[int, dict, str, bool]:
    """Send ``data`` raw and read until the server closes: (status, headers, body, closed cleanly).
    ``half_close``: stop sending after ``data`` (the client has nothing more)."""
    with socket.create_connection(address, timeout=timeout) as sock:
        sock.sendall(data)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        received, clean = b"", True
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except ConnectionResetError:
            clean = False
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("iso-8859-1").split("\r\n")
    status = int(lines[0].split(" ")[1]) if lines[0].startswith("HTTP/1.") else 0
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return status, headers, body.decode("utf-8", errors="replace"), clean


def get(target: str, extra: str = "") -> bytes:
    return f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{extra}\r\n".encode("latin-1")


def query(address, text: str, headers: dict | None = None, timeout: float = 30) -> tuple[int, dict, str]:
    conn = http.client.HTTPConnection(*address, timeout=timeout)
    try:
        conn.request("POST", "/sparql", text.encode("utf-8"), {"Content-Type": "application/sparql-query", **(headers or {})})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode("utf-8")
    finally:
        conn.close()


def labels_answer(address) -> list[str]:
    status, _, body = query(address, LABELS, {"Accept": "text/csv"})
    assert status == 200, body
    return body.splitlines()


# --- malformed HTTP ------------------------------------------------------------------------------------------

POST_HEAD = "POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
MALFORMED = [
    ("garbage request line (a TLS hello)", b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03 junk\r\n\r\n", 400, "malformed request line"),
    ("HTTP/0.9", b"GET /\r\n", 400, "HTTP/0.9"),
    ("HTTP/2 on a plain socket", b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505, "HTTP/2.0 is not supported"),
    ("bad version", b"GET / HTTP/1.x\r\nHost: x\r\n\r\n", 400, "malformed HTTP version"),
    ("no Host in HTTP/1.1", b"GET / HTTP/1.1\r\n\r\n", 400, "Host"),
    ("two Hosts", b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "Host"),
    ("a method that is no token", b"G@T / HTTP/1.1\r\nHost: x\r\n\r\n", 400, "malformed method"),
    ("an unknown method", b"BREW / HTTP/1.1\r\nHost: x\r\n\r\n", 501, "BREW is not supported"),
    ("TRACE", b"TRACE / HTTP/1.1\r\nHost: x\r\n\r\n", 405, "read-only"),
    ("a target that is no path", b"GET index.html HTTP/1.1\r\nHost: x\r\n\r\n", 400, "expected a path"),
    ("a NUL byte in the path", get("/id/city/teh%00ran"), 400, "NUL"),
    ("a raw control character in the path", b"GET /a\x01b HTTP/1.1\r\nHost: x\r\n\r\n", 400, "control character"),
    ("a 4,096-level path", get("/a" * 4096), 414, "path is longer than 1024"),
    ("a 300-character path segment", get("/" + "a" * 300 + ".html"), 404, "not found"),
    ("a path not UTF-8", get("/id/%FF%FE"), 400, "not UTF-8"),
    ("a 60 KB GET query", get("/sparql?query=" + "a" * 60_000), 414, "POST a long query"),
    ("a query parameter not UTF-8", get("/sparql?query=%FF"), 400, "not UTF-8"),
    ("a header line of 9 KB", get("/", "X-Big: " + "a" * 9000 + "\r\n"), 431, "longer than 8192"),
    ("101 header fields", get("/", "".join(f"X-{i}: {i}\r\n" for i in range(101))), 431, "at most 100 header fields"),
    ("a header without a colon", get("/", "NoColonHere\r\n"), 400, "malformed header field"),
    ("obsolete line folding", get("/", "X-A: a\r\n  folded\r\n"), 400, "line folding"),
    ("Content-Length: abc", (POST_HEAD + "Content-Length: abc\r\n\r\nASK {}").encode(), 400, "malformed Content-Length"),
    ("Content-Length: -1", (POST_HEAD + "Content-Length: -1\r\n\r\n").encode(), 400, "malformed Content-Length"),
    ("two different Content-Lengths", (POST_HEAD + "Content-Length: 6\r\nContent-Length: 7\r\n\r\nASK {}").encode(), 400, "malformed Content-Length"),
    ("a chunked body", (POST_HEAD + "Transfer-Encoding: chunked\r\n\r\n6\r\nASK {}\r\n0\r\n\r\n").encode(), 411, "Content-Length"),
    ("chunked and a length (smuggling)", (POST_HEAD + "Transfer-Encoding: chunked\r\nContent-Length: 6\r\n\r\nASK {}").encode(), 400,
     "both Transfer-Encoding and Content-Length"),
    ("a body over 1 MiB", (POST_HEAD + "Content-Length: 2000000\r\n\r\n").encode() + b"x" * 300_000, 413, "at most 1048576 bytes"),
    ("a body that is not UTF-8", (POST_HEAD + "Content-Length: 4\r\n\r\n").encode() + b"\xff\xfe\xfd\xfc", 400, "not UTF-8"),
    ("an unsupported Expect", get("/", "Expect: 200-ok\r\n"), 417, "Expect"),
    ("POST outside /sparql", b"POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab", 405, "only /sparql accepts POST"),
    ("POST /sparql as text/plain",
     b"POST /sparql HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nASK {}",
     415, "application/sparql-query"),
]


@pytest.mark.parametrize("data, status, fragment", [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED])
def test_a_malformed_request_gets_its_4xx_and_a_clean_close(address, data, status, fragment):
    got, headers, body, clean = exchange(address, data)
    assert (got, fragment in body) == (status, True), body
    assert clean, "the connection was reset: the answer may be lost"
    assert headers["access-control-allow-origin"] == "*" and headers["connection"] == "close"


def test_a_body_cut_short_is_a_400(address):
    status, _, body, clean = exchange(address, (POST_HEAD + "Content-Length: 100\r\n\r\nASK {").encode(), half_close=True)
    assert status == 400 and "ended after 5 of 100 bytes" in body and clean


def test_http09_is_answered_at_once_not_after_a_minute(address):
    started = time.monotonic()
    assert exchange(address, b"GET /\r\n")[0] == 400
    assert time.monotonic() - started < SHORT.head  # answered before any deadline: it waited for nothing


def test_slow_clients_are_cut_at_the_deadline_and_do_not_block_others(address):
    slow = [socket.create_connection(address, timeout=10) for _ in range(50)]
    try:
        for sock in slow:  # a request line, then nothing: the header section never ends
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        assert labels_answer(address)[1:] == ["Tehran", "تهران"]  # served meanwhile
        for sock in slow:
            answer = b""
            while chunk := sock.recv(4096):
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 408 ") and b"did not arrive within 2 s" in answer
    finally:
        for sock in slow:
            sock.close()


def test_beyond_the_connection_cap_new_connections_get_503(site):
    server = start(site, workers=1, http=HttpLimits(connections=4, idle=3))
    address = server.server_address[:2]
    idle = [socket.create_connection(address, timeout=10) for _ in range(4)]
    try:
        time.sleep(0.3)  # let the server accept them
        status, headers, body, _ = exchange(address, get("/"))
        assert status == 503 and "too many open connections" in body and headers["retry-after"] == "5"
    finally:
        for sock in idle:
            sock.close()
    time.sleep(0.5)
    assert exchange(address, get("/"))[0] == 200
    server.shutdown()
    server.server_close()


def test_the_listen_backlog_queues_a_burst_of_connections(site):
    """Before the server accepts anything, 100 connections are all queued by the kernel (with
    the standard library's backlog of 5, connections past the sixth waited for SYN retries)."""
    server = make_server(site, "127.0.0.1", 0, workers=1)
    try:
        socks = []
        for _ in range(100):
            sock = socket.socket()
            sock.settimeout(0.5)
            sock.connect(server.server_address[:2])  # raises TimeoutError when the queue is full
            socks.append(sock)
        for sock in socks:
            sock.close()
    finally:
        server.server_close()


def test_keep_alive_serves_many_requests_on_one_connection(address):
    conn = http.client.HTTPConnection(*address, timeout=10)
    try:
        conn.connect()
        local = conn.sock.getsockname()
        for path, fragment in [("/id/city/tehran.ttl", "تهران"), ("/dumps/context.jsonld", "@context")] * 10:
            conn.request("GET", path)
            response = conn.getresponse()
            assert response.status == 200 and fragment in response.read().decode("utf-8")
            assert conn.sock.getsockname() == local  # the same connection throughout
    finally:
        conn.close()


def test_an_http10_client_asking_for_keep_alive_keeps_its_connection(address):
    with socket.create_connection(address, timeout=10) as sock:
        reader = sock.makefile("rb")
        for _ in range(2):
            sock.sendall(b"GET /dumps/context.jsonld HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            status = reader.readline()
            headers = {}
            while (line := reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = reader.read(int(headers["content-length"]))
            assert status.startswith(b"HTTP/1.1 200") and headers["connection"] == "keep-alive" and b"@context" in body


# --- CORS ------------------------------------------------------------------------------------------------------

def test_a_cors_preflight_for_a_posted_query_is_allowed(address):
    request = ("OPTIONS /sparql HTTP/1.1\r\nHost: x\r\nOrigin: https://example.org\r\n"
               "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type, accept\r\n\r\n")
    status, headers, body, _ = exchange(address, request.encode() + b"")
    assert status == 204
    assert headers["access-control-allow-origin"] == "*"
    assert "POST" in headers["access-control-allow-methods"].split(", ")
    assert headers["access-control-allow-headers"] == "content-type, accept"


@pytest.mark.parametrize("path", ["/id/city/tehran.ttl", "/dumps/paradiplomacy.nq", "/dumps/paradiplomacy.ttl",
                                  "/dumps/context.jsonld", "/ontology.ttl", "/void.ttl"])
def test_static_rdf_carries_cors(address, path):
    status, headers, _, _ = exchange(address, get(path))
    assert status == 200 and headers["access-control-allow-origin"] == "*"


def test_sparql_answers_and_errors_carry_cors(address):
    status, headers, _ = query(address, LABELS)
    assert status == 200 and headers["access-control-allow-origin"] == "*" and "PDKG-Truncated" in headers["access-control-expose-headers"]
    status, headers, body = query(address, "SELECT ?x WHERE { ?x ?y }")
    assert status == 400 and "SPARQL syntax error" in body and headers["access-control-allow-origin"] == "*"


# --- queries that used to take the endpoint down ---------------------------------------------------------------

DEEP = [
    ("2,200 nested braces", "SELECT * WHERE " + "{" * 2200 + " ?s ?p ?o " + "}" * 2200, "nests brackets more than 64 deep"),
    ("4,700 nested parentheses", "ASK { FILTER(" + "(" * 4700 + "1" + ")" * 4700 + ") }", "nests brackets more than 64 deep"),
    ("a chain of 7,000 +", "SELECT (" + "+".join(["1"] * 7000) + " AS ?x) WHERE {}", "more than 10,000 tokens"),
    ("6,300 UNIONs", "SELECT * WHERE { " + " UNION ".join(["{?s ?p ?o}"] * 6300) + " }", "more than 10,000 tokens"),
    ("9,400 &&", "ASK { FILTER(" + "&&".join(["true"] * 9400) + ") }", "more than 10,000 tokens"),
    ("3,500 OPTIONALs", "SELECT * WHERE { ?s ?p ?o " + " ".join(["OPTIONAL {?s ?p ?o}"] * 3500) + " }", "more than 10,000 tokens"),
    ("a 0.9 MB flood of PREFIX lines", "PREFIX a: <http://a/>\n" * 40_000 + "ASK {}", "characters long"),
]


@pytest.mark.parametrize("text, fragment", [case[1:] for case in DEEP], ids=[case[0] for case in DEEP])
def test_queries_past_the_size_limits_are_refused_before_the_parser(address, text, fragment):
    started = time.monotonic()
    status, _, body = query(address, text)
    assert status == 400 and body.startswith("query refused:") and fragment in body
    assert time.monotonic() - started < 2  # refused on the text: no worker spent time on it


def test_twenty_crashing_queries_leave_the_endpoint_answering(site):
    """With the size limits lifted, the same queries reach Oxigraph and kill their worker
    (a stack overflow: SIGSEGV); each is answered 500 with the reason and the worker replaced."""
    unlimited = Limits(length=10**8, depth=10**8, tokens=10**8)
    server = start(site, workers=2, timeout=20, limits=unlimited)
    address = server.server_address[:2]
    try:
        crash = "SELECT * WHERE " + "{" * 40_000 + " ?s ?p ?o " + "}" * 40_000
        for _ in range(20):
            status, _, body = query(address, crash)
            assert status == 500 and "stopped its worker process (killed by SIGSEGV" in body and "replaced" in body
        assert labels_answer(address)[1:] == ["Tehran", "تهران"]
        time.sleep(3)  # both replacements loaded: the pool is whole again
        assert len(server.pool.workers) == 2 and all(w.alive() for w in server.pool.workers)
    finally:
        server.shutdown()
        server.server_close()


def test_a_worker_killed_from_outside_is_replaced(site):
    server = start(site, workers=1, timeout=20)
    address = server.server_address[:2]
    try:
        (worker,) = server.pool.workers
        os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.join(5)
        assert labels_answer(address)[1:] == ["Tehran", "تهران"]
        assert worker not in server.pool.workers
    finally:
        server.shutdown()
        server.server_close()


def test_a_query_past_the_memory_cap_gets_a_clean_error(site):
    """ORDER BY over the cartesian product of the graph with itself (about 1.3 × 10^8 rows)
    grew one worker to 6.96 GB before; under a 512 MiB cap it fails and the worker is replaced."""
    server = start(site, workers=1, timeout=60, memory=512 << 20)
    address = server.server_address[:2]
    try:
        status, _, body = query(address, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d ?c ?f")
        assert status == 500 and "memory cap of 512 MiB" in body
        assert labels_answer(address)[1:] == ["Tehran", "تهران"]
    finally:
        server.shutdown()
        server.server_close()


def test_answers_are_capped_in_bytes(site, graph):
    from rdflib.namespace import RDFS

    cap = 4000
    all_labels = sorted(str(o) for o in graph.objects(None, RDFS.label))
    assert sum(len(label) for label in all_labels) > cap and len(all_labels) < 10000
    server = start(site, workers=1, max_bytes=cap)
    address = server.server_address[:2]
    try:
        status, headers, body = query(address, f"SELECT ?l WHERE {{ ?s <{RDFS.label}> ?l }}", {"Accept": "application/sparql-results+json"})
        got = [b["l"]["value"] for b in json.loads(body)["results"]["bindings"]]
        assert status == 200 and headers["pdkg-truncated"] == "true" and headers["pdkg-truncated-by"] == "bytes"
        assert 0 < len(got) < len(all_labels) and sum(len(label) for label in got) <= cap
        assert headers["pdkg-result-bytes-limit"] == str(cap)
    finally:
        server.shutdown()
        server.server_close()


# --- SERVICE: no requests on the client's behalf -----------------------------------------------------------------

class Listener:
    """An HTTP listener on 127.0.0.1 that counts the requests it receives and answers each with
    one SPARQL JSON solution (?x = "from the listener")."""

    def __init__(self) -> None:
        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self) -> None:
                received.append(self.path)
                body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [
                    {"x": {"type": "literal", "value": "from the listener"}}]}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = answer

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener():
    listening = Listener()
    yield listening
    listening.close()


def service_queries(url: str, port: int) -> list[str]:
    host = f"http://localhost:{port}/sparql"
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?x ?y ?z }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?x ?y ?z }} }}",
        f"ASK {{ SERVICE <{url}> {{ ?x ?y ?z }} }}",
        f"CONSTRUCT {{ ?x ?y ?z }} WHERE {{ SERVICE <{url}> {{ ?x ?y ?z }} }}",
        f"SELECT * WHERE {{ SERVICE <{host}> {{ ?x ?y ?z }} }}",  # by host name
        f"PREFIX l: <http://127.0.0.1:{port}/>\nSELECT * WHERE {{ service l:sparql {{ ?x ?y ?z }} }}",  # prefixed, lower case
        f"BASE <http://127.0.0.1:{port}/>\nSELECT * WHERE {{ SERVICE <sparql> {{ ?x ?y ?z }} }}",  # relative to BASE
        f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?x ?y ?z }} }} }} LIMIT 1",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?x ?y ?z }} }} }} }}",  # in a sub-query
        f"SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} LIMIT 1",
        f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?x ?y ?z }} }}",  # the endpoint in a variable
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?x ?y ?z }} }}",  # the keyword spelt with an escape
    ]


def test_service_is_refused_and_the_listener_receives_nothing(address, listener):
    for text in service_queries(listener.url, listener.port):
        for send in ("post", "get"):
            if send == "post":
                status, headers, body = query(address, text)
            else:
                status, headers, body, _ = exchange(address, get("/sparql?" + urllib.parse.urlencode({"query": text})))
            assert status == 400 and "SERVICE is not allowed on this endpoint" in body, (text, body)
            assert headers["access-control-allow-origin"] == "*"
    time.sleep(0.5)
    assert listener.received == []


def test_the_word_service_elsewhere_is_no_service_clause(address):
    status, _, body = query(address, 'SELECT ?service WHERE { BIND("SERVICE <http://127.0.0.1:9/>" AS ?service) } # SERVICE',
                            {"Accept": "text/csv"})
    assert status == 200 and body.splitlines() == ["service", "SERVICE <http://127.0.0.1:9/>"]


def test_an_allow_listed_service_is_called_and_no_other(site, listener):
    server = start(site, workers=1, timeout=20, services=frozenset({listener.url}))
    address = server.server_address[:2]
    try:
        status, _, body = query(address, f"SELECT ?x WHERE {{ SERVICE <{listener.url}> {{ ?x ?y ?z }} }}", {"Accept": "text/csv"})
        assert status == 200 and body.splitlines() == ["x", "from the listener"]
        assert len(listener.received) == 1
        other = f"http://localhost:{listener.port}/sparql"
        status, _, body = query(address, f"SELECT ?x WHERE {{ SERVICE <{other}> {{ ?x ?y ?z }} }}")
        assert status == 400 and f"calls {other}" in body and f"only <{listener.url}>" in body
        assert len(listener.received) == 1
    finally:
        server.shutdown()
        server.server_close()


def test_a_stored_query_calling_service_stops_the_catalogue(project, tmp_path):
    import shutil

    from paradiplomacy.project import Project, ProjectError
    from paradiplomacy.query.catalogue import catalogue

    shutil.copytree(project.root / "queries", tmp_path / "queries")
    (tmp_path / "ontology").mkdir()  # what marks a checkout
    shutil.copy(project.root / "pyproject.toml", tmp_path / "pyproject.toml")
    assert catalogue(Project.locate(tmp_path))  # the real stored queries call no SERVICE
    bad = tmp_path / "queries" / "cq" / "999-remote.rq"
    bad.write_text("# title.en: remote\nPREFIX r: <http://127.0.0.1:9/>\nSELECT * WHERE { service r:sparql { ?s ?p ?o } }\n", encoding="utf-8")
    with pytest.raises(ProjectError, match=r"999-remote\.rq: a stored query may not call SERVICE \(it calls http://127.0.0.1:9/sparql\)"):
        catalogue(Project.locate(tmp_path))
