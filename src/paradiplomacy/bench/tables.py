"""How fast the table loader maps rows, on the path `pdkg build` runs (``sources.load_data``):
a source folder of N synthetic sister-city rows, each citing its own evidence row, beside the
real reference data (so every party is a real city of places.csv and is checked).

    .venv/bin/python -m paradiplomacy.bench.tables 10000 100000

Each scale runs in a child process of its own, so its peak memory is its own. The synthetic
folder lives in a temporary checkout, never in data/.
"""

from __future__ import annotations

import csv
import multiprocessing
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from paradiplomacy.project import Project

SOURCE_TTL = """PREFIX bibo: <http://purl.org/ontology/bibo/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX doc: <https://w3id.org/paradiplomacy/id/doc/>
PREFIX pd: <https://w3id.org/paradiplomacy/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

doc:999-syn-bench a pd:AcademicArticle ; rdfs:label "synthetic bench source"@en , "منبع ساختگی"@fa .
doc:999-syn-bench-part-t1 a bibo:DocumentPart ; dcterms:isPartOf doc:999-syn-bench ;
    dcterms:identifier "t1" ; rdfs:label "Table 1"@en , "جدول ۱"@fa .
"""


def write_bench_checkout(project: Project, root: Path, rows: int, seed: int = 1) -> Path:
    (root / "ontology").mkdir(parents=True)
    shutil.copy(project.root / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(project.data_dir / "reference", root / "data" / "reference")
    with open(root / "data" / "reference" / "places.csv", encoding="utf-8") as fh:
        cities = [r["slug"] for r in csv.DictReader(fh) if r["slug"].startswith("city:")]
    folder = root / "data" / "sources" / "999-syn-bench"
    folder.mkdir(parents=True)
    (folder / "source.ttl").write_text(SOURCE_TTL, encoding="utf-8")
    rng = random.Random(seed)
    with (open(folder / "relations.csv", "w", encoding="utf-8", newline="") as rel,
          open(folder / "evidence.csv", "w", encoding="utf-8", newline="") as ev):
        r, e = csv.writer(rel, lineterminator="\n"), csv.writer(ev, lineterminator="\n")
        r.writerow(["id", "kind", "party_a", "party_b", "year", "evidence"])
        e.writerow(["id", "part", "item", "quote"])
        for i in range(rows):
            a, b = rng.sample(cities, 2)
            r.writerow([f"syn-{i}", "sister-city", a, b, rng.randint(1960, 2024), f"999-syn-{i}"])
            e.writerow([f"999-syn-{i}", "t1", f"row {i}", f"شهر {i} ({rng.randint(1960, 2024)})"])
    return root


def _run(root: str, out) -> None:
    from paradiplomacy.rdf.sources import load_data

    start = time.perf_counter()
    data = load_data(Project(Path(root)))
    seconds = time.perf_counter() - start
    triples = sum(len(g) for g in data.graphs.values())
    out.send((seconds, triples, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def measure(project: Project, rows: int) -> tuple[float, int, float]:
    with tempfile.TemporaryDirectory() as tmp:
        write_bench_checkout(project, Path(tmp) / "checkout", rows)
        parent, child = multiprocessing.Pipe()
        proc = multiprocessing.get_context("spawn").Process(target=_run, args=(str(Path(tmp) / "checkout"), child))
        proc.start()
        result = parent.recv()
        proc.join()
        return result


def main(argv: list[str]) -> int:
    project = Project.locate()
    print("rows (relations + evidence) | load s | triples | peak MiB | µs per row")
    for rows in [int(a) for a in argv] or [10_000]:
        seconds, triples, mib = measure(project, rows)
        print(f"{rows} + {rows} | {seconds:.1f} | {triples} | {mib:.0f} | {seconds / (2 * rows) * 1e6:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
