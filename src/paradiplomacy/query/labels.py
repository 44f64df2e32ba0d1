"""Names for people: every entity's labels, answers shown with them, and parameters given by name.

A researcher writes `--param city=اصفهان`, `city=Isfahan`, `city=isfahan` or `city=city:isfahan`
and means the same city; a misspelt name is refused with the closest names instead of
answering with an empty table. Answers get, beside every column of entity IRIs, a column of
their labels in the language asked.

Names are matched after normalising what Persian text varies in without changing the word:
Arabic ي and ك for Persian ی and ک, Persian and Arabic digits, diacritics and tatweel, and
spaces and zero-width non-joiners (the seeds' PDF extraction drops half-spaces: «سن‌پترزبورگ»
and «سن پترزبورگ» and «سنپترزبورگ» are one name). The labels themselves are shown as written.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from paradiplomacy.ingest.normalise import fold
from paradiplomacy.namespaces import BASE, PREFIXES
from paradiplomacy.query.catalogue import QueryError, Result, StoredQuery, expand_iri
from paradiplomacy.query.terms import TermError, check_iri, sparql_term

LABEL_QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?entity ?property ?label ?lang WHERE {
  VALUES ?property { rdfs:label skos:prefLabel skos:altLabel }
  ?entity ?property ?label .
  FILTER (isIRI(?entity))
  BIND (LANG(?label) AS ?lang)
}"""

#: the labels of the entities in VALUES only (LabelIndex.fetch)
ENTITY_LABEL_QUERY = LABEL_QUERY.replace("WHERE {\n", "WHERE {\n  VALUES ?entity { %s }\n", 1)

# what the names differ in beyond the ingest tool's character folding (one home for that:
# ingest/normalise.py): alef with madda, spaces, hyphens, quotes and brackets
_ALEF = str.maketrans({"آ": "ا"})
_DROP = re.compile(r"[\s\-_'’‘.,،()«»\"]+")


class _Folded(dict):
    """fold() one code point at a time, for str.translate: a label's key in one C call instead of
    a Python call per character (every label is keyed when a name is looked up). fold() collapses
    and strips whitespace, which normalise drops anyway, so per character it gives the same key."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold(chr(code)).translate(_ALEF)
        return folded


_FOLDED = _Folded()


def normalise(text: str) -> str:
    """The key a name is matched by (never shown): see the module's docstring."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text).translate(_FOLDED))


