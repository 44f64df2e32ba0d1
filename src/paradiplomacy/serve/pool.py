"""SPARQL queries in worker processes, each holding the graph in an Oxigraph store, so that a
query running past its time, or killing its worker, costs nothing but that query.

pyoxigraph cannot cancel a query, and a thread cannot be killed; a process can. Each worker
loads the N-Quads dump once (union of the named graphs as the default graph), answers one
query at a time and sends back at most ``limit`` + 1 rows, and at most ``max_bytes`` of term
text, as plain tuples. Each runs under an address-space limit (``memory``, RLIMIT_AS), so a
query that would grow without end fails inside its worker instead of taking the machine; it
evaluates on a thread with a 64 MiB stack, which with the size limits of ``query_guard`` keeps
the parser's recursion far from the end of it.

A worker that outlives its timeout is killed; a worker that dies (stack overflow, memory cap,
a kill from outside) is seen at once through its process sentinel. Either way a fresh worker is
started in the background and the client gets a clear error naming what happened. Updates never
reach a worker: the server refuses them first, and the workers only ever call ``Store.query``.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import re
import signal
import tempfile
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

from paradiplomacy.project import ProjectError
from paradiplomacy.query.guard import QueryRefused, check_services

# Terms cross the process boundary as tuples: ("uri", iri), ("bnode", id),
# ("literal", lexical form, language or None, datatype IRI or None).
Term = tuple

STACK = 64 << 20  # bytes of stack for the thread that evaluates queries in a worker


class QueryTimeout(ProjectError):
    """The query ran past the endpoint's time limit and was stopped (HTTP 503)."""


class QueryBusy(ProjectError):
    """Every worker is busy and the queue is full (HTTP 503 with Retry-After)."""


class QuerySyntaxError(ProjectError):
    """The query does not parse (HTTP 400)."""


class QueryFailed(ProjectError):
    """The query could not be answered (HTTP 500), or the workers could not start."""


class QueryCrashed(QueryFailed):
    """The query's worker died while answering it (memory cap, stack overflow, killed)."""


@dataclass
class Answer:
    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)  # select: tuples of Term or None; graph: (s, p, o) Terms
    boolean: bool | None = None
    truncated: bool = False  # cut at the row limit or the byte limit
    truncated_by: str | None = None  # "rows" or "bytes"


_UPDATE = re.compile(r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)
_PROLOGUE = re.compile(r"(PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*", re.IGNORECASE)
_COMMENT = re.compile(r"(^|\s)#[^\n]*")


def is_update(text: str) -> bool:
    """True when ``text`` is a SPARQL Update request (after its comments and prologue)."""
    rest = _COMMENT.sub(r"\1", text).strip()
    position = 0
    while match := _PROLOGUE.match(rest, position):  # by position: slicing each time was quadratic
        position = match.end()
    return bool(_UPDATE.match(rest, position))


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


def _size(term: Term | None) -> int:
    return 0 if term is None else sum(len(part) for part in term[1:] if part)


def _answer(store, text: str, limit: int, max_bytes: int, services: frozenset[str]) -> tuple:
    """One query's message back to the server."""
    import pyoxigraph as ox

    try:
        check_services(text, services)
    except QueryRefused as err:
        return ("refused", str(err))
    try:
        result = store.query(text, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryBoolean):
            return ("ok", Answer("ask", boolean=bool(result)))
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            answer = Answer("select", variables)
            convert = lambda solution: tuple(_term(solution[v]) for v in variables)  # noqa: E731
        else:
            answer = Answer("graph")
            convert = lambda t: (_term(t.subject), _term(t.predicate), _term(t.object))  # noqa: E731
        size = 0
        for item in result:
            if len(answer.rows) == limit:
                answer.truncated, answer.truncated_by = True, "rows"
                break
            row = convert(item)
            size += sum(_size(term) for term in row)
            if size > max_bytes:
                answer.truncated, answer.truncated_by = True, "bytes"
                break
            answer.rows.append(row)
        return ("ok", answer)
    except SyntaxError as err:
        return ("syntax", str(err))
    except MemoryError:
        return ("memory", "")
    except Exception as err:  # evaluation errors
        return ("error", f"{type(err).__name__}: {err}")


def _worker(conn, dump: str, memory: int, services: frozenset[str], log: str) -> None:
    """The worker's loop: load the dump, then answer (query, limit, max_bytes) until told to stop."""
    # What the engine prints before dying ("memory allocation of … bytes failed") goes to a file
    # the server reads to say why the worker died.
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 2)
    os.close(fd)
    import resource

    import pyoxigraph as ox
    import rdflib.plugins.sparql.algebra  # noqa: F401  (loaded now, not inside a query's time)

    try:
        store = ox.Store()
        store.bulk_load(path=dump, format=ox.RdfFormat.N_QUADS)
    except Exception as err:  # a missing or broken dump: say so to the server, which stops
        conn.send(("failed", f"{dump}: {err}"))
        return
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    def loop() -> None:
        conn.send(("ready", len(store)))
        while True:
            message = conn.recv()
            if message is None:
                return
            conn.send(_answer(store, *message, services))

    threading.stack_size(STACK)
    thread = threading.Thread(target=loop, name="queries")
    thread.start()
    thread.join()


