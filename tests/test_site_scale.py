"""The site written at scale (publish/site.py, pagecache.py, discard.py) is the site written one
page at a time: byte for byte, in processes or one, rendered or linked from the page cache, after
an edit as after a clean build; the previous site is out of the way when publish() returns."""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from paradiplomacy.build import Build, Sources, canonical_dataset, run
from paradiplomacy.discard import discard_tree
from paradiplomacy.publish import pagecache
from paradiplomacy.publish.site import publish

FORUM = URIRef("https://w3id.org/paradiplomacy/id/body/asian-mayors-forum")
OLD, NEW = Literal("Asian Mayors Forum", lang="en"), Literal("Asian Mayors' Forum", lang="en")


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def same_site(a: Path, b: Path) -> None:
    fa, fb = files(a), files(b)
    assert sorted(fa) == sorted(fb)
    assert [name for name in fa if fa[name] != fb[name]] == []


@pytest.fixture()
def caches(monkeypatch):
    """Every PageCache a publication saves, to read what it reused and rendered."""
    saved = []
    original = pagecache.PageCache.save

    def save(self):
        saved.append(self)
        original(self)

    monkeypatch.setattr(pagecache.PageCache, "save", save)
    return saved


def one_at_a_time(monkeypatch) -> None:
    monkeypatch.setenv("PDKG_SITE_WORKERS", "1")
    monkeypatch.setenv("PDKG_PAGE_CACHE", "0")


def with_dataset(build: Build, dataset) -> Build:
    """``build`` with its sources replaced by ``dataset`` (every view made anew from it)."""
    s = build.sources
    return dataclasses.replace(build, sources=Sources(s.project, s.engine, dataset, s.cells, s.queries))


@pytest.mark.site
def test_the_site_in_processes_and_from_the_cache_is_the_site_page_by_page(project, tmp_path, monkeypatch, caches):
    """Four publications: in two processes with an empty page cache; one page at a time without a
    cache (the code path of before); after an edit of one label, from the cache into the first
    site's folder; and the edited graph one page at a time."""
    made = run(project)
    canonical = made
    monkeypatch.setenv("PDKG_SITE_WORKERS", "2")
    monkeypatch.setenv("PDKG_PAGE_CACHE", str(tmp_path / "pages"))
    out = tmp_path / "build" / "site"
    publish(canonical, out)  # two processes, every file rendered
    entities = len(list((out / "id").rglob("*.nt")))
    assert entities > 1500  # the real data's 1,542 entities
    # two pages, Turtle and JSON-LD per entity (the N-Triples are the key, written as they are)
    assert caches[-1].reused == 0 and caches[-1].made == 4 * entities
    with monkeypatch.context() as m:
        one_at_a_time(m)
        publish(canonical, tmp_path / "serial" / "site")
    same_site(out, tmp_path / "serial" / "site")

    dataset = canonical_dataset(made.dataset)
    graph = next(g for g in dataset.graphs() if (FORUM, RDFS.label, OLD) in g)
    graph.remove((FORUM, RDFS.label, OLD))
    graph.add((FORUM, RDFS.label, NEW))
    edited = with_dataset(made, dataset)
    publish(edited, out)  # the same folder: the first site is discarded
    # the forum's own documents and the pages that name it are made again, not the site
    assert 5 <= caches[-1].made < entities / 5 and caches[-1].reused == 4 * entities - caches[-1].made
    assert "Asian Mayors&#39; Forum" in (out / "id/body/asian-mayors-forum.html").read_text(encoding="utf-8")
    with monkeypatch.context() as m:
        one_at_a_time(m)
        publish(edited, tmp_path / "clean" / "site")
    same_site(out, tmp_path / "clean" / "site")
    leftovers = lambda: [p.name for p in out.parent.iterdir() if p.name != "site"]  # noqa: E731
    deadline = time.monotonic() + 120
    while leftovers() and time.monotonic() < deadline:  # deleted in the background, not by publish()
        time.sleep(0.5)
    assert leftovers() == []


def test_a_changed_or_missing_cache_entry_is_made_anew(tmp_path):
    cache = pagecache.PageCache(tmp_path / "pages", "salt")
    key = cache.key("page", "id/city/x.html", "en")
    made = []

    def make() -> str:
        made.append(1)
        return "<p>Tehran</p>"

    cache.place(key, tmp_path / "a" / "x.html", make)
    cache.save()
    (tmp_path / "a" / "x.html").write_text("<p>Teheran</p>", encoding="utf-8")  # the site's file is the entry's link
    again = pagecache.PageCache(tmp_path / "pages", "salt")
    again.place(key, tmp_path / "b" / "x.html", make)
    assert len(made) == 2 and (tmp_path / "b" / "x.html").read_text(encoding="utf-8") == "<p>Tehran</p>"
    again.save()
    third = pagecache.PageCache(tmp_path / "pages", "salt")
    third.place(key, tmp_path / "c" / "x.html", make)  # intact now: linked, not made
    assert len(made) == 2 and third.reused == 1
    for entry in (tmp_path / "pages").glob("??/*"):
        entry.unlink()
    fourth = pagecache.PageCache(tmp_path / "pages", "salt")
    fourth.place(key, tmp_path / "d" / "x.html", make)
    assert len(made) == 3 and (tmp_path / "d" / "x.html").read_text(encoding="utf-8") == "<p>Tehran</p>"
    # another salt (templates, code or version changed) never finds the entry
    assert pagecache.PageCache(tmp_path / "pages", "other").key("page", "id/city/x.html", "en") != key


def test_a_discarded_folder_is_out_of_the_way_at_once(tmp_path):
    folder = tmp_path / "site"
    for i in range(300):
        (folder / f"d{i % 7}").mkdir(parents=True, exist_ok=True)
        (folder / f"d{i % 7}" / f"{i}.html").write_text("x", encoding="utf-8")
    parked = discard_tree(folder)
    assert not folder.exists() and parked.parent == tmp_path
    deadline = time.monotonic() + 60
    while parked.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not parked.exists()
    assert discard_tree(folder) is None  # nothing there: nothing to do
    assert os.listdir(tmp_path) == []
