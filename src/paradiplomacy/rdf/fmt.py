"""Deterministic Turtle: the same graph always gives the same bytes, so diffs stay small."""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from paradiplomacy.namespaces import PREFIXES, bind_prefixes
from paradiplomacy.rdf.load import parse_turtle

PREFIX_BLOCK = "".join(f"PREFIX {prefix}: <{ns}>\n" for prefix, ns in PREFIXES.items())


def canonical_turtle(graph: Graph) -> str:
    """rdflib's longturtle (subjects and predicates sorted, one object per line) under the
    project's full, sorted prefix block, so every file opens with the same lines."""
    body = bind_prefixes(graph).serialize(format="longturtle")
    lines = body.splitlines()
    start = next((i for i, line in enumerate(lines) if line and not line.startswith("PREFIX ")), len(lines))
    body_lines = [line.rstrip() for line in lines[start:]]
    return PREFIX_BLOCK + "\n" + "\n".join(body_lines).strip() + "\n"


@dataclass(frozen=True)
class FormatResult:
    path: Path
    changed: bool
    diff: str


def format_file(path: Path, label: str, write: bool) -> FormatResult:
    original = path.read_text(encoding="utf-8")
    formatted = canonical_turtle(parse_turtle(path, label))
    changed = formatted != original
    diff = ""
    if changed:
        diff = "".join(
            difflib.unified_diff(
                original.splitlines(keepends=True), formatted.splitlines(keepends=True), label, label + " (formatted)", n=1
            )
        )
        if write:
            path.write_text(formatted, encoding="utf-8")
    return FormatResult(path, changed, diff)


def format_files(paths: Iterable[tuple[Path, str]], write: bool) -> list[FormatResult]:
    return [format_file(path, label, write) for path, label in paths]


# --- the data sources: Turtle blocks in IRI order with their comments, CSV rows by key ---------

_BARE = {XSD.integer, XSD.decimal, XSD.boolean}


def _term(term, graph: Graph) -> str:
    if isinstance(term, Literal) and term.datatype in _BARE and term.language is None:
        text = str(term)
        if term.datatype == XSD.boolean and text in ("true", "false"):
            return text
        if term.datatype == XSD.integer and re.fullmatch(r"[+-]?\d+", text):
            return text
        if term.datatype == XSD.decimal and re.fullmatch(r"[+-]?\d+\.\d+", text):
            return text
    return term.n3(graph.namespace_manager)


def _block(graph: Graph, subject) -> list[str]:
    """One subject's triples, laid out as longturtle does, ordered here (rdf:type, rdfs:label,
    then predicates by IRI; objects by their text) so no serializer's ordering decides it."""
    lines = [_term(subject, graph)]
    preds = sorted(set(graph.predicates(subject)), key=lambda p: (p != RDF.type, p != RDFS.label, str(p)))
    for pred in preds:
        objs = sorted(_term(o, graph) for o in graph.objects(subject, pred))
        name = "a" if pred == RDF.type else _term(pred, graph)
        end = " ;"
        if len(objs) == 1:
            lines.append(f"    {name} {objs[0]}{end}")
        else:
            lines.append(f"    {name}")
            lines += [f"        {o} ,"for o in objs[:-1]] + [f"        {objs[-1]}{end}"]
    lines.append(".")
    return lines


def _subject_token(line: str, graph: Graph):
    token = line.split()[0]
    if token.startswith("<") and token.endswith(">"):
        return URIRef(token[1:-1])
    prefix, _, local = token.partition(":")
    ns = PREFIXES.get(prefix)
    return URIRef(ns + local.replace("\\", "")) if ns else None


def source_comments(text: str, graph: Graph) -> tuple[list[str], dict, list[str]]:
    """The comment lines of a Turtle source: a header (before the first block, followed by a
    blank line), those attached to a block (the run just before it, or inside it), a trailer."""
    header: list[str] = []
    attached: dict = {}
    pending: list[str] = []
    current = None
    seen_block = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            pending.append(stripped)
            continue
        if line.upper().startswith(("PREFIX ", "@PREFIX ")):
            continue
        if not stripped:
            if pending and not seen_block:
                header += pending
                pending = []
            continue
        if not line[0].isspace() and stripped != ".":
            subject = _subject_token(line, graph)
            if subject is not None:
                current, seen_block = subject, True
                attached.setdefault(current, []).extend(pending)
                pending = []
                continue
        if pending and current is not None:
            attached.setdefault(current, []).extend(pending)
            pending = []
    return header, attached, pending


