"""Planning the import of one seed: the files to write and the report; pure.

``plan_import`` takes a seed's bytes and what the site already holds, cleans the
text (``briefgen.ingest.cleaning``), chooses where the article goes, and returns the article
and sidecar (``briefgen.ingest.skeleton``) to write with a report of everything it removed,
moved or noticed. A re-import rewrites the article and merges the sidecar, keeping
the editor's keys, and reports every change.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from briefgen.errors import Diagnostic, Location
from briefgen.ingest import report as codes
from briefgen.ingest.cleaning import Cleaned, clean, decode_seed, quoted
from briefgen.ingest.linerules import markdown_hazards, wordset
from briefgen.ingest.model import Existing, ImportOptions, Outcome, SiteIndex, text_digest
from briefgen.ingest.report import info, plural
from briefgen.ingest.skeleton import (
    check_round_trip,
    merge_sidecar,
    plain,
    render_sidecar,
    sidecar_fields,
)
from briefgen.model import Term
from briefgen.source.content import CONTENT_DIR
from briefgen.source.yamlio import load_yaml
from briefgen.text.anchoring import Anchorer, Found
from briefgen.urls import SLUG_RE, slugify

# -- slugs -----------------------------------------------------------------------------

SLUG_MAX = 60  # characters; longer slugs are cut at a word boundary
SLUG_TRAILING = wordset("a an the of and or to in on at for over with by from as")


def make_slug(headline: str) -> str:
    """ASCII, lowercase, hyphens, at most SLUG_MAX characters: "Xi's visit" -> "xis-visit"."""
    slug = slugify(re.sub(r"(?<=\w)['’](?=\w)", "", headline))
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX] if slug[SLUG_MAX] == "-" else slug[:SLUG_MAX].rsplit("-", 1)[0]
        words = slug.split("-")
        while len(words) > 1 and words[-1] in SLUG_TRAILING:
            words.pop()
        slug = "-".join(words)
    return slug


def plan_import(
    seed: str,
    data: bytes,
    index: SiteIndex,
    glossary: Sequence[Term],
    options: ImportOptions,
    existing: Existing | None = None,
) -> Outcome:
    """Clean one seed and work out the article and sidecar to write; pure.

    Errors and warnings quote the line of the seed they are about.
    """
    text, decoding = decode_seed(data, seed)
    out = _plan(seed, text, decoding, index, glossary, options, existing)
    if text is not None:
        lines = text.split("\n")
        out.diagnostics = [_quote(d, lines) for d in out.diagnostics]
    return out


def _quote(diagnostic: Diagnostic, lines: list[str]) -> Diagnostic:
    """An error or warning with the line of the seed it is about."""
    line = diagnostic.location.line
    if diagnostic.severity == "info" or not 0 < line <= len(lines):
        return diagnostic
    return dataclasses.replace(diagnostic, source_line=lines[line - 1])


def _plan(
    seed: str,
    text: str | None,
    decoding: list[Diagnostic],
    index: SiteIndex,
    glossary: Sequence[Term],
    options: ImportOptions,
    existing: Existing | None,
) -> Outcome:
    """``plan_import`` once the seed is decoded."""
    out = Outcome(seed, diagnostics=decoding)
    if text is None:
        out.status = "failed"
        return out
    cleaned = clean(text, seed=seed, fix_punctuation=options.fix_punctuation)
    out.diagnostics += cleaned.findings
    target = article_path(seed, cleaned, index, options, existing)
    if isinstance(target, Diagnostic):
        out.diagnostics.append(target)
        out.status = "failed"
        return out
    article = cleaned.text
    if target.endswith(".md"):
        _check_markdown(out, cleaned)
    fields = sidecar_fields(cleaned, seed, article, glossary, options)
    out.diagnostics.insert(0, info(codes.WROTE, f"{seed} -> {target}"))
    out.details += _suggestions(fields)
    if existing is not None:
        _reimport(out, existing, target, article, fields, options)
        return out
    sidecar_rel = target.rsplit(".", 1)[0] + ".yaml"
    sidecar = render_sidecar(fields, target, seed)
    check_round_trip(sidecar_rel, sidecar, fields)
    out.writes = {target: article, sidecar_rel: sidecar}
    paragraphs = plural(len(cleaned.paragraphs), "paragraph")
    out.diagnostics.append(info(codes.WROTE, f"wrote {target} ({paragraphs})"))
    out.diagnostics.append(info(codes.WROTE, f"wrote {sidecar_rel} ({_describe(fields)})"))
    if options.date is None:
        message = "date: TODO; the build reports it until it is set (or use --date)"
        out.diagnostics.append(info(codes.TODO_DATE, message, sidecar_rel))
    return out


def article_path(
    seed: str, cleaned: Cleaned, index: SiteIndex, options: ImportOptions, existing: Existing | None
) -> str | Diagnostic:
    """Where the article goes (site-relative), or the error that says why it cannot go."""

    def error(code: str, message: str, fix: str, line: int = 0) -> Diagnostic:
        return Diagnostic(Location(seed, line), code, message, fix)

    if not cleaned.paragraphs:
        return error(
            codes.NO_TEXT, "no article text found", "check that the file is the raw article"
        )
    if existing is not None:
        kind = existing.article.rsplit(".", 1)[1] if existing.article else options.format
        if options.slug and options.slug != existing.slug:
            return error(
                codes.NOT_AS_BEFORE,
                f"already imported as {existing.sidecar}, not as '{options.slug}'",
                "import it again without --slug, or remove the old article first",
            )
        if options.format and options.format != kind:
            message = f"already imported as {existing.article}"
            return error(codes.NOT_AS_BEFORE, message, "drop --format")
        return existing.article or f"{CONTENT_DIR}/{existing.slug}.{kind or 'txt'}"
    same = index.bodies.get(text_digest(cleaned.text))
    if same is not None:
        origin = next((s for s, slug in index.seeds.items() if slug == Path(same).stem), None)
        if origin is not None:
            message = f"{same} already has this text, imported from {origin}"
            return error(codes.SAME_TEXT, message, "skip this seed")
        return error(
            codes.SAME_TEXT,
            f"{same} already has this text, but its sidecar does not name {seed}",
            f"add 'seed: {seed}' to its sidecar to adopt it, then use --force",
        )
    slug = options.slug or make_slug(cleaned.title)
    if not SLUG_RE.match(slug):
        message = f"cannot make a slug from the headline {quoted(cleaned.title)}"
        return error(codes.NO_SLUG, message, "pass --slug", cleaned.title_line)
    other = index.user_of(slug)
    if other is not None:
        fix = "choose another --slug" if options.slug else "pass --slug to choose another slug"
        return error(codes.SLUG_TAKEN, f"slug '{slug}' is already used by {other}", fix)
    return f"{CONTENT_DIR}/{slug}.{options.format or 'txt'}"


def _check_markdown(out: Outcome, cleaned: Cleaned) -> None:
    """Warn where Markdown would read the plain text as markup."""
    fix = "put a backslash before it in the article, or import it as plain text"
    for para in cleaned.paragraphs:
        for line in para:
            for col, message in markdown_hazards(line.text):
                where = Location(out.seed, line.number, col)
                hazard = Diagnostic(where, codes.MARKDOWN, message, fix, severity="warning")
                out.diagnostics.append(hazard)


def _reimport(
    out: Outcome,
    existing: Existing,
    article_rel: str,
    article: str,
    fields: dict[str, Any],
    options: ImportOptions,
) -> None:
    """Rewrite the article and merge the sidecar of an earlier import (--force)."""
    merged = merge_sidecar(existing.sidecar, existing.sidecar_text, fields, options)
    if isinstance(merged, str):
        message, _, fix = merged.partition("; ")
        out.fail(codes.CANNOT_MERGE, message, fix)
        return
    sidecar, updated, kept = merged
    out.status = "updated" if updated or article != existing.article_text else "unchanged"
    did = out.diagnostics.append
    if article == existing.article_text:
        did(info(codes.WROTE, f"{article_rel} unchanged"))
    else:
        out.writes[article_rel] = article
        did(info(codes.WROTE, f"rewrote {article_rel}: its text changed"))
        anchors = _anchor_report(existing, article)
        if anchors:
            did(info(codes.KEPT, anchors, existing.sidecar))
    if updated:
        out.writes[existing.sidecar] = sidecar
        did(info(codes.WROTE, f"updated {', '.join(updated)} in {existing.sidecar}"))
    else:
        did(info(codes.WROTE, f"{existing.sidecar} unchanged"))
    if kept:
        did(info(codes.KEPT, f"kept the editor's {', '.join(kept)} in {existing.sidecar}"))


def _anchor_report(existing: Existing, article: str) -> str:
    """Whether the notes and links of the existing sidecar still anchor in the new text."""
    doc, _ = load_yaml(existing.sidecar, existing.sidecar_text)
    data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
    anchorer = Anchorer(article)
    counts, lost = [], []
    for key, one in (("notes", "note"), ("links", "link")):
        entries = [e for e in data.get(key) or () if isinstance(e, dict)]
        counts += [plural(len(entries), one)] if entries else []
        for entry in entries:
            quote, occurrence = str(entry.get("quote", "")), entry.get("occurrence")
            result = anchorer.find(
                quote,
                entry.get("prefix"),
                entry.get("suffix"),
                occurrence if isinstance(occurrence, int) and occurrence > 0 else None,
            )
            if not isinstance(result, Found):
                lost.append(quoted(quote, 60))
    if not counts:
        return ""
    kept = f"kept its {' and '.join(counts)}; the article text changed under them"
    if not lost:
        return f"{kept}, and every quote still anchors"
    return f"{kept}: {len(lost)} no longer anchor (the build reports them): {', '.join(lost)}"


def _suggested(fields: dict[str, Any]) -> tuple[dict[str, list[str]], list[dict[str, Any]]]:
    """The sidecar's suggested terms and suggested notes, without comments."""
    return plain(fields.get("suggested_terms", {})), plain(fields.get("suggested_notes", []))


def _describe(fields: dict[str, Any]) -> str:
    """What a fresh sidecar holds, for the report."""
    terms, notes = _suggested(fields)
    count = sum(len(v) for v in terms.values())
    return (
        f"date {plain(fields['date'])}, {plural(count, 'suggested term')}, "
        f"{plural(len(notes), 'suggested note')}"
    )


def _suggestions(fields: dict[str, Any]) -> list[str]:
    """The suggestions, one a line, for --verbose."""
    terms, notes = _suggested(fields)
    lines = [f"  new term: {t}" for t in terms.get("not_in_glossary", [])]
    lines += [f"  glossary term: {t}" for t in terms.get("in_glossary", [])]
    lines += [f"  note: {quoted(n['quote'], 70)}" for n in notes]
    return lines
