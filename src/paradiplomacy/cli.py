"""`pdkg`, the one command line: each command is a thin wrapper over a library function.

Exit codes: 0 ok, 1 a check failed (invalid graph, unformatted file, wrong answer), 2 an error
(unreadable file, unknown query or parameter, unreachable endpoint, missing Java).
"""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from paradiplomacy.project import Project, ProjectError

OK, FAILED, ERROR = 0, 1, 2


class Commands(TyperGroup):
    """The one handler of project errors: whatever command raises one (every exception of the
    package is a ProjectError), it is one line on stderr and exit 2. Here, around the commands
    rather than in `run`, so that it holds for `pdkg` and for typer's CliRunner alike."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ProjectError as err:
            typer.echo(f"pdkg: {err}", err=True)
            raise typer.Exit(ERROR) from err


app = typer.Typer(cls=Commands, add_completion=False, no_args_is_help=True, help="Build, check and query the Paradiplomacy Knowledge Graph.")


def _engine(value: str) -> str:
    from paradiplomacy.formats import ENGINES

    if value not in ENGINES:
        raise typer.BadParameter(f"must be one of {', '.join(ENGINES)}, got {value!r}")
    return value


Engine = Annotated[str,
                   typer.Option("--engine", callback=_engine,
                                help="fast: Oxigraph (queries and SHACL compiled to SPARQL); reference: rdflib SPARQL + pySHACL.")]


def _project() -> Project:
    return Project.locate()


def _fail(message: str, code: int = ERROR) -> typer.Exit:
    typer.echo(f"pdkg: {message}", err=True)
    return typer.Exit(code)




def _version(value: bool) -> None:
    if value:
        from paradiplomacy.project import package_version

        typer.echo(f"pdkg {package_version()}")
        raise typer.Exit(OK)


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Build, check and query the Paradiplomacy Knowledge Graph."""


def run() -> None:
    """The `pdkg` entry point: a project error anywhere is one line and exit 2 (`Commands`);
    Ctrl-C is one line and exit 130 (raised as SystemExit, which click passes through, so
    cleanups run)."""
    signal.signal(signal.SIGINT, _interrupted)
    app()


def _interrupted(signum, frame) -> None:
    typer.echo("pdkg: interrupted", err=True)
    raise SystemExit(130)


@app.command()
def validate(
    report: Annotated[Path | None, typer.Option("--report", help="Write the SHACL validation report (Turtle) here.")] = None,
    engine: Engine = "fast",
) -> None:
    """Check OWL consistency (HermiT), SHACL shapes and the QC queries; exit 1 on a violation."""
    from paradiplomacy.build import run as run_build

    outcome = run_build(_project(), engine, answer=False).outcome
    typer.echo(outcome.render())
    if report and outcome.shacl is not None:
        report.write_text(outcome.shacl.graph.serialize(format="longturtle"), encoding="utf-8")
    raise typer.Exit(OK if outcome.ok else FAILED)


def _checked(engine: str, bulk: list[Path] | None = None):
    """build.run, its report shown; a build that failed a check or an expected answer exits 1 here,
    before anything is written or published."""
    from paradiplomacy.build import run as run_build

    build = run_build(_project(), engine, extra=tuple(bulk or ()))
    typer.echo(build.report())
    if not build.ok:
        raise _fail(build.refusal(), FAILED)
    return build


@app.command()
def build(
    engine: Engine = "fast",
    bulk: Annotated[list[Path] | None,
                    typer.Option("--bulk", help="An N-Quads file loaded beside the sources (repeatable): on the fast engine into the "
                                                "Oxigraph store only, checked and dumped with the rest; its quads in named graphs of "
                                                "its own, without blank nodes.")] = None,
) -> None:
    """The main job: load, validate, answer the stored queries, write build/ and its site (refuses an invalid graph).

    Everything is written to a fresh folder first; build/ is replaced only when every check and
    every expected answer passed, so a failed or stopped build leaves the last good one."""
    from paradiplomacy.publish.site import deliver

    made = _checked(engine, bulk)
    try:
        paths = deliver(made)
    except ProjectError as err:
        raise ProjectError(f"{err}; build/ was left as it was") from err
    for path in paths:
        typer.echo(f"wrote {made.project.relative(path)}" + ("/" if path.is_dir() else ""))


