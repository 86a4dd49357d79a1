"""Contradictions on real news, by-topic cross-validation: the learned same-slot matcher, the rules it
may replace and a trivial baseline, in one run, scored as a reader sees the reported conflicts.

    .venv/bin/python bench/realnews_conflicts.py [--rpm2 ../shared/bench/rpm2] [--cache DIR] [-v]

The evaluation is the training script's own (scripts/train_same_slot.py, 4 folds of 3 RPM2 topics,
thresholds chosen on the training topics only), run here without writing the model or the fixtures,
so that the figures in docs/benchmarks.md and the shipped model come from one code path.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import train_same_slot  # noqa: E402

if __name__ == "__main__":
    sys.argv.append("--no-write")
    train_same_slot.main()
