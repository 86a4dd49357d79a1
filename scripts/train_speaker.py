"""Train the speaker ranker on the annotated quotes of RPM2, evaluate it by topic, and ship it.

    .venv/bin/python scripts/train_speaker.py [--rpm2 ../shared/bench/rpm2] [--cache DIR] [--no-write]

Data: tests/fixtures/quotes/realnews/*.yaml (every quote of RPM2 T01-T12 with its speaker, written by
annotators who read only the articles; docs/annotation-quotes.md). Each cluster goes through recoupe's
read -> clean -> analyse -> entities (per cluster) -> quote rules (``find_quotes``); an annotated
quote is matched to the extracted quote it overlaps most (IoU of characters >= 0.3, one to one).
For each matched quote, ``rank.candidates`` lists who may have said it and ``rank.features``
describes each; a candidate is right when its name (or its entity's names) is the annotated speaker
or canonical entity (compared as bench/quotes_eval.py compares speakers). A quote whose annotated
speaker is none is right when the ranker keeps no speaker.

Evaluation: GroupKFold by topic (4 folds of 3 topics, fixed by the seed); the model is trained on
the other topics, the "no speaker" threshold is chosen on them (out-of-fold probabilities of an
inner split by topic); speaker accuracy on the held-out topics' matched quotes, overall and per
kind, for the ranker on every kind, the ranker on ``config.extract.ranked_kinds`` (the rules' speaker for
the other kinds: terms between marks), the same with descriptions resolved to their named referent (as
shipped: ``config.extract.resolve_descriptions``), the rules it re-ranks, and a trivial baseline (the
nearest person named before the quote in its sentence or the one before). Written: src/recoupe/models/speaker.* and the
features of the fixed fold for the CI floor test (tests/fixtures/quotes/speaker_rows.npz).
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))

from quotes_eval import GOLD as INVENTED_GOLD, GOLD_OF, iou, locate, same_speaker  # noqa: E402
from train_same_slot import rpm2_documents  # noqa: E402

from recoupe.config import Config  # noqa: E402
from recoupe.learned import topic_folds  # noqa: E402
from recoupe.extract.quotes.referents import resolve_description  # noqa: E402
from recoupe.extract.quotes.rank import SPEAKER_FEATURES, SPEAKER_MODEL, SPEAKER_VERSION, candidates, features  # noqa: E402

SEED = 20261206
FOLDS = 4
RANKED_KINDS = Config().extract.ranked_kinds  # what the shipped ranker decides; the other kinds keep the rules' speaker
GOLD = ROOT / "tests" / "fixtures" / "quotes" / "realnews"
ROWS_FIXTURE = ROOT / "tests" / "fixtures" / "quotes" / "speaker_rows.npz"
GRID = [round(x, 2) for x in np.arange(0.0, 0.9, 0.05)]
SURE_GRID = [0.5, 0.6, 0.7, 0.8, 0.9]
# the code an analysis depends on (clean_all is pipeline.py's), and what the rules' quotes add to it
ANALYSIS_CODE = ["read.py", "clean.py", "analyse.py", "entities.py", "model.py", "config.py", "pipeline.py", "lang"]
CODE = [*ANALYSIS_CODE, "extract"]


def _digest(code: list[str] = CODE) -> str:
    """Of the package's files a cache depends on (``code``: files and folders under src/recoupe)."""
    src = ROOT / "src" / "recoupe"
    files = sorted(f for n in code for f in ([src / n] if n.endswith(".py") else (src / n).rglob("*.py")))
    return hashlib.sha256(b"".join(f.read_bytes() for f in files if f.name not in ("rank.py", "referents.py"))).hexdigest()[:16]


def files_key(files: list[Path]) -> str:
    """Of the input files a cache entry was computed from."""
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()[:12]


def cached(path: Path, make):
    """``make()``'s result, pickled at ``path`` once (the path carries the keys of what it depends on)."""
    if path.exists():
        return pickle.loads(path.read_bytes())
    out = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return out


def rules_config() -> Config:
    """The configuration quotes are extracted with here: the ranker learns to re-rank the rules' answer,
    never its own, nor descriptions resolved after it (measured apart below)."""
    config = Config()
    config.extract.speakers = "rules"
    config.extract.resolve_descriptions = False
    return config


