"""Expected answers: how a stored query's answer differs from the one written from the documents,
and, after a maintainer has checked the difference against the documents, the rewrite.

The expected file ``queries/cq/NNN-slug.expected.csv`` is the truth test of its query: it is
written by hand from the documents. ``pdkg answers`` shows a row diff wherever the graph's
answer differs; ``pdkg answers --update NNN`` rewrites the file from the graph's answer, for a
change whose diff has been reviewed (a corrected fact, a new source) — never to make a test pass.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from paradiplomacy.query.catalogue import Result, StoredQuery, read_expected


def same_rows(a: Result, b: Result) -> bool:
    """The same columns and the same rows in any order (a SPARQL answer has no order unless
    the query orders it, and the expected files are written in the documents' order)."""
    return a.variables == b.variables and sorted(a.rows) == sorted(b.rows)


@dataclass(frozen=True)
class Answer:
    """A competency query's answer on the graph, beside its expected answer (None: no file)."""

    query: StoredQuery
    result: Result
    expected: Result | None

    @property
    def matches(self) -> bool:
        return self.expected is not None and same_rows(self.result, self.expected)

    @property
    def differs(self) -> bool:
        """Wrong: an expected answer exists and this one is not it."""
        return self.expected is not None and not self.matches

    def diff(self) -> list[str]:
        return row_diff(self.expected, self.result) if self.expected is not None else []


def answer_queries(queries: Iterable[StoredQuery], run: Callable[[StoredQuery], Result]) -> list[Answer]:
    """Each competency query of ``queries`` answered by ``run``, beside its expected answer."""
    return [Answer(q, run(q), read_expected(q) if q.expected_path.exists() else None) for q in queries if q.kind == "cq"]


def row_diff(expected: Result, actual: Result) -> list[str]:
    """Lines a reviewer reads: the columns if they differ, then ``- row`` for a row expected
    but not answered and ``+ row`` for one answered but not expected, each sorted."""
    lines = []
    if expected.variables != actual.variables:
        lines.append(f"  columns: expected {', '.join(expected.variables)}; answered {', '.join(actual.variables)}")
    want, got = Counter(expected.rows), Counter(actual.rows)
    lines += [f"  - {', '.join(row)}" for row in sorted((want - got).elements())]
    lines += [f"  + {', '.join(row)}" for row in sorted((got - want).elements())]
    return lines


def expected_text(result: Result) -> str:
    """The expected file's text for ``result``: the CSV that ``read_expected`` reads back."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.variables)
    writer.writerows(result.rows)
    return out.getvalue()


def write_expected(query: StoredQuery, result: Result) -> bool:
    """Rewrite the query's expected file from ``result``; True if its content changed."""
    text = expected_text(result)
    path = query.expected_path
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True
