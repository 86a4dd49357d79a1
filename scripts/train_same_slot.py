"""Train the "same slot" model of the contradiction search on the real-news slot tables, evaluate it
by topic, and ship it.

    .venv/bin/python scripts/train_same_slot.py [--rpm2 ../shared/bench/rpm2] [--cache DIR] [--no-write]

Data: tests/fixtures/compare/realnews_slots.yaml (RPM2 T01-T12, 24 clusters; docs/annotation-slots.md).
Each cluster goes through recoupe's own read -> clean -> analyse -> entities -> extract ->
``compare.prepare``; every value the comparison sees (``slots.values_of``) is matched to the gold
mention it overlaps in the same article; two values of different outlets are a positive pair when
they belong to one gold slot, a negative one otherwise (the tables are exhaustive: two values of no
common slot are different things). Extra training data, never in the figures: the labelled
contradictions and "not a contradiction" pairs of the two bundled examples (examples/*/answers.yaml).

Evaluation (GroupKFold by topic, 4 folds of 3 topics, fixed by the seed): the model is trained on
the other 9 topics (and the examples); the decision threshold is chosen on those training topics
only, with out-of-fold probabilities of an inner split; the held-out topics are scored at the level
a reader sees, the reported conflicts (``bench/realnews_conflicts.py`` uses the same scoring):
- a reported conflict is a true contradiction when its two sides hold values of different groups of
  one gold ``differ`` slot; an update when of one gold ``update`` slot (a contradiction reported on an
  update slot without its update mark counts as a false contradiction);
- recall: gold ``differ`` slots with a true reported conflict, over all of them, and over those the
  extraction can reach (values of two groups found in two articles).
Printed in one run: the learned model, the rules it replaces (the previous recoupe's conflict rules on
the same prepared comparison), and a trivial baseline (differing values of one family in one aligned
fact), per fold and overall, by kind; the time per pair.

Written: src/recoupe/models/same_slot.{skops,json} (the json holds the report) and the features of the
fixed fold for the CI floor test (tests/fixtures/compare/same_slot_pairs.npz: numbers only).
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

from recoupe.compare.slots import (  # noqa: E402
    ASSIGNMENTS, SAME_SLOT_MODEL, SAME_SLOT_VERSION, SLOT_FEATURES, candidate_pairs, compatible_values, conflicts_from, feature_matrix,
    values_of,
)
from recoupe.config import Config  # noqa: E402
from recoupe.learned import topic_folds  # noqa: E402

SEED = 20261206
FOLDS = 4
GOLD = ROOT / "tests" / "fixtures" / "compare" / "realnews_slots.yaml"
PAIRS_FIXTURE = ROOT / "tests" / "fixtures" / "compare" / "same_slot_pairs.npz"
CURVE = [0.3, 0.5, 0.7, 0.8, 0.9]
GRID = [round(x, 2) for x in np.arange(0.1, 0.95, 0.05)]
BETA = 0.5  # the threshold maximises F0.5 of contradictions on the training topics


# --------------------------------------------------------------------------- data


PREPARE_CODE = ["read.py", "clean.py", "analyse.py", "entities.py", "embed.py", "pipeline.py", "model.py", "config.py", "extract", "compare",
                "lang"]


def _code_digest() -> str:
    """The code a prepared comparison depends on (not the conflict search in slots.py, which this trains)."""
    src = ROOT / "src" / "recoupe"
    files = sorted(f for name in PREPARE_CODE for f in ([src / name] if name.endswith(".py") else (src / name).rglob("*.py")))
    # the models' metas (each holds its file's checksum): a rebuilt embedding model changes the cosines, a
    # retrained speaker ranker the quotes' speakers
    models = b"".join((src / "models" / f"{m}.json").read_bytes() for m in ("static", "speaker"))
    return hashlib.sha256(b"".join(f.read_bytes() for f in files if f.name != "slots.py") + models).hexdigest()[:16]


def prepared(cluster_files: list[Path], cache: Path, name: str, examples: bool = False):
    """recoupe's prepared comparison of one cluster (cached: spaCy and e5 take a while)."""
    key = hashlib.sha256(b"".join(f.read_bytes() for f in cluster_files)).hexdigest()[:12]
    path = cache / f"slots2_{name}_{_code_digest()}_{key}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    from recoupe.analyse import analyse
    from recoupe.compare import prepare
    from recoupe.entities import link_entities
    from recoupe.extract import extract
    from recoupe.pipeline import clean_all

    config = Config()
    if examples:  # the bundled examples come in every format: recoupe's own reader
        from recoupe.read import read_inputs

        docs, _ = read_inputs([str(f) for f in cluster_files], config)
    else:
        docs = rpm2_documents(cluster_files)
    cleaned, _ = clean_all(docs, config)
    analysed, _ = analyse(cleaned, config)
    entities = link_entities(analysed, config)
    extractions = extract(analysed, entities, config)
    p = prepare(analysed, entities, extractions, config)
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(p))
    return p


