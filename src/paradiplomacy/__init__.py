"""The Paradiplomacy Knowledge Graph: sources in, a validated graph and its answers out."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("paradiplomacy-kg")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"


def open(path=None):  # noqa: A001 - `paradiplomacy.open()` reads as what it does
    """The built graph as DataFrames and a city network: see :mod:`paradiplomacy.analysis`."""
    from .analysis import open as open_graph

    return open_graph(path)
