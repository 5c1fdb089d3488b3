"""Diagnostics for people and tools: every code's meaning, and the formats of `briefgen check`."""