def analyse_cluster(files: list[Path], config: Config):
    """(articles, entity index) of one RPM2 cluster, as the pipeline computes them."""
    from recoupe.analyse import analyse
    from recoupe.entities import link_entities
    from recoupe.pipeline import clean_all

    cleaned, _ = clean_all(rpm2_documents(files), config)
    arts, _ = analyse(cleaned, config)
    return arts, link_entities(arts, config)


def analysed(files: list[Path], cache: Path, name: str):
    """(articles, entity index, rule quotes per article) of one cluster, cached."""
    from recoupe.extract.quotes import find_quotes

    def make():
        config = rules_config()
        arts, index = analyse_cluster(files, config)
        return arts, index, {a.id: find_quotes(a, index, config) for a in arts}

    return cached(cache / f"speaker_{name}_{_digest()}_{files_key(files)}.pkl", make)


class Item:
    """One annotated quote matched to an extracted one, with its candidates."""

    def __init__(self, cluster, gold, quote, cands, X, art, index):
        self.cluster, self.gold, self.quote, self.cands, self.X = cluster, gold, quote, cands, X
        self.y = np.array([int(right(gold, c, index)) for c in cands], dtype=int)
        self.rule_right = answer_right(gold, quote.speaker, quote.speaker_entity, index)
        self.art, self.index = art, index


def right(gold: dict, c, index) -> bool:
    return answer_right(gold, c.name, c.entity, index)


def answer_right(gold: dict, name: str | None, entity: str | None, index) -> bool:
    if not gold.get("speaker"):
        return name is None
    if name is None:
        return False
    names = [name]
    ent = index.get(entity) if entity else None
    if ent is not None:
        names += [ent.name, *ent.aliases]
    return any(same_speaker(g, n) for g in (gold.get("speaker"), gold.get("entity")) if g for n in names)


def nearest_person(item: Item) -> bool:
    """The trivial baseline: the person named closest before the quote, in its sentence or the one before."""
    art, q = item.art, item.quote
    qs = art.article.clean_offset(q.span.start)
    sent = next((s.index for s in art.sentences if s.start <= qs < s.end), 0)
    people = [m for m in art.mentions if m.label == "PER" and m.end <= qs and sent - 1 <= m.sentence <= sent]
    if not people:
        return not item.gold.get("speaker")
    m = max(people, key=lambda m: m.end)
    return answer_right(item.gold, m.text, None, None)


def build(clusters: list[str], docs: Path, cache: Path) -> list[Item]:
    items = []
    for name in clusters:
        gold = yaml.safe_load((GOLD / f"{name}.yaml").read_text(encoding="utf-8"))["quotes"]
        arts, index, quotes = analysed(sorted(docs.glob(f"{name}_*.txt")), cache, name)
        by_art = {a.id: a for a in arts}
        for art_id, qs in quotes.items():
            golds = [g for g in gold if g["article"] == art_id]
            items += matched_items(name, by_art[art_id], index, qs, golds, [(g["start"], g["end"]) for g in golds])
    return items


def matched_items(cluster: str, art, index, quotes: list, golds: list[dict], spans: list[tuple[int, int] | None]) -> list[Item]:
    """One article's extracted quotes matched to its annotated ones (``spans``: where each is), in text
    order: a quote takes the annotated quote it overlaps most when that one is free and the overlap is
    an IoU of at least 0.3; its candidates are built with the previous direct quote, as ``rerank`` does."""
    items: list[Item] = []
    used: set[int] = set()
    previous = None
    for q in sorted(quotes, key=lambda q: q.span.start):
        here = (q.span.start, q.span.end)
        best = max((k for k, sp in enumerate(spans) if sp), key=lambda k: iou(spans[k], here), default=None)
        if best is not None and best not in used and iou(spans[best], here) >= 0.3:
            used.add(best)
            cands = candidates(art, index, q, previous)
            items.append(Item(cluster, golds[best], q, cands, features(art, index, q, cands), art, index))
        if q.kind == "direct":
            previous = q
    return items


# the invented gold sets (tests/fixtures/quotes) the ranker may also learn from (--invented): never the
# blind sets heldout19-heldout22, which measure it
INVENTED = ["dev", "heldout", *(f"heldout{k}" for k in range(2, 19))]


