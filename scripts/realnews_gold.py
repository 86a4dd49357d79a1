"""Build the real-news gold files of tests/fixtures from the annotators' working files, and report
inter-annotator agreement.

    .venv/bin/python scripts/realnews_gold.py slots  ANNOTATIONS_DIR   # -> tests/fixtures/compare/realnews_slots.yaml
    .venv/bin/python scripts/realnews_gold.py quotes ANNOTATIONS_DIR   # -> tests/fixtures/quotes/realnews/*.yaml
    .venv/bin/python scripts/realnews_gold.py shared ANNOTATIONS_DIR   # agreement on shared quotes only

The working files (``TNN_CK.a.yaml``, ``.b.yaml``, ``.merged.yaml``; docs/annotation-slots.md and
docs/annotation-quotes.md) hold the text of each span so that its offsets can be checked; the
fixtures keep offsets, normal forms and names only (RPM2 is GPL and stays in ../shared). Per
cluster the adjudicated file is used when there is one, else annotator a's.

Agreement (clusters labelled by both a and b, before adjudication):
- slots: over value mentions both annotators marked (same article, overlapping spans), pairwise
  same-slot precision / recall / F1 of b against a (pairs of mentions in different articles); status
  agreement and Cohen's kappa on the slots both found (matched by their mentions); agreement on
  which slots are contradictions.
- quotes: detection F1 at IoU >= 0.3 (b against a), speaker agreement on the quotes both found
  (names compared leniently: accents, case, determiners), kind agreement.
- shared: the shared-quote groups of two annotators who grouped the same, already annotated quotes
  (``TNN_CK.a.yaml`` / ``.b.yaml`` with a ``shared`` list over the fixture's quote ids): pairs of
  quotes of two articles in one group, b against a, and each against the fixture's groups.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import Counter
from itertools import combinations
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
RPM2 = ROOT.parent / "shared" / "bench" / "rpm2" / "documents"
SLOTS_OUT = ROOT / "tests" / "fixtures" / "compare" / "realnews_slots.yaml"
QUOTES_OUT = ROOT / "tests" / "fixtures" / "quotes" / "realnews"

HEADER_SLOTS = """# Real-news slot tables of RPM2 T01-T12 (../shared/bench/rpm2/documents, GPL): for each cluster, every
# question of fact for which two or more articles give a value, with every mention (article, original
# character offsets into the file read as UTF-8 without BOM, line ends as \\n), its normal form and
# its group (values of one group agree). status: agree | differ (a contradiction) | update (the
# situation changed). Written by annotators who read only the articles (docs/annotation-slots.md),
# two per cluster, merged by an adjudicator; built by scripts/realnews_gold.py. No article text here.
"""

HEADER_QUOTES = """# Quotes of RPM2 {cluster} (../shared/bench/rpm2/documents, GPL) with their speakers, written by an
# annotator who read only the articles (docs/annotation-quotes.md); built by scripts/realnews_gold.py.
# Offsets are original character offsets into the file read as UTF-8 without BOM, line ends as \\n.
# speaker: as the article names them; entity: one canonical name for the cluster; mention: the words
# at the quote pointing to the speaker; shared: quotes of different articles that are the same words.
"""


def read_article(article: str) -> str:
    with open(RPM2 / f"{article}.txt", encoding="utf-8-sig") as f:
        return f.read()


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def chosen(folder: Path, cluster: str) -> Path | None:
    for suffix in ("merged", "a"):
        p = folder / f"{cluster}.{suffix}.yaml"
        if p.exists():
            return p
    return None


def check_spans(items: list[dict], where: str) -> None:
    cache: dict[str, str] = {}
    for it in items:
        text = cache.setdefault(it["article"], read_article(it["article"]))
        if "text" in it and text[it["start"] : it["end"]] != it["text"]:
            sys.exit(f"error: {where}: {it['article']} {it['start']}-{it['end']} does not hold {it['text']!r}")


def _scores(p: float, r: float) -> str:
    return f"P {p:.3f} R {r:.3f} F1 {2 * p * r / max(1e-9, p + r):.3f}"


def clusters_in(folder: Path) -> list[str]:
    return sorted({p.name.split(".")[0] for p in folder.glob("T*_C*.*.yaml")})


def double_annotated(folder: Path):
    """(cluster, a's file, b's file) for each cluster both annotators labelled."""
    for cluster in clusters_in(folder):
        pa, pb = folder / f"{cluster}.a.yaml", folder / f"{cluster}.b.yaml"
        if pa.exists() and pb.exists():
            yield cluster, pa, pb


# --------------------------------------------------------------------------- slots


def slot_fixture(folder: Path) -> None:
    out = {"clusters": {}}
    for cluster in clusters_in(folder):
        path = chosen(folder, cluster)
        if path is None:
            continue
        data = load(path)
        slots = []
        for s in data["slots"]:
            check_spans(s["values"], f"{path.name} slot {s['id']}")
            slots.append({
                "id": s["id"], "kind": s["kind"], "what": s.get("what", ""), "status": s["status"],
                "values": [{"article": v["article"], "start": v["start"], "end": v["end"], "norm": str(v.get("norm", "")),
                            "group": int(v.get("group", 1))} for v in s["values"]],
            })
        out["clusters"][cluster] = {"source": path.name.split(".")[1], "slots": slots}
    SLOTS_OUT.write_text(HEADER_SLOTS + yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
    n = sum(len(c["slots"]) for c in out["clusters"].values())
    print(f"wrote {SLOTS_OUT}: {len(out['clusters'])} clusters, {n} slots")
    slot_agreement(folder)


def _overlap(a: dict, b: dict) -> bool:
    return a["article"] == b["article"] and a["start"] < b["end"] and b["start"] < a["end"]


def _kappa(pairs: list[tuple[str, str]]) -> float:
    n = len(pairs)
    if not n:
        return float("nan")
    po = sum(x == y for x, y in pairs) / n
    ca, cb = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    pe = sum(ca[k] * cb[k] for k in ca) / (n * n)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def slot_agreement(folder: Path) -> None:
    tp = fp = fn = 0
    status_pairs: list[tuple[str, str]] = []
    diff_a = diff_b = diff_both = 0
    n_clusters = 0
    for _cluster, pa, pb in double_annotated(folder):
        n_clusters += 1
        A, B = load(pa)["slots"], load(pb)["slots"]
        ma = [(v, s["id"]) for s in A for v in s["values"]]
        mb = [(v, s["id"]) for s in B for v in s["values"]]
        # mentions both marked: a's mention -> b's slot of an overlapping mention
        both = []
        for v, sa in ma:
            hit = next((sb for w, sb in mb if _overlap(v, w)), None)
            if hit is not None:
                both.append((v, sa, hit))
        for (v1, a1, b1), (v2, a2, b2) in combinations(both, 2):
            if v1["article"] == v2["article"]:
                continue
            same_a, same_b = a1 == a2, b1 == b2
            tp += same_a and same_b
            fp += same_b and not same_a
            fn += same_a and not same_b
        # slots matched by their mentions: the b slot holding most of an a slot's mentions
        for s in A:
            votes = Counter(hit for v, sa, hit in both if sa == s["id"])
            if not votes:
                if s["status"] != "agree":
                    diff_a += 1
                continue
            sb = next(x for x in B if x["id"] == votes.most_common(1)[0][0])
            status_pairs.append((s["status"], sb["status"]))
            da, db = s["status"] != "agree", sb["status"] != "agree"
            diff_a += da
            diff_b += db
            diff_both += da and db
        matched_b = {hit for _, _, hit in both}
        diff_b += sum(1 for s in B if s["id"] not in matched_b and s["status"] != "agree")
    if not n_clusters:
        return
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    print(f"agreement on {n_clusters} clusters labelled twice:")
    print(f"  same-slot pairs of mentions both marked: {_scores(p, r)} (b against a)")
    agree = sum(x == y for x, y in status_pairs) / max(1, len(status_pairs))
    print(f"  status of {len(status_pairs)} slots both found: {agree:.3f} agreement, Cohen's kappa {_kappa(status_pairs):.3f}")
    print(f"  slots not 'agree': a {diff_a}, b {diff_b}, both (same slot) {diff_both}")


# --------------------------------------------------------------------------- quotes


def fold(name: str | None) -> str:
    if not name:
        return ""
    name = unicodedata.normalize("NFKD", name.lower().replace("’", "'"))
    name = "".join(c for c in name if not unicodedata.combining(c))
    name = re.sub(r"^(?:l'|le |la |les |m\. |mme |un |une |des )", "", name.strip())
    return " ".join(re.findall(r"\w+", name))


def quote_fixture(folder: Path) -> None:
    QUOTES_OUT.mkdir(parents=True, exist_ok=True)
    total = 0
    for cluster in clusters_in(folder):
        path = chosen(folder, cluster)
        if path is None:
            continue
        data = load(path)
        check_spans(data["quotes"], path.name)
        quotes = [{"id": q["id"], "article": q["article"], "start": q["start"], "end": q["end"], "kind": q["kind"],
                   "speaker": q.get("speaker"), "entity": q.get("entity"), "mention": q.get("mention"), "relay": q.get("relay")}
                  for q in data["quotes"]]
        shared = [{"quotes": g["quotes"], "relation": g.get("relation")} for g in data.get("shared") or []]
        out = {"cluster": cluster, "source": path.name.split(".")[1], "quotes": quotes, "shared": shared}
        (QUOTES_OUT / f"{cluster}.yaml").write_text(
            HEADER_QUOTES.format(cluster=cluster) + yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8"
        )
        total += len(quotes)
    print(f"wrote {QUOTES_OUT}: {total} quotes")
    quote_agreement(folder)


def _iou(a: dict, b: dict) -> float:
    if a["article"] != b["article"]:
        return 0.0
    inter = max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))
    union = max(a["end"], b["end"]) - min(a["start"], b["start"])
    return inter / union if union else 0.0


def quote_agreement(folder: Path) -> None:
    found_a = found_b = matched = same_speaker = same_entity = same_kind = 0
    clusters = []
    for cluster, pa, pb in double_annotated(folder):
        clusters.append(cluster)
        A, B = load(pa)["quotes"], load(pb)["quotes"]
        found_a += len(A)
        found_b += len(B)
        used: set[int] = set()
        for q in sorted(A, key=lambda q: (q["article"], q["start"])):
            best = max((k for k in range(len(B)) if k not in used), key=lambda k: _iou(q, B[k]), default=None)
            if best is None or _iou(q, B[best]) < 0.3:
                continue
            used.add(best)
            r = B[best]
            matched += 1
            same_speaker += fold(q.get("speaker")) == fold(r.get("speaker")) or (
                bool(q.get("speaker")) and bool(r.get("speaker")) and (fold(q["speaker"]) in fold(r["speaker"]) or fold(r["speaker"]) in fold(q["speaker"]))
            )
            same_entity += fold(q.get("entity")) == fold(r.get("entity"))
            same_kind += q["kind"] == r["kind"]
    if not clusters:
        return
    p, r = matched / max(1, found_b), matched / max(1, found_a)
    print(f"agreement on {', '.join(clusters)} ({found_a} quotes by a, {found_b} by b):")
    print(f"  detection at IoU >= 0.3: {_scores(p, r)} (b against a), {matched} quotes both found")
    print(f"  on those: speaker {same_speaker / max(1, matched):.3f}, canonical entity {same_entity / max(1, matched):.3f}, kind {same_kind / max(1, matched):.3f}")


def shared_pairs(groups: list[dict], article_of: dict[str, str]) -> dict[frozenset, str]:
    """Pairs of quotes of two articles that one group holds (the unit shared quotes are scored in), each
    with its group's relation (the first group's when two hold it; "?" when none is given)."""
    out: dict[frozenset, str] = {}
    for g in groups or []:
        for a, b in combinations(g["quotes"], 2):
            if a in article_of and b in article_of and article_of[a] != article_of[b]:
                out.setdefault(frozenset((a, b)), g.get("relation") or "?")
    return out


def _prf(pred: set, ref: set) -> str:
    tp = len(pred & ref)
    return f"{_scores(tp / max(1, len(pred)), tp / max(1, len(ref)))} ({tp} of {len(pred)} / {len(ref)})"


def shared_agreement(folder: Path) -> None:
    totals: dict[str, set] = {"a": set(), "b": set(), "gold": set()}
    clusters = []
    for cluster, pa, pb in double_annotated(folder):
        clusters.append(cluster)
        fixture = load(QUOTES_OUT / f"{cluster}.yaml")
        article_of = {q["id"]: q["article"] for q in fixture["quotes"]}
        for who, groups in (("a", load(pa).get("shared")), ("b", load(pb).get("shared")), ("gold", fixture.get("shared"))):
            totals[who] |= {frozenset((cluster, p)) for p in shared_pairs(groups, article_of)}
    if not clusters:
        sys.exit(f"error: {folder}: no cluster with both TNN_CK.a.yaml and .b.yaml")
    print(f"shared quotes on {', '.join(clusters)}: pairs of quotes of two articles in one group")
    print(f"  b against a:           {_prf(totals['b'], totals['a'])}")
    print(f"  a against the fixture: {_prf(totals['a'], totals['gold'])}")
    print(f"  b against the fixture: {_prf(totals['b'], totals['gold'])}")
    print(f"  pairs a and b agree on, against the fixture: {_prf(totals['a'] & totals['b'], totals['gold'])}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=["slots", "quotes", "shared"])
    ap.add_argument("folder", type=Path)
    args = ap.parse_args()
    if not RPM2.is_dir():
        sys.exit(f"error: {RPM2}: no RPM2 documents there")
    {"slots": slot_fixture, "quotes": quote_fixture, "shared": shared_agreement}[args.what](args.folder)


if __name__ == "__main__":
    main()
