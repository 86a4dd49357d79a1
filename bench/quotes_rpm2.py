"""Speaker accuracy on real French news: the hand-annotated sample of RPM2 quotes
(tests/fixtures/quotes/rpm2_speakers.yaml, offsets and speakers only) against what the extractor
says now.

Each RPM2 cluster holding an annotated article goes through read -> clean -> analyse ->
link_entities (per cluster: a cluster is one event) -> find_quotes. An annotated quote is matched
to the predicted quote of the same article with the highest overlap (IoU of character ranges, at
least 0.3); a quote the extractor no longer finds counts as wrong. Speakers are compared as in
bench/quotes_eval.py; a second figure also counts the right entity given under another of its
names (an acronym, a nickname the entity index links: "LDH" / "Ligue des droits de l'homme").
Printed per sample: "uniform" (100 quotes drawn at random), "changed" (50 drawn among those whose
speaker changed during the session of 2026-11-28; biased by design) and "uniform2" (120 more drawn
at random after the rules of that session were written).

    .venv/bin/python bench/quotes_rpm2.py [--rpm2 ../shared/bench/rpm2] [-v]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from conftest import analyse_texts  # noqa: E402
from quotes_eval import iou, same_speaker  # noqa: E402

from recoupe.config import Config  # noqa: E402
from recoupe.entities import link_entities  # noqa: E402
from recoupe.extract.quotes import find_quotes  # noqa: E402

GOLD = ROOT / "tests" / "fixtures" / "quotes" / "rpm2_speakers.yaml"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rpm2", default=str(ROOT.parent / "shared" / "bench" / "rpm2"))
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    docs = Path(args.rpm2) / "documents"
    if not docs.is_dir():
        sys.exit(f"error: {docs}: no RPM2 documents there (give --rpm2)")
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["quotes"]
    wanted = {g["article"] for g in gold}
    clusters = sorted({a.rsplit("_", 1)[0] for a in wanted})
    preds: dict[str, list] = {}
    indexes: dict[str, object] = {}
    for c in clusters:
        texts = {p.stem: p.read_text(encoding="utf-8-sig", errors="replace") for p in sorted(docs.glob(f"{c}_*.txt"))}
        arts = analyse_texts(texts)
        index = link_entities(arts, Config())
        for a in arts:
            if a.id in wanted:
                preds[a.id] = find_quotes(a, index, Config())
                indexes[a.id] = index
    score: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    entity_score: dict[str, int] = defaultdict(int)
    for g in gold:
        if g.get("not_a_quote"):
            continue
        span = (g["start"], g["end"])
        best = max(preds.get(g["article"], []), key=lambda q: iou(span, (q.span.start, q.span.end)), default=None)
        found = best is not None and iou(span, (best.span.start, best.span.end)) >= 0.3
        pred = best.speaker if found else None
        ok = found and same_speaker(g["speaker"], pred)
        # the same entity under another of its names ("LDH" / "Ligue des droits de l'homme")
        ent = indexes[g["article"]].get(best.speaker_entity) if found and best.speaker_entity else None
        same_entity = ok or ent is not None and any(same_speaker(g["speaker"], a) for a in [ent.name, *ent.aliases])
        for s in g["samples"]:
            score[s][0] += ok
            score[s][1] += 1
            entity_score[s] += same_entity
        if args.verbose and not ok:
            print(f"  {g['article']} {g['start']}-{g['end']} {g['kind']:8s} gold={g['speaker']!r} pred={pred!r}"
                  + ("" if found else " (quote not found)"))
    for s, (ok, n) in score.items():
        e = entity_score[s]
        print(f"{s:8s} speaker accuracy {ok / n:.3f} ({ok}/{n}); the right entity under another name too: {e / n:.3f} ({e}/{n})")


if __name__ == "__main__":
    main()
