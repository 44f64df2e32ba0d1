"""The build cache (``build/cache/``): what a build derived from a source file, kept under the
file's content hash so that the next build reuses it while the file is unchanged.

Two kinds of entry, each a data file and a small JSON record beside it:

- ``parse/<key>.nt`` — a Turtle source as the loader parsed and checked it (rdf/load.py's
  parse_turtle), in N-Triples, read back with rdflib's N-Triples parser instead of its Turtle parser and the checks;
- ``derived/<key>.bin`` — any view a later stage computes from whole files (check/qc.py keeps
  the QC index of a bulk N-Quads file there).

The key is the SHA-256 of the entry's kind, :data:`CACHE_VERSION` (the layout, and the
versions of the parsers that made it) and the content hash of every input file. An entry is
used only when its record names the same inputs with the same hashes and the entry's own bytes
still have the hash the record holds; anything else — a stale, truncated, corrupted or foreign
entry — is ignored and made again from the source. An entry is written to a temporary name and
renamed, the record last, so a build killed while writing leaves no entry that looks whole.

A file's content hash is read again whenever its size or modification time (in nanoseconds)
differs from what the record saw, or the file was modified within a second of the record being
made (git's "racy" rule: an edit in the same tick could keep both); otherwise the record's hash
is trusted, as git and make trust a file's stat.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path

from rdflib import Graph

from paradiplomacy.project import ProjectError

CACHE_VERSION = f"pdkg-cache-1 rdflib-{version('rdflib')} pyoxigraph-{version('pyoxigraph')}"
RACY_SECONDS = 1.0


def file_hash(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def bytes_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class BuildCache:
    """A folder of cache entries (``build/cache/`` of a project by default)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.hits = self.misses = 0
        self._stats = root / "stat.json"
        self._seen: dict[str, list] | None = None  # path -> [size, mtime_ns, recorded at, hash]

    @classmethod
    def of(cls, project) -> BuildCache:
        return cls(project.build_dir / "cache")

    # --- content hashes ---------------------------------------------------------------------
    def _stat_table(self) -> dict[str, list]:
        if self._seen is None:
            try:
                self._seen = json.loads(self._stats.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._seen = {}
        return self._seen

    def content_hash(self, path: Path) -> str:
        try:
            stat = path.stat()
        except OSError as err:
            raise ProjectError(f"{path}: cannot read: {err.strerror}") from None
        table = self._stat_table()
        known = table.get(str(path.resolve()))
        if (isinstance(known, list) and len(known) == 4 and known[0] == stat.st_size and known[1] == stat.st_mtime_ns
                and known[2] - stat.st_mtime_ns / 1e9 > RACY_SECONDS):
            return known[3]
        digest = file_hash(path)
        table[str(path.resolve())] = [stat.st_size, stat.st_mtime_ns, time.time(), digest]
        self._save_stats()
        return digest

    def _save_stats(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        _write_atomic(self._stats, json.dumps(self._stat_table(), sort_keys=True).encode("utf-8"))

    # --- entries ----------------------------------------------------------------------------
    def _key(self, kind: str, inputs: dict[str, str]) -> str:
        text = json.dumps([CACHE_VERSION, kind, sorted(inputs.items())], ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def _inputs(self, files: Sequence[Path]) -> dict[str, str]:
        return {str(path.resolve()): self.content_hash(path) for path in files}

    def _read(self, folder: str, suffix: str, kind: str, inputs: dict[str, str]) -> bytes | None:
        entry = self.root / folder / (self._key(kind, inputs) + suffix)
        try:
            record = json.loads(entry.with_suffix(".json").read_text(encoding="utf-8"))
            data = entry.read_bytes()
        except (OSError, ValueError):
            return None
        if (not isinstance(record, dict) or record.get("version") != CACHE_VERSION or record.get("kind") != kind
                or record.get("inputs") != inputs or record.get("sha256") != bytes_hash(data)):
            return None
        return data

    def _write(self, folder: str, suffix: str, kind: str, inputs: dict[str, str], data: bytes) -> None:
        entry = self.root / folder / (self._key(kind, inputs) + suffix)
        entry.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(entry, data)
        record = {"version": CACHE_VERSION, "kind": kind, "inputs": inputs, "sha256": bytes_hash(data)}
        _write_atomic(entry.with_suffix(".json"), json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))

    def derived(self, kind: str, files: Sequence[Path], compute: Callable[[], bytes]) -> bytes:
        """The bytes ``compute`` makes from ``files``, from the cache while they are unchanged."""
        inputs = self._inputs(files)
        data = self._read("derived", ".bin", kind, inputs)
        if data is not None:
            self.hits += 1
            return data
        self.misses += 1
        data = compute()
        self._write("derived", ".bin", kind, inputs, data)
        return data

    def has_derived(self, kind: str, files: Sequence[Path]) -> bool:
        """Whether a valid entry is there (its hash checked), without making one."""
        return self._read("derived", ".bin", kind, self._inputs(files)) is not None

    def store_derived(self, kind: str, files: Sequence[Path], data: bytes) -> None:
        self._write("derived", ".bin", kind, self._inputs(files), data)

    def graph(self, path: Path, parse: Callable[[], Graph]) -> Graph:
        """The graph ``parse`` makes of ``path`` (a Turtle source), from its N-Triples in the cache
        while the file is unchanged. A source that does not parse is never cached: its error
        is raised by ``parse`` at every build."""
        inputs = self._inputs([path])
        data = self._read("parse", ".nt", "turtle", inputs)
        if data is not None:
            try:
                graph = graph_of_ntriples(data)
            except Exception:  # the hash matched but the parser refuses it: made anew
                graph = None
            if graph is not None:
                self.hits += 1
                return graph
        self.misses += 1
        graph = parse()
        self._write("parse", ".nt", "turtle", inputs, graph.serialize(format="nt", encoding="utf-8"))
        return graph


def graph_of_ntriples(data: bytes) -> Graph:
    """rdflib's own N-Triples parser, which gives back exactly the terms its serializer wrote (a
    plain literal stays plain; Oxigraph's would read it as an xsd:string). Read this way a source
    costs 0.32 s for the 7,000 Turtle triples of the ontology and data against 0.55 s for the
    Turtle with its checks: most of either is rdflib building its graph."""
    return Graph().parse(data=data, format="nt")


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)