def invented_items(cache: Path) -> list[Item]:
    """The invented gold sets' quotes as extra training items (each article's entities linked alone,
    as bench/quotes_eval.py does; a gold quote is located by its text), cluster "INV_<split>"."""
    from conftest import analyse_texts

    from recoupe.entities import link_entities
    from recoupe.extract.quotes import find_quotes

    files = [GOLD_OF.get(split, INVENTED_GOLD) for split in INVENTED]
    labelled = sorted(set(files) | {f.parent / a["file"] for f in set(files)
                                            for a in yaml.safe_load(f.read_text(encoding="utf-8"))["articles"].values()})

    def make():
        config = rules_config()
        out = []
        for split, gold_path in zip(INVENTED, files):
            g = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
            arts = {k: v for k, v in g["articles"].items() if v["split"] == split}
            texts = {k: (gold_path.parent / v["file"]).read_text(encoding="utf-8") for k, v in arts.items()}
            for a in analyse_texts(texts, outlets={k: v["outlet"] for k, v in arts.items()}, config=config):
                index = link_entities([a], config)
                golds = [q for q in g["quotes"] if q["article"] == a.id]
                out.append((split, a, index, find_quotes(a, index, config), golds, texts[a.id]))
        return out

    # keyed on the gold files and their articles
    analysed_sets = cached(cache / f"speaker_invented_{_digest()}_{files_key(labelled)}.pkl", make)
    return [it for split, art, index, quotes, golds, text in analysed_sets
            for it in matched_items(f"INV_{split}", art, index, quotes, golds, [locate(text, g["text"]) for g in golds])]


def fit(items: list[Item]):
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.ensemble import HistGradientBoostingClassifier

    X = np.concatenate([it.X for it in items if len(it.X)])
    y = np.concatenate([it.y for it in items if len(it.X)])
    base = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, max_depth=5, l2_regularization=1.0, random_state=SEED)
    return CalibratedClassifierCV(base, method="sigmoid", cv=3).fit(X, y)


def _pick(p: np.ndarray | None, threshold: float) -> int | None:
    """The ranker's answer: its best candidate when at or above the threshold, else None (no speaker)."""
    if p is None or len(p) == 0:
        return None
    k = int(np.argmax(p))
    return None if p[k] < threshold else k


def decide(item: Item, p: np.ndarray | None, threshold: float) -> bool:
    """Is the ranker's answer right: the best candidate above the threshold, else no speaker."""
    k = _pick(p, threshold)
    return not item.gold.get("speaker") if k is None else bool(item.y[k])


def answer(item: Item, p: np.ndarray | None, threshold: float) -> tuple[str | None, str | None]:
    """(name, entity) the ranker gives: its best candidate above the threshold, else (None, None)."""
    k = _pick(p, threshold)
    return (None, None) if k is None else (item.cands[k].name, item.cands[k].entity)


def resolved_right(item: Item, name: str | None, entity: str | None) -> bool:
    """Is the answer right once a description is resolved to its named referent (Config.extract.resolve_descriptions)."""
    got = resolve_description(item.art, item.index, name, entity, item.art.article.clean_offset(item.quote.span.start))
    if got is not None:
        name, entity = got
    return answer_right(item.gold, name, entity, item.index)


def shipped_answer(item: Item, p: np.ndarray | None, threshold: float) -> tuple[str | None, str | None]:
    """The shipped decision: the ranker's answer on ``RANKED_KINDS``, the rules' speaker on the other kinds."""
    return answer(item, p, threshold) if item.quote.kind in RANKED_KINDS else (item.quote.speaker, item.quote.speaker_entity)


def changed_answers(before: list[bool], after: list[bool]) -> str:
    """What the descriptions step does to the shipped answers: how many it makes right, how many wrong."""
    fixed = sum(a and not b for b, a in zip(before, after))
    broken = sum(b and not a for b, a in zip(before, after))
    return f"descriptions resolved: {fixed} answers made right, {broken} made wrong"