@app.command()
def publish(
    site_url: Annotated[str | None,
                        typer.Option("--site-url", help="Where the site is hosted, for the persistent-IRI redirect rules (w3id.htaccess).")] = None,
    contact: Annotated[str | None,
                       typer.Option("--contact",
                                    help="The publisher's contact for the DCAT contact point: a mailto: address or an http(s) URL "
                                         "(none is invented when absent).")] = None,
    deploy: Annotated[bool, typer.Option("--deploy", help="For a real host: --site-url must be given and not a placeholder.")] = False,
    engine: Engine = "fast",
) -> None:
    """Check the graph and its answers, then write the linked-data site to build/site/ (dumps, VoID, pages, map, query UI)."""
    import time

    from paradiplomacy.publish.conneg import deploy_site_url
    from paradiplomacy.publish.site import publish as publish_site
    from paradiplomacy.publish.site import site_dir
    from paradiplomacy.publish.void import contact_term

    if contact:
        contact_term(contact)  # refused before the checks, not after them
    if deploy:
        site_url = deploy_site_url(site_url)
    made = _checked(engine)
    started = time.monotonic()
    files = publish_site(made, site_dir(made.project), site_url=site_url, contact=contact)
    typer.echo(f"published {len(files)} files to {made.project.relative(site_dir(made.project))}/ in {time.monotonic() - started:.1f} s")


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on (0: any free port).")] = 8000,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds a SPARQL query may run before it is stopped (503).")] = 10,
    limit: Annotated[int, typer.Option("--limit", help="Most rows (or triples) one SPARQL answer holds.")] = 10000,
    workers: Annotated[int, typer.Option("--workers", help="Query worker processes (queries run side by side).")] = 2,
    max_mib: Annotated[int, typer.Option("--max-mib", help="Most MiB of term text one SPARQL answer holds.")] = 64,
    memory: Annotated[int, typer.Option("--memory", help="MiB of address space per query worker (0: no cap); a query needing more gets 500.")] = 2048,
    allow_service: Annotated[list[str] | None,
                             typer.Option("--allow-service",
                                          help="A SERVICE endpoint IRI queries may call (repeat for more); none by default.")] = None,
) -> None:
    """Serve build/site/ read-only: SPARQL endpoint at /sparql, content negotiation on /id/… and /ontology."""
    from paradiplomacy.publish.site import site_dir
    from paradiplomacy.serve.pool import QueryFailed
    from paradiplomacy.serve.server import serve as run_server

    if timeout <= 0 or limit < 1 or workers < 1 or max_mib < 1 or memory < 0 or 0 < memory < 256:
        raise _fail("--timeout must be positive, --limit, --workers and --max-mib at least 1, --memory 0 or at least 256")
    project = _project()
    try:
        run_server(site_dir(project), host, port, timeout, limit, workers, announce=lambda m: typer.echo(m, err=True),
                   max_bytes=max_mib << 20, memory=memory << 20, services=frozenset(allow_service or ()))
    except QueryFailed as err:
        raise _fail(f"cannot start the SPARQL workers: {err}") from err
    except OSError as err:
        raise _fail(f"cannot listen on {host}:{port}: {err.strerror or err} (is another server using the port? try --port)") from err


