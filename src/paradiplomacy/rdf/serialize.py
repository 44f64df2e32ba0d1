"""Small, deterministic writers of N-Triples, Turtle and JSON-LD for sets of triples.

The site holds a few thousand tiny documents (one per entity and format). rdflib's serializers
take milliseconds each and their order follows the store's insertion order; these writers sort
every triple, so two publications of the same graph are byte-identical, and they are fast.
The tests parse their output back with rdflib and compare it with the source triples.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD

from paradiplomacy.formats import rdf_format
from paradiplomacy.namespaces import GRAPH, PD, PREFIXES

PD_NS = str(PD)

Triple = tuple  # (subject, predicate, object) of rdflib terms

# A local name that Turtle 1.1 and JSON-LD accept after a prefix without escaping.
_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
# Longest namespaces first, so ``city:`` wins over a shorter base that also matches.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def compact(iri: str, prefixes: list[tuple[str, str]] = _BY_LENGTH) -> str | None:
    """``https://w3id.org/paradiplomacy/id/city/tehran`` -> ``city:tehran``, or None."""
    for prefix, ns in prefixes:
        if iri.startswith(ns):
            local = iri[len(ns):]
            if local == "" or _LOCAL.match(local):
                return f"{prefix}:{local}"
    return None


def sort_key(term) -> tuple:
    """IRIs before blank nodes before literals; then by text, language and datatype."""
    if isinstance(term, URIRef):
        return (0, str(term), "", "")
    if isinstance(term, BNode):
        return (1, str(term), "", "")
    return (2, str(term), term.language or "", str(term.datatype or ""))


def triple_key(triple: Triple) -> tuple:
    return tuple(sort_key(t) for t in triple)


def escape(text: str) -> str:
    """A string body for N-Triples/Turtle: one line, quotes and backslashes escaped."""
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))


def nt_term(term) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    body = f'"{escape(str(term))}"'
    if term.language:
        return f"{body}@{term.language}"
    if term.datatype and term.datatype != XSD.string:
        return f"{body}^^<{term.datatype}>"
    return body


def ntriples(triples: Iterable[Triple]) -> str:
    """N-Triples, one sorted line per distinct triple."""
    return "".join(sorted({" ".join(nt_term(t) for t in triple) + " .\n" for triple in triples}))


class _Turtle:
    def __init__(self, extra: dict[str, str] | None = None) -> None:
        self.used: set[str] = set()
        self.prefixes = {**PREFIXES, **(extra or {})}
        self.by_length = sorted(self.prefixes.items(), key=lambda item: -len(item[1]))

    def term(self, term, predicate: bool = False) -> str:
        if predicate and term == RDF.type:
            return "a"
        if isinstance(term, URIRef):
            short = compact(str(term), self.by_length)
            if short:
                self.used.add(short.split(":", 1)[0])
                return short
            return f"<{term}>"
        if isinstance(term, Literal) and term.datatype == XSD.integer and re.fullmatch(r"[+-]?\d+", str(term)):
            return str(term)  # Turtle's bare integer is xsd:integer
        if isinstance(term, Literal) and term.datatype and term.datatype != XSD.string and not term.language:
            return f'"{escape(str(term))}"^^{self.term(term.datatype)}'
        return nt_term(term)


def turtle(triples: Iterable[Triple], extra_prefixes: dict[str, str] | None = None) -> str:
    """Turtle grouped by subject and predicate, sorted, with only the prefixes it uses."""
    writer = _Turtle(extra_prefixes)
    blocks: list[str] = []
    by_subject: dict = {}
    for s, p, o in sorted(set(triples), key=triple_key):
        by_subject.setdefault(s, {}).setdefault(p, []).append(o)
    for s, predicates in by_subject.items():  # "a" (rdf:type) first, as people write it
        if RDF.type in predicates:
            by_subject[s] = {RDF.type: predicates.pop(RDF.type), **predicates}
    for s, predicates in by_subject.items():
        lines = [writer.term(s)]
        items = list(predicates.items())
        for n, (p, objects) in enumerate(items):
            values = " ,\n        ".join(writer.term(o) for o in objects)
            end = " ." if n == len(items) - 1 else " ;"
            lines.append(f"    {writer.term(p, predicate=True)} {values}{end}")
        blocks.append("\n".join(lines))
    head = "".join(f"PREFIX {p}: <{writer.prefixes[p]}>\n" for p in sorted(writer.used))
    return head + ("\n" if head else "") + "\n\n".join(blocks) + ("\n" if blocks else "")


@dataclass(frozen=True)
class Term:
    """A JSON-LD term: a plain key for a property or class, and how its values are written."""
    name: str
    iri: str
    coerce: str | None = None  # "@id", "@language" (a language map), a datatype CURIE, or None

    def definition(self) -> str | dict[str, str]:
        curie = compact(self.iri) or self.iri
        if self.coerce is None:
            return curie
        if self.coerce == "@language":
            return {"@id": curie, "@container": "@language"}
        return {"@id": curie, "@type": self.coerce}


