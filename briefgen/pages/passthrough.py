"""The site's root/ folder: files published as they are at the top of the output.

A build replaces the output folder whole, so a file a host wants at the top of the
site (``CNAME`` for GitHub Pages, ``.nojekyll``, Netlify's ``_redirects``,
``.well-known/``) is kept in ``root/`` and copied on every build: ``root/CNAME``
becomes ``build/CNAME``. Like every site file it is read through
``briefgen.source.safefs``; a name a page or a static file also has is an error
(OUT001), found with every other output path.
"""

from __future__ import annotations

from pathlib import Path

from briefgen.errors import Diagnostic
from briefgen.output import OutputFile
from briefgen.source.files import Sources
from briefgen.source.safefs import Refused

PASSTHROUGH_DIR = "root"


def passthrough_problems(site_dir: Path, sources: Sources) -> list[Diagnostic]:
    """What root/ holds that cannot be read: links out of the site, pipes, sockets."""
    problems = list(sources.walk(site_dir, site_dir / PASSTHROUGH_DIR).problems)
    for path in sources.walk(site_dir, site_dir / PASSTHROUGH_DIR).files:
        try:
            sources.read(site_dir, path)
        except Refused as refused:
            problems.append(refused.diagnostic)
    return problems


def passthrough_files(site_dir: Path, sources: Sources) -> list[OutputFile]:
    """The files of root/, each at its own path in the output (unreadable ones left out)."""
    folder = site_dir / PASSTHROUGH_DIR
    files = []
    for path in sources.walk(site_dir, folder).files:
        try:
            data = sources.read(site_dir, path)
        except Refused:
            continue
        rel = path.relative_to(folder).as_posix()
        files.append(OutputFile(rel, data, f"{PASSTHROUGH_DIR}/{rel}"))
    return files
