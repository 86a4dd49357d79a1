"""The speaker rules on RPM2's development topics in seconds, quote by quote against a saved run.

    PYTHONPATH=src .venv/bin/python scripts/speaker_rules_dev.py --save before     # before changing extract/quotes/
    PYTHONPATH=src .venv/bin/python scripts/speaker_rules_dev.py --against before  # after: FIXED / BROKE / CHANGED

Why: a change to the speaker rules is judged by ``scripts/train_speaker.py`` (the ranker retrained in
every fold, 5-15 minutes), which should run once, against a bar written beforehand. Before that, a
rule is written from errors, and the errors may only be read on the nine development topics: the
fixed fold (T06, T07, T11) is never loaded here. This re-runs the rules alone over cached analyses
(spaCy and the entity linker are not re-run when only the extraction changed: the cache is keyed on
the analysis code, not on extract/) and lists every annotated quote whose answer moved, so that a
fix is checked on all ~1,850 development quotes, and what it breaks is seen, before the next one.
Accuracy here is the rules', on the quotes the extraction matches (as train_speaker.py counts it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import train_speaker as ts  # noqa: E402

from recoupe.config import Config  # noqa: E402
from recoupe.learned import topic_folds  # noqa: E402


def analyses(name: str, docs: Path, cache: Path):
    """(articles, entity index) of one cluster, cached on the analysis code (not extract/: a change there
    re-runs the rules only) and the documents."""
    files = sorted(docs.glob(f"{name}_*.txt"))
    return ts.cached(cache / f"speaker_dev_{name}_{ts._digest(ts.ANALYSIS_CODE)}_{ts.files_key(files)}.pkl",
                     lambda: ts.analyse_cluster(files, Config()))


def answers(docs: Path, cache: Path) -> dict[str, dict]:
    """Annotated quote id -> the rules' answer on its matched quote, over the development topics."""
    from recoupe.extract.quotes import find_quotes

    config = ts.rules_config()
    clusters = sorted(p.stem for p in ts.GOLD.glob("T*_C*.yaml"))
    fixed = set(topic_folds(sorted({c[:3] for c in clusters}), ts.SEED, ts.FOLDS)[0])
    out = {}
    for name in clusters:
        if name[:3] in fixed:
            continue
        arts, index = analyses(name, docs, cache)
        gold = yaml.safe_load((ts.GOLD / f"{name}.yaml").read_text(encoding="utf-8"))["quotes"]
        for a in arts:
            golds = [g for g in gold if g["article"] == a.id]
            for it in ts.matched_items(name, a, index, find_quotes(a, index, config), golds, [(g["start"], g["end"]) for g in golds]):
                out[it.gold["id"]] = {"kind": it.quote.kind, "speaker": it.quote.speaker, "right": bool(it.rule_right),
                                      "gold": it.gold.get("speaker")}
    return out


def main() -> None:
    args, docs = ts.rpm2_arguments(__doc__, {"--save": ("NAME", "write this run's answers under NAME (in --cache)"),
                                             "--against": ("NAME", "list the answers that changed since the run saved as NAME")})
    cache = Path(args.cache)
    now = answers(docs, cache)
    right = sum(a["right"] for a in now.values())
    print(f"development topics: the rules right for {right} of {len(now)} matched quotes ({right / max(1, len(now)):.3f})")
    if args.against:
        path = cache / f"speaker_dev_answers_{args.against}.json"
        if not path.is_file():
            sys.exit(f"error: {path}: no saved run of that name (run with --save {args.against} first)")
        before = json.loads(path.read_text(encoding="utf-8"))
        for qid, a in sorted(now.items()):
            b = before.get(qid)
            if b is None or b["speaker"] == a["speaker"]:
                continue
            tag = "FIXED " if a["right"] and not b["right"] else "BROKE " if b["right"] and not a["right"] else "CHANGED"
            print(f"  {tag} {qid} {a['kind']}: {b['speaker']!r} -> {a['speaker']!r} (annotated: {a['gold']!r})")
        old = sum(b["right"] for q, b in before.items() if q in now)
        print(f"against {args.against}: {old} -> {right} on the quotes both runs match")
    if args.save:
        path = cache / f"speaker_dev_answers_{args.save}.json"
        path.write_text(json.dumps(now, ensure_ascii=False), encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
