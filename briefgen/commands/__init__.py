"""Every command's flags and the edge that runs it (``briefgen.cli`` dispatches)."""
