"""Tools for the people who label real articles (docs/annotation-*.md). Self-contained on purpose:
annotators run it without reading recoupe's code or outputs, and it imports nothing of recoupe.

Offsets are character offsets into the article file read as Python reads it by default:
UTF-8 without its BOM, line ends normalised to "\\n" (``open(path, encoding="utf-8-sig").read()``).

    python scripts/annotate.py show T01_C1_03            # the text, each line prefixed by its offset
    python scripts/annotate.py find T01_C1_03 "15 otages" [--all]
    python scripts/annotate.py marks T01_C1              # every span between quote marks, with offsets
    python scripts/annotate.py check FILE.yaml           # every span's text equals the article's
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

RPM2 = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "rpm2" / "documents"
OPEN_CLOSE = {"«": "»", "“": "”", '"': '"', "„": "“"}


def article_path(article: str, root: Path = RPM2) -> Path:
    return root / f"{article}.txt"


def read_article(article: str, root: Path = RPM2) -> str:
    with open(article_path(article, root), encoding="utf-8-sig") as f:
        return f.read()


def articles_of(name: str, root: Path = RPM2) -> list[str]:
    """One article id, or every article of a cluster ("T01_C1")."""
    if article_path(name, root).exists():
        return [name]
    return sorted(p.stem for p in root.glob(f"{name}_*.txt"))


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans between matching quote marks, inside one paragraph (the text without the marks)."""
    out = []
    for para in re.finditer(r"[^\n]+", text):
        s, body = para.start(), para.group()
        i = 0
        while i < len(body):
            c = body[i]
            close = OPEN_CLOSE.get(c)
            if close is None:
                i += 1
                continue
            j = body.find(close, i + 1)
            if j < 0:  # unclosed in this paragraph: to the paragraph's end
                j = len(body)
            a, b = i + 1, j
            while a < b and body[a] in " \u00a0\u202f":
                a += 1
            while b > a and body[b - 1] in " \u00a0\u202f":
                b -= 1
            if b > a:
                out.append((s + a, s + b))
            i = j + 1
    return out


def cmd_show(args) -> None:
    for art in articles_of(args.article):
        text = read_article(art)
        print(f"=== {art} ({len(text)} characters)")
        pos = 0
        for line in text.split("\n"):
            print(f"[{pos:6d}] {line}")
            pos += len(line) + 1


def cmd_find(args) -> None:
    text = read_article(args.article)
    hits = [m.start() for m in re.finditer(re.escape(args.text), text)]
    if not hits:
        sys.exit(f"not found in {args.article}: {args.text!r}")
    for h in hits if args.all else hits[:1]:
        print(f"{args.article} start: {h} end: {h + len(args.text)}")
    if len(hits) > 1 and not args.all:
        print(f"({len(hits)} occurrences; --all lists them)")


def cmd_marks(args) -> None:
    for art in articles_of(args.article):
        text = read_article(art)
        for s, e in quote_spans(text):
            print(f"{art}\t{s}\t{e}\t{text[s:e]}")


def _spans(node, where="") -> list[tuple[str, dict]]:
    """Every mapping that has article/start/end, wherever it sits in the file."""
    out = []
    if isinstance(node, dict):
        if {"article", "start", "end"} <= node.keys():
            out.append((where, node))
        for k, v in node.items():
            out += _spans(v, f"{where}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _spans(v, f"{where}[{i}]")
    return out


def cmd_check(args) -> None:
    data = yaml.safe_load(Path(args.file).read_text(encoding="utf-8"))
    bad = 0
    cache: dict[str, str] = {}
    spans = _spans(data)
    for where, s in spans:
        art = s["article"]
        if art not in cache:
            try:
                cache[art] = read_article(art)
            except OSError:
                print(f"{args.file}: {where}: no article {art}")
                bad += 1
                continue
        text = cache[art]
        got = text[s["start"]:s["end"]]
        if "text" in s and got != s["text"]:
            print(f"{args.file}: {where}: {art} {s['start']}-{s['end']} is {got!r}, not {s['text']!r}")
            bad += 1
        elif not 0 <= s["start"] < s["end"] <= len(text):
            print(f"{args.file}: {where}: {art} {s['start']}-{s['end']} out of range")
            bad += 1
    print(f"{len(spans)} spans, {bad} wrong")
    sys.exit(1 if bad else 0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("show")
    p.add_argument("article")
    p.set_defaults(func=cmd_show)
    p = sub.add_parser("find")
    p.add_argument("article")
    p.add_argument("text")
    p.add_argument("--all", action="store_true")
    p.set_defaults(func=cmd_find)
    p = sub.add_parser("marks")
    p.add_argument("article")
    p.set_defaults(func=cmd_marks)
    p = sub.add_parser("check")
    p.add_argument("file")
    p.set_defaults(func=cmd_check)
    args = ap.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
