"""Scale: articles/s of the per-article stages on 1 and 2 local Ray workers against the plain path,
the per-stage cost per article, and the cluster size these give for 1 million articles a day.

All figures of one run come from the same machine at the same time (it may be shared: the load
average is printed at both ends, and every comparison is a ratio between runs interleaved A B A B).

1. Per-stage cost: one plain ingest with ``overlap=False`` (stages in turn, so each is timed alone):
   seconds per article of read+clean, spaCy, e5+features, placement (clustering), store writes.
2. Plain path: the whole ``ingest`` (its default stages: worker processes on Linux, else e5 on a background thread) of this checkout, and,
   with ``--baseline-src`` (the ``src`` folder of a checkout of the code before this change), of
   that code, interleaved, each in a fresh process with its models loaded before the clock starts.
3. Ray: a local Ray with 2 CPUs; ``RayStages`` with 1 worker, then 2, interleaved; the clock runs
   from the moment every worker has its models (``RayStages.started_at``) to the last prepared
   batch back, i.e. the per-article stages alone (placement and writes are the plain path's).
4. Projection (printed with its assumptions, recorded in docs/scale.md).

Usage: .venv/bin/python bench/scale.py [--rpm2 ../shared/bench/rpm2] [--n 96] [--batch-size 16]
       [--repeat 2] [--baseline-src /tmp/before/src]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]

# run in a fresh process with PYTHONPATH=<src>: the plain ingest of the given files, models loaded first
_PLAIN = r"""
import json, sys, tempfile, time
from pathlib import Path
from recoupe.analyse import load_pipeline
from recoupe.config import Config
from recoupe.embed import embed_passages
from recoupe.store import Store
from recoupe.stories import ingest
files, batch = json.loads(sys.argv[1]), int(sys.argv[2])
config = Config()
config.stories.batch_size = batch
load_pipeline(config.analysis.spacy_models["fr"])
embed_passages(["échauffement"], config.compare.embedding_model)
with tempfile.TemporaryDirectory() as tmp, Store(str(Path(tmp) / "b.db")) as store:
    config.stories.db = str(Path(tmp) / "b.db")
    t = time.perf_counter()
    report = ingest(files, store, config)
    print(json.dumps({"seconds": time.perf_counter() - t, "new": report.new}))
