"""The search index: Pagefind, run on the built pages.

``briefgen build`` runs Pagefind on the staged build, before it is swapped in, so the
index is part of the atomic build (``index_folder``, given to ``output.write_site``).
``briefgen serve`` builds into memory: ``index_pages`` writes its pages into a
temporary folder, indexes them there and returns the index as output files.

Pagefind comes with briefgen (the ``pagefind-bin`` package holds its executable). Its
output depends only on the pages: the same pages give the same bytes, whatever the
folder, time zone or locale. It indexes the elements marked ``data-pagefind-body``
(article pages and the glossary) and leaves out those marked ``data-pagefind-ignore``
(term cards, link previews, lists of other briefings).
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pagefind_bin

from briefgen.errors import BuildFailed, Diagnostic, Location
from briefgen.output import OutputFile
from briefgen.urls import SEARCH_BUNDLE

TIMEOUT = 300  # seconds: Pagefind indexes thousands of pages a second


def index_folder(site: Path, output: Path | None = None) -> None:
    """Index the pages under ``site`` into ``site/pagefind/`` (or ``output``)."""
    command = [str(pagefind_bin.get_executable()), "--site", str(site), "--silent"]
    if output is not None:
        command += ["--output-path", str(output)]
    else:
        command += ["--output-subdir", SEARCH_BUNDLE.rstrip("/")]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildFailed([_failure(str(exc))]) from None
    if done.returncode != 0:
        raise BuildFailed([_failure((done.stderr or done.stdout).strip())])


def index_pages(pages: Iterable[tuple[str, bytes]]) -> tuple[OutputFile, ...]:
    """The search index of these (path, HTML) pages, as files under pagefind/."""
    with tempfile.TemporaryDirectory(prefix="briefgen-search-") as temp:
        site, bundle = Path(temp, "site"), Path(temp, "bundle")
        for path, data in pages:
            target = site / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        index_folder(site, bundle)
        return tuple(
            OutputFile(SEARCH_BUNDLE + p.relative_to(bundle).as_posix(), p.read_bytes(), "pagefind")
            for p in sorted(bundle.rglob("*"))
            if p.is_file()
        )


def _failure(detail: str) -> Diagnostic:
    """Pagefind could not index the site."""
    message = f"Pagefind could not index the site: {detail or 'no message'}"
    fix = "reinstall briefgen (pip install --force-reinstall pagefind-bin), or run with --debug"
    return Diagnostic(Location("pagefind"), "SRH001", message, fix)