def _local(iri: str) -> str:
    return iri[max(iri.rfind("#"), iri.rfind("/")) + 1:]


def json_terms(triples: Iterable[Triple]) -> dict[URIRef, Term]:
    """Terms for every property and class of ``triples`` (the whole published graph), so that
    an entity's JSON reads ``"label": {"en": …, "fa": …}``, ``"partnerParty": "city:rome"``.

    A property's values decide its coercion: all IRIs -> "@id"; all language-tagged strings -> a
    language map; all of one datatype -> that datatype; else none (value objects). The name is
    the local name; the project's own terms (pd:) keep it when another vocabulary has the same
    one, which then becomes ``prefix_local``, as does a name equal to a prefix (pd:country is
    ``pd_country``, so that ``country:iran`` stays a compact IRI)."""
    kinds: dict[URIRef, set] = {}
    classes: set[URIRef] = set()
    for _, p, o in triples:
        if p == RDF.type and isinstance(o, URIRef):
            classes.add(o)
            continue
        if isinstance(o, (URIRef, BNode)):
            kind = "@id"
        elif o.language:
            kind = "@language"
        else:
            kind = compact(str(o.datatype or XSD.string)) or str(o.datatype)
        kinds.setdefault(p, set()).add(kind)
    iris = sorted({*kinds, *classes}, key=str)
    by_name: dict[str, list[URIRef]] = {}
    for iri in iris:
        by_name.setdefault(_local(str(iri)), []).append(iri)
    terms: dict[URIRef, Term] = {}
    for name, members in by_name.items():
        ours = [m for m in members if str(m).startswith(PD_NS)]
        for iri in members:
            curie = compact(str(iri))
            plain = _LOCAL.match(name) and name not in PREFIXES and name not in ("id", "type") and (
                len(members) == 1 or iri in ours)
            if not plain and not curie:
                continue  # no prefix to build a name from: the full IRI stays the key
            key = name if plain else curie.replace(":", "_")
            kind = kinds.get(iri, set())
            coerce = next(iter(kind)) if len(kind) == 1 and next(iter(kind)) != "xsd:string" else None
            terms[iri] = Term(key, str(iri), None if iri in classes and iri not in kinds else coerce)
    return terms


def context(prefixes: Iterable[str] | None = None, terms: Iterable[Term] = ()) -> dict:
    """The JSON-LD context: the project's prefixes (all, or the ones named), then the terms."""
    names = sorted(PREFIXES) if prefixes is None else sorted(set(prefixes))
    ctx: dict = {name: PREFIXES[name] for name in names}
    terms = sorted(terms, key=lambda t: t.name)
    if terms:
        ctx = {"id": "@id", "type": "@type", **ctx, **{t.name: t.definition() for t in terms}}
    return ctx


def jsonld(triples: Iterable[Triple], inline_context: dict | None = None,
           terms: dict[URIRef, Term] | None = None) -> str:
    """JSON-LD: a sorted ``@graph`` of node objects, IRIs compacted with the project's prefixes
    and, given ``terms`` (json_terms), properties and classes as plain keys; the context is
    written inline (only what the document uses), so nothing has to be fetched to read it."""
    used: set[str] = set()
    used_terms: dict[str, Term] = {}
    terms = terms or {}

    def iri(term) -> str:
        if isinstance(term, BNode):
            return f"_:{term}"
        short = compact(str(term))
        if short:
            used.add(short.split(":", 1)[0])
            return short
        return str(term)

    def value(term) -> dict[str, str]:
        if isinstance(term, (URIRef, BNode)):
            return {"@id": iri(term)}
        out = {"@value": str(term)}
        if term.language:
            out["@language"] = term.language
        elif term.datatype and term.datatype != XSD.string:
            out["@type"] = iri(term.datatype)
        return out

    def key(p) -> str:
        term = terms.get(p)
        if term is None:
            return iri(p)
        used_terms[term.name] = term
        iri(p)  # its prefix goes into the context with the term
        if term.coerce not in (None, "@id", "@language"):
            used.add(term.coerce.split(":", 1)[0])
        return term.name

    nodes: dict = {}
    id_key, type_key = ("id", "type") if terms else ("@id", "@type")
    for s, p, o in sorted(set(triples), key=triple_key):
        node = nodes.setdefault(s, {id_key: iri(s)})
        if p == RDF.type and isinstance(o, URIRef):
            cls = terms.get(o)
            if cls is not None:
                used_terms[cls.name] = cls
                iri(o)
            node.setdefault(type_key, []).append(cls.name if cls is not None else iri(o))
            continue
        name, term = key(p), terms.get(p)
        if term is not None and term.coerce == "@language":
            node.setdefault(name, {}).setdefault(o.language, []).append(str(o))
        elif term is not None and term.coerce == "@id":
            node.setdefault(name, []).append(iri(o))
        elif term is not None and term.coerce is not None:
            node.setdefault(name, []).append(str(o))
        elif term is not None and isinstance(o, Literal) and not o.language and o.datatype in (None, XSD.string):
            node.setdefault(name, []).append(str(o))  # a JSON string is an xsd:string
        else:
            node.setdefault(name, []).append(value(o))
    if terms:  # one value: the value itself, as a JSON-LD compactor writes it
        for node in nodes.values():
            for name, values in node.items():
                if isinstance(values, list) and len(values) == 1:
                    node[name] = values[0]
                elif isinstance(values, dict):
                    node[name] = {lang: texts[0] if len(texts) == 1 else texts for lang, texts in sorted(values.items())}
    if inline_context is not None:
        ctx = inline_context
    else:
        ctx = context(used, used_terms.values())
    return json.dumps({"@context": ctx, "@graph": list(nodes.values())}, ensure_ascii=False, indent=1) + "\n"