"""


def plain_run(src: Path, files: list[str], batch: int) -> float:
    env = dict(os.environ, PYTHONPATH=str(src))
    out = subprocess.run([sys.executable, "-c", _PLAIN, json.dumps(files), str(batch)], env=env, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["new"] == len(files), result
    return len(files) / result["seconds"]


def stage_costs(files: list[str], batch: int) -> dict[str, float]:
    from recoupe.config import Config
    from recoupe.store import Store
    from recoupe.stories import ingest

    config = Config()
    config.stories.batch_size = batch
    with tempfile.TemporaryDirectory() as tmp:
        with Store(str(Path(tmp) / "warm.db")) as store:  # models (spaCy, e5, same-event) loaded off the clock
            ingest(files[:2], store, config, overlap=False)
        with Store(str(Path(tmp) / "s.db")) as store:
            config.stories.db = str(Path(tmp) / "s.db")
            report = ingest(files, store, config, overlap=False)
    return {k: v / report.new for k, v in report.timings.items()}


def ray_run(files: list[str], batch: int, workers: int) -> tuple[float, float]:
    """Articles/s of the per-article stages on ``workers`` Ray actors (models loaded before the clock),
    and the CPU seconds per article the workers spent."""
    from recoupe.config import Config
    from recoupe.distributed import RayOptions, RayStages
    from recoupe.pipeline import clean_all, content_key
    from recoupe.read import read_inputs

    config = Config()
    config.stories.batch_size = batch
    docs, _ = read_inputs(files, config)
    cleaned, _ = clean_all(docs, config)
    todo = [(content_key(a.text), a) for a in cleaned]
    batches = [todo[i : i + batch] for i in range(0, len(todo), batch)]
    stages = RayStages(RayOptions(workers=workers))
    stages.start(batches, config)
    try:
        n = sum(len(stages.prepare(i, None).feats) for i in range(len(batches)))
        elapsed = time.perf_counter() - stages.started_at
    finally:
        stages.close()
    assert n == len(files)
    return n / elapsed, stages.timings.get("cpu (workers)", 0.0) / n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rpm2", default=str(HERE.parent / "shared" / "bench" / "rpm2"))
    ap.add_argument("--n", type=int, default=96, help="articles (the first N RPM2 files in name order)")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--baseline-src", default=None, help="src folder of the code before this change, for the plain path")
    args = ap.parse_args()

    import logging

    import ray

    files = [str(f) for f in sorted((Path(args.rpm2) / "documents").glob("T*_C*_*.txt"))[: args.n]]
    print(f"RPM2: {len(files)} articles, batches of {args.batch_size}; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")

    costs = stage_costs(files, args.batch_size)
    print("\nper-stage cost, seconds per article (plain ingest, stages in turn, models loaded; e5 on this process's cores):")
    for k, v in costs.items():
        print(f"  {k:<28} {v:.4f}")
    per_article = {"read+clean": costs.get("read+clean", 0.0), "workers": costs.get("spacy", 0.0) + costs.get("embed+features", 0.0),
                   "placement": costs.get("clustering", 0.0) + costs.get("db writes", 0.0)}

    plain: dict[str, list[float]] = {"this": [], "baseline": []}
    for _ in range(args.repeat):
        plain["this"].append(plain_run(HERE / "src", files, args.batch_size))
        if args.baseline_src:
            plain["baseline"].append(plain_run(Path(args.baseline_src), files, args.batch_size))
    print("\nplain ingest (whole, its default stages), articles/s, interleaved runs:")
    print(f"  this checkout: {', '.join(f'{x:.2f}' for x in plain['this'])}")
    if plain["baseline"]:
        print(f"  before (baseline): {', '.join(f'{x:.2f}' for x in plain['baseline'])}")
        print(f"  ratio this/before (medians): {statistics.median(plain['this']) / statistics.median(plain['baseline']):.2f}")

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    rates: dict[int, list[float]] = {1: [], 2: []}
    cpu: dict[int, list[float]] = {1: [], 2: []}
    try:
        for _ in range(args.repeat):
            for w in (1, 2):
                r, c = ray_run(files, args.batch_size, w)
                rates[w].append(r)
                cpu[w].append(c)
    finally:
        ray.shutdown()
    one, two = statistics.median(rates[1]), statistics.median(rates[2])
    in_process = 1 / per_article["workers"]
    print("\nper-article stages (analysis, e5, features), articles/s:")
    print(f"  in this process, stages in turn:  {in_process:.2f}")
    print(f"  Ray, 1 worker:  {', '.join(f'{x:.2f}' for x in rates[1])}")
    print(f"  Ray, 2 workers: {', '.join(f'{x:.2f}' for x in rates[2])}")
    print(f"  ratio 2 workers / 1 worker (medians): {two / one:.2f}")
    print(f"  ratio 1 worker / in process: {one / in_process:.2f}")
    for w in (1, 2):
        c = statistics.median(cpu[w])
        rate_w = statistics.median(rates[w])
        print(f"  {w} worker(s): {c:.3f} CPU s/article; cores obtained {c * rate_w:.2f} (of {w})")
    print("  (Linux autogroups share the CPU per session first: on a machine shared with other sessions the Ray\n"
          "   workers, one session, get that session's share however many they are; CPU s/article is the cost)")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")

    # projection: 1 million articles a day
    day = 1_000_000
    peak = 3.0  # assumption: the busiest hour carries 3x the mean rate
    rate = day / 86400 * peak
    per_worker = 1 / statistics.median(cpu[2])  # a worker is one core: its articles/s is 1 / CPU s per article
    workers = rate / per_worker
    serial = per_article["placement"]
    print("\nprojection, 1 million articles a day:")
    print(f"  mean {day / 86400:.1f} articles/s, peak (x{peak:g}) {rate:.1f} articles/s")
    print(f"  worker cores for the peak at {per_worker:.2f} articles/s each: {workers:.0f} (mean only: {workers / peak:.0f})")
    print(f"  placement + writes, one ordered process: {serial * 1000:.1f} ms/article here -> at most {1 / serial:.0f} articles/s "
          f"({'enough' if 1 / serial > rate else 'NOT enough'} for the peak, with this store's size)")
    print(f"  read+clean on the driver: {per_article['read+clean'] * 1000:.1f} ms/article -> {1 / max(per_article['read+clean'], 1e-9):.0f} articles/s")


if __name__ == "__main__":
    main()
