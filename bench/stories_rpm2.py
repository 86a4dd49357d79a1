"""Story clustering on RPM2: 240 articles, 12 topics x 2 clusters a month apart (truth = TNN_CK).

RPM2 files carry no dates. Two protocols:
- day-by-day (default): each C1 article gets a date drawn (seeded) from 2008-07-01..03 and each C2
  article one from 2008-08-01..03; the articles are ingested day by day (six `ingest` calls);
- same-day (``--same-day``): every C1 article is dated 2008-07-01 and every C2 article 2008-08-01,
  one shuffled stream, one `ingest` call: 12 events on one day, several of them about the same
  people or the same theme (three banking stories).
Article ids are replaced by seeded random aliases so that the "date then id" order inside a day
does not group a topic's files.

The same-event model ships trained on these 240 articles (scripts/train_same_event.py): the figures
of this script measure the product end to end (ingest, store, throughput) and are in-sample; the
held-out figures (GroupKFold by topic) are those of the training script (docs/stories.md).
Topics are scored against the RPM2 topic ids: how many topics have their two clusters under one
recoupe topic, and which different RPM2 topics a recoupe topic joins.

Prints BCubed precision/recall/F1 and adjusted Rand index against the 24 clusters and the 12
topics, on all topics and on T01-T06 (tuning split) / T07-T12 (held out) separately; the same for
a baseline (TF-IDF + agglomerative clustering with the best threshold found by sweeping against
the truth: an oracle threshold); throughput of the ingest and of spaCy alone over the same texts.

The ingest runs the per-article stages (spaCy, e5, features) in one worker process per core while
this process places and writes the batches in order (``stories.ProcessStages``, the default on
Linux); ``--processes 0`` runs them on threads here instead (e5 on a background thread beside spaCy,
the next batch analysed while one is placed); ``--sequential`` does each stage of each batch in turn
(same stories either way, for comparison). The
machine may be shared: spaCy alone is timed right before and right after the ingest and the ratio
uses their mean; the load average is printed at both ends. spaCy alone is timed twice: as recoupe
loads it (``analyse.load_pipeline``: numpy's matrix products, the lemmatizer's word lists as sets) and
as ``spacy.load`` gives it (thinc's BLIS products, lists; 1.6-1.8x slower on the 2-core machine), the
peer a user timing spaCy would run. Every model (spaCy, e5, the same-event
model) is loaded before either is timed, as a long-running stream loads them once; the load times
are printed apart.

Usage: .venv/bin/python bench/stories_rpm2.py [--rpm2 ../shared/bench/rpm2] [--seed 13] [--same-day] [--embed-chars N] [--sequential]
       [--processes N] [--batch-size N]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

import numpy as np


def bcubed(labels: dict[str, str], truth: dict[str, str]) -> tuple[float, float, float]:
    items = list(labels)
    p = r = 0.0
    for i in items:
        same_l = [j for j in items if labels[j] == labels[i]]
        same_t = [j for j in items if truth[j] == truth[i]]
        inter = sum(1 for j in same_l if truth[j] == truth[i])
        p += inter / len(same_l)
        r += inter / len(same_t)
    p, r = p / len(items), r / len(items)
    return p, r, 2 * p * r / (p + r)


def scores(labels: dict[str, str], truth: dict[str, str], subset: set[str] | None = None) -> str:
    from sklearn.metrics import adjusted_rand_score

    keys = [k for k in labels if subset is None or truth[k][:3] in subset]
    lab = {k: labels[k] for k in keys}
    out = []
    for name, t in (("24 clusters", {k: truth[k] for k in keys}), ("12 topics", {k: truth[k][:3] for k in keys})):
        p, r, f = bcubed(lab, t)
        ari = adjusted_rand_score([t[k] for k in keys], [lab[k] for k in keys])
        out.append(f"{name}: P {p:.3f} R {r:.3f} F1 {f:.3f} ARI {ari:.3f}")
    return " | ".join(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rpm2", default=str(Path(__file__).resolve().parents[2] / "shared" / "bench" / "rpm2"))
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--embed-chars", type=int, default=None, help="override config.stories.embed_chars")
    ap.add_argument("--sequential", action="store_true", help="each stage of each batch in turn (no embedding nor analysis ahead)")
    ap.add_argument("--same-day", action="store_true", help="one stream, one date per cluster, one ingest call")
    ap.add_argument("--processes", type=int, default=None, help="config.stories.processes: N worker processes for the per-article stages (stories.ProcessStages), 0: threads in this process (LocalStages); default: the config's (one per core)")
    ap.add_argument("--batch-size", type=int, default=None, help="override config.stories.batch_size")
    ap.add_argument("--model", default=None, help="config.compare.embedding_model (default: the config's)")
    args = ap.parse_args()

    from recoupe.analyse import load_pipeline
    from recoupe.config import Config
    from recoupe.read import read_inputs
    from recoupe.store import Store
    from recoupe.stories import ingest, list_stories

    files = sorted((Path(args.rpm2) / "documents").glob("T*_C*_*.txt"))
    docs, _ = read_inputs([str(f) for f in files])
    rng = random.Random(args.seed)
    aliases = list(range(len(docs)))
    rng.shuffle(aliases)
    truth: dict[str, str] = {}
    for k, d in enumerate(docs):
        topic_cluster = d.id[:6]
        d.id = f"a{aliases[k]:03d}"
        truth[d.id] = topic_cluster
        month = "07" if topic_cluster.endswith("C1") else "08"
        day = 1 if args.same_day else 1 + rng.randrange(3)
        d.date = f"2008-{month}-{day:02d}"
    days = sorted({d.date for d in docs})
    if args.same_day:
        rng.shuffle(docs)
        print(f"RPM2: {len(docs)} articles, {len(set(truth.values()))} clusters; same-day protocol: C1 on 2008-07-01, "
              f"C2 on 2008-08-01, one shuffled stream, one ingest call")
    else:
        print(f"RPM2: {len(docs)} articles, {len(set(truth.values()))} clusters; synthetic dates (seed {args.seed}): "
              f"C1 on 2008-07-01..03, C2 on 2008-08-01..03; ingested day by day ({len(days)} ingest calls)")

    config = Config()
    if args.model:
        config.compare.use_embedding(args.model)
    print(f"embedding model: {config.compare.embedding_model}")
    if args.embed_chars is not None:
        config.stories.embed_chars = args.embed_chars
    if args.batch_size:
        config.stories.batch_size = args.batch_size
    if args.processes is not None:
        config.stories.processes = args.processes
    # every model loaded before timing, as for spaCy alone: a stream pays them once per process
    t = time.perf_counter()
    nlp = load_pipeline(config.analysis.spacy_models["fr"])
    from recoupe.clustering import same_event_model
    from recoupe.embed import embed_passages

    loads = {"spaCy": time.perf_counter() - t}
    t = time.perf_counter()
    embed_passages(["échauffement"], config.compare.embedding_model)
    loads["e5"] = time.perf_counter() - t
    t = time.perf_counter()
    same_event_model()
    loads["same-event model (scikit-learn, skops)"] = time.perf_counter() - t

    # spaCy alone over the same cleaned texts, timed before and after the ingest (the load varies)
    from recoupe.pipeline import clean_all

    cleaned, _ = clean_all(docs, config)
    texts = [a.text for a in cleaned]

    import spacy

    stock = spacy.load(config.analysis.spacy_models["fr"])  # what spacy.load gives a user
    list(stock.pipe(texts[:5]))

    def spacy_alone(pipeline=nlp) -> float:
        t = time.perf_counter()
        for _ in pipeline.pipe(texts, batch_size=config.analysis.batch_size):
            pass
        return time.perf_counter() - t

    load_before = os.getloadavg()
    spacy_before = spacy_alone()
    stock_before = spacy_alone(stock)
    with tempfile.TemporaryDirectory() as tmp:
        config.stories.db = str(Path(tmp) / "bench.db")
        timings: dict[str, float] = {}
        start = time.perf_counter()
        with Store(config.stories.db) as store:
            for day in [None] if args.same_day else days:
                report = ingest([d for d in docs if day is None or d.date == day], store, config, overlap=not args.sequential)
                for k, v in report.timings.items():
                    timings[k] = timings.get(k, 0.0) + v
        elapsed = time.perf_counter() - start
        found = list_stories(config)
    labels = {a: s.id for s in found for a in s.articles}
    topic_of = {a: getattr(s, "topic", None) or s.id for s in found for a in s.articles}  # (recoupe before topics: one a story)
    assert len(labels) == len(docs), "every article stored"

    spacy_after = spacy_alone()
    stock_after = spacy_alone(stock)
    load_after = os.getloadavg()
    spacy_mean = (spacy_before + spacy_after) / 2

    # baseline: TF-IDF + agglomerative clustering, oracle threshold
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    ids = [a.id for a in cleaned]
    X = TfidfVectorizer(sublinear_tf=True, min_df=1).fit_transform(texts).toarray()
    best = None
    for th in np.arange(0.30, 1.00, 0.02):
        lab = AgglomerativeClustering(n_clusters=None, distance_threshold=th, metric="cosine", linkage="average").fit_predict(X)
        f = bcubed(dict(zip(ids, map(str, lab))), truth)[2]
        if best is None or f > best[0]:
            best = (f, th, dict(zip(ids, map(str, lab))))
    train = {f"T{i:02d}" for i in range(1, 7)}
    test = {f"T{i:02d}" for i in range(7, 13)}
    print(f"\nrecoupe stories: {len(found)} stories")
    print("  all      ", scores(labels, truth))
    print("  T01-T06  ", scores(labels, truth, train), "(tuning split)")
    print("  T07-T12  ", scores(labels, truth, test), "(held out)")
    rpm2_topics = sorted({t[:3] for t in truth.values()})
    together = [t for t in rpm2_topics if len({topic_of[a] for a in truth if truth[a][:3] == t}) == 1]
    from collections import Counter

    major = {c: Counter(topic_of[a] for a in truth if truth[a] == c).most_common(1)[0][0] for c in set(truth.values())}
    mostly = [t for t in rpm2_topics if major[f"{t}_C1"] == major[f"{t}_C2"]]
    print(f"recoupe topics: {len(set(topic_of.values()))}; RPM2 topics with both clusters under one topic: "
          f"{len(together)}/{len(rpm2_topics)} every article ({', '.join(t for t in rpm2_topics if t not in together) or 'none'} split), "
          f"{len(mostly)}/{len(rpm2_topics)} by each cluster's main topic, as scripts/train_same_event.py counts "
          f"({', '.join(t for t in rpm2_topics if t not in mostly) or 'none'} split)")
    for tid in sorted(set(topic_of.values())):
        members = sorted({truth[a] for a in topic_of if topic_of[a] == tid})
        if len({m[:3] for m in members}) > 1:
            title = next((getattr(s, "topic_title", None) or s.title) for s in found if topic_of[s.articles[0]] == tid)
            print(f"  topic {tid} ({title!r}) joins {', '.join(members)}")
    tp, tr, tf = bcubed(topic_of, {a: truth[a][:3] for a in truth})
    print(f"  topics against the 12 RPM2 topics: BCubed P {tp:.3f} R {tr:.3f} F1 {tf:.3f}")
    print(f"baseline TF-IDF + agglomerative (average, cosine), oracle threshold {best[1]:.2f}: {len(set(best[2].values()))} clusters")
    print("  all      ", scores(best[2], truth))
    print("  T01-T06  ", scores(best[2], truth, train))
    print("  T07-T12  ", scores(best[2], truth, test))
    n = len(docs)
    procs = config.stories.processes
    mode = "sequential" if args.sequential else ("threads: e5 alongside spaCy" if procs == 0 else f"worker processes: {procs if procs else 'one per core'}")
    print(f"\nthroughput ({mode}; embed_chars {config.stories.embed_chars}): ingest {n / elapsed:.2f} articles/s "
          f"({elapsed:.1f} s, analysis included); spaCy alone {n / spacy_mean:.2f} articles/s "
          f"({spacy_before:.1f} s before, {spacy_after:.1f} s after the ingest); ratio {elapsed / spacy_mean:.2f}x")
    stock_mean = (stock_before + stock_after) / 2
    print(f"spaCy alone as spacy.load gives it: {n / stock_mean:.2f} articles/s "
          f"({stock_before:.1f} s before, {stock_after:.1f} s after); ratio of the ingest to it {elapsed / stock_mean:.2f}x")
    print("time by stage: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
    print("models loaded once before timing: " + ", ".join(f"{k} {v:.1f} s" for k, v in loads.items()))
    print("load average (1, 5, 15 min): before " + ", ".join(f"{x:.2f}" for x in load_before)
          + "; after " + ", ".join(f"{x:.2f}" for x in load_after) + f"; {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
