"""Do the summary variants pick the same sentences on RPM2? (docs/benchmarks.md, "Summary")

Reads the cached analyses that ``bench/rpm2_summary.py --cache DIR`` wrote (one pickle per cluster
and the embeddings), and for every cluster compares the sentences picked by the default summary,
by ``use_comparison=False`` ("ours-own") and by ``conflict_first=False`` (no forced contradiction).
Also prints the most outlets taking sides in one contradiction of the cluster.

    .venv/bin/python bench/summary_same_sentences.py --cache /tmp/sumcache_final3
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rpm2_summary import use_embedding_cache  # noqa: E402

from recoupe.config import Config  # noqa: E402
from recoupe.summarise import summarise  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", required=True, help="the --cache folder of a bench/rpm2_summary.py run")
    cache = Path(ap.parse_args().cache)
    use_embedding_cache(cache)
    config = Config()
    own = config.model_copy(deep=True)
    own.summary.use_comparison = False
    unforced = config.model_copy(deep=True)
    unforced.summary.conflict_first = False
    same_own = same_unforced = n = 0
    for f in sorted(cache.glob("T*.pkl")):
        (analysed, extractions, comparison), _ = pickle.loads(f.read_bytes())
        sides = max((len({o for g in c.groups for o in g.outlets}) for c in comparison.conflicts if not c.update_over_time), default=0)
        picked = [{s.text for s in summarise(analysed, comparison, extractions, c)} for c in (config, own, unforced)]
        same_own += picked[0] == picked[1]
        same_unforced += picked[0] == picked[2]
        n += 1
        print(f"{f.stem}: outlets {len({a.outlet for a in analysed})}, most outlets taking sides {sides}, "
              f"ours-own {'same' if picked[0] == picked[1] else 'DIFFERENT'}, "
              f"conflict_first=False {'same' if picked[0] == picked[2] else 'DIFFERENT'}")
    print(f"same sentences as ours-own: {same_own}/{n}; as conflict_first=False: {same_unforced}/{n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
