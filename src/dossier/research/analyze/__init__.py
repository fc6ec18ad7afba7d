"""Deterministic analyzers: each turns stored documents into findings that quote their evidence."""
