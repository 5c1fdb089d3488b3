"""JSON Schemas of site.yaml, sidecars and the glossary, for editors (see ``editor``)."""
