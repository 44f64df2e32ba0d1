"""Content negotiation for the graph's IRIs, per the W3C note "Cool URIs for the Semantic Web"
(303 See Other from the IRI of a thing to the document that describes it in the format asked).

One declarative table, ``RESOURCES``, says which IRIs negotiate and what they offer: a pattern
for the IRI's path under the base, and its variants (media type, language, document). Both
servers read it:

- ``pdkg serve`` (serve/server.py) matches a path against the table and chooses a variant with
  ``choose_variant``;
- the Apache rules written into the site (``apache_files``: ``.htaccess`` and one type map per
  resource under ``_conneg/``) are generated from it: mod_rewrite sends each IRI to its
  resource's type map, mod_negotiation chooses the variant (q-values, languages, wildcards), and
  mod_rewrite turns the chosen variant into the 303.

``choose_variant`` is Apache's own selection algorithm (mod_negotiation.c, "is_variant_better", with its
fiddles), restricted to what the type maps use, so the two servers agree by construction and
tests/test_conneg.py checks it against a real Apache. What that means for a client: the most
specific matching media range gives a variant its q (the first such range if several); when the
``Accept`` header carries no q below 1, ``*/*`` counts 0.01 and ``type/*`` 0.02 (so
``text/turtle, */*`` means Turtle); ties go to the language the client ranks higher (``fa`` or
``fa-IR``: Persian; an unlisted language: English), then to the table's order (HTML first).
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

from paradiplomacy.formats import RDF_FORMATS, rdf_formats
from paradiplomacy.namespaces import BASE
from paradiplomacy.project import ProjectError


@dataclass(frozen=True)
class Offer:
    media_type: str
    suffix: str  # of the document: ".html", ".ttl"...


MEDIA_TYPES = {
    **{f.suffix: f.content_type for f in RDF_FORMATS},
    ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".json": "application/json", ".geojson": "application/geo+json", ".png": "image/png", ".svg": "image/svg+xml",
    ".md": "text/markdown; charset=utf-8", ".txt": "text/plain; charset=utf-8", ".map": "application/json",
    ".woff2": "font/woff2",
}
#: the language of a page, by the end of its name (x.fa.html Persian, any other .html English)
PAGE_LANGUAGES = ((".fa.html", "fa"), (".html", "en"))
#: ties between languages the client ranks equally (or not at all) go to the first
LANGUAGE_PRIORITY = ("en", "fa")
VARY = "Accept, Accept-Language"


def page_language(name: str) -> str | None:
    return next((lang for end, lang in PAGE_LANGUAGES if name.endswith(end)), None)


# --- the table -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Variant:
    key: str  # names the variant in the Apache type map
    media_type: str
    target: str  # the document's path; "{0}" is the IRI's path
    language: str | None = None


@dataclass(frozen=True)
class Resource:
    name: str
    pattern: str  # the IRI's path under the base: a regular expression Python and PCRE read alike, no capturing group
    variants: tuple[Variant, ...]  # in the server's order of preference
    what: str
    page: bool = True  # the IRI exists only where its English page ({0}.html) does: otherwise 404

    def matches(self, path: str) -> bool:
        return re.fullmatch(self.pattern, path) is not None

    def location(self, variant: Variant, path: str) -> str:
        return "/" + variant.target.format(path)


def _pages(stem: str) -> tuple[Variant, ...]:
    return (Variant("html-en", "text/html", stem + ".html", "en"), Variant("html-fa", "text/html", stem + ".fa.html", "fa"),
            Variant("xhtml-en", "application/xhtml+xml", stem + ".html", "en"),
            Variant("xhtml-fa", "application/xhtml+xml", stem + ".fa.html", "fa"))


def _rdf(stem: str, rdfxml: bool = False) -> tuple[Variant, ...]:
    names = ("ttl", "jsonld", "nt", "rdf") if rdfxml else ("ttl", "jsonld", "nt")
    return tuple(Variant(f.name, f.media_type, stem + f.suffix) for f in rdf_formats(*names))


RESOURCES = (
    Resource("entity", r"id/[a-z]+/[^.]+", _pages("{0}") + _rdf("{0}"), "entities: /id/{kind}/{slug} (and their parts: /id/city/tehran/geometry)"),
    Resource("ontology", r"ontology/?", _pages("ontology") + _rdf("ontology", rdfxml=True),
             "the ontology, and its terms /ontology#Term (the fragment never reaches the server)", page=False),
    Resource("ontology-part", r"ontology/(?:[a-z][a-z-]*|[0-9]+(?:\.[0-9]+)*)", _pages("{0}") + _rdf("{0}", rdfxml=True),
             "the ontology's modules /ontology/{module} and its version IRI /ontology/{version}"),
    Resource("graph", r"graph/[^.]+", _pages("{0}") + _rdf("{0}"),
             "the named graphs /graph/source/{doc-id}, /graph/reference, /graph/links/..., /graph/ontology/..."),
    Resource("dataset", r"void", _pages("index") + _rdf("void"),
             "the dataset description /void (the dataset /void#paradiplomacy, its catalogue, distributions...)", page=False),
)


def resource_for(path: str) -> Resource | None:
    """The table's resource for a URL path (``/id/city/tehran``), or None."""
    relative = path[1:] if path.startswith("/") else path
    return next((r for r in RESOURCES if r.matches(relative)), None)