def rpm2_text(f: Path) -> str:
    """An article as the annotators' offsets read it: UTF-8 without BOM, line ends as \\n (the files have
    CRLF line ends, which recoupe's reader keeps; offsets would drift by one a line), decoded as recoupe's
    reader decodes it (cp1252 punctuation stored as C1 controls put back, one character for one)."""
    from recoupe.read import decode

    return decode(f.read_bytes())[0].replace("\r\n", "\n").replace("\r", "\n")


def rpm2_documents(files: list[Path]):
    """The articles of ``files`` (``rpm2_text``) as recoupe's documents."""
    from recoupe.read import read_text_document

    return [read_text_document(rpm2_text(f), f.stem, str(f), "txt", "utf-8", []) for f in files]


def gold_mentions(slots: list[dict]) -> list[dict]:
    return [dict(v, slot=s["id"], status=s["status"], kind=s["kind"]) for s in slots for v in s["values"]]


def match(value, art_id: str, mentions: list[dict]) -> dict | None:
    """The gold mention a value overlaps most (same article), or None."""
    s, e = value.span.start, value.span.end
    best, best_ov = None, 0
    for g in mentions:
        if g["article"] != art_id:
            continue
        ov = min(e, g["end"]) - max(s, g["start"])
        if ov > best_ov:
            best, best_ov = g, ov
    return best


class Cluster:
    """One cluster's values, candidate pairs, features, pair labels and gold slots."""

    def __init__(self, name: str, prep, slots: list[dict] | None):
        self.name, self.prep, self.slots = name, prep, slots
        st = prep.state
        self.values = values_of(st)
        self.pairs = candidate_pairs(self.values, st)
        t = time.perf_counter()
        self.X = feature_matrix(st, self.values, self.pairs)
        self.seconds = time.perf_counter() - t
        self.gold = [None] * len(self.values)
        if slots is not None:
            mentions = gold_mentions(slots)
            for k, v in enumerate(self.values):
                self.gold[k] = match(v, st.articles[v.art].id, mentions)
        self.y = np.array([int(self.gold[i] is not None and self.gold[j] is not None and self.gold[i]["slot"] == self.gold[j]["slot"])
                           for i, j in self.pairs], dtype=int)
        self.known = np.ones(len(self.pairs), dtype=bool)


def example_cluster(folder: Path, cache: Path) -> Cluster:
    """A bundled example as extra training data: pairs of values in one labelled conflict are positive,
    pairs of a "not a contradiction" between different things are negative; the rest is unknown."""
    answers = yaml.safe_load((folder / "answers.yaml").read_text(encoding="utf-8"))
    files = sorted(p for p in folder.iterdir() if p.name != "answers.yaml")
    c = Cluster(folder.name, prepared(files, cache, folder.name, examples=True), None)
    arts = c.prep.state.articles
    texts = {a.id: a.article.doc.text for a in arts}

    def owner(k: int, evidence: dict) -> bool:
        v = c.values[k]
        ev = evidence.get(arts[v.art].id)
        if not ev:
            return False
        at = texts[arts[v.art].id].find(ev)
        return at >= 0 and at <= v.span.start and v.span.end <= at + len(ev) + 2

    label: dict[tuple[int, int], int] = {}
    groups = [[g.get("evidence", {}) for g in conflict["groups"]] for conflict in answers.get("conflicts", []) if conflict.get("kind") != "attribution"]
    for g in groups:
        members = [k for k in range(len(c.values)) if any(owner(k, ev) for ev in g)]
        for x in members:
            for y in members:
                label[(x, y)] = 1
    for item in answers.get("not_contradictions", []):
        ev = item.get("evidence", {})
        members = [k for k in range(len(c.values)) if owner(k, ev)]
        same = "choses différentes" not in item.get("why", "")
        for x in members:
            for y in members:
                label.setdefault((x, y), int(same))
    c.y = np.array([label.get((i, j), label.get((j, i), 0)) for i, j in c.pairs], dtype=int)
    c.known = np.array([(i, j) in label or (j, i) in label for i, j in c.pairs], dtype=bool)
    return c


