"""What a SPARQL query sent to the endpoint may be before an engine sees it: its size and
nesting (checked on the text, before any parser), and its ``SERVICE`` clauses (found in the
parsed query).

Why the size limits: Oxigraph's parser and evaluator recurse once per nesting level or chained
operator, and a deep enough query overflows the worker's stack and kills it. Measured with
pyoxigraph 0.5.13 on an 8 MiB main-thread stack, the smallest queries that crashed were about
2,200 nested ``{`` , 4,700 nested ``(``, a chain of 6,900 ``+``, 6,200 ``UNION``, 9,300 ``&&``
and 2,600 ``BIND``. The limits below keep every one of those out of reach even on that stack
(10,000 tokens are at most 5,000 ``+`` or 1,700 ``UNION``), and the workers run queries on a
64 MiB stack, eight times as deep.

Why ``SERVICE`` is refused: the endpoint is public, and a ``SERVICE <http://…>`` clause makes
the engine send a request wherever the client asks (hosts behind the firewall included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from paradiplomacy.project import ProjectError


class QueryRefused(ProjectError):
    """A query the endpoint will not run; the message says which limit and by how much."""


@dataclass(frozen=True)
class Limits:
    length: int = 256 * 1024  # characters of query text
    depth: int = 64  # nesting of (), {} and [] together
    tokens: int = 10000  # words, numbers, operators and punctuation (strings and IRIs count one)
    services: frozenset[str] = field(default_factory=frozenset)  # SERVICE endpoints the operator allows


# Strings, IRIs and comments are single tokens so that brackets and words inside them count for
# nothing. An IRIREF cannot hold spaces, quotes or braces (SPARQL grammar [139]); a `<` that does
# not open one is the less-than operator.
_TOKEN = re.compile(r'''
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<open>[({\[])
  | (?P<close>[)}\]])
  | (?P<word>[\w:?$.]+|.)  # names and numbers; every other character (operators: + - * / ! ...) alone
''', re.VERBOSE | re.DOTALL)


def check_shape(text: str, limits: Limits = Limits()) -> None:
    """Raise QueryRefused when ``text`` is longer, more deeply nested or made of more tokens
    than ``limits`` allow. Linear in the text; stops at the first limit passed."""
    if len(text) > limits.length:
        raise QueryRefused(f"the query is {len(text):,} characters long; this endpoint accepts at most {limits.length:,}")
    depth = tokens = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("space", "comment"):
            continue
        tokens += 1
        if tokens > limits.tokens:
            raise QueryRefused(f"the query has more than {limits.tokens:,} tokens (words, operators, terms); "
                               f"this endpoint accepts at most {limits.tokens:,}")
        if kind == "open":
            depth += 1
            if depth > limits.depth:
                line = text.count("\n", 0, match.start()) + 1
                raise QueryRefused(f"the query nests brackets more than {limits.depth} deep (line {line}); "
                                   f"this endpoint accepts at most {limits.depth} levels")
        elif kind == "close":
            depth = max(0, depth - 1)  # unbalanced brackets are the parser's to report


# SPARQL applies \u and \U escapes to the whole query text before parsing (SPARQL 1.1 §19.2), so a
# keyword can be spelt with them: a text without either and without the letters cannot hold SERVICE.
_MAY_HOLD_SERVICE = re.compile(r"service|\\u|\\U", re.IGNORECASE)
_SERVICE = re.compile("service", re.IGNORECASE)
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _keyword_in(word: str) -> bool:
    """Whether SPARQL could read the keyword SERVICE in this word of _TOKEN's. It cannot when the
    letters continue a variable or a prefixed name's local part (``?service``, ``pd:ServiceExport``:
    the grammar reads names greedily); anywhere else it can, even glued to what comes before:
    Oxigraph (0.5) runs ``?o trueSERVICE <…> {…}``, ``1e1SERVICE`` and ``?o.SERVICE`` as calls."""
    for match in _SERVICE.finditer(word):
        start = match.start()
        while start > 0 and word[start - 1] in _NAME_CHARS:
            start -= 1
        if start == 0 or word[start - 1] not in ":?$":
            return True
    return False


def _may_hold_service(text: str) -> bool:
    """False only when no SERVICE clause can be in ``text``: the letters only inside comments,
    strings, IRIs, variables or prefixed names (tokenised left to right by _TOKEN, as SPARQL's
    lexer reads; see _keyword_in).
    Why: rdflib's parser costs ~0.2 s to import and build, and a stored query that says
    "services" in its header or names pd:ServiceExport must not cost that on every `pdkg query`.

    Any backslash sends the text to the parser: a \\u escape can spell the keyword, and an
    escaped ``\\#`` or ``\\'`` in a prefixed name (PN_LOCAL_ESC) would open a comment or a
    string for _TOKEN that is none for SPARQL, hiding what follows it. A comment ends at CR as
    at LF (SPARQL 1.1 §19.4); _TOKEN's ends at LF only."""
    if not _MAY_HOLD_SERVICE.search(text):
        return False
    if "\\" in text:
        return True
    words = _TOKEN.finditer(text.replace("\r", "\n"))
    return any(m.lastgroup == "word" and _keyword_in(m.group()) for m in words)


def services(text: str) -> list[str]:
    """The endpoints of the query's SERVICE clauses, sorted (``?name`` for a variable), read from
    rdflib's algebra of the parsed query (prefixes and BASE resolved; EXISTS, OPTIONAL, MINUS and
    sub-queries included). Raises QueryRefused when the query may hold a SERVICE and does not
    parse, as it then cannot be checked."""
    return parsed_services(text) if _may_hold_service(text) else []


def parsed_services(text: str) -> list[str]:
    """services() read from rdflib's algebra, for any text (the token test skipped)."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    try:
        algebra = translateQuery(parseQuery(text)).algebra
    except Exception as err:  # rdflib's parser raises several kinds; any of them means "unchecked"
        raise QueryRefused(f"the query mentions SERVICE (or uses \\u escapes) and could not be checked for SERVICE "
                           f"clauses: {type(err).__name__}: {err}") from None
    found: set[str] = set()
    stack = [algebra]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                found.add(f"?{term}" if isinstance(term, Variable) else str(term))
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, set, frozenset)):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
    return sorted(found)


def check_services(text: str, allowed: frozenset[str] = frozenset()) -> None:
    """Raise QueryRefused when the query calls a SERVICE not in ``allowed``."""
    refused = [s for s in services(text) if s not in allowed]
    if refused:
        where = ("only " + ", ".join(f"<{s}>" for s in sorted(allowed))) if allowed else "none"
        raise QueryRefused(f"SERVICE is not allowed on this endpoint (the query calls {', '.join(refused)}; "
                           f"endpoints allowed: {where})")
