"""Fit the LLM path's calibration for the configured model on a development split.

Serves the corpus, crawls each company once, and reads every question through the configured language model
(DOSSIER_LLM_*), recording for each answer the model gave with verified support its prior score and whether it
was right. Fits an isotonic map from score to probability of being right, per answer type (pooled as "*" for
types with fewer than MIN_POINTS answers), and stores it under the model's name in
src/dossier/research/data/llm_calibration.json. A model without a map keeps its prior score, capped.
Never fitted on a held-out split.

    DOSSIER_LLM_BASE_URL=... DOSSIER_LLM_MODEL=... python bench/fit_llm.py --corpus fixtures --split dev [--dry-run]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fixtures.servers import FixtureDNS, SiteProxy  # noqa: E402

from bench.accuracy import corpus_paths, load_questions  # noqa: E402
from bench.scoring import correct, value_of  # noqa: E402
from dossier.config import Settings  # noqa: E402
from dossier.kit.db import Database  # noqa: E402
from dossier.kit.dns import Resolver  # noqa: E402
from dossier.kit.http import GuardedClient  # noqa: E402
from dossier.kit.migrate import upgrade  # noqa: E402
from dossier.research.calibrate import isotonic  # noqa: E402
from dossier.research.engine import ResearchEngine, coerce, envelope, policy_from  # noqa: E402
from dossier.research.llm.stack import dump_llm_maps  # noqa: E402

MIN_POINTS = 20


async def run(args: argparse.Namespace) -> None:
    if "heldout" in args.split or "holdout" in args.split:
        sys.exit("never fitted on a held-out split")
    folder, sites_root = corpus_paths(args.corpus, args.split)
    questions = load_questions(folder, set())
    tmp = Path(tempfile.mkdtemp(prefix="dossier-fit-llm-"))
    url = f"sqlite:///{tmp / 'dossier.db'}"
    upgrade(url)
    points: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    with SiteProxy(sites_root) as proxy, FixtureDNS(sites_root) as dns:
        settings = Settings(data_dir=tmp, database_url=url, secret_key="bench", dns_nameservers=dns.nameserver,
                            allow_private_networks=dns.site_network)
        if not settings.llm_enabled:
            sys.exit("set DOSSIER_LLM_BASE_URL and DOSSIER_LLM_MODEL")
        db = Database(url)
        resolver = Resolver.from_setting(dns.nameserver)
        engine = ResearchEngine(
            db, settings, client=GuardedClient(policy_from(settings), resolver, env=proxy.env()), resolver=resolver
        )
        for q in questions:
            crawl_id = await engine.prepare(q["domain"])
            analysis = await engine.analysis(crawl_id, q["domain"])
            draft = await engine._read(q["question"], q["answerType"], q.get("outputSchema"), analysis,
                                       q.get("mode", "strict"))
            if not draft.features.get("llm") or draft.value is None or not draft.evidence:
                continue
            value = coerce(q["answerType"], draft.value)
            ok = value is not None and bool(correct(q, value_of(envelope(q["answerType"], value))))
            points[q["answerType"]].append((draft.score, ok))
        await engine.aclose()
        db.dispose()
    maps: dict[str, list[tuple[float, float]]] = {}
    pooled: list[tuple[float, bool]] = []
    for kind, pts in sorted(points.items()):
        print(f"{kind:<14}{len(pts):>5} answers, {sum(ok for _, ok in pts)} right")
        if len(pts) >= MIN_POINTS:
            maps[kind] = isotonic(pts)
        pooled += pts
    if pooled:
        maps["*"] = isotonic(pooled)
    print(f"model {settings.llm_model}: {len(pooled)} verified model answers over {len(questions)} questions")
    if not args.dry_run and maps:
        dump_llm_maps(settings.llm_model, maps)
        print("wrote the map for", settings.llm_model)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", choices=("realsites", "fixtures"), default="fixtures")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--dry-run", action="store_true")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
