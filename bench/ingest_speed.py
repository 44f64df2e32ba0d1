"""Time `pdkg ingest` on a 2,000-word article (issue 14: under 2 s), as a user runs it.

The article is the first 2,000 words of seed 000 (a real news spread), so the rules meet real
names, dates and boxes. Measured:

- the whole `pdkg ingest FILE` process, wall clock (Python start-up, imports, gazetteer, rules,
  writing the folder): once with no gazetteer cache (the first run after a change of the
  reference data, which builds ``build/cache/gazetteer-<hash>.json``), then 5 runs reading it;
- inside one process: building the gazetteer from its sources, reading it from the cache file,
  and the extraction alone (median of 5).

The runs use a throw-away project (the ontology and pyproject linked, the reference data copied),
so the checkout's own cache is left alone.

    .venv/bin/python bench/ingest_speed.py
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from paradiplomacy.ingest.gazetteer import Gazetteer, _load
from paradiplomacy.ingest.pipeline import Meta, extract
from paradiplomacy.project import Project


def _timed_run(pdkg: Path, article: Path, root: Path, out: Path) -> float:
    t = time.perf_counter()
    subprocess.run([str(pdkg), "ingest", str(article), "--published", "1404-03-31", "--doc-id", "bench", "--out", str(out)],
                   check=True, capture_output=True, env={**os.environ, "PDKG_ROOT": str(root)})
    return time.perf_counter() - t


def main() -> int:
    project = Project.locate()
    seed = sorted(project.seeds_dir.glob("000_*.txt"))
    if not seed:
        print(f"no seed 000 in {project.seeds_dir}", file=sys.stderr)
        return 2
    text = seed[0].read_text(encoding="utf-8")
    words = list(re.finditer(r"\S+", text))
    article_text = text[: words[1999].end()]
    pdkg = Path(sys.executable).with_name("pdkg")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("ontology", "pyproject.toml"):
            (root / name).symlink_to(project.root / name)
        shutil.copytree(project.data_dir / "reference", root / "data" / "reference")
        article = root / "article.txt"
        article.write_text(article_text, encoding="utf-8")
        cold = _timed_run(pdkg, article, root, root / "out")
        warm = [_timed_run(pdkg, article, root, root / f"out{i}") for i in range(5)]
        data = (root / "data").resolve()
        t = time.perf_counter()
        Gazetteer.build(data)
        build = time.perf_counter() - t
        t = time.perf_counter()
        gazetteer = _load.__wrapped__(data, True)
        cached = time.perf_counter() - t
    runs = []
    for _ in range(5):
        t = time.perf_counter()
        cands = extract(article_text, Meta(doc_id="bench", published="1404-03-31"), gazetteer)
        runs.append(time.perf_counter() - t)
    out = {"words": 2000, "characters": len(article_text),
           "pdkg_ingest_process_no_cache_s": round(cold, 3),
           "pdkg_ingest_process_median_s": round(statistics.median(warm), 3), "pdkg_ingest_process_max_s": round(max(warm), 3),
           "gazetteer_build_s": round(build, 3), "gazetteer_from_cache_s": round(cached, 3),
           "extract_median_s": round(statistics.median(runs), 3), "extract_max_s": round(max(runs), 3),
           "candidates": len(cands), "gazetteer_names": len(gazetteer.entries), "load_average": round(os.getloadavg()[0], 2)}
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
