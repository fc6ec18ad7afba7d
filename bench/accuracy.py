"""Accuracy of the research engine on the fixture corpus (no LLM), with calibration and cost.

Serves tests/fixtures/sites on 127.0.0.1 (forward proxy + DNS), runs every question in
bench/questions/*.jsonl through ResearchEngine.ask in strict mode, and prints accuracy per family and per
answer type, abstention on "not stated" golds, expected calibration error, seconds per question and pages
fetched per domain (each domain is crawled once per run).

    python bench/accuracy.py [--show-wrong] [--questions bench/questions_holdout]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fixtures.servers import FixtureDNS, SiteProxy  # noqa: E402

from bench.scoring import correct, expected_calibration_error, value_of  # noqa: E402
from dossier.config import Settings  # noqa: E402
from dossier.kit.db import Database  # noqa: E402
from dossier.kit.dns import Resolver  # noqa: E402
from dossier.kit.http import GuardedClient  # noqa: E402
from dossier.kit.migrate import upgrade  # noqa: E402
from dossier.research.engine import ResearchEngine, policy_from  # noqa: E402


def load_questions(folder: Path) -> list[dict]:
    out = []
    for path in sorted(folder.glob("*.jsonl")):
        out += [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return out


async def run(show_wrong: bool, folder: Path) -> None:
    questions = load_questions(folder)
    tmp = Path(tempfile.mkdtemp(prefix="dossier-accuracy-"))
    url = f"sqlite:///{tmp / 'dossier.db'}"
    upgrade(url)
    with SiteProxy() as proxy, FixtureDNS() as dns:
        settings = Settings(data_dir=tmp, database_url=url, secret_key="bench", dns_nameservers=dns.nameserver)
        db = Database(url)
        resolver = Resolver.from_setting(dns.nameserver)
        client = GuardedClient(policy_from(settings), resolver, env=proxy.env())
        engine = ResearchEngine(db, settings, client=client, resolver=resolver)
        rows = []
        for q in questions:
            t0 = time.perf_counter()
            res = await engine.ask(
                q["domain"],
                q["question"],
                q["answerType"],
                mode=q.get("mode", "strict"),
                output_schema=q.get("outputSchema"),
            )
            elapsed = time.perf_counter() - t0
            pred = value_of(res.answer)
            rows.append((q, pred, res.confidence, correct(q, pred), elapsed, res.reasoning))
        await engine.aclose()
        db.dispose()
        pages_per_domain: dict[str, int] = defaultdict(int)
        for _scheme, host, _path in proxy.requests:
            pages_per_domain[host] += 1

    def table(key: str) -> None:
        groups: dict[str, list[bool]] = defaultdict(list)
        for q, _, _, ok, _, _ in rows:
            groups[q[key]].append(ok)
        print(f"\n{key:<14}{'n':>5}{'accuracy':>10}")
        for name in sorted(groups):
            g = groups[name]
            print(f"{name:<14}{len(g):>5}{sum(g) / len(g):>10.1%}")

    total = sum(ok for *_, ok, _, _ in [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows])
    print(f"questions: {len(rows)}   overall accuracy: {total / len(rows):.1%}")
    table("family")
    table("answerType")
    nulls = [r for r in rows if r[0]["gold"] is None]
    stated = [r for r in rows if r[0]["gold"] is not None]
    print(
        f"\nnot-stated golds: {len(nulls)}, correctly abstained: {sum(r[1] is None for r in nulls) / max(1, len(nulls)):.1%}"
    )
    print(
        f"stated golds: {len(stated)}, abstained: {sum(r[1] is None for r in stated) / max(1, len(stated)):.1%}, "
        f"answered correctly: {sum(r[3] for r in stated) / max(1, len(stated)):.1%}"
    )
    answered = [(r[2] or 0.0, r[3]) for r in rows if r[1] is not None]
    print(f"expected calibration error (answered, 10 bins): {expected_calibration_error(answered):.3f}")
    times = [r[4] for r in rows]
    print(
        f"seconds per question: mean {statistics.mean(times):.3f}, p95 {statistics.quantiles(times, n=20)[-1]:.3f} "
        f"(first question per domain includes its crawl)"
    )
    print(
        "requests per host (each domain crawled once): "
        + ", ".join(f"{h}={n}" for h, n in sorted(pages_per_domain.items()))
    )
    if show_wrong:
        print("\nwrong:")
        for q, pred, conf, ok, _, why in rows:
            if not ok:
                print(
                    f"- [{q['domain']}] {q['question']} ({q['answerType']}) gold={q['gold']!r} got={pred!r} conf={conf} :: {why[:160]}"
                )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show-wrong", action="store_true")
    parser.add_argument(
        "--questions",
        type=Path,
        default=ROOT / "bench" / "questions",
        help="folder of *.jsonl gold questions (bench/questions_holdout: companies not used in developing the engine)",
    )
    args = parser.parse_args()
    asyncio.run(run(args.show_wrong, args.questions))


if __name__ == "__main__":
    main()
