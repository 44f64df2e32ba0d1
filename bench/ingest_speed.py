"""Time `pdkg ingest`'s extraction on a 2,000-word article (issue 14: target under 2 s).

The article is the first 2,000 words of seed 000 (a real news spread), so the rules meet real
names, dates and boxes. The gazetteer is loaded once (timed on its own), as in `pdkg ingest`;
the figure is the median of 5 runs of the whole extraction (normalising, names, dates, rules).

    .venv/bin/python bench/ingest_speed.py
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time

from paradiplomacy.ingest.gazetteer import Gazetteer
from paradiplomacy.ingest.pipeline import Meta, extract
from paradiplomacy.project import Project


def main() -> int:
    project = Project.locate()
    seed = sorted(project.seeds_dir.glob("000_*.txt"))
    if not seed:
        print(f"no seed 000 in {project.seeds_dir}", file=sys.stderr)
        return 2
    text = seed[0].read_text(encoding="utf-8")
    words = list(re.finditer(r"\S+", text))
    article = text[: words[1999].end()]
    t = time.perf_counter()
    gazetteer = Gazetteer.load()
    load = time.perf_counter() - t
    runs = []
    for _ in range(5):
        t = time.perf_counter()
        cands = extract(article, Meta(doc_id="bench", published="1404-03-31"), gazetteer)
        runs.append(time.perf_counter() - t)
    out = {"words": 2000, "characters": len(article), "gazetteer_load_s": round(load, 3),
           "extract_median_s": round(statistics.median(runs), 3), "extract_max_s": round(max(runs), 3),
           "candidates": len(cands), "gazetteer_names": len(gazetteer.entries)}
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
