"""The site's files kept under what they are made from (``build/cache/pages/``), so a rebuild
renders only the pages whose content can have changed.

An entity's page is a pure function of its template context (Pages.entity_context: every
statement, label, link and quote it shows), the templates, the UI strings and the version; its
RDF documents of its description's N-Triples and the JSON-LD terms. The key of a file is the
SHA-256 of those inputs and of :data:`code_key` (the source of the templates and of the modules
that render, and the versions of Jinja and MarkupSafe). A file whose key was made before is
hard-linked from the cache into the new site (copied where links are not possible) instead of
being rendered; the cache's index holds each entry's content hash, checked before the entry is
used, so a changed or damaged entry is rendered anew. Output is deterministic, so a reused file
is byte for byte what rendering would write; tests/test_site_scale.py compares the two.

The index lists the keys of the last publication only; entries no longer listed are deleted in
the background (discard.py).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

INDEX = "index.json"
ENV = "PDKG_PAGE_CACHE"
LAYOUT = "pdkg-pages-1"


def code_key() -> str:
    """What every file of the site depends on besides its own inputs."""
    here = Path(__file__).parent
    h = hashlib.sha256(f"{LAYOUT} jinja2-{version('jinja2')} markupsafe-{version('markupsafe')}".encode())
    sources = [here / "pages.py", here / "sitegraph.py", here.parent / "rdf" / "serialize.py", here.parent / "namespaces.py"]
    for path in sources + sorted((here / "templates").iterdir()):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


class PageCache:
    def __init__(self, root: Path, salt: str, index: dict[str, str] | None = None) -> None:
        self.root, self.salt = root, salt
        if index is not None:  # a child process's: the parent's index, not read again
            self.index = index
        else:
            self.index = self._read_index()
        self.used: dict[str, str] = {}  # key -> content hash, of this publication
        self.reused = self.made = 0
        self._folders: set[Path] = set()  # made in this process: a mkdir per file costs a system call each

    @classmethod
    def of(cls, project, version: str) -> PageCache | None:
        """The project's page cache, build/cache/pages/ ($PDKG_PAGE_CACHE: another folder, or 0
        for none: every file rendered)."""
        where = os.environ.get(ENV, "")
        if where == "0":
            return None
        return cls(Path(where) if where else project.build_dir / "cache" / "pages", code_key() + " " + version)

    def _read_index(self) -> dict[str, str]:
        root = self.root
        try:
            raw = json.loads((root / INDEX).read_text(encoding="utf-8"))
            return dict(raw["entries"]) if raw.get("layout") == LAYOUT else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}

    def key(self, *parts: str) -> str:
        h = hashlib.sha256(self.salt.encode())
        for part in parts:
            h.update(b"\0" + part.encode("utf-8"))
        return h.hexdigest()[:32]

    def _entry(self, key: str) -> Path:
        return self.root / key[:2] / key

    def place(self, key: str, dest: Path, make: Callable[[], str]) -> None:
        """Put the file of ``key`` at ``dest``: the cached one when it is intact, else ``make()``'s."""
        entry, known = self._entry(key), self.index.get(key)
        if known is not None:
            try:
                data = entry.read_bytes()
            except OSError:
                data = None
            if data is not None and _digest(data) == known:
                self._folder(dest.parent)
                try:
                    os.link(entry, dest)
                except OSError:
                    dest.write_bytes(data)
                self.used[key] = known
                self.reused += 1
                return
        data = make().encode("utf-8")
        self._folder(dest.parent)
        dest.write_bytes(data)
        self._folder(entry.parent)
        tmp = entry.with_name(f".{key}.{os.getpid()}.tmp")
        try:
            os.link(dest, tmp)
        except OSError:
            tmp.write_bytes(data)
        os.replace(tmp, entry)
        self.used[key] = _digest(data)
        self.made += 1

    def _folder(self, folder: Path) -> None:
        if folder not in self._folders:
            folder.mkdir(parents=True, exist_ok=True)
            self._folders.add(folder)

    def merge(self, used: dict[str, str], reused: int, made: int) -> None:
        """Add what a child process placed."""
        self.used.update(used)
        self.reused += reused
        self.made += made

    def save(self) -> None:
        """Write the index of this publication and drop the entries it did not use."""
        from paradiplomacy.discard import unlink_later

        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".{INDEX}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps({"layout": LAYOUT, "entries": dict(sorted(self.used.items()))}, separators=(",", ":")),
                       encoding="utf-8")
        os.replace(tmp, self.root / INDEX)
        stale = [self._entry(k) for k in self.index if k not in self.used]
        unlink_later(stale, self.root / f".stale-{os.getpid()}.txt")
        self.index = dict(self.used)
