"""SPARQL queries in worker processes, each holding the graph in an Oxigraph store, so that a
query running past its time can be stopped.

pyoxigraph cannot cancel a query, and a thread cannot be killed; a process can. Each worker
loads the N-Quads dump once (union of the named graphs as the default graph), answers one
query at a time and sends back at most ``limit`` + 1 rows as plain tuples. A query that
outlives its timeout gets its worker killed and a fresh one started in the background; the
client gets a clear error. Updates never reach a worker: the server refuses them first, and
the workers only ever call ``Store.query``.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

# Terms cross the process boundary as tuples: ("uri", iri), ("bnode", id),
# ("literal", lexical form, language or None, datatype IRI or None).
Term = tuple


class QueryTimeout(Exception):
    pass


class QueryBusy(Exception):
    pass


class QuerySyntaxError(Exception):
    pass


class QueryFailed(Exception):
    pass


@dataclass
class Answer:
    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)  # select: tuples of Term or None; graph: (s, p, o) Terms
    boolean: bool | None = None
    truncated: bool = False


_UPDATE = re.compile(r"^(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)
_PROLOGUE = re.compile(r"^(PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*", re.IGNORECASE)
_COMMENT = re.compile(r"(^|\s)#[^\n]*")


def is_update(text: str) -> bool:
    """True when ``text`` is a SPARQL Update request (after its comments and prologue)."""
    rest = _COMMENT.sub(r"\1", text).strip()
    while True:
        match = _PROLOGUE.match(rest)
        if not match:
            break
        rest = rest[match.end():]
    return bool(_UPDATE.match(rest))


def _term(term) -> Term | None:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, ox.Literal):
        return ("literal", term.value, term.language, None if term.language else term.datatype.value)
    return ("literal", str(term), None, None)  # RDF-star triple terms: shown as text


def _worker(conn, dump: str) -> None:
    """The worker's loop: load the dump, then answer (query, limit) pairs until told to stop."""
    import pyoxigraph as ox

    try:
        store = ox.Store()
        store.bulk_load(path=dump, format=ox.RdfFormat.N_QUADS)
    except Exception as err:  # a missing or broken dump: say so to the server, which stops
        conn.send(("failed", f"{dump}: {err}"))
        return
    conn.send(("ready", len(store)))
    while True:
        message = conn.recv()
        if message is None:
            return
        text, limit = message
        try:
            result = store.query(text, use_default_graph_as_union=True)
            if isinstance(result, ox.QueryBoolean):
                conn.send(("ok", Answer("ask", boolean=bool(result))))
                continue
            rows, truncated = [], False
            if isinstance(result, ox.QuerySolutions):
                variables = [v.value for v in result.variables]
                for solution in result:
                    if len(rows) == limit:
                        truncated = True
                        break
                    rows.append(tuple(_term(solution[v]) for v in variables))
                conn.send(("ok", Answer("select", variables, rows, truncated=truncated)))
            else:
                for triple in result:
                    if len(rows) == limit:
                        truncated = True
                        break
                    rows.append((_term(triple.subject), _term(triple.predicate), _term(triple.object)))
                conn.send(("ok", Answer("graph", rows=rows, truncated=truncated)))
        except SyntaxError as err:
            conn.send(("syntax", str(err)))
        except Exception as err:  # evaluation errors (e.g. SERVICE to the network, which is refused)
            conn.send(("error", f"{type(err).__name__}: {err}"))


class Worker:
    def __init__(self, dump: Path) -> None:
        ctx = mp.get_context("spawn")  # never fork a threaded server
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(child, str(dump)), daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float = 120) -> int:
        if not self.conn.poll(timeout):
            self.kill()
            raise QueryFailed(f"a query worker did not load the graph within {timeout:.0f} s")
        status, detail = self.conn.recv()
        if status != "ready":
            raise QueryFailed(f"a query worker could not load the graph: {detail}")
        return detail

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.kill()


class QueryPool:
    """``workers`` processes answering queries; ``timeout`` seconds per query (including the
    wait for a free worker), at most ``limit`` rows (or triples) per answer."""

    def __init__(self, dump: Path, workers: int = 2, timeout: float = 10.0, limit: int = 10000) -> None:
        self.dump, self.timeout, self.limit = dump, timeout, limit
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.workers: set[Worker] = set()
        self.lock = threading.Lock()
        started = [Worker(dump) for _ in range(max(1, workers))]
        try:
            self.triples = [w.wait_ready() for w in started][0]
        except QueryFailed:
            for w in started:
                w.kill()
            raise
        for w in started:
            self._add(w)

    def _add(self, worker: Worker) -> None:
        with self.lock:
            self.workers.add(worker)
        self.idle.put(worker)

    def _replace(self, worker: Worker) -> None:
        """Kill a worker stuck in a query and start another in the background."""
        with self.lock:
            self.workers.discard(worker)
        worker.kill()

        def start() -> None:
            fresh = Worker(self.dump)
            try:
                fresh.wait_ready()
            except QueryFailed:
                return
            self._add(fresh)

        threading.Thread(target=start, daemon=True).start()

    def run(self, text: str) -> Answer:
        try:
            worker = self.idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryBusy(f"every query worker stayed busy for {self.timeout:g} s; try again later") from None
        worker.conn.send((text, self.limit))
        if not worker.conn.poll(self.timeout):
            self._replace(worker)
            raise QueryTimeout(f"the query ran longer than the server's limit of {self.timeout:g} s and was stopped")
        status, payload = worker.conn.recv()
        self.idle.put(worker)
        if status == "ok":
            return payload
        if status == "syntax":
            raise QuerySyntaxError(payload)
        raise QueryFailed(payload)

    def close(self) -> None:
        with self.lock:
            workers, self.workers = list(self.workers), set()
        for worker in workers:
            worker.stop()
