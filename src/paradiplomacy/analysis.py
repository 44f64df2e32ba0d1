"""The built graph as tables and a network, for researchers who work in pandas, R or Gephi.

``open()`` reads the build's N-Quads (``pdkg build`` writes them) into Oxigraph once; each
method runs one SPARQL query and returns a pandas DataFrame with every entity beside its
English and Persian label. Relations are read through ``pd:party`` and its sub-properties, so
the tables are country-neutral: ``party_a`` and ``party_b`` are ordered by IRI, and each
party's country comes with it.

pandas, networkx and matplotlib are the ``analysis`` extra (``pip install
'paradiplomacy-kg[analysis]'``): the graph itself needs none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pyoxigraph as ox

from paradiplomacy.namespaces import INSTANCE, PD
from paradiplomacy.project import Project, ProjectError
from paradiplomacy.rdf.solutions import select

if TYPE_CHECKING:  # the analysis extra is imported only where it is used
    import networkx as nx
    import pandas as pd

    from paradiplomacy.query.catalogue import Result

PREFIXES = f"""PREFIX pd: <{PD}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

#: (variable, label variable stem): every entity column gets ``<stem>_en`` and ``<stem>_fa``
RELATIONS = """
SELECT ?relation ?kind ?party_a ?country_a ?party_b ?country_b ?year WHERE {
  ?kindClass rdfs:subClassOf* pd:BilateralRelation .
  ?relation a ?kindClass .
  FILTER NOT EXISTS { ?relation a ?narrower . ?narrower rdfs:subClassOf ?kindClass . FILTER (?narrower != ?kindClass) }
  BIND (?kindClass AS ?kind)
  ?relation ?pa ?party_a . ?pa rdfs:subPropertyOf* pd:party .
  ?relation ?pb ?party_b . ?pb rdfs:subPropertyOf* pd:party .
  FILTER (STR(?party_a) < STR(?party_b))
  OPTIONAL { ?party_a pd:country ?country_a }
  OPTIONAL { ?party_b pd:country ?country_b }
  OPTIONAL { ?relation pd:year ?y }
  OPTIONAL { ?relation schema:startDate ?d }
  BIND (COALESCE(xsd:integer(STR(?y)), xsd:integer(SUBSTR(STR(?d), 1, 4))) AS ?year)
}
"""

MEMBERSHIPS = """
SELECT ?membership ?kind ?member ?organization ?role WHERE {
  ?kind rdfs:subClassOf* org:Membership .
  ?membership a ?kind ; org:member ?member ; org:organization ?organization .
  FILTER NOT EXISTS { ?membership a ?narrower . ?narrower rdfs:subClassOf ?kind . FILTER (?narrower != ?kind) }
  OPTIONAL { ?membership org:role ?role }
}
"""

EVENTS = """
SELECT ?event ?kind ?start ?end ?status ?track ?location WHERE {
  ?kind rdfs:subClassOf* pd:Event .
  ?event a ?kind .
  FILTER NOT EXISTS { ?event a ?narrower . ?narrower rdfs:subClassOf ?kind . FILTER (?narrower != ?kind) }
  OPTIONAL { ?event schema:startDate ?start }
  OPTIONAL { ?event schema:endDate ?end }
  OPTIONAL { ?event pd:eventStatus ?status }
  OPTIONAL { ?event pd:diplomacyTrack ?track }
  OPTIONAL { ?event pd:location|pd:destination ?location }
}
"""

CLAIMS = """
SELECT ?claim ?kind ?claimant ?about ?value ?statement_fa ?statement_en WHERE {
  ?kind rdfs:subClassOf* pd:Claim .
  ?claim a ?kind .
  FILTER NOT EXISTS { ?claim a ?narrower . ?narrower rdfs:subClassOf ?kind . FILTER (?narrower != ?kind) }
  OPTIONAL { ?claim pd:claimant ?claimant }
  OPTIONAL { ?claim pd:about ?about }
  OPTIONAL { ?claim pd:reportedValue ?value }
  OPTIONAL { ?claim pd:statement ?statement_fa FILTER (LANG(?statement_fa) = "fa") }
  OPTIONAL { ?claim pd:statement ?statement_en FILTER (LANG(?statement_en) = "en") }
}
"""

