"""`pdkg ingest`: one Persian text in, a source folder with candidate rows out.

The input is UTF-8 text, optionally opening with a header of ``key: value`` lines between two
``---`` lines (title, outlet, url, published, kind, doc-id); options override it. The header is
blanked to spaces, not cut, so that every offset is an offset of the file as given.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from paradiplomacy.ingest.candidates import TABLE_COLUMNS, Candidate, to_csv
from paradiplomacy.ingest.dates import parse_publication_date
from paradiplomacy.ingest.events import find_events
from paradiplomacy.ingest.figures import find_figures
from paradiplomacy.ingest.gazetteer import Gazetteer
from paradiplomacy.ingest.memberships import find_memberships
from paradiplomacy.ingest.people import find_people
from paradiplomacy.ingest.relations import find_relations
from paradiplomacy.ingest.text import Document
from paradiplomacy.namespaces import BIBO, INSTANCE, PD, PROV, bind_prefixes
from paradiplomacy.project import ProjectError, package_version

RULES = ("relation-sentence", "relation-table-row", "event-box", "event-box-purpose", "event-sentence",
         "membership-table-row", "membership-table-list", "membership-sentence",
         "office-role", "office-as", "office-table-row", "person-role", "new-person", "new-place",
         "figure-sentence", "figure-quantity", "figure-table-cell")
DOC_CLASSES = {"news": PD.NewspaperArticle, "interview": PD.Interview, "opinion": PD.OpinionPiece,
               "paper": PD.AcademicArticle}
TEXT_PART = "text"
HEADER_KEYS = ("title", "outlet", "url", "published", "kind", "doc-id")
_HEADER = re.compile(r"\A---[ \t]*\n(?P<body>(?:[^\n]*\n)*?)---[ \t]*\n")


@dataclass
class Meta:
    doc_id: str = ""
    title: str = ""
    outlet: str = ""
    url: str = ""
    published: str = ""
    kind: str = "news"

    def publication_date(self) -> date | None:
        return parse_publication_date(self.published) if self.published else None


@dataclass
class Result:
    meta: Meta
    candidates: list[Candidate]
    rejected: int = 0
    tables: dict[str, list[Candidate]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for c in self.candidates:
            self.tables.setdefault(c.table, []).append(c)


def is_pdf(path: Path) -> bool:
    return path.suffix.lower() == ".pdf"


def text_name(path: Path) -> str:
    """The name of the text the quotes are spans of: the file itself, or a PDF's extracted text
    (saved into the source's folder under this name)."""
    return f"{path.stem}.txt" if is_pdf(path) else path.name


def read_input(path: Path, meta: Meta) -> tuple[str, Meta]:
    """The file's text with its header blanked, and the metadata (options win over the header).

    A PDF's text is extracted (``pdf.py``); it has no header, its metadata come from the options."""
    try:
        if is_pdf(path):
            from .pdf import pdf_text

            text = pdf_text(path)
        else:
            text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise ProjectError(f"{path}: not UTF-8 (byte {err.start}: {err.object[err.start:err.start + 1]!r})") from err
    except OSError as err:
        raise ProjectError(f"{path}: {err.strerror}") from err
    header = _HEADER.match(text)
    found: dict[str, str] = {}
    if header:
        for n, line in enumerate(header.group("body").splitlines(), start=2):
            if not line.strip():
                continue
            k, sep, v = line.partition(":")
            if not sep or k.strip() not in HEADER_KEYS:
                raise ProjectError(f"{path}, line {n}: header line {line!r}: expected one of {', '.join(HEADER_KEYS)}: value")
            found[k.strip()] = v.strip()
        text = re.sub(r"[^\n]", " ", text[: header.end()]) + text[header.end() :]
    merged = Meta(**{f: getattr(meta, f) or found.get(f.replace("_", "-"), "") for f in ("doc_id", "title", "outlet", "url", "published")},
                  kind=meta.kind if meta.kind != "news" else found.get("kind", "news"))
    if merged.kind not in DOC_CLASSES:
        raise ProjectError(f"{path}: kind {merged.kind!r}: expected one of {', '.join(DOC_CLASSES)}")
    if merged.published:
        try:
            merged.publication_date()
        except ValueError as err:
            raise ProjectError(f"{path}: {err}") from err
    if not merged.doc_id:
        merged.doc_id = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return text, merged


def extract(text: str, meta: Meta, gazetteer: Gazetteer | None = None) -> list[Candidate]:
    """Every candidate the rules propose, one per fact (the most confident evidence kept)."""
    doc = Document(text, meta.publication_date(), gazetteer or Gazetteer.load())
    found = [*find_relations(doc), *find_events(doc), *find_memberships(doc), *find_people(doc),
             *find_figures(doc, f"doc:{meta.doc_id}")]
    best: dict[tuple[str, str], Candidate] = {}
    for c in found:
        ident = c.values.get("id") or c.values.get("slug") or c.values.get("label_fa", "")
        k = (c.table, ident if ident else c.key)
        # of two equally confident tellings, the one whose quote gives a status says more
        if k not in best or (c.confidence, bool(c.values.get("status"))) > (best[k].confidence, bool(best[k].values.get("status"))):
            best[k] = c
    return sorted(_merge_events(list(best.values())), key=lambda c: (c.table, c.start, c.end, c.key))


def _merge_events(cands: list[Candidate]) -> list[Candidate]:
    """One event told twice (an infographic box and a sentence): the more confident telling is kept."""
    kept: list[Candidate] = []
    for c in sorted(cands, key=lambda c: -c.confidence):
        if c.table == "events" and any(_same_event(c, k) for k in kept if k.table == "events"):
            continue
        kept.append(c)
    return kept


def _same_event(a: Candidate, b: Candidate) -> bool:
    if a.values["kind"] != b.values["kind"] or not (a.meta["parties"] & b.meta["parties"]):
        return False
    da, db = a.meta.get("dates") or [], b.meta.get("dates") or []
    if not da or not db:
        return True
    (x1, y1), (x2, y2) = da[0].interval, db[0].interval
    return x1 <= y2 and x2 <= y1


def rejected_keys(folder: Path) -> set[str]:
    path = folder / "candidates" / "rejected.csv"
    if not path.is_file():
        return set()
    with path.open(encoding="utf-8", newline="") as f:
        return {row["key"] for row in csv.DictReader(f)}


def accepted_keys(folder: Path) -> set[str]:
    path = folder / "candidates" / "accepted.csv"
    if not path.is_file():
        return set()
    with path.open(encoding="utf-8", newline="") as f:
        return {row["key"] for row in csv.DictReader(f)}


def ingest(path: Path, meta: Meta, sources_dir: Path, gazetteer: Gazetteer | None = None,
           keep_text: bool = True) -> tuple[Result, Path]:
    """Read ``path``, write ``sources_dir/<doc-id>/`` (source.ttl, candidates/<table>.csv) and, unless
    ``keep_text`` is off (a seed, whose text lives in the seeds folder), the document's text — a
    PDF's as extracted — of which every quote is a span: `pdkg validate` checks accepted quotes
    against it."""
    text, meta = read_input(path, meta)
    folder = sources_dir / meta.doc_id
    done = rejected_keys(folder) | accepted_keys(folder)
    cands = extract(text, meta, gazetteer)
    kept = [c for c in cands if c.key not in done]
    result = Result(meta, kept, rejected=len(cands) - len(kept))
    (folder / "candidates").mkdir(parents=True, exist_ok=True)
    if keep_text or is_pdf(path):
        stored = folder / text_name(path)
        document = text if is_pdf(path) else path.read_text(encoding="utf-8")  # as given, header and all
        if stored.exists() and stored.read_text(encoding="utf-8") != document:
            # the keys of decided candidates are offsets in the stored text: never shift them silently
            raise ProjectError(f"{stored}: differs from the text now read from {path}; move it away to ingest again")
        stored.write_text(document, encoding="utf-8")
    if not (folder / "source.ttl").exists():
        (folder / "source.ttl").write_text(source_turtle(meta, text_name(path), path.name), encoding="utf-8")
    for table in TABLE_COLUMNS:
        out = folder / "candidates" / f"{table}.csv"
        rows = result.tables.get(table, [])
        if rows:
            out.write_text(to_csv(table, rows), encoding="utf-8")
        elif out.exists():
            out.unlink()
    (folder / "candidates" / "run.ttl").write_text(run_turtle(meta, path.name), encoding="utf-8")
    return result, folder


def source_turtle(meta: Meta, file_name: str, given: str = "") -> str:
    g = bind_prefixes(Graph())
    doc = INSTANCE["doc"][meta.doc_id]
    g.add((doc, RDF.type, DOC_CLASSES[meta.kind]))
    title = meta.title or file_name
    g.add((doc, RDFS.label, Literal(title, lang="fa")))
    g.add((doc, RDFS.label, Literal(f"Ingested document {meta.doc_id}", lang="en")))  # the title is Persian
    if meta.title:
        g.add((doc, DCTERMS.title, Literal(meta.title, lang="fa")))
    g.add((doc, DCTERMS.language, Literal("fa")))
    if meta.outlet:
        g.add((doc, DCTERMS.publisher, Literal(meta.outlet, lang="fa")))
    if meta.url:
        g.add((doc, URIRef("https://schema.org/url"), URIRef(meta.url)))
    published = meta.publication_date()
    if published is not None:
        g.add((doc, DCTERMS.issued, Literal(published.isoformat(), datatype=XSD.date)))
        g.add((doc, PD.dateAsWritten, Literal(meta.published, lang="fa")))
    g.add((doc, PD.seedFile, Literal(file_name)))
    if given and given != file_name:
        g.add((doc, RDFS.comment, Literal(f"Text extracted from {given} by pdkg ingest (pdfminer.six, reordered with python-bidi); "
                                          f"the quotes are spans of {file_name}, saved beside this file.", lang="en")))
    # one part, the whole text: accepted rows cite it (`part` = text) with the sentence as `item`
    part = INSTANCE["doc"][f"{meta.doc_id}-part-text"]
    g.add((part, RDF.type, BIBO.DocumentPart))
    g.add((part, RDFS.label, Literal("Text", lang="en")))
    g.add((part, RDFS.label, Literal("متن", lang="fa")))
    g.add((part, DCTERMS.isPartOf, doc))
    g.add((part, DCTERMS.identifier, Literal(TEXT_PART)))
    return g.serialize(format="longturtle")


def run_turtle(meta: Meta, file_name: str) -> str:
    """The extraction run as a prov:Activity: the tool, its version, its rules, the input."""
    g = bind_prefixes(Graph())
    run = INSTANCE["fact"][f"ingest-run-{meta.doc_id}"]
    g.add((run, RDF.type, PROV.Activity))
    g.add((run, RDFS.label, Literal(f"pdkg ingest {package_version()} on {file_name}", lang="en")))
    g.add((run, RDFS.label, Literal(f"استخراج خودکار pdkg ingest {package_version()} از {file_name}", lang="fa")))
    g.add((run, PROV.used, INSTANCE["doc"][meta.doc_id]))
    g.add((run, RDFS.comment, Literal(f"tool: paradiplomacy {package_version()}; rules: {', '.join(RULES)}", lang="en")))
    return g.serialize(format="longturtle")
