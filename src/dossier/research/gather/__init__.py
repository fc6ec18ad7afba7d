"""Gatherers: the site crawl (robots, sitemaps, prioritized pages), job boards, DNS."""
