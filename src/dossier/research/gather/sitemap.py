"""Sitemap reading with a hardened XML parser (no entities, no DTDs) and size caps."""

from __future__ import annotations

import gzip
import io

from defusedxml import ElementTree

MAX_UNCOMPRESSED = 10_000_000


def decode(content: bytes, url: str) -> bytes:
    if content[:2] == b"\x1f\x8b" or url.endswith(".gz"):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(content)) as fh:
                return fh.read(MAX_UNCOMPRESSED)
        except (OSError, EOFError):
            return b""
    return content


def parse(content: bytes) -> tuple[list[str], list[str]]:
    """(page urls, child sitemap urls)."""
    try:
        root = ElementTree.fromstring(content, forbid_dtd=True)
    except Exception:  # defusedxml raises several types for hostile or broken XML
        return [], []
    pages: list[str] = []
    children: list[str] = []
    tag = root.tag.rsplit("}", 1)[-1]
    for loc in root.iter():
        if loc.tag.rsplit("}", 1)[-1] == "loc" and loc.text:
            (children if tag == "sitemapindex" else pages).append(loc.text.strip())
    return pages, children