def trig(graphs: dict, extra_prefixes: dict[str, str] | None = None) -> str:
    """TriG: one block per named graph, sorted by graph IRI, under one prefix block."""
    blocks, used = [], set()
    for name in sorted(graphs, key=str):
        body = turtle(graphs[name], extra_prefixes)
        head, _, rest = body.partition("\n\n") if body.startswith("PREFIX") else ("", "", body)
        used.update(line for line in head.splitlines() if line)
        indented = "\n".join(("    " + line) if line else "" for line in rest.rstrip("\n").splitlines())
        blocks.append(f"<{name}> {{\n{indented}\n}}\n")
    return "".join(sorted(line + "\n" for line in used)) + "\n" + "\n".join(blocks)


_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def trig_text(dataset) -> str:
    """The project's named graphs of a (canonical) dataset as sorted TriG: rdflib's TriG writer
    orders graphs differently from run to run."""
    return trig({g.identifier: set(g) for g in dataset.graphs() if str(g.identifier).startswith(str(GRAPH)) and len(g)})


def nquads_text(dataset) -> str:
    """N-Quads have no order of their own; sorted lines let releases diff cleanly."""
    nquads = dataset.serialize(format=rdf_format("nq").rdflib)
    return "".join(sorted(line + "\n" for line in nquads.splitlines() if line.strip()))


def rdfxml(triples: Iterable[Triple]) -> str:
    """RDF/XML, flat: one rdf:Description per subject, sorted, namespaces declared in order
    (rdflib's writer declares them in a different order from one run to the next)."""
    from xml.sax.saxutils import escape as xml_escape
    from xml.sax.saxutils import quoteattr

    namespaces: dict[str, str] = {str(RDF): "rdf"}
    known = {ns: prefix for prefix, ns in PREFIXES.items()}

    def qname(iri: str) -> str:
        cut = max(iri.rfind("#"), iri.rfind("/")) + 1
        ns, local = iri[:cut], iri[cut:]
        if not _NCNAME.match(local):
            raise ValueError(f"RDF/XML cannot write the property {iri} (no XML name at its end)")
        if ns not in namespaces:
            namespaces[ns] = known.get(ns, f"ns{len(namespaces)}")
        return f"{namespaces[ns]}:{local}"

    def node(term) -> str:
        return f"rdf:nodeID={quoteattr(str(term))}" if isinstance(term, BNode) else f"rdf:about={quoteattr(str(term))}"

    body: list[str] = []
    current = None
    for s, p, o in sorted(set(triples), key=triple_key):
        if s != current:
            if current is not None:
                body.append("  </rdf:Description>")
            body.append(f"  <rdf:Description {node(s)}>")
            current = s
        name = qname(str(p))
        if isinstance(o, URIRef):
            body.append(f"    <{name} rdf:resource={quoteattr(str(o))}/>")
        elif isinstance(o, BNode):
            body.append(f"    <{name} rdf:nodeID={quoteattr(str(o))}/>")
        else:
            attr = f" xml:lang={quoteattr(o.language)}" if o.language else (
                f" rdf:datatype={quoteattr(str(o.datatype))}" if o.datatype and o.datatype != XSD.string else "")
            body.append(f"    <{name}{attr}>{xml_escape(str(o))}</{name}>")
    if current is not None:
        body.append("  </rdf:Description>")
    declarations = "".join(f"\n    xmlns:{prefix}={quoteattr(ns)}" for ns, prefix in sorted(namespaces.items(), key=lambda i: i[1]))
    return f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{declarations}>\n' + "\n".join(body) + "\n</rdf:RDF>\n"
