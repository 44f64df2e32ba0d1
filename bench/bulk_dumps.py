"""The bulk path without the stored queries: ``build.run(project, extra=[synthetic.nq], answer=False)``
(load with the synthetic graph in the Oxigraph store only, canonicalisation, reasoning, SHACL,
quotes, QC) then ``build.write`` (the streamed N-Quads and TriG dumps, release, report), each
stage's wall and CPU seconds and the peak memory of a child process of its own per size.

It exists because `pdkg bench` runs the stored queries and the passages of their rows before
the dumps, and at 10^6 and above that stage alone outlasts the time a run is given: this
measures the stages that come after it on the same code. The synthetic graphs are `pdkg
bench`'s (bench/pipeline.py's synthetic_file, seed 0).

    .venv/bin/python bench/bulk_dumps.py --scales 1000000,10000000
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time

from paradiplomacy.project import Project


def child(scale: int) -> dict:
    from paradiplomacy.bench.pipeline import synthetic_file
    from paradiplomacy.build import cpu_seconds, run, write

    project = Project.locate()
    path = synthetic_file(project, scale, 0)
    stages: dict[str, float] = {}
    cpu: dict[str, float] = {}
    made = run(project, extra=(path,), answer=False, timings=stages, cpu=cpu)
    out = project.build_dir / "bench" / f"dumps-{scale}"
    start, start_cpu = time.perf_counter(), cpu_seconds()
    try:
        written = write(made, out)
        stages["dumps"], cpu["dumps"] = round(time.perf_counter() - start, 3), round(cpu_seconds() - start_cpu, 3)
        sizes = {p.name: p.stat().st_size for p in written}
        lines = sum(1 for _ in (out / "paradiplomacy.nq").open("rb"))
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return {"scale": scale, "store_quads": len(made.runner.store), "nq_lines": lines, "sizes": sizes,
            "stages": stages, "cpu": cpu, "violations": len(made.outcome.shacl.violations),
            "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "child_peak_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1000000")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    for scale in [int(s) for s in args.scales.split(",")]:
        done = subprocess.run([sys.executable, __file__, "--child", str(scale)], capture_output=True, text=True, timeout=args.timeout)
        print(done.stdout.strip().splitlines()[-1] if done.returncode == 0 else f"{scale}: failed: {done.stderr.strip()[-400:]}",
              flush=True)


if __name__ == "__main__":
    main()