# --- Apache's selection algorithm -------------------------------------------------------------------

_SPACE = " \t\n\v\f\r"


def _token(text: str, i: int, white: bool) -> tuple[str, int]:
    """ap_get_token: a token up to ``;`` or ``,`` (or white space unless ``white``), quotes kept."""
    n = len(text)
    while i < n and text[i] in _SPACE:
        i += 1
    start = i
    while i < n and (white or text[i] not in _SPACE) and text[i] not in ";,":
        i += 1
        if text[i - 1] == '"':
            while i < n:
                i += 1
                if text[i - 1] == '"':
                    break
    token = text[start:i]
    while i < n and text[i] in _SPACE:
        i += 1
    return token, i


def atoq(text: str) -> float:
    """A q-value as Apache reads it: three decimals at most; anything not starting 0 or . is 1."""
    i, n = 0, len(text)
    if not text:
        return 1.0
    while i < n and text[i] in _SPACE:
        i += 1
    if i >= n or text[i] != ".":
        if i >= n or text[i] != "0":
            return 1.0
        i += 1
    if i < n and text[i] == ".":
        value, i = 0, i + 1
        if i < n and text[i].isdigit() and text[i].isascii():
            value += int(text[i]) * 100
            i += 1
            if i < n and text[i].isdigit() and text[i].isascii():
                value += int(text[i]) * 10
                i += 1
                if i < n and text[i] in "123456789":
                    value += int(text[i])
        return value / 1000
    return 0.0


@dataclass(frozen=True)
class Range:
    name: str
    q: float
    level: float


def _atoi(text: str) -> int:
    found = re.match(r"[ \t\n\v\f\r]*([+-]?[0-9]+)", text)
    return int(found.group(1)) if found else 0


def parse_ranges(header: str | None) -> list[Range] | None:
    """An Accept or Accept-Language header as mod_negotiation's get_entry reads it (None when
    the header is absent: not the same as present and empty)."""
    if header is None:
        return None
    ranges, i = [], 0
    while i < len(header):
        name, i = _token(header, i, False)
        name = name.lower()
        q, level = 1.0, 2.0 if name == "text/html" else 0.0  # Apache's HTML level kludge
        while i < len(header) and header[i] == ";":
            parm, i = _token(header, i + 1, True)
            k = 0
            while k < len(parm) and parm[k] not in _SPACE and parm[k] != "=":
                k += 1
            if k >= len(parm):
                continue
            var, rest = parm[:k].lower(), parm[k + 1:]
            rest = rest.lstrip(_SPACE + "=")
            if rest.startswith('"'):
                value = re.split(r'[\n\r"]', rest[1:], maxsplit=1)[0]
            else:
                value = re.split(f"[{_SPACE}]", rest, maxsplit=1)[0]
            value = value.lower()
            if var in ("q", "qs"):
                q = atoq(value)
            elif var == "level":
                level = float(_atoi(value))
        if i < len(header) and header[i] == ",":
            i += 1
        ranges.append(Range(name, q, level))
    return ranges


def _mime_quality(variant: Variant, accepts: list[Range], fiddle: bool) -> tuple[float, int]:
    """set_accept_quality: the q of the most specific range matching (the first of equals)."""
    level = 2.0 if variant.media_type == "text/html" else 0.0
    stars, q = 0, 0.0
    for r in accepts:
        if r.name in ("*", "*/*"):
            found = 1
        elif len(r.name) > 2 and r.name.endswith("/*") and variant.media_type.startswith(r.name[:-1]):
            found = 2
        elif r.name == variant.media_type and r.level >= level:
            found = 3
        else:
            continue
        if found <= stars:
            continue
        stars = found
        q = 0.01 if fiddle and stars == 1 else 0.02 if fiddle and stars == 2 else r.q
    return q, stars


