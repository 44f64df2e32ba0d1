"""``pdkg serve``: a read-only server of the published site (build/site/).

- ``/sparql``: the SPARQL 1.1 Protocol (query by GET ``?query=``, POST form, POST
  ``application/sparql-query``); results in JSON, XML, CSV or TSV by ``Accept`` or ``?format=``.
  Each query runs in a worker process (sparql_pool) with a timeout (503 when exceeded), a
  memory cap, a row limit and a byte limit (the answer is cut there and says so in the
  ``PDKG-Truncated`` header); a query that kills its worker gets 500 and the worker is
  replaced. Queries longer, more deeply nested or made of more tokens than ``query_guard``
  allows, and queries with ``SERVICE`` (unless its endpoint is allowed), get 400. SPARQL
  Update is refused: 403 Forbidden (the protocol's operation exists, this service does not
  allow it); PUT, DELETE and PATCH get 405. A query that does not parse gets 400 with the
  parser's message. ``GET /sparql`` from a browser (no query) gives the query UI.
- the IRIs of publish/conneg.py's table (entities ``/id/{kind}/{slug}``, ``/ontology``, its
  modules and version, the named graphs ``/graph/…``, the dataset ``/void``): 303 See Other to
  the document ``Accept`` and ``Accept-Language`` choose (by Apache's algorithm, so that the
  site's Apache rules answer alike), ``Vary: Accept, Accept-Language``; 404 for an IRI whose
  page does not exist, 406 for a format the server does not have. Pages carry their
  ``Content-Language``.
- anything else: the site's files, each with an ``ETag`` of its content and its
  ``Last-Modified`` (``If-None-Match`` gets 304). An entity the site left to be rendered on
  demand (its ``ondemand.json``: the entities only bulk graphs describe, publish/ondemand.py)
  has no files: its IRI negotiates as any other, and its pages and RDF documents are rendered
  from a store of the site's N-Quads dump (loaded at start, beside the query workers') with
  the same templates, bytes and headers a file would have, the last 512 kept in memory.

Every response, errors included, carries ``Access-Control-Allow-Origin: *`` (the graph is open
data and nothing here uses cookies), and ``OPTIONS`` answers a CORS preflight. The HTTP layer is
the standard library's server with its request parsing replaced: the request line, the headers,
the body and the path have limits (``HttpLimits``), a malformed request gets its 4xx and the
connection is closed once the answer has been read, every read has a deadline, and a response
leaves in one write with Nagle's algorithm off (keep-alive clients waited 40 ms per request
for a delayed ACK before).
"""

from __future__ import annotations

import email.parser
import email.utils
import hashlib
import posixpath
import re
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http import HTTPStatus
from http.client import HTTPMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from paradiplomacy.namespaces import BASE
from paradiplomacy.project import ProjectError, package_version
from paradiplomacy.publish.conneg import MEDIA_TYPES, VARY, Resource, choose_variant, page_language, resource_for
from paradiplomacy.publish.ondemand import MANIFEST, OnDemand, read_manifest
from paradiplomacy.query.engine import FastStore
from paradiplomacy.query.guard import Limits, QueryRefused, check_shape
from paradiplomacy.serve.pool import QueryBusy, QueryCrashed, QueryFailed, QueryPool, QuerySyntaxError, QueryTimeout, is_update
from paradiplomacy.serve.results import MEDIA, choose, serialize

DUMP = "dumps/paradiplomacy.nq"


@dataclass(frozen=True)
class HttpLimits:
    request_line: int = 16 * 1024  # bytes; a longer GET query is to be POSTed (414 says so)
    header_line: int = 8 * 1024  # bytes of one header field
    headers: int = 100  # fields
    header_bytes: int = 32 * 1024  # all fields together
    body: int = 1 << 20  # bytes of a POSTed query
    path: int = 1024  # characters of the decoded path
    segment: int = 255  # characters of one path segment (no file name is longer)
    idle: float = 15.0  # seconds a kept-alive connection may wait for its next request
    head: float = 15.0  # seconds to send the request line and headers
    body_time: float = 30.0  # seconds to send the body
    connections: int = 256  # open at once; more get 503 at once
    backlog: int = 128  # connections the kernel queues before accept


