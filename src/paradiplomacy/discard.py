"""Deleting what a build replaced without waiting for it.

A site at 10^6 triples is close to a million files, and deleting them takes longer than writing
the pages that changed. A folder to delete is first renamed (one system call: at once out of
the way, and the new one can take its place), then removed by a detached child process that
outlives the command. A build killed before the child finishes leaves the renamed folder,
which the next build's recovery removes (build.recover: ``.discard-*``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

_REMOVE = "import shutil, sys\nfor p in sys.argv[1:]:\n    shutil.rmtree(p, ignore_errors=True)\n"
_UNLINK = ("import os, sys\nfor line in open(sys.argv[1], encoding='utf-8'):\n"
           "    try:\n        os.unlink(line.rstrip('\\n'))\n    except OSError:\n        pass\nos.unlink(sys.argv[1])\n")
#: set to 1 to delete in the calling process instead (the tests that count files use it)
INLINE_ENV = "PDKG_DISCARD_INLINE"


def _detached(code: str, *args: str) -> None:
    subprocess.Popen([sys.executable, "-c", code, *args], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True)


def discard_tree(path: Path, park: Path | None = None) -> Path | None:
    """Move ``path`` (a folder or file) out of the way, to ``park`` (default: a hidden name beside
    it), and delete it in the background; returns where it was parked (None if absent)."""
    if not (path.exists() or path.is_symlink()):
        return None
    park = park or path.with_name(f".discard-{path.name}-{os.getpid()}")
    if park.exists():
        shutil.rmtree(park, ignore_errors=True)
    path.rename(park)
    remove_later(park)
    return park


def remove_later(path: Path) -> None:
    """Delete an already parked folder in the background (now, with $PDKG_DISCARD_INLINE=1)."""
    if os.environ.get(INLINE_ENV) == "1" or not path.is_dir():
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
        return
    _detached(_REMOVE, str(path))


def unlink_later(paths: list[Path], scratch: Path) -> None:
    """Delete many files in the background; their names go through the file ``scratch``."""
    if not paths:
        return
    if os.environ.get(INLINE_ENV) == "1" or len(paths) < 200:
        for path in paths:
            path.unlink(missing_ok=True)
        return
    scratch.parent.mkdir(parents=True, exist_ok=True)
    scratch.write_text("".join(f"{p}\n" for p in paths), encoding="utf-8")
    _detached(_UNLINK, str(scratch))
