"""The build cache (rdf/cache.py): a cached parse is the parse, a one-file edit rebuilds what a
clean build gives, and a corrupted or stale entry is never used."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

from paradiplomacy.build import canonical_dataset
from paradiplomacy.project import Project
from paradiplomacy.rdf.cache import BuildCache
from paradiplomacy.rdf.load import SourceError, load_dataset, parse_turtle
from paradiplomacy.rdf.serialize import nquads_text

FORUM = URIRef("https://w3id.org/paradiplomacy/id/body/asian-mayors-forum")
LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")


@pytest.fixture()
def copy(project, tmp_path) -> Project:
    root = tmp_path / "project"
    for name in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(project.root / name, root / name)
    shutil.copy(project.root / "pyproject.toml", root / "pyproject.toml")
    return Project.locate(root)


def turtle_sources(project: Project) -> list[Path]:
    return sorted(project.ontology_files() + list(project.data_dir.rglob("*.ttl")) + project.shape_files())


def test_a_cached_parse_is_the_parse(project, tmp_path):
    cache = BuildCache(tmp_path / "cache")
    files = turtle_sources(project)
    for path in files:
        parsed = parse_turtle(path)
        assert isomorphic(cache.graph(path, lambda p=path: parse_turtle(p)), parsed), path  # made
        assert isomorphic(cache.graph(path, lambda: pytest.fail("parsed again")), parsed), path  # read back
    assert (cache.hits, cache.misses) == (len(files), len(files))


@pytest.mark.slow
def test_a_one_file_edit_rebuilds_what_a_clean_build_gives(copy):
    cache = BuildCache.of(copy)
    load_dataset(copy, cache)
    first = cache.misses
    edited = copy.data_dir / "reference" / "organizations.ttl"
    edited.write_text(edited.read_text(encoding="utf-8").replace('"Asian Mayors Forum"@en', '"Asian Mayors\' Forum"@en'), encoding="utf-8")
    cache = BuildCache.of(copy)
    rebuilt = load_dataset(copy, cache)
    assert cache.misses == 1 and cache.hits == first - 1  # only the edited file is parsed again
    clean = load_dataset(copy)
    assert (FORUM, LABEL, Literal("Asian Mayors' Forum", lang="en")) in rebuilt.graph(next(
        g.identifier for g in clean.graphs() if (FORUM, LABEL, None) in g))
    assert sorted(str(g.identifier) for g in rebuilt.graphs()) == sorted(str(g.identifier) for g in clean.graphs())
    for graph in clean.graphs():
        assert isomorphic(rebuilt.graph(graph.identifier), graph), graph.identifier
    assert nquads_text(canonical_dataset(rebuilt)) == nquads_text(canonical_dataset(clean))  # the same dump


def entry_of(cache: BuildCache) -> Path:
    (entry,) = (cache.root / "parse").glob("*.nt")
    return entry


def warm(tmp_path, text: str) -> tuple[Path, BuildCache]:
    source = tmp_path / "x.ttl"
    source.write_text(text, encoding="utf-8")
    cache = BuildCache(tmp_path / "cache")
    cache.graph(source, lambda: parse_turtle(source))
    return source, cache


SOURCE = '<https://w3id.org/paradiplomacy/id/city/x> <http://www.w3.org/2000/01/rdf-schema#label> "ایکس"@fa .\n'


@pytest.mark.parametrize("damage", ["a changed value", "truncated", "a forged record", "another version"])
def test_a_corrupted_entry_is_never_used(tmp_path, damage):
    source, cache = warm(tmp_path, SOURCE)
    entry = entry_of(cache)
    record = entry.with_suffix(".json")
    if damage == "a changed value":  # still valid N-Triples: only the hash tells
        entry.write_text(entry.read_text(encoding="utf-8").replace("ایکس", "ایگرگ"), encoding="utf-8")
    elif damage == "truncated":
        entry.write_bytes(entry.read_bytes()[:20])
    elif damage == "a forged record":  # the entry changed and its record made to match another file
        entry.write_text(entry.read_text(encoding="utf-8").replace("ایکس", "ایگرگ"), encoding="utf-8")
        data = json.loads(record.read_text(encoding="utf-8"))
        data["inputs"] = {k: "0" * 64 for k in data["inputs"]}
        record.write_text(json.dumps(data), encoding="utf-8")
    else:
        data = json.loads(record.read_text(encoding="utf-8"))
        data["version"] = "pdkg-cache-0"
        record.write_text(json.dumps(data), encoding="utf-8")
    fresh = BuildCache(cache.root)
    graph = fresh.graph(source, lambda: parse_turtle(source))
    assert (fresh.hits, fresh.misses) == (0, 1)
    assert {str(o) for o in graph.objects()} == {"ایکس"}
    again = BuildCache(cache.root)  # the entry made anew is used
    again.graph(source, lambda: pytest.fail("parsed again"))
    assert again.hits == 1


def test_an_edit_that_keeps_size_and_time_is_seen(tmp_path):
    """Git's racy case: an edit of the same length within the same tick, the modification time
    put back. The record was made within a second of the file's time, so the file is hashed again."""
    source, cache = warm(tmp_path, SOURCE)
    stat = source.stat()
    source.write_text(SOURCE.replace("ایکس", "ایگر"), encoding="utf-8")  # two letters of two bytes: same size
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert source.stat().st_size == stat.st_size
    fresh = BuildCache(cache.root)
    graph = fresh.graph(source, lambda: parse_turtle(source))
    assert {str(o) for o in graph.objects()} == {"ایگر"} and fresh.misses == 1


def test_a_source_that_does_not_parse_is_never_cached(tmp_path):
    source = tmp_path / "bad.ttl"
    source.write_text(SOURCE + "<https://w3id.org/paradiplomacy/id/city/y> <x> .\n", encoding="utf-8")
    cache = BuildCache(tmp_path / "cache")
    for _ in range(2):  # the error each time, with its line
        with pytest.raises(SourceError, match=r"bad\.ttl:2"):
            cache.graph(source, lambda: parse_turtle(source, "bad.ttl"))
    assert not list((tmp_path / "cache").rglob("*.nt"))
