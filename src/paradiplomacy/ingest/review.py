"""`pdkg review`: accept, reject or edit candidates; accepted rows move into the source's tables.

A decision names a candidate by its ``key`` (column of the candidates file). Accepting appends
the row (table columns only, edits applied) to ``<folder>/<table>.csv`` and records it in
``candidates/accepted.csv`` with the reviewer and the extraction run; rejecting records it with a
reason in ``candidates/rejected.csv``. Either way the candidate leaves the candidates file and does
not come back on the next run of the same file (`pdkg ingest` skips known keys).
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

from paradiplomacy.ingest.candidates import EXTRA_COLUMNS, TABLE_COLUMNS
from paradiplomacy.project import ProjectError

DECISION_COLUMNS = ("key", "table", "id", "decision", "reviewer", "reason", "run", "when", "quote")


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _append(path: Path, fields: list[str], row: dict[str, str]) -> None:
    new = not path.exists()
    with path.open("a", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
        if new:
            w.writeheader()
        w.writerow(row)


def pending(folder: Path) -> dict[str, tuple[str, dict[str, str]]]:
    """key → (table, row) of every candidate still waiting in ``folder/candidates``."""
    out: dict[str, tuple[str, dict[str, str]]] = {}
    for table in TABLE_COLUMNS:
        path = folder / "candidates" / f"{table}.csv"
        if path.is_file():
            for row in _read(path)[1]:
                out[row["key"]] = (table, row)
    return out


def _source_parts(folder: Path) -> dict[str, tuple[str, str]]:
    from rdflib import Graph

    from paradiplomacy.namespaces import INSTANCE
    from paradiplomacy.rdf.sources import parts_of

    path = folder / "source.ttl"
    if not path.is_file():
        raise ProjectError(f"{path}: missing (the source's document and its parts)")
    return parts_of(Graph().parse(path), INSTANCE["doc"][folder.name])


def _accept(folder: Path, table: str, row: dict[str, str], record: dict[str, str]) -> None:
    """Append the row, in the loader's columns, to ``<folder>/<table>.csv``.

    People and new entities have no source table (they belong in ``data/reference``): they are
    kept in ``candidates/accepted-<table>.csv`` for the knowledge engineer."""
    from paradiplomacy.rdf.mapping import SOURCE_TABLES

    mapped = {t.name: t for t in SOURCE_TABLES}
    if table not in mapped:
        _append(folder / "candidates" / f"accepted-{table}.csv", list(row), row)
        return
    # the loader's columns, less those it refuses (`unmapped`: a figure's `counts`) and the
    # candidate's own (offsets span_start/span_end, its locator, rule, score, key), which are said in the comment instead
    columns = [c.name for c in mapped[table].columns if c.kind != "unmapped"]
    fact = {c: row.get(c, "") for c in columns if c not in EXTRA_COLUMNS}
    parts = _source_parts(folder)
    if not fact.get("part"):
        if "text" in parts:
            fact["part"] = "text"
        else:
            raise ProjectError(f"{folder / 'source.ttl'}: say which part the quote is in: --set part=<{' | '.join(sorted(parts))}>")
    if not fact.get("item"):
        fact["item"] = row.get("span_locator", "")
    moved = [f"{c}: {row[c]}" for c in TABLE_COLUMNS[table] if row.get(c) and (c not in columns or c in EXTRA_COLUMNS)]
    note = (f"Proposed by {record['run']} (rule {row.get('rule', '')}, score {row.get('score', '')}), "
            f"accepted by {record['reviewer']} on {record['when'][:10]}.")
    if moved:
        note += " Not a column of the table: " + "; ".join(moved) + "."
    fact["comment_en"] = (fact.get("comment_en", "") + " " + note).strip() if "comment_en" in fact else fact.get("comment_en", "")
    target = folder / f"{table}.csv"
    if target.exists():
        with target.open(encoding="utf-8", newline="") as f:
            header = next(csv.reader(f), [])
        unknown = [c for c in header if c not in columns]
        if unknown:
            raise ProjectError(f"{target}: columns {', '.join(unknown)} are not the table's")
        fields = header + [c for c in columns if c not in header and fact.get(c)]
        if fields != header:
            _, rows = _read(target)
            _write(target, fields, rows)
    else:
        fields = [c for c in columns if c not in EXTRA_COLUMNS]
    _append(target, fields, fact)
    _record_run(folder, mapped[table].prefix, fact["id"])


def _record_run(folder: Path, prefix: str, ident: str) -> None:
    """``<folder>/ingest-run.ttl``: the extraction run as a prov:Activity (tool, version, rules) that
    generated each accepted fact; it is loaded with the source like any Turtle file of the folder."""
    from rdflib import Graph

    from paradiplomacy.namespaces import INSTANCE, PROV, bind_prefixes

    run_file = folder / "candidates" / "run.ttl"
    target = folder / "ingest-run.ttl"
    g = bind_prefixes(Graph())
    if target.exists():
        g.parse(target)
    elif run_file.exists():
        g.parse(run_file)
    else:
        raise ProjectError(f"{run_file}: missing; run `pdkg ingest` on the source's file again")
    run = INSTANCE["fact"][f"ingest-run-{folder.name}"]
    g.add((run, PROV.generated, INSTANCE[prefix][ident]))
    target.write_text(g.serialize(format="longturtle"), encoding="utf-8")


def decide(folder: Path, key: str, decision: str, reviewer: str, reason: str = "", edits: dict[str, str] | None = None) -> str:
    """Accept or reject one candidate; returns the table it belonged to."""
    if decision not in ("accept", "reject"):
        raise ProjectError(f"decision {decision!r}: expected accept or reject")
    if not reviewer:
        raise ProjectError("a decision needs a reviewer (--reviewer NAME)")
    if decision == "reject" and not reason:
        raise ProjectError(f"{key}: a rejection needs a reason (--reason)")
    waiting = pending(folder)
    if key not in waiting:
        raise ProjectError(f"{folder / 'candidates'}: no candidate with key {key!r} (pending: {len(waiting)})")
    table, row = waiting[key]
    edits = edits or {}
    unknown = sorted(set(edits) - set(TABLE_COLUMNS[table]))
    if unknown:
        raise ProjectError(f"{key}: {table} has no column {', '.join(unknown)} (columns: {', '.join(TABLE_COLUMNS[table])})")
    row = {**row, **edits}
    run = f"fact:ingest-run-{folder.name}"
    when = datetime.now(UTC).replace(microsecond=0).isoformat()
    record = {"key": key, "table": table, "id": row.get("id") or row.get("slug", ""), "decision": decision,
              "reviewer": reviewer, "reason": reason, "run": run, "when": when, "quote": row.get("quote", "")}
    if decision == "accept":
        _accept(folder, table, row, record)
    _append(folder / "candidates" / f"{'accepted' if decision == 'accept' else 'rejected'}.csv", list(DECISION_COLUMNS), record)
    path = folder / "candidates" / f"{table}.csv"
    fields, rows = _read(path)
    rest = [r for r in rows if r["key"] != key]
    if rest:
        _write(path, fields, rest)
    else:
        path.unlink()
    return table
