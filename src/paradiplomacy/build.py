"""The main job: load, check (OWL, SHACL, QC queries), answer the stored queries, write artefacts."""

from __future__ import annotations

import html
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph

from paradiplomacy.check.quotes import QuoteCheck, check_dataset
from paradiplomacy.check.reasoner import ConsistencyResult, check_consistency
from paradiplomacy.discard import remove_later
from paradiplomacy.formats import ENGINES
from paradiplomacy.namespaces import BASE, GRAPH, bind_prefixes
from paradiplomacy.project import Project
from paradiplomacy.query.catalogue import Result, StoredQuery, catalogue, check_syntax, read_expected, run_local
from paradiplomacy.query.engine import FastStore
from paradiplomacy.query.expected import same_rows
from paradiplomacy.rdf.load import load_dataset, load_shapes, project_version, union
from paradiplomacy.rdf.release import release_of
from paradiplomacy.rdf.serialize import nquads_text, trig_text

if TYPE_CHECKING:  # pySHACL loads only when a build validates, not for `pdkg query`
    from paradiplomacy.check.validation import ValidationReport



@dataclass
class CheckOutcome:
    consistency: ConsistencyResult | None = None
    shacl: ValidationReport | None = None
    qc_failures: dict[str, Result] = field(default_factory=dict)
    quotes: QuoteCheck | None = None

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

    def __init__(self, dataset: Dataset, engine: str = "fast") -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r} (engines: {', '.join(ENGINES)})")
        self.engine = engine
        self.store = FastStore.from_dataset(dataset) if engine == "fast" else None
        self.graph = None if self.store else query_graph(dataset)

    @classmethod
    def from_dump(cls, path: Path) -> Runner:
        """A fast-engine runner on a dump the build wrote (no parse of the sources)."""
        runner = cls.__new__(cls)
        runner.engine, runner.graph, runner.store = "fast", None, FastStore()
        runner.store.load_file(path, trusted=True)
        return runner

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
# no fact IRI of its own, but the relation links the partner to the city asked about).
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


def row_sources(runner: Runner, row: tuple[str, ...], parameters: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    iris = sorted({c for c in row + parameters if c.startswith(BASE + "id/")})
    if not iris:
        return []
    values = " ".join(URIRef(i).n3() for i in iris)
    return [(doc.rsplit("/", 1)[-1], locator) for doc, locator in runner.select(ROW_SOURCES % (values, values)).rows]


def check(project: Project, dataset: Dataset | None = None, engine: str = "fast", runner: Runner | None = None) -> CheckOutcome:
    """Every source is read or the check stops (SourceError, QueryError: exit 2); then OWL, SHACL,
    the QC queries and the quotes, each a failed check (exit 1) when it finds something."""
    from paradiplomacy.check.validation import check_shapes, validate_dataset

    dataset = dataset if dataset is not None else load_dataset(project)
    check_shapes(project)
    stored = catalogue(project)
    for query in stored.values():
        check_syntax(query, project.relative(query.path))
    runner = runner or Runner(dataset, engine)
    outcome = CheckOutcome()
    outcome.consistency = check_consistency(release_of(dataset, project_version(project)))
    outcome.shacl = validate_dataset(dataset, load_shapes(project), ENGINES[runner.engine], runner.store)
    outcome.quotes = check_dataset(dataset, project.seeds_dir)
    for query in stored.values():
        if query.kind == "qc":
            result = runner.run(query)
            if result.rows:
                outcome.qc_failures[query.id] = result
    return outcome


@dataclass
class Answer:
    query: StoredQuery
    result: Result
    expected: Result | None

    @property
    def matches(self) -> bool:
        return self.expected is not None and same_rows(self.result, self.expected)


def answer_all(project: Project, runner: Runner) -> list[Answer]:
    answers = []
    for query in catalogue(project).values():
        if query.kind != "cq":
            continue
        expected = read_expected(query) if query.expected_path.exists() else None
        answers.append(Answer(query, runner.run(query), expected))
    return answers


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]|])")


def md_text(text: str) -> str:
    """Data as Markdown that stays text: HTML escaped (answers.html would pass a tag through)
    and Markdown's own syntax backslashed (a cell "[x](javascript:…)" must not become a link)."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(text, quote=True)).replace("\n", " ")


def render_answers(answers: list[Answer], runner: Runner | None = None) -> str:
    out = ["# Answers of the stored queries", "", "Every competency question, its current answer on the built graph, whether it equals the answer written by hand from the documents, and the passages each row rests on.", ""]
    for a in answers:
        h = a.query.header
        status = "matches the expected answer" if a.matches else "DIFFERS from the expected answer" if a.expected else "no expected answer"
        out += [f"## {md_text(a.query.id)}: {md_text(a.query.title)}", ""]
        if "title.fa" in h:
            out += [f'<p dir="rtl" lang="fa">{md_text(h["title.fa"])}</p>', ""]
        if "question.en" in h:
            out += [f"*{md_text(h['question.en'])}*", ""]
        if "source" in h:
            out += [f"Source: {md_text(h['source'])}", ""]
        out += [f"{len(a.result.rows)} row(s); {status}.", ""]
        if a.result.variables:
            columns = a.result.variables + (["sources"] if runner else [])
            out.append("| " + " | ".join(md_text(c) for c in columns) + " |")
            out.append("|" + "---|" * len(columns))
            for row in a.result.rows:
                cells = list(row)
                if runner:
                    parameters = tuple(str(v) for v in a.query.bindings().values())
                    cells.append("; ".join(f"{doc}, {locator}" for doc, locator in row_sources(runner, row, parameters)) or "see Source above")
                out.append("| " + " | ".join(md_text(cell) for cell in cells) + " |")
        out.append("")
    return "\n".join(out)


def canonical_dataset(dataset: Dataset) -> Dataset:
    """A copy whose blank nodes (OWL restrictions, RDF lists) get labels derived from their
    content, so two builds of the same sources give byte-identical dumps. A canonical dataset
    is returned as it is, so the build's artefacts and its site share one canonicalisation."""
    if getattr(dataset, "pdkg_canonical", False):
        return dataset
    out = bind_prefixes(Dataset())
    for graph in dataset.graphs():
        if len(graph):
            named = out.graph(graph.identifier)
            for triple in to_canonical_graph(graph):
                named.add(triple)
    out.pdkg_canonical = True
    return out


def write_artefacts(project: Project, dataset: Dataset, outcome: CheckOutcome, answers: list[Answer],
                    runner: Runner | None = None, out: Path | None = None) -> list[Path]:
    """The build's files, in ``out`` (a staging folder from staging_dir; build/ by default)."""
    out = out or project.build_dir
    out.mkdir(parents=True, exist_ok=True)
    written = []
    dataset = canonical_dataset(dataset)
    (out / "paradiplomacy.trig").write_text(trig_text(dataset), encoding="utf-8")
    (out / "paradiplomacy.nq").write_text(nquads_text(dataset), encoding="utf-8")
    written += [out / "paradiplomacy.trig", out / "paradiplomacy.nq"]
    ontology = release_of(dataset, project_version(project))
    (out / "ontology.ttl").write_text(bind_prefixes(ontology).serialize(format="longturtle"), encoding="utf-8")
    written.append(out / "ontology.ttl")
    if outcome.shacl is not None:
        (out / "validation-report.ttl").write_text(bind_prefixes(outcome.shacl.graph).serialize(format="longturtle"), encoding="utf-8")
        written.append(out / "validation-report.ttl")
    (out / "answers.md").write_text(render_answers(answers, runner), encoding="utf-8")
    written.append(out / "answers.md")
    return written


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
