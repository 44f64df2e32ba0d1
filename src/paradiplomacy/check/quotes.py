"""Check verbatim quotes against the seed texts the graph cites.

The seed texts are PDF extractions: they drop ZWNJ, mix Arabic and Persian letter forms and
break lines anywhere, so both sides are normalised the same way before a quote is looked up.

The check takes evidence records (whatever holds them: the graph, or a table whose rows name
file:row:column) and returns problems, each with the closest passage of the source text, so a
maintainer sees at once whether a quote was mistyped, shortened or invented.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz
from rdflib import Dataset, Graph

from paradiplomacy.namespaces import DATA_GRAPHS, PD, graph_location

_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
MAX_WORDS = 40


def _folded(ch: str) -> str:
    """What one (NFC) character becomes: nothing for what a PDF extraction blurs away."""
    if ch.isspace() or _INVISIBLE.match(ch) or unicodedata.combining(ch):
        return ""
    return ch.translate(_LETTERS)


def normalise(text: str) -> str:
    """Fold only what a PDF extraction blurs: ي/ی and ك/ک, ZWNJ and other invisible marks,
    diacritics, and whitespace (removed entirely, since extraction splits words at random)."""
    return "".join(_folded(ch) for ch in unicodedata.normalize("NFC", text))


class SeedText:
    """One source text, normalised, with the way back from a normalised span to the original."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.original = unicodedata.normalize("NFC", text)
        kept, where = [], []
        for i, ch in enumerate(self.original):
            folded = _folded(ch)
            kept.append(folded)
            where += [i] * len(folded)
        self.normalised, self._where = "".join(kept), where

    def __contains__(self, quote: str) -> bool:
        return normalise(quote) in self.normalised

    def closest(self, quote: str) -> tuple[float, str]:
        """The passage of the original text most like ``quote`` (rapidfuzz's best partial
        alignment) and its similarity in percent."""
        needle = normalise(quote)
        if not needle or not self.normalised:
            return 0.0, ""
        match = fuzz.partial_ratio_alignment(needle, self.normalised)
        if match is None:  # rapidfuzz's answer below a cutoff; with none given it always aligns
            return 0.0, ""
        start, end = self._where[match.dest_start], self._where[max(match.dest_end - 1, match.dest_start)] + 1
        return match.score, re.sub(r"\s+", " ", self.original[start:end]).strip()


def _short(iri: str) -> str:
    from paradiplomacy.rdf.serialize import compact

    return compact(iri) or iri


def seed_texts(seeds_dir: Path) -> dict[str, SeedText]:
    """Seed file name -> its text."""
    return {p.name: SeedText(p.name, p.read_text(encoding="utf-8")) for p in sorted(seeds_dir.glob("*.txt"))}


@dataclass(frozen=True)
class Evidence:
    """One quote to check: ``where`` is the place a maintainer edits (``data/x.ttl`` or
    ``data/x.csv:12:5``), ``seed_file`` the text file of the document (None if unknown)."""

    id: str
    document: str
    seed_file: str | None
    quote: str
    where: str = ""
    fact: str = ""  # what the quote is evidence for, as the maintainer knows it (CURIE or row id)


@dataclass(frozen=True)
class QuoteProblem:
    evidence: str
    document: str
    reason: str
    where: str = ""
    fact: str = ""
    quote: str = ""
    closest: str = ""
    similarity: float = 0.0

    def __str__(self) -> str:
        place = f"{self.where}: " if self.where else ""
        fact = f"{self.fact}, evidence " if self.fact else ""
        text = f"{place}{fact}{_short(self.evidence)} ({_short(self.document)}): {self.reason}"
        if self.quote:
            text += f"\n    quote:   «{self.quote}»"
        if self.closest:
            text += f"\n    closest: «{self.closest}» ({self.similarity:.0f}% alike)"
        return text


def check_evidence(records: Iterable[Evidence], texts: dict[str, SeedText], max_words: int = MAX_WORDS) -> list[QuoteProblem]:
    """Every record whose quote is not in its document's seed text (or is too long to be a
    quote, or names no text that exists), sorted by place and evidence."""
    problems = []
    for ev in records:
        def problem(reason: str, closest: tuple[float, str] = (0.0, ""), ev: Evidence = ev) -> QuoteProblem:
            return QuoteProblem(ev.id, ev.document, reason, ev.where, ev.fact, ev.quote, closest[1], closest[0])

        if ev.seed_file is None:
            problems.append(problem("no pd:sourceDocument with a pd:seedFile"))
            continue
        text = texts.get(ev.seed_file)
        if text is None:
            problems.append(problem(f"seed file {ev.seed_file} is missing"))
            continue
        if len(ev.quote.split()) > max_words:
            problems.append(problem(f"quote longer than {max_words} words"))
        if ev.quote not in text:
            problems.append(problem(f"quote not found in {ev.seed_file}", text.closest(ev.quote)))
    return sorted(problems, key=lambda p: (p.where, p.evidence, p.reason))