DISAGREEMENTS = """
SELECT ?disagreement ?concerns ?recomputed ?comment_en WHERE {
  ?disagreement a pd:Disagreement .
  OPTIONAL { ?disagreement pd:concerns ?concerns }
  OPTIONAL { ?disagreement pd:recomputedValue ?recomputed }
  OPTIONAL { ?disagreement rdfs:comment ?comment_en FILTER (LANG(?comment_en) = "en") }
}
"""

PERIODS = """
SELECT ?period ?start ?end ?head WHERE {
  ?period a pd:ForeignPolicyDiscourse .
  OPTIONAL { ?period pd:periodStart ?start }
  OPTIONAL { ?period pd:periodEnd ?end }
  OPTIONAL { ?period pd:headOfGovernment ?head }
}
"""

CLASSIFICATIONS = """
SELECT ?country ?region ?affiliation WHERE {
  ?classification a pd:CountryClassification ; pd:classifiedCountry ?country .
  OPTIONAL { ?classification pd:region ?region }
  OPTIONAL { ?classification pd:civilizationalAffiliation ?affiliation }
}
"""

DOCUMENTS = """
SELECT DISTINCT ?fact ?document WHERE { ?fact pd:evidence/pd:sourceDocument ?document }
"""

LABELS = """
SELECT ?entity ?en ?fa WHERE {
  ?entity rdfs:label ?any .
  OPTIONAL { ?entity rdfs:label ?en FILTER (LANG(?en) = "en") }
  OPTIONAL { ?entity rdfs:label ?fa FILTER (LANG(?fa) = "fa") }
}
"""

#: the home country of the paper's tables, whose cities' partners Tables 2 and 3 count
IRAN = str(INSTANCE["country"]["iran"])

#: columns that hold a year or a number, converted from their lexical form
NUMERIC = {"year", "value", "recomputed"}


def _require(module: str) -> ModuleType:
    try:
        return __import__(module)
    except ImportError as error:
        raise ProjectError(
            f"the analysis API needs {module}: pip install 'paradiplomacy-kg[analysis]' ({error})"
        ) from error


def open(path: Path | str | None = None) -> KnowledgeGraph:  # noqa: A001 - the natural name: pdkg.open()
    """The built graph: ``path`` to an N-Quads dump, or the checkout's ``build/paradiplomacy.nq``."""
    dump = Path(path) if path is not None else Project.locate().built_dump
    if not dump.is_file():
        raise ProjectError(f"{dump}: no built graph here; run `pdkg build` first (or pass the path of an N-Quads dump)")
    store = ox.Store()
    try:
        store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    except (SyntaxError, ValueError, OSError) as error:
        raise ProjectError(f"{dump}: not a readable N-Quads dump: {error}") from error
    return KnowledgeGraph(store)