# --------------------------------------------------------------------------- scoring


def score_conflicts(c: Cluster, conflicts) -> dict:
    """Per reported conflict: true contradiction, true update, or false; per gold differ slot: found."""
    st = c.prep.state
    mentions = gold_mentions(c.slots)
    art_ids = {a.id for a in st.articles}
    out = {"reported": 0, "true": 0, "updates_reported": 0, "updates_true": 0, "found": set(), "by_kind": defaultdict(lambda: [0, 0]),
           "errors": []}
    for conf in conflicts:
        if conf.kind == "attribution":
            continue
        sides = []
        for g in conf.groups:
            side = []
            for sp in g.spans:
                if sp.article not in art_ids:
                    continue
                hit = max((m for m in mentions if m["article"] == sp.article and min(sp.end, m["end"]) > max(sp.start, m["start"])),
                          key=lambda m: min(sp.end, m["end"]) - max(sp.start, m["start"]), default=None)
                side.append(hit)
            sides.append(side)
        ok_slot = None
        for s in c.slots:
            groups_seen = [{m["group"] for m in side if m is not None and m["slot"] == s["id"]} for side in sides]
            filled = [g for g in groups_seen if g]
            if len(filled) >= 2 and any(not (a & b) for x, a in enumerate(filled) for b in filled[x + 1:]):
                ok_slot = s
                break
        if conf.update_over_time:
            out["updates_reported"] += 1
            out["updates_true"] += bool(ok_slot and ok_slot["status"] == "update")
            continue
        out["reported"] += 1
        good = bool(ok_slot and ok_slot["status"] == "differ")
        out["true"] += good
        out["by_kind"][conf.kind][0] += good
        out["by_kind"][conf.kind][1] += 1
        if good:
            out["found"].add(ok_slot["id"])
        else:
            out["errors"].append((conf.kind, [g.value for g in conf.groups], ok_slot["status"] if ok_slot else "different things"))
    return out


def reachable(c: Cluster) -> set[int]:
    """Gold differ slots whose values of two groups, in two articles, the extraction found."""
    seen: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for v, g in zip(c.values, c.gold):
        if g is not None and g["status"] == "differ":
            seen[g["slot"]].add((g["group"], c.prep.state.articles[v.art].id))
    return {s for s, items in seen.items() if len({grp for grp, _ in items}) >= 2 and len({a for _, a in items}) >= 2}


def reach_report(clusters: list[Cluster], fixed: set[str]) -> dict:
    """What the extraction reaches, before any decision: per gold kind, the share of gold mentions a
    compared value overlaps; the gold contradictions with values of two groups in two articles;
    overall and on the fixed fold apart. Mentions in an article's title are counted apart too: the
    title is not part of the cleaned body recoupe compares."""
    out: dict = {}
    for part, members in (("all", clusters), ("fixed fold", [c for c in clusters if c.name[:3] in fixed])):
        kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # overlapped, gold, in a title
        reach = gold = 0
        for c in members:
            st = c.prep.state
            arts = {a.id: k for k, a in enumerate(st.articles)}
            spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
            for v in c.values:
                spans[v.art].append((v.span.start, v.span.end))
            for m in gold_mentions(c.slots):
                k = arts.get(m["article"])
                row = kinds[m["kind"]]
                row[1] += 1
                if k is None:
                    continue
                row[0] += any(min(e, m["end"]) > max(s, m["start"]) for s, e in spans[k])
                row[2] += m["start"] < len(st.articles[k].article.doc.text.split("\n", 1)[0])
            reach += len(reachable(c))
            gold += sum(1 for s in c.slots if s["status"] == "differ")
        out[part] = {"kinds": {k: v for k, v in sorted(kinds.items())}, "reachable": reach, "differ": gold}
    return out


