"""Pure text algorithms of the content format: normalisation, quote anchoring, fuzzy matching."""