def choose_threshold(train: list[Item], extra: list[Item] | None = None) -> float:
    """The none-threshold, on out-of-fold probabilities of the training topics (``extra`` items are
    in every inner fit, never scored)."""
    topics = sorted({it.cluster[:3] for it in train})
    parts = [topics[k::3] for k in range(3)]
    probs: dict[int, np.ndarray] = {}
    for part in parts:
        m = fit([it for it in train if it.cluster[:3] not in part] + (extra or []))
        for k, it in enumerate(train):
            if it.cluster[:3] in part and len(it.X):
                probs[k] = m.predict_proba(it.X)[:, 1]
    acc = [np.mean([decide(it, probs.get(k), th) for k, it in enumerate(train)]) for th in GRID]
    return GRID[int(np.argmax(acc))]


def accuracy(items: list[Item], verdicts: list[bool]) -> str:
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for it, v in zip(items, verdicts):
        by_kind[it.quote.kind][0] += v
        by_kind[it.quote.kind][1] += 1
    total = sum(verdicts) / max(1, len(verdicts))
    return f"{total:.3f} ({sum(verdicts)}/{len(verdicts)}); " + ", ".join(f"{k} {a}/{n}" for k, (a, n) in sorted(by_kind.items()))


def rpm2_arguments(description: str, flags: dict[str, str | tuple[str, str]] | None = None) -> tuple[argparse.Namespace, Path]:
    """The options every training script on the RPM2 quote labels takes (and its own ``flags``: name ->
    help for an on/off flag, name -> (metavar, help) for one taking a value), and the documents folder."""
    ap = argparse.ArgumentParser(description=description.split("\n\n")[0])
    ap.add_argument("--rpm2", default=str(ROOT.parent / "shared" / "bench" / "rpm2"))
    ap.add_argument("--cache", default="/tmp/recoupe-train-cache")
    ap.add_argument("--no-write", action="store_true")
    for flag, text in (flags or {}).items():
        if isinstance(text, tuple):
            ap.add_argument(flag, metavar=text[0], help=text[1])
        else:
            ap.add_argument(flag, action="store_true", help=text)
    args = ap.parse_args()
    docs = Path(args.rpm2) / "documents"
    if not docs.is_dir():
        sys.exit(f"error: {docs}: no RPM2 documents there (give --rpm2)")
    return args, docs


