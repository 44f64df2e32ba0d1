"""The pieces of a build that scale (issue 15 items 3 and 4), measured on the real sources plus a
synthetic graph (src/paradiplomacy/bench/synthetic.py) of each size:

- ``qc``: the three QC scans (dangling-iri, missing-label, undeclared-term) as the stored queries
  in Oxigraph, against the fused check (check/qc.py) with its index of the synthetic file made
  (cold) and read from the build cache (warm);
- ``load``: the sources loaded with the parse cache empty and full (rdf/cache.py);
- ``site``: publish() writing the site, in one process without the page cache (``--src`` another
  checkout's src/ to time that code instead), then with the pool of processes and the page cache
  empty (cold), full (nothing changed) and after an edit of one label.

Each (part, scale, mode) runs in a child process of its own, so its peak memory is its own.

    .venv/bin/python bench/build_scale.py qc --scales 100000,1000000
    .venv/bin/python bench/build_scale.py site --scales 0,10000 --src /tmp/base/src
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from paradiplomacy.bench.pipeline import synthetic_file
from paradiplomacy.build import cpu_seconds
from paradiplomacy.project import Project

SEED = 1  # the synthetic graphs these parts were measured on

SITE_MODES = ("serial", "cold", "warm", "edit")


def part_qc(project: Project, scale: int, mode: str) -> dict:
    from paradiplomacy.check import qc
    from paradiplomacy.query.catalogue import catalogue
    from paradiplomacy.query.engine import FastStore
    from paradiplomacy.rdf.cache import BuildCache
    from paradiplomacy.rdf.load import load_dataset

    path = synthetic_file(project, scale, SEED)
    dataset = load_dataset(project)
    store = FastStore.from_dataset(dataset)
    store.load_file(path, trusted=True)
    queries = catalogue(project)
    cache_root = project.build_dir / "bench" / "qc-cache"
    if mode == "cold":
        shutil.rmtree(cache_root, ignore_errors=True)
    start, c0 = time.perf_counter(), cpu_seconds()
    if mode == "stored":
        rows = {k: len(store.run(queries[k]).rows) for k in qc.FUSED}
    else:
        rows = {k: len(v.rows) for k, v in qc.findings([qc.index_dataset(dataset), qc.cached_index(path, BuildCache(cache_root))],
                                                       store).items()}
    return dict(seconds=time.perf_counter() - start, cpu=cpu_seconds() - c0, triples=len(store), rows=rows)


def part_load(project: Project, scale: int, mode: str) -> dict:
    from paradiplomacy.rdf.cache import BuildCache
    from paradiplomacy.rdf.load import load_dataset

    root = project.build_dir / "bench" / "load-cache"
    if mode == "cold":
        shutil.rmtree(root, ignore_errors=True)
    cache = BuildCache(root) if mode != "none" else None
    start, c0 = time.perf_counter(), cpu_seconds()
    dataset = load_dataset(project, cache)
    return dict(seconds=time.perf_counter() - start, cpu=cpu_seconds() - c0, triples=sum(len(g) for g in dataset.graphs()),
                hits=cache.hits if cache else 0, misses=cache.misses if cache else 0)


def part_site(project: Project, scale: int, mode: str) -> dict:
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS

    from paradiplomacy.build import canonical_dataset
    from paradiplomacy.publish.site import publish
    from paradiplomacy.rdf.load import load_dataset

    dataset = load_dataset(project)
    if scale:
        from paradiplomacy.bench.synthetic import synthetic_dataset

        for graph in synthetic_dataset(scale, 1).graphs():
            if len(graph):
                dataset.graph(graph.identifier).__iadd__(graph)
    if mode == "edit":  # one label changed, as an edit of data/reference/organizations.ttl would
        forum = URIRef("https://w3id.org/paradiplomacy/id/body/asian-mayors-forum")
        for graph in dataset.graphs():
            if (forum, RDFS.label, Literal("Asian Mayors Forum", lang="en")) in graph:
                graph.remove((forum, RDFS.label, Literal("Asian Mayors Forum", lang="en")))
                graph.add((forum, RDFS.label, Literal("Asian Mayors' Forum", lang="en")))
    canonical = canonical_dataset(dataset)  # the build canonicalises before it publishes
    out = project.build_dir / "bench" / f"site-{scale}" / "site"
    if mode == "cold":
        shutil.rmtree(project.build_dir / "cache" / "pages", ignore_errors=True)
    start, c0 = time.perf_counter(), cpu_seconds()
    files = publish(project, canonical, out=out)
    return dict(seconds=time.perf_counter() - start, cpu=cpu_seconds() - c0, files=len(files),
                triples=sum(len(g) for g in canonical.graphs()))


def child(part: str, scale: int, mode: str) -> None:
    project = Project.locate()
    result = {"qc": part_qc, "load": part_load, "site": part_site}[part](project, scale, mode)
    result["peak_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result))


def measure(part: str, scale: int, mode: str, src: str | None) -> dict:
    env = dict(os.environ)
    if part == "site":
        env["PDKG_SITE_WORKERS"] = "1" if mode == "serial" else env.get("PDKG_SITE_WORKERS", "2")
        env.pop("PDKG_PAGE_CACHE", None)  # the project's build/cache/pages/
        if mode == "serial":
            env["PDKG_PAGE_CACHE"] = "0"
    if src:
        env["PYTHONPATH"] = src
    done = subprocess.run([sys.executable, __file__, "--child", part, str(scale), mode], env=env, capture_output=True, text=True)
    if done.returncode:
        return dict(error=(done.stderr.strip().splitlines() or ["failed"])[-1])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("part", choices=("qc", "load", "site"))
    parser.add_argument("--scales", default="10000,100000")
    parser.add_argument("--modes", default="")
    parser.add_argument("--src", default=None, help="time another checkout's src/ (e.g. the code before this change)")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    modes = args.modes.split(",") if args.modes else {"qc": ["stored", "cold", "warm"], "load": ["none", "cold", "warm"],
                                                       "site": list(SITE_MODES)}[args.part]
    runs = []
    for scale in [int(s) for s in args.scales.split(",")]:
        for mode in modes:
            with open("/proc/loadavg") as fh:
                load = fh.read().split()[0]
            result = {"part": args.part, "scale": scale, "mode": mode, "load_average": load, **measure(args.part, scale, mode, args.src)}
            runs.append(result)
            print(json.dumps(result), flush=True)
    if args.out:
        Path(args.out).write_text(json.dumps(runs, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
