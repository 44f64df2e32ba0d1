"""`pdkg`, the one command line: each command is a thin wrapper over a library function.

Exit codes: 0 ok, 1 a check failed (invalid graph, unformatted file, wrong answer), 2 an error
(unreadable file, unknown query or parameter, unreachable endpoint, missing Java).
"""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .project import Project, ProjectError
from .reasoning import ReasonerUnavailable

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Build, check and query the Paradiplomacy Knowledge Graph.")

OK, FAILED, ERROR = 0, 1, 2

def _engine(value: str) -> str:
    from .build import ENGINES

    if value not in ENGINES:
        raise typer.BadParameter(f"must be one of {', '.join(ENGINES)}, got {value!r}")
    return value


Engine = Annotated[str, typer.Option("--engine", callback=_engine, help="fast: Oxigraph (queries and SHACL compiled to SPARQL); reference: rdflib SPARQL + pySHACL.")]


def _project() -> Project:
    return Project.locate()


def _fail(message: str, code: int = ERROR) -> typer.Exit:
    typer.echo(f"pdkg: {message}", err=True)
    return typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pdkg {__version__}")
        raise typer.Exit(OK)


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Build, check and query the Paradiplomacy Knowledge Graph."""


def run() -> None:
    """The `pdkg` entry point: a project error anywhere is one line and exit 2; Ctrl-C is one
    line and exit 130 (raised as SystemExit, which click passes through, so cleanups run)."""
    signal.signal(signal.SIGINT, _interrupted)
    try:
        app()
    except (ProjectError, ReasonerUnavailable) as err:
        typer.echo(f"pdkg: {err}", err=True)
        sys.exit(ERROR)


def _interrupted(signum, frame) -> None:
    typer.echo("pdkg: interrupted", err=True)
    raise SystemExit(130)


@app.command()
def validate(
    report: Annotated[Optional[Path], typer.Option("--report", help="Write the SHACL validation report (Turtle) here.")] = None,
    engine: Engine = "fast",
) -> None:
    """Check OWL consistency (HermiT), SHACL shapes and the QC queries; exit 1 on a violation."""
    from .build import check

    try:
        outcome = check(_project(), engine=engine)
    except (ProjectError, ReasonerUnavailable) as err:
        raise _fail(str(err))
    typer.echo(outcome.render())
    if report and outcome.shacl is not None:
        report.write_text(outcome.shacl.graph.serialize(format="longturtle"), encoding="utf-8")
    raise typer.Exit(OK if outcome.ok else FAILED)


@app.command()
def build(engine: Engine = "fast") -> None:
    """The main job: load, validate, answer the stored queries, write build/ (refuses an invalid graph)."""
    from .build import Runner, answer_all, canonical_dataset, check, write_artefacts
    from .loading import load_dataset

    project = _project()
    try:
        dataset = load_dataset(project)
        runner = Runner(dataset, engine)
        outcome = check(project, dataset, runner=runner)
    except (ProjectError, ReasonerUnavailable) as err:
        raise _fail(str(err))
    typer.echo(outcome.render())
    if not outcome.ok:
        raise _fail("the graph is not valid; nothing was published (see the report above)", FAILED)
    answers = answer_all(project, runner)
    canonical = canonical_dataset(dataset)  # once, for build/ and for the site
    for path in write_artefacts(project, canonical, outcome, answers, runner):
        typer.echo(f"wrote {project.relative(path)}")
    _publish(project, canonical, answers, runner=runner)
    wrong = [a.query.id for a in answers if a.expected is not None and not a.matches]
    typer.echo(f"{len(answers)} stored queries answered; {len(answers) - len(wrong)} match their expected answers.")
    if wrong:
        raise _fail("answers differ from the expected ones: " + ", ".join(wrong), FAILED)


def _publish(project: Project, dataset, answers=None, site_url: str | None = None, runner=None) -> None:
    """Write the linked-data site (build/site/); an error (e.g. no web/node_modules) exits 2."""
    import time

    from .publish import PublishError, publish, site_dir

    started = time.monotonic()
    try:
        files = publish(project, dataset, answers, site_url=site_url, runner=runner)
    except PublishError as err:
        raise _fail(str(err))
    typer.echo(f"published {len(files)} files to {project.relative(site_dir(project))}/ in {time.monotonic() - started:.1f} s")


@app.command()
def publish(
    site_url: Annotated[Optional[str], typer.Option("--site-url", help="Where the site is hosted, for the persistent-IRI redirect rules (w3id.htaccess).")] = None,
    engine: Engine = "fast",
) -> None:
    """Check the graph, then write the linked-data site to build/site/ (dumps, VoID, pages, map, query UI)."""
    from .build import check
    from .loading import load_dataset

    project = _project()
    try:
        dataset = load_dataset(project)
        outcome = check(project, dataset, engine=engine)
    except (ProjectError, ReasonerUnavailable) as err:
        raise _fail(str(err))
    if not outcome.ok:
        typer.echo(outcome.render())
        raise _fail("the graph is not valid; nothing was published (see the report above)", FAILED)
    _publish(project, dataset, site_url=site_url)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on (0: any free port).")] = 8000,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds a SPARQL query may run before it is stopped (503).")] = 10,
    limit: Annotated[int, typer.Option("--limit", help="Most rows (or triples) one SPARQL answer holds.")] = 10000,
    workers: Annotated[int, typer.Option("--workers", help="Query worker processes (queries run side by side).")] = 2,
) -> None:
    """Serve build/site/ read-only: SPARQL endpoint at /sparql, content negotiation on /id/… and /ontology."""
    from .publish import site_dir
    from .server import SiteMissing, serve as run_server
    from .sparql_pool import QueryFailed

    if timeout <= 0 or limit < 1 or workers < 1:
        raise _fail("--timeout must be positive, --limit and --workers at least 1")
    project = _project()
    try:
        run_server(site_dir(project), host, port, timeout, limit, workers, announce=lambda m: typer.echo(m, err=True))
    except SiteMissing as err:
        raise _fail(str(err))
    except QueryFailed as err:
        raise _fail(f"cannot start the SPARQL workers: {err}")
    except OSError as err:
        raise _fail(f"cannot listen on {host}:{port}: {err.strerror or err} (is another server using the port? try --port)")


@app.command()
def fmt(
    check: Annotated[bool, typer.Option("--check", help="Only report files that are not canonical; exit 1 if any.")] = False,
) -> None:
    """Rewrite the Turtle sources deterministically (rdflib longturtle, one prefix block)."""
    from .formatting import format_files

    project = _project()
    try:
        results = format_files(((p, project.relative(p)) for p in project.turtle_sources()), write=not check)
    except ProjectError as err:
        raise _fail(str(err))
    changed = [r for r in results if r.changed]
    for r in changed:
        typer.echo(("would reformat " if check else "reformatted ") + project.relative(r.path))
    typer.echo(f"{len(results)} file(s), {len(changed)} {'not canonical' if check else 'rewritten'}")
    raise typer.Exit(FAILED if check and changed else OK)


@app.command()
def query(
    query_id: Annotated[Optional[str], typer.Argument(help="Query id (e.g. 001 or 001-partners-of-a-city).")] = None,
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="A parameter as name=value.")] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the stored queries.")] = False,
    fmt_: Annotated[str, typer.Option("--format", help="table, csv, json or md.")] = "table",
    lang: Annotated[str, typer.Option("--lang", help="Language of the titles shown: fa or en.")] = "en",
    endpoint: Annotated[Optional[str], typer.Option("--endpoint", help="Run on this SPARQL 1.1 endpoint instead of the embedded store.")] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for a remote endpoint.")] = 30,
    bom: Annotated[bool, typer.Option("--bom", help="Start CSV with a byte-order mark, so spreadsheet programs read Persian as UTF-8.")] = False,
    engine: Engine = "fast",
) -> None:
    """Run a stored query on the embedded store, or on a SPARQL endpoint with --endpoint.

    Parameters take a CURIE (city:isfahan), an IRI, a slug (isfahan) or an English or Persian
    label (Isfahan, اصفهان); every column of entities gets a column of their labels in --lang."""
    from .build import Runner
    from .loading import load_dataset
    from .queries import QueryError, catalogue, find

    project = _project()
    if lang not in ("fa", "en"):
        raise _fail(f"--lang must be fa or en, got {lang!r}")
    if fmt_ not in ("table", "csv", "json", "md"):
        raise _fail(f"--format must be table, csv, json or md, got {fmt_!r}")
    if list_ or not query_id:
        for q in catalogue(project).values():
            typer.echo(f"{q.id}\t{q.header.get('title.' + lang, q.title)}")
            for p in q.parameters.values():
                typer.echo(f"\t  --param {p.name}=…  ({p.kind}, default {p.default}) {p.doc}")
        raise typer.Exit(OK)
    values = {}
    for item in param or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise _fail(f"--param expects name=value, got {item!r}")
        values[name.strip()] = value.strip()
    from .labels import LabelIndex, curie
    from .remote import EndpointError, run_remote

    try:
        stored = find(project, query_id)
        stored.bindings()  # a malformed default is the query's fault, reported before loading
        unknown = sorted(set(values) - set(stored.parameters))
        if unknown:
            stored.bindings(values)  # refuses unknown parameters, naming the known ones
        if endpoint:
            labels = None
            result = run_remote(endpoint, stored, values, timeout)
        else:
            runner = Runner(load_dataset(project), engine)
            labels = LabelIndex.from_runner(runner)
            values = labels.resolve_values(stored, values)
            result = labels.labelled(runner.run(stored, values), lang)
    except (QueryError, ProjectError, EndpointError) as err:
        raise _fail(str(err))
    bound = {name: values.get(name, p.default) for name, p in stored.parameters.items()}
    if bound:  # say what the answer was computed for, on stderr so that csv/json stay data
        shown = ", ".join(f"{n} = {curie(v) if labels and v in labels.labels else v}" + (f" ({labels.label(v, lang)})" if labels and labels.label(v, lang) else "") for n, v in bound.items())
        typer.echo(f"{stored.id} with {shown}", err=True)
    if fmt_ == "csv":
        sys.stdout.write(("\ufeff" if bom else "") + result.to_csv())
    elif fmt_ == "json":
        typer.echo(json.dumps([dict(zip(result.variables, row)) for row in result.rows], ensure_ascii=False, indent=2))
    else:
        typer.echo(_table(result))  # a pipe table: plain text and Markdown alike


def _table(result) -> str:
    """A plain table; Persian cells are wrapped in Unicode isolates so a terminal keeps them RTL."""
    def cell(text: str) -> str:
        return f"\u2068{text}\u2069" if any("\u0600" <= ch <= "\u06ff" for ch in text) else text

    rows = [result.variables, *[[cell(c) for c in row] for row in result.rows]]
    widths = [max(len(r[i]) for r in rows) for i in range(len(result.variables))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


@app.command()
def bench(
    scales: Annotated[str, typer.Option("--scales", help="Synthetic graph sizes in triples, comma-separated.")] = "10000,100000,1000000",
    naive_max: Annotated[int, typer.Option("--naive-max", help="Run the naive pipeline up to this scale only.")] = 100000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the synthetic graphs.")] = 0,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds before one pipeline run is stopped.")] = 900,
    out: Annotated[Optional[Path], typer.Option("--out", help="Where to write the JSON figures (default build/bench/bench.json).")] = None,
) -> None:
    """Time and measure the memory of the whole build at growing scales, fast and naive side by side."""
    from .bench import benchmark, render, to_json

    try:
        sizes = [int(float(s)) for s in scales.split(",") if s.strip()]
    except ValueError:
        raise _fail(f"--scales expects comma-separated numbers of triples, got {scales!r}")
    if not sizes or min(sizes) < 1000:
        raise _fail(f"--scales needs sizes of at least 1000 triples, got {scales!r}")
    project = _project()
    runs = benchmark(project, sizes, naive_max, seed, timeout, progress=lambda m: typer.echo(m, err=True))
    typer.echo(render(runs))
    target = out or project.build_dir / "bench" / "bench.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(to_json(runs), encoding="utf-8")
    typer.echo(f"wrote {project.relative(target) if target.is_relative_to(project.root) else target}")
    raise typer.Exit(FAILED if any(r.error for r in runs if r.pipeline == "fast") else OK)


@app.command()
def export(
    out: Annotated[Optional[Path], typer.Option("--out", help="Folder to write (default build/export).")] = None,
    formats: Annotated[str, typer.Option("--format", help="Comma-separated: csv, parquet, graphml, gexf.")] = "csv,parquet,graphml,gexf",
    source: Annotated[Optional[str], typer.Option("--source", help="Only facts with evidence in this document (e.g. 004-dehshiri-khorrami-1397).")] = None,
    chart: Annotated[Optional[Path], typer.Option("--chart", help="Also draw the relations per year as an SVG here.")] = None,
    graph_path: Annotated[Optional[Path], typer.Option("--graph", help="The N-Quads dump to read (default build/paradiplomacy.nq).")] = None,
) -> None:
    """Export the built graph for analysis: tables (CSV, Parquet), city measures, the city network (GraphML, GEXF)."""
    from .analysis import export as write_export
    from .analysis import open as open_graph

    project = _project()
    try:
        graph = open_graph(graph_path or project.build_dir / "paradiplomacy.nq")
        written = write_export(graph, out or project.build_dir / "export", tuple(f.strip() for f in formats.split(",") if f.strip()), source)
        if chart is not None:
            written.append(graph.plot_timeline(chart, graph.relations(source)))
    except ProjectError as err:
        raise _fail(str(err))
    for path in written:
        typer.echo(f"wrote {project.relative(path)}")