@dataclass
class LabelIndex:
    """Every labelled entity: its label per language, and the names it answers to."""

    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    #: (label, IRI) for every label read; normalised into ``names`` only when a name is looked
    #: up (normalising every label was a third of `pdkg query` on a built graph)
    named: list[tuple[str, str]] = field(default_factory=list, repr=False)
    _names: dict[str, set[str]] | None = field(default=None, init=False, repr=False, compare=False)

    #: the runner of an index read on demand (on_demand), None once every label is read
    _source: Any = field(default=None, init=False, repr=False, compare=False)
    _fetched: set[str] = field(default_factory=set, init=False, repr=False, compare=False)

    @property
    def names(self) -> dict[str, set[str]]:
        """Normalised name -> the IRIs it names (every label of the graph is read for it)."""
        if self._source is not None:
            runner, self._source = self._source, None
            self.labels, self.named = {}, []
            self._read(runner.select(LABEL_QUERY).rows)
        if self._names is None:
            names: dict[str, set[str]] = {}
            for name, iri in self.named:
                names.setdefault(normalise(name), set()).add(iri)
            for entity in self.labels:
                if entity.startswith(BASE + "id/"):  # the slug is a name too: city=isfahan
                    names.setdefault(normalise(entity.rsplit("/", 1)[-1]), set()).add(entity)
            self._names = names
        return self._names

    @classmethod
    def from_runner(cls, runner) -> LabelIndex:
        """Read from a Runner (either engine): one query, whatever the size of the answer."""
        index = cls()
        index._read(runner.select(LABEL_QUERY).rows)
        return index

    @classmethod
    def on_demand(cls, runner) -> LabelIndex:
        """An index that reads the labels of the entities it is asked about (fetch; labelled and
        resolve fetch what they need), and every label only when a name is looked up: an answer
        of 24 rows is labelled without reading the 2,700 labels of the graph (or the millions of
        a large one)."""
        index = cls()
        index._source = runner
        return index

    def fetch(self, iris: Iterable[str]) -> None:
        """Read the labels of these IRIs, if the index is read on demand and has not read them yet;
        what is not an IRI is passed over (an answer's cells are fetched as they come)."""
        if self._source is None:
            return
        wanted = []
        for iri in sorted(set(iris) - self._fetched):
            self._fetched.add(iri)
            try:
                wanted.append(sparql_term(check_iri(iri, "value")))
            except TermError:
                continue
        if wanted:
            self._read(self._source.select(ENTITY_LABEL_QUERY % " ".join(wanted)).rows)

    def _read(self, rows) -> None:
        """Labels (entity, property, label, language) into the index; every label of an entity
        must be in the same ``rows``: rdfs:label before skos:prefLabel, then the smallest in
        code-point order, so the label shown is stable."""
        chosen: dict[tuple[str, str], tuple[int, str]] = {}
        for entity, prop, label, lang in rows:
            self.named.append((label, entity))
            self.labels.setdefault(entity, {})
            if not prop.endswith("altLabel"):
                candidate = (0 if prop.endswith("#label") else 1, label)
                chosen[entity, lang] = min(chosen.get((entity, lang), candidate), candidate)
        for (entity, lang), (_, label) in chosen.items():
            self.labels[entity][lang] = label
        self._names = None

    def knows(self, iri: str) -> bool:
        """Whether ``iri`` is a labelled entity of the graph."""
        self.fetch([iri])
        return iri in self.labels

    def label(self, iri: str, lang: str = "en") -> str:
        """The label in ``lang``, else in the other language, else nothing."""
        self.fetch([iri])
        shown = self.labels.get(iri, {})
        return shown.get(lang) or shown.get("en" if lang == "fa" else "fa") or ""

    def resolve(self, value: str, name: str = "value") -> str:
        """An IRI, CURIE, slug, or English or Persian label -> the one IRI it names, as the
        text a parameter takes; refused with the closest names when it names none or several."""
        if ":" in value and not value.startswith(("http://", "https://", "<")) and value.split(":", 1)[0] not in PREFIXES:
            pass  # "X: Y" is a name with a colon, not a CURIE of ours
        elif ":" in value:
            iri = str(expand_iri(value, name))
            if self.knows(iri):
                return iri
            raise QueryError(f"parameter {name!r}: no entity {value!r} in the graph{self._suggest(value.rsplit('/', 1)[-1].split(':')[-1])}")
        matches = sorted(self.names.get(normalise(value), ()))
        if len(matches) == 1:
            return matches[0]
        if matches:
            options = "; ".join(f"{curie(m)} ({self.label(m)})" for m in matches)
            raise QueryError(f"parameter {name!r}: {value!r} names {len(matches)} entities: {options}; give one of them")
        raise QueryError(f"parameter {name!r}: nothing in the graph is named {value!r}{self._suggest(value)}")

    def _suggest(self, value: str) -> str:
        keys = difflib.get_close_matches(normalise(value), list(self.names), n=5, cutoff=0.6)
        iris = list(dict.fromkeys(iri for key in keys for iri in sorted(self.names[key])))[:5]  # closest first
        if not iris:
            return ""
        return "; closest: " + ", ".join(f"{curie(i)} ({self.label(i, 'en')} / {self.label(i, 'fa')})" for i in iris)

    def resolve_values(self, query: StoredQuery, values: dict[str, str]) -> dict[str, str]:
        """The values of a query's IRI parameters resolved by name; the others as given."""
        resolved = dict(values)
        for pname, value in values.items():
            parameter = query.parameters.get(pname)
            if parameter is not None and parameter.kind == "iri":
                resolved[pname] = self.resolve(value, pname)
        return resolved

    def labelled(self, result: Result, lang: str) -> Result:
        """The result with a ``<column>_label`` column after every column that holds entities."""
        self.fetch(cell for row in result.rows for cell in row)
        entity_columns = [
            i for i in range(len(result.variables)) if any(row[i] in self.labels for row in result.rows)
        ]
        variables: list[str] = []
        for i, variable in enumerate(result.variables):
            variables.append(variable)
            if i in entity_columns:
                variables.append(f"{variable}_label")
        rows = []
        for row in result.rows:
            cells: list[str] = []
            for i, cell in enumerate(row):
                cells.append(cell)
                if i in entity_columns:
                    cells.append(self.label(cell, lang))
            rows.append(tuple(cells))
        return Result(variables, rows)


def curie(iri: str) -> str:
    """The shortest name of an IRI: a CURIE of the project's prefixes where one fits."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and re.fullmatch(r"[\w.-]+", iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"
