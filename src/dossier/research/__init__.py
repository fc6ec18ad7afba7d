"""The research engine: gather public evidence about a company, analyze it, answer typed questions.

Usable without the HTTP API: `dossier.research.engine.ResearchEngine`.
"""
