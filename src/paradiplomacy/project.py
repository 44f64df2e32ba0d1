"""Where the hand-edited sources of a checkout live, and the files among them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path


class ProjectError(Exception):
    """A problem with the project's files; the message names the file."""


@cache
def package_version() -> str:
    """The installed distribution's version (``paradiplomacy.__version__``). Here, at the lowest
    layer, so that every layer can name itself (a user agent, a server header, provenance)."""
    # importlib.metadata costs ~50 ms at import: read the version only when it is asked for
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("paradiplomacy-kg")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0+unknown"


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def locate(cls, start: Path | None = None) -> Project:
        """The checkout containing ``start`` (or $PDKG_ROOT, or the working directory)."""
        here = Path(os.environ.get("PDKG_ROOT") or start or Path.cwd()).resolve()
        for candidate in (here, *here.parents):
            if (candidate / "ontology").is_dir() and (candidate / "pyproject.toml").is_file():
                return cls(candidate)
        raise ProjectError(f"no project found at or above {here} (expected ontology/ and pyproject.toml)")

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def seeds_dir(self) -> Path:
        return Path(os.environ.get("PDKG_SEEDS") or self.root.parent / "shared" / "seeds")

    def ontology_files(self) -> list[Path]:
        return sorted(self.ontology_dir.rglob("*.ttl"))

    def data_files(self) -> list[Path]:
        """The Turtle under data/ (candidates written by `pdkg ingest` are not data yet)."""
        return sorted(p for p in self.data_dir.rglob("*.ttl") if "candidates" not in p.relative_to(self.data_dir).parts)

    def data_tables(self) -> list[Path]:
        """The CSV tables of the graph: data/reference/places.csv and each source's tables (not its
        candidates/, which `pdkg ingest` proposes, nor data/crosswalk/, which links.py reads)."""
        places = self.data_dir / "reference" / "places.csv"
        return sorted([*([places] if places.is_file() else []), *self.data_dir.glob("sources/*/*.csv")])

    def shape_files(self) -> list[Path]:
        return sorted(self.shapes_dir.rglob("*.ttl"))

    def turtle_sources(self) -> list[Path]:
        """Every hand-edited Turtle file that `pdkg fmt` keeps canonical."""
        return [*self.ontology_files(), *self.data_files(), *self.shape_files()]

    @property
    def built_dump(self) -> Path:
        """The N-Quads of the last good build: the whole graph, every named graph in it."""
        return self.build_dir / "paradiplomacy.nq"

    def fresh_dump(self) -> Path | None:
        """The built N-Quads if they are newer than every source they were built from (so a
        query need not parse the sources again), else None. Decided on os.stat alone: every file
        and folder under ontology/, data/ and shapes/ must be older than the dump. A folder counts
        because removing or renaming a source changes its folder's time and no file's; a time
        equal to the dump's counts as newer (an edit in the same clock tick as the build). Queries
        are read per run, not built into the dump, so they do not count."""
        try:
            built = self.built_dump.stat().st_mtime_ns
        except OSError:
            return None
        folders, seen = [self.ontology_dir, self.data_dir, self.shapes_dir], set()
        while folders:
            folder = folders.pop()
            try:
                info = folder.stat()
                if info.st_mtime_ns >= built:
                    return None
                if (info.st_dev, info.st_ino) in seen:  # a symlink back up the tree
                    continue
                seen.add((info.st_dev, info.st_ino))
                with os.scandir(folder) as entries:
                    for entry in entries:
                        if entry.is_dir():  # symlinks followed, as the loader's rglob reads them
                            folders.append(Path(entry.path))
                        elif entry.stat().st_mtime_ns >= built:
                            return None
            except OSError:  # a source folder missing or unreadable: the loader reports it
                return None
        return self.built_dump

    def relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()
