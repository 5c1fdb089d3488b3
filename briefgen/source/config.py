"""site.yaml -> an immutable, validated ``SiteConfig``.

The schema is data in one place (``SITE``, a spec of ``briefgen.source.specs``, from
which its JSON Schema is made too): each key with its type, default and check.
Unknown keys are errors with a did-you-mean suggestion; every problem is reported at
once, located at its line in site.yaml. A key that is wrong takes its default, so that
the rest of the site can still be checked (``read_config``); the build fails all the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from briefgen.errors import ConfigError, Diagnostic, Location, Reporter
from briefgen.source.fieldtypes import Choice, Count, Flag, Text
from briefgen.source.files import read_text
from briefgen.source.safefs import Refused, read_file
from briefgen.source.specs import CONFIG, read_spec
from briefgen.source.structures import Record
from briefgen.source.yamlio import YamlDoc, load_yaml
from briefgen.urlcheck import BASE_EXAMPLE, url_problem

CONFIG_FILE = "site.yaml"
TERM_LINK_POLICIES = ("first", "all", "none")


@dataclass(frozen=True)
class MarkdownOptions:
    """The Markdown extensions of ``.md`` articles (site.yaml: ``markdown:``)."""

    tables: bool = True  # GitHub Flavored Markdown tables
    strikethrough: bool = True  # GFM ~~strikethrough~~
    footnotes: bool = True  # [^1] references, numbered endnotes
    heading_anchors: bool = True  # ids on headings and a link to each
    typographer: bool = False  # curly quotes, dashes and ellipses in place of ASCII ones


@dataclass(frozen=True)
class SiteConfig:
    """Site settings, validated; code receives only this."""

    title: str
    base_url: str  # absolute, always ending in "/"
    language: str = "en"
    description: str = ""
    author: str = ""
    theme: str = "default"
    glossary: str = "glossary.yaml"
    term_link: str = "first"  # site.yaml: terms.link
    paginate: int = 30  # briefs per page of the front page and tag pages; 0: all on one
    image: str = ""  # Open Graph and Twitter cards: a site path ("static/cover.png") or a URL
    search: bool = True  # the search page, its field in every header, and Pagefind's index
    markdown: MarkdownOptions = field(default_factory=MarkdownOptions)
    theme_location: Location = field(default_factory=lambda: Location(CONFIG_FILE))
    image_location: Location = field(default_factory=lambda: Location(CONFIG_FILE))

    def with_base_url(self, base_url: str) -> SiteConfig:
        """A copy with another base URL (the command line's --base-url), normalised."""
        return replace(self, base_url=base_url if base_url.endswith("/") else base_url + "/")


def _image_url(value: str) -> str | None:
    return url_problem(value, base=True) if value.startswith(("http://", "https://")) else None


def _setting(description: str, example: str, problem: str, **spec: Any) -> Text:
    """A text setting: what it is, an example, and what is wrong with a bad value."""
    return Text(description, problem=problem, fix=f"for example {example}", **spec)


TERMS = Record(
    {
        "link": Choice(
            TERM_LINK_POLICIES, "Which mentions of a glossary term are marked.", default="first"
        )
    },
    description="How glossary terms are marked in articles.",
    fix="for example terms: {link: first}",
)
MARKDOWN = Record(
    {
        name: Flag(help, default=getattr(MarkdownOptions(), name))
        for name, help in (
            ("tables", "GitHub Flavored Markdown tables."),
            ("strikethrough", "GFM ~~strikethrough~~."),
            ("footnotes", "Footnotes, as numbered endnotes."),
            ("heading_anchors", "Ids on headings, and a link to each."),
            ("typographer", "Typographic quotes, dashes and ellipses."),
        )
    },
    description="The extensions of .md articles.",
    fix="for example markdown: {footnotes: true}",
)
SITE = Record(
    {
        "title": _setting("The site's name.", "title: World Briefing",
                          "must be a non-empty string", nonblank=True),
        "base_url": _setting(
            "The published address, http(s) without a query or fragment; its path prefix is "
            "honoured everywhere.",
            f"base_url: {BASE_EXAMPLE}",
            f"must be a URL such as {BASE_EXAMPLE}",
            pattern="^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]+(/[^?#]*)?$",
            check=lambda url: url_problem(url, base=True),
        ),
        "language": _setting(
            "The pages' language, such as en or en-GB.", "language: en",
            "must be a language tag such as en or en-GB",
            pattern="^(?=.*[A-Za-z0-9])[A-Za-z0-9-]{2,35}$", default="en",
        ),
        "description": _setting("One line about the site.", "description: Daily context.",
                                "must be a string", default=""),
        "author": _setting("The feed's author (default: the title).", "author: The desk",
                           "must be a string", default=""),
        "theme": _setting(
            "A built-in theme, or a folder themes/<name>/.", "theme: default",
            "must be a theme name such as default", pattern="^[^/.][^/]*$", default="default",
        ),
        "glossary": _setting(
            "The glossary file, relative to content/.", "glossary: glossary.yaml",
            "must be a .yaml file inside content/, such as glossary.yaml",
            pattern="^(?!/)(?!(.*/)?[.][.](/|$)).*[.]ya?ml$", default="glossary.yaml",
        ),
        "terms": TERMS,
        "paginate": Count(
            "Briefs per page of the front and tag pages (0: one page).", default=30,
            problem="must be a whole number (0 puts every briefing on one page)",
            fix="for example paginate: 30",
        ),
        "image": _setting(
            "The picture of link previews (Open Graph, Twitter cards): a file of the built "
            "site such as static/cover.png, or an http(s) URL.",
            "image: static/cover.png",
            "must be a file of the site such as static/cover.png, or a URL",
            pattern="^(https?://.*|(?!/)(?!(.*/)?[.]{0,2}(/|$)).+)$",
            check=_image_url,
        ),
        "search": Flag(
            "The search page, its field in every header, and Pagefind's index.", default=True
        ),
        "markdown": MARKDOWN,
    },
    description="The settings of a briefgen site.",
    required=("title", "base_url"),
    missing_fixes={"title": "title: World Briefing", "base_url": f"base_url: {BASE_EXAMPLE}"},
)  # fmt: skip


def parse_config(doc: YamlDoc) -> tuple[SiteConfig, list[Diagnostic]]:
    """Validate a loaded site.yaml; a bad or missing value takes its default; pure."""
    if not isinstance(doc.data, dict):
        loc = Location(doc.path, 1, 1)
        problem = "site.yaml must be a mapping of settings"
        return FALLBACK, [Diagnostic(loc, "CFG003", problem, "see the README")]
    found, problems = read_spec(SITE, doc, CONFIG)
    base_url = found.get("base_url", FALLBACK.base_url)
    markdown = found.get("markdown")
    config = SiteConfig(
        title=found.get("title", FALLBACK.title),
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        language=found.get("language", "en"),
        description=found.get("description", ""),
        author=found.get("author", ""),
        theme=found.get("theme", "default"),
        glossary=found.get("glossary", "glossary.yaml"),
        term_link=found.get("terms").get("link", "first") if found.get("terms") else "first",
        paginate=found.get("paginate", 30),
        image=found.get("image", ""),
        search=found.get("search", True),
        markdown=MarkdownOptions(**markdown.values) if markdown else MarkdownOptions(),
        theme_location=doc.loc("theme"),
        image_location=doc.loc("image"),
    )
    return config, problems


# What a site.yaml that cannot be read stands for, so that the rest of the site is checked.
FALLBACK = SiteConfig(title="Untitled", base_url=BASE_EXAMPLE)


def read_config(site_dir: Path) -> tuple[SiteConfig, list[Diagnostic]]:
    """Read and validate site.yaml: the settings (defaults for what is wrong) and problems.

    Without a site.yaml there is no site: ConfigError (CFG004), or the reader's refusal.
    """
    reporter = Reporter()
    try:
        data = read_file(site_dir, site_dir / CONFIG_FILE)
    except Refused as refused:
        if not refused.missing:
            raise ConfigError([refused.diagnostic]) from None
        raise ConfigError(
            [
                Diagnostic(
                    Location(CONFIG_FILE),
                    "CFG004",
                    f"no {CONFIG_FILE} in {site_dir}",
                    "run briefgen in a site folder or pass --site DIR",
                )
            ]
        ) from None
    text = read_text(data, CONFIG_FILE, reporter)
    if text is None:
        return FALLBACK, reporter.diagnostics
    doc, problems = load_yaml(CONFIG_FILE, text)
    reporter.extend(problems)
    if doc is None:
        return FALLBACK, reporter.diagnostics
    config, problems = parse_config(doc)
    reporter.extend(problems)
    return config, reporter.diagnostics


def load_config(site_dir: Path) -> SiteConfig:
    """Read and validate site.yaml; raises ConfigError with every problem."""
    config, problems = read_config(site_dir)
    if any(problem.severity == "error" for problem in problems):
        raise ConfigError(problems)
    return config
