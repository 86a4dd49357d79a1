"""Quotes on real news: detection, speakers and quotes shared across outlets, against every quote of
RPM2 T01-T12 annotated from the articles alone (tests/fixtures/quotes/realnews, 2,744 quotes).

    .venv/bin/python bench/quotes_realnews.py [--rpm2 ../shared/bench/rpm2] [--cache DIR] [--no-speakers] [--split]

Printed in one run:
- detection: the quotes recoupe extracts against the annotated ones, one to one at IoU >= 0.3 of their
  characters, overall and for quotes between marks (direct and term) and indirect speech; with
  ``--split`` also for the nine development topics and the fixed fold T06/T07/T11 apart; with
  ``--infinitive-speech``, the extraction with infinitive clauses read as indirect speech (detection only);
- speakers, by-topic cross-validation (scripts/train_speaker.py: the learned ranker, the rules it
  re-ranks, a trivial baseline), on the annotated quotes the extraction finds;
- shared quotes: pairs of quotes of different articles that the annotators grouped as the same words
  of one speaker, against the pairs the comparison's shared quotes hold (a predicted quote counts as the
  annotated one it overlaps at IoU >= 0.3), for the learned matching and the hand rules;
- the time of ``find_quotes`` with the ranker (and with descriptions resolved after it) against the rules alone (``--time``, 30 articles of
  T01-T03 C1 with their analysis done, median of 5 interleaved runs in one process: a ratio, since
  the machine is shared).
Inter-annotator agreement is measured on the annotators' working files by scripts/realnews_gold.py
(figures in docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))

import train_speaker as TS  # noqa: E402
from quotes_eval import iou  # noqa: E402
from realnews_gold import shared_pairs  # noqa: E402

GOLD = ROOT / "tests" / "fixtures" / "quotes" / "realnews"
FIXED_FOLD = ("T06", "T07", "T11")  # measure only: never read its errors


def _match(pred: list, gold: list[dict]) -> dict[int, int]:
    """Predicted quote index -> gold quote index, one to one, best IoU first (>= 0.3)."""
    pairs = sorted(((iou((g["start"], g["end"]), (q.span.start, q.span.end)), i, k) for i, q in enumerate(pred) for k, g in enumerate(gold)
                    if g["article"] == q.span.article), reverse=True)
    out, used = {}, set()
    for v, i, k in pairs:
        if v < 0.3:
            break
        if i not in out and k not in used:
            out[i] = k
            used.add(k)
    return out


def _article_pairs(found: list, gold: list[dict]) -> set[frozenset]:
    """Pairs of quotes of two articles inside the shared quotes, each quote named by the annotated quote
    it overlaps (IoU >= 0.3) or by its place when none."""
    out = set()
    for sq in found:
        spans = [sp for v in sq.variants for sp in v.spans]
        hits = []
        for sp in spans:
            best = max(range(len(gold)), key=lambda k: iou((gold[k]["start"], gold[k]["end"]), (sp.start, sp.end)) if gold[k]["article"] == sp.article else 0)
            hit = gold[best]["article"] == sp.article and iou((gold[best]["start"], gold[best]["end"]), (sp.start, sp.end)) >= 0.3
            hits.append(gold[best]["id"] if hit else f"?{sp.article}:{sp.start}")
        for (sa, a), (sb, b) in combinations(list(zip(spans, hits)), 2):
            if sa.article != sb.article:
                out.add(frozenset((a, b)))
    return out


def time_ratio(docs: Path, cache: Path, runs: int = 5) -> None:
    """find_quotes on 30 articles (T01-T03 C1, analysed), rules alone and with the ranker, interleaved."""
    from statistics import median

    from recoupe.config import Config
    from recoupe.extract.quotes import find_quotes

    loaded = [TS.analysed(sorted(docs.glob(f"{c}_*.txt")), cache, c)[:2] for c in ("T01_C1", "T02_C1", "T03_C1")]
    configs = {}
    for mode, resolve in (("rules", False), ("learned", False), ("learned+resolved", True)):
        configs[mode] = Config()
        configs[mode].extract.speakers = mode.split("+")[0]
        configs[mode].extract.resolve_descriptions = resolve
    for arts, index in loaded:  # load the model and warm the caches before timing
        find_quotes(arts[0], index, configs["learned+resolved"])
    times: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        for mode, config in configs.items():
            t = time.perf_counter()
            for arts, index in loaded:
                for a in arts:
                    find_quotes(a, index, config)
            times[mode].append(time.perf_counter() - t)
    rules, learned, resolved = (median(times[m]) for m in ("rules", "learned", "learned+resolved"))
    print(f"find_quotes on {sum(len(a) for a, _ in loaded)} articles (median of {runs} interleaved runs): "
          f"rules alone {rules:.2f} s, with the ranker {learned:.2f} s, ratio {learned / rules:.2f}x; "
          f"ranker + descriptions resolved {resolved:.2f} s, ratio {resolved / rules:.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rpm2", default=str(ROOT.parent / "shared" / "bench" / "rpm2"))
    ap.add_argument("--cache", default="/tmp/recoupe-train-cache")
    ap.add_argument("--no-speakers", action="store_true", help="skip the speaker cross-validation (the slow part)")
    ap.add_argument("--no-shared", action="store_true", help="skip the shared quotes (a full comparison of each cluster)")
    ap.add_argument("--split", action="store_true",
                    help="also print detection for the nine development topics and the fixed fold T06/T07/T11 apart")
    ap.add_argument("--infinitive-speech", action="store_true",
                    help="detection with ExtractConfig.infinitive_speech on (infinitive clauses read as indirect speech)")
    ap.add_argument("--time", action="store_true", help="time find_quotes with the ranker against the rules alone")
    args = ap.parse_args()
    docs = Path(args.rpm2) / "documents"
    if not docs.is_dir():
        sys.exit(f"error: {docs}: no RPM2 documents there (give --rpm2)")
    cache = Path(args.cache)
    clusters = sorted(p.stem for p in GOLD.glob("T*_C*.yaml"))
    det: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # matched, predicted, gold
    # the same counts for the development topics and the fixed fold apart (the evaluation rules)
    split: dict[str, dict[str, list[int]]] = {f: defaultdict(lambda: [0, 0, 0]) for f in ("development", "fixed fold")}
    rules_right = {f: [0, 0] for f in ("all", "development", "fixed fold")}  # the rules' speaker right, matched quotes
    shared = {m: [0, 0, 0] for m in ("learned", "rules")}  # true predicted pairs, predicted pairs, gold pairs
    attributions = {m: 0 for m in shared}  # attribution conflicts the shared quotes give
    t_extract, n_articles = 0.0, 0
    for name in clusters:
        data = yaml.safe_load((GOLD / f"{name}.yaml").read_text(encoding="utf-8"))
        gold = data["quotes"]
        files = sorted(docs.glob(f"{name}_*.txt"))
        t = time.perf_counter()
        arts, index, quotes = TS.analysed(files, cache, name)
        if args.infinitive_speech:  # the same rules (TS.analysed's config) with infinitive clauses
            from recoupe.config import Config
            from recoupe.extract.quotes import find_quotes

            config = Config()
            config.extract.speakers, config.extract.resolve_descriptions, config.extract.infinitive_speech = "rules", False, True
            quotes = {a.id: find_quotes(a, index, config) for a in arts}
        t_extract += time.perf_counter() - t
        n_articles += len(arts)
        pred = [q for qs in quotes.values() for q in qs]
        m = _match(pred, gold)
        fold = split["fixed fold" if name[:3] in FIXED_FOLD else "development"]
        for group, kinds in (("all", None), ("between marks", ("direct", "term")), ("indirect", ("indirect",))):
            ok = [i for i in m if kinds is None or gold[m[i]]["kind"] in kinds]
            counts = (len(ok), sum(1 for q in pred if kinds is None or q.kind in kinds),
                      sum(1 for g in gold if kinds is None or g["kind"] in kinds))
            for table in (det, fold):
                for c in range(3):
                    table[group][c] += counts[c]
        for i, k in m.items():
            for f in ("all", "fixed fold" if name[:3] in FIXED_FOLD else "development"):
                rules_right[f][0] += TS.answer_right(gold[k], pred[i].speaker, pred[i].speaker_entity, index)
                rules_right[f][1] += 1
        if args.no_shared:
            continue
        # shared quotes: the comparison of the cluster (compare.prepare's quotes, the pipeline's matching),
        # the learned matching (the default) and the hand rules in the same run
        from train_same_slot import prepared

        from recoupe.compare.quotes import shared_quotes
        from recoupe.config import Config

        p = prepared(files, cache, name)
        texts = {a.id: a.article.doc.text for a in p.state.articles}
        gold_pairs = set(shared_pairs(data.get("shared"), {g["id"]: g["article"] for g in gold}))
        cc = Config().compare
        for method, threshold in (("learned", cc.quote_threshold), ("rules", None)):
            found, attribution, _ = shared_quotes(p.quotes, p.qvecs, texts, threshold, cc.attribution_min_confidence)
            attributions[method] += len(attribution)
            pred_pairs = _article_pairs(found, gold)
            shared[method][0] += len(pred_pairs & gold_pairs)
            shared[method][1] += len(pred_pairs)
            shared[method][2] += len(gold_pairs)
    print(f"RPM2 T01-T12: {len(clusters)} clusters, {n_articles} articles; extraction (analysis cached) {t_extract:.1f} s")
    tables = [("detection (one to one at IoU >= 0.3):", det)]
    if args.split:
        tables += [("  development topics (all but T06, T07, T11):", split["development"]),
                   ("  fixed fold T06, T07, T11 (measure only):", split["fixed fold"])]
    for title, table in tables:
        print(title)
        for group, (ok, n_pred, n_gold) in table.items():
            p, r = ok / max(1, n_pred), ok / max(1, n_gold)
            print(f"  {group:<14} P {p:.3f} ({ok}/{n_pred})  R {r:.3f} ({ok}/{n_gold})  F1 {2 * p * r / max(1e-9, p + r):.3f}")
    if args.split:
        print("the rules' speaker on the annotated quotes found (the extraction's own answer, no ranker): "
              + "; ".join(f"{f} {ok / max(1, n):.3f} ({ok}/{n})" for f, (ok, n) in rules_right.items()))
    if not args.no_shared:
        print("shared quotes across outlets (pairs of articles in one shared quote; the learned model is trained on all 12 topics,")
        print("  so these are in-sample: scripts/train_same_quote.py prints the by-topic cross-validation):")
        for method, (ok, n_pred, n_gold) in shared.items():
            p, r = ok / max(1, n_pred), ok / max(1, n_gold)
            print(f"  {method:<8} P {p:.3f} ({ok}/{n_pred})  R {r:.3f} ({ok}/{n_gold})  F1 {2 * p * r / max(1e-9, p + r):.3f}; "
                  f"attribution conflicts {attributions[method]}")
    if args.time:
        time_ratio(docs, cache)
    if not args.no_speakers:
        print("\nspeakers, by-topic cross-validation:")
        sys.argv = ["train_speaker.py", "--no-write", "--rpm2", args.rpm2, "--cache", args.cache]
        TS.main()


if __name__ == "__main__":
    main()