CORS = {"Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": "PDKG-Truncated, PDKG-Truncated-By, PDKG-Result-Limit, PDKG-Result-Bytes-Limit, Content-Length"}
PREFLIGHT = {"Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS", "Access-Control-Max-Age": "86400"}
ALLOW = "GET, HEAD, POST, OPTIONS"
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 §5.6.2
_HEADER_NAMES = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+(\s*,\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*")
_VERSION = re.compile(r"HTTP/(\d)\.(\d)")


class SiteMissing(ProjectError):
    """The site has not been built; the message says what to run."""


class BadRequest(ProjectError):
    """A request the server answers with ``status`` and ``message`` and then closes."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


DEFAULT_LIMITS = Limits()  # frozen: one shared default is safe


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], site: Path, pool: QueryPool, verbose: bool = False,
                 limits: Limits = DEFAULT_LIMITS, http: HttpLimits = HttpLimits(), ondemand: OnDemand | None = None) -> None:
        self.site, self.pool, self.verbose, self.limits, self.http = site.resolve(), pool, verbose, limits, http
        self.ondemand = ondemand
        # the time an on-demand document was last modified: the publication that left it out
        self.published = (self.site / MANIFEST).stat().st_mtime if ondemand is not None else 0.0
        self.request_queue_size = http.backlog
        self.open = 0
        self.open_lock = threading.Lock()
        super().__init__(address, Handler)

    def process_request(self, request, client_address) -> None:
        with self.open_lock:
            full = self.open >= self.http.connections
            if not full:
                self.open += 1
        if full:  # answered here, without a thread: a flood must not cost one per connection
            try:
                request.settimeout(1)
                body = b"too many open connections; try again later\n"
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nConnection: close\r\n"
                                b"Access-Control-Allow-Origin: *\r\nContent-Type: text/plain; charset=utf-8\r\n"
                                b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self.open_lock:
                self.open -= 1

    def shutdown_request(self, request) -> None:
        """Close after the client has had the answer: stop sending, then read what it still sends
        (a body that was refused) for a moment, so that the kernel does not reset the connection
        and destroy the answer before the client read it."""
        try:
            request.shutdown(socket.SHUT_WR)
            request.settimeout(0.5)
            deadline, drained = time.monotonic() + 2, 0
            while time.monotonic() < deadline and drained < 4 * self.http.body:
                chunk = request.recv(65536)
                if not chunk:
                    break
                drained += len(chunk)
        except OSError:
            pass
        self.close_request(request)

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()


def make_server(site: Path, host: str = "127.0.0.1", port: int = 8000, timeout: float = 10.0,
                limit: int = 10000, workers: int = 2, verbose: bool = False, max_bytes: int = 64 << 20,
                memory: int = 2 << 30, services: frozenset[str] = frozenset(), limits: Limits | None = None,
                http: HttpLimits = HttpLimits()) -> Server:
    """The server, bound and ready; raises SiteMissing, or OSError when the port is taken.
    ``max_bytes``: bytes of term text per answer; ``memory``: bytes of address space per query
    worker (0: no cap); ``services``: SERVICE endpoints queries may call (none by default)."""
    if not (site / "index.html").is_file() or not (site / DUMP).is_file():
        raise SiteMissing(f"{site} holds no published site (no index.html or {DUMP}): run `pdkg build` first")
    limits = limits or Limits(services=frozenset(services))
    ondemand = on_demand(site)
    pool = QueryPool(site / DUMP, workers=workers, timeout=timeout, limit=limit, max_bytes=max_bytes,
                     memory=memory, services=limits.services)
    try:
        return Server((host, port), site, pool, verbose, limits, http, ondemand)
    except OSError:
        pool.close()
        raise


def on_demand(site: Path, capacity: int = 512) -> OnDemand | None:
    """The renderer of the entities ``site`` left out (publish/ondemand.py), on a store of the
    site's own N-Quads dump, or None when the site has a file for every entity."""
    manifest = read_manifest(site)
    if manifest is None:
        return None
    store = FastStore()
    store.load_file(site / DUMP, trusted=True)  # the dump this package wrote for the same publication
    return OnDemand(store.store, manifest, capacity)


class Handler(BaseHTTPRequestHandler):
    server: Server
    server_version = f"pdkg/{package_version()}"
    protocol_version = "HTTP/1.1"
    default_request_version = "HTTP/1.0"  # so that an answer to a garbled request has a status line
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args) -> None:  # one line per request on stderr, when asked
        if self.server.verbose:
            super().log_message(format, *args)

    # --- reading a request ---------------------------------------------------------------------------
    def readline(self, limit: int, deadline: float, what: str) -> bytes:
        """One line of at most ``limit`` bytes before ``deadline``; BadRequest otherwise."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise BadRequest(HTTPStatus.REQUEST_TIMEOUT, f"the request's {what} did not arrive within {self.server.http.head:g} s")
        self.connection.settimeout(remaining)
        try:
            line = self.rfile.readline(limit + 1)
        except TimeoutError:
            raise BadRequest(HTTPStatus.REQUEST_TIMEOUT, f"the request's {what} did not arrive within {self.server.http.head:g} s") from None
        if len(line) > limit:
            status = HTTPStatus.REQUEST_URI_TOO_LONG if what == "request line" else HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
            hint = " (POST a long query as application/sparql-query)" if what == "request line" else ""
            raise BadRequest(status, f"the {what} is longer than {limit} bytes{hint}")
        return line

    def handle_one_request(self) -> None:
        limits = self.server.http
        self.command, self.request_version, self.requestline, self.close_connection = None, "HTTP/1.0", "", True
        self.connection.settimeout(limits.idle)
        try:
            first = self.rfile.readline(1)  # waiting for a request on a kept-alive connection: idle time
        except (TimeoutError, OSError):
            return  # an idle connection is closed without a word
        if not first:
            return
        try:
            deadline = time.monotonic() + limits.head
            self.raw_requestline = first if first == b"\n" else first + self.readline(limits.request_line - 1, deadline, "request line")
            self.parse_head(deadline)
            method = getattr(self, "do_" + self.command, None)
            if method is None:
                raise BadRequest(HTTPStatus.NOT_IMPLEMENTED, f"the method {self.command} is not supported here (allowed: {ALLOW})")
            method()
            self.wfile.flush()
        except BadRequest as err:
            self.close_connection = True
            self.error(err.status, str(err), {"Allow": ALLOW} if err.status in (405, 501) else None)
        except (TimeoutError, ConnectionError):
            self.close_connection = True

    def parse_head(self, deadline: float) -> None:
        """The request line and header fields, checked against RFC 9112 and ``HttpLimits``."""
        limits = self.server.http
        line = self.raw_requestline.decode("iso-8859-1").rstrip("\r\n")
        self.requestline = line[:200]
        words = line.split(" ")
        if len(words) == 2 and words[0] == "GET":
            raise BadRequest(HTTPStatus.BAD_REQUEST, "HTTP/0.9 requests are not supported: send 'GET /path HTTP/1.1'")
        if len(words) != 3 or not all(words):
            raise BadRequest(HTTPStatus.BAD_REQUEST, f"malformed request line {line[:80]!r}: expected 'METHOD /path HTTP/1.1'")
        command, target, version = words
        match = _VERSION.fullmatch(version)
        if not match:
            raise BadRequest(HTTPStatus.BAD_REQUEST, f"malformed HTTP version {version[:20]!r}")
        if match[1] != "1":
            raise BadRequest(HTTPStatus.HTTP_VERSION_NOT_SUPPORTED, f"{version} is not supported: send HTTP/1.1 or HTTP/1.0")
        self.request_version = version
        if not _TOKEN.fullmatch(command):
            raise BadRequest(HTTPStatus.BAD_REQUEST, f"malformed method {command[:20]!r}")
        self.command = command
        if any(ord(c) < 0x21 or ord(c) == 0x7F for c in target):
            raise BadRequest(HTTPStatus.BAD_REQUEST, "the request target holds a control character")
        if target.lower().startswith(("http://", "https://")):  # absolute form (RFC 9112 §3.2.2): its path
            split = urllib.parse.urlsplit(target)
            target = (split.path or "/") + (f"?{split.query}" if split.query else "")
        if not (target.startswith("/") or (target == "*" and command == "OPTIONS")):
            raise BadRequest(HTTPStatus.BAD_REQUEST, f"malformed request target {target[:80]!r}: expected a path starting with /")
        self.path = target

        fields, total = [], 0
        while True:
            raw = self.readline(limits.header_line, deadline, "header section")
            if raw in (b"\r\n", b"\n"):
                break
            if not raw:
                raise BadRequest(HTTPStatus.BAD_REQUEST, "the connection ended inside the header section")
            total += len(raw)
            if len(fields) == limits.headers or total > limits.header_bytes:
                raise BadRequest(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                                 f"at most {limits.headers} header fields and {limits.header_bytes} bytes of them")
            text = raw.decode("iso-8859-1")
            name, colon, _ = text.partition(":")
            if raw[:1] in (b" ", b"\t"):
                raise BadRequest(HTTPStatus.BAD_REQUEST, "obsolete line folding in the header section (RFC 9112 §5.2)")
            if not colon or not _TOKEN.fullmatch(name):
                raise BadRequest(HTTPStatus.BAD_REQUEST, f"malformed header field {text.strip()[:80]!r}")
            fields.append(text)
        self.headers = email.parser.Parser(_class=HTTPMessage).parsestr("".join(fields))

        if version == "HTTP/1.1" and len(self.headers.get_all("Host") or []) != 1:
            raise BadRequest(HTTPStatus.BAD_REQUEST, "an HTTP/1.1 request needs exactly one Host header (RFC 9112 §3.2)")
        connection = (self.headers.get("Connection") or "").lower()
        self.close_connection = "close" in connection if version == "HTTP/1.1" else "keep-alive" not in connection
        self.body_length = self.content_length()
        if self.body_length and command != "POST":
            self.close_connection = True  # its body is never read: close rather than parse it as a request
        expect = (self.headers.get("Expect") or "").lower()
        if expect and expect != "100-continue":
            raise BadRequest(HTTPStatus.EXPECTATION_FAILED, f"unsupported Expect: {expect[:40]}")
        if expect and version == "HTTP/1.1" and command == "POST":
            self.send_response_only(HTTPStatus.CONTINUE)
            self.end_headers()

    def content_length(self) -> int:
        limits = self.server.http
        if self.headers.get("Transfer-Encoding") is not None:
            if self.headers.get("Content-Length") is not None:
                raise BadRequest(HTTPStatus.BAD_REQUEST, "both Transfer-Encoding and Content-Length (RFC 9112 §6.1)")
            raise BadRequest(HTTPStatus.LENGTH_REQUIRED, "send the body with a Content-Length (chunked request bodies are not supported)")
        values = {v.strip() for v in ",".join(self.headers.get_all("Content-Length") or []).split(",") if v.strip()}
        if not values:
            return 0
        if len(values) != 1 or not next(iter(values)).isdigit() or not next(iter(values)).isascii():
            raise BadRequest(HTTPStatus.BAD_REQUEST, f"malformed Content-Length {', '.join(sorted(values))[:40]!r}: expected a number of bytes")
        length = int(next(iter(values)))
        if length > limits.body:
            raise BadRequest(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"a request body may be at most {limits.body} bytes (this one has {length})")
        return length

    def read_body(self) -> bytes:
        limits = self.server.http
        deadline, chunks, left = time.monotonic() + limits.body_time, [], self.body_length
        while left:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BadRequest(HTTPStatus.REQUEST_TIMEOUT, f"the body did not arrive within {limits.body_time:g} s")
            self.connection.settimeout(remaining)
            try:
                chunk = self.rfile.read1(left)
            except TimeoutError:
                raise BadRequest(HTTPStatus.REQUEST_TIMEOUT, f"the body did not arrive within {limits.body_time:g} s") from None
            if not chunk:
                raise BadRequest(HTTPStatus.BAD_REQUEST, f"the body ended after {self.body_length - left} of {self.body_length} bytes")
            chunks.append(chunk)
            left -= len(chunk)
        self.body_length = 0
        return b"".join(chunks)

    # --- responses ---------------------------------------------------------------------------------
    def send(self, status: int, body: bytes = b"", media: str = "text/plain; charset=utf-8", headers: dict | None = None,
             length: bool = True) -> None:
        """The whole response in one write (headers and body; a 304 has neither body nor length)."""
        self.send_response(status)
        self.send_header("Content-Type", media)
        if length:
            self.send_header("Content-Length", str(len(body)))
        for name, value in {**CORS, **(headers or {})}.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        elif self.request_version == "HTTP/1.0":  # it asked to keep the connection: say it is kept
            self.send_header("Connection", "keep-alive")
        self._headers_buffer.append(b"\r\n")
        head, self._headers_buffer = b"".join(self._headers_buffer), []
        self.wfile.write(head if self.command == "HEAD" else head + body)

    def error(self, status: int, message: str, headers: dict | None = None) -> None:
        self.send(status, (message + "\n").encode("utf-8"), headers=headers)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The standard library's own refusals, in the same plain-text form as the rest."""
        self.close_connection = True
        self.error(code, message or HTTPStatus(code).phrase)

    def redirect(self, location: str) -> None:
        self.send(HTTPStatus.SEE_OTHER, f"See {location}\n".encode(),
                  headers={"Location": location, "Vary": VARY})

    # --- methods -------------------------------------------------------------------------------------
    def url_path(self) -> tuple[str, str]:
        """(the decoded path, the raw query string), the path checked against ``HttpLimits``."""
        url = urllib.parse.urlsplit(self.path)
        try:
            path = urllib.parse.unquote(url.path, errors="strict")
        except UnicodeDecodeError:
            raise BadRequest(HTTPStatus.BAD_REQUEST, "the path is not UTF-8 once percent-decoded") from None
        limits = self.server.http
        if "\x00" in path:
            raise BadRequest(HTTPStatus.BAD_REQUEST, "the path holds a NUL character")
        if len(path) > limits.path:
            raise BadRequest(HTTPStatus.REQUEST_URI_TOO_LONG, f"the path is longer than {limits.path} characters")
        return path, url.query

    def do_GET(self) -> None:
        path, query = self.url_path()
        if path in ("/sparql", "/sparql/"):
            return self.sparql_get(self.parse_form(query))
        resource = resource_for(path)
        if resource is not None and (not resource.page or self.file(path + ".html") or self.rendered_entity(path)):
            return self.negotiate(resource, path)
        return self.static(path)

    def rendered_entity(self, path: str) -> bool:
        """``path`` is the IRI of an entity the site left to be rendered on demand."""
        ondemand = self.server.ondemand
        return ondemand is not None and path.startswith("/id/") and ondemand.has(BASE + posixpath.normpath(path).lstrip("/"))

    do_HEAD = do_GET

    def do_OPTIONS(self) -> None:
        """CORS preflight (and plain OPTIONS): which methods and request headers may be used."""
        asked = (self.headers.get("Access-Control-Request-Headers") or "").strip()
        allowed = asked if asked and _HEADER_NAMES.fullmatch(asked) else "Accept, Accept-Language, Content-Type"
        self.send(HTTPStatus.NO_CONTENT, headers={**PREFLIGHT, "Access-Control-Allow-Headers": allowed, "Allow": ALLOW})

    def parse_form(self, text: str) -> dict:
        try:
            return urllib.parse.parse_qs(text, errors="strict", max_num_fields=100)
        except UnicodeDecodeError:
            raise BadRequest(HTTPStatus.BAD_REQUEST, "a parameter is not UTF-8 once percent-decoded") from None
        except ValueError as err:
            raise BadRequest(HTTPStatus.BAD_REQUEST, f"malformed parameters: {err}") from None

    def do_POST(self) -> None:
        path, query = self.url_path()
        if path not in ("/sparql", "/sparql/"):
            self.close_connection = True
            return self.error(HTTPStatus.METHOD_NOT_ALLOWED, "only /sparql accepts POST", {"Allow": "GET, HEAD, OPTIONS"})
        try:
            body = self.read_body().decode("utf-8")
        except UnicodeDecodeError as err:
            raise BadRequest(HTTPStatus.BAD_REQUEST, f"the body is not UTF-8 (byte {err.start})") from None
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media == "application/sparql-update":
            return self.refuse_update()
        if media == "application/sparql-query":
            return self.sparql(body, self.parse_form(query).get("format", [None])[0])
        if media == "application/x-www-form-urlencoded":
            form = self.parse_form(body)
            if "update" in form:
                return self.refuse_update()
            if "query" not in form:
                return self.error(HTTPStatus.BAD_REQUEST, "the form has no 'query' field")
            return self.sparql(form["query"][0], form.get("format", [None])[0])
        return self.error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                          "POST a query as application/sparql-query or as the form field 'query' (application/x-www-form-urlencoded)")

    def refuse_method(self) -> None:
        self.close_connection = True
        self.error(HTTPStatus.METHOD_NOT_ALLOWED, "this server is read-only", {"Allow": ALLOW})

    do_PUT = do_DELETE = do_PATCH = do_TRACE = do_CONNECT = refuse_method

    # --- SPARQL --------------------------------------------------------------------------------------
    def sparql_get(self, params: dict) -> None:
        if "update" in params:
            return self.refuse_update()
        if "query" not in params:
            if "text/html" in (self.headers.get("Accept") or ""):  # a browser: the query UI
                return self.static("/sparql.html")
            return self.error(HTTPStatus.BAD_REQUEST, "no query: pass it as ?query= (or open /sparql in a browser for the query UI)")
        self.sparql(params["query"][0], params.get("format", [None])[0])

    def refuse_update(self) -> None:
        self.error(HTTPStatus.FORBIDDEN, "SPARQL Update is not allowed: this endpoint is read-only")

    def sparql(self, text: str, format_param: str | None) -> None:
        try:
            check_shape(text, self.server.limits)  # before any parser: too deep a query kills the parser
        except QueryRefused as err:
            return self.error(HTTPStatus.BAD_REQUEST, f"query refused: {err}")
        if is_update(text):
            return self.refuse_update()
        pool = self.server.pool
        try:
            answer = pool.run(text)
        except QuerySyntaxError as err:
            return self.error(HTTPStatus.BAD_REQUEST, f"SPARQL syntax error: {err}")
        except QueryRefused as err:
            return self.error(HTTPStatus.BAD_REQUEST, f"query refused: {err}")
        except QueryTimeout as err:
            return self.error(HTTPStatus.SERVICE_UNAVAILABLE, str(err))
        except QueryBusy as err:
            return self.error(HTTPStatus.SERVICE_UNAVAILABLE, str(err), {"Retry-After": "5"})
        except QueryCrashed as err:
            return self.error(HTTPStatus.INTERNAL_SERVER_ERROR, str(err))
        except QueryFailed as err:
            return self.error(HTTPStatus.INTERNAL_SERVER_ERROR, f"the query failed: {err}")
        fmt = choose(answer, self.headers.get("Accept"), format_param)
        if fmt is None:
            kinds = "JSON, XML, CSV, TSV" if answer.kind != "graph" else "Turtle, N-Triples, JSON-LD"
            return self.error(HTTPStatus.NOT_ACCEPTABLE, f"results are available as {kinds} (Accept or ?format=)")
        headers = {"Vary": "Accept", "PDKG-Result-Limit": str(pool.limit), "PDKG-Result-Bytes-Limit": str(pool.max_bytes)}
        if answer.truncated:
            headers["PDKG-Truncated"], headers["PDKG-Truncated-By"] = "true", answer.truncated_by or "rows"
        self.send(HTTPStatus.OK, serialize(answer, fmt), MEDIA[fmt], headers)

    # --- linked data ---------------------------------------------------------------------------------
    def negotiate(self, resource: Resource, path: str) -> None:
        """303 to the document publish/conneg.py's table and Apache's algorithm choose (406 when
        none is acceptable); both answers vary by Accept and Accept-Language."""
        variant = choose_variant(resource, self.headers.get("Accept"), self.headers.get("Accept-Language"))
        if variant is None:
            kinds = ", ".join(dict.fromkeys(v.media_type for v in resource.variants))
            return self.error(HTTPStatus.NOT_ACCEPTABLE, f"{path} is available as {kinds}", {"Vary": VARY})
        self.redirect(resource.location(variant, path[1:]))

    # --- files ---------------------------------------------------------------------------------------
    def file(self, path: str) -> Path | None:
        """The site file at a URL path, never outside the site."""
        relative = posixpath.normpath(path).lstrip("/")
        if relative in ("", "."):
            relative = "index.html"
        if any(len(part) > self.server.http.segment for part in relative.split("/")):
            return None  # no file has so long a name (and the OS would refuse to look: ENAMETOOLONG)
        try:
            target = (self.server.site / relative).resolve()
            if not target.is_relative_to(self.server.site):
                return None
            if target.is_dir():
                target = target / "index.html"
            return target if target.is_file() else None
        except (OSError, ValueError):  # a name the file system cannot hold is a file that is not there
            return None

    def static(self, path: str) -> None:
        target = self.file(path)
        if target is None and self.server.ondemand is not None:
            relative = posixpath.normpath(path).lstrip("/")
            body = self.server.ondemand.document(relative)
            if body is not None:  # the same headers as the file's would be
                return self.document(relative.rsplit("/", 1)[-1], body, self.server.published)
        if target is None or target.name.endswith(".htaccess"):
            return self.error(HTTPStatus.NOT_FOUND, f"not found: {path}")
        return self.document(target.name, target.read_bytes(), target.stat().st_mtime)

    def document(self, name: str, body: bytes, modified: float) -> None:
        """A document of the site (a file, or rendered on demand), with its media type, language
        and validators: an ETag of its content, so that a client that has it gets 304."""
        suffix = ".jsonld" if name.endswith(".jsonld") else posixpath.splitext(name)[1]
        media = MEDIA_TYPES.get(suffix, "application/octet-stream")
        language = page_language(name)
        tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        headers = {"ETag": tag, "Last-Modified": email.utils.formatdate(modified, usegmt=True)}
        if language:
            headers["Content-Language"] = language
        asked = self.headers.get("If-None-Match")
        if asked is not None and (asked.strip() == "*" or tag in [t.strip().removeprefix("W/") for t in asked.split(",")]):
            return self.send(HTTPStatus.NOT_MODIFIED, b"", media, headers, length=False)
        self.send(HTTPStatus.OK, body, media, headers)


def serve(site: Path, host: str, port: int, timeout: float, limit: int, workers: int, announce=print,
          max_bytes: int = 64 << 20, memory: int = 2 << 30, services: frozenset[str] = frozenset()) -> None:
    server = make_server(site, host, port, timeout, limit, workers, verbose=True, max_bytes=max_bytes,
                         memory=memory, services=services)
    bound_host, bound_port = server.server_address[:2]
    cap = f"{memory >> 20} MiB per worker" if memory else "no memory cap"
    allowed = ", ".join(sorted(services)) or "none"
    if server.ondemand is not None:
        announce(f"{server.ondemand.manifest.entities} entities of {len(server.ondemand.manifest.bulk_graphs)} bulk graph(s) "
                 f"have no files: their pages and documents are rendered on demand from the site's dump")
    announce(f"serving {site} at http://{bound_host}:{bound_port}/ ({server.pool.triples} quads; SPARQL at "
             f"http://{bound_host}:{bound_port}/sparql, {timeout:g} s, {limit} rows and {max_bytes >> 20} MiB per query, "
             f"{workers} worker(s), {cap}; SERVICE endpoints allowed: {allowed}); Ctrl-C stops")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
