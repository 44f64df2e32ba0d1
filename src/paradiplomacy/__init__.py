"""The Paradiplomacy Knowledge Graph: sources in, a validated graph and its answers out."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("paradiplomacy-kg")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
