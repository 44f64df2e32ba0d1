"""Where the hand-edited sources of a checkout live, and the files among them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


class ProjectError(Exception):
    """A problem with the project's files; the message names the file."""


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
        """The CSV tables under data/ (data/reference/places.csv and each source's tables)."""
        return sorted(p for p in self.data_dir.rglob("*.csv") if "candidates" not in p.relative_to(self.data_dir).parts)

    def shape_files(self) -> list[Path]:
        return sorted(self.shapes_dir.rglob("*.ttl"))

    def turtle_sources(self) -> list[Path]:
        """Every hand-edited Turtle file that `pdkg fmt` keeps canonical."""
        return [*self.ontology_files(), *self.data_files(), *self.shape_files()]

    def relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()
