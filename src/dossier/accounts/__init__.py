"""Organisations, API keys and credits."""
