"""The main job: load, check (OWL, SHACL, QC queries), answer the stored queries, write artefacts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph

from .loading import load_dataset, load_shapes, project_version, union
from .namespaces import BASE, GRAPH, bind_prefixes
from .project import Project
from .queries import Result, StoredQuery, catalogue, read_expected, run_local
from .rdfdocs import nquads_text, trig_text
from .release import release_of
from .reasoning import ConsistencyResult, check_consistency
from .store import FastStore
from .validation import ValidationReport, validate_dataset

# fast: queries and SHACL (compiled to SPARQL) in Oxigraph; reference: rdflib's SPARQL and
# pySHACL. Both give the same answers and the same validation results (tests/test_engines.py).
ENGINES = {"fast": "store", "reference": "pyshacl"}


@dataclass
class CheckOutcome:
    consistency: ConsistencyResult | None = None
    shacl: ValidationReport | None = None
    qc_failures: dict[str, Result] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.consistency and self.consistency.ok and self.shacl and self.shacl.conforms and not self.qc_failures)

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
    dataset = dataset if dataset is not None else load_dataset(project)
    runner = runner or Runner(dataset, engine)
    outcome = CheckOutcome()
    outcome.consistency = check_consistency(release_of(dataset, project_version(project)))
    outcome.shacl = validate_dataset(dataset, load_shapes(project), ENGINES[runner.engine], runner.store)
    for query in catalogue(project).values():
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


def same_rows(a: Result, b: Result) -> bool:
    return a.variables == b.variables and sorted(a.rows) == sorted(b.rows)


def answer_all(project: Project, runner: Runner) -> list[Answer]:
    answers = []
    for query in catalogue(project).values():
        if query.kind != "cq":
            continue
        expected = read_expected(query) if query.expected_path.exists() else None
        answers.append(Answer(query, runner.run(query), expected))
    return answers


def render_answers(answers: list[Answer], runner: Runner | None = None) -> str:
    out = ["# Answers of the stored queries", "", "Every competency question, its current answer on the built graph, whether it equals the answer written by hand from the documents, and the passages each row rests on.", ""]
    for a in answers:
        h = a.query.header
        status = "matches the expected answer" if a.matches else "DIFFERS from the expected answer" if a.expected else "no expected answer"
        out += [f"## {a.query.id}: {a.query.title}", ""]
        if "title.fa" in h:
            out += [f'<p dir="rtl" lang="fa">{h["title.fa"]}</p>', ""]
        if "question.en" in h:
            out += [f"*{h['question.en']}*", ""]
        if "source" in h:
            out += [f"Source: {h['source']}", ""]
        out += [f"{len(a.result.rows)} row(s); {status}.", ""]
        if a.result.variables:
            columns = a.result.variables + (["sources"] if runner else [])
            out.append("| " + " | ".join(columns) + " |")
            out.append("|" + "---|" * len(columns))
            for row in a.result.rows:
                cells = list(row)
                if runner:
                    parameters = tuple(str(v) for v in a.query.bindings().values())
                    cells.append("; ".join(f"{doc}, {locator}" for doc, locator in row_sources(runner, row, parameters)) or "see Source above")
                out.append("| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in cells) + " |")
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


def write_artefacts(project: Project, dataset: Dataset, outcome: CheckOutcome, answers: list[Answer], runner: Runner | None = None) -> list[Path]:
    out = project.build_dir
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
