"""Candidate rows: the authoring tables' columns (docs/tables.md) plus where and why each was proposed."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from typing import TypedDict

from paradiplomacy.ingest.dates import DateMention

#: the columns of each authoring table, as the table contract fixes them
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "relations": ("id", "kind", "party_a", "party_b", "year", "date", "date_sh", "date_as_written", "date_inferred", "status",
                  "label_en", "label_fa", "comment_en", "evidence", "part", "item", "quote"),
    "events": ("id", "kind", "label_en", "label_fa", "participants", "traveller", "destination", "location", "host",
               "organizer", "date", "date_sh", "date_sh_end", "date_as_written", "date_inferred", "date_note", "status",
               "track", "purpose_en", "purpose_fa", "topics", "part_of", "confidence", "comment_en", "evidence", "part",
               "item", "quote"),
    "memberships": ("id", "member", "organization", "role", "year", "label_en", "label_fa", "comment_en",
                    "evidence", "part", "item", "quote"),
    "offices": ("id", "holder", "organization", "role", "start", "end", "precision", "date_as_written", "label_en", "label_fa",
                "comment_en", "evidence", "part", "item", "quote"),
    "people": ("slug", "label_fa", "label_en", "role_as_written", "gazetteer_candidates"),
    "figures": ("id", "claimant", "value", "unit", "comparator", "counts", "about", "statement_fa", "statement_en",
                "label_en", "label_fa", "evidence", "part", "item", "quote"),
    "entities": ("slug", "kind", "label_fa", "label_en", "gazetteer_candidates"),
}
#: what a candidate file adds to its table's columns
# named apart from every table column (events have `confidence`, offices `start`/`end`, facts a
# `locator`), so that a candidate's own values never overwrite or drop the fact's
EXTRA_COLUMNS = ("span_start", "span_end", "span_locator", "rule", "score", "key")


class CandidateMeta(TypedDict, total=False):
    """What a rule knows of its candidate beyond the table's cells: for merging two tellings of
    one event and for the evaluation against the gold standard; never written."""

    parties: set[str]  # the parties' CURIEs (``new:`` + the label for a proposed entity)
    dates: list[DateMention]  # the date the fact is dated by, if any (at most one)
    year: str  # a table row's year, as the row gives it
    item: str  # the table row and partner the candidate was read from
    figure: str  # the figure as printed
    gold: str  # the gold fact it matched (set by the evaluation)


@dataclass
class Candidate:
    table: str
    values: dict[str, str]
    quote: str
    start: int
    end: int
    locator: str
    rule: str
    confidence: float
    meta: CandidateMeta = field(default_factory=lambda: CandidateMeta())

    @property
    def key(self) -> str:
        """Stable identity of the candidate within its input: table, the fact's id (or the entity's
        label) and the span of its quote.

        A decided key is remembered; the same file ingested again proposes the same key, which is
        then left out — also after a change of the rules that only rewords labels or comments."""
        ident = self.values.get("id") or self.values.get("slug") or self.values.get("label_fa", "")
        return hashlib.sha1(f"{self.table}|{ident}|{self.start}|{self.end}".encode()).hexdigest()[:16]

    def row(self) -> dict[str, str]:
        row = {c: self.values.get(c, "") for c in TABLE_COLUMNS[self.table]}
        if "quote" in row:
            row["quote"] = self.quote
        row.update(span_start=str(self.start), span_end=str(self.end), span_locator=self.locator, rule=self.rule,
                   score=f"{self.confidence:.2f}", key=self.key)
        if "item" in row and not row["item"]:
            row["item"] = self.locator
        return row


def columns(table: str) -> list[str]:
    cols = list(TABLE_COLUMNS[table])
    if "quote" not in cols:
        cols.append("quote")
    return cols + list(EXTRA_COLUMNS)


def slug(*parts: str) -> str:
    """A slug from English labels or CURIE slugs: lowercase ASCII words joined by hyphens."""
    import unicodedata

    text = "-".join(p.split(":")[-1] for p in parts if p)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def to_csv(table: str, candidates: list[Candidate]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns(table), lineterminator="\n")
    writer.writeheader()
    for c in sorted(candidates, key=lambda c: (c.start, c.end, c.values.get("id", c.values.get("slug", "")))):
        row = c.row()
        if "quote" not in TABLE_COLUMNS[table]:
            row["quote"] = c.quote
        writer.writerow(row)
    return out.getvalue()
