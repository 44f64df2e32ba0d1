"""Check verbatim quotes against the seed texts the graph cites.

The seed texts are PDF extractions: they drop ZWNJ, mix Arabic and Persian letter forms and
break lines anywhere, so both sides are normalised the same way before a quote is looked up.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from .namespaces import PD

_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def normalise(text: str) -> str:
    """Fold only what a PDF extraction blurs: ي/ی and ك/ک, ZWNJ and other invisible marks,
    diacritics, and whitespace (removed entirely, since extraction splits words at random)."""
    text = unicodedata.normalize("NFC", text).translate(_LETTERS)
    text = _INVISIBLE.sub("", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class QuoteProblem:
    evidence: str
    document: str
    reason: str

    def __str__(self) -> str:
        return f"{self.evidence} ({self.document}): {self.reason}"


def seed_texts(seeds_dir: Path) -> dict[str, str]:
    """Seed file name -> normalised text."""
    return {p.name: normalise(p.read_text(encoding="utf-8")) for p in sorted(seeds_dir.glob("*.txt"))}


def check_quotes(graph: Graph, seeds_dir: Path, max_words: int = 40) -> Iterator[QuoteProblem]:
    """Yield every piece of evidence whose quote is not found in its document's seed text."""
    texts = seed_texts(seeds_dir)
    for evidence, quote in sorted(graph.subject_objects(PD.quote)):
        doc = graph.value(evidence, PD.sourceDocument)
        seed = graph.value(doc, PD.seedFile) if doc is not None else None
        if seed is None:
            yield QuoteProblem(str(evidence), str(doc), "no pd:sourceDocument with a pd:seedFile")
            continue
        if str(seed) not in texts:
            yield QuoteProblem(str(evidence), str(doc), f"seed file {seed} not found in {seeds_dir}")
            continue
        if len(str(quote).split()) > max_words:
            yield QuoteProblem(str(evidence), str(doc), f"quote longer than {max_words} words")
        if normalise(str(quote)) not in texts[str(seed)]:
            yield QuoteProblem(str(evidence), str(doc), f"quote not in {seed}: {str(quote)[:60]}…")


def main(paths: Iterable[str]) -> int:
    graph = Graph()
    for path in paths:
        graph.parse(path)
    from .project import Project

    problems = list(check_quotes(graph, Project.locate().seeds_dir))
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
