"""Publish the graph as linked open data: a static site in build/site/.

The site holds the dumps (TriG, N-Quads, Turtle, N-Triples, JSON-LD), the ontology (Turtle,
RDF/XML, N-Triples, JSON-LD) and its documentation, a VoID/DCAT description, one page per
entity in Persian and English with its RDF documents beside it (``id/city/tehran`` ->
``id/city/tehran.html``, ``.fa.html``, ``.ttl``, ``.jsonld``, ``.nt``), the answers of the
stored queries and the map in both languages, the charts, the query UI, and the redirect
rules for content negotiation. Scripts, styles, the Persian web font and the world outline are
copied from web/node_modules (npm packages pinned in web/package-lock.json), each with its
licence: a page loads nothing from another host.

An entity that only bulk graphs describe (``Sources.bulk_graphs``: read from bulk N-Quads files,
such as the benchmark's synthetic graph) gets no files: ``ondemand.json`` says so, and ``pdkg
serve`` renders its documents from its store when asked (publish/ondemand.py); static hosting
(Apache) cannot, so a site with bulk graphs needs ``pdkg serve``, or a proxy to it, for them.

The site is written to a fresh folder and swapped in at the end, so a running ``pdkg serve``
never sees half a site, and a page of an entity that no longer exists does not linger.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox

from paradiplomacy.build import Build, commit, keep_failed, staging_dir, write
from paradiplomacy.discard import discard_tree
from paradiplomacy.namespaces import ID
from paradiplomacy.project import Project, ProjectError
from paradiplomacy.publish.charts import write_charts
from paradiplomacy.publish.conneg import PLACEHOLDER_SITE_URL, apache_files, w3id_htaccess
from paradiplomacy.publish.documents import write_documents
from paradiplomacy.publish.dumps import write_dumps, write_ontology
from paradiplomacy.publish.map import kind_legend, map_data, map_script
from paradiplomacy.publish.ondemand import MANIFEST, left_to_serve, manifest_text
from paradiplomacy.publish.pagecache import PageCache
from paradiplomacy.publish.pages import UI, Pages
from paradiplomacy.publish.queryui import write_query_pages
from paradiplomacy.publish.sitegraph import SiteGraph, entity_path
from paradiplomacy.publish.void import void_documents
from paradiplomacy.query.engine import FastStore
from paradiplomacy.query.labels import LabelIndex
from paradiplomacy.rdf.bulk import term_samples
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


def publish(build: Build, out: Path | None = None, site_url: str | None = None, contact: str | None = None) -> list[Path]:
    """Write the static site of ``build`` (build.run's, answered) to ``out`` (default
    build/site/); returns the files written. Everything comes from the build's views: its
    canonical dataset, unions, release, store and answers. ``contact`` is the publisher's mailto:
    or http(s) contact for the DCAT contact point (none is invented when it is not given)."""
    if not build.answered:
        raise ValueError("publish needs a build whose stored queries were answered (build.run(..., answer=True))")
    project, views = build.project, build.sources
    target = out or site_dir(project)
    modules = node_modules(project)
    staging = target.with_name(target.name + ".new")
    discard_tree(staging)  # a publication killed before it was done
    staging.mkdir(parents=True)
    write = _Writer(staging)
    version, canonical, runner = views.version, build.dataset, build.runner

    # plain JSON-LD keys, the same in every document; a bulk graph's properties and classes too
    # (its pages are rendered on demand with the same keys)
    terms = json_terms(views.everything if not views.bulk_in_store else
                       [*views.everything, *term_samples(runner.store.store, views.bulk_graphs)])
    dumps = write_dumps(canonical, write, terms, everything=views.everything, texts={"TriG": views.trig, "N-Quads": views.nquads})
    if views.bulk_in_store:  # the bulk graphs are in the store only: their TriG and N-Quads come from it (build.write's files)
        dumps = [replace(d, size=views.write_trig(staging / d.path).stat().st_size) if d.path.endswith(".trig")
                 else replace(d, size=views.write_nquads(staging / d.path).stat().st_size) if d.path.endswith(".nq") else d
                 for d in dumps]
    dumps += write_ontology(canonical, write, version, release=views.release)
    for path, text in {**void_documents(canonical, version, dumps, contact), **apache_files()}.items():
        write(path, text)
    write("w3id.htaccess", w3id_htaccess(site_url or PLACEHOLDER_SITE_URL))

    site = SiteGraph(canonical, LabelIndex.from_runner(runner))
    pages = Pages(site, write, version)
    cache = PageCache.of(project, version)
    # the entities only bulk graphs describe get no files: pdkg serve renders them from its store
    served = left_to_serve(site, views.bulk_graphs)
    static = [e for e in site.entities if e not in served] if served else site.entities
    if len(static) < len(site.entities):
        write(MANIFEST, manifest_text(version, views.bulk_graphs, terms, len(site.entities) - len(static)))
    elif views.bulk_in_store:  # the SiteGraph holds the sources only; the bulk graphs' entities are all served
        write(MANIFEST, manifest_text(version, views.bulk_graphs, terms, bulk_entities(runner.store.store, views.bulk_graphs, site)))
    write.written += write_entities(site, terms, staging, version, cache=cache, entities=static)
    if cache is not None:
        cache.save()
    write_documents(canonical, write, pages, version, terms, staging)  # named graphs, modules, version IRI
    listed = [dict(href=d.path, format=d.format, type=d.media_type, size=d.size) for d in dumps]
    for lang in ("en", "fa"):
        pages.index(lang, listed)
        pages.ontology(views.ontology, lang)

    for lang in ("en", "fa"):
        pages.answers(list(build.answers), list(build.passages), lang)

    geo = map_data(site)
    write("map.geojson", json.dumps(geo, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
    write("map-data.js", map_script(geo))
    drawn = [f for f in geo["features"] if f["geometry"]["type"] == "LineString"]
    years = sorted(int(f["properties"]["year"]) for f in drawn if (f["properties"]["year"] or "").isdigit())
    for lang in ("en", "fa"):
        pages.render("map.html", "map.html" if lang == "en" else "map.fa.html", lang, UI[lang]["map_title"],
                     kinds=kind_legend(site, lang), lines=len(drawn), cities=len(geo["features"]) - len(drawn),
                     years=(years[0], years[-1]) if years else ("", ""),
                     not_drawn=[dict(href=r["href"] if lang == "en" else r["href"][: -len(".html")] + ".fa.html",
                                     label=r[f"label_{lang}"]) for r in geo["not_drawn"]])
    write_charts(pages, write, runner.store.store if runner.store else FastStore.from_dataset(canonical).store, modules)
    write_query_pages(pages, write, views.queries)

    templates = Path(__file__).with_name("templates")
    for name in ASSETS:
        write("assets/" + name, (templates / name).read_text(encoding="utf-8"))
    for source, dest in VENDOR.items():
        write.written += copy_vendored(modules / source, staging / dest)
    world = modules / WORLD[0]
    if not world.is_file():
        raise PublishError(f"{world} is missing: run `npm ci --prefix web` (web/package-lock.json pins the versions)")
    write(WORLD[1], "window.PD_WORLD = " + world.read_text(encoding="utf-8").strip() + ";\n")

    discard_tree(target)  # renamed away at once, deleted in the background
    staging.rename(target)
    return [target / p.relative_to(staging) for p in write.written]


def bulk_entities(store, bulk_graphs: frozenset[str], site: SiteGraph) -> int:
    """How many entities (IRIs under id/) only the bulk graphs in ``store`` describe: those
    ``pdkg serve`` renders on demand when the SiteGraph holds the sources alone."""
    if not bulk_graphs:
        return 0
    graphs = " ".join(f"<{g}>" for g in sorted(bulk_graphs))
    rows = store.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} "
                       f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), \"{ID}\")) }}")
    described = int(next(iter(rows))["n"].value)
    both = sum(1 for e in site.entities
               if any(q.graph_name.value in bulk_graphs for q in store.quads_for_pattern(ox.NamedNode(str(e)), None, None)))
    return described - both


# --- the entity documents, in processes ----------------------------------------------------------
# Five files per entity (two pages, three RDF documents) are nine tenths of the site's time, all of
# it Python (Jinja, rdflib terms) holding the GIL: a pool of forked processes writes them, each a
# run of entities in the sorted order, and the parent lists the files in that order, so the site
# and the list are the same whatever the number of processes. The children read the SiteGraph
# the parent built (fork shares it; nothing is pickled but the file names) and touch no store.
WORKERS_ENV = "PDKG_SITE_WORKERS"
#: below this many entities one process writes them (a fork costs more than it saves)
PARALLEL_MIN = 400
_SHARED: dict = {}


def site_workers(entities: int) -> int:
    """Processes for the entity documents: $PDKG_SITE_WORKERS, else one per CPU (at most 8)."""
    wanted = os.environ.get(WORKERS_ENV, "")
    if wanted:
        if not wanted.isdigit() or int(wanted) < 1:
            raise PublishError(f"${WORKERS_ENV} must be a whole number of processes (at least 1), not {wanted!r}")
        return int(wanted)
    return 1 if entities < PARALLEL_MIN else max(1, min(os.cpu_count() or 1, 8))


def _write_run(bounds: tuple[int, int]) -> tuple[list[str], dict[str, str], int, int]:
    site, terms, root, version = _SHARED["site"], _SHARED["terms"], _SHARED["root"], _SHARED["version"]
    cache: PageCache | None = _SHARED["cache"]
    write = _Writer(root)
    # one Pages per process: its Jinja environment compiles the templates, which a run of a
    # hundred entities must not pay again
    pages = _SHARED.get(("pages", os.getpid()))
    if pages is None:
        pages = _SHARED[("pages", os.getpid())] = Pages(site, write, version)
    pages.write = write
    if cache is not None and _SHARED["forked"]:  # a child's own account of what it placed
        cache = PageCache(cache.root, cache.salt, cache.index)

    def put(relative: str, key: str, make) -> None:
        cache.place(key, root / relative, make)
        write.written.append(root / relative)

    for iri in _SHARED["entities"][bounds[0]:bounds[1]]:
        base = entity_path(str(iri))
        triples = site.description(iri)
        if cache is None:
            write(base + ".ttl", turtle(triples))
            write(base + ".jsonld", jsonld(triples, terms=terms))
            write(base + ".nt", ntriples(triples))
            for lang in ("en", "fa"):
                pages.entity(iri, lang)
            continue
        nt = ntriples(triples)  # the description, canonical: the key of its other serialisations
        put(base + ".ttl", cache.key("ttl", nt), lambda t=triples: turtle(t))
        put(base + ".jsonld", cache.key("jsonld", _SHARED["terms_key"], nt), lambda t=triples: jsonld(t, terms=terms))
        write(base + ".nt", nt)
        for lang in ("en", "fa"):
            path, title, context = pages.entity_context(iri, lang)
            # the context is built in a fixed order of plain values (str, int, None, lists, dicts), so
            # its repr is the same for the same page, and cheaper than JSON
            key = cache.key("page", path, lang, title, repr(context))
            put(path, key, lambda p=path, la=lang, ti=title, c=context: pages.render_text("entity.html", p, la, ti, **c))
    names = [p.relative_to(root).as_posix() for p in write.written]
    if cache is None:
        return names, {}, 0, 0
    return names, cache.used, cache.reused, cache.made


def write_entities(site: SiteGraph, terms: dict, root: Path, version: str, workers: int | None = None,
                   cache: PageCache | None = None, entities: list | None = None) -> list[Path]:
    """The pages (English, Persian) and RDF documents (Turtle, JSON-LD, N-Triples) of every
    entity (or of ``entities``, in the sorted order) under ``root``; returns the files in the
    entities' order. With a ``cache``, a file whose inputs are unchanged since a publication
    that used the same cache is linked from it."""
    chosen = site.entities if entities is None else entities
    count = len(chosen)
    workers = site_workers(count) if workers is None else workers
    terms_key = json.dumps(sorted((str(k), repr(v)) for k, v in terms.items()), ensure_ascii=False)
    _SHARED.update(site=site, terms=terms, root=root, version=version, cache=cache, terms_key=terms_key,
                   forked=workers > 1 and count >= 2, entities=chosen)
    try:
        if not _SHARED["forked"]:
            names = _write_run((0, count))[0]
        else:
            import multiprocessing

            # runs of about a hundred entities, handed out in order, so that both processes
            # stay busy to the end whatever the entities' sizes
            step = max(1, min(100, count // (workers * 4) or 1))
            runs = [(start, min(start + step, count)) for start in range(0, count, step)]
            names = []
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for run_names, used, reused, made in pool.imap(_write_run, runs):
                    names += run_names
                    if cache is not None:
                        cache.merge(used, reused, made)
    finally:
        _SHARED.clear()
    return [root / name for name in names]


def copy_vendored(source: Path, dest: Path) -> list[Path]:
    if not source.exists():
        raise PublishError(f"{source} is missing: run `npm ci --prefix web` (web/package-lock.json pins the versions)")
    dest.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, dest)
        return sorted(p for p in dest.rglob("*") if p.is_file())
    shutil.copyfile(source, dest)
    return [dest]


def deliver(build: Build, site_url: str | None = None, contact: str | None = None) -> list[Path]:
    """``write`` and ``publish`` into a staging folder, then move the products into build/ (see
    below); returns them at their new place. A build that is not ``ok`` is refused before
    anything is written; one that fails while writing leaves build/ as it was and its files in
    build/.failed/."""
    if not build.ok:
        raise ValueError(f"not delivered: {build.refusal()}")
    project = build.project
    staging = staging_dir(project)
    try:
        write(build, staging)
        publish(build, staging / "site", site_url=site_url, contact=contact)
    except Exception:
        keep_failed(project, staging)
        raise
    return commit(project, staging)