def _language_quality(language: str | None, langs: list[Range] | None, default: float) -> tuple[float, int]:
    """set_language_quality with ForceLanguagePriority Prefer Fallback: (q, priority index)."""
    if language is None:
        return default, -1
    quality = 1.0
    if langs is not None:
        best = star = None
        fiddle_q, this = 0.0, None
        longest = 0
        for r in langs:
            if r.name == "*":
                star = star or r
                continue
            if language.startswith(r.name) and (len(language) == len(r.name) or language[len(r.name)] == "-") and len(r.name) > longest:
                longest, this = len(r.name), r
            if this is None and "-" in r.name:  # en-US also matches en, at 0.001
                cut = r.name.index("-")
                if language[:cut] == r.name[:cut] and len(language) >= cut:
                    fiddle_q = 0.001
        if best is None or (this is not None and this.q > best.q):
            best = this
        if this is None and star is not None and (best is None or star.q > best.q):
            best = star
        quality = best.q if best is not None else fiddle_q
    index = next((i for i, p in enumerate(LANGUAGE_PRIORITY) if language.lower().startswith(p.lower())), -1)
    if index >= 0 and not quality:
        quality = 0.0001  # Fallback: a language the client did not ask for is still better than 406
    return quality, index


def choose_variant(resource: Resource, accept: str | None, accept_language: str | None) -> Variant | None:
    """The variant Apache's mod_negotiation chooses from ``resource``'s type map for these
    headers, or None (406 Not Acceptable)."""
    accepts = parse_ranges(accept)
    fiddle = accepts is None or not any(r.q < 1.0 for r in accepts)
    if accepts is None:
        accepts = [Range("*/*", 1.0, 0.0)]
    langs = parse_ranges(accept_language)
    default = 0.0001 if any(v.language for v in resource.variants) else 1.0
    best, best_q, best_lang = None, 0.0, (0.0, -1)
    for variant in resource.variants:
        q, _ = _mime_quality(variant, accepts, fiddle)
        lang_q, index = _language_quality(variant.language, langs, default)
        if q == 0 or lang_q == 0 or q < best_q:
            continue
        if best is not None and q == best_q:
            if lang_q < best_lang[0]:
                continue
            if lang_q == best_lang[0]:
                if best_lang[1] != -1 and (index == -1 or index > best_lang[1]):
                    continue
                if not (index != -1 and (best_lang[1] == -1 or index < best_lang[1])):
                    continue  # equal in every respect: the earlier variant stays
        best, best_q, best_lang = variant, q, (lang_q, index)
    return best


# --- the RFC 9110 choice, for the SPARQL results (served by pdkg serve alone) ------------------------

def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """``text/turtle;q=0.9, */*;q=0.1`` -> [("text/turtle", 0.9), ("*/*", 0.1)]."""
    ranges = []
    for part in (header or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for field in fields[1:]:
            name, _, value = field.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((fields[0].lower(), q))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> float:
    """The q of the most specific range matching ``media_type`` (RFC 9110 §12.5.1)."""
    kind = media_type.split("/")[0] + "/*"
    best, specificity = 0.0, -1
    for value, q in ranges:
        level = 2 if value == media_type else 1 if value == kind else 0 if value == "*/*" else -1
        if level > specificity:
            best, specificity = q, level
    return best if specificity >= 0 else 0.0


def negotiate(accept: str | None, offers: tuple[Offer, ...]) -> Offer | None:
    """The offer the client prefers most; the first offer when it states nothing; None (406)
    when it accepts none of them."""
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0]
    best, best_q = None, 0.0
    for offer in offers:
        q = _quality(offer.media_type, ranges)
        if q > best_q:
            best, best_q = offer, q
    return best


# --- the Apache files ---------------------------------------------------------------------------------

CONNEG_DIR = "_conneg"  # the type maps; the variants' internal URIs live under _conneg/to/
STATUS_DIR = "_status"  # the plain-text bodies of 404 and 406, as pdkg serve sends them
NOT_FOUND = "not found\n"
NOT_ACCEPTABLE = "not acceptable: the Vary'd headers match no document; see the Accept-able types in the table of README.md\n"


