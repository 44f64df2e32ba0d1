"""Publish the graph as linked open data: a static site in build/site/.

The site holds the dumps (TriG, N-Quads, Turtle, N-Triples, JSON-LD), the ontology (Turtle,
RDF/XML, N-Triples, JSON-LD) and its documentation, a VoID/DCAT description, one page per
entity in Persian and English with its RDF documents beside it (``id/city/tehran`` ->
``id/city/tehran.html``, ``.fa.html``, ``.ttl``, ``.jsonld``, ``.nt``), the answers of the
stored queries and the map in both languages, the charts, the query UI, and the redirect
rules for content negotiation. Scripts, styles, the Persian web font and the world outline are
copied from web/node_modules (npm packages pinned in web/package-lock.json), each with its
licence: a page loads nothing from another host.

The site is written to a fresh folder and swapped in at the end, so a running ``pdkg serve``
never sees half a site, and a page of an entity that no longer exists does not linger.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from rdflib import Dataset

from paradiplomacy.build import Answer, Runner, answer_all, canonical_dataset, row_sources
from paradiplomacy.namespaces import GRAPH
from paradiplomacy.project import Project, ProjectError
from paradiplomacy.publish.charts import write_charts
from paradiplomacy.publish.conneg import htaccess, w3id_htaccess
from paradiplomacy.publish.dumps import write_dumps, write_ontology
from paradiplomacy.publish.map import map_data, map_script
from paradiplomacy.publish.pages import UI, Pages
from paradiplomacy.publish.queryui import write_query_pages
from paradiplomacy.publish.sitegraph import SiteGraph, entity_path
from paradiplomacy.publish.void import void_turtle
from paradiplomacy.query.catalogue import catalogue
from paradiplomacy.query.engine import FastStore
from paradiplomacy.query.labels import LabelIndex
from paradiplomacy.rdf.load import project_version, union
from paradiplomacy.rdf.serialize import json_terms, jsonld, ntriples, turtle

# web/node_modules file -> site file; the licence files travel with the code they cover.
VENDOR = {
    "leaflet/dist/leaflet.js": "vendor/leaflet/leaflet.js",
    "leaflet/dist/leaflet.css": "vendor/leaflet/leaflet.css",
    "leaflet/dist/images": "vendor/leaflet/images",
    "leaflet/LICENSE": "vendor/leaflet/LICENSE",
    "@zazuko/yasgui/build/yasgui.min.js": "vendor/yasgui/yasgui.min.js",
    "@zazuko/yasgui/build/yasgui.min.css": "vendor/yasgui/yasgui.min.css",
    "topojson-client/dist/topojson-client.min.js": "vendor/topojson-client/topojson-client.min.js",
    "topojson-client/LICENSE": "vendor/topojson-client/LICENSE",
    "world-atlas/LICENSE": "vendor/world-atlas/LICENSE",
    # one variable font file holds every weight (112 KB); the brackets of its name left behind
    "vazirmatn/fonts/webfonts/Vazirmatn[wght].woff2": "vendor/vazirmatn/Vazirmatn-Variable.woff2",
    "vazirmatn/OFL.txt": "vendor/vazirmatn/OFL.txt",
    "vazirmatn/AUTHORS.txt": "vendor/vazirmatn/AUTHORS.txt",
}
# Natural Earth's countries at 1:110m (public domain) as TopoJSON, written as a script: a page
# opened from the file system cannot fetch a JSON file
WORLD = ("world-atlas/countries-110m.json", "vendor/world-atlas/countries-110m.js")
ASSETS = ("site.css", "map.js", "sparql.js")  # package templates copied to assets/
PLACEHOLDER_SITE_URL = "https://paradiplomacy.invalid/"  # .invalid never resolves (RFC 2606)


class PublishError(ProjectError):
    """Something the site needs is missing; the message says what to run."""


def site_dir(project: Project) -> Path:
    return project.build_dir / "site"


def node_modules(project: Project) -> Path:
    """web/node_modules of the project, or of the checkout this package is installed from (a
    copy of the sources made for a test has no web/)."""
    for web in (project.root / "web", Path(__file__).resolve().parents[3] / "web"):
        if (web / "node_modules" / "leaflet").is_dir():
            return web / "node_modules"
    raise PublishError(f"{project.root / 'web' / 'node_modules'} is missing: run `npm ci --prefix web` "
                       "(or `make run`, which does) to fetch the browser libraries the site vendors")


class _Writer:
    def __init__(self, root: Path) -> None:
        self.root, self.written = root, list[Path]()

    def __call__(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.written.append(path)
        return path


def publish(project: Project, dataset: Dataset, answers: list[Answer] | None = None,
            out: Path | None = None, site_url: str | None = None, runner: Runner | None = None,
            contact: str | None = None) -> list[Path]:
    """Write the static site for ``dataset`` to ``out`` (default build/site/); returns the
    files written. ``answers`` are build.answer_all's and ``runner`` the build's query runner
    (both made here when None); ``contact`` the publisher's mailto: or http(s) contact for the
    DCAT contact point (none is invented when it is not given)."""
    target = out or site_dir(project)
    modules = node_modules(project)
    staging = target.with_name(target.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    write = _Writer(staging)
    version = project_version(project)
    canonical = canonical_dataset(dataset)
    runner = runner or Runner(canonical)  # Oxigraph: the charts and the answers run stored queries

    terms = json_terms(union(canonical, str(GRAPH)))  # plain JSON-LD keys, the same in every document
    dumps = write_dumps(canonical, write, terms) + write_ontology(canonical, write, version)
    write("void.ttl", void_turtle(canonical, version, dumps, contact))
    write(".htaccess", htaccess())
    write("w3id.htaccess", w3id_htaccess(site_url or PLACEHOLDER_SITE_URL))

    site = SiteGraph(canonical, LabelIndex.from_runner(runner))
    pages = Pages(site, write, version)
    for iri in site.entities:
        base = entity_path(str(iri))
        triples = site.description(iri)
        write(base + ".ttl", turtle(triples))
        write(base + ".jsonld", jsonld(triples, terms=terms))
        write(base + ".nt", ntriples(triples))
        for lang in ("en", "fa"):
            pages.entity(iri, lang)
    listed = [dict(href=d.path, format=d.format, type=d.media_type, size=d.size) for d in dumps]
    for lang in ("en", "fa"):
        pages.index(lang, listed)
        pages.ontology(union(canonical, f"{GRAPH}ontology/"), lang)

    if answers is None:
        answers = answer_all(project, runner)
    sources = [[row_sources(runner, row, tuple(str(v) for v in a.query.bindings().values())) for row in a.result.rows]
               for a in answers]
    for lang in ("en", "fa"):
        pages.answers(answers, sources, lang)

    geo = map_data(site)
    write("map.geojson", json.dumps(geo, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
    write("map-data.js", map_script(geo))
    drawn = [f for f in geo["features"] if f["geometry"]["type"] == "LineString"]
    years = sorted(int(f["properties"]["year"]) for f in drawn if (f["properties"]["year"] or "").isdigit())
    for lang in ("en", "fa"):
        pages.render("map.html", "map.html" if lang == "en" else "map.fa.html", lang, UI[lang]["map_title"],
                     lines=len(drawn), cities=len(geo["features"]) - len(drawn), years=(years[0], years[-1]) if years else ("", ""),
                     not_drawn=[dict(href=r["href"] if lang == "en" else r["href"][: -len(".html")] + ".fa.html",
                                     label=r[f"label_{lang}"]) for r in geo["not_drawn"]])
    write_charts(pages, write, runner.store.store if runner.store else FastStore.from_dataset(canonical).store, modules)
    write_query_pages(pages, write, catalogue(project))

    templates = Path(__file__).with_name("templates")
    for name in ASSETS:
        write("assets/" + name, (templates / name).read_text(encoding="utf-8"))
    for source, dest in VENDOR.items():
        write.written += copy_vendored(modules / source, staging / dest)
    world = modules / WORLD[0]
    if not world.is_file():
        raise PublishError(f"{world} is missing: run `npm ci --prefix web` (web/package-lock.json pins the versions)")
    write(WORLD[1], "window.PD_WORLD = " + world.read_text(encoding="utf-8").strip() + ";\n")

    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return [target / p.relative_to(staging) for p in write.written]


def copy_vendored(source: Path, dest: Path) -> list[Path]:
    if not source.exists():
        raise PublishError(f"{source} is missing: run `npm ci --prefix web` (web/package-lock.json pins the versions)")
    dest.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, dest)
        return sorted(p for p in dest.rglob("*") if p.is_file())
    shutil.copyfile(source, dest)
    return [dest]
