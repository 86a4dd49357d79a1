"""Who "il" and "elle" are, on real press with hand-made coreference chains (Democrat, L'Est Républicain).

The speaker of a quote introduced by "a-t-il dit" is whoever "il" stands for; recoupe resolves such
pronouns with the rules of ``extract/quotes/descriptions._resolve_pronoun`` (the closest compatible
person that is the subject of this or the previous sentence, then further back). This measures that
step alone, on text nobody here developed on: ../shared/data/democrat-news-coref (71 articles, CC
BY-SA; read from there, never copied).

For every third-person pronoun il or elle whose coreference chain has a mention before it,
the resolver's answer is right when its words overlap a mention of that chain (or name the same
entity as one of them). Printed: accuracy over those pronouns, how often the resolver answers
nothing, and the same for a trivial baseline (the closest person the NER names before the pronoun).

    .venv/bin/python bench/coref_democrat.py [--data ../shared/data/democrat-news-coref] [--split dev|test|all]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import analyse_texts  # noqa: E402

from recoupe.config import Config  # noqa: E402
from recoupe.entities import link_entities  # noqa: E402
from recoupe.extract.quotes.anchors import _build_ctx  # noqa: E402
from recoupe.extract.quotes.descriptions import _resolve_pronoun  # noqa: E402

PRONOUNS = {"il": "Masc", "elle": "Fem"}


def documents(path: Path):
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield json.loads(line)


def text_of(doc: dict) -> tuple[str, list[tuple[int, int]]]:
    """The document's text (tokens joined by spaces, a sentence a line) and each token's character range."""
    parts, spans, pos = [], [], 0
    for sent in doc["sentences"]:
        for k, tok in enumerate(sent):
            if k:
                parts.append(" ")
                pos += 1
            spans.append((pos, pos + len(tok)))
            parts.append(tok)
            pos += len(tok)
        parts.append("\n")
        pos += 1
    return "".join(parts), spans


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "democrat-news-coref"))
    ap.add_argument("--split", default="all", choices=["dev", "test", "all"])
    args = ap.parse_args()
    data = Path(args.data)
    files = [data / f"estrepublicain.{s}.jsonlines" for s in (["dev", "test"] if args.split == "all" else [args.split])]
    if not all(f.exists() for f in files):
        sys.exit(f"error: {data}: no Democrat files there (give --data)")
    docs = [d for f in files for d in documents(f)]
    texts, spans = {}, {}
    for k, d in enumerate(docs):
        key = f"d{k:03d}"
        texts[key], spans[key] = text_of(d)
    t0 = time.perf_counter()
    arts = {a.id: a for a in analyse_texts(texts)}
    config = Config()
    total = right = empty = base_right = 0
    for k, d in enumerate(docs):
        key = f"d{k:03d}"
        a = arts.get(key)
        if a is None:
            continue
        index = link_entities([a], config)
        ctx = _build_ctx(a, index)
        chain_of: dict[int, int] = {}
        for c, chain in enumerate(d["clusters"]):
            for first, last in chain:
                for t in range(first, last + 1):
                    chain_of.setdefault(t, c)
        flat = [t for sent in d["sentences"] for t in sent]
        for t, tok in enumerate(flat):
            gender = PRONOUNS.get(tok.lower())
            if gender is None or t not in chain_of:
                continue
            chain = d["clusters"][chain_of[t]]
            before = [(f, l) for f, l in chain if l < t]
            if not before:
                continue
            cs, ce = spans[key][t]
            pos = a.article.clean_offset(cs)
            who = _resolve_pronoun(ctx, pos, gender)
            total += 1
            mention_chars = [(spans[key][f][0], spans[key][l][1]) for f, l in chain]
            if who is None or who.start < 0:
                empty += who is None
                ok = False
            else:
                ws, we = a.article.original(who.start, who.end)
                ok = any(ws < me and ms < we for ms, me in mention_chars)
                if not ok and who.entity:
                    ent = index.get(who.entity)
                    ok = ent is not None and any(sp.start < me and ms < sp.end for sp in ent.mentions for ms, me in mention_chars)
            right += ok
            # baseline: the closest person named before the pronoun
            people = [m for m in a.mentions if m.label == "PER" and m.end <= pos]
            if people:
                m = max(people, key=lambda m: m.end)
                ms_, me_ = a.article.original(m.start, m.end)
                base_right += any(ms_ < me and ms < me_ for ms, me in mention_chars)
    print(f"Democrat ({args.split}): {len(docs)} articles analysed in {time.perf_counter() - t0:.0f} s; "
          f"{total} pronouns il/elle with an antecedent in their chain")
    print(f"  recoupe's pronoun resolution: accuracy {right / max(1, total):.3f} ({right}/{total}); no answer {empty}")
    print(f"  baseline, closest person named before: {base_right / max(1, total):.3f} ({base_right}/{total})")


if __name__ == "__main__":
    main()