def type_map(resource: Resource) -> str:
    """mod_negotiation's type map of a resource: one record per variant, in the table's order
    (Apache keeps the first of equal variants), every qs 1 and no charset (both would break ties
    differently from the table); the URIs are internal and name the variant."""
    records = [f"# {resource.what} (written by `pdkg publish` from publish/conneg.py)\nURI: {resource.name}\n"]
    for v in resource.variants:
        lines = [f"URI: to/{resource.name}/{v.key}", f"Content-Type: {v.media_type}"]
        if v.language:
            lines.append(f"Content-Language: {v.language}")
        records.append("\n".join(lines) + "\n")
    return "\n".join(records)


def _rewrite_target(template: str) -> str:
    return "/" + template.replace("{0}", "$1")


def htaccess() -> str:
    """The rules for an Apache serving the site at the root of its host (needs mod_rewrite,
    mod_negotiation, mod_mime, mod_headers, mod_dir; AllowOverride FileInfo Indexes Options)."""
    types = [f"AddType {media.split(';')[0]} {suffix}" for suffix, media in sorted(MEDIA_TYPES.items())]
    charsets = " ".join(s for s, media in sorted(MEDIA_TYPES.items()) if "charset=utf-8" in media)
    lines = [
        "# Content negotiation for the Paradiplomacy Knowledge Graph (W3C Cool URIs, 303 See Other).",
        "# Written by `pdkg publish` from the table in src/paradiplomacy/publish/conneg.py, the table",
        "# `pdkg serve` follows: mod_rewrite sends an IRI to its type map (_conneg/*.var), mod_negotiation",
        "# chooses the document by Accept and Accept-Language, q-values included, and the chosen",
        "# variant's internal URI is answered with 303 See Other to the document.",
        "# Needs mod_rewrite, mod_negotiation, mod_mime, mod_headers and mod_dir, and",
        "# AllowOverride FileInfo Indexes Options=MultiViews for this folder. The site must be at the",
        "# root of its host (the rules' targets are absolute paths).",
        "Options -MultiViews", "DirectoryIndex index.html", "AddHandler type-map .var",
        "# /id/city/tehran is an IRI even though the folder id/city/tehran/ holds its parts' documents:",
        "# no slash is added (mod_dir would answer 301 before the rules' internal redirect)",
        "DirectorySlash Off",
        *types, f"AddCharset utf-8 {charsets}",
        "AddLanguage fa .fa", '<FilesMatch "\\.html$">', "  DefaultLanguage en", "</FilesMatch>",
        f"LanguagePriority {' '.join(LANGUAGE_PRIORITY)}", "ForceLanguagePriority Prefer Fallback",
        f"ErrorDocument 404 /{STATUS_DIR}/404.txt", f"ErrorDocument 406 /{STATUS_DIR}/406.txt",
        "# every answer may be read by a page of another origin (open data, no cookies)",
        'Header always set Access-Control-Allow-Origin "*"',
        f'Header always set Vary "{VARY}" "expr=%{{REQUEST_URI}} =~ m#^/{CONNEG_DIR}/#"',
        "RewriteEngine On", "RewriteBase /", "",
    ]
    for r in RESOURCES:
        lines.append(f"# {r.what}")
        if r.page:
            lines.append("RewriteCond %{DOCUMENT_ROOT}/$1.html -f")  # exactly the IRI's page, as pdkg serve checks
        lines += [f"RewriteRule ^({r.pattern})$ /{CONNEG_DIR}/{r.name}.var/$1 [L]", ""]
    lines.append("# the variant mod_negotiation chose (an internal URI, never a client's): 303 to its document")
    for r in RESOURCES:
        for v in r.variants:
            lines += ["RewriteCond %{ENV:REDIRECT_STATUS} .",
                      f"RewriteRule ^{CONNEG_DIR}/to/{r.name}/{v.key}/(.*)$ {_rewrite_target(v.target)} [R=303,L,NE]"]
    lines += ["", "# the endpoint is a process of its own (pdkg serve); proxy /sparql to it where it runs", ""]
    return "\n".join(lines)


def apache_files() -> dict[str, str]:
    """Every file of the site the Apache rules need, by its path in the site."""
    files = {".htaccess": htaccess(), f"{STATUS_DIR}/404.txt": NOT_FOUND, f"{STATUS_DIR}/406.txt": NOT_ACCEPTABLE}
    for r in RESOURCES:
        files[f"{CONNEG_DIR}/{r.name}.var"] = type_map(r)
    return files


APACHE_MODULES = ("mpm_event", "authz_core", "mime", "dir", "rewrite", "headers", "negotiation")