def _block_order(graph: Graph) -> list:
    """Subjects in IRI order, except that a piece of evidence written in Turtle follows the
    first fact (in that order) that cites it."""
    from paradiplomacy.namespaces import PD

    subjects = sorted(set(graph.subjects()), key=lambda s: (not isinstance(s, URIRef), str(s)))
    evidence = {s for s in subjects if (s, RDF.type, PD.Evidence) in graph}
    order, placed = [], set()
    for subject in subjects:
        if subject in evidence and subject not in placed and any(f not in evidence for f in graph.subjects(PD.evidence, subject)):
            continue  # it comes after the fact that cites it
        if subject in placed:
            continue
        order.append(subject)
        placed.add(subject)
        for ev in sorted(graph.objects(subject, PD.evidence), key=str):
            if ev in evidence and ev not in placed:
                order.append(ev)
                placed.add(ev)
    return order


def format_turtle_graph(graph: Graph, header=(), attached=None, trailer=()) -> str:
    """A data source's Turtle: the project's prefix block, then one block per subject ordered by
    IRI, each after its own comments; an edit changes only its own block."""
    bind_prefixes(graph)
    attached = attached or {}
    out = [PREFIX_BLOCK.rstrip("\n"), ""]
    if header:
        out += [*header, ""]
    for subject in _block_order(graph):
        out += attached.get(subject, [])
        out += _block(graph, subject)
        out.append("")
    orphans = [c for s, cs in attached.items() if (s, None, None) not in graph for c in cs]
    if orphans or trailer:
        out += [*orphans, *trailer, ""]
    return "\n".join(out).rstrip("\n") + "\n"


def format_source_text(text: str, graph: Graph) -> str:
    header, attached, trailer = source_comments(text, graph)
    return format_turtle_graph(graph, header, attached, trailer)


def write_table(out, table, rows: list[dict[str, str]], header: list[str] | None = None) -> None:
    """CSV in the mapping's column order (the columns in use, or ``header``), rows by key."""
    used = set(header or ()) | {k for r in rows for k, v in r.items() if v}
    names = [n for n in table.names if n in used]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for row in sorted(rows, key=lambda r: r.get(table.key, "")):
        writer.writerow([row.get(n, "") for n in names])


def format_table_text(path: Path, label: str, table) -> str:
    from paradiplomacy.rdf.tables import CellError, TableError, read_table

    errors: list[CellError] = []
    rows = read_table(path, label, table, errors)
    if errors:
        raise TableError(errors)
    header = next(csv.reader([path.read_text(encoding="utf-8").splitlines()[0]]))
    buf = io.StringIO()
    write_table(buf, table, [r.cells for r in rows], [h.strip() for h in header])
    return buf.getvalue()


def format_source(path: Path, label: str, write: bool) -> FormatResult:
    """`pdkg fmt` on one file under data/: Turtle blocks by IRI with comments kept, CSV rows by key."""
    from paradiplomacy.rdf.mapping import PLACES, SOURCE_TABLES

    original = path.read_text(encoding="utf-8")
    if path.suffix == ".csv":
        table = PLACES if path.name == "places.csv" else next(t for t in SOURCE_TABLES if f"{t.name}.csv" == path.name)
        formatted = format_table_text(path, label, table)
    else:
        formatted = format_source_text(original, parse_turtle(path, label))
    changed = formatted != original
    diff = ""
    if changed:
        diff = "".join(difflib.unified_diff(original.splitlines(keepends=True), formatted.splitlines(keepends=True),
                                            label, label + " (formatted)", n=1))
        if write:
            path.write_text(formatted, encoding="utf-8")
    return FormatResult(path, changed, diff)
