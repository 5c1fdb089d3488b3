"""Each article's notes as W3C annotations (``annotations.jsonld``), made on every core.

In a build, the workers that make the files write them into the staging folder, as
the pages are; only what went wrong comes back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import partial

from briefgen.annotate.export import article_file
from briefgen.build.reuse import inputs_digest, record_of
from briefgen.build.spill import Cached, Kept
from briefgen.build.workers import fork_map, process_count
from briefgen.markdown.renderer import Rendered
from briefgen.memo import Memo
from briefgen.model import Article, Content
from briefgen.output import OutputFile, Stage, writable
from briefgen.source.config import SiteConfig
from briefgen.urls import UrlScheme


def annotation_files(
    urls: UrlScheme,
    config: SiteConfig,
    content: Content,
    rendered: Mapping[str, Rendered],
    memo: Memo,
    stage: Stage | None = None,
    taken: Sequence[str] = (),
    jobs: int | None = None,
) -> list[OutputFile]:
    """Each article's notes as W3C annotations, beside its page.

    With a ``stage``, each file is written into it where it is made (on every core);
    ``taken`` are the paths of the other files, so that a clash is left to the check.
    """
    articles = {article.slug: article for article in content.articles}

    def one(slug: str) -> OutputFile:
        return article_file(urls, articles[slug], rendered[slug].full(), config.language)

    def where(slug: str) -> OutputFile:
        return OutputFile(urls.annotations(slug).path, b"", articles[slug].path)

    def make(slugs: Sequence[str]) -> list[OutputFile]:
        if stage is None:
            return [one(s) for s in slugs]
        paths = [urls.annotations(s).path for s in slugs]
        free = writable([*taken, *paths])
        processes = process_count(len(slugs), jobs)
        shared = inputs_digest("annotations", urls, config.language) if stage.recording else ""
        digest_of = partial(file_digest, shared, articles, rendered)
        stage_one = partial(stage_file, stage, free, one, where, digest_of)
        staged = fork_map(stage_one, slugs, processes)
        failed = next((f for f in staged if isinstance(f, OSError)), None)
        if failed is not None:
            raise failed
        return [f for f in staged if isinstance(f, OutputFile)]

    inputs = {a.slug: (urls, config.language, a, rendered[a.slug]) for a in articles.values()}
    return list(memo.map("annotations", inputs, make).values())


def file_digest(
    shared: str, articles: Mapping[str, Article], rendered: Mapping[str, Rendered], slug: str
) -> str:
    """The inputs digest of an article's annotation file (``build.reuse``): the site's
    part (``shared``, digested once) and the article's; a rendering kept by its name in
    the cache names the article too (that name is made from it)."""
    rendering = rendered[slug]
    named = isinstance(rendering.body, (Kept, Cached)) and bool(rendering.body.name)
    return inputs_digest(shared, None if named else articles[slug], rendering)


def stage_file(
    stage: Stage,
    free: set[str],
    make: Callable[[str], OutputFile],
    where: Callable[[str], OutputFile],
    digest_of: Callable[[str], str],
    key: str,
) -> OutputFile | OSError:
    """Make one file and write it into the staging folder, if its path is free.

    A stage that records its files links the last build's file instead when the file's
    inputs are the same (``build.reuse``); ``where(key)`` is the file without its bytes.
    """
    try:
        name = digest_of(key) if stage.recording else ""
        planned = where(key)
        if stage.previous is not None and planned.path in free:
            linked = stage.previous.link(stage, planned.path, name)
            if linked is not None:
                return replace(planned, staged=True, record=linked)
        made = make(key)
        if made.path not in free:
            return made
        stage.write(made.path, made.data)
    except OSError as exc:
        return exc
    record = record_of(stage, made.path, name) if stage.recording else None
    return replace(made, data=b"", staged=True, record=record)
