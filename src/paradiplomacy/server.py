"""``pdkg serve``: a read-only server of the published site (build/site/).

- ``/sparql``: the SPARQL 1.1 Protocol (query by GET ``?query=``, POST form, POST
  ``application/sparql-query``); results in JSON, XML, CSV or TSV by ``Accept`` or ``?format=``.
  Each query runs in a worker process (sparql_pool) with a timeout (503 when exceeded) and a
  row limit (the answer is cut there and says so in the ``PDKG-Truncated`` header). SPARQL
  Update is refused: 403 Forbidden (the protocol's operation exists, this service does not
  allow it); PUT, DELETE and PATCH get 405. A query that does not parse gets 400 with the
  parser's message. ``GET /sparql`` from a browser (no query) gives the query UI.
- ``/id/{kind}/{slug}`` and ``/ontology``: 303 See Other to the document in the format the
  ``Accept`` header prefers (HTML, Turtle, JSON-LD, N-Triples; RDF/XML for the ontology), the
  Persian page when ``Accept-Language`` prefers Persian; ``Vary: Accept, Accept-Language``.
  404 for an entity that does not exist, 406 for a format the server does not have.
- anything else: the site's files.
"""

from __future__ import annotations

import posixpath
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from . import __version__
from .negotiation import ENTITY_OFFERS, MEDIA_TYPES, ONTOLOGY_OFFERS, negotiate, prefers_persian
from .sparql_pool import QueryBusy, QueryFailed, QueryPool, QuerySyntaxError, QueryTimeout, is_update
from .sparql_results import MEDIA, choose, serialize

DUMP = "dumps/paradiplomacy.nq"
MAX_BODY = 1 << 20  # bytes of a POSTed query


class SiteMissing(Exception):
    """The site has not been built; the message says what to run."""


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], site: Path, pool: QueryPool, verbose: bool = False) -> None:
        self.site, self.pool, self.verbose = site.resolve(), pool, verbose
        super().__init__(address, Handler)

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()


def make_server(site: Path, host: str = "127.0.0.1", port: int = 8000, timeout: float = 10.0,
                limit: int = 10000, workers: int = 2, verbose: bool = False) -> Server:
    """The server, bound and ready; raises SiteMissing, or OSError when the port is taken."""
    if not (site / "index.html").is_file() or not (site / DUMP).is_file():
        raise SiteMissing(f"{site} holds no published site (no index.html or {DUMP}): run `pdkg build` first")
    pool = QueryPool(site / DUMP, workers=workers, timeout=timeout, limit=limit)
    try:
        return Server((host, port), site, pool, verbose)
    except OSError:
        pool.close()
        raise