def apache_server_config(site: str, host: str, port: int, run_dir: str, user: str | None = None,
                         modules_dir: str = "/usr/lib/apache2/modules", debian_conf: str = "/etc/apache2") -> str:
    """A whole httpd.conf serving ``site`` at the root of ``host:port`` with the modules the rules
    need and Debian's stock mime and negotiation settings (which the site's .htaccess overrides
    where it matters): what tests/test_conneg.py runs, and a start for a deployment."""
    loads = [f"LoadModule {m}_module {modules_dir}/mod_{m}.so" for m in APACHE_MODULES]
    stock = [f"Include {debian_conf}/mods-available/{name}.conf" for name in ("mime", "negotiation")]
    return "\n".join([
        f"ServerRoot {run_dir}", f"ServerName {host}", f"Listen {host}:{port}", f"PidFile {run_dir}/httpd.pid",
        f"ErrorLog {run_dir}/error.log", "LogLevel warn", f"DefaultRuntimeDir {run_dir}", f"Mutex file:{run_dir} default",
        *( [f"User {user}", f"Group {user}"] if user else []), *loads, *stock,
        f"DocumentRoot {site}",
        '<FilesMatch "^\\.ht">', "  Require all denied", "</FilesMatch>",
        "<Directory />", "  AllowOverride None", "  Require all denied", "</Directory>",
        f"<Directory {site}>", "  Options FollowSymLinks", "  AllowOverride FileInfo Indexes Options=MultiViews,FollowSymLinks",
        "  Require all granted", "</Directory>", "",
    ])


# --- the persistent-IRI service -------------------------------------------------------------------

PLACEHOLDER_SITE_URL = "https://paradiplomacy.invalid/"  # .invalid never resolves (RFC 2606)
# names that never reach a public host: RFC 2606 and RFC 6761 reserve them
_RESERVED = re.compile(r"(^|\.)(invalid|test|example|localhost|local)$|(^|\.)example\.(com|net|org)$|^(127\.|0\.0\.0\.0$|\[?::1\]?$)")


class DeployError(ProjectError):
    """A site address no deployment can have."""


def deploy_site_url(value: str | None) -> str:
    """``--site-url`` checked for a deployment: an http(s) address of a real host, else DeployError
    naming the value (the placeholder among them)."""
    if not value:
        raise DeployError(f"--deploy needs --site-url: the address the site is hosted at (the rules would point at {PLACEHOLDER_SITE_URL})")
    url = urllib.parse.urlsplit(value)
    host = (url.hostname or "").lower()
    if url.scheme not in ("http", "https") or not host or url.query or url.fragment:
        raise DeployError(f"--site-url {value!r}: give the http(s) address the site is hosted at, e.g. https://example.net/paradiplomacy/")
    if value == PLACEHOLDER_SITE_URL or _RESERVED.search(host):
        raise DeployError(f"--site-url {value!r} is a placeholder (a reserved name that never reaches a public host): "
                          "give the address the site is hosted at")
    return value if value.endswith("/") else value + "/"


def w3id_htaccess(site_url: str) -> str:
    """The rules for the persistent-IRI service (w3id.org/paradiplomacy/): every path goes on to
    the same path on the site, whose rules negotiate (one rule set, not two that drift apart;
    a w3id folder can hold no type map). The redirect does not depend on the request's headers,
    so it carries no Vary; it is a 307, so that a query POSTed to /sparql keeps its body."""
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    placeholder = "  THIS IS THE PLACEHOLDER: publish with --deploy --site-url URL" if site_url == PLACEHOLDER_SITE_URL else ""
    return (
        "# For https://github.com/perma-id/w3id.org, folder paradiplomacy/ (written by `pdkg publish`).\n"
        f"# The site is at {site_url}{placeholder}\n"
        "# Every IRI goes on to the same path on the site, which negotiates (its .htaccess, from the\n"
        "# table in src/paradiplomacy/publish/conneg.py that `pdkg serve` follows).\n"
        "<IfModule mod_headers.c>\n  Header always set Access-Control-Allow-Origin \"*\"\n</IfModule>\n"
        "Options +FollowSymLinks\nRewriteEngine On\n"
        f"RewriteRule ^(.*)$ {site_url}$1 [R=307,L,NE]\n"
    )


def iri_path(iri: str) -> str | None:
    """The URL path an IRI under the base is asked for with (its fragment never sent), or None."""
    if not iri.startswith(BASE):
        return None
    return "/" + iri[len(BASE):].split("#", 1)[0]
