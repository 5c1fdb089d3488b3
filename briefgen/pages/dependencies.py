"""Which template files each page template depends on, to re-render only what changed.

A page's template reaches others through extends, include and import; the contents of
every file it reaches make its *signature*. When a layout changes, only the pages
whose signature changed are rendered again.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from pathlib import Path

import jinja2
from jinja2 import meta

from briefgen.tempnames import is_temp_file

DYNAMIC = "<dynamic>"  # a template name computed at render time: always render again


def template_files(dirs: Iterable[Path]) -> tuple[tuple[str, bytes], ...]:
    """Every file in the template folders, with its bytes: the environment's identity."""
    files = []
    for directory in dirs:
        if directory.is_dir():
            for path in sorted(directory.rglob("*")):
                if path.is_file() and not is_temp_file(path.name):
                    files.append((str(path), path.read_bytes()))
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
        except jinja2.TemplateNotFound:
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
