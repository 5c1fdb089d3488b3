"""The one check of every address that comes from outside the site.

The command line's --base-url, site.yaml's base_url and image, the URLs of sidecar
sources and import's --source-url are checked by ``url_problem``; links in Markdown by
``is_safe_link``: http and https, and mailto for links, with no spaces, control
characters or credentials; never a scheme that runs code or reads data in the browser.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")
LINK_SCHEMES = (*WEB_SCHEMES, "mailto")
# What a link must never lead to: they run code or read data in the browser (markdown-it
# refuses the same).
UNSAFE_SCHEMES = ("javascript", "vbscript", "data", "file")
BASE_EXAMPLE = "https://example.org/briefing/"


def url_problem(text: object, *, base: bool = False) -> str | None:
    """Why ``text`` is not a safe absolute address, or None: the one check of every URL.

    ``base``: a site's base URL (http or https, no query or fragment); else a link out
    (http, https or mailto). The result completes a sentence such as "'url' ...".
    """
    kind = f"an absolute http(s) URL such as {BASE_EXAMPLE}" if base else "a web address"
    if not isinstance(text, str) or not text.strip():
        return f"must be a URL such as {BASE_EXAMPLE}" if base else f"must be {kind}"
    if _UNPRINTABLE.search(text) if text.isascii() else any(map(_unprintable, text)):
        return f"must not contain spaces or control characters: {text!r}"
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - a port that is not a number raises
    except ValueError:
        return f"is not a valid URL: {text!r}"
    scheme = parts.scheme.lower()
    if base and not scheme:
        return f"must be a URL such as {BASE_EXAMPLE}"
    if scheme not in (WEB_SCHEMES if base else LINK_SCHEMES) or (
        scheme in WEB_SCHEMES and not parts.hostname
    ):
        return f"must be {kind}" if base else f"is not a web address: {text!r}"
    if scheme == "mailto" and not parts.path:
        return f"is not a web address: {text!r}"
    if parts.username is not None or parts.password is not None:
        return f"must not contain a user name or password: {text!r}"
    if base and (parts.query or parts.fragment):
        return "must not have a query or fragment"
    return None


_UNPRINTABLE = re.compile(r"[\x00-\x20\x7f]")  # in ASCII: spaces and control characters


def _unprintable(ch: str) -> bool:
    """Whether ``ch`` is a space, a control character or an invisible format mark."""
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")


def is_safe_link(url: str) -> bool:
    """Whether Markdown may link to ``url``: a path of the site; a web or mail address that
    ``url_problem`` allows; or another scheme (``tel:``, ``irc:``, ``ftp:``) that neither
    runs nor reads anything in the browser, which ``UNSAFE_SCHEMES`` do."""
    if any(map(_unprintable, url)):
        return False
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if not scheme:
        return not parts.netloc or url_problem("https:" + url) is None
    if scheme in LINK_SCHEMES:
        return url_problem(url) is None
    return scheme not in UNSAFE_SCHEMES
