"""Load test of `pdkg serve` on loopback: CLIENTS client processes for SECONDS seconds, each
sending a mix of entity lookups (the IRI with ``Accept: text/turtle``, its 303, then the
document) and stored competency queries (POSTed as ``application/sparql-query``, their
default parameters bound as the remote path binds them). An answer counts as an error unless
its status is the expected one and, for a query, its rows are as many as its expected answer's.

    .venv/bin/pdkg build                       # the site in build/site
    .venv/bin/python bench/serve_load.py       # 8 clients, 30 s, keep-alive connections
    .venv/bin/python bench/serve_load.py --fresh --only lookups   # a new connection per request

The server is started as users start it (`pdkg serve`, default options unless given) and
stopped at the end; the figures are printed and written as JSON (``--out``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from paradiplomacy.project import Project
from paradiplomacy.query.catalogue import catalogue, read_expected, with_values


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def workload(project: Project, site: Path) -> tuple[list[str], list[tuple[str, str, int]]]:
    entities = sorted(f"/id/{p.parent.name}/{p.name[:-5]}" for p in (site / "id").glob("*/*.html") if not p.name.endswith(".fa.html"))
    queries = [(q.id, with_values(q, None), len(read_expected(q).rows))
               for q in catalogue(project).values() if q.kind == "cq" and q.expected_path.exists()]
    return entities, queries


def client(number: int, port: int, seconds: float, fresh: bool, only: str, entities, queries, out) -> None:
    rng = random.Random(number)
    timings: dict[str, list[float]] = {"lookup": [], "query": []}
    errors: list[str] = []
    conn = None

    def connection() -> http.client.HTTPConnection:
        nonlocal conn
        if conn is None or fresh:
            if conn is not None:
                conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        return conn

    def fetch(method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, dict, bytes]:
        nonlocal conn
        c = connection()
        c.request(method, path, body, headers or {})
        response = c.getresponse()
        data = response.read()
        if response.getheader("Connection", "").lower() == "close":
            c.close()
            conn = None
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        kind = only if only != "mixed" else rng.choice(("lookup", "query"))
        started = time.perf_counter()
        try:
            if kind == "lookup":
                iri = rng.choice(entities)
                status, headers, _ = fetch("GET", iri, headers={"Accept": "text/turtle"})
                if status != 303 or headers.get("location") != iri + ".ttl":
                    errors.append(f"{iri}: {status}")
                    continue
                status, _, data = fetch("GET", headers["location"])
                if status != 200 or b"@prefix" not in data and b"PREFIX" not in data:
                    errors.append(f"{iri}.ttl: {status}")
                    continue
            else:
                name, text, rows = rng.choice(queries)
                status, _, data = fetch("POST", "/sparql", text.encode("utf-8"),
                                        {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
                if status != 200 or len(json.loads(data)["results"]["bindings"]) != rows:
                    errors.append(f"query {name}: {status} {data[:200]!r}")
                    continue
        except (OSError, http.client.HTTPException) as err:
            errors.append(f"{kind}: {type(err).__name__}: {err}")
            conn = None
            continue
        timings[kind].append(time.perf_counter() - started)
    out.put((timings, errors))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else float("nan")


def summary(times: list[float], seconds: float) -> dict:
    return {"count": len(times), "per_second": round(len(times) / seconds, 1),
            "p50_ms": round(1000 * percentile(times, 50), 1), "p90_ms": round(1000 * percentile(times, 90), 1),
            "p99_ms": round(1000 * percentile(times, 99), 1), "max_ms": round(1000 * max(times), 1) if times else None,
            "mean_ms": round(1000 * statistics.fmean(times), 1) if times else None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--fresh", action="store_true", help="a new connection for every request (default: keep-alive)")
    parser.add_argument("--only", choices=("mixed", "lookup", "query"), default="mixed")
    parser.add_argument("--port", type=int, help="measure a server already listening on this port of 127.0.0.1 (default: start one)")
    parser.add_argument("--out", type=Path, help="write the figures here as JSON")
    parser.add_argument("serve_options", nargs="*", help="passed to pdkg serve (after --), e.g. -- --workers 2")
    args = parser.parse_args()
    project = Project.locate()
    site = project.build_dir / "site"
    if not (site / "index.html").is_file():
        print(f"no site in {site}: run `pdkg build` first", file=sys.stderr)
        return 2
    entities, queries = workload(project, site)
    load = os.getloadavg()[0]  # the machine is shared: say how busy it was
    port = args.port or free_port()
    pdkg = Path(sys.executable).with_name("pdkg")
    server = None if args.port else subprocess.Popen(
        [str(pdkg), "serve", "--port", str(port), *args.serve_options],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "PDKG_ROOT": str(project.root)})
    try:
        for _ in range(600):  # the workers load the graph first
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        out = mp.get_context("spawn").Queue()
        clients = [mp.get_context("spawn").Process(target=client, args=(i, port, args.seconds, args.fresh, args.only, entities, queries, out))
                   for i in range(args.clients)]
        for c in clients:
            c.start()
        results = [out.get() for _ in clients]
        for c in clients:
            c.join()
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
    lookups = [t for timings, _ in results for t in timings["lookup"]]
    answers = [t for timings, _ in results for t in timings["query"]]
    errors = [e for _, errs in results for e in errs]
    figures = {"clients": args.clients, "seconds": args.seconds, "connections": "fresh" if args.fresh else "keep-alive",
               "mix": args.only, "serve_options": args.serve_options, "cpus": os.cpu_count(),
               "load_average_before": load, "errors": len(errors), "error_samples": errors[:5],
               "all": summary(lookups + answers, args.seconds), "lookups": summary(lookups, args.seconds),
               "queries": summary(answers, args.seconds)}
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if args.out:
        args.out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
