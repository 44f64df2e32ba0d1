"""The one build pipeline: ``run`` loads the sources once, checks them (OWL, SHACL, QC, quotes),
answers and compares the stored queries, and hands back a :class:`Build`; ``write`` puts its
files in a folder, ``publish.site.publish`` its site, and ``publish.site.deliver`` does both into a staging
folder and moves them into build/ only when every check and every expected answer passed.

Every view of the sources (the unions of the ontology, data and all graphs, the Oxigraph
store, the ontology's release, the N-Quads and TriG texts) is made once, on first use, and
shared by every step: ``pdkg build``, ``validate``, ``publish``, ``query`` and ``bench`` are
thin wrappers over these functions.
"""

from __future__ import annotations

import html
import os
import re
import resource
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph

from paradiplomacy.check.quotes import QuoteCheck, check_dataset
from paradiplomacy.check.reasoner import ConsistencyResult, check_consistency
from paradiplomacy.discard import remove_later
from paradiplomacy.formats import ENGINES
from paradiplomacy.namespaces import DATA_GRAPHS, GRAPH, ID, bind_prefixes
from paradiplomacy.project import Project
from paradiplomacy.query.catalogue import Result, StoredQuery, catalogue, check_syntax, run_local
from paradiplomacy.query.engine import FastStore
from paradiplomacy.query.expected import Answer, answer_queries, same_rows
from paradiplomacy.rdf.bulk import BulkError, load_bulk, write_dump, write_nquads, write_trig
from paradiplomacy.rdf.cache import BuildCache
from paradiplomacy.rdf.load import load_shapes, load_sources, project_version, union
from paradiplomacy.rdf.release import release_graph
from paradiplomacy.rdf.serialize import nquads_text, trig_text

if TYPE_CHECKING:  # pySHACL loads only when a build validates, Jinja when it writes, not for `pdkg query`
    import jinja2

    from paradiplomacy.check.validation import ValidationReport

__all__ = ["Answer", "Build", "CheckOutcome", "Runner", "Sources", "answer_all", "canonicalise", "check",
           "load", "query_runner", "run", "same_rows", "write"]

#: the name under which the fused QC checks are timed (CheckOutcome.qc_seconds)
FUSED_QC = "qc: dangling-iri + missing-label + undeclared-term (fused)"
#: the stages ``run`` times, in the order it runs them (``write`` is "dumps", publishing "site")
STAGES = ("load", "canonicalisation", "reasoning", "validation", "queries")


@dataclass
class CheckOutcome:
    consistency: ConsistencyResult | None = None
    shacl: ValidationReport | None = None
    qc_failures: dict[str, Result] = field(default_factory=dict)
    quotes: QuoteCheck | None = None
    qc_seconds: dict[str, float] = field(default_factory=dict)  # per QC query, for the benchmark

    @property
    def ok(self) -> bool:
        return bool(self.consistency and self.consistency.ok and self.shacl and self.shacl.conforms and not self.qc_failures
                    and (self.quotes is None or self.quotes.ok))

    def render(self) -> str:
        lines = []
        if self.consistency:
            lines.append(f"OWL (HermiT): {self.consistency.message}")
        if self.shacl:
            lines.append(self.shacl.render())
        for qid, result in self.qc_failures.items():
            lines.append(f"QC {qid}: {len(result.rows)} row(s) that must not exist")
            lines += [f"  {', '.join(row)}" for row in result.rows[:20]]
        if self.shacl is not None and not self.qc_failures:
            lines.append("QC: every quality-check query returns nothing.")
        if self.quotes is not None:
            lines.append(self.quotes.render())
        return "\n".join(lines)


def query_graph(dataset: Dataset) -> Graph:
    """The union of every named graph: the graph the stored queries run on."""
    return union(dataset, str(GRAPH))


