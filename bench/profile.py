"""CPU time of a cold build by stage, in one process: where the time goes.

    python bench/profile.py SITE [--out DIR]

Builds SITE once without the cache and with one process, timing each stage with the
CPU clock (so another program's load does not count) and prints milliseconds per
article. Stages nest (the core rules of markdown-it run inside rendering), so the
indented lines are parts of the line above. It works on any version of briefgen that
has these functions; a stage it cannot find is left out.
"""

from __future__ import annotations

import argparse
import importlib
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

STAGES = [  # (label, module, attribute): inclusive CPU time of each call
    ("load (read, YAML, sidecars)", "briefgen.source.content", "load_content"),
    ("reading article bodies again (light articles)", "briefgen.source.content", "whole"),
    ("render articles", "briefgen.markdown.renderer", "Renderer.render"),
    ("  anchoring plugin", "briefgen.markdown.anchors", "_anchor_rule"),
    ("    where quotes landed (for briefgen.lock)", "briefgen.markdown.anchors", "_landing"),
    ("  glossary-term plugin", "briefgen.markdown.terms", "_terms_rule"),
    ("  reader text, once for both plugins", "briefgen.markdown.marking", "_read"),
    ("  splicing both plugins' marks", "briefgen.markdown.marking", "_splice"),
    ("  HTML of the tokens (page and feed)", "markdown_it.renderer", "RendererHTML.render"),
    ("keeping renderings on disk (scratch files)", "briefgen.build.spill", "Spill._keep"),
    ("index (cross-references)", "briefgen.site.crossrefs", "make_index"),
    ("site model (views)", "briefgen.site.model", "make_site"),
    ("render pages (Jinja2, and writing them)", "briefgen.pages.render", "render_pages"),
    ("  Jinja2 templates", "briefgen.pages.render", "render_page"),
    ("  fetching kept renderings (pages, annotations)", "briefgen.build.spill", "Kept.__call__"),
    ("  fetching kept feed HTML (feeds)", "briefgen.build.spill", "Kept.feed"),
    ("write the other files and swap", "briefgen.output", "Stage.commit"),
    ("write the site (all files) and swap", "briefgen.output", "write_site"),
    ("search index (Pagefind, its CPU not counted)", "briefgen.build.search", "index_folder"),
    # Last: these import the pipeline, which binds the functions above when imported.
    ("drift (against briefgen.lock)", "briefgen.build.pipeline", "drift_warnings"),
    ("annotations.jsonld", "briefgen.build.pipeline", "annotation_files"),
]


def timed(label: str, fn: Callable[..., Any], totals: dict[str, float]) -> Callable[..., Any]:
    """``fn``, adding the CPU time of each call to ``totals[label]``."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            totals[label] += time.process_time() - started

    return wrapper


def install(totals: dict[str, float]) -> None:
    """Wrap every stage found (before the pipeline binds them)."""
    for label, module_name, attribute in STAGES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        owner: Any = module
        *path, name = attribute.split(".")
        for part in path:
            owner = getattr(owner, part, None)
        if owner is None or not hasattr(owner, name):
            continue
        setattr(owner, name, timed(label, getattr(owner, name), totals))


def main() -> int:
    """Build once and print the stages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    totals: dict[str, float] = defaultdict(float)
    install(totals)
    from briefgen.build import pipeline

    options: Any = pipeline.BuildOptions()
    if hasattr(options, "jobs"):
        options = pipeline.BuildOptions(jobs=1, cache=False)
    else:  # before --jobs: one process by patching the worker count
        workers = importlib.import_module("briefgen.build.workers")
        workers.process_count = lambda items, cpus=None: 1
    started = time.process_time()
    with tempfile.TemporaryDirectory() as temp:
        result = pipeline.build(args.site.resolve(), args.out or Path(temp) / "out", options)
    total = time.process_time() - started
    n = result.counts.articles
    print(f"{n} articles, {result.pages} pages: {1000 * total / n:.2f} ms of CPU per article")
    for label, _, _ in STAGES:
        if label in totals:
            print(f"{label:45s} {1000 * totals[label] / n:6.2f} ms/article")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
