"""Render the real-site corpus: every site module in bench/realsites/sites/ into one folder the fixture proxy serves.

    python -m bench.realsites.build [--out bench/realsites/.build] [--only host,host] [--list]

Each module names its repository and pinned commit (`SOURCE`) and renders pages from a local snapshot of it
(`build(tree) -> Site`). Snapshots are bare git directories under /work/.mirror/<owner>+<name>/repo (what the
search tool's `fetch` brings in; `git clone --bare <url> /work/.mirror/<owner>+<name>/repo` makes the same).
The output is never committed.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import shutil
import sys
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.realsites import sites as sites_pkg  # noqa: E402
from bench.realsites.render import MIRROR_ROOT, GitTree, dump_json, manifest_entry  # noqa: E402

DEFAULT_OUT = ROOT / "bench" / "realsites" / ".build"


def site_modules() -> list[ModuleType]:
    mods = []
    for info in sorted(pkgutil.iter_modules(sites_pkg.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            mods.append(importlib.import_module(f"bench.realsites.sites.{info.name}"))
    return mods


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--only", default="", help="comma-separated hosts")
    parser.add_argument("--mirror-root", type=Path, default=MIRROR_ROOT)
    parser.add_argument("--list", action="store_true", help="print the repositories and commits, build nothing")
    args = parser.parse_args()
    only = {h.strip() for h in args.only.split(",") if h.strip()}
    mods = [m for m in site_modules() if not only or m.SOURCE.host in only]
    if args.list:
        for m in mods:
            s = m.SOURCE
            print(f"{s.host:<28} {s.repo:<36} {s.commit}  {s.kind}")
        return
    args.out.mkdir(parents=True, exist_ok=True)
    manifest_path = args.out / "manifest.json"
    manifest = {}
    if manifest_path.exists():
        import json

        manifest = json.loads(manifest_path.read_text())
    for m in mods:
        s = m.SOURCE
        t0 = time.perf_counter()
        try:
            tree = GitTree.for_repo(s.repo, s.commit, args.mirror_root)
            site = m.build(tree)
        except Exception as exc:  # one broken builder must not stop the others
            print(f"{s.host}: FAILED {type(exc).__name__}: {exc}")
            continue
        shutil.rmtree(args.out / s.host, ignore_errors=True)
        n = site.write(args.out)
        manifest[s.host] = manifest_entry(s, site)
        print(f"{s.host}: {n} pages from {s.repo}@{s.commit[:10]} in {time.perf_counter() - t0:.1f}s")
    dump_json(manifest_path, manifest)


if __name__ == "__main__":
    main()
