"""Theme lookup and the Jinja2 environment: a search path, the user's folder first.

A page template is looked up in the site's ``layouts/``, then in the named theme's
``templates/``, then in the built-in default theme. Two prefixes always reach a
particular theme, so that a layout can extend the template it replaces instead of
copying it: ``default/article.html`` is the built-in default's, ``theme/article.html``
the named theme's.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2

from briefgen.errors import ConfigError, Diagnostic, Location
from briefgen.output import OutputFile
from briefgen.pages.filters import FILTERS
from briefgen.tempnames import is_temp_file
from briefgen.urls import UrlScheme

BUILTIN_THEMES = Path(__file__).parent.parent / "themes"
DEFAULT_THEME = "default"

_THEME_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
FINGERPRINTED = (".css", ".js")  # static files published under content-hashed names
DIGEST_LENGTH = 10  # hex digits of SHA-256: a collision needs ~10^6 versions of one file


@dataclass(frozen=True)
class Theme:
    """A resolved theme: where its templates and static files are, in priority order."""

    name: str
    template_dirs: tuple[Path, ...]  # search order: layouts/, named theme, built-in default
    static_dirs: tuple[Path, ...]  # copy order, later overrides earlier: default, theme, site

    @property
    def default_templates(self) -> Path:
        """The built-in default theme's templates, reached as ``default/<name>``."""
        return BUILTIN_THEMES / DEFAULT_THEME / "templates"

    @property
    def theme_templates(self) -> Path:
        """The named theme's templates (the default's for ``default``), as ``theme/<name>``."""
        theme_dirs = [d for d in self.template_dirs if d.name == "templates"]
        return theme_dirs[0] if theme_dirs else self.default_templates


def find_theme(site_dir: Path, name: str, location: Location | None = None) -> Theme:
    """Resolve a theme name to its folders: the site's themes/<name>/ wins over a built-in."""
    theme_dir = _theme_dir(site_dir, name)
    if theme_dir is None:
        where = location if location is not None else Location("site.yaml")
        raise ConfigError(
            [
                Diagnostic(
                    where,
                    "CFG005",
                    f"unknown theme {name!r}",
                    "use 'default' or create themes/<name>/ with templates/",
                )
            ]
        )
    default_dir = BUILTIN_THEMES / DEFAULT_THEME
    theme_dirs = [theme_dir] if theme_dir != default_dir else []
    template_dirs = [site_dir / "layouts"]
    template_dirs += [d / "templates" for d in [*theme_dirs, default_dir]]
    static_dirs = [d / "static" for d in [default_dir, *theme_dirs]]
    static_dirs.append(site_dir / "static")
    return Theme(
        name=name,
        template_dirs=tuple(d for d in template_dirs if d.is_dir()),
        static_dirs=tuple(d for d in static_dirs if d.is_dir()),
    )


def _theme_dir(site_dir: Path, name: str) -> Path | None:
    """Return the folder of theme ``name``, or None when there is none."""
    if not _THEME_NAME.fullmatch(name) or name in {".", ".."}:
        return None
    for candidate in (site_dir / "themes" / name, BUILTIN_THEMES / name):
        if candidate.is_dir():
            return candidate
    return None


def make_environment(theme: Theme) -> jinja2.Environment:
    """Build the Jinja2 environment for ``theme``, with briefgen's filters.

    Nothing changes it afterwards: the variables of a build are passed at render time.
    """
    # The prefix loader comes first so that "default/..." and "theme/..." always reach
    # those themes, even when a site happens to have a layouts/default/ folder.
    prefixed = jinja2.PrefixLoader(
        {
            DEFAULT_THEME: jinja2.FileSystemLoader(theme.default_templates),
            "theme": jinja2.FileSystemLoader(theme.theme_templates),
        }
    )
    loaders: list[jinja2.BaseLoader] = [prefixed]
    loaders += [jinja2.FileSystemLoader(d) for d in theme.template_dirs]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "xml"), default_for_string=True
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(FILTERS)
    return env


@dataclass(frozen=True)
class Assets:
    """The static files of a build, and where each stylesheet and script was published."""

    files: tuple[OutputFile, ...]
    hrefs: Mapping[str, str]  # "style.css" -> "/briefing/static/style.3f9a1c2b7d.css"


def static_files(theme: Theme, urls: UrlScheme, *, fingerprint: bool = True) -> Assets:
    """The theme's and the site's static files under static/, later folders winning.

    With ``fingerprint``, stylesheets and scripts get content-hashed names under assets/
    (``assets/style.<hash>.css``), so that hosts can cache them for good; templates link
    them with ``asset("style.css")``. Other files (images, fonts) keep their names.
    """
    chosen: dict[str, Path] = {}
    for directory in theme.static_dirs:
        if not directory.is_dir():
            continue
        for path in sorted(directory.rglob("*")):
            if path.is_file() and not any(
                is_temp_file(p) for p in path.relative_to(directory).parts
            ):
                chosen[path.relative_to(directory).as_posix()] = path
    files, hrefs = [], {}
    for rel, path in sorted(chosen.items()):
        data = path.read_bytes()
        address = urls.static(rel)
        if fingerprint and rel.endswith(FINGERPRINTED):
            digest = hashlib.sha256(data).hexdigest()[:DIGEST_LENGTH]
            address = urls.fingerprinted(rel, digest)
        if rel.endswith(FINGERPRINTED):
            hrefs[rel] = address.href
        files.append(OutputFile(address.path, data, f"static/{rel}"))
    return Assets(tuple(files), hrefs)
