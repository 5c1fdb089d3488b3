"""Reading the site: site.yaml, articles, sidecars and the glossary, with located problems."""
