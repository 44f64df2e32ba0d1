"""The site of a build with a bulk graph (issue 15 item 3): ``publish`` with the bulk entities left
to ``pdkg serve`` (mode ``ondemand``) or written as files (mode ``static``), and the latency of
one page rendered on demand by ``pdkg serve`` (part ``serve``).

A build is the real sources plus a synthetic graph of ``bench/synthetic.py`` (seed 1) read as
``build.run`` reads it (``build.load(project, extra=[file])``: its graphs are the bulk graphs),
canonicalised, its store loaded and its dumps written (the stages before "site" in ``pdkg
bench``); only ``publish(build, out)`` is timed. The checks and stored queries are not run
(they change nothing in the site but the answers page, which is left empty here). Each (part,
scale, mode) runs in a child process of its own, so its peak memory is its own.

    .venv/bin/python bench/site_ondemand.py site --scales 100000,1000000 --modes ondemand
    .venv/bin/python bench/site_ondemand.py serve --scales 1000000 --requests 100

At 10^6 the charts page (analysis.network_measures: networkx's exact betweenness centrality)
did not end in 16 minutes; ``--no-charts`` leaves it out of the timed publication.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from paradiplomacy.bench.pipeline import synthetic_file
from paradiplomacy.build import cpu_seconds
from paradiplomacy.project import Project

SEED = 1  # the synthetic graphs these parts were measured on


def site_out(project: Project, scale: int, mode: str) -> Path:
    return project.build_dir / "bench" / f"ondemand-{mode}-{scale}" / "site"


# the steps of publish() timed one by one (wrapped where publish/site.py calls them)
STEPS = ("write_dumps", "write_ontology", "void_documents", "SiteGraph", "left_to_serve", "write_entities", "write_documents",
         "map_data", "write_charts", "write_query_pages")


def part_site(project: Project, scale: int, mode: str, charts: bool = True) -> dict:
    from paradiplomacy.build import Build, CheckOutcome, canonicalise, load, write
    from paradiplomacy.publish import site as site_module
    from paradiplomacy.publish.site import publish

    steps: dict[str, list[float]] = {}

    def timed(name, function):
        def wrapper(*args, **kwargs):
            t, c = time.perf_counter(), cpu_seconds()
            try:
                return function(*args, **kwargs)
            finally:
                spent = steps.setdefault(name, [0.0, 0.0])
                spent[0] += time.perf_counter() - t
                spent[1] += cpu_seconds() - c
        return wrapper

    for name in STEPS:
        setattr(site_module, name, timed(name, getattr(site_module, name)))
    if not charts:  # analysis.network_measures (networkx betweenness) did not end at 10^6: left out, and said so
        site_module.write_charts = lambda *args, **kwargs: None

    start = time.perf_counter()
    sources = load(project, extra=[synthetic_file(project, scale, SEED)])
    canonicalise(sources.dataset)
    if mode == "static":
        sources.bulk_graphs = frozenset()  # every entity written, as before
    build = Build(sources, CheckOutcome(), answered=True)
    out = site_out(project, scale, mode)
    shutil.rmtree(out.parent, ignore_errors=True)
    write(build, out.parent)  # the dumps stage: the N-Quads and TriG texts the site reuses
    sources.runner  # noqa: B018 — the store, loaded in the load stage of a build
    before = time.perf_counter() - start
    start, c0 = time.perf_counter(), cpu_seconds()
    files = publish(build, out)
    seconds, used = time.perf_counter() - start, cpu_seconds() - c0
    return dict(seconds=round(seconds, 2), cpu=round(used, 2), files=len(files), before_site_seconds=round(before, 1), charts=charts,
                steps={k: [round(v[0], 2), round(v[1], 2)] for k, v in steps.items()},
                triples=sum(len(g) for g in sources.dataset.graphs()), bulk_graphs=len(sources.bulk_graphs),
                on_demand=json.loads((out / "ondemand.json").read_text())["entities"] if (out / "ondemand.json").exists() else 0)


def part_serve(project: Project, scale: int, mode: str, requests: int, site: Path | None = None) -> dict:
    """``make_server`` on the site ``part_site`` published (ondemand mode), then ``requests``
    GETs of distinct on-demand pages (first render: nothing cached) and the same again (cached)."""
    import http.client

    from paradiplomacy.publish.ondemand import read_manifest
    from paradiplomacy.serve.server import make_server

    site = site or site_out(project, scale, "ondemand")
    manifest = read_manifest(site)
    if manifest is None:
        raise SystemExit(f"{site} left nothing to render on demand: run the site part first")
    start, c0 = time.perf_counter(), cpu_seconds()
    server = make_server(site, "127.0.0.1", 0, workers=1)
    opened, opened_cpu = time.perf_counter() - start, cpu_seconds() - c0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    # on-demand entities: the cities, relations and claims of the synthetic graph with no file
    store = server.ondemand.store
    import pyoxigraph as ox

    cities = sorted({q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                                                      ox.NamedNode("https://w3id.org/paradiplomacy/ontology#City"))
                     if "/id/city/syn-" in q.subject.value})
    pool = [c for c in cities if not (site / (c.split("/paradiplomacy/", 1)[1] + ".html")).exists()]
    chosen = random.Random(1).sample(pool, min(requests, len(pool)))
    paths = ["/" + c.split("/paradiplomacy/", 1)[1] + (".fa.html" if n % 2 else ".html") for n, c in enumerate(chosen)]

    def timed(path: str) -> float:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        t = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - t
        conn.close()
        if response.status != 200 or not body:
            raise SystemExit(f"{path}: {response.status}")
        return elapsed

    first = [timed(p) for p in paths]
    again = [timed(p) for p in paths]
    server.shutdown()
    server.server_close()
    ms = lambda xs: round(statistics.median(xs) * 1000, 1)  # noqa: E731
    return dict(open_seconds=round(opened, 1), open_cpu=round(opened_cpu, 1), requests=len(paths), candidates=len(pool),
                first_median_ms=ms(first), first_p90_ms=round(sorted(first)[int(0.9 * len(first))] * 1000, 1),
                cached_median_ms=ms(again), store_quads=len(store))


def child(part: str, scale: int, mode: str, requests: int, charts: bool, site: str) -> None:
    project = Project.locate()
    result = part_site(project, scale, mode, charts) if part == "site" else part_serve(project, scale, mode, requests,
                                                                                      Path(site) if site else None)
    result["peak_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    result["children_peak_mib"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    print(json.dumps(result))


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), sys.argv[6] == "1", sys.argv[7])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("part", choices=("site", "serve"))
    parser.add_argument("--scales", default="100000")
    parser.add_argument("--modes", default="ondemand")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--out", default=None)
    parser.add_argument("--no-charts", action="store_true", help="leave the charts page out of the timed publication")
    parser.add_argument("--site", default="", help="serve: the published site folder (default: the site part's)")
    args = parser.parse_args()
    runs = []
    for scale in [int(s) for s in args.scales.split(",")]:
        for mode in args.modes.split(","):
            with open("/proc/loadavg") as fh:
                load = fh.read().split()[0]
            env = {**os.environ, "PDKG_PAGE_CACHE": "0"}  # every file rendered: a first publication
            done = subprocess.run([sys.executable, __file__, "--child", args.part, str(scale), mode, str(args.requests),
                                   "0" if args.no_charts else "1", args.site],
                                  env=env, capture_output=True, text=True)
            result = {"part": args.part, "scale": scale, "mode": mode, "load_average": load}
            if done.returncode:
                result["error"] = (done.stderr.strip().splitlines() or ["failed"])[-1]
            else:
                result.update(json.loads(done.stdout.strip().splitlines()[-1]))
            runs.append(result)
            print(json.dumps(result), flush=True)
    if args.out:
        Path(args.out).write_text(json.dumps(runs, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