def evidence_records(graph: Graph, files: dict[str, str] | None = None) -> Iterator[Evidence]:
    """The evidence of ``graph``; ``files`` maps an evidence IRI to the file that states it."""
    files = files or {}
    for evidence, quote in sorted(graph.subject_objects(PD.quote)):
        doc = graph.value(evidence, PD.sourceDocument)
        seed = graph.value(doc, PD.seedFile) if doc is not None else None
        facts = " ".join(sorted(_short(str(f)) for f in graph.subjects(PD.evidence, evidence)))
        yield Evidence(str(evidence), str(doc), None if seed is None else str(seed), str(quote), files.get(str(evidence), ""), facts)


def dataset_records(dataset: Dataset, cells: dict[str, str] | None = None, data: Graph | None = None) -> list[Evidence]:
    """The evidence of every data file of the dataset, each with its file: the cell of its quote
    (``cells``, file:row:column of quotes read from tables, as rdf.load.load_sources gives them),
    else the file of its graph. ``data`` is the union of the data graphs, if already made."""
    from paradiplomacy.rdf.load import union

    cells = cells or {}
    files = {}
    for graph in dataset.graphs():
        name = str(graph.identifier)
        if name.startswith(DATA_GRAPHS):
            for evidence in graph.subjects(PD.quote, None):
                files[str(evidence)] = cells.get(str(evidence), graph_location(name))
    return list(evidence_records(data if data is not None else union(dataset, DATA_GRAPHS), files))


@dataclass
class QuoteCheck:
    """The outcome of the build's quote check: ``checked`` is False when no source text was found."""

    seeds_dir: Path
    checked: bool
    records: int
    problems: list[QuoteProblem]

    @property
    def ok(self) -> bool:
        return not self.problems

    def render(self) -> str:
        if not self.checked:
            return (f"Quotes: NOT checked: no source texts in {self.seeds_dir} (put shared/seeds beside the "
                    "checkout or set PDKG_SEEDS); the graph is built without this check.")
        if not self.problems:
            return f"Quotes: all {self.records} quotes found in their source texts ({self.seeds_dir})."
        lines: list[str] = []
        missing: dict[str, list[QuoteProblem]] = {}
        for p in self.problems:
            if p.reason.endswith(" is missing"):  # one line per absent file, not one per quote
                missing.setdefault(p.reason, []).append(p)
            else:
                lines.append(f"  {p}")
        for reason, group in sorted(missing.items()):
            files = sorted({p.where for p in group if p.where})
            lines.append(f"  {reason} (in {self.seeds_dir}): {len(group)} quote(s) of {', '.join(files)} cannot be checked")
        return "\n".join([f"Quotes: {len(self.problems)} problem(s) in {self.records} quotes:", *lines])


def check_dataset(dataset: Dataset, seeds_dir: Path, cells: dict[str, str] | None = None, data: Graph | None = None,
                  stored: Iterable[Path] = ()) -> QuoteCheck:
    """The build's check: every quote of the data against the texts in ``seeds_dir`` and the
    ``stored`` ones (the texts `pdkg ingest` saved in their source folders); ``cells`` and
    ``data`` as for dataset_records."""
    records = dataset_records(dataset, cells, data)
    if not seeds_dir.is_dir() or not any(seeds_dir.glob("*.txt")):
        return QuoteCheck(seeds_dir, False, len(records), [])
    texts = {p.name: SeedText(p.name, p.read_text(encoding="utf-8")) for p in sorted(stored)} | seed_texts(seeds_dir)
    return QuoteCheck(seeds_dir, True, len(records), check_evidence(records, texts))


def check_quotes(graph: Graph, seeds_dir: Path, max_words: int = MAX_WORDS) -> Iterator[QuoteProblem]:
    """Every piece of evidence of ``graph`` whose quote is not found in its document's seed text."""
    yield from check_evidence(evidence_records(graph), seed_texts(seeds_dir), max_words)
