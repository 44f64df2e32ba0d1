"""SPARQL 1.1 results in the four standard formats (JSON, XML, CSV, TSV), and graph results
(CONSTRUCT, DESCRIBE) in N-Triples, Turtle or JSON-LD."""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef

from paradiplomacy.formats import format_names, rdf_formats
from paradiplomacy.publish.conneg import Offer, negotiate
from paradiplomacy.rdf.serialize import jsonld, nt_term, ntriples, turtle
from paradiplomacy.serve.pool import Answer, Term

RESULT_OFFERS = (
    Offer("application/sparql-results+json", "json"),
    Offer("application/json", "json"),
    Offer("application/sparql-results+xml", "xml"),
    Offer("application/xml", "xml"),
    Offer("text/csv", "csv"),
    Offer("text/tab-separated-values", "tsv"),
)
GRAPH_FORMATS = rdf_formats("ttl", "nt", "jsonld")
GRAPH_OFFERS = tuple(Offer(f.media_type, f.name) for f in GRAPH_FORMATS)
MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
         "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
         **{f.name: f.content_type for f in GRAPH_FORMATS}}
# ?format= accepts a short name or a media type (those of the RDF formats the server has not are refused: 406)
FORMAT_NAMES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", **format_names()}


def choose(answer: Answer, accept: str | None, format_param: str | None) -> str | None:
    """The short name of the format to answer in, or None when none is acceptable (406)."""
    offers = GRAPH_OFFERS if answer.kind == "graph" else RESULT_OFFERS
    if format_param:
        wanted = FORMAT_NAMES.get(format_param.lower())
        if wanted is None:
            offer = negotiate(format_param, offers)
            wanted = offer.suffix if offer else None
        return wanted if wanted in {o.suffix for o in offers} else None
    if not accept or accept.strip() in ("*/*", ""):
        return offers[0].suffix
    offer = negotiate(accept, offers)
    return offer.suffix if offer else None


def _rdflib(term: Term):
    if term[0] == "uri":
        return URIRef(term[1])
    if term[0] == "bnode":
        return BNode(term[1])
    return Literal(term[1], lang=term[2], datatype=URIRef(term[3]) if term[3] else None)


def _json_term(term: Term) -> dict:
    if term[0] == "literal":
        out = {"type": "literal", "value": term[1]}
        if term[2]:
            out["xml:lang"] = term[2]
        elif term[3] and term[3] != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term[3]
        return out
    return {"type": term[0], "value": term[1]}


def _xml_term(term: Term) -> str:
    if term[0] == "uri":
        return f"<uri>{escape(term[1])}</uri>"
    if term[0] == "bnode":
        return f"<bnode>{escape(term[1])}</bnode>"
    attrs = f" xml:lang={quoteattr(term[2])}" if term[2] else (
        f" datatype={quoteattr(term[3])}" if term[3] and term[3] != "http://www.w3.org/2001/XMLSchema#string" else "")
    return f"<literal{attrs}>{escape(term[1])}</literal>"


def serialize(answer: Answer, fmt: str) -> bytes:
    if answer.kind == "graph":
        triples = [tuple(_rdflib(t) for t in row) for row in answer.rows]
        text = turtle(triples) if fmt == "ttl" else jsonld(triples) if fmt == "jsonld" else ntriples(triples)
        return text.encode("utf-8")
    if fmt == "json":
        if answer.kind == "ask":
            return json.dumps({"head": {}, "boolean": answer.boolean}).encode("utf-8")
        bindings = [{v: _json_term(t) for v, t in zip(answer.variables, row, strict=True) if t is not None} for row in answer.rows]
        return json.dumps({"head": {"vars": answer.variables}, "results": {"bindings": bindings}}, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
        out += [f"<variable name={quoteattr(v)}/>" for v in answer.variables]
        out.append("</head>")
        if answer.kind == "ask":
            out.append(f"<boolean>{'true' if answer.boolean else 'false'}</boolean>")
        else:
            out.append("<results>")
            for row in answer.rows:
                cells = "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                                for v, t in zip(answer.variables, row, strict=True) if t is not None)
                out.append(f"<result>{cells}</result>")
            out.append("</results>")
        out.append("</sparql>")
        return ("\n".join(out) + "\n").encode("utf-8")
    if answer.kind == "ask":  # CSV and TSV define no boolean form; a one-cell table says it
        return f"boolean\r\n{'true' if answer.boolean else 'false'}\r\n".encode()
    if fmt == "csv":  # SPARQL 1.1 CSV: plain values, CRLF line ends
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(answer.variables)
        for row in answer.rows:
            writer.writerow(["" if t is None else ("_:" + t[1] if t[0] == "bnode" else t[1]) for t in row])
        return buffer.getvalue().encode("utf-8")
    # TSV: terms in Turtle syntax, variables with their "?"
    lines = ["\t".join("?" + v for v in answer.variables)]
    for row in answer.rows:
        lines.append("\t".join("" if t is None else nt_term(_rdflib(t)) for t in row))
    return ("\n".join(lines) + "\n").encode("utf-8")
