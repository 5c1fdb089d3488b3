"""Theme lookup and the Jinja2 environment: a search path, the user's folder first.

A page template is looked up in the site's ``layouts/``, then in the named theme's
``templates/``, then in the built-in default theme. Two prefixes always reach a
particular theme, so that a layout can extend the template it replaces instead of
copying it: ``default/article.html`` is the built-in default's, ``theme/article.html``
the named theme's.

Every template and static file is read through ``briefgen.source.safefs`` (nothing
from outside the site, no special file), and templates render in Jinja2's sandbox
(``briefgen.pages.sandbox``): they read what briefgen passes them and nothing else.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path

from briefgen.errors import ConfigError, Diagnostic, Location, Reporter
from briefgen.output import OutputFile
from briefgen.pages.filters import FILTERS
from briefgen.pages.sandbox import Sandbox
from briefgen.source.files import Sources, read_text
from briefgen.source.safefs import Refused, kind, read_file
from briefgen.urls import UrlScheme

BUILTIN_THEMES = Path(__file__).parent.parent / "themes"
DEFAULT_THEME = "default"

_THEME_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
FINGERPRINTED = (".css", ".js")  # static files published under content-hashed names
DIGEST_LENGTH = 10  # hex digits of SHA-256: a collision needs ~10^6 versions of one file


@dataclass(frozen=True)
class Theme:
    """A resolved theme: where its templates and static files are, in priority order."""

    site_dir: Path  # nothing outside it is read, but briefgen's own themes
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

    def root_of(self, folder: Path) -> Path:
        """The folder nothing is read outside of: briefgen's themes, or the site."""
        return BUILTIN_THEMES if folder.is_relative_to(BUILTIN_THEMES) else self.site_dir


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
        site_dir=site_dir,
        name=name,
        template_dirs=tuple(d for d in template_dirs if _present(site_dir, d)),
        static_dirs=tuple(d for d in static_dirs if _present(site_dir, d)),
    )


def find_theme_or_default(
    site_dir: Path, name: str, location: Location | None = None
) -> tuple[Theme, list[Diagnostic]]:
    """The theme ``name``; when there is none, the default theme and the problem (CFG005),
    so that the layouts are still checked."""
    try:
        return find_theme(site_dir, name, location), []
    except ConfigError as exc:
        return find_theme(site_dir, DEFAULT_THEME), exc.diagnostics


def _present(site_dir: Path, folder: Path) -> bool:
    """Whether something is at ``folder``: a folder, or what reading it will report."""
    root = BUILTIN_THEMES if folder.is_relative_to(BUILTIN_THEMES) else site_dir
    try:
        return kind(root, folder) is not None
    except Refused:
        return True  # a link out of the site, a pipe: the walk reports it


def _theme_dir(site_dir: Path, name: str) -> Path | None:
    """Return the folder of theme ``name``, or None when there is none."""
    if not _THEME_NAME.fullmatch(name) or name in {".", ".."}:
        return None
    for candidate in (site_dir / "themes" / name, BUILTIN_THEMES / name):
        if _present(site_dir, candidate):
            return candidate
    return None


class TemplateFileError(jinja2.TemplateError):
    """A template file briefgen will not read (see ``briefgen.source.safefs``), or not text."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class TemplateLoader(jinja2.BaseLoader):
    """Templates from folders in search order, each read through the safe reader."""

    def __init__(self, theme: Theme, folders: Sequence[Path]) -> None:
        self.folders = [(theme.root_of(folder), folder) for folder in folders]
        self.site_dir = theme.site_dir

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        """The text of the first folder's ``template``; its path names it in messages."""
        pieces = split_template_path(template)
        for root, folder in self.folders:
            path = folder.joinpath(*pieces)
            try:
                data = read_file(root, path)
            except Refused as refused:
                if refused.missing:
                    continue
                raise TemplateFileError(refused.diagnostic) from None
            reporter = Reporter()
            text = read_text(data, _name(root, path), reporter)
            if text is None:
                raise TemplateFileError(reporter.diagnostics[0])
            return text, str(path), lambda: True
        raise jinja2.TemplateNotFound(template)


def _name(root: Path, path: Path) -> str:
    """A template file as messages name it: relative to the site, or theme:NAME/..."""
    rel = path.relative_to(root).as_posix()
    return f"theme:{rel}" if root == BUILTIN_THEMES else rel


def make_environment(theme: Theme) -> jinja2.Environment:
    """Build the Jinja2 environment for ``theme``, with briefgen's filters.

    Nothing changes it afterwards: the variables of a build are passed at render time.
    """
    # The prefix loader comes first so that "default/..." and "theme/..." always reach
    # those themes, even when a site happens to have a layouts/default/ folder.
    prefixed = jinja2.PrefixLoader(
        {
            DEFAULT_THEME: TemplateLoader(theme, [theme.default_templates]),
            "theme": TemplateLoader(theme, [theme.theme_templates]),
        }
    )
    loaders: list[jinja2.BaseLoader] = [prefixed, TemplateLoader(theme, theme.template_dirs)]
    env = Sandbox(
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


def theme_problems(theme: Theme, sources: Sources) -> list[Diagnostic]:
    """What the theme's folders hold that cannot be read: links out, pipes, non-UTF-8 templates."""
    reporter = Reporter()
    for folder in (*theme.template_dirs, *theme.static_dirs):
        root = theme.root_of(folder)
        listing = sources.walk(root, folder)
        reporter.extend(listing.problems)
        for path in listing.files if folder in theme.template_dirs else ():
            try:
                read_text(sources.read(root, path), _name(root, path), reporter)
            except Refused as refused:
                reporter.extend([refused.diagnostic])
    return reporter.diagnostics


def static_files(
    theme: Theme, urls: UrlScheme, sources: Sources, *, fingerprint: bool = True
) -> Assets:
    """The theme's and the site's static files under static/, later folders winning.

    With ``fingerprint``, stylesheets and scripts get content-hashed names under assets/
    (``assets/style.<hash>.css``), so that hosts can cache them for good; templates link
    them with ``asset("style.css")``. Other files (images, fonts) keep their names. A file
    that cannot be read is left out (``theme_problems`` reports it).
    """
    chosen: dict[str, tuple[Path, Path]] = {}
    for directory in theme.static_dirs:
        root = theme.root_of(directory)
        for path in sources.walk(root, directory).files:
            chosen[path.relative_to(directory).as_posix()] = (root, path)
    files, hrefs = [], {}
    for rel, (root, path) in sorted(chosen.items()):
        try:
            data = sources.read(root, path)
        except Refused:
            continue
        address = urls.static(rel)
        if fingerprint and rel.endswith(FINGERPRINTED):
            digest = hashlib.sha256(data).hexdigest()[:DIGEST_LENGTH]
            address = urls.fingerprinted(rel, digest)
        if rel.endswith(FINGERPRINTED):
            hrefs[rel] = address.href
        files.append(OutputFile(address.path, data, f"static/{rel}"))
    return Assets(tuple(files), hrefs)