@app.command("crosswalk-query")
def crosswalk_query_command() -> None:
    """Print the SPARQL a maintainer runs on Wikidata's query service to make data/crosswalk/wikidata-geonames.csv."""
    from paradiplomacy.namespaces import DATA_GRAPHS
    from paradiplomacy.rdf.links import crosswalk_query
    from paradiplomacy.rdf.load import load_dataset, union

    project = _project()
    data = union(load_dataset(project), DATA_GRAPHS)
    typer.echo(crosswalk_query(data), nl=False)


@app.command()
def fmt(
    check: Annotated[bool, typer.Option("--check", help="Only report files that are not canonical; exit 1 if any.")] = False,
) -> None:
    """Rewrite the sources deterministically: data Turtle as one block per subject in IRI order
    with its comments, data CSV rows by key; ontology and shapes as rdflib longturtle."""
    from paradiplomacy.rdf.fmt import format_files, format_source

    project = _project()
    schema = [p for p in project.turtle_sources() if p not in set(project.data_files())]
    results = format_files(((p, project.relative(p)) for p in schema), write=not check)
    results += [format_source(p, project.relative(p), write=not check) for p in [*project.data_files(), *project.data_tables()]]
    changed = [r for r in results if r.changed]
    for r in changed:
        typer.echo(("would reformat " if check else "reformatted ") + project.relative(r.path))
    typer.echo(f"{len(results)} file(s), {len(changed)} {'not canonical' if check else 'rewritten'}")
    raise typer.Exit(FAILED if check and changed else OK)


@app.command(context_settings={"help_option_names": []})
def query(
    ctx: typer.Context,
    query_id: Annotated[str | None, typer.Argument(help="Query id (e.g. 001 or 001-partners-of-a-city).")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="A parameter as name=value.")] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the stored queries.")] = False,
    fmt_: Annotated[str, typer.Option("--format", help="table, csv, json or md.")] = "table",
    lang: Annotated[str, typer.Option("--lang", help="Language of the titles shown: fa or en.")] = "en",
    endpoint: Annotated[str | None, typer.Option("--endpoint", help="Run on this SPARQL 1.1 endpoint instead of the embedded store.")] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for a remote endpoint.")] = 30,
    bom: Annotated[bool, typer.Option("--bom", help="Start CSV with a byte-order mark, so spreadsheet programs read Persian as UTF-8.")] = False,
    engine: Engine = "fast",
    chart: Annotated[Path | None,
                     typer.Option("--chart",
                                  help="Also draw the answer as a bar chart (SVG) here: its numeric columns by its first label column.")] = None,
    help_: Annotated[bool, typer.Option("--help", "-h", help="Show this help, or with a query id the query's question and parameters.")] = False,
) -> None:
    """Run a stored query on the embedded store, or on a SPARQL endpoint with --endpoint.

    Parameters take a CURIE (city:isfahan), an IRI, a slug (isfahan) or an English or Persian
    label (Isfahan, اصفهان); every column of entities gets a column of their labels in --lang."""
    if help_ and not query_id:
        typer.echo(ctx.get_help())
        raise typer.Exit(OK)
    from paradiplomacy.query.catalogue import catalogue, expand_iri, find

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
    if help_:
        stored = find(project, query_id)
        typer.echo(_describe(stored, lang))
        raise typer.Exit(OK)
    values = {}
    for item in param or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise _fail(f"--param expects name=value, got {item!r}")
        values[name.strip()] = value.strip()
    from paradiplomacy.query.labels import LabelIndex, curie

    stored = find(project, query_id)
    stored.bindings()  # a malformed default is the query's fault, reported before loading
    unknown = sorted(set(values) - set(stored.parameters))
    if unknown:
        stored.bindings(values)  # refuses unknown parameters, naming the known ones
    if endpoint:  # names resolved by the endpoint's own labels, then sent as IRIs
        from paradiplomacy.query.remote import remote_labels, run_remote

        labels = remote_labels(endpoint, timeout)
        values = labels.resolve_values(stored, values)
        result = labels.labelled(run_remote(endpoint, stored, values, timeout), lang)
    else:
        runner = _runner(project, engine)
        labels = LabelIndex.on_demand(runner)
        values = labels.resolve_values(stored, values)
        result = labels.labelled(runner.run(stored, values), lang)
    bound = {name: values.get(name, p.default) for name, p in stored.parameters.items()}
    bound = {name: str(expand_iri(v)) if stored.parameters[name].kind == "iri" and v == stored.parameters[name].default else v
             for name, v in bound.items()}
    if bound:  # say what the answer was computed for, on stderr so that csv/json stay data
        shown = ", ".join(f"{n} = {curie(v) if labels and labels.knows(v) else v}"
                          + (f" ({labels.label(v, lang)})" if labels and labels.label(v, lang) else "") for n, v in bound.items())
        typer.echo(f"{stored.id} with {shown}", err=True)
    if chart is not None:
        from paradiplomacy.analysis import plot_result

        plot_result(result, chart, stored.header.get("title." + lang, stored.title))
        typer.echo(f"wrote {chart}", err=True)
    if fmt_ == "csv":
        sys.stdout.write(("\ufeff" if bom else "") + result.to_csv())
    elif fmt_ == "json":
        typer.echo(json.dumps([dict(zip(result.variables, row, strict=True)) for row in result.rows], ensure_ascii=False, indent=2))
    else:
        typer.echo(_table(result))  # a pipe table: plain text and Markdown alike


