"""Accuracy of the research engine (no LLM): per answer type, abstention, calibration, citations, cost.

Corpora:
- `realsites` — real company websites rendered from their repositories (bench/realsites; build them first
  with `python -m bench.realsites.build`), split by company into `dev` (tuned on) and `heldout` (read as totals);
- `fixtures` — the invented fixture companies in tests/fixtures/sites, with the question folders
  bench/questions (`--split dev`), bench/questions_holdout (`holdout`) and bench/questions_holdout2 (`holdout2`).

The sites are served on 127.0.0.1 (forward proxy + DNS); every question goes through ResearchEngine.ask in
strict mode unless the question says otherwise. Each domain is crawled and analysed once, before its
questions (timed apart), so seconds per question are the reading time after the crawl, including any pages
fetched for the question.

    python bench/accuracy.py --corpus realsites --split dev [--show-wrong] [--results out.jsonl]
    python bench/accuracy.py --corpus realsites --split heldout
    python bench/accuracy.py --corpus fixtures --split dev

With `--llm`, the language model configured by DOSSIER_LLM_BASE_URL / DOSSIER_LLM_MODEL (/ DOSSIER_LLM_API_KEY,
DOSSIER_LLM_PRICES, ...) answers behind the offline reader, and the report adds its tokens, cost and seconds
per question. Without `--llm` no model is used even if those variables are set, so the offline figures stay
the offline reader's.

    DOSSIER_LLM_BASE_URL=http://127.0.0.1:8081/v1 DOSSIER_LLM_MODEL=smollm2 \
        python bench/accuracy.py --corpus fixtures --split dev --llm

With `--fit-llm-calibration PATH` (with `--llm`, on a development split only), the run also fits the LLM path's
calibration map for the configured model from its verified readings (the answerer's prior score, and whether
the reading was right; readings strict mode withheld included) and writes it to PATH, a small JSON file that
records the model's name; point DOSSIER_LLM_CALIBRATION at it (research/llm/calibration.py).
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
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fixtures.servers import SITES_ROOT, FixtureDNS, SiteProxy  # noqa: E402

from bench.scoring import correct, expected_calibration_error, value_of  # noqa: E402
from dossier.config import Settings  # noqa: E402
from dossier.kit.db import Database  # noqa: E402
from dossier.kit.dns import Resolver  # noqa: E402
from dossier.kit.http import GuardedClient  # noqa: E402
from dossier.kit.migrate import upgrade  # noqa: E402
from dossier.research import repository  # noqa: E402
from dossier.research.engine import ResearchEngine, policy_from  # noqa: E402
from dossier.research.llm.calibration import fit_map, write_map  # noqa: E402

REALSITES = ROOT / "bench" / "realsites"
FIXTURE_SPLITS = {"dev": "questions", "holdout": "questions_holdout", "holdout2": "questions_holdout2"}


def corpus_paths(corpus: str, split: str) -> tuple[Path, Path]:
    """(folder of question files, root of the served sites)."""
    if corpus == "realsites":
        return REALSITES / "questions" / split, REALSITES / ".build"
    return ROOT / "bench" / FIXTURE_SPLITS[split], SITES_ROOT


def load_questions(folder: Path, only: set[str]) -> list[dict[str, Any]]:
    out = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text().splitlines():
            if line.strip():
                q = json.loads(line)
                if not only or q["domain"] in only:
                    out.append(q)
    return out


async def citations_verified(db: Database, evidence: list[dict[str, Any]]) -> tuple[int, int]:
    """(quotes found verbatim in their stored snapshot, quotes cited), checked against the database."""
    ok = 0
    for ev in evidence:
        snap = await db.read(lambda c, sid=ev.get("snapshotId"): repository.snapshot_text(c, sid))
        if snap is not None and (ev["quote"] in snap[0] or ev["quote"] in snap[1] or ev["quote"] in snap[2]):
            ok += 1
    return ok, len(evidence)


async def run(args: argparse.Namespace) -> None:
    if args.fit_llm_calibration and not args.llm:
        sys.exit("--fit-llm-calibration needs --llm (and DOSSIER_LLM_BASE_URL, DOSSIER_LLM_MODEL)")
    if args.fit_llm_calibration and args.split != "dev":
        sys.exit("a calibration map is fitted on a development split only (--split dev), never on a held-out one")
    folder, sites_root = corpus_paths(args.corpus, args.split)
    if args.corpus == "realsites" and not sites_root.exists():
        sys.exit("bench/realsites/.build is missing: run `python -m bench.realsites.build` first")
    only = {d.strip() for d in args.only.split(",") if d.strip()}
    questions = load_questions(folder, only)
    if args.limit:
        seen: dict[str, int] = defaultdict(int)
        kept = []
        for q in questions:
            seen[q["domain"]] += 1
            if seen[q["domain"]] <= args.limit:
                kept.append(q)
        questions = kept
    if not questions:
        sys.exit(f"no questions in {folder}")
    totals_only = args.corpus == "realsites" and args.split == "heldout"
    tmp = Path(tempfile.mkdtemp(prefix="dossier-accuracy-"))
    url = f"sqlite:///{tmp / 'dossier.db'}"
    upgrade(url)
    rows: list[dict[str, Any]] = []
    crawl_seconds: dict[str, float] = {}
    pages: dict[str, int] = {}
    cites_ok = cites_all = 0
    with SiteProxy(sites_root) as proxy, FixtureDNS(sites_root) as dns:
        settings = Settings(
            data_dir=tmp,
            database_url=url,
            secret_key="bench",
            dns_nameservers=dns.nameserver,
            allow_private_networks=dns.site_network,
        )
        if not args.llm:
            settings = settings.model_copy(update={"llm_base_url": "", "llm_model": ""})
        elif not settings.llm_enabled:
            sys.exit("--llm needs DOSSIER_LLM_BASE_URL and DOSSIER_LLM_MODEL")
        db = Database(url)
        resolver = Resolver.from_setting(dns.nameserver)
        client = GuardedClient(policy_from(settings), resolver, env=proxy.env())
        engine = ResearchEngine(db, settings, client=client, resolver=resolver)
        by_domain: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for q in questions:
            by_domain[q["domain"]].append(q)
        for domain, qs in by_domain.items():
            t0 = time.perf_counter()
            crawl_id = await engine.prepare(domain)  # crawl and analysis: once per domain
            crawl_seconds[domain] = time.perf_counter() - t0
            urls = await db.read(lambda c, cid=crawl_id: repository.crawl_page_urls(c, cid))
            pages[domain] = len(urls)
            paths = {u.split("://", 1)[-1].split("/", 1)[-1].strip("/") for u in urls}
            for q in qs:
                t0 = time.perf_counter()
                res = await engine.ask(
                    q["domain"],
                    q["question"],
                    q["answerType"],
                    mode=q.get("mode", "strict"),
                    output_schema=q.get("outputSchema"),
                )
                elapsed = time.perf_counter() - t0
                ok_c, all_c = await citations_verified(db, res.evidence)
                cites_ok += ok_c
                cites_all += all_c
                pred = value_of(res.answer)
                page = q.get("page")
                rows.append(
                    {
                        "q": q,
                        "pred": pred,
                        "confidence": res.confidence,
                        "ok": correct(q, pred),
                        "seconds": elapsed,
                        "reasoning": res.reasoning,
                        "page_crawled": None if page is None else page.strip("/") in paths,
                        "cited": [e["url"] for e in res.evidence],
                        "tokens": res.tokens,
                        "cost_usd": res.cost_usd,
                        "model_reading": res.model_reading,
                    }
                )
                if args.llm:  # a model run takes minutes a question: show it is moving (stderr, not the report)
                    print(
                        f"[{len(rows)}/{len(questions)}] {domain} {q['answerType']}: {elapsed:.1f} s, "
                        f"{res.tokens} tokens, model reading {'yes' if res.model_reading else 'no'}",
                        file=sys.stderr,
                        flush=True,
                    )
        await engine.aclose()
        db.dispose()
        requests: dict[str, int] = defaultdict(int)
        for _scheme, host, _path in proxy.requests:
            requests[host] += 1
    report(rows, args, totals_only, crawl_seconds, pages, requests, (cites_ok, cites_all))
    if args.results and not totals_only:
        write_results(Path(args.results), rows)
    if args.fit_llm_calibration:
        fit_calibration(Path(args.fit_llm_calibration), settings.llm_model, rows, f"--corpus {args.corpus} --split dev")


def fit_calibration(path: Path, model: str, rows: list[dict[str, Any]], split: str) -> None:
    """Fit and write the model's calibration map from the run's verified model readings."""
    readings = [
        (r["q"]["answerType"], r["model_reading"].score, bool(correct(r["q"], value_of(r["model_reading"].answer))))
        for r in rows
        if r["model_reading"] is not None
    ]
    if not readings:
        sys.exit("no verified model readings in this run: no calibration map written")
    data = fit_map(model, readings, f"bench/accuracy.py {split} ({len(rows)} questions)")
    write_map(path, data)
    right = sum(ok for _, _, ok in readings)
    print(
        f"\nLLM calibration for model {model!r}: {len(readings)} verified model readings, {right} right; wrote {path}"
    )
    for kind, steps in data["maps"].items():
        print(f"  {kind:<12} " + ", ".join(f"score <= {s:.3f}: {p:.3f}" for s, p in steps))


def write_results(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r, default=str) + "\n" for r in rows))


def report(
    rows: list[dict[str, Any]],
    args: argparse.Namespace,
    totals_only: bool,
    crawl_seconds: dict[str, float],
    pages: dict[str, int],
    requests: dict[str, int],
    cites: tuple[int, int],
) -> None:
    stated = [r for r in rows if r["q"]["gold"] is not None]
    nulls = [r for r in rows if r["q"]["gold"] is None]
    print(f"corpus {args.corpus}, split {args.split}: {len(rows)} questions over {len(pages)} companies")
    print(f"answerable: {len(stated)}, answered correctly: {_pct(sum(r['ok'] for r in stated), len(stated))}")
    print(f"not stated: {len(nulls)}, correctly abstained: {_pct(sum(r['pred'] is None for r in nulls), len(nulls))}")
    print(f"overall correct: {_pct(sum(r['ok'] for r in rows), len(rows))}")
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in stated:
        groups[r["q"]["answerType"]].append(r)
    print(f"\n{'answer type':<14}{'n':>5}{'correct':>9}{'abstained':>11}")
    for name in sorted(groups):
        g = groups[name]
        print(
            f"{name:<14}{len(g):>5}{_pct(sum(r['ok'] for r in g), len(g)):>9}"
            f"{_pct(sum(r['pred'] is None for r in g), len(g)):>11}"
        )
    answered = [(r["confidence"] or 0.0, bool(r["ok"])) for r in rows if r["pred"] is not None]
    print(f"\nECE (answered, 10 bins): {expected_calibration_error(answered):.3f} over {len(answered)} answers")
    print(f"citations verified in a stored snapshot: {cites[0]}/{cites[1]}")
    with_page = [r for r in stated if r["page_crawled"] is not None]
    if with_page:
        print(f"answer page in the crawl: {_pct(sum(bool(r['page_crawled']) for r in with_page), len(with_page))}")
    times = [r["seconds"] for r in rows]
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else max(times)
    print(f"seconds per question after the crawl: mean {statistics.mean(times):.3f}, p95 {p95:.3f}")
    if args.llm:
        tokens = [r["tokens"] for r in rows]
        cost = sum(r["cost_usd"] for r in rows)
        print(
            f"model tokens per question: mean {statistics.mean(tokens):.0f}, max {max(tokens)}; "
            f"cost: ${cost:.4f} in all, ${cost / len(rows):.5f} per question"
        )
    print("pages stored / requests / crawl+analysis seconds per domain:")
    for d in sorted(pages):
        print(f"  {d:<32}{pages[d]:>5}{requests.get(d, 0):>6}{crawl_seconds[d]:>8.1f}")
    if args.show_wrong and not totals_only:
        print("\nwrong:")
        for r in rows:
            if not r["ok"]:
                q = r["q"]
                print(
                    f"- [{q['domain']}] {q['question']} ({q['answerType']}) gold={q['gold']!r} got={r['pred']!r} "
                    f"conf={r['confidence']} page={q.get('page')} crawled={r['page_crawled']} :: {r['reasoning'][:200]}"
                )


def _pct(n: int, d: int) -> str:
    return f"{n / d:.1%}" if d else "-"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", choices=("realsites", "fixtures"), default="realsites")
    parser.add_argument("--split", default="dev", help="realsites: dev | heldout; fixtures: dev | holdout | holdout2")
    parser.add_argument("--only", default="", help="comma-separated domains")
    parser.add_argument("--show-wrong", action="store_true", help="list wrong answers (never for the held-out split)")
    parser.add_argument("--results", help="write one JSON line per question (never for the held-out split)")
    parser.add_argument("--limit", type=int, default=0, help="the first N questions of each company (slow models)")
    parser.add_argument("--llm", action="store_true", help="answer with the configured language model (DOSSIER_LLM_*)")
    parser.add_argument(
        "--fit-llm-calibration",
        metavar="PATH",
        help="with --llm on a development split: fit the model's calibration map and write it to PATH",
    )
    args = parser.parse_args()
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