@dataclass
class KnowledgeGraph:
    """The graph as DataFrames; labels are read once and joined to every entity column."""

    store: ox.Store

    def __post_init__(self) -> None:
        self._labels: dict[str, tuple[str, str]] = {}
        for row in select(self.store, PREFIXES + LABELS):
            entity = row["entity"].value
            en, fa = (row[v].value if row[v] is not None else "" for v in ("en", "fa"))
            old_en, old_fa = self._labels.get(entity, ("", ""))
            # several labels in one language: keep the first in code-point order, so runs agree
            self._labels[entity] = (min(filter(None, (old_en, en)), default=""), min(filter(None, (old_fa, fa)), default=""))
        self._documents: dict[str, list[str]] = {}
        for row in select(self.store, PREFIXES + DOCUMENTS):
            self._documents.setdefault(row["fact"].value, []).append(row["document"].value)

    def label(self, iri: str, lang: str = "en") -> str:
        en, fa = self._labels.get(iri, ("", ""))
        return fa if lang == "fa" else en

    def _frame(self, query: str, entity_columns: tuple[str, ...], source: str | None = None) -> pd.DataFrame:
        """One row per fact (the first column), entity columns with their labels, and the
        documents its evidence comes from; ``source`` keeps the facts with evidence in that
        document (its slug, e.g. ``004-dehshiri-khorrami-1397``, or its IRI)."""
        pandas = _require("pandas")
        solutions = select(self.store, PREFIXES + query)
        names = [v.value for v in solutions.variables]
        # one row per fact: where a property has several values (a claim about three cities,
        # evidence in two documents) the cell lists them, sorted, joined by " ; "
        values: dict[str, dict[str, set[str]]] = {}
        for solution in solutions:
            key = solution[names[0]].value
            cells = values.setdefault(key, {name: set() for name in names})
            for name in names:
                if solution[name] is not None:
                    cells[name].add(solution[name].value)
        records = []
        for key in sorted(values):
            documents = sorted(self._documents.get(key, []))
            if source is not None and _document_iri(source) not in documents:
                continue
            record: dict[str, object] = {}
            for name in names:
                cell = sorted(values[key][name])
                record[name] = _cell(name, cell)
                if name in entity_columns:
                    for lang in ("en", "fa"):
                        record[f"{name}_{lang}"] = " ; ".join(self.label(v, lang) for v in cell) if cell else None
            record["documents"] = " ; ".join(documents)
            record["documents_en"] = " ; ".join(self.label(d, "en") for d in documents)
            records.append(record)
        columns = [*_columns(names, entity_columns), "documents", "documents_en"]
        frame = pandas.DataFrame.from_records(records, columns=columns)
        for name in NUMERIC & set(names):
            if any(isinstance(v, str) for v in frame[name]):  # several values in a cell: text throughout
                frame[name] = [None if v is None or v != v else _number_text(v) for v in frame[name]]
            elif name == "year":
                frame[name] = frame[name].astype("Int64")
        return frame

    def relations(self, source: str | None = None) -> pd.DataFrame:
        """Bilateral relations: kind, both parties with their countries, year, source document."""
        return self._frame(RELATIONS, ("relation", "kind", "party_a", "country_a", "party_b", "country_b"), source)

    def memberships(self, source: str | None = None) -> pd.DataFrame:
        """Memberships and offices (W3C ORG): member, organization, role."""
        return self._frame(MEMBERSHIPS, ("membership", "kind", "member", "organization", "role"), source)

    def events(self, source: str | None = None) -> pd.DataFrame:
        """Trips, meetings, summits and the other events, with dates, status, track and place."""
        return self._frame(EVENTS, ("event", "kind", "status", "track", "location"), source)

    def claims(self, source: str | None = None) -> pd.DataFrame:
        """Claims, opinions, reported figures, definitions and achievements, with their speaker."""
        return self._frame(CLAIMS, ("claim", "kind", "claimant", "about"), source)

    def disagreements(self) -> pd.DataFrame:
        """Where the sources disagree with each other or with the graph's own count."""
        return self._frame(DISAGREEMENTS, ("disagreement", "concerns"))

    def periods(self) -> pd.DataFrame:
        """The paper's foreign-policy periods (Table 3): first and last year, head of government."""
        frame = self._frame(PERIODS, ("period", "head"))
        for column in ("start", "end"):
            frame[column] = frame[column].astype("Int64")
        return frame.sort_values("start", na_position="first").reset_index(drop=True)

    def classifications(self) -> pd.DataFrame:
        """The paper's classification of partner countries (Table 2): region, civilizational affiliation."""
        return self._frame(CLASSIFICATIONS, ("country", "region", "affiliation"))

    # -- the city network ------------------------------------------------------------------

    def city_network(self, relations: pd.DataFrame | None = None) -> nx.Graph:
        """Cities as nodes (labels, country), one edge per pair of partner cities with the
        relations' kinds and years; ``relations`` restricts it to a subset (a filtered frame)."""
        networkx = _require("networkx")
        frame = self.relations() if relations is None else relations
        graph = networkx.Graph()
        for row in frame.itertuples(index=False):
            for party, country in ((row.party_a, row.country_a), (row.party_b, row.country_b)):
                graph.add_node(
                    party,
                    label_en=self.label(party, "en"),
                    label_fa=self.label(party, "fa"),
                    country=country or "",
                    country_en=self.label(country, "en") if country else "",
                )
            kinds = graph.edges[row.party_a, row.party_b]["kinds"].split(" ") if graph.has_edge(row.party_a, row.party_b) else []
            years = graph.edges[row.party_a, row.party_b]["years"].split(" ") if graph.has_edge(row.party_a, row.party_b) else []
            kinds.append(row.kind.rsplit("#", 1)[-1])
            if row.year is not None and not _missing(row.year):
                years.append(str(row.year))
            # GraphML and GEXF take scalar attributes only: lists become space-separated text
            graph.add_edge(row.party_a, row.party_b, kinds=" ".join(sorted(kinds)), years=" ".join(sorted(years)), weight=len(kinds))
        return graph

    def network_measures(self, graph: nx.Graph | None = None) -> pd.DataFrame:
        """Per city: degree, betweenness centrality and its community (greedy modularity)."""
        networkx = _require("networkx")
        pandas = _require("pandas")
        graph = self.city_network() if graph is None else graph
        betweenness = networkx.betweenness_centrality(graph)
        communities = networkx.algorithms.community.greedy_modularity_communities(graph)
        community = {node: index for index, members in enumerate(communities) for node in members}
        records = [
            {
                "city": node,
                "city_en": data["label_en"],
                "city_fa": data["label_fa"],
                "country": data["country"],
                "country_en": data["country_en"],
                "degree": graph.degree(node),
                "betweenness": betweenness[node],
                "community": community[node],
            }
            for node, data in graph.nodes(data=True)
        ]
        return pandas.DataFrame.from_records(records).sort_values(["degree", "city"], ascending=[False, True]).reset_index(drop=True)

    def shared_partners(self, home_country: str = IRAN) -> pd.DataFrame:
        """Pairs of cities of ``home_country`` (Iran by default) with the partner cities they share."""
        pandas = _require("pandas")
        frame = self.relations()
        partners: dict[str, set[str]] = {}
        for row in frame.itertuples(index=False):
            for home, home_country_, other in ((row.party_a, row.country_a, row.party_b), (row.party_b, row.country_b, row.party_a)):
                if home_country_ == home_country:
                    partners.setdefault(home, set()).add(other)
        records = []
        cities = sorted(partners)
        for i, first in enumerate(cities):
            for second in cities[i + 1 :]:
                shared = sorted(partners[first] & partners[second])
                if shared:
                    records.append(
                        {
                            "city_1": first,
                            "city_1_en": self.label(first, "en"),
                            "city_2": second,
                            "city_2_en": self.label(second, "en"),
                            "shared": len(shared),
                            "shared_en": " ; ".join(self.label(s, "en") for s in shared),
                            "shared_fa": " ; ".join(self.label(s, "fa") for s in shared),
                        }
                    )
        return pandas.DataFrame.from_records(records, columns=["city_1", "city_1_en", "city_2", "city_2_en", "shared", "shared_en", "shared_fa"])

    # -- timelines ---------------------------------------------------------------------------

    def timeline(self, relations: pd.DataFrame | None = None) -> pd.DataFrame:
        """Dated relations per year and kind (a row per year, a column per kind)."""
        frame = self.relations() if relations is None else relations
        dated = frame.dropna(subset=["year"])
        table = dated.pivot_table(index="year", columns="kind_en", values="relation", aggfunc="count", fill_value=0)
        table.columns.name = None
        return table.sort_index()

    def by_period(self, relations: pd.DataFrame | None = None) -> pd.DataFrame:
        """Dated relations per period of the paper's Table 3, each year counted in the period
        that starts with it (half-open [start, end)), the rule under which Table 3's first four
        rows are reproduced."""
        frame = self.relations() if relations is None else relations
        periods = self.periods()
        years = frame.dropna(subset=["year"])["year"]
        counts = []
        for row in periods.itertuples(index=False):
            low = -1 if _missing(row.start) else int(row.start)
            high = 10_000 if _missing(row.end) else int(row.end)
            counts.append(int(((years >= low) & (years < high)).sum()))
        periods["relations"] = counts
        return periods

    def by_region(self, relations: pd.DataFrame | None = None, home_country: str = IRAN) -> pd.DataFrame:
        """Relations per region of the partner's country, as the paper's Table 2 classifies them."""
        frame = self.relations() if relations is None else relations
        classes = self.classifications()
        partner_country = frame.apply(lambda r: r.country_b if r.country_a == home_country else r.country_a, axis=1)
        merged = frame.assign(partner_country=partner_country).merge(classes, left_on="partner_country", right_on="country")
        grouped = merged.groupby(["region", "region_en", "region_fa"], as_index=False).agg(relations=("relation", "nunique"))
        return grouped.sort_values("region").reset_index(drop=True)

    def by_country(self, relations: pd.DataFrame | None = None, home_country: str = IRAN) -> pd.DataFrame:
        """Relations per partner country (the party outside ``home_country``) and kind."""
        pandas = _require("pandas")
        frame = self.relations() if relations is None else relations
        partner = frame.apply(lambda r: r.country_b if r.country_a == home_country else r.country_a, axis=1)
        frame = frame.assign(country=partner).dropna(subset=["country"])
        table = frame.pivot_table(index="country", columns="kind_en", values="relation", aggfunc="count", fill_value=0)
        table.columns.name = None
        table = table.reset_index()
        table.insert(1, "country_en", [self.label(c, "en") for c in table["country"]])
        table.insert(2, "country_fa", [self.label(c, "fa") for c in table["country"]])
        kinds = [c for c in table.columns if c not in ("country", "country_en", "country_fa")]
        table["relations"] = table[kinds].sum(axis=1)
        if not len(table):
            return pandas.DataFrame(table)
        return table.sort_values(["relations", "country_en"], ascending=[False, True]).reset_index(drop=True)

    def reported_values(self, source: str) -> dict[str, float]:
        """The figures a source reports about exactly one entity (a region's or a period's count
        in the paper's Tables 2 and 3): entity IRI -> the value as printed."""
        claims = self.claims(source=source).dropna(subset=["value"])
        single = claims[~claims["about"].fillna("").str.contains(" ; ")]
        return {about: value for about, value in zip(single["about"], single["value"], strict=True) if isinstance(value, (int, float))}

    def plot_timeline(self, path: Path | str, relations: pd.DataFrame | None = None, lang: str = "en") -> Path:
        """A stacked bar chart of :meth:`timeline`, written as SVG (deterministic: no date stamp)."""
        matplotlib = _require("matplotlib")
        matplotlib.use("Agg")
        matplotlib.rcParams["svg.hashsalt"] = "paradiplomacy"  # the same SVG ids on every run
        pyplot = __import__("matplotlib.pyplot").pyplot
        table = self.timeline(relations)
        figure, axes = pyplot.subplots(figsize=(10, 4))
        table.plot.bar(stacked=True, ax=axes, width=0.8)
        axes.set_xlabel("year" if lang == "en" else shaped("سال"))
        axes.set_ylabel("relations" if lang == "en" else shaped("روابط"))
        figure.tight_layout()
        out = Path(path)
        figure.savefig(out, format="svg", metadata={"Date": None})
        pyplot.close(figure)
        return out