class Handler(BaseHTTPRequestHandler):
    server: Server
    server_version = f"pdkg/{__version__}"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # one line per request on stderr, when asked
        if self.server.verbose:
            super().log_message(format, *args)

    # --- responses ---------------------------------------------------------------------------------
    def send(self, status: int, body: bytes = b"", media: str = "text/plain; charset=utf-8", headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def error(self, status: int, message: str, headers: dict | None = None) -> None:
        self.send(status, (message + "\n").encode("utf-8"), headers=headers)

    def redirect(self, location: str) -> None:
        self.send(HTTPStatus.SEE_OTHER, f"See {location}\n".encode("utf-8"),
                  headers={"Location": location, "Vary": "Accept, Accept-Language"})

    # --- methods -------------------------------------------------------------------------------------
    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(url.path)
        if path in ("/sparql", "/sparql/"):
            return self.sparql_get(urllib.parse.parse_qs(url.query))
        if path.startswith("/id/") and "." not in path.rsplit("/", 1)[-1]:
            return self.negotiate_entity(path)
        if path in ("/ontology", "/ontology/") or (path.startswith("/ontology/") and "." not in path):
            return self.negotiate_document("/ontology", ONTOLOGY_OFFERS)
        return self.static(path)

    do_HEAD = do_GET

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        if path not in ("/sparql", "/sparql/"):
            return self.error(HTTPStatus.METHOD_NOT_ALLOWED, "only /sparql accepts POST", {"Allow": "GET, HEAD"})
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self.error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"a query may be at most {MAX_BODY} bytes")
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media == "application/sparql-update":
            return self.refuse_update()
        if media == "application/sparql-query":
            return self.sparql(body, urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("format", [None])[0])
        if media == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body)
            if "update" in form:
                return self.refuse_update()
            if "query" not in form:
                return self.error(HTTPStatus.BAD_REQUEST, "the form has no 'query' field")
            return self.sparql(form["query"][0], form.get("format", [None])[0])
        return self.error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                          "POST a query as application/sparql-query or as the form field 'query' (application/x-www-form-urlencoded)")

    def refuse_method(self) -> None:
        self.error(HTTPStatus.METHOD_NOT_ALLOWED, "this server is read-only", {"Allow": "GET, HEAD, POST"})

    do_PUT = do_DELETE = do_PATCH = refuse_method

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
        if is_update(text):
            return self.refuse_update()
        try:
            answer = self.server.pool.run(text)
        except QuerySyntaxError as err:
            return self.error(HTTPStatus.BAD_REQUEST, f"SPARQL syntax error: {err}")
        except QueryTimeout as err:
            return self.error(HTTPStatus.SERVICE_UNAVAILABLE, str(err))
        except QueryBusy as err:
            return self.error(HTTPStatus.SERVICE_UNAVAILABLE, str(err), {"Retry-After": "5"})
        except QueryFailed as err:
            return self.error(HTTPStatus.INTERNAL_SERVER_ERROR, f"the query failed: {err}")
        fmt = choose(answer, self.headers.get("Accept"), format_param)
        if fmt is None:
            kinds = "JSON, XML, CSV, TSV" if answer.kind != "graph" else "Turtle, N-Triples, JSON-LD"
            return self.error(HTTPStatus.NOT_ACCEPTABLE, f"results are available as {kinds} (Accept or ?format=)")
        headers = {"Vary": "Accept", "Access-Control-Allow-Origin": "*", "PDKG-Result-Limit": str(self.server.pool.limit)}
        if answer.truncated:
            headers["PDKG-Truncated"] = "true"
        self.send(HTTPStatus.OK, serialize(answer, fmt), MEDIA[fmt], headers)

    # --- linked data ---------------------------------------------------------------------------------
    def negotiate_entity(self, path: str) -> None:
        stem = path.rstrip("/")
        if not self.file(stem + ".html"):
            return self.error(HTTPStatus.NOT_FOUND, f"no resource {stem} in this graph")
        self.negotiate_document(stem, ENTITY_OFFERS)

    def negotiate_document(self, stem: str, offers) -> None:
        offer = negotiate(self.headers.get("Accept"), offers)
        if offer is None:
            kinds = ", ".join(o.media_type for o in offers)
            return self.error(HTTPStatus.NOT_ACCEPTABLE, f"{stem} is available as {kinds}", {"Vary": "Accept"})
        suffix = offer.suffix
        if suffix == ".html" and prefers_persian(self.headers.get("Accept-Language")):
            suffix = ".fa.html"
        self.redirect(stem + suffix)

    # --- files ---------------------------------------------------------------------------------------
    def file(self, path: str) -> Path | None:
        """The site file at a URL path, never outside the site."""
        relative = posixpath.normpath(path).lstrip("/")
        if relative in ("", "."):
            relative = "index.html"
        target = (self.server.site / relative).resolve()
        if not target.is_relative_to(self.server.site):
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def static(self, path: str) -> None:
        target = self.file(path)
        if target is None or target.name.endswith(".htaccess"):
            return self.error(HTTPStatus.NOT_FOUND, f"not found: {path}")
        suffix = ".jsonld" if target.name.endswith(".jsonld") else target.suffix
        media = MEDIA_TYPES.get(suffix, "application/octet-stream")
        self.send(HTTPStatus.OK, target.read_bytes(), media)


def serve(site: Path, host: str, port: int, timeout: float, limit: int, workers: int, announce=print) -> None:
    server = make_server(site, host, port, timeout, limit, workers, verbose=True)
    bound_host, bound_port = server.server_address[:2]
    announce(f"serving {site} at http://{bound_host}:{bound_port}/ ({server.pool.triples} quads; SPARQL at "
             f"http://{bound_host}:{bound_port}/sparql, {timeout:g} s and {limit} rows per query, {workers} worker(s)); Ctrl-C stops")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
