"""Shared fixtures: whole mini-sites written inline as {path: text}."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

SITE_YAML = """\
title: Test Briefing
base_url: https://example.org/briefing/
"""

MakeSite = Callable[[Mapping[str, str]], Path]


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    """Write {relative path: text} under root (text is dedented); return root."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def read_tree(root: Path) -> dict[str, bytes]:
    """Every file below root as {relative posix path: bytes}."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def make_site(tmp_path: Path) -> MakeSite:
    """Write a site (site.yaml defaults to a minimal valid one) and return its folder."""

    def make(files: Mapping[str, str]) -> Path:
        site = tmp_path / "site"
        return write_tree(site, {"site.yaml": SITE_YAML, **files})

    return make


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium (the system's, never a downloaded one) for the whole run."""
    from tests.browser import CHROMIUM_ARGS, chromium_path

    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