def _runner(project: Project, engine: str):
    """What `query` and `answers` run on: the build's N-Quads in Oxigraph while they are fresh
    (query.engine.built_store), else build.query_runner on the sources loaded. build is imported
    only then: the pipeline, its checks and rdflib's canonicaliser take 0.1 s to import, more than
    loading the dump and answering."""
    if engine == "fast":
        from paradiplomacy.query.engine import built_store

        store = built_store(project)
        if store is not None:
            return store
    from paradiplomacy.build import query_runner

    return query_runner(project, engine)


def _describe(query, lang: str) -> str:
    """A stored query for a reader: title, question, source, what a row is, its parameters."""
    h = query.header
    lines = [f"{query.id}: {h.get('title.' + lang, query.title)}", ""]
    for key in (f"question.{lang}", "source", "row"):
        if key in h:
            lines.append(f"{key.split('.')[0]}: {h[key]}")
    lines.append("")
    if not query.parameters:
        lines.append("parameters: none")
    for p in query.parameters.values():
        lines.append(f"--param {p.name}=VALUE   {p.kind}, default {p.default}: {p.doc}")
    return "\n".join(lines)


def _table(result) -> str:
    """A plain table; Persian cells are wrapped in Unicode isolates so a terminal keeps them RTL."""
    def cell(text: str) -> str:
        return f"\u2068{text}\u2069" if any("\u0600" <= ch <= "\u06ff" for ch in text) else text

    rows = [result.variables, *[[cell(c) for c in row] for row in result.rows]]
    widths = [max(len(r[i]) for r in rows) for i in range(len(result.variables))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


@app.command()
def answers(
    query_ids: Annotated[list[str] | None, typer.Argument(help="Query ids (default: every competency query).")] = None,
    update: Annotated[bool,
                      typer.Option("--update",
                                   help="Rewrite the expected files of these queries from the graph's answers "
                                        "(after reviewing the diff against the documents).")] = False,
    engine: Engine = "fast",
) -> None:
    """Compare the stored queries' answers with their expected answers and show a row diff; exit 1 on a difference."""
    from paradiplomacy.query.catalogue import catalogue, find, read_expected
    from paradiplomacy.query.expected import row_diff, same_rows, write_expected

    project = _project()
    queries = [find(project, q) for q in query_ids] if query_ids else [q for q in catalogue(project).values() if q.kind == "cq"]
    if update and not query_ids:
        raise ProjectError("--update rewrites expected answers: name the queries whose diff you reviewed (e.g. pdkg answers --update 003)")
    runner = _runner(project, engine)
    differing = 0
    for query in queries:
        result = runner.run(query)
        if update:
            changed = write_expected(query, result)
            typer.echo(f"{query.id}: {'rewrote' if changed else 'unchanged'} {project.relative(query.expected_path)}")
            continue
        expected = read_expected(query)
        if same_rows(result, expected):
            typer.echo(f"{query.id}: matches ({len(result.rows)} row(s))")
        else:
            differing += 1
            typer.echo(f"{query.id}: DIFFERS from {project.relative(query.expected_path)} (- expected, + answered)")
            typer.echo("\n".join(row_diff(expected, result)))
    if differing:
        raise _fail(f"{differing} of {len(queries)} answer(s) differ; check them against the documents, then `pdkg answers --update ID`", FAILED)


@app.command()
def bench(
    scales: Annotated[str, typer.Option("--scales", help="Synthetic graph sizes in triples, comma-separated.")] = "10000,100000,1000000",
    naive_max: Annotated[int, typer.Option("--naive-max", help="Run the naive pipeline up to this scale only.")] = 100000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the synthetic graphs.")] = 0,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds before one pipeline run is stopped.")] = 900,
    out: Annotated[Path | None, typer.Option("--out", help="Where to write the JSON figures (default build/bench/bench.json).")] = None,
) -> None:
    """Time and measure the memory of the whole build at growing scales, fast and naive side by side."""
    from paradiplomacy.bench.pipeline import benchmark, render, to_json

    try:
        sizes = [int(float(s)) for s in scales.split(",") if s.strip()]
    except ValueError:
        raise _fail(f"--scales expects comma-separated numbers of triples, got {scales!r}") from None
    if not sizes or min(sizes) < 1000:
        raise _fail(f"--scales needs sizes of at least 1000 triples, got {scales!r}")
    project = _project()
    target = out or project.build_dir / "bench" / "bench.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    runs = benchmark(project, sizes, naive_max, seed, timeout, progress=lambda m: typer.echo(m, err=True),
                     measured=lambda so_far: target.write_text(to_json(so_far), encoding="utf-8"))
    typer.echo(render(runs))
    typer.echo(f"wrote {project.relative(target) if target.is_relative_to(project.root) else target}")
    raise typer.Exit(FAILED if any(r.error for r in runs if r.pipeline == "fast") else OK)


