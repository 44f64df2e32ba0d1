"""Parameter values as RDF terms: parsed and checked, then serialised so no value can leave its term.

A value reaches an engine in one of two ways. rdflib takes terms structurally (initBindings).
Oxigraph's ``substitutions`` demand the variable in the SELECT projection, which most stored
queries do not have, and a remote endpoint takes only text; both therefore receive a VALUES
block written by :func:`sparql_term`, which follows the SPARQL 1.1 grammar (IRIREF,
STRING_LITERAL_QUOTE with ECHAR) and is tested to parse back to the very same term.

IRIs are checked against RFC 3987 by oxiri, the IRI parser inside pyoxigraph (already a
dependency), which also says what is wrong ("Invalid IRI code point ' '").
"""

from __future__ import annotations

import re
from datetime import date

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from paradiplomacy.namespaces import PREFIXES
from paradiplomacy.project import ProjectError

KINDS = ("iri", "string", "integer", "year", "date")


class TermError(ProjectError):
    """A parameter value that is not a term of its kind; names the parameter and the fault."""


def _describe(value: str, limit: int = 60) -> str:
    """The value quoted, Persian and other printable text as it is, and every control,
    invisible or surrogate character as \\uXXXX (a newline or a ZWNJ in a message hides the fault)."""
    shown = value if len(value) <= limit else value[:limit] + "…"
    return "'" + "".join(ch if ch.isprintable() else f"\\u{ord(ch):04X}" for ch in shown) + "'"


def check_text(value: str, name: str) -> None:
    """Refuse what is not Unicode text (a lone surrogate: undecodable bytes from the shell)."""
    for i, ch in enumerate(value):
        if "\ud800" <= ch <= "\udfff":
            raise TermError(f"parameter {name!r}: lone surrogate U+{ord(ch):04X} at position {i} "
                            f"(the value is not valid Unicode text): {_describe(value)}")


def check_iri(value: str, name: str) -> URIRef:
    """An absolute IRI valid under RFC 3987, or a TermError saying what is wrong."""
    check_text(value, name)
    try:
        ox.NamedNode(value)
    except ValueError as err:
        raise TermError(f"parameter {name!r} expects an IRI (e.g. city:tehran or https://…): {err} in {_describe(value)}") from None
    return URIRef(value)


_LOCAL = re.compile(r"[\w.-]+")


def expand_iri(value: str, name: str = "value") -> URIRef:
    """``city:tehran``, ``<https://…>`` or ``https://…`` -> URIRef; anything else is refused."""
    check_text(value, name)
    if value.startswith("<") and value.endswith(">"):
        return check_iri(value[1:-1], name)
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES:
        if not _LOCAL.fullmatch(local):
            raise TermError(f"parameter {name!r}: {prefix}: must be followed by letters, digits, '.', '-' or '_', got {_describe(value)}")
        return check_iri(PREFIXES[prefix] + local, name)
    if not sep:
        raise TermError(f"parameter {name!r} expects an IRI (e.g. city:tehran or https://…), got {_describe(value)} "
                        f"(no prefix; known prefixes: {', '.join(PREFIXES)})")
    return check_iri(value, name)


def to_term(kind: str, value: str, name: str) -> URIRef | Literal:
    """The RDF term a parameter of ``kind`` holds for the text ``value``."""
    if kind == "iri":
        return expand_iri(value, name)
    check_text(value, name)
    if kind == "integer":
        # ASCII digits only: int() would also take Persian digits and "1_000"
        if not re.fullmatch(r"-?[0-9]{1,18}", value):
            raise TermError(f"parameter {name!r} expects an integer (ASCII digits, at most 18), got {_describe(value)}")
        return Literal(int(value))
    if kind == "year":
        # a Gregorian year: Persian digits usually write a Solar Hijri year, which must not pass as one
        if not re.fullmatch(r"[0-9]{4}", value):
            raise TermError(f"parameter {name!r} expects a Gregorian year of four ASCII digits (YYYY), got {_describe(value)}")
        return Literal(value, datatype=XSD.gYear)
    if kind == "date":
        # a Gregorian day; a Solar Hijri date (1404-03-07) parses as a valid but wrong Gregorian day,
        # so the kind says ISO, and the stored query's header says Gregorian
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise TermError(f"parameter {name!r} expects a Gregorian date YYYY-MM-DD (ASCII digits), got {_describe(value)}")
        try:
            date.fromisoformat(value)
        except ValueError as err:
            raise TermError(f"parameter {name!r}: {err}: {_describe(value)}") from None
        return Literal(value, datatype=XSD.date)
    if kind == "string":
        return Literal(value)
    raise TermError(f"parameter {name!r} has unknown kind {kind!r} (kinds: {', '.join(KINDS)})")


# ECHAR for the four characters STRING_LITERAL_QUOTE forbids raw, and for the other short escapes;
# every other control character as UCHAR. Never \u for " \ LF CR: an engine that expands \u
# before parsing (SPARQL 1.1 §19.2) would turn \u0022 back into a closing quote.
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f-\x9f\u2028\u2029]')


def _escape(match: re.Match) -> str:
    ch = match.group(0)
    return _ECHAR.get(ch) or f"\\u{ord(ch):04X}"


def sparql_string(text: str) -> str:
    """A SPARQL STRING_LITERAL_QUOTE holding exactly ``text``."""
    check_text(text, "value")
    return '"' + _NEEDS_ESCAPE.sub(_escape, text) + '"'


def sparql_term(term: URIRef | Literal) -> str:
    """The SPARQL (and N-Triples) text of an IRI or a literal, checked before it is written."""
    if isinstance(term, URIRef):
        check_iri(str(term), "value")
        return f"<{term}>"
    if isinstance(term, Literal):
        text = sparql_string(str(term))
        if term.language:  # rdflib refuses a malformed language tag when the Literal is made
            return f"{text}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{text}^^{sparql_term(URIRef(term.datatype))}"
        return text
    raise TermError(f"only IRIs and literals can be parameters, got {type(term).__name__}")
