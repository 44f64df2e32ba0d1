"""The Paradiplomacy Knowledge Graph: sources in, a validated graph and its answers out."""

from __future__ import annotations


def __getattr__(name: str):
    if name == "__version__":
        from paradiplomacy.project import package_version

        return package_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open(path=None):  # noqa: A001 - `paradiplomacy.open()` reads as what it does
    """The built graph as DataFrames and a city network: see :mod:`paradiplomacy.analysis`."""
    from paradiplomacy.analysis import open as open_graph

    return open_graph(path)
