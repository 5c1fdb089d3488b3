"""A build's problems: quoted, sorted, and whether they fail it.

The stages report what they find to a ``Reporter``; these gather it at the end of
``pipeline.make_files``: the Index's problems quoted by file (``quoted``), the site's
image checked against its files (``check_image``), the build failed with every error
or its warnings returned (``check``), in file order (``in_file_order``). The dev server
calls them on every rebuild, so the first two keep their results in the ``Memo`` and
redo only what changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from briefgen.errors import BuildFailed, ConfigError, Diagnostic, Reporter
from briefgen.memo import Memo
from briefgen.output import OutputFile
from briefgen.source.config import SiteConfig


def check(reporter: Reporter, configuration: Reporter, strict: bool) -> list[Diagnostic]:
    """Fail with every problem found; else return the warnings.

    An error of the ``configuration`` (site.yaml, the theme) fails with exit code 2
    (ConfigError), any other with 1 (BuildFailed); both report everything found.
    """
    reporter.merge(configuration)
    failed = ConfigError if configuration.errors else BuildFailed
    if strict and reporter.warnings:
        raise failed(reporter.diagnostics)
    if reporter.errors:
        raise failed(reporter.errors, reporter.warnings)
    return reporter.warnings


def in_file_order(warnings: list[Diagnostic], memo: Memo) -> tuple[Diagnostic, ...]:
    """``warnings`` by file, line, column and code; sorted again only when one of them
    changed (20,000 at 10,000 articles). Every field is compared: the source line and
    the edit too, which a diagnostic's equality leaves out."""
    every_field = (
        warnings,
        [warning.source_line for warning in warnings],
        [warning.edit for warning in warnings],
    )
    return memo.get(
        "warnings", every_field, lambda: tuple(sorted(warnings, key=Diagnostic.sort_key))
    )


def quoted(
    problems: Mapping[str, Sequence[Diagnostic]], reporter: Reporter, memo: Memo
) -> list[Diagnostic]:
    """``problems`` (by file) with their source lines, quoted again only for the files
    whose problems or text changed: 20,000 warnings at 10,000 articles."""
    by_file = memo.map(
        "quoted",
        {path: (made, reporter.text(path)) for path, made in problems.items()},
        lambda paths: [reporter.quote(problems[path]) for path in paths],
    )
    return [d for lines in by_file.values() for d in lines]


def check_image(config: SiteConfig, files: Iterable[OutputFile]) -> list[Diagnostic]:
    """site.yaml's ``image``, when it is a path of the site, must be one of its files."""
    image = config.image
    if not image or "://" in image or image in {f.path for f in files}:
        return []
    message = f"image {image!r} is not a file of the built site"
    fix = "put the image in static/ and write its path, such as 'static/cover.png'"
    return [Diagnostic(config.image_location, "CFG006", message, fix)]