def main() -> None:
    args, docs = rpm2_arguments(__doc__, {"--invented": "also train on the invented gold sets (INVENTED; never the blind heldout19-22)"})
    clusters = sorted(p.stem for p in GOLD.glob("T*_C*.yaml"))
    t0 = time.perf_counter()
    items = build(clusters, docs, Path(args.cache))
    extra = invented_items(Path(args.cache)) if args.invented else []
    if extra:
        print(f"invented gold sets: {len(extra)} quotes matched, in every fold's training data")
    n_gold = sum(len(yaml.safe_load((GOLD / f"{c}.yaml").read_text(encoding="utf-8"))["quotes"]) for c in clusters)
    reach = sum(any(it.y) or not it.gold.get("speaker") for it in items)
    print(f"{len(items)} of {n_gold} annotated quotes matched to an extracted quote ({time.perf_counter() - t0:.0f} s); "
          f"the right answer is among the candidates (or is 'none') for {reach} ({reach / max(1, len(items)):.3f})")
    topics = sorted({c[:3] for c in clusters})
    folds = topic_folds(topics, SEED, FOLDS)
    print("folds (held-out topics): " + "; ".join(",".join(f) for f in folds))
    verdicts: dict[str, list[bool]] = defaultdict(list)
    held_all: list[Item] = []
    sure: list[tuple[float, bool]] = []  # direct quotes with a speaker: the ranker's best probability, right or not
    given: list[tuple[float, bool]] = []  # every speaker the ranker gives (ranked kinds), its probability, right or not as shipped
    thresholds = []
    for k, test in enumerate(folds):
        train = [it for it in items if it.cluster[:3] not in test]
        held = [it for it in items if it.cluster[:3] in test]
        m = fit(train + extra)
        th = choose_threshold(train, extra)
        thresholds.append(th)
        p_held = [m.predict_proba(it.X)[:, 1] if len(it.X) else None for it in held]
        v = {
            "learned ranker": [decide(it, p, th) for it, p in zip(held, p_held)],
            "ranked_kinds, descriptions as written": [answer_right(it.gold, *shipped_answer(it, p, th), it.index) for it, p in zip(held, p_held)],
            "ranker + descriptions resolved": [resolved_right(it, *answer(it, p, th)) for it, p in zip(held, p_held)],
            "as shipped: + descriptions resolved": [resolved_right(it, *shipped_answer(it, p, th)) for it, p in zip(held, p_held)],
            "rules (previous recoupe)": [it.rule_right for it in held],
            "rules + descriptions resolved": [resolved_right(it, it.quote.speaker, it.quote.speaker_entity) for it in held],
            "trivial: nearest person before": [nearest_person(it) for it in held],
        }
        print(f"\nfold {k} (held out {','.join(test)}; none-threshold {th:.2f} chosen on training topics)")
        for name, vs in v.items():
            print(f"  {name:<34} {accuracy(held, vs)}")
            verdicts[name] += vs
        print("  " + changed_answers(v["ranked_kinds, descriptions as written"], v["as shipped: + descriptions resolved"]))
        held_all += held
        for it, p in zip(held, p_held):
            k = _pick(p, th) if it.quote.kind in RANKED_KINDS else None
            if k is not None:
                given.append((float(p[k]), resolved_right(it, *answer(it, p, th))))
        sure += [(float(np.max(p)), bool(it.y[int(np.argmax(p))])) for it, p in zip(held, p_held)
                 if p is not None and len(p) and it.quote.kind == "direct" and it.gold.get("speaker")]
    print("\nall held-out folds, speaker accuracy on matched quotes:")
    print("  " + changed_answers(verdicts["ranked_kinds, descriptions as written"], verdicts["as shipped: + descriptions resolved"]))
    summary = {}
    for name, vs in verdicts.items():
        print(f"  {name:<34} {accuracy(held_all, vs)}")
        summary[name] = round(sum(vs) / max(1, len(vs)), 4)
    print("\nhow sure is sure (held out, direct quotes with an annotated speaker): the ranker's answer right when its "
          "probability is at least t (config.compare.attribution_min_confidence asks both speakers of an attribution conflict to be)")
    for t in SURE_GRID:
        hits = [ok for pr, ok in sure if pr >= t]
        print(f"  t {t:.2f}: right {sum(hits) / max(1, len(hits)):.3f} ({sum(hits)}/{len(hits)} quotes, {len(hits) / max(1, len(sure)):.2f} of them)")
    print("\nspeakers the ranker gives, by probability band (held out, ranked kinds, as shipped; a wrong one includes a "
          "speaker where the annotators give none): config.extract.source_min_confidence")
    for lo in np.arange(0.1, 1.0, 0.1):
        hits = [ok for pr, ok in given if lo <= pr < lo + 0.1]
        print(f"  [{lo:.1f}, {lo + 0.1:.1f}): right {sum(hits) / max(1, len(hits)):.3f} ({sum(hits)}/{len(hits)})")
    final = fit(items + extra)
    threshold = float(np.median(thresholds))
    print(f"\nfinal model on {len(items)} quotes (+ {len(extra)} invented); none-threshold {threshold:.2f} (median of the folds'): set config.extract.speaker_threshold")
    if args.no_write:
        return
    from recoupe.learned import save

    meta = {"trained_on": "RPM2 T01-T12 annotated quotes" + (" + the invented gold sets " + ", ".join(INVENTED) if extra else "")
            + " (scripts/train_speaker.py)", "seed": SEED, "threshold": threshold, "cv_accuracy": summary, "quotes": len(items),
            "invented_quotes": len(extra)}
    print(f"wrote {save(SPEAKER_MODEL, final, SPEAKER_FEATURES, SPEAKER_VERSION, meta)}")
    fold0 = set(folds[0])
    rows, ys, qid, test, gold_none, rule = [], [], [], [], [], []
    for n, it in enumerate(items):
        for r, yv in zip(it.X, it.y):
            rows.append(r)
            ys.append(yv)
            qid.append(n)
        test.append(it.cluster[:3] in fold0)
        gold_none.append(not it.gold.get("speaker"))
        rule.append(it.rule_right)
    np.savez_compressed(ROWS_FIXTURE, X=np.array(rows, dtype=np.float32), y=np.array(ys, dtype=np.int8), quote=np.array(qid),
                        test=np.array(test), gold_none=np.array(gold_none), rule_right=np.array(rule), threshold=np.array(threshold),
                        fold0=np.array(sorted(fold0)))
    print(f"wrote {ROWS_FIXTURE}")


if __name__ == "__main__":
    main()