class Runner:
    """Runs stored queries on the graph of one engine: an Oxigraph store or rdflib's union graph."""

    def __init__(self, dataset: Dataset | None = None, engine: str = "fast", *, store: FastStore | None = None,
                 graph: Graph | None = None) -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r} (engines: {', '.join(ENGINES)})")
        self.engine = engine
        if engine == "fast":
            self.store, self.graph = store if store is not None else FastStore.from_dataset(dataset), None
        else:
            self.store, self.graph = None, graph if graph is not None else query_graph(dataset)

    def run(self, query: StoredQuery, values: dict[str, str] | None = None) -> Result:
        return self.store.run(query, values) if self.store else run_local(self.graph, query, values)

    def select(self, text: str) -> Result:
        if self.store:
            return self.store.select(text)
        result = self.graph.query(text)
        variables = [str(v) for v in result.vars or []]
        return Result(variables, [tuple("" if row[v] is None else str(row[v]) for v in variables) for row in result])


# The passages behind a row: the evidence of a fact the row names, or else of a fact that links
# two of the row's entities or an entity and a parameter (001's row of partner and country has
# no fact IRI of its own, but the relation links the partner to the city asked about). This
# query is the definition of one row's passages (row_sources); ``passages`` finds the same for
# every row of every answer in bulk.
ROW_SOURCES = """PREFIX pd: <https://w3id.org/paradiplomacy/ontology#>
SELECT DISTINCT ?doc ?locator WHERE {
  VALUES ?a { %s }
  { ?a pd:evidence ?ev }
  UNION
  { VALUES ?b { %s } ?fact ?p ?a ; ?q ?b ; pd:evidence ?ev . FILTER (?a != ?b) }
  ?ev pd:sourceDocument ?doc ; pd:locator ?locator .
}
ORDER BY ?doc ?locator
LIMIT 4"""

#: at most this many passages per row (ROW_SOURCES' LIMIT)
PASSAGES_PER_ROW = 4

# The two halves of ROW_SOURCES' union, each for many entities at once (``%s``: the VALUES
# block of the entities, which Oxigraph joins from). The ?a ?doc ?locator of an entity's own evidence:
ENTITY_EVIDENCE = """PREFIX pd: <https://w3id.org/paradiplomacy/ontology#>
SELECT DISTINCT ?a ?doc ?locator WHERE {
  %s
  ?a pd:evidence ?ev .
  ?ev pd:sourceDocument ?doc ; pd:locator ?locator .
}"""
# and the facts with evidence that name an entity (ROW_SOURCES' ?fact ?p ?a), with their passages:
LINKING_FACTS = """PREFIX pd: <https://w3id.org/paradiplomacy/ontology#>
SELECT DISTINCT ?a ?fact ?doc ?locator WHERE {
  %s
  ?fact ?p ?a ; pd:evidence ?ev .
  ?ev pd:sourceDocument ?doc ; pd:locator ?locator .
}"""
#: entities per bulk query on the fast engine: a VALUES block of a few hundred kB at most
BULK_VALUES = 20_000


def row_iris(row: Sequence[str], parameters: Sequence[str] = ()) -> tuple[str, ...]:
    """The entities of a row and of its query's parameters: the cells that are IRIs of the graph's instances."""
    return tuple(sorted({c for c in (*row, *parameters) if c.startswith(str(ID))}))