def print_reach(r: dict) -> None:
    for part, x in r.items():
        o, g = sum(v[0] for v in x["kinds"].values()), sum(v[1] for v in x["kinds"].values())
        print(f"reach ({part}): contradictions reachable {x['reachable']}/{x['differ']}; gold mentions overlapped "
              + ", ".join(f"{k} {v[0] / max(1, v[1]):.2f} ({v[0]}/{v[1]})" for k, v in x["kinds"].items())
              + f"; all {o / max(1, g):.2f} ({o}/{g}); in a title (never read) {sum(v[2] for v in x['kinds'].values())}")


def summarise(clusters: list[Cluster], conflicts_of) -> dict:
    tot = defaultdict(int)
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # true reported, reported, gold
    for c in clusters:
        r = score_conflicts(c, conflicts_of(c))
        gold = [s for s in c.slots if s["status"] == "differ"]
        tot["reported"] += r["reported"]
        tot["true"] += r["true"]
        tot["gold"] += len(gold)
        tot["found"] += len(r["found"])
        reach = reachable(c)
        tot["reachable"] += len(reach)
        tot["found_reachable"] += len(r["found"] & reach)
        tot["updates_reported"] += r["updates_reported"]
        tot["updates_true"] += r["updates_true"]
        tot["updates_gold"] += sum(1 for s in c.slots if s["status"] == "update")
        for k, (good, n) in r["by_kind"].items():
            by_kind[k][0] += good
            by_kind[k][1] += n
        for s in gold:
            by_kind[s["kind"]][2] += 1
    p = tot["true"] / max(1, tot["reported"])
    rec = tot["found"] / max(1, tot["gold"])
    rr = tot["found_reachable"] / max(1, tot["reachable"])
    return {"precision": p, "recall": rec, "f1": 2 * p * rec / max(1e-9, p + rec), "recall_reachable": rr, **tot,
            "by_kind": {k: v for k, v in by_kind.items()}}


def line(name: str, s: dict) -> str:
    return (f"{name:<30} P {s['precision']:.3f} ({s['true']}/{s['reported']})  R {s['recall']:.3f} ({s['found']}/{s['gold']})  "
            f"F1 {s['f1']:.3f}  R reachable {s['recall_reachable']:.3f} ({s['found_reachable']}/{s['reachable']})  "
            f"updates {s['updates_true']}/{s['updates_reported']} reported true, gold {s['updates_gold']}")


# --------------------------------------------------------------------------- models


def fit(X: np.ndarray, y: np.ndarray):
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.ensemble import HistGradientBoostingClassifier

    base = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_depth=4, l2_regularization=1.0, random_state=SEED)
    return CalibratedClassifierCV(base, method="sigmoid", cv=3).fit(X, y)


class Scored:
    def __init__(self, fn):
        self.fn = fn

    def proba(self, rows):
        return self.fn(np.asarray(rows, dtype=float))


LEARNED = {"": "learned", "agree": "learned, one slot per article", "mutual": "learned, mutual best match"}


def learned_conflicts(model, threshold: float, assignment: str = ""):
    def run(c: Cluster):
        if not c.pairs:
            return []
        return conflicts_from(c.prep.state, c.values, c.pairs, model.predict_proba(c.X)[:, 1], threshold, assignment)
    return run


def rules_conflicts(c: Cluster):
    """The hand rules recoupe uses by default, on the same prepared comparison."""
    from recoupe.compare.conflicts import rule_conflicts

    return rule_conflicts(c.prep.state)


def trivial_conflicts(c: Cluster):
    """Differing values of one family in one aligned fact."""
    same_fact = np.array([row[SLOT_FEATURES.index("same_fact")] for row in c.X]) if len(c.X) else np.zeros(0)
    return conflicts_from(c.prep.state, c.values, c.pairs, same_fact, 0.5)


