"""Markdown to HTML with briefgen's markdown-it plugins, which work on the token stream.

``renderer`` sets up markdown-it for articles, summaries and definitions; ``textmap``
is the plugins' shared mechanism (reader text, source positions, splicing);
``anchors`` marks context notes and phrase links; ``terms`` marks glossary terms.
"""
