"""briefgen's markdown-it plugins: they work on the token stream, never on HTML.

``textmap`` is the shared mechanism (reader text, source positions, splicing);
``anchors`` marks context notes and phrase links; ``terms`` marks glossary terms.
"""

from briefgen.markdown.anchors import anchors_plugin
from briefgen.markdown.terms import TermMatcher, terms_plugin

__all__ = ["TermMatcher", "anchors_plugin", "terms_plugin"]
