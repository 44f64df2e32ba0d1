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

from paradiplomacy.project import Project, ProjectError
from paradiplomacy.query.guard import QueryRefused, services
from paradiplomacy.query.terms import TermError, expand_iri, sparql_term, to_term  # noqa: F401 (expand_iri: public here)


def _services(text: str) -> list[str]:
    try:
        return services(text)
    except QueryRefused:  # it does not parse: the syntax check reports that, under its own name
        return []

_HEADER = re.compile(r"^#\s*([a-z][a-z.-]*)\s*:\s*(.*)$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*=\s*(?P<default>\S+)\s*\((?P<kind>iri|string|integer|year|date)\)\s*(?P<doc>.*)$")


class QueryError(ProjectError):
    """An unknown query or parameter, or a stored query that cannot be read; lists what exists.
    A value of the wrong kind is a terms.TermError."""


@dataclass(frozen=True)
class Parameter:
    name: str
    default: str
    kind: str
    doc: str

    def to_term(self, value: str) -> URIRef | Literal:
        return to_term(self.kind, value, self.name)


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


def parse_header(text: str, where: str = "query") -> tuple[dict[str, str], dict[str, Parameter]]:
    header: dict[str, str] = {}
    params: dict[str, Parameter] = {}
    for number, line in enumerate(text.splitlines(), start=1):
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
                raise QueryError(f"{where}:{number}: malformed parameter line {line!r} (expected 'name = default (iri|string|integer|year) doc')")
            params[pm["name"]] = Parameter(pm["name"], pm["default"], pm["kind"], pm["doc"].strip())
        else:
            header[key] = (header[key] + " " + value).strip() if key in header else value.strip()
    return header, params


def catalogue(project: Project) -> dict[str, StoredQuery]:
    queries: dict[str, StoredQuery] = {}
    for kind in ("cq", "qc"):
        for path in sorted((project.queries_dir / kind).glob("*.rq")):
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as err:
                raise QueryError(f"{project.relative(path)}: cannot read: {err}") from None
            header, params = parse_header(text, project.relative(path))
            if called := _services(text):  # the endpoint refuses SERVICE; the stored queries must run there
                raise QueryError(f"{project.relative(path)}: a stored query may not call SERVICE (it calls {', '.join(called)})")
            queries[path.stem] = StoredQuery(path.stem, kind, path, text, header, params)
    return queries


_SYNTAX_CHECKER = None


def check_syntax(query: StoredQuery, where: str | None = None) -> None:
    """Parse the stored query (Oxigraph, on an empty store) and its parameter defaults; a fault
    becomes a QueryError naming the file and the line Oxigraph reports."""
    import pyoxigraph as ox

    global _SYNTAX_CHECKER
    where = where or query.path.as_posix()
    try:
        query.bindings()
    except TermError as err:
        raise QueryError(f"{where}: default value: {err}") from None
    _SYNTAX_CHECKER = _SYNTAX_CHECKER or ox.Store()
    try:
        result = _SYNTAX_CHECKER.query(query.text)
        if hasattr(result, "__iter__"):
            for _ in result:
                break
    except SyntaxError as err:
        at = re.match(r"error at (\d+):(\d+): (.*)", str(err), re.DOTALL)
        if at:
            raise QueryError(f"{where}:{at[1]}: SPARQL syntax error at column {at[2]}: {at[3]}") from None
        raise QueryError(f"{where}: SPARQL syntax error: {err}") from None
    if query.kind == "qc" and not query.id.endswith("-violation"):
        raise QueryError(f"{where}: a quality-check query is named <check>-violation.rq")


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


def _outer_where(text: str) -> re.Match | None:
    """The first ``WHERE {`` outside comment lines (a header may say "where {" in prose)."""
    masked = re.sub(r"(?m)^[ \t]*#.*$", lambda m: " " * len(m.group(0)), text)
    return re.search(r"\bWHERE\s*\{", masked, re.IGNORECASE)


def values_block(bindings: dict[str, URIRef | Literal]) -> str:
    """``VALUES (?a ?b) { (<…> "…") }`` of checked, escaped terms (terms.sparql_term)."""
    names = sorted(bindings)
    head = " ".join(f"?{n}" for n in names)
    row = " ".join(sparql_term(bindings[n]) for n in names)
    return f"VALUES ({head}) {{ ({row}) }}"


def with_values(query: StoredQuery, values: dict[str, str] | None) -> str:
    """The query text with its parameters bound by a VALUES block of serialised RDF terms,
    opening the outermost WHERE group (a trailing VALUES would join after GROUP BY)."""
    bindings = query.bindings(values)
    if not bindings:
        return query.text
    match = _outer_where(query.text)
    if match is None:
        raise QueryError(f"{query.path.name}: no WHERE group to bind parameters in")
    return f"{query.text[: match.end()]}\n  {values_block(bindings)}{query.text[match.end():]}"


def run_local(graph: Graph, query: StoredQuery, values: dict[str, str] | None = None) -> Result:
    """rdflib's engine, with the parameters bound structurally (initBindings)."""
    from pyparsing import ParseBaseException

    bindings = query.bindings(values)
    try:
        result = graph.query(query.text, initBindings={Variable(k): v for k, v in bindings.items()})
    except ParseBaseException as err:
        raise QueryError(f"{query.path.as_posix()}:{err.lineno}: SPARQL syntax error: {err.msg}") from None
    variables = [str(v) for v in result.vars or []]
    rows = [tuple(term_text(row[v]) for v in variables) for row in result]
    return Result(variables, rows)


def read_expected(query: StoredQuery) -> Result:
    if not query.expected_path.exists():
        raise QueryError(f"{query.path.name}: no expected answer {query.expected_path.name}")
    with open(query.expected_path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return Result(rows[0], [tuple(r) for r in rows[1:]]) if rows else Result([], [])