def row_sources(runner: Runner, row: tuple[str, ...], parameters: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The (document id, locator) pairs one row rests on: ROW_SOURCES, one query per row."""
    iris = row_iris(row, parameters)
    if not iris:
        return []
    values = " ".join(URIRef(i).n3() for i in iris)
    return [(doc.rsplit("/", 1)[-1], locator) for doc, locator in runner.select(ROW_SOURCES % (values, values)).rows]


def _bulk(runner: Runner, query: str, iris: Sequence[str]) -> list[tuple[str, ...]]:
    """The rows of ``query`` whose ?a is one of ``iris``."""
    if not iris:
        return []
    if runner.engine == "reference":
        # rdflib evaluates the pattern without the VALUES bindings and then joins every VALUES
        # row with every solution, one pair at a time (23 s for 411 entities on the real data);
        # the same pattern unrestricted, kept by a set, takes 1 s
        wanted = set(iris)
        return [row for row in runner.select(query % "").rows if row[0] in wanted]
    rows: list[tuple[str, ...]] = []
    for start in range(0, len(iris), BULK_VALUES):
        values = " ".join(URIRef(i).n3() for i in iris[start:start + BULK_VALUES])
        rows += runner.select(query % f"VALUES ?a {{ {values} }}").rows
    return rows


def passages(runner: Runner, answers: Iterable[Answer]) -> list[list[list[tuple[str, str]]]]:
    """Per answer, per row, the (document id, locator) pairs the row rests on: what row_sources
    gives for each row, found with two queries over all rows at once instead of one per row.

    A row's passages are the evidence of its entities, and of every fact that names two of them
    (ROW_SOURCES' ?fact ?p ?a ; ?q ?b); so the bulk queries fetch each entity's evidence and the
    facts naming it, and the facts of a pair are the intersection of its two entities' facts,
    found once per pair (every row of 001 pairs its partner with the city asked about). The
    passages are then ordered by document IRI and locator and cut to PASSAGES_PER_ROW, as the
    query's ORDER BY and LIMIT do: both are plain strings (an IRI; a locator is an xsd:string,
    EvidenceShape-locator), whose SPARQL order is the order of their code points, Python's."""
    answers = list(answers)
    entities = [[row_iris(row, tuple(str(v) for v in a.query.bindings().values())) for row in a.result.rows] for a in answers]
    every = sorted({iri for rows in entities for iris in rows for iri in iris})
    paired = sorted({iri for rows in entities for iris in rows if len(iris) > 1 for iri in iris})
    own: dict[str, set[tuple[str, str]]] = {}
    for a, doc, locator in _bulk(runner, ENTITY_EVIDENCE, every):
        own.setdefault(a, set()).add((doc, locator))
    facts: dict[str, set[str]] = {}
    evidence: dict[str, set[tuple[str, str]]] = {}
    for a, fact, doc, locator in _bulk(runner, LINKING_FACTS, paired):
        facts.setdefault(a, set()).add(fact)
        evidence.setdefault(fact, set()).add((doc, locator))
    by_pair: dict[tuple[str, str], frozenset[tuple[str, str]]] = {}

    def of_pair(a: str, b: str) -> frozenset[tuple[str, str]]:
        if (a, b) not in by_pair:
            shared = facts.get(a, set()) & facts.get(b, set())
            by_pair[a, b] = frozenset(p for fact in shared for p in evidence[fact])
        return by_pair[a, b]

    out = []
    for rows in entities:
        found = []
        for iris in rows:
            cited = set().union(*(own.get(a, ()) for a in iris),
                                *(of_pair(a, b) for i, a in enumerate(iris) for b in iris[i + 1:]))
            found.append([(doc.rsplit("/", 1)[-1], locator) for doc, locator in sorted(cited)[:PASSAGES_PER_ROW]])
        out.append(found)
    return out


# --- the sources and their views -----------------------------------------------------------------

def canonicalise(dataset: Dataset) -> Dataset:
    """Give the blank nodes of ``dataset`` (OWL restrictions, RDF lists) labels derived from their
    content, graph by graph and in place, so two builds of the same sources give byte-identical
    dumps. A graph without blank nodes is canonical already and is left as it is (at scale that
    is nearly every graph, and hashing it would cost as much as the rest of the build)."""
    for graph in list(dataset.graphs()):
        if not any(isinstance(term, BNode) for triple in graph for term in triple):
            continue
        canonical = list(to_canonical_graph(graph))
        graph.remove((None, None, None))
        for triple in canonical:
            graph.add(triple)
    return dataset


def canonical_dataset(dataset: Dataset) -> Dataset:
    """A canonical copy of ``dataset`` (see canonicalise), the original left untouched."""
    out = bind_prefixes(Dataset())
    for graph in dataset.graphs():
        if len(graph):
            out.graph(graph.identifier).__iadd__(graph)
    return canonicalise(out)


class Sources:
    """The sources of one checkout, loaded once (and canonicalised in place by ``run`` before any
    view is made), and every view of them made once on first use (cached_property): what every
    step of a build shares instead of re-deriving it."""

    def __init__(self, project: Project, engine: str, dataset: Dataset, cells: dict[str, str],
                 queries: dict[str, StoredQuery], cache: BuildCache | None = None,
                 bulk_graphs: frozenset[str] = frozenset(), bulk: Sequence[Path] = ()) -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r} (engines: {', '.join(ENGINES)})")
        self.project, self.engine, self.dataset, self.cells, self.queries = project, engine, dataset, cells, queries
        self.cache = cache
        # bulk N-Quads files (load's ``extra``): on the fast engine they go into the store only
        # (rdf/bulk.py) and ``dataset`` holds the sources of data/ and ontology/ alone; on the
        # reference engine (small sizes only) they are parsed into ``dataset`` as well
        self.bulk = tuple(bulk)
        self._bulk_graphs = bulk_graphs
        self._bulk_files: dict[str, Path] = {}
        self.qc_prefetch = None
        self._dumps: dict = {}  # write_nquads / write_trig -> the file it wrote (and its size)
        self._dumps_size: dict = {}
        self.version = project_version(project)

    @property
    def bulk_in_store(self) -> tuple[Path, ...]:
        """The bulk files that only the store holds (the fast engine's), not ``dataset``."""
        return self.bulk if self.engine == "fast" else ()

    @property
    def bulk_graphs(self) -> frozenset[str]:
        """The named graphs read from bulk files, not from data/: the site renders the entities
        only they describe on demand instead of writing a page each."""
        if self.bulk_in_store:
            self.runner  # noqa: B018 — the store learns them as it loads the files
            return frozenset(self._bulk_files)
        return self._bulk_graphs

    @property
    def bulk_files(self) -> dict[str, Path]:
        """Each bulk graph the store holds -> the file it came from (fast engine)."""
        if self.bulk_in_store:
            self.runner  # noqa: B018
        return dict(self._bulk_files)

    @cached_property
    def shapes(self) -> Graph:
        """The shapes, checked against SHACL's own shapes (a shape that is not SHACL is a SourceError)."""
        from paradiplomacy.check.validation import check_shapes

        check_shapes(self.project)
        return load_shapes(self.project, self.cache)

    @cached_property
    def ontology(self) -> Graph:
        """The union of the ontology's named graphs (one per module file)."""
        return union(self.dataset, f"{GRAPH}ontology/")

    @cached_property
    def data(self) -> Graph:
        """The union of the data graphs: the reference data and one graph per source document."""
        return union(self.dataset, DATA_GRAPHS)

    @cached_property
    def everything(self) -> Graph:
        """The union of every named graph: what the stored queries see and the union dumps hold."""
        return query_graph(self.dataset)

    @cached_property
    def release(self) -> Graph:
        """The ontology's release (rdf/release.py): what HermiT checks and build/ontology.ttl holds."""
        return release_graph(self.ontology, self.version)

    @cached_property
    def nquads(self) -> str:
        """The dataset as sorted N-Quads: the text the Oxigraph store is loaded from, and the dump
        when no bulk file sits in the store (else write_nquads merges the two)."""
        return nquads_text(self.dataset)

    @cached_property
    def trig(self) -> str:
        """The dataset's named graphs as sorted TriG (the bulk graphs in the store are not in it: write_trig)."""
        return trig_text(self.dataset)

    @cached_property
    def runner(self) -> Runner:
        if self.engine == "reference":
            return Runner(engine="reference", graph=self.everything)
        if self.bulk_in_store and self.cache is not None:
            from paradiplomacy.check.qc import Prefetch

            # the QC index of each bulk file is made by a child process while this one loads it
            self.qc_prefetch = Prefetch(self.bulk_in_store, self.cache)
        store = FastStore()
        store.store.load(self.nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        if self.bulk_in_store:
            sizes = {str(g.identifier): len(g) for g in self.dataset.graphs()
                     if len(g) and str(g.identifier).startswith(str(GRAPH))}
            self._bulk_files = load_bulk(store.store, self.bulk_in_store, sizes)
        return Runner(engine="fast", store=store)

    def write_nquads(self, path: Path) -> Path:
        """The sorted N-Quads dump of everything, the bulk graphs streamed from the store."""
        if not self.bulk_in_store:
            path.write_text(self.nquads, encoding="utf-8")
            return path
        return self._written_once(path, write_nquads, self.nquads)

    def write_trig(self, path: Path) -> Path:
        """The TriG dump of everything: the sources' graphs, then the bulk graphs from the store."""
        if not self.bulk_in_store:
            path.write_text(self.trig, encoding="utf-8")
            return path
        return self._written_once(path, write_trig, self.trig)

    def _written_once(self, path: Path, writer, sources: str) -> Path:
        """A dump with bulk graphs is written once per build: the site's copy (publish) is a hard
        link to build/'s (write), or a copy where no link can be made; at 10^7 a dump costs a minute."""
        earlier = self._dumps.get(writer)
        if earlier is not None and earlier.is_file() and earlier.stat().st_size == self._dumps_size[writer]:
            path.unlink(missing_ok=True)
            try:
                os.link(earlier, path)
            except OSError:
                shutil.copyfile(earlier, path)
            return path
        write_dump(path, writer, sources, self.runner.store.store, self.bulk_files)
        self._dumps[writer], self._dumps_size[writer] = path, path.stat().st_size
        return path


def load(project: Project, engine: str = "fast", extra: Sequence[Path] = (), cached: bool = True) -> Sources:
    """Read every source (a SourceError or QueryError, exit 2, names the file) and parse every
    stored query before any check runs. ``extra`` are bulk N-Quads files loaded beside the
    sources, graph for graph (``pdkg build --bulk``, the benchmark's synthetic graphs; never a
    file of data/): on the fast engine into the store only, when it is made (rdf/bulk.py; a
    file that does not parse is a BulkError naming its line), on the reference engine into the
    rdflib dataset too. ``cached``: an unchanged Turtle source is read from the build cache
    (rdf/cache.py, build/cache/)."""
    cache = BuildCache.of(project) if cached else None
    dataset, cells = load_sources(project, cache)
    bulk = frozenset()
    if extra and engine != "fast":
        before = {str(g.identifier) for g in dataset.graphs()}
        for path in extra:
            try:
                dataset.parse(str(path), format="nquads")
            except Exception as err:  # rdflib's parsers raise several kinds
                raise BulkError(f"{path}: not N-Quads: {err}") from None
        bulk = frozenset(str(g.identifier) for g in dataset.graphs()) - before
    queries = catalogue(project)
    for query in queries.values():
        check_syntax(query, project.relative(query.path))
    return Sources(project, engine, dataset, cells, queries, cache, bulk, extra)


def check(sources: Sources, clock: Callable[[str], None] = lambda stage: None) -> CheckOutcome:
    """OWL (HermiT on the release), SHACL and the quotes, then the QC queries: each a failed check
    (exit 1) when it finds something. ``clock(stage)`` is called as each stage ends."""
    from paradiplomacy.check.validation import validate_dataset

    outcome = CheckOutcome()
    outcome.consistency = check_consistency(sources.release)
    clock("reasoning")
    runner = sources.runner
    outcome.shacl = validate_dataset(sources.dataset, sources.shapes, ENGINES[sources.engine], runner.store,
                                     data=sources.data, ontology=sources.ontology, bulk=sources.bulk_files)
    outcome.quotes = check_dataset(sources.dataset, sources.project.seeds_dir, sources.cells, sources.data,
                                   stored=sources.project.data_dir.glob("sources/*/*.txt"))
    clock("validation")
    # the three scans of every triple (dangling-iri, missing-label, undeclared-term) in one pass
    # over the dataset (check/qc.py); the queries in queries/qc/ stay their published definition
    from paradiplomacy.check import qc

    start = time.perf_counter()
    # a bulk file's index comes from the child started with the store (Sources.runner), or is made here
    outcome.qc_failures.update(qc.check(sources.dataset, runner.store, bulk=sources.bulk_in_store, cache=sources.cache,
                                        prefetch=sources.qc_prefetch))
    outcome.qc_seconds[FUSED_QC] = round(time.perf_counter() - start, 4)
    for query in sources.queries.values():
        if query.kind == "qc" and query.id not in qc.FUSED:
            start = time.perf_counter()
            result = runner.run(query)
            outcome.qc_seconds[query.id] = round(time.perf_counter() - start, 4)
            if result.rows:
                outcome.qc_failures[query.id] = result
    outcome.qc_failures = {q: outcome.qc_failures[q] for q in sources.queries if q in outcome.qc_failures}  # the catalogue's order
    return outcome


def answer_all(project: Project, runner: Runner) -> list[Answer]:
    """Every competency query of ``project`` answered by ``runner``, beside its expected answer."""
    return answer_queries(catalogue(project).values(), runner.run)


@dataclass(frozen=True, eq=False)
class Build:
    """One run of the pipeline: its sources and views, what the checks found, the answers and
    the passages of their rows, and the seconds each stage took (STAGES; ``query_seconds`` per
    stored query). Nothing in it changes after ``run`` returns it."""

    sources: Sources
    outcome: CheckOutcome
    answers: tuple[Answer, ...] = ()
    passages: tuple[list[list[tuple[str, str]]], ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    query_seconds: dict[str, float] = field(default_factory=dict)
    answered: bool = False
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds per stage (cpu_seconds)

    @property
    def project(self) -> Project:
        return self.sources.project

    @property
    def dataset(self) -> Dataset:
        return self.sources.dataset

    @property
    def runner(self) -> Runner:
        return self.sources.runner

    @property
    def wrong(self) -> list[Answer]:
        """The answers that differ from their expected answers."""
        return [a for a in self.answers if a.differs]

    @property
    def ok(self) -> bool:
        """Every check passed and every answer equals its expected one: the build may be written."""
        return self.outcome.ok and self.answered and not self.wrong

    def report(self) -> str:
        """What a reader needs to know: the checks, then the answers and the row diff of each wrong one."""
        lines = [self.outcome.render()]
        if not self.outcome.ok:
            return lines[0]
        relative = self.project.relative
        lines.append(f"{len(self.answers)} stored queries answered; {len(self.answers) - len(self.wrong)} match their expected answers.")
        for a in self.wrong:
            lines.append(f"{a.query.id}: DIFFERS from {relative(a.query.expected_path)} (- expected, + answered)")
            lines += a.diff()
        return "\n".join(lines)

    def refusal(self) -> str:
        """Why this build must not be written, or "" when it may."""
        if not self.outcome.ok:
            return "the graph is not valid; nothing was published (see the report above)"
        if not self.answered:
            return "the stored queries were not answered (run(..., answer=True))"
        if self.wrong:
            return ("answers differ from the expected ones: " + ", ".join(a.query.id for a in self.wrong)
                    + "; nothing was written or published, build/ was left as it was (check the diff against the documents;"
                    " `pdkg answers --update ID` rewrites an expected file)")
        return ""


def cpu_seconds() -> float:
    """CPU seconds of this process and of its children that ended (the site's forked writers, HermiT's JVM)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class _Clock:
    """Wall and CPU seconds per stage: on a shared machine the wall time also counts the waits for a core."""

    def __init__(self, timings: dict[str, float], cpu: dict[str, float], on_stage: Callable[[str], None] | None = None) -> None:
        self.timings, self.cpu, self.start, self.start_cpu = timings, cpu, time.perf_counter(), cpu_seconds()
        self.on_stage = on_stage

    def __call__(self, stage: str) -> None:
        now, now_cpu = time.perf_counter(), cpu_seconds()
        self.timings[stage] = round(self.timings.get(stage, 0.0) + now - self.start, 3)
        self.cpu[stage] = round(self.cpu.get(stage, 0.0) + now_cpu - self.start_cpu, 3)
        self.start, self.start_cpu = now, now_cpu
        if self.on_stage is not None:
            self.on_stage(stage)


def run(project: Project, engine: str = "fast", *, answer: bool = True, extra: Sequence[Path] = (),
        answer_invalid: bool = False, timings: dict[str, float] | None = None, cpu: dict[str, float] | None = None,
        on_stage: Callable[[str], None] | None = None) -> Build:
    """The pipeline up to what is written: load (``extra`` as for load), canonicalise, check, and,
    when the checks pass (or ``answer_invalid``: the benchmark, which measures every stage) and
    ``answer`` is set, answer the stored queries, compare them with their expected answers and
    find the passages of each row. Nothing is written. The seconds of each stage go into
    ``timings`` and ``cpu`` (new dicts when None) as each ends, and ``on_stage(stage)`` is
    called then (the benchmark keeps the figures of a run it has to stop)."""
    timings = {} if timings is None else timings
    cpu = {} if cpu is None else cpu
    clock = _Clock(timings, cpu, on_stage)
    sources = load(project, engine, extra)
    sources.shapes  # noqa: B018 — read (and checked) before any check runs
    clock("load")
    canonicalise(sources.dataset)
    clock("canonicalisation")
    sources.runner  # noqa: B018 — the store is loaded here, so "load" is not hidden in "validation"
    clock("load")
    outcome = check(sources, clock)
    query_seconds: dict[str, float] = {}
    answers: list[Answer] = []
    rows: list = []
    answered = answer and (outcome.ok or answer_invalid)
    if answered:
        runner = sources.runner

        def timed(query: StoredQuery) -> Result:
            start = time.perf_counter()
            result = runner.run(query)
            query_seconds[query.id] = round(time.perf_counter() - start, 4)
            return result

        answers = answer_queries(sources.queries.values(), timed)
        rows = passages(runner, answers)
    clock("queries")
    return Build(sources, outcome, tuple(answers), tuple(rows), timings, query_seconds, answered, cpu)


def query_runner(project: Project, engine: str = "fast") -> Runner:
    """The runner of `pdkg query` and `pdkg answers`: on the build's N-Quads while they are newer
    than every source (fast engine; no parse of the sources), else on the sources loaded."""
    from paradiplomacy.query.engine import built_store

    store = built_store(project) if engine == "fast" else None
    return Runner(engine="fast", store=store) if store is not None else load(project, engine).runner


# --- what a build writes ------------------------------------------------------------------------

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]|])")


def md_text(text: str) -> str:
    """Data as Markdown that stays text: HTML escaped (answers.html would pass a tag through)
    and Markdown's own syntax backslashed (a cell "[x](javascript:…)" must not become a link)."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(text, quote=True)).replace("\n", " ")


@lru_cache(maxsize=1)
def _markdown() -> jinja2.Environment:
    """The templates of what ``write`` puts beside the dumps (src/paradiplomacy/templates/; the
    site's own are in publish/templates/, a layer above this one). ``finalize`` is their
    autoescape: every value a template prints passes md_text."""
    import jinja2  # only a build writes answers.md, not `pdkg query`

    return jinja2.Environment(loader=jinja2.PackageLoader("paradiplomacy", "templates"), autoescape=False,
                              undefined=jinja2.StrictUndefined, finalize=lambda value: md_text(str(value)),
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render_answers(answers: Sequence[Answer], runner: Runner | None = None, sources: Sequence | None = None) -> str:
    """answers.md, from the template templates/answers.md.jinja: ``sources`` are the passages of
    each row (passages()), found with ``runner`` when not given; with neither, the table has no
    column of sources."""
    if sources is None and runner is not None:
        sources = passages(runner, answers)
    entries = list(zip(answers, sources, strict=True)) if sources is not None else [(a, None) for a in answers]
    return _markdown().get_template("answers.md.jinja").render(entries=entries)


def write(build: Build, out: Path) -> list[Path]:
    """The build's files (PRODUCTS but the site) in ``out``: dumps, release, report, answers."""
    out.mkdir(parents=True, exist_ok=True)
    sources = build.sources
    written = [sources.write_trig(out / "paradiplomacy.trig"), sources.write_nquads(out / "paradiplomacy.nq")]
    files = {"ontology.ttl": bind_prefixes(sources.release).serialize(format="longturtle")}
    if build.outcome.shacl is not None:
        files["validation-report.ttl"] = bind_prefixes(build.outcome.shacl.graph).serialize(format="longturtle")
    files["answers.md"] = render_answers(build.answers, sources=build.passages)
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
    return written + [out / name for name in files]


# --- a build that loses nothing -------------------------------------------------------------------
# A build writes everything into build/.staging-<pid>/ and moves it into build/ only when every
# check and every expected answer passed. The move renames each product (a file or site/) after
# parking the old one in build/.previous/; a build killed during the move is undone by the next
# one (recover), so build/ always holds one whole build. Other things in build/ (bench/, test
# artefacts, exports) are left alone.
PRODUCTS = ("paradiplomacy.trig", "paradiplomacy.nq", "ontology.ttl", "validation-report.ttl", "answers.md", "site")
PREVIOUS, DISCARD, FAILED, STAGING = ".previous", ".discard", ".failed", ".staging-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def recover(project: Project) -> list[str]:
    """Undo a commit that was interrupted (put back the parked products) and remove what dead
    builds left; returns the products put back."""
    out, restored = project.build_dir, []
    previous = out / PREVIOUS
    if previous.is_dir():
        for entry in sorted(previous.iterdir()):
            _remove(out / entry.name)
            entry.rename(out / entry.name)
            restored.append(entry.name)
        previous.rmdir()
    for stale in sorted(out.glob(DISCARD + "*")) + sorted(out.glob(STAGING + "*")):
        pid = stale.name.rsplit("-", 1)[-1]
        if stale.name.startswith(DISCARD):  # perhaps still being deleted in the background
            shutil.rmtree(stale, ignore_errors=True) if stale.is_dir() else stale.unlink(missing_ok=True)
        elif not pid.isdigit() or not _alive(int(pid)):
            _remove(stale)
    return restored


def staging_dir(project: Project) -> Path:
    recover(project)
    staging = project.build_dir / f"{STAGING}{os.getpid()}"
    _remove(staging)
    staging.mkdir(parents=True)
    return staging


def commit(project: Project, staging: Path) -> list[Path]:
    """Move the staged products into build/ (see above); returns them at their new place."""
    recover(project)  # a commit interrupted before this one is undone, never overwritten
    out = project.build_dir
    previous = out / PREVIOUS
    previous.mkdir()
    names = [name for name in PRODUCTS if (staging / name).exists()]
    for name in PRODUCTS:  # every old product is parked, also one this build does not make
        if (out / name).exists():
            (out / name).rename(previous / name)
    for name in names:
        (staging / name).rename(out / name)
    # the commit is done once .previous is gone: renamed first, so a kill while deleting it
    # can never be mistaken for an interrupted commit
    discard = out / f"{DISCARD}{os.getpid()}"
    previous.rename(discard)
    remove_later(discard)  # the old site may be a million files: deleted in the background (discard.py)
    _remove(staging)
    return [out / name for name in names]


def keep_failed(project: Project, staging: Path) -> Path:
    """A failed build's files, kept for inspection in build/.failed/ (build/ itself is untouched)."""
    failed = project.build_dir / FAILED
    _remove(failed)
    staging.rename(failed)
    return failed