def choose_threshold(train: list[Cluster], assignments: tuple[str, ...] = ("",)) -> dict[str, float]:
    """Out-of-fold probabilities inside the training topics (inner split by topic), best F0.5 of
    conflicts; one threshold per decision rule (``slots.assigned``), from the same probabilities."""
    topics = sorted({c.name[:3] for c in train if c.slots is not None})
    inner = [topics[k::3] for k in range(3)]
    probs: dict[str, np.ndarray] = {}
    for part in inner:
        fit_on = [c for c in train if c.name[:3] not in part]
        X = np.concatenate([c.X[c.known] for c in fit_on if len(c.X)])
        y = np.concatenate([c.y[c.known] for c in fit_on if len(c.X)])
        m = fit(X, y)
        for c in train:
            if c.name[:3] in part and len(c.X):
                probs[c.name] = m.predict_proba(c.X)[:, 1]
    scored = [c for c in train if c.slots is not None]
    out = {}
    for mode in assignments:
        best = None
        for th in GRID:
            s = summarise(scored, lambda c: conflicts_from(c.prep.state, c.values, c.pairs, probs[c.name], th, mode) if c.pairs else [])
            p, r = s["precision"], s["recall"]
            f = (1 + BETA**2) * p * r / max(1e-9, BETA**2 * p + r)  # precision first: a false contradiction costs a reader most
            if best is None or f > best[0] + 1e-9:
                best = (f, th)
        out[mode] = best[1]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rpm2", default=str(ROOT.parent / "shared" / "bench" / "rpm2"))
    ap.add_argument("--cache", default="/tmp/recoupe-train-cache")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--assignment", default=Config().compare.slot_assignment, choices=ASSIGNMENTS,
                    help="the decision shipped (slots.assigned; default: config.compare.slot_assignment); every one is scored")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the false contradictions of the held-out folds")
    args = ap.parse_args()
    docs = Path(args.rpm2) / "documents"
    if not docs.is_dir():
        sys.exit(f"error: {docs}: no RPM2 documents there (give --rpm2)")
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["clusters"]
    cache = Path(args.cache)
    t0 = time.perf_counter()
    clusters = []
    for name in sorted(gold):
        files = sorted(docs.glob(f"{name}_*.txt"))
        clusters.append(Cluster(name, prepared(files, cache, name), gold[name]["slots"]))
    extra = [example_cluster(p, cache) for p in sorted((ROOT / "examples").iterdir()) if (p / "answers.yaml").exists()]
    n_pairs = sum(len(c.pairs) for c in clusters)
    per_pair = sum(c.seconds for c in clusters) / max(1, n_pairs)
    print(f"{len(clusters)} clusters prepared ({time.perf_counter() - t0:.0f} s); {n_pairs} candidate pairs, "
          f"{sum(int(c.y.sum()) for c in clusters)} of one slot; features {per_pair * 1e6:.0f} µs per pair; "
          f"examples: {sum(int(c.known.sum()) for c in extra)} labelled pairs")

    topics = sorted({c.name[:3] for c in clusters})
    folds = topic_folds(topics, SEED, FOLDS)
    print("folds (held-out topics): " + "; ".join(",".join(f) for f in folds))
    reach = reach_report(clusters, set(folds[0]))
    print_reach(reach)
    results: dict[str, list[dict]] = defaultdict(list)
    curve: dict[float, list[dict]] = defaultdict(list)
    thresholds: dict[str, list[float]] = defaultdict(list)
    for k, test in enumerate(folds):
        train = [c for c in clusters if c.name[:3] not in test]
        held = [c for c in clusters if c.name[:3] in test]
        X = np.concatenate([c.X[c.known] for c in train + extra if len(c.X)])
        y = np.concatenate([c.y[c.known] for c in train + extra if len(c.X)])
        model = fit(X, y)
        ths = choose_threshold(train + extra, ASSIGNMENTS)
        for mode, th_ in ths.items():
            thresholds[mode].append(th_)
            results[LEARNED[mode]].append(summarise(held, learned_conflicts(model, th_, mode)))
        th = ths[args.assignment]
        for t_ in CURVE:
            curve[t_].append(summarise(held, learned_conflicts(model, t_, args.assignment)))
        results["rules (previous recoupe)"].append(summarise(held, rules_conflicts))
        results["trivial: same fact"].append(summarise(held, trivial_conflicts))
        print(f"\nfold {k} (held out {','.join(test)}; thresholds chosen on training topics: "
              + ", ".join(f"{LEARNED[m]} {t:.2f}" for m, t in ths.items()) + ")")
        for name, rows in results.items():
            print("  " + line(name, rows[-1]))
        if args.verbose:
            for c in held:
                for e in score_conflicts(c, learned_conflicts(model, th, args.assignment)(c))["errors"]:
                    print(f"    false: {c.name} {e}")
    print("\nall held-out folds (contradictions; updates apart):")
    summary = {}
    for name, rows in results.items():
        tot = {key: sum(r[key] for r in rows) for key in ("reported", "true", "gold", "found", "reachable", "found_reachable",
                                                          "updates_reported", "updates_true", "updates_gold")}
        p, r = tot["true"] / max(1, tot["reported"]), tot["found"] / max(1, tot["gold"])
        s = {**tot, "precision": p, "recall": r, "f1": 2 * p * r / max(1e-9, p + r), "recall_reachable": tot["found_reachable"] / max(1, tot["reachable"])}
        print("  " + line(name, s))
        kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for row in rows:
            for kk, v in row["by_kind"].items():
                for x in range(3):
                    kinds[kk][x] += v[x]
        print("     by kind (true/reported, gold): " + ", ".join(f"{kk} {v[0]}/{v[1]} of {v[2]}" for kk, v in sorted(kinds.items())))
        summary[name] = {key: (round(val, 4) if isinstance(val, float) else val) for key, val in s.items()}

    print(f"  {LEARNED[args.assignment]}, every threshold (a curve to read, not a choice: the thresholds above are chosen on training topics):")
    for t_, rows in curve.items():
        tr_, rp_, g_, f_ = (sum(r[k] for r in rows) for k in ("true", "reported", "gold", "found"))
        print(f"     {t_:.2f}: P {tr_ / max(1, rp_):.3f} ({tr_}/{rp_})  R {f_ / max(1, g_):.3f} ({f_}/{g_})")
    X = np.concatenate([c.X[c.known] for c in clusters + extra if len(c.X)])
    y = np.concatenate([c.y[c.known] for c in clusters + extra if len(c.X)])
    final = fit(X, y)
    threshold = float(np.median(thresholds[args.assignment]))
    print(f"\nfinal model: {len(y)} pairs ({int(y.sum())} of one slot); threshold {threshold:.2f} (median of the folds', "
          f"decision {LEARNED[args.assignment]!r}); set config.compare.slot_threshold to it; the other decisions' medians: "
          + ", ".join(f"{LEARNED[m]} {float(np.median(t)):.2f}" for m, t in thresholds.items()))
    if args.no_write:
        return
    from recoupe.learned import save

    meta = {"trained_on": "RPM2 T01-T12 slot tables + the bundled examples (scripts/train_same_slot.py)", "seed": SEED,
            "threshold": threshold, "assignment": args.assignment, "cv": summary, "reach": reach, "pairs": int(len(y)), "positives": int(y.sum())}
    print(f"wrote {save(SAME_SLOT_MODEL, final, SLOT_FEATURES, SAME_SLOT_VERSION, meta)}")
    fold0 = set(folds[0])
    test = [c for c in clusters if c.name[:3] in fold0]
    train = [c for c in clusters if c.name[:3] not in fold0] + extra
    np.savez_compressed(
        PAIRS_FIXTURE,
        X_train=np.concatenate([c.X[c.known] for c in train if len(c.X)]).astype(np.float32),
        y_train=np.concatenate([c.y[c.known] for c in train if len(c.X)]).astype(np.int8),
        X_test=np.concatenate([c.X for c in test if len(c.X)]).astype(np.float32),
        y_test=np.concatenate([c.y for c in test if len(c.X)]).astype(np.int8),
        compatible=np.concatenate([[int(compatible_values(c.values[i], c.values[j])) for i, j in c.pairs] for c in test if len(c.X)]).astype(np.int8),
        fold0=np.array(sorted(fold0)), threshold=np.array(threshold),
    )
    print(f"wrote {PAIRS_FIXTURE}")


if __name__ == "__main__":
    main()
