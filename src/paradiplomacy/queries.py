"""The catalogue of stored SPARQL queries: their headers, parameters, and how they run.

A stored query is ``queries/cq/<NNN>-<slug>.rq`` (a competency question) or
``queries/qc/<check>-violation.rq`` (a quality check that must return no rows). Its header is
a block of ``# key: value`` comment lines; ``# param: name = default (kind)`` declares a
parameter, bound as an RDF term through initBindings (or a VALUES block built from terms on
a remote endpoint), never pasted into the query text.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD

from .namespaces import PREFIXES
from .project import Project, ProjectError
from .query_guard import QueryRefused, services


def _services(text: str) -> list[str]:
    try:
        return services(text)
    except QueryRefused:  # it does not parse: the syntax check reports that, under its own name
        return []

_HEADER = re.compile(r"^#\s*([a-z][a-z.-]*)\s*:\s*(.*)$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*=\s*(?P<default>\S+)\s*\((?P<kind>iri|string|integer|year)\)\s*(?P<doc>.*)$")


class QueryError(ProjectError):
    """An unknown query or parameter, or a value of the wrong kind; lists what exists."""


@dataclass(frozen=True)
class Parameter:
    name: str
    default: str
    kind: str
    doc: str

    def to_term(self, value: str) -> URIRef | Literal:
        if self.kind == "iri":
            return expand_iri(value, self.name)
        if self.kind == "integer":
            if not re.fullmatch(r"-?\d+", value):
                raise QueryError(f"parameter {self.name!r} expects an integer, got {value!r}")
            return Literal(int(value))
        if self.kind == "year":
            if not re.fullmatch(r"\d{4}", value):
                raise QueryError(f"parameter {self.name!r} expects a year (YYYY), got {value!r}")
            return Literal(value, datatype=XSD.gYear)
        return Literal(value)


def expand_iri(value: str, name: str = "value") -> URIRef:
    """``city:tehran`` or ``<https://…>`` or ``https://…`` -> URIRef; anything else is refused."""
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if re.match(r"^https?://\S+$", value):
        return URIRef(value)
    prefix, _, local = value.partition(":")
    if prefix in PREFIXES and local and re.fullmatch(r"[\w.-]+", local):
        return URIRef(PREFIXES[prefix] + local)
    raise QueryError(f"parameter {name!r} expects an IRI (e.g. city:tehran or https://…), got {value!r}")


@dataclass(frozen=True)
class StoredQuery:
    id: str
    kind: str  # "cq" or "qc"
    path: Path
    text: str
    header: dict[str, str]
    parameters: dict[str, Parameter] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.header.get("title.en", self.id)

    @property
    def expected_path(self) -> Path:
        return self.path.with_suffix(".expected.csv")

    def bindings(self, values: dict[str, str] | None = None) -> dict[str, URIRef | Literal]:
        values = dict(values or {})
        unknown = sorted(set(values) - set(self.parameters))
        if unknown:
            known = ", ".join(sorted(self.parameters)) or "none"
            raise QueryError(f"query {self.id} has no parameter {', '.join(unknown)} (parameters: {known})")
        return {name: p.to_term(values.get(name, p.default)) for name, p in self.parameters.items()}


def parse_header(text: str) -> tuple[dict[str, str], dict[str, Parameter]]:
    header: dict[str, str] = {}
    params: dict[str, Parameter] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key == "param":
            pm = _PARAM.match(value)
            if not pm:
                raise QueryError(f"malformed parameter line: {line!r} (expected 'name = default (iri|string|integer|year) doc')")
            params[pm["name"]] = Parameter(pm["name"], pm["default"], pm["kind"], pm["doc"].strip())
        else:
            header[key] = (header[key] + " " + value).strip() if key in header else value.strip()
    return header, params


def catalogue(project: Project) -> dict[str, StoredQuery]:
    queries: dict[str, StoredQuery] = {}
    for kind in ("cq", "qc"):
        for path in sorted((project.queries_dir / kind).glob("*.rq")):
            text = path.read_text(encoding="utf-8")
            header, params = parse_header(text)
            if called := _services(text):  # the endpoint refuses SERVICE; the stored queries must run there
                raise QueryError(f"{path}: a stored query may not call SERVICE (it calls {', '.join(called)})")
            queries[path.stem] = StoredQuery(path.stem, kind, path, text, header, params)
    return queries


def find(project: Project, query_id: str) -> StoredQuery:
    queries = catalogue(project)
    if query_id in queries:
        return queries[query_id]
    matches = [q for q in queries if q.split("-", 1)[0] == query_id]
    if len(matches) == 1:
        return queries[matches[0]]
    raise QueryError(f"unknown query {query_id!r}; stored queries: {', '.join(queries)}")


@dataclass
class Result:
    variables: list[str]
    rows: list[tuple[str, ...]]

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.variables)
        writer.writerows(self.rows)
        return out.getvalue()


def term_text(term) -> str:
    return "" if term is None else str(term)


def with_values(query: StoredQuery, values: dict[str, str] | None) -> str:
    """The query text with its parameters bound by a VALUES block of serialised RDF terms,
    opening the outermost WHERE group (a trailing VALUES would join after GROUP BY)."""
    bindings = query.bindings(values)
    if not bindings:
        return query.text
    names = sorted(bindings)
    head = " ".join(f"?{n}" for n in names)
    row = " ".join(bindings[n].n3() for n in names)
    match = re.search(r"\bWHERE\s*\{", query.text, re.IGNORECASE)
    if match is None:
        raise QueryError(f"{query.path.name}: no WHERE group to bind parameters in")
    return f"{query.text[: match.end()]}\n  VALUES ({head}) {{ ({row}) }}{query.text[match.end():]}"


def run_local(graph: Graph, query: StoredQuery, values: dict[str, str] | None = None) -> Result:
    bindings = query.bindings(values)
    result = graph.query(query.text, initBindings={Variable(k): v for k, v in bindings.items()})
    variables = [str(v) for v in result.vars or []]
    rows = [tuple(term_text(row[v]) for v in variables) for row in result]
    return Result(variables, rows)


def read_expected(query: StoredQuery) -> Result:
    if not query.expected_path.exists():
        raise QueryError(f"{query.path.name}: no expected answer {query.expected_path.name}")
    with open(query.expected_path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return Result(rows[0], [tuple(r) for r in rows[1:]]) if rows else Result([], [])
