"""Which template files each page template depends on, to re-render only what changed.

A page's template reaches others through extends, include and import; the contents of
every file it reaches make its *signature*. When a layout changes, only the pages
whose signature changed are rendered again.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import jinja2
from jinja2 import meta

from briefgen.pages.theme import TemplateFileError, Theme
from briefgen.source.files import Sources
from briefgen.source.safefs import Refused

DYNAMIC = "<dynamic>"  # a template name computed at render time: always render again


def template_files(theme: Theme, sources: Sources) -> tuple[tuple[str, bytes], ...]:
    """Every file in the template folders, with its bytes: the environment's identity.

    A file that cannot be read is left out (``theme_problems`` reports it).
    """
    files = []
    folders = dict.fromkeys((*theme.template_dirs, theme.default_templates, theme.theme_templates))
    for folder in folders:
        root = theme.root_of(folder)
        for path in sources.walk(root, folder).files:
            try:
                files.append((str(path), sources.read(root, path)))
            except Refused:
                continue
    return tuple(files)


def closure(env: jinja2.Environment, name: str) -> tuple[tuple[str, str], ...]:
    """The (file name, source) of ``name`` and every template it reaches, sorted."""
    seen: dict[str, tuple[str, str]] = {}
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        assert env.loader is not None
        try:
            source, filename, _ = env.loader.get_source(env, current)
        except (jinja2.TemplateNotFound, TemplateFileError):
            seen[current] = (current, "")
            continue
        seen[current] = (filename or current, source)
        try:
            referenced = meta.find_referenced_templates(env.parse(source))
        except jinja2.TemplateSyntaxError:
            continue
        for ref in referenced:
            todo.append(ref if ref is not None else DYNAMIC)
    return tuple(sorted(seen.values()))


def signatures(env: jinja2.Environment, names: Iterable[str]) -> dict[str, Hashable]:
    """Each page template's signature; a template with a dynamic reference never matches."""
    result: dict[str, Hashable] = {}
    for name in names:
        files = closure(env, name)
        result[name] = object() if any(f == DYNAMIC for f, _ in files) else files
    return result
