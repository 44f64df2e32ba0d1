"""The scale benchmark: the real build — ``build.run``, ``build.write`` and
``publish.site.publish``, the functions `pdkg build` calls — on the real sources plus a
synthetic graph of a given size, on the fast engine and on the naive (reference) one, each
stage timed by the pipeline itself.

Stages: load (parse the sources with rdflib, read and check the shapes, then on the fast engine
load the Oxigraph store from the sorted N-Quads text of the canonical sources and the synthetic
N-Quads straight from the file, ``pdkg build --bulk``'s path, rdf/bulk.py; on the naive one
parse the synthetic file with rdflib too and build rdflib's union graph), canonicalisation, reasoning
(HermiT on the release), validation (SHACL: compiled to SPARQL in the store, or pySHACL; the
quotes), queries (the QC queries, the competency queries with their expected answers, the
passages of every row), dumps (``write``: TriG, N-Quads, release, report, answers.md; on the
naive engine it also makes the N-Quads text) and site (``publish``).

Each (scale, pipeline) runs in a child process of its own, so its peak resident memory
(``ru_maxrss``: C and Python alike, what a user pays) is its own and a slow naive run can be
stopped at a time limit without losing the other figures. Synthetic graphs and the products of
a run are written under ``build/bench/`` (the products are deleted after the run) and never
mixed into ``data/``. The synthetic data changes the answers of the aggregate queries, so the
bench counts the answers that differ from the expected files instead of stopping on them.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from paradiplomacy.project import Project

#: the bench's name of a pipeline -> the build's engine
PIPELINES = {"fast": "fast", "naive": "reference"}
STAGES = ("load", "canonicalisation", "reasoning", "validation", "queries", "dumps", "site")


@dataclass
class Run:
    scale: int
    pipeline: str
    triples: int = 0
    stages: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds per stage, forked writers included
    queries: dict[str, float] = field(default_factory=dict)
    violations: int = 0
    wrong_answers: int = 0
    files: int = 0
    peak_mib: float = 0.0
    worker_peak_mib: float = 0.0  # the largest forked site writer (it shares the parent's pages until it writes)
    error: str = ""

    @property
    def total(self) -> float:
        return sum(self.stages.values())

    @property
    def total_cpu(self) -> float:
        return sum(self.cpu.values())

    @property
    def query_median_ms(self) -> float:
        return 1000 * statistics.median(self.queries.values()) if self.queries else 0.0

    @property
    def query_max_ms(self) -> float:
        return 1000 * max(self.queries.values()) if self.queries else 0.0


def synthetic_file(project: Project, scale: int, seed: int) -> Path:
    from paradiplomacy.bench import synthetic

    # the cache key names the generator's own text, so a changed generator never reuses a stale graph
    version = hashlib.sha1(Path(synthetic.__file__).read_bytes()).hexdigest()[:8]
    path = project.build_dir / "bench" / f"synthetic-{scale}-seed{seed}-{version}.nq"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")  # two benches side by side never share a half-written file
        synthetic.write_synthetic(tmp, scale, seed)
        tmp.replace(path)
    return path


def count_violations(outcome) -> int:
    return sum(1 for f in outcome.shacl.findings if f.severity == "Violation") if outcome.shacl is not None else 0


def progress_file(project: Project, scale: int, pipeline: str) -> Path:
    """Where a child keeps the figures of the stages it has finished (read if it is stopped)."""
    return project.build_dir / "bench" / f"progress-{pipeline}-{scale}.json"


def measure_build(project: Project, pipeline: str, synthetic: Path, run: Run, out: Path) -> None:
    """The real build of the sources plus ``synthetic``: run, write, publish, into ``out``."""
    from paradiplomacy.build import cpu_seconds, write
    from paradiplomacy.build import run as run_build
    from paradiplomacy.publish.site import publish

    progress = progress_file(project, run.scale, pipeline)

    def keep(stage: str = "") -> None:
        run.peak_mib = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        progress.write_text(json.dumps(run.__dict__), encoding="utf-8")

    made = run_build(project, PIPELINES[pipeline], extra=(synthetic,), answer_invalid=True,
                     timings=run.stages, cpu=run.cpu, on_stage=keep)
    # on the fast engine the bulk graphs are in the store alone: its quads are the sources' and theirs
    store = made.runner.store
    run.triples = len(store) if store is not None else sum(len(g) for g in made.dataset.graphs())
    run.violations = count_violations(made.outcome)
    run.wrong_answers = len(made.wrong)
    run.queries = made.outcome.qc_seconds | made.query_seconds
    start, start_cpu = time.perf_counter(), cpu_seconds()
    write(made, out)
    run.stages["dumps"], run.cpu["dumps"] = round(time.perf_counter() - start, 3), round(cpu_seconds() - start_cpu, 3)
    keep()
    start, start_cpu = time.perf_counter(), cpu_seconds()
    run.files = len(publish(made, out / "site"))
    run.stages["site"], run.cpu["site"] = round(time.perf_counter() - start, 3), round(cpu_seconds() - start_cpu, 3)


def child(scale: int, pipeline: str, synthetic: Path) -> Run:
    """One pipeline at one scale, in this process; prints the Run as JSON."""
    project = Project.locate()
    run = Run(scale, pipeline)
    out = project.build_dir / "bench" / f"out-{pipeline}-{scale}-{os.getpid()}"
    try:
        measure_build(project, pipeline, synthetic, run, out)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    run.peak_mib = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    run.worker_peak_mib = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    return run


def measure(project: Project, scale: int, pipeline: str, seed: int, timeout: float) -> Run:
    synthetic = synthetic_file(project, scale, seed)
    cmd = [sys.executable, "-m", "paradiplomacy.bench.pipeline", str(scale), pipeline, str(synthetic)]
    # a session of its own, so that a stop ends the child's forked site writers with it
    child_process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=project.root,
                                     env=os.environ | {"PDKG_ROOT": str(project.root)}, start_new_session=True)
    try:
        stdout, stderr = child_process.communicate(timeout=timeout)
        done = subprocess.CompletedProcess(cmd, child_process.returncode, stdout, stderr)
    except subprocess.TimeoutExpired:
        os.killpg(child_process.pid, signal.SIGKILL)
        child_process.communicate()
        for stale in (project.build_dir / "bench").glob(f"out-{pipeline}-{scale}-*"):
            shutil.rmtree(stale, ignore_errors=True)
        partial = progress_file(project, scale, pipeline)
        done_stages = Run(**json.loads(partial.read_text(encoding="utf-8"))) if partial.exists() else Run(scale, pipeline)
        partial.unlink(missing_ok=True)
        pending = next((s for s in STAGES if s not in done_stages.stages), "")
        done_stages.error = f"stopped after {timeout:.0f} s" + (f", during {pending}" if pending else "")
        return done_stages
    progress_file(project, scale, pipeline).unlink(missing_ok=True)
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


def benchmark(project: Project, scales: list[int], naive_max: int, seed: int, timeout: float, progress=print,
              measured=lambda runs: None) -> list[Run]:
    """Every (scale, pipeline) in turn; ``measured(runs)`` after each, so the figures so far can be kept."""
    runs = []
    for scale in scales:
        for pipeline in PIPELINES:
            if pipeline == "naive" and scale > naive_max:
                continue
            progress(f"{pipeline} pipeline at {scale:,} synthetic triples ...")
            runs.append(measure(project, scale, pipeline, seed, timeout))
            measured(runs)
    return runs


def render(runs: list[Run]) -> str:
    head = ["scale", "pipeline", "triples", *STAGES, "total s", "CPU s", "peak MiB", "query median ms", "query max ms",
            "violations", "answers differing", "site files"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in runs:
        if r.error:  # the stages it finished, then why it did not finish
            cells = [f"{r.scale:,}", r.pipeline, f"{r.triples:,}" if r.triples else "",
                     *[f"{r.stages[s]:.2f}" if s in r.stages else "" for s in STAGES], r.error, "", f"{r.peak_mib:,.0f}" if r.peak_mib else "",
                     *[""] * 5]
        else:
            cells = [f"{r.scale:,}", r.pipeline, f"{r.triples:,}", *[f"{r.stages.get(s, 0):.2f}" for s in STAGES],
                     f"{r.total:.2f}", f"{r.total_cpu:.2f}", f"{r.peak_mib:,.0f}", f"{r.query_median_ms:.1f}", f"{r.query_max_ms:.1f}",
                     str(r.violations), str(r.wrong_answers), f"{r.files:,}"]
        lines.append("| " + " | ".join(cells) + " |")
    by_scale = {(r.scale, r.pipeline): r for r in runs if not r.error}
    for scale in sorted({r.scale for r in runs}):
        fast, naive = by_scale.get((scale, "fast")), by_scale.get((scale, "naive"))
        if fast and naive:
            lines.append(f"\nAt {scale:,}: the fast build is {naive.total / fast.total:.1f}x faster than the naive one"
                         f" (validation {naive.stages['validation'] / max(fast.stages['validation'], 1e-3):.0f}x).")
    lines += growth(runs)
    return "\n".join(lines)


def growth(runs: list[Run]) -> list[str]:
    """Per stage, time ratio from each measured scale to the next (fast pipeline), beside the ratio of triples."""
    fast = sorted((r for r in runs if r.pipeline == "fast" and not r.error), key=lambda r: r.triples)
    out = []
    for a, b in pairwise(fast):
        ratios = ", ".join(f"{s} {b.stages.get(s, 0) / a.stages[s]:.1f}x / {b.cpu.get(s, 0) / a.cpu[s]:.1f}x"
                           for s in STAGES if a.stages.get(s) and a.cpu.get(s))
        out.append(f"\n{a.scale:,} -> {b.scale:,} (triples {b.triples / a.triples:.1f}x): wall / CPU time, total "
                   f"{b.total / a.total:.1f}x / {b.total_cpu / max(a.total_cpu, 1e-3):.1f}x; {ratios}")
    return out


def to_json(runs: list[Run]) -> str:
    return json.dumps({"machine": machine(), "runs": [r.__dict__ | {"total": round(r.total, 3)} for r in runs]}, indent=2, ensure_ascii=False)


if __name__ == "__main__":  # the child process of measure()
    result = child(int(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
    print(json.dumps(result.__dict__))
