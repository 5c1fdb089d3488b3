"""The web's own checkers for the conformance tests: the Nu HTML Checker, axe-core, Lighthouse.

.ci/run installs them from npm into .ci/cache/ (git-ignored); BRIEFGEN_TOOLS names
another node_modules folder. Where a tool is missing its tests skip with the reason;
under CI=true that is a failure instead, so CI can never pass without them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NODE_MODULES = REPO / ".ci" / "cache" / "node_modules"


def require(reason: str) -> None:
    """Skip (fail under CI=true) with ``reason``."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def node_module(*parts: str) -> Path:
    """A file of an npm package installed for the tests, or skip."""
    folder = Path(os.environ.get("BRIEFGEN_TOOLS") or NODE_MODULES)
    path = folder.joinpath(*parts)
    if not path.exists():
        require(f"{parts[0]} not found in {folder}: run .ci/run, or npm install {parts[0]} there")
    return path


def program(name: str) -> str:
    """A program on the PATH (java, node), or skip."""
    found = shutil.which(name)
    if found is None:
        require(f"{name} not found: install it (Debian: see .ci/run)")
    assert found is not None
    return found
