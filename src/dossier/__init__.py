"""Dossier: a self-hostable research-signals server that speaks Saber's Signals API."""

__version__ = "0.1.0"