def _columns(names: list[str], entity_columns: tuple[str, ...]) -> list[str]:
    columns = []
    for name in names:
        columns.append(name)
        if name in entity_columns:
            columns += [f"{name}_en", f"{name}_fa"]
    return columns


def _cell(name: str, values: list[str]) -> str | int | float | None:
    """A cell: nothing, one value (a number where the column counts), or several as text."""
    if not values:
        return None
    if len(values) > 1:
        return " ; ".join(values)
    if name in NUMERIC:
        return float(values[0]) if "." in values[0] else int(values[0])
    return values[0]


def _number_text(value: object) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _document_iri(source: str) -> str:
    return source if source.startswith("http") else str(INSTANCE["doc"][source])


def _missing(value: object) -> bool:
    try:
        return value is None or value != value or str(value) == "<NA>"
    except TypeError:  # pandas.NA refuses comparison
        return True


#: what `pdkg export` writes: table name -> method of KnowledgeGraph
TABLES = ("relations", "memberships", "events", "claims", "disagreements")
EXPORT_FORMATS = ("csv", "parquet", "graphml", "gexf")


def export(graph: KnowledgeGraph, out_dir: Path, formats: tuple[str, ...] = EXPORT_FORMATS, source: str | None = None) -> list[Path]:
    """The tables (CSV with a byte-order mark, so spreadsheet programs read the Persian as
    UTF-8; Parquet), the city measures, and the city network (GraphML, GEXF) into ``out_dir``."""
    unknown = sorted(set(formats) - set(EXPORT_FORMATS))
    if unknown:
        raise ProjectError(f"unknown export format {', '.join(unknown)} (expected {', '.join(EXPORT_FORMATS)})")
    out_dir.mkdir(parents=True, exist_ok=True)
    frames = {name: getattr(graph, name)(source) if name != "disagreements" else graph.disagreements() for name in TABLES}
    network = graph.city_network(frames["relations"])
    frames["cities"] = graph.network_measures(network)
    written = []
    for name, frame in frames.items():
        if "csv" in formats:
            frame.to_csv(out_dir / f"{name}.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
            written.append(out_dir / f"{name}.csv")
        if "parquet" in formats:
            _require("pyarrow")
            frame.to_parquet(out_dir / f"{name}.parquet", index=False)
            written.append(out_dir / f"{name}.parquet")
    if "graphml" in formats:
        _require("networkx").write_graphml(network, out_dir / "city-network.graphml")
        written.append(out_dir / "city-network.graphml")
    if "gexf" in formats:
        _require("networkx").write_gexf(network, out_dir / "city-network.gexf")
        written.append(out_dir / "city-network.gexf")
    return written


def plot_result(result: Result, path: Path | str, title: str = "") -> Path:
    """Any stored query's answer as a bar chart (SVG): one bar group per row, named by its
    first label column (or first column), one bar per column whose every cell is a number.
    Refused, naming the columns, when the answer has no numeric column to draw."""
    matplotlib = _require("matplotlib")
    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "paradiplomacy"
    pyplot = __import__("matplotlib.pyplot").pyplot
    pandas = _require("pandas")
    frame = pandas.DataFrame(result.rows, columns=result.variables)
    numeric = [c for c in frame.columns if len(frame) and frame[c].map(_is_number).all()]
    if not numeric:
        raise ProjectError(f"nothing to chart: no column of numbers among {', '.join(result.variables) or 'no columns'}")
    names = next((c for c in frame.columns if c.endswith("_label")), frame.columns[0])
    frame[names] = frame[names].map(shaped)
    table = frame.set_index(names)[numeric].apply(pandas.to_numeric)
    figure, axes = pyplot.subplots(figsize=(max(6, 0.5 * len(table) + 3), 4))
    table.plot.bar(ax=axes, width=0.8)
    axes.set_xlabel("")
    axes.set_title(shaped(title))
    figure.tight_layout()
    out = Path(path)
    figure.savefig(out, format="svg", metadata={"Date": None})
    pyplot.close(figure)
    return out


def shaped(text: str) -> str:
    """Persian for matplotlib. A matplotlib built with libraqm (3.11.2 here) lays text out itself: it joins
    Arabic-script letters and orders them right to left itself; before, it did neither, so the
    text goes in as the letters' joined forms (arabic-reshaper) in display order (python-bidi).
    Doing both would reverse the words."""
    if not any("\u0600" <= ch <= "\u06ff" for ch in text) or _lays_out_bidi():
        return text
    reshaper = _require("arabic_reshaper")
    from bidi.algorithm import get_display

    return get_display(reshaper.reshape(text))


def _lays_out_bidi() -> bool:
    from matplotlib import ft2font

    return hasattr(ft2font, "__libraqm_version__")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True
