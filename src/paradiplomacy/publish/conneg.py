"""Content negotiation for the graph's IRIs, per the W3C note "Cool URIs for the Semantic Web"
(303 See Other from the IRI of a thing to the document that describes it in the format asked).

One table of formats feeds both the server (``pdkg serve``) and the Apache rules written into
the site (``.htaccess``) and for the persistent-IRI service (``w3id.htaccess``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Offer:
    media_type: str
    suffix: str  # of the document: ".html", ".ttl"...


# Server preference, first wins a tie: HTML for browsers and for */*.
ENTITY_OFFERS = (
    Offer("text/html", ".html"),
    Offer("application/xhtml+xml", ".html"),
    Offer("text/turtle", ".ttl"),
    Offer("application/ld+json", ".jsonld"),
    Offer("application/n-triples", ".nt"),
)
ONTOLOGY_OFFERS = (*ENTITY_OFFERS, Offer("application/rdf+xml", ".rdf"))

MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8", ".ttl": "text/turtle; charset=utf-8", ".jsonld": "application/ld+json",
    ".nt": "application/n-triples", ".rdf": "application/rdf+xml", ".nq": "application/n-quads",
    ".trig": "application/trig", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".json": "application/json", ".geojson": "application/geo+json", ".png": "image/png", ".svg": "image/svg+xml",
    ".md": "text/markdown; charset=utf-8", ".txt": "text/plain; charset=utf-8", ".map": "application/json",
}


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


def negotiate(accept: str | None, offers: tuple[Offer, ...] = ENTITY_OFFERS) -> Offer | None:
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


def prefers_persian(accept_language: str | None) -> bool:
    """True when the client ranks Persian above English (``fa`` and ``fa-IR`` alike)."""
    fa = en = 0.0
    for tag, q in parse_accept(accept_language):
        primary = tag.split("-")[0]
        if primary == "fa":
            fa = max(fa, q)
        elif primary == "en" or tag == "*":
            en = max(en, q)
    return fa > en


def apache_rules(target: str) -> str:
    """mod_rewrite rules: a 303 from each entity IRI (and the ontology's) to its document.
    ``target`` is prepended to the document's path: empty inside the site, the site's address
    in the persistent-IRI service's rules."""
    lines = []
    rdf = [o for o in ONTOLOGY_OFFERS if not o.media_type.endswith("html")]
    for what, pattern, stem, offers in (
        ("entities: /id/{kind}/{slug}", r"^id/([^.]+)$", "id/$1", [o for o in rdf if o.suffix != ".rdf"]),
        ("the ontology (and /ontology#Term: the fragment never reaches the server)", r"^ontology/?$", "ontology", rdf),
    ):
        lines.append(f"# {what}")
        for offer in offers:
            escaped = offer.media_type.replace("+", r"\+")
            lines += [f"RewriteCond %{{HTTP_ACCEPT}} {escaped}", f"RewriteRule {pattern} {target}{stem}{offer.suffix} [R=303,L]"]
        lines += ["RewriteCond %{HTTP:Accept-Language} ^fa [NC]", f"RewriteRule {pattern} {target}{stem}.fa.html [R=303,L]",
                  f"RewriteRule {pattern} {target}{stem}.html [R=303,L]", ""]
    lines += ["# the modules of the ontology are documented on the same page",
              f"RewriteRule ^ontology/([a-z]+)$ {target}ontology.html [R=303,L]", ""]
    return "\n".join(lines)


def htaccess() -> str:
    """The rules for an Apache serving the site itself at the root of its host."""
    types = "\n".join(f"AddType {MEDIA_TYPES[s].split(';')[0]} {s}" for s in (".ttl", ".jsonld", ".nt", ".rdf", ".nq", ".trig", ".geojson"))
    return (
        "# Content negotiation for the Paradiplomacy Knowledge Graph (W3C Cool URIs, 303 See Other).\n"
        "# Written by `pdkg publish`; needs mod_rewrite and mod_headers. If the site is not at the\n"
        "# root of its host, change RewriteBase to its path.\n"
        "Options -MultiViews\nDirectoryIndex index.html\n"
        f"{types}\nAddCharset utf-8 .html .ttl .jsonld .nt .nq .trig .md\n"
        "<IfModule mod_headers.c>\n  Header merge Vary Accept\n  Header merge Vary Accept-Language\n</IfModule>\n"
        "RewriteEngine On\nRewriteBase /\n\n" + apache_rules("") +
        "# the endpoint is a process of its own (pdkg serve); proxy /sparql to it where it runs\n"
    )


def w3id_htaccess(site_url: str) -> str:
    """The rules for the persistent-IRI service (w3id.org/paradiplomacy/): negotiate there and
    send the client to the document on the site's host."""
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    return (
        "# For https://github.com/perma-id/w3id.org, folder paradiplomacy/ (written by `pdkg publish`).\n"
        f"# The site is at {site_url}; publish with --site-url to change it.\n"
        "Options +FollowSymLinks\nRewriteEngine On\n\n" + apache_rules(site_url) +
        "# everything else (dumps, void.ttl, pages, the endpoint) at the same path on the site\n"
        f"RewriteRule ^(.*)$ {site_url}$1 [R=302,L]\n"
    )
