"""`pdkg query` and `pdkg answers` from the shell, as a user runs them: each command started RUNS
times as a process of its own (the installed `pdkg` beside this interpreter), wall seconds and the
child's CPU seconds (user + system) per run, median and minimum reported.

    .venv/bin/pdkg build                      # a built graph: build/paradiplomacy.nq newer than every source
    .venv/bin/python bench/query_cli.py       # 20 runs per command on the built graph, 5 on a stale one

Two cases: **built** (the checkout as it is after `pdkg build`: the N-Quads are read) and
**stale** (a copy of the sources, of build/paradiplomacy.nq and of build/cache/ in a temporary
folder, one source touched after the build, so the sources are loaded again, with the build
cache as a user has it). The figures are printed and written as JSON (``--out``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from paradiplomacy.project import Project

PDKG = str(Path(sys.executable).with_name("pdkg"))

COMMANDS = {
    "query 001": ["query", "001"],
    "query 001 --param city=city:tehran": ["query", "001", "--param", "city=city:tehran"],
    "query 001 --param city=Isfahan --format csv": ["query", "001", "--param", "city=Isfahan", "--format", "csv"],
    "answers": ["answers"],
}
STALE = ("query 001", "query 001 --param city=city:tehran")


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(args: list[str], root: Path, runs: int) -> dict:
    """Wall and CPU seconds of ``runs`` runs of `pdkg ARGS` in ``root``; a run that fails stops the benchmark."""
    env = {**os.environ, "PDKG_ROOT": str(root)}
    walls, cpus = [], []
    for _ in range(runs):
        cpu, start = child_cpu(), time.perf_counter()
        done = subprocess.run([PDKG, *args], capture_output=True, text=True, env=env, timeout=600)
        walls.append(time.perf_counter() - start)
        cpus.append(child_cpu() - cpu)
        if done.returncode != 0:
            raise SystemExit(f"pdkg {' '.join(args)} exited {done.returncode}: {done.stderr.strip()}")
    return {"runs": runs, "wall_median": round(statistics.median(walls), 3), "wall_min": round(min(walls), 3),
            "cpu_median": round(statistics.median(cpus), 3), "cpu_min": round(min(cpus), 3)}


def stale_copy(project: Project, into: Path) -> Path:
    """The sources, the dump and the build cache copied, then one source touched: a stale build."""
    for name in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(project.root / name, into / name)
    shutil.copy(project.root / "pyproject.toml", into / "pyproject.toml")
    (into / "build").mkdir()
    shutil.copy2(project.built_dump, into / "build" / project.built_dump.name)
    if (project.build_dir / "cache").is_dir():
        shutil.copytree(project.build_dir / "cache", into / "build" / "cache")
    copy = Project(into)
    os.utime(copy.data_dir / "reference" / "people.ttl")  # edited after the build (same bytes)
    assert copy.fresh_dump() is None
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per command on the built graph")
    parser.add_argument("--stale-runs", type=int, default=5, help="runs per command on a stale build")
    parser.add_argument("--out", type=Path, help="JSON figures (default build/bench/query_cli.json)")
    args = parser.parse_args()
    project = Project.locate()
    if project.fresh_dump() is None:
        raise SystemExit(f"{project.relative(project.built_dump)} is missing or older than a source: run `pdkg build` first")
    figures: dict = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "load_before": os.getloadavg(),
                     "python": platform.python_version(), "cpus": os.cpu_count(), "built": {}, "stale": {}}
    for name, command in COMMANDS.items():
        figures["built"][name] = timed(command, project.root, args.runs)
        print(f"built  pdkg {name}: {figures['built'][name]}", flush=True)
    with tempfile.TemporaryDirectory(prefix="pdkg-stale-") as folder:
        root = stale_copy(project, Path(folder))
        for name in STALE:
            figures["stale"][name] = timed(COMMANDS[name], root, args.stale_runs)
            print(f"stale  pdkg {name}: {figures['stale'][name]}", flush=True)
    figures["load_after"] = os.getloadavg()
    out = args.out or project.build_dir / "bench" / "query_cli.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"load average {figures['load_before'][0]:.2f} before, {figures['load_after'][0]:.2f} after; wrote {out}")


if __name__ == "__main__":
    main()