@app.command()
def export(
    out: Annotated[Path | None, typer.Option("--out", help="Folder to write (default build/export).")] = None,
    formats: Annotated[str, typer.Option("--format", help="Comma-separated: csv, parquet, graphml, gexf.")] = "csv,parquet,graphml,gexf",
    source: Annotated[str | None,
                      typer.Option("--source", help="Only facts with evidence in this document (e.g. 004-dehshiri-khorrami-1397).")] = None,
    chart: Annotated[Path | None, typer.Option("--chart", help="Also draw the relations per year as an SVG here.")] = None,
    graph_path: Annotated[Path | None, typer.Option("--graph", help="The N-Quads dump to read (default build/paradiplomacy.nq).")] = None,
) -> None:
    """Export the built graph for analysis: tables (CSV, Parquet), city measures, the city network (GraphML, GEXF)."""
    from paradiplomacy.analysis import export as write_export
    from paradiplomacy.analysis import open as open_graph

    project = _project()
    graph = open_graph(graph_path or project.built_dump)
    written = write_export(graph, out or project.build_dir / "export", tuple(f.strip() for f in formats.split(",") if f.strip()), source)
    if chart is not None:
        written.append(graph.plot_timeline(chart, graph.relations(source)))
    for path in written:
        typer.echo(f"wrote {project.relative(path)}")