class Worker:
    def __init__(self, dump: Path, memory: int, services: frozenset[str], log: Path) -> None:
        ctx = mp.get_context("spawn")  # never fork a threaded server
        self.log = log
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(child, str(dump), memory, services, str(log)), daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float = 120) -> int:
        if not wait([self.conn, self.process.sentinel], timeout):
            self.kill()
            raise QueryFailed(f"a query worker did not load the graph within {timeout:.0f} s")
        if not self.conn.poll():
            why = self.death()
            self.kill()
            raise QueryFailed(f"a query worker died while loading the graph ({why})")
        try:
            status, detail = self.conn.recv()
        except (EOFError, OSError):  # killed while loading (the pool closing)
            raise QueryFailed("a query worker stopped while loading the graph") from None
        if status != "ready":
            raise QueryFailed(f"a query worker could not load the graph: {detail}")
        return detail

    def alive(self) -> bool:
        return self.process.is_alive()

    def death(self) -> str:
        """Why the worker is dead, from its exit code and the last line it wrote on stderr."""
        self.process.join(timeout=5)
        code = self.process.exitcode
        try:
            lines = self.log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        except OSError:
            lines = []
        # the engine's own account first ("memory allocation of 240 bytes failed"), else the last line
        last = [line for line in lines if "memory allocation" in line or "overflow" in line][:1] or lines[-1:]
        if code is None:
            return "still running"
        cause = f"killed by {signal.Signals(-code).name}" if code < 0 and -code in signal.valid_signals() else f"exit code {code}"
        return cause + (f": {last[0][:300]}" if last else "")

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
    wait for a free worker), at most ``limit`` rows (or triples) and ``max_bytes`` bytes of term
    text per answer, ``memory`` bytes of address space per worker (0: no cap). ``services``:
    the SERVICE endpoints queries may call (none by default)."""

    def __init__(self, dump: Path, workers: int = 2, timeout: float = 10.0, limit: int = 10000,
                 max_bytes: int = 64 << 20, memory: int = 2 << 30, services: frozenset[str] = frozenset()) -> None:
        self.dump, self.timeout, self.limit, self.max_bytes = dump, timeout, limit, max_bytes
        self.memory, self.services = memory, frozenset(services)
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.workers: set[Worker] = set()
        self.lock = threading.Lock()
        self.logs = tempfile.TemporaryDirectory(prefix="pdkg-workers-")
        self.started = 0
        self.starting: set[Worker] = set()  # replacements still loading the graph
        self.closed = False
        started = [self._spawn() for _ in range(max(1, workers))]
        try:
            self.triples = [w.wait_ready() for w in started][0]
        except QueryFailed:
            for w in started:
                w.kill()
            self.logs.cleanup()
            raise
        for w in started:
            self._add(w)

    def _spawn(self) -> Worker:
        with self.lock:
            self.started += 1
            number = self.started
        return Worker(self.dump, self.memory, self.services, Path(self.logs.name) / f"worker-{number}.log")

    def _add(self, worker: Worker) -> None:
        with self.lock:
            if self.closed:
                worker.stop()
                return
            self.workers.add(worker)
        self.idle.put(worker)

    def _replace(self, worker: Worker) -> None:
        """Kill a worker (stuck, or dead already) and start another in the background."""
        with self.lock:
            self.workers.discard(worker)
        worker.kill()
        worker.log.unlink(missing_ok=True)  # read already, when it said why the worker died

        def start() -> None:
            while not self.closed:
                fresh = self._spawn()
                with self.lock:
                    self.starting.add(fresh)
                try:
                    fresh.wait_ready()
                except QueryFailed:
                    continue  # the dump loaded before: try again (unless the pool is closing)
                finally:
                    with self.lock:
                        self.starting.discard(fresh)
                self._add(fresh)
                return

        threading.Thread(target=start, daemon=True).start()

    def _idle_worker(self) -> Worker:
        """A live idle worker; a dead one found idle (killed from outside) is replaced on the way."""
        deadline = self.timeout
        while True:
            try:
                worker = self.idle.get(timeout=deadline)
            except queue.Empty:
                raise QueryBusy(f"every query worker stayed busy for {self.timeout:g} s; try again later") from None
            if worker.alive():
                return worker
            self._replace(worker)

    def run(self, text: str) -> Answer:
        worker = self._idle_worker()
        try:
            worker.conn.send((text, self.limit, self.max_bytes))
        except OSError:  # died between the check and the send: the query never reached it
            self._replace(worker)
            return self.run(text)
        ready = wait([worker.conn, worker.process.sentinel], self.timeout)
        if not ready:
            self._replace(worker)
            raise QueryTimeout(f"the query ran longer than the server's limit of {self.timeout:g} s and was stopped")
        try:
            status, payload = worker.conn.recv()
        except (EOFError, OSError):
            why = worker.death()
            self._replace(worker)
            hint = (f" (the query needed more than the worker's memory cap of {self.memory >> 20} MiB)"
                    if "memory allocation" in why or "MemoryError" in why else
                    " (most likely the engine's recursion overflowed its stack)" if "SIGSEGV" in why else "")
            raise QueryCrashed(f"the query stopped its worker process ({why}){hint}; the worker was replaced") from None
        self.idle.put(worker)
        if status == "ok":
            return payload
        if status == "syntax":
            raise QuerySyntaxError(payload)
        if status == "refused":
            raise QueryRefused(payload)
        if status == "memory":
            raise QueryFailed(f"the query needed more than the worker's memory cap of {self.memory >> 20} MiB")
        raise QueryFailed(payload)

    def close(self) -> None:
        with self.lock:
            self.closed = True
            workers, self.workers = list(self.workers), set()
            starting = list(self.starting)
        for worker in starting:
            worker.kill()
        for worker in workers:
            worker.stop()
        self.logs.cleanup()
