"""`pdkg review`: accept, reject or edit candidates; accepted rows move into the source's tables.

A decision names a candidate by its ``key`` (column of the candidates file). Accepting appends
the row (table columns only, edits applied) to ``<folder>/<table>.csv`` and records it in
``candidates/accepted.csv`` with the reviewer and the extraction run; rejecting records it with a
reason in ``candidates/rejected.csv``. Either way the candidate leaves the candidates file and does
not come back on the next run of the same file (`pdkg ingest` skips known keys).
"""

from __future__ import annotations

import csv
from datetime import datetime, timezone
from pathlib import Path

from ..project import ProjectError
from .candidates import TABLE_COLUMNS

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
    when = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    record = {"key": key, "table": table, "id": row.get("id") or row.get("slug", ""), "decision": decision,
              "reviewer": reviewer, "reason": reason, "run": run, "when": when, "quote": row.get("quote", "")}
    if decision == "accept":
        fact = {c: row.get(c, "") for c in TABLE_COLUMNS[table]}
        if "item" in fact and not fact["item"]:
            fact["item"] = row.get("locator", "")
        target = folder / f"{table}.csv"
        _append(target, list(TABLE_COLUMNS[table]), fact)
    _append(folder / "candidates" / f"{'accepted' if decision == 'accept' else 'rejected'}.csv", list(DECISION_COLUMNS), record)
    path = folder / "candidates" / f"{table}.csv"
    fields, rows = _read(path)
    rest = [r for r in rows if r["key"] != key]
    if rest:
        _write(path, fields, rest)
    else:
        path.unlink()
    return table