@app.command()
def ingest(
    file: Annotated[
        Path | None,
        typer.Argument(help="A UTF-8 text file (an optional header of key: value lines between two --- lines) or a PDF (its text extracted and saved "
                       "beside the candidates)."),
    ] = None,
    doc_id: Annotated[str, typer.Option("--doc-id", help="Slug of the document (doc:<slug>); default from the file name.")] = "",
    title: Annotated[str, typer.Option("--title")] = "",
    outlet: Annotated[str, typer.Option("--outlet", help="Outlet or publisher.")] = "",
    url: Annotated[str, typer.Option("--url")] = "",
    published: Annotated[str, typer.Option("--published", help="Publication date, Solar Hijri (1404-03-31) or ISO.")] = "",
    kind: Annotated[str, typer.Option("--kind", help="news | interview | opinion | paper")] = "news",
    out: Annotated[Path | None, typer.Option("--out", help="Folder of sources (default data/sources).")] = None,
    evaluate: Annotated[bool, typer.Option("--evaluate", help="Run on the five seeds against the built graph; print recall and precision.")] = False,
) -> None:
    """Propose candidate facts, each with its verbatim quote, from a Persian text."""
    from paradiplomacy.ingest.pipeline import Meta
    from paradiplomacy.ingest.pipeline import ingest as run_ingest

    project = _project()
    if evaluate:
        from paradiplomacy.ingest.evaluate import evaluate as run_evaluation
        from paradiplomacy.ingest.evaluate import table, write

        report = run_evaluation(project)
        target = project.build_dir / "ingest" / "evaluation.json"
        write(report, target)
        typer.echo(table(report) + f"wrote {project.relative(target)}")
        raise typer.Exit(OK)
    if file is None:
        raise _fail("give a FILE to ingest, or --evaluate")
    seed = file.resolve().parent == project.seeds_dir.resolve()  # a seed's text stays in the seeds folder
    result, folder = run_ingest(file, Meta(doc_id, title, outlet, url, published, kind), out or project.data_dir / "sources",
                                keep_text=not seed)
    if not result.candidates:
        typer.echo(f"no new candidate in {file}: {result.rejected} already reviewed" if result.rejected else f"nothing found in {file}")
    for t, rows in sorted(result.tables.items()):
        typer.echo(f"{t}: {len(rows)} candidates")
    typer.echo(f"wrote {project.relative(folder)}/candidates/")


@app.command()
def review(
    folder: Annotated[Path, typer.Argument(help="The source's folder (data/sources/<doc-id>).")],
    accept: Annotated[list[str] | None, typer.Option("--accept", help="Key of a candidate to accept (repeatable).")] = None,
    reject: Annotated[list[str] | None, typer.Option("--reject", help="Key of a candidate to reject (repeatable).")] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why the rejected candidates are wrong (kept in the folder).")] = "",
    edit: Annotated[list[str] | None, typer.Option("--set", help="column=value applied to the accepted rows (repeatable).")] = None,
    reviewer: Annotated[str, typer.Option("--reviewer", help="Who decides.")] = "",
) -> None:
    """List pending candidates, or accept / reject them by key; accepted rows move into the source's tables."""
    from paradiplomacy.ingest.review import decide, pending

    if not accept and not reject:
        for key, (t, row) in sorted(pending(folder).items(), key=lambda kv: (kv[1][0], int(kv[1][1]["span_start"]))):
            quote = " ".join(row["quote"][:60].split())
            typer.echo(f"{key}  {t:<11} {row.get('id') or row.get('slug') or row.get('label_fa')}  {row['score']}  «{quote}»")
        raise typer.Exit(OK)
    edits = {}
    for item in edit or []:
        k, sep, v = item.partition("=")
        if not sep:
            raise ProjectError(f"--set {item!r}: expected column=value")
        edits[k] = v
    for key in accept or []:
        typer.echo(f"accepted {key} into {decide(folder, key, 'accept', reviewer, edits=edits)}.csv")
    for key in reject or []:
        decide(folder, key, "reject", reviewer, reason)
        typer.echo(f"rejected {key}")
