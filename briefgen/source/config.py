"""site.yaml -> an immutable, validated ``SiteConfig``.

The schema is data in one place (``SCHEMA``): each key with its type, default and
check. Unknown keys are errors with a did-you-mean suggestion; every problem is
reported at once, located at its line in site.yaml.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from briefgen.errors import ConfigError, Diagnostic, Location, Reporter, did_you_mean
from briefgen.source.files import read_text
from briefgen.source.safefs import Refused, read_file
from briefgen.source.scalars import Unparsed, parse_count, parse_flag
from briefgen.source.yamlio import YamlDoc, load_yaml
from briefgen.urlcheck import url_problem

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


# Returns a problem ("must be ...") or None; may raise Unparsed, which carries its own fix.
Check = Callable[[Any], str | None]


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "must be a non-empty string"


def _url(value: Any) -> str | None:
    return url_problem(value, base=True)


def _language(value: Any) -> str | None:
    ok = isinstance(value, str) and value.replace("-", "").isalnum() and 2 <= len(value) <= 35
    return None if ok else "must be a language tag such as en or en-GB"


def _name(value: Any) -> str | None:
    ok = isinstance(value, str) and value and "/" not in value and not value.startswith(".")
    return None if ok else "must be a theme name such as default"


def _relative_file(value: Any) -> str | None:
    ok = isinstance(value, str) and value.endswith((".yaml", ".yml"))
    if ok and (value.startswith("/") or ".." in value.split("/")):
        ok = False
    return None if ok else "must be a .yaml file inside content/, such as glossary.yaml"


def _optional_text(value: Any) -> str | None:
    return None if isinstance(value, str) else "must be a string"


def _page_size(value: Any) -> str | None:
    try:
        parse_count(value, "paginate")
    except Unparsed as bad:
        if "YAML 1.1" in bad.what:
            raise  # ambiguous: its own fix says how to write it
        return "must be a whole number (0 puts every briefing on one page)"
    return None


def _image(value: Any) -> str | None:
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return _url(value)
    ok = isinstance(value, str) and value and not value.startswith("/")
    ok = ok and not {"", ".", ".."} & set(value.split("/"))
    return None if ok else "must be a file of the site such as static/cover.png, or a URL"


def _policy(value: Any) -> str | None:
    return None if value in TERM_LINK_POLICIES else "must be one of: first, all, none"


def _mapping(value: Any) -> str | None:
    return None if isinstance(value, dict) else "must be a mapping"


def _switch(value: Any) -> str | None:
    try:
        parse_flag(value, "switch")
    except Unparsed as bad:
        if "YAML 1.1" in bad.what:
            raise  # ambiguous: its own fix says how to write it
        return "must be true or false"
    return None


@dataclass(frozen=True)
class Key:
    """One site.yaml key: its check, whether it is required, and a hint for the fix."""

    check: Check
    required: bool = False
    example: str = ""


SCHEMA: dict[str, Key] = {
    "title": Key(_text, required=True, example="title: World Briefing"),
    "base_url": Key(_url, required=True, example="base_url: https://example.org/briefing/"),
    "language": Key(_language, example="language: en"),
    "description": Key(_optional_text),
    "author": Key(_optional_text),
    "theme": Key(_name, example="theme: default"),
    "glossary": Key(_relative_file, example="glossary: glossary.yaml"),
    "terms": Key(_mapping, example="terms: {link: first}"),
    "paginate": Key(_page_size, example="paginate: 30"),
    "image": Key(_image, example="image: static/cover.png"),
    "search": Key(_switch, example="search: true"),
    "markdown": Key(_mapping, example="markdown: {footnotes: true}"),
}
TERMS_SCHEMA: dict[str, Key] = {"link": Key(_policy, example="link: first")}
MARKDOWN_SCHEMA: dict[str, Key] = {
    name: Key(_switch, example=f"{name}: {str(default).lower()}")
    for name, default in asdict(MarkdownOptions()).items()
}


def check_mapping(
    doc: YamlDoc, data: dict[str, Any], schema: dict[str, Key], path: tuple[str, ...]
) -> list[Diagnostic]:
    """Check a mapping against a schema: unknown keys, missing keys, bad values."""
    problems: list[Diagnostic] = []
    for key, value in data.items():
        where = ".".join((*path, str(key)))
        if key not in schema:
            problems.append(
                Diagnostic(
                    doc.key_loc(*path, key),
                    "CFG001",
                    f"unknown key '{where}'",
                    did_you_mean(str(key), schema, "known keys are: " + ", ".join(sorted(schema))),
                )
            )
            continue
        fix = f"for example {schema[key].example}" if schema[key].example else ""
        try:
            problem = schema[key].check(value)
        except Unparsed as bad:
            problem, fix = bad.what, bad.fix
        if problem:
            problems.append(Diagnostic(doc.loc(*path, key), "CFG003", f"'{where}' {problem}", fix))
    for key, spec in schema.items():
        if spec.required and key not in data:
            where = ".".join((*path, key))
            problems.append(
                Diagnostic(
                    doc.loc(*path),
                    "CFG002",
                    f"missing required key '{where}'",
                    f"add a line '{spec.example}'",
                )
            )
    return problems


def parse_config(doc: YamlDoc) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """Validate a loaded site.yaml; pure."""
    data = doc.data
    if not isinstance(data, dict):
        loc = Location(doc.path, 1, 1)
        return None, [
            Diagnostic(loc, "CFG003", "site.yaml must be a mapping of settings", "see the README")
        ]
    problems = check_mapping(doc, data, SCHEMA, ())
    terms = data.get("terms")
    if isinstance(terms, dict):
        problems += check_mapping(doc, terms, TERMS_SCHEMA, ("terms",))
    markdown = data.get("markdown")
    if isinstance(markdown, dict):
        problems += check_mapping(doc, markdown, MARKDOWN_SCHEMA, ("markdown",))
    if problems:
        return None, problems
    base_url = data["base_url"]
    config = SiteConfig(
        title=data["title"].strip(),
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        language=data.get("language", "en"),
        description=data.get("description", ""),
        author=data.get("author", ""),
        theme=data.get("theme", "default"),
        glossary=data.get("glossary", "glossary.yaml"),
        term_link=(terms or {}).get("link", "first"),
        paginate=parse_count(data.get("paginate", 30), "paginate"),
        image=data.get("image", ""),
        search=parse_flag(data.get("search", True), "search"),
        markdown=MarkdownOptions(
            **{name: parse_flag(value, name) for name, value in (markdown or {}).items()}
        ),
        theme_location=doc.loc("theme"),
        image_location=doc.loc("image"),
    )
    return config, []


def load_config(site_dir: Path) -> SiteConfig:
    """Read and validate site.yaml; raises ConfigError with every problem."""
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
        raise ConfigError(reporter.diagnostics)
    doc, problems = load_yaml(CONFIG_FILE, text)
    reporter.extend(problems)
    if doc is not None and not problems:
        config, problems = parse_config(doc)
        reporter.extend(problems)
        if config is not None and not reporter.errors:
            return config
    raise ConfigError(reporter.diagnostics)
