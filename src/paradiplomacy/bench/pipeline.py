"""The scale benchmark: the whole build on the real sources plus a synthetic graph of a given
size, on the fast pipeline and on the naive one, each stage timed.

The fast pipeline loads into Oxigraph, validates there (every constraint compiled to one SPARQL
query over the whole store) and queries there; the naive one is rdflib's memory store, pySHACL
with the ontology mixed in, and rdflib's SPARQL engine. Each (scale, pipeline) runs in a child
process of its own, so its peak resident memory (``ru_maxrss``) is its own and a slow naive run
can be stopped at a time limit without losing the other figures. Synthetic graphs are written
under ``build/bench/`` and never mixed into ``data/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from paradiplomacy.project import Project

PIPELINES = ("fast", "naive")
STAGES = ("load", "inference", "validation", "queries", "dumps")

@dataclass
class Run:
    scale: int
    pipeline: str
    triples: int = 0
    stages: dict[str, float] = field(default_factory=dict)
    queries: dict[str, float] = field(default_factory=dict)
    violations: int = 0
    peak_mib: float = 0.0
    error: str = ""

    @property
    def total(self) -> float:
        return sum(self.stages.values())

    @property
    def query_median_ms(self) -> float:
        return 1000 * statistics.median(self.queries.values()) if self.queries else 0.0

    @property
    def query_max_ms(self) -> float:
        return 1000 * max(self.queries.values()) if self.queries else 0.0


class Clock:
    def __init__(self, run: Run) -> None:
        self.run, self.start = run, time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.run.stages[stage] = round(now - self.start, 3)
        self.start = now


def synthetic_file(project: Project, scale: int, seed: int) -> Path:
    from paradiplomacy import synthetic

    # the cache key names the generator's own text, so a changed generator never reuses a stale graph
    version = hashlib.sha1(Path(synthetic.__file__).read_bytes()).hexdigest()[:8]
    path = project.build_dir / "bench" / f"synthetic-{scale}-seed{seed}-{version}.nq"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        synthetic.write_synthetic(tmp, scale, seed)
        tmp.replace(path)
    return path


def run_fast(project: Project, synthetic: Path, run: Run, out: Path) -> None:
    from paradiplomacy.check.reasoner import check_consistency
    from paradiplomacy.check.shacl_store import validate_store
    from paradiplomacy.query.catalogue import catalogue
    from paradiplomacy.query.engine import FastStore
    from paradiplomacy.rdf.load import load_dataset, load_shapes, project_version
    from paradiplomacy.rdf.release import release_of

    clock = Clock(run)
    dataset = load_dataset(project)
    store = FastStore.from_dataset(dataset)
    store.load_file(synthetic, trusted=True)
    shapes = load_shapes(project)
    clock.lap("load")
    # The store holds the ontology's subclass axioms, so shape targets and queries follow
    # rdfs:subClassOf* in place: nothing to materialise beyond the consistency check.
    check_consistency(release_of(dataset, project_version(project)))  # what pdkg build reasons on
    run.triples = len(store)
    clock.lap("inference")
    conforms, report = validate_store(store, shapes)
    run.violations = count_violations(report)
    clock.lap("validation")
    time_queries(catalogue(project).values(), store.run, run)
    clock.lap("queries")
    store.dump(out)
    clock.lap("dumps")


def run_naive(project: Project, synthetic: Path, run: Run, out: Path) -> None:
    from paradiplomacy.build import query_graph
    from paradiplomacy.check.reasoner import check_consistency
    from paradiplomacy.check.validation import run_shacl
    from paradiplomacy.namespaces import GRAPH
    from paradiplomacy.query.catalogue import catalogue, run_local
    from paradiplomacy.rdf.load import load_dataset, load_shapes, project_version, union
    from paradiplomacy.rdf.release import release_of

    clock = Clock(run)
    dataset = load_dataset(project)
    dataset.parse(str(synthetic), format="nquads")
    shapes = load_shapes(project)
    clock.lap("load")
    ontology = union(dataset, f"{GRAPH}ontology/")
    check_consistency(release_of(dataset, project_version(project)))
    graph = query_graph(dataset)
    run.triples = len(graph)
    clock.lap("inference")
    conforms, report = run_shacl(graph, shapes, ontology, "pyshacl")
    run.violations = count_violations(report)
    clock.lap("validation")
    time_queries(catalogue(project).values(), lambda q: run_local(graph, q), run)
    clock.lap("queries")
    out.write_text(dataset.serialize(format="nquads"), encoding="utf-8")
    clock.lap("dumps")


def count_violations(report) -> int:
    from rdflib.namespace import RDF

    from paradiplomacy.namespaces import SH

    return sum(1 for r in report.subjects(RDF.type, SH.ValidationResult) if report.value(r, SH.resultSeverity) == SH.Violation)


def time_queries(queries, run_query, run: Run) -> None:
    for query in queries:
        start = time.perf_counter()
        run_query(query)
        run.queries[query.id] = round(time.perf_counter() - start, 4)


def child(scale: int, pipeline: str, synthetic: Path) -> Run:
    """One pipeline at one scale, in this process; prints the Run as JSON."""
    project = Project.locate()
    run = Run(scale, pipeline)
    out = project.build_dir / "bench" / f"dump-{pipeline}-{scale}.nq"
    (run_fast if pipeline == "fast" else run_naive)(project, synthetic, run, out)
    out.unlink(missing_ok=True)
    run.peak_mib = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return run


def measure(project: Project, scale: int, pipeline: str, seed: int, timeout: float) -> Run:
    synthetic = synthetic_file(project, scale, seed)
    cmd = [sys.executable, "-m", "paradiplomacy.bench.pipeline", str(scale), pipeline, str(synthetic)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=project.root, env=os.environ | {"PDKG_ROOT": str(project.root)})
    except subprocess.TimeoutExpired:
        return Run(scale, pipeline, error=f"stopped after {timeout:.0f} s")
    if done.returncode != 0:
        return Run(scale, pipeline, error=(done.stderr.strip().splitlines() or ["failed"])[-1])
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return Run(**data)


def machine() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": str(os.cpu_count()),
        "memory_gib": f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f}",
    }


def benchmark(project: Project, scales: list[int], naive_max: int, seed: int, timeout: float, progress=print) -> list[Run]:
    runs = []
    for scale in scales:
        for pipeline in PIPELINES:
            if pipeline == "naive" and scale > naive_max:
                continue
            progress(f"{pipeline} pipeline at {scale:,} synthetic triples ...")
            runs.append(measure(project, scale, pipeline, seed, timeout))
    return runs


def render(runs: list[Run]) -> str:
    head = ["scale", "pipeline", "triples", *STAGES, "total s", "peak MiB", "query median ms", "query max ms", "violations"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in runs:
        if r.error:
            cells = [f"{r.scale:,}", r.pipeline, "", *[""] * len(STAGES), r.error, "", "", "", ""]
        else:
            cells = [f"{r.scale:,}", r.pipeline, f"{r.triples:,}", *[f"{r.stages.get(s, 0):.2f}" for s in STAGES],
                     f"{r.total:.2f}", f"{r.peak_mib:,.0f}", f"{r.query_median_ms:.1f}", f"{r.query_max_ms:.1f}", str(r.violations)]
        lines.append("| " + " | ".join(cells) + " |")
    by_scale = {(r.scale, r.pipeline): r for r in runs if not r.error}
    for scale in sorted({r.scale for r in runs}):
        fast, naive = by_scale.get((scale, "fast")), by_scale.get((scale, "naive"))
        if fast and naive:
            lines.append(f"\nAt {scale:,}: the fast build is {naive.total / fast.total:.0f}x faster than the naive one.")
    return "\n".join(lines)


def to_json(runs: list[Run]) -> str:
    return json.dumps({"machine": machine(), "runs": [r.__dict__ | {"total": round(r.total, 3)} for r in runs]}, indent=2, ensure_ascii=False)


if __name__ == "__main__":  # the child process of measure()
    result = child(int(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
    print(json.dumps(result.__dict__))
