"""The site model: cross-references of the whole site and the views templates receive."""
