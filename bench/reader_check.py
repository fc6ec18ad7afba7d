"""The offline reader alone on stored crawls: the quick loop for reader work, between full `bench/accuracy.py` runs.

`bench/accuracy.py` serves and crawls every company and asks through the whole engine (minutes a run). This tool
crawls a split once through the same engine, keeps each company's stored documents in `bench/.cache/` and, on
every later run, rebuilds each company's Analysis from them with the current code and reads every question with
the current reader, finished as the engine finishes an answer (verification, calibration, strict mode's bar).
Seconds a run, so a change to the reader can be checked on every company before the full benchmark.

What it does not do: fetch pages for a question (the engine's question-aware gathering), so its totals can differ a
little from `bench/accuracy.py`'s; that remains the measurement of record.

    python bench/reader_check.py --split dev                      # totals by answer type
    python bench/reader_check.py --split dev --show               # every question, right or wrong
    python bench/reader_check.py --split dev --results a.json     # then, after a change:
    python bench/reader_check.py --split dev --compare a.json     # the questions that changed
    python bench/reader_check.py --split heldout                  # totals only, as always for held-out
    python bench/reader_check.py --split dev --recall             # where retrieval puts the answer's page
    python bench/reader_check.py --split heldout --oracle         # where the reader ranks a right candidate
    python bench/reader_check.py --corpus fixtures --split holdout

`--recrawl` crawls again (after a change to the crawler or to the rendered sites).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import pickle
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.accuracy import corpus_paths, load_questions  # noqa: E402
from bench.fit_reader import collect  # noqa: E402
from bench.scoring import correct, expected_calibration_error, value_of  # noqa: E402
from dossier.config import Settings  # noqa: E402
from dossier.kit.db import Database  # noqa: E402
from dossier.research.analysis import Analysis  # noqa: E402
from dossier.research.document import Document  # noqa: E402
from dossier.research.engine import ResearchEngine  # noqa: E402
from dossier.research.read.question import parse  # noqa: E402
from dossier.research.read.reader import TOP_SECTIONS, OfflineReader  # noqa: E402

CACHE = ROOT / "bench" / ".cache"


def crawl_split(corpus: str, split: str) -> dict[str, list[Document]]:
    """Every company of a split crawled once by the engine (as bench/fit_reader.py does): its documents, by domain."""
    return {analysis.domain: analysis.docs for _, analysis in asyncio.run(collect(corpus, split))}


def stored_split(corpus: str, split: str, recrawl: bool) -> dict[str, list[Document]]:
    path = CACHE / f"{corpus}-{split}.pkl"
    if path.exists() and not recrawl:
        docs: dict[str, list[Document]] = pickle.loads(path.read_bytes())
        return docs
    docs = crawl_split(corpus, split)
    CACHE.mkdir(exist_ok=True)
    path.write_bytes(pickle.dumps(docs))
    return docs


def finisher() -> ResearchEngine:
    """An engine used only to finish drafts as `ask` does (verify, calibrate, strict mode's bar)."""
    tmp = Path(tempfile.mkdtemp(prefix="dossier-reader-check-"))
    url = f"sqlite:///{tmp / 'dossier.db'}"
    settings = Settings(data_dir=tmp, database_url=url, secret_key="bench")
    return ResearchEngine(Database(url), settings)


def read_all(questions: list[dict[str, Any]], analyses: dict[str, Analysis]) -> list[dict[str, Any]]:
    reader = OfflineReader()
    engine = finisher()
    rows = []
    for q in questions:
        analysis = analyses[q["domain"]]
        mode = q.get("mode", "strict")
        t0 = time.perf_counter()
        draft = reader.answer(q["question"], q["answerType"], q.get("outputSchema"), analysis, mode)
        answer = engine._finish(draft, q["answerType"], mode, analysis, None, "reader-check")
        seconds = time.perf_counter() - t0
        pred = value_of(answer.answer) if answer.answer else None
        rows.append(
            {
                "domain": q["domain"],
                "question": q["question"],
                "type": q["answerType"],
                "gold": q["gold"],
                "answer": pred,
                "right": correct(q, pred),
                "confidence": answer.confidence,
                "seconds": seconds,
                "reasoning": answer.reasoning[:300],
            }
        )
    return rows


def report(rows: list[dict[str, Any]]) -> None:
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    abstained = [0, 0]
    for r in rows:
        if r["gold"] is None:
            abstained[0] += r["right"]
            abstained[1] += 1
        else:
            by_type[r["type"]][0] += r["right"]
            by_type[r["type"]][1] += 1
    right = sum(v[0] for v in by_type.values())
    answerable = sum(v[1] for v in by_type.values())
    pairs = [(r["confidence"], r["right"]) for r in rows if r["confidence"] is not None]
    seconds = sorted(r["seconds"] for r in rows)
    print(
        f"answerable right {right}/{answerable} ({100 * right / max(answerable, 1):.1f}%), "
        f"not stated abstained {abstained[0]}/{abstained[1]} ({100 * abstained[0] / max(abstained[1], 1):.1f}%), "
        f"ECE {expected_calibration_error(pairs):.3f} over {len(pairs)} answers"
    )
    print("  " + "  ".join(f"{t} {v[0]}/{v[1]}" for t, v in sorted(by_type.items())))
    if seconds:
        p95 = seconds[min(len(seconds) - 1, int(0.95 * len(seconds)))]
        print(f"  reading seconds per question: mean {statistics.mean(seconds):.3f}, p95 {p95:.3f}")


def recall(questions: list[dict[str, Any]], analyses: dict[str, Analysis]) -> None:
    """Where retrieval ranks the first section of the page the gold answer is on."""
    reader = OfflineReader()
    found: Counter[int] = Counter()
    n = 0
    for q in questions:
        if q["gold"] is None or not q.get("page"):
            continue
        n += 1
        hits = reader.retrieve(parse(q["question"], q["answerType"], q["domain"]), analyses[q["domain"]])
        gold = q["page"].split("#")[0].rstrip("/") or "/"
        paths = [urlsplit(h.section.doc.url).path.rstrip("/") or "/" for h in hits]
        rank = next((i for i, p in enumerate(paths) if p == gold), None)
        for k in (1, 3, 5, TOP_SECTIONS):
            found[k] += rank is not None and rank < k
    print(f"answer page among the top k sections, over {n} questions with a page:")
    print("  " + "  ".join(f"top {k}: {100 * v / max(n, 1):.1f}%" for k, v in sorted(found.items())))


def _as_answer(q: dict[str, Any], value: Any) -> Any:
    """A traced candidate's value in the answer's form (an amount is traced without its currency)."""
    return {"value": value, "currency": q["gold"]["currency"]} if q["answerType"] == "currency" else value


def oracle(questions: list[dict[str, Any]], analyses: dict[str, Analysis]) -> None:
    """Per answer type, where the reader ranks the first right candidate among every one it scored: reading
    (first but withheld, or not first) apart from gathering (no right candidate at all). Totals only."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    engine = finisher()
    for q in questions:
        if q["gold"] is None or q["answerType"] == "json_schema":
            continue
        reader = OfflineReader()
        reader.traces = []
        analysis = analyses[q["domain"]]
        draft = reader.answer(q["question"], q["answerType"], None, analysis, "strict")
        shown = engine._finish(draft, q["answerType"], "strict", analysis, None, "reader-check")
        ranked = sorted(reader.traces, key=lambda t: -t[3])
        rank = next((i for i, (_, v, _, _) in enumerate(ranked) if correct(q, _as_answer(q, v))), None)
        c = counts[q["answerType"]]
        c["questions"] += 1
        c["none" if rank is None else "first" if rank == 0 else "top 3" if rank < 3 else "later"] += 1
        c["drafted right"] += draft.value is not None and correct(q, draft.value)
        c["shown right"] += correct(q, value_of(shown.answer) if shown.answer else None)
    print("where the first right candidate ranks among those the reader scored, by answer type:")
    keys = ("questions", "first", "top 3", "later", "none", "drafted right", "shown right")
    for kind, c in sorted(counts.items()):
        print(f"  {kind:11} " + "  ".join(f"{k} {c[k]}" for k in keys))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default="realsites", choices=("realsites", "fixtures"))
    parser.add_argument("--split", default="dev")
    parser.add_argument("--only", default="", help="comma-separated domains")
    parser.add_argument("--recrawl", action="store_true")
    parser.add_argument("--show", action="store_true", help="every question (never for the held-out split)")
    parser.add_argument("--results", help="write the rows as JSON (never for the held-out split)")
    parser.add_argument("--compare", help="rows written by --results: the questions that changed since")
    parser.add_argument("--recall", action="store_true", help="retrieval recall of the answer's page")
    parser.add_argument("--oracle", action="store_true", help="where the first right candidate ranks, by type")
    args = parser.parse_args()
    totals_only = args.corpus == "realsites" and args.split == "heldout"
    if totals_only and (args.show or args.results or args.compare):
        sys.exit("the held-out split is read as totals only")
    folder, _ = corpus_paths(args.corpus, args.split)
    only = {d.strip() for d in args.only.split(",") if d.strip()}
    questions = load_questions(folder, only)
    stored = stored_split(args.corpus, args.split, args.recrawl)
    analyses = {d: Analysis(d, docs).warm() for d, docs in stored.items() if not only or d in only}
    if args.recall:
        recall(questions, analyses)
        return
    if args.oracle:
        oracle(questions, analyses)
        return
    rows = read_all(questions, analyses)
    if args.show:
        for r in rows:
            print(
                f"{'ok ' if r['right'] else 'BAD'} {r['domain']:24} {r['type']:11} {r['question'][:70]!r} "
                f"gold={json.dumps(r['gold'])[:60]} answer={json.dumps(r['answer'])[:60]} conf={r['confidence']}"
            )
    report(rows)
    if args.results:
        Path(args.results).write_text(json.dumps(rows, indent=1, default=str))
    if args.compare:
        before = {(r["domain"], r["question"]): r for r in json.loads(Path(args.compare).read_text())}
        for r in rows:
            old = before.get((r["domain"], r["question"]))
            if old is not None and old["right"] != r["right"]:
                print(
                    f"{'GAIN' if r['right'] else 'LOSS'} {r['domain']} {r['type']} {r['question'][:80]!r} "
                    f"was {json.dumps(old['answer'])[:60]} now {json.dumps(r['answer'])[:60]}"
                )


if __name__ == "__main__":
    main()
