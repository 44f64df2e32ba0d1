"""Deterministic Turtle: the same graph always gives the same bytes, so diffs stay small."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from .loading import parse_turtle
from .namespaces import PREFIXES, bind_prefixes

PREFIX_BLOCK = "".join(f"PREFIX {prefix}: <{ns}>\n" for prefix, ns in PREFIXES.items())


def canonical_turtle(graph: Graph) -> str:
    """rdflib's longturtle (subjects and predicates sorted, one object per line) under the
    project's full, sorted prefix block, so every file opens with the same lines."""
    body = bind_prefixes(graph).serialize(format="longturtle")
    lines = body.splitlines()
    start = next((i for i, line in enumerate(lines) if line and not line.startswith("PREFIX ")), len(lines))
    body_lines = [line.rstrip() for line in lines[start:]]
    return PREFIX_BLOCK + "\n" + "\n".join(body_lines).strip() + "\n"


@dataclass(frozen=True)
class FormatResult:
    path: Path
    changed: bool
    diff: str


def format_file(path: Path, label: str, write: bool) -> FormatResult:
    original = path.read_text(encoding="utf-8")
    formatted = canonical_turtle(parse_turtle(path, label))
    changed = formatted != original
    diff = ""
    if changed:
        diff = "".join(
            difflib.unified_diff(
                original.splitlines(keepends=True), formatted.splitlines(keepends=True), label, label + " (formatted)", n=1
            )
        )
        if write:
            path.write_text(formatted, encoding="utf-8")
    return FormatResult(path, changed, diff)


def format_files(paths: Iterable[tuple[Path, str]], write: bool) -> list[FormatResult]:
    return [format_file(path, label, write) for path, label in paths]
