"""The package's rooms are layers: a module imports only from its own room or from a lower one.

Every ``import`` in every module counts, those inside functions included (a lazy import is still
a dependency; it only moves the failure from import time to the first call). The layers, lowest
first, are the ones the README and issue 15 name.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from typing import NamedTuple

PACKAGE = "paradiplomacy"
SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = SRC / PACKAGE

#: room -> rank. Rooms of one rank are peers: neither imports the other.
LAYERS: dict[str, int] = {
    "base": 0,  # namespaces, project, formats, discard: one room
    "rdf": 1,
    "ingest": 2,
    "query": 3,
    "check": 4,
    "build": 5,
    "publish": 6,
    "serve": 7,
    "analysis": 5,  # the Python API over the built graph; the charts page draws from it
    "bench": 8,
    "cli": 9,
    # the package itself: `paradiplomacy.open()`, the facade over the analysis API
    "__init__": 9,
}


BASE = ("namespaces", "project", "formats", "discard")  # the modules of the lowest room, beside the sub-packages


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def room(module: str) -> str:
    """The room of a module of the package: its first name under the package ('__init__' for the package)."""
    parts = module.split(".")
    first = parts[1] if len(parts) > 1 else "__init__"
    return "base" if first in BASE else first


class Import(NamedTuple):
    line: int
    target: str  # the module imported
    written: str  # the import statement as written
    name: str  # the name taken from the module ('' for `import x` or a submodule)


def imported(path: Path) -> list[Import]:
    """Every import of the package in a file, one per module or name it takes."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [Import(node.lineno, a.name, f"import {a.name}", "") for a in node.names if a.name.split(".")[0] == PACKAGE]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the importing module's package
                parts = package.split(".")
                target = ".".join([*parts[: len(parts) - node.level + 1], *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != PACKAGE:
                continue
            written = f"from {'.' * node.level}{node.module or ''} import {', '.join(a.name for a in node.names)}"
            for alias in node.names:
                # `from paradiplomacy.bench import synthetic` takes a module; `from paradiplomacy import x` a name
                sub = f"{target}.{alias.name}"
                found.append(Import(node.lineno, sub, written, "") if sub in MODULES else Import(node.lineno, target, written, alias.name))
    return found


def test_every_room_has_a_layer():
    rooms = {room(m) for m in MODULES}
    assert rooms - LAYERS.keys() == set(), "modules in no layer: give them a rank in LAYERS (tests/test_architecture.py)"
    assert LAYERS.keys() - rooms == set(), "layers with no module: remove them from LAYERS"


def test_every_import_of_the_package_exists():
    """A lazy import of a module that moved fails only when its function runs: find it here."""
    missing = []
    for path in MODULES.values():
        for line, target, written, name in imported(path):
            if target not in MODULES:
                missing.append(f"{path.relative_to(SRC.parent)}:{line}: {written} (no module {target})")
            elif name and not hasattr(importlib.import_module(target), name):
                missing.append(f"{path.relative_to(SRC.parent)}:{line}: {written} ({target} has no {name})")
    assert missing == [], "\n".join(missing)


def test_imports_go_only_downwards():
    upward = []
    for source, path in MODULES.items():
        for line, target, written, _ in imported(path):
            if target not in MODULES:
                continue
            here, there = room(source), room(target)
            if here == there or LAYERS[there] < LAYERS[here]:
                continue
            kind = "a peer" if LAYERS[there] == LAYERS[here] else "a higher layer"
            upward.append(f"{path.relative_to(SRC.parent)}:{line}: {written} — {here} imports {there}, {kind}")
    assert upward == [], "\n".join(upward)


def test_the_check_sees_imports_inside_functions():
    """The rule is only as good as its parser: a lazy import in a function body is found, with its line."""
    source = ROOT / "cli.py"
    lines = source.read_text(encoding="utf-8").splitlines()
    lazy = [i.line for i in imported(source) if lines[i.line - 1].startswith((" ", "\t"))]
    assert lazy, "cli.py imports its commands' modules inside the commands"
    assert all(lines[line - 1].strip().startswith(("from paradiplomacy", "import paradiplomacy")) for line in lazy)


def test_every_exception_of_the_package_is_a_project_error():
    """One error base: the CLI's one handler turns a ProjectError into its message and exit 2,
    so an exception class outside it would escape as a traceback."""
    from paradiplomacy.project import ProjectError

    outside = []
    for name in MODULES:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, BaseException) and value.__module__ == name:
                if not issubclass(value, ProjectError):
                    outside.append(f"{name}.{attr}({', '.join(b.__name__ for b in value.__bases__)})")
    assert outside == [], "exceptions outside paradiplomacy.project.ProjectError: " + ", ".join(outside)
