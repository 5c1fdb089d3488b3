"""Theme lookup and the Jinja2 environment: a search path, the user's folder first.

A page template is looked up in the site's ``layouts/``, then in the named theme's
``templates/``, then in the built-in default theme. Two prefixes always reach a
particular theme, so that a layout can extend the template it replaces instead of
copying it: ``default/article.html`` is the built-in default's, ``theme/article.html``
the named theme's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from briefgen.errors import ConfigError, Diagnostic, Location

BUILTIN_THEMES = Path(__file__).parent.parent / "themes"
DEFAULT_THEME = "default"

_THEME_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


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


def make_environment(theme: Theme, globals: Mapping[str, object]) -> jinja2.Environment:
    """Build the Jinja2 environment for ``theme``, with briefgen's filters and ``globals``."""
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
    env.filters["date_display"] = date_display
    env.filters["weekday"] = weekday
    env.filters["iso_date"] = iso_date
    env.filters["rfc3339"] = rfc3339
    env.filters["html_source"] = html_source
    env.globals.update(globals)
    return env


def _as_date(value: dt.date) -> dt.date:
    """Return the calendar date of a date or datetime (aware datetimes in UTC)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.date()
    return value


def date_display(value: dt.date | None) -> str:
    """Format a date for readers, the same in every locale: '15 September 2022'."""
    if value is None:
        return ""
    day = _as_date(value)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def weekday(value: dt.date | None) -> str:
    """Return the English name of a date's weekday: 'Thursday'."""
    if value is None:
        return ""
    return _WEEKDAYS[_as_date(value).weekday()]


def iso_date(value: dt.date | None) -> str:
    """Format a date as ISO 8601: '2022-09-15'."""
    if value is None:
        return ""
    return _as_date(value).isoformat()


def rfc3339(value: dt.date | None) -> str:
    """Format a date or datetime as an RFC 3339 timestamp in UTC: '2022-09-15T00:00:00Z'."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        moment = value.astimezone(dt.UTC) if value.tzinfo is not None else value
        return moment.replace(tzinfo=None, microsecond=0).isoformat() + "Z"
    return f"{value.isoformat()}T00:00:00Z"


def html_source(value: object) -> Markup:
    """Escape HTML itself as text, for Atom elements of ``type="html"``."""
    return escape(str(value))
