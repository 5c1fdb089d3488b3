"""The data of `briefgen import`: options, the site's index, earlier imports, outcomes.

``ImportOptions`` holds the command line's choices, ``SiteIndex`` what content/
already holds, ``Existing`` the files an earlier import of a seed wrote, and
``Outcome`` what importing one seed did or would do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.errors import Diagnostic, Location
from briefgen.text.normalise import normalise


@dataclass(frozen=True)
class ImportOptions:
    """The command line's choices for every seed."""

    slug: str | None = None
    date: dt.date | None = None
    source_name: str | None = None
    source_url: str | None = None
    tags: tuple[str, ...] | None = None
    format: str | None = None  # "txt" or "md"; None: txt, or the existing article's
    force: bool = False
    dry_run: bool = False
    fix_punctuation: bool = False


@dataclass
class SiteIndex:
    """What content/ holds: article and sidecar files by slug, and slugs by seed."""

    articles: dict[str, str] = field(default_factory=dict)  # slug -> site-relative path
    sidecars: dict[str, str] = field(default_factory=dict)
    seeds: dict[str, str] = field(default_factory=dict)  # seed (site-relative) -> slug
    bodies: dict[str, str] = field(default_factory=dict)  # text digest -> article path
    schemas: set[str] = field(default_factory=set)  # schemas this run wrote (or would write)

    def user_of(self, slug: str) -> str | None:
        """The file that uses ``slug``: its article, else its sidecar, else None."""
        return self.articles.get(slug) or self.sidecars.get(slug)

    def record(self, seed: str, rel: str, text: str) -> None:
        """Note a file import wrote (or would write) for ``seed``."""
        stem = Path(rel).stem
        if rel.endswith(".yaml"):
            self.sidecars[stem] = rel
        else:
            self.articles[stem] = rel
            self.bodies[text_digest(text)] = rel
        self.seeds[seed] = stem


@dataclass(frozen=True)
class Existing:
    """The article and sidecar an earlier import of the same seed wrote, as they are now."""

    slug: str
    article: str | None  # site-relative path, None when the article is gone
    article_text: str
    sidecar: str
    sidecar_text: str


@dataclass
class Outcome:
    """What importing one seed did or would do: files to write and what to report."""

    seed: str
    status: str = "imported"  # imported, updated, unchanged, skipped or failed
    writes: dict[str, str] = field(default_factory=dict)  # site-relative path -> text
    diagnostics: list[Diagnostic] = field(default_factory=list)  # in the report's order
    details: list[str] = field(default_factory=list)  # stdout with -v

    @property
    def errors(self) -> list[Diagnostic]:
        """What failed the seed: stderr."""
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        """What the editor should check: stderr unless -q."""
        return [d for d in self.diagnostics if d.severity == "warning"]

    @property
    def report(self) -> list[Diagnostic]:
        """What import did: stdout unless -q."""
        return [d for d in self.diagnostics if d.severity == "info"]

    def fail(self, code: str, message: str, fix: str = "") -> Outcome:
        """Record an error about the seed and mark it failed."""
        self.diagnostics.append(Diagnostic(Location(self.seed), code, message, fix))
        self.status = "failed"
        return self


def text_digest(text: str) -> str:
    """A fingerprint of an article's text, to recognise one imported without provenance."""
    return hashlib.sha256(normalise(text).strip().encode()).hexdigest()
