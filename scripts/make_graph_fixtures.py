#!/usr/bin/env python3
"""Builds the graph (non-chain) ONNX fixtures of ONNXImportTests and CertusCLITests.

Writes into Tests/Fixtures/graph/:
  * small models whose graphs are not single chains: skip connections from the input and from
    hidden layers, Add/Sub of two computed tensors, Concat, Slice, Split, a convolutional residual
    block, LeakyRelu/Clip/Max/Min, MaxPool, and a chain with Dropout (*.onnx);
  * Pad and AveragePool in a chain, in a graph and in an opset-10 chain (pads as attributes),
    drawn from a generator of their own so that the files above stay as they were;
  * reference-outputs.json: for every model, its input box and onnxruntime outputs (float32) on
    random points of the box;
  * residual_unsat.vnnlib / residual_sat.vnnlib: properties of residual.onnx, one whose unsafe
    set lies above every output the box can reach (twice the sampled range above the sampled
    maximum), one that the box's centre violates;
  * pool_chain_unsat.vnnlib / pool_chain_sat.vnnlib: properties of pool_chain.onnx, one
    beyond an interval bound of its output (computed here), one that the box's centre violates;
  * smooth_chain.onnx (Gemm, Sigmoid, Gemm, Tanh, Gemm) from a third generator, and two
    robustness properties of it: smooth_unsat.vnnlib on a box where interval arithmetic
    (computed here) proves class 0 wins, smooth_sat.vnnlib on a box with a sampled point where
    class 1 wins; smooth_split_unsat.vnnlib asks for Y_0 above the largest interval bound of
    Y_0 over a 12 x 12 x 12 grid of sub-boxes of [-1, 1]^3 (plus 0.01), which bounds over the
    whole box do not reach.
  * sparse_conv.onnx from a fourth generator: two [k, 1] convolutions over a 40 x 20 image
    (5,760 x 800 and 1,360 x 5,760 dense entries, above the size at which Certus stores a
    convolution sparse), Relu, Flatten, Gemm; sparse_conv_unsat.vnnlib beyond an interval
    bound of Y_0 (computed here), sparse_conv_sat.vnnlib reached at the box's centre.
  * smooth_graph.onnx from a fifth generator: two residual blocks with a Tanh layer between
    them and a Sigmoid head; smooth_graph_unsat.vnnlib beyond an interval bound of Y_0
    (computed here), smooth_graph_sat.vnnlib reached at the box's centre; smooth_skip.onnx,
    whose input skips over a Tanh node (x + W·tanh(V·x)), then a ReLU beside a Sigmoid, with
    smooth_skip_unsat.vnnlib and smooth_skip_sat.vnnlib made the same way.

Needs numpy, onnx and onnxruntime; the Swift tests only read the files this script writes.
Run from anywhere:  python3 scripts/make_graph_fixtures.py   (deterministic for given versions)
"""

import json
import os

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "graph")
POINTS_PER_MODEL = 8

rng = np.random.default_rng(2024)
# Pad and AveragePool fixtures draw from their own generator: adding them leaves the older
# fixtures byte for byte as they were.
pool_rng = np.random.default_rng(2026)
smooth_rng = np.random.default_rng(2027)
sparse_rng = np.random.default_rng(2028)
smooth_graph_rng = np.random.default_rng(2029)


def weights(*shape, scale=1.0, generator=None):
    return ((generator or rng).uniform(-1, 1, size=shape) * scale).astype(np.float32)


def pool_weights(*shape):
    return weights(*shape, generator=pool_rng)


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def ints(name, values):
    return numpy_helper.from_array(np.asarray(values, dtype=np.int64), name)


def value_info(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def model(name, nodes, input_shape, output_shape, initializers, opset=13):
    graph = helper.make_graph(nodes, name, [value_info("x", input_shape)], [value_info("y", output_shape)],
                              list(initializers))
    m = helper.make_model(graph, producer_name="certus-fixtures", opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 7
    onnx.checker.check_model(m)
    return m


def residual():
    """x -> relu(Gemm) -> Gemm, added to x (a skip from the input, which may be negative), relu,
    a second block whose skip crosses a ReLU layer from a hidden sum, then Gemm."""
    return model("residual", [
        helper.make_node("Gemm", ["x", "W1", "b1"], ["g1"], transB=1),
        helper.make_node("Relu", ["g1"], ["r1"]),
        helper.make_node("Gemm", ["r1", "W2", "b2"], ["g2"], transB=1),
        helper.make_node("Add", ["x", "g2"], ["s1"]),
        helper.make_node("Relu", ["s1"], ["r2"]),
        helper.make_node("Gemm", ["r2", "W3", "b3"], ["g3"], transB=1),
        helper.make_node("Relu", ["g3"], ["r3"]),
        helper.make_node("Gemm", ["r3", "W4", "b4"], ["g4"], transB=1),
        helper.make_node("Sub", ["g4", "s1"], ["s2"]),
        helper.make_node("Gemm", ["s2", "W5", "b5"], ["y"], transB=1),
    ], [1, 4], [1, 2], [
        init("W1", weights(8, 4)), init("b1", weights(8)), init("W2", weights(4, 8)), init("b2", weights(4)),
        init("W3", weights(6, 4)), init("b3", weights(6)), init("W4", weights(4, 6)), init("b4", weights(4)),
        init("W5", weights(2, 4)), init("b5", weights(2)),
    ])


def skip_concat():
    """Like VNN-COMP 2024's linearizenn: an MLP on the input, a Slice of the input (already read
    by the first Gemm) through its own MatMul, both concatenated and mixed by a last MatMul."""
    return model("skip_concat", [
        helper.make_node("Gemm", ["x", "W1", "b1"], ["g1"], transB=1),
        helper.make_node("Relu", ["g1"], ["r1"]),
        helper.make_node("Gemm", ["r1", "W2", "b2"], ["g2"], transB=1),
        helper.make_node("Relu", ["g2"], ["r2"]),
        helper.make_node("Gemm", ["r2", "W3", "b3"], ["g3"], transB=1),
        helper.make_node("MatMul", ["g3", "M1"], ["controller"]),
        helper.make_node("Slice", ["x", "starts", "ends", "axes", "steps"], ["sliced"]),
        helper.make_node("MatMul", ["sliced", "M2"], ["linear"]),
        helper.make_node("Concat", ["controller", "linear"], ["joined"], axis=1),
        helper.make_node("MatMul", ["joined", "M3"], ["y"]),
    ], [1, 4], [1, 2], [
        init("W1", weights(16, 4)), init("b1", weights(16)), init("W2", weights(8, 16)), init("b2", weights(8)),
        init("W3", weights(2, 8)), init("b3", weights(2)), init("M1", weights(2, 1)), init("M2", weights(2, 1)),
        init("M3", weights(2, 2)),
        ints("starts", [2]), ints("ends", [2**62]), ints("axes", [1]), ints("steps", [1]),
    ])


def split_branches():
    """Split into two halves, one through relu(Gemm), both re-joined with Concat (reversed) and
    a negative-step Slice, then a Div and a Gemm."""
    return model("split_branches", [
        helper.make_node("Split", ["x", "parts"], ["left", "right"], axis=1),
        helper.make_node("Gemm", ["left", "W1", "b1"], ["g1"], transB=1),
        helper.make_node("Relu", ["g1"], ["r1"]),
        helper.make_node("Slice", ["right", "rstarts", "rends", "raxes", "rsteps"], ["reversed"]),
        helper.make_node("Concat", ["reversed", "r1", "right"], ["joined"], axis=1),
        helper.make_node("Div", ["joined", "d"], ["scaled"]),
        helper.make_node("Relu", ["scaled"], ["r2"]),
        helper.make_node("Gemm", ["r2", "W2", "b2"], ["y"], transB=1),
    ], [1, 6], [1, 3], [
        ints("parts", [2, 4]), init("W1", weights(5, 2)), init("b1", weights(5)),
        ints("rstarts", [-1]), ints("rends", [-(2**62)]), ints("raxes", [1]), ints("rsteps", [-1]),
        init("d", np.full([13], 3.0, dtype=np.float32)), init("W2", weights(3, 13)), init("b2", weights(3)),
    ])


def conv_residual():
    """A convolutional residual block: conv, relu, conv (padding keeps the size), plus the
    input, relu, flatten, Gemm."""
    return model("conv_residual", [
        helper.make_node("Conv", ["x", "K1", "c1"], ["k1"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["k1"], ["q1"]),
        helper.make_node("Conv", ["q1", "K2", "c2"], ["k2"], pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["k2", "x"], ["s"]),
        helper.make_node("Relu", ["s"], ["q2"]),
        helper.make_node("Flatten", ["q2"], ["f"]),
        helper.make_node("Gemm", ["f", "W", "b"], ["y"], transB=1),
    ], [1, 2, 4, 4], [1, 3], [
        init("K1", weights(3, 2, 3, 3)), init("c1", weights(3)), init("K2", weights(2, 3, 3, 3)), init("c2", weights(2)),
        init("W", weights(3, 32)), init("b", weights(3)),
    ])


def dropout_chain():
    """A chain with an inference-mode Dropout (the identity)."""
    return model("dropout_chain", [
        helper.make_node("Gemm", ["x", "W1", "b1"], ["g1"], transB=1),
        helper.make_node("Relu", ["g1"], ["r1"]),
        helper.make_node("Dropout", ["r1", "ratio"], ["dropped"]),
        helper.make_node("Gemm", ["dropped", "W2", "b2"], ["y"], transB=1),
    ], [1, 3], [1, 2], [
        init("W1", weights(5, 3)), init("b1", weights(5)), init("ratio", np.asarray(0.5, dtype=np.float32)),
        init("W2", weights(2, 5)), init("b2", weights(2)),
    ])


def piecewise():
    """LeakyRelu, Clip with both bounds and with one, Max with a constant, Min of two tensors."""
    return model("piecewise", [
        helper.make_node("Gemm", ["x", "W1", "b1"], ["g1"], transB=1),
        helper.make_node("LeakyRelu", ["g1"], ["l1"], alpha=0.1),
        helper.make_node("Clip", ["g1", "low", "high"], ["c1"]),
        helper.make_node("Clip", ["l1", "", "high"], ["c2"]),
        helper.make_node("Max", ["c2", "floor"], ["m1"]),
        helper.make_node("Min", ["c1", "m1"], ["m2"]),
        helper.make_node("Concat", ["l1", "m2"], ["joined"], axis=1),
        helper.make_node("Gemm", ["joined", "W2", "b2"], ["y"], transB=1),
    ], [1, 3], [1, 2], [
        init("W1", weights(5, 3)), init("b1", weights(5)), init("low", np.asarray(-0.5, dtype=np.float32)),
        init("high", np.asarray(0.75, dtype=np.float32)), init("floor", weights(5, scale=0.5)),
        init("W2", weights(2, 10)), init("b2", weights(2)),
    ])


def maxpool_cnn():
    """Conv, Relu, MaxPool 2x2 stride 2 with padding, MaxPool 3x3 stride 1 on the input added
    back, Flatten, Gemm."""
    return model("maxpool_cnn", [
        helper.make_node("Conv", ["x", "K", "c"], ["k"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["k"], ["q"]),
        helper.make_node("MaxPool", ["q"], ["p"], kernel_shape=[2, 2], strides=[2, 2], pads=[0, 0, 1, 1]),
        helper.make_node("MaxPool", ["x"], ["px"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
        helper.make_node("Concat", ["p", "px"], ["joined"], axis=1),
        helper.make_node("Flatten", ["joined"], ["f"]),
        helper.make_node("Gemm", ["f", "W", "b"], ["y"], transB=1),
    ], [1, 1, 5, 5], [1, 2], [
        init("K", weights(2, 1, 3, 3)), init("c", weights(2)), init("W", weights(2, 27)), init("b", weights(2)),
    ])


def pool_chain():
    """Conv, Pad (constant 0.25 from an input, pads as an input), AveragePool 3x3 with padding
    not counted (windows of 4, 6 and 9: a divide), Relu, Flatten, Gemm: a chain."""
    return model("pool_chain", [
        helper.make_node("Conv", ["x", "K", "c"], ["k"]),
        helper.make_node("Pad", ["k", "pads", "fill"], ["padded"], mode="constant"),
        helper.make_node("AveragePool", ["padded"], ["p"], kernel_shape=[3, 3], pads=[1, 1, 1, 1], count_include_pad=0),
        helper.make_node("Relu", ["p"], ["q"]),
        helper.make_node("Flatten", ["q"], ["f"]),
        helper.make_node("Gemm", ["f", "W", "b"], ["y"], transB=1),
    ], [1, 1, 5, 5], [1, 3], [
        init("K", pool_weights(2, 1, 3, 3)), init("c", pool_weights(2)), ints("pads", [0, 0, 1, 1, 0, 0, 1, 0]),
        init("fill", np.asarray(0.25, dtype=np.float32)), init("W", pool_weights(3, 40)), init("b", pool_weights(3)),
    ])


def pool_graph():
    """Two branches of the input: reflect Pad then Conv and Relu; AveragePool 2x2 stride 2
    (weights 1/4, exact) then edge Pad. Their sum, Relu, AveragePool 3x3 stride 2 with padding
    not counted (a divide), Flatten, Gemm."""
    return model("pool_graph", [
        helper.make_node("Pad", ["x", "pads"], ["mirrored"], mode="reflect"),
        helper.make_node("Conv", ["mirrored", "K", "c"], ["k"]),
        helper.make_node("Relu", ["k"], ["q1"]),
        helper.make_node("AveragePool", ["x"], ["small"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Pad", ["small", "pads"], ["widened"], mode="edge"),
        helper.make_node("Add", ["q1", "widened"], ["s"]),
        helper.make_node("Relu", ["s"], ["q2"]),
        helper.make_node("AveragePool", ["q2"], ["p"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
        helper.make_node("Flatten", ["p"], ["f"]),
        helper.make_node("Gemm", ["f", "W", "b"], ["y"], transB=1),
    ], [1, 2, 4, 4], [1, 2], [
        ints("pads", [0, 0, 1, 1, 0, 0, 1, 1]), init("K", pool_weights(2, 2, 3, 3)), init("c", pool_weights(2)),
        init("W", pool_weights(2, 8)), init("b", pool_weights(2)),
    ])


def pad_opset10():
    """Opset 10: Pad with pads and value as attributes, AveragePool 3x3 stride 2 counting the
    padding (a divide by 9), Relu, Flatten, Gemm."""
    return model("pad_opset10", [
        helper.make_node("Pad", ["x"], ["padded"], pads=[0, 0, 1, 0, 0, 0, 0, 1], value=-0.5),
        helper.make_node("AveragePool", ["padded"], ["p"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
                         count_include_pad=1),
        helper.make_node("Relu", ["p"], ["q"]),
        helper.make_node("Flatten", ["q"], ["f"]),
        helper.make_node("Gemm", ["f", "W", "b"], ["y"], transB=1),
    ], [1, 1, 4, 4], [1, 2], [init("W", pool_weights(2, 9)), init("b", pool_weights(2))], opset=10)


def smooth_chain():
    """Gemm, Sigmoid, Gemm, Tanh, Gemm: a chain with both smooth activations."""
    w = lambda *shape: weights(*shape, scale=2.0, generator=smooth_rng)
    return model("smooth_chain", [
        helper.make_node("Gemm", ["x", "W1", "b1"], ["g1"], transB=1),
        helper.make_node("Sigmoid", ["g1"], ["s1"]),
        helper.make_node("Gemm", ["s1", "W2", "b2"], ["g2"], transB=1),
        helper.make_node("Tanh", ["g2"], ["t2"]),
        helper.make_node("Gemm", ["t2", "W3", "b3"], ["y"], transB=1),
    ], [1, 3], [1, 2], [
        init("W1", w(6, 3)), init("b1", w(6)), init("W2", w(5, 6)), init("b2", w(5)), init("W3", w(2, 5)), init("b3", w(2)),
    ])


MODELS = [
    ("residual.onnx", residual, -1.0, 1.0),
    ("skip_concat.onnx", skip_concat, -0.5, 1.5),
    ("split_branches.onnx", split_branches, -2.0, 1.0),
    ("conv_residual.onnx", conv_residual, -1.0, 1.0),
    ("dropout_chain.onnx", dropout_chain, -1.0, 1.0),
    ("piecewise.onnx", piecewise, -1.5, 1.5),
    ("maxpool_cnn.onnx", maxpool_cnn, -1.0, 1.0),
]

POOL_MODELS = [
    ("pool_chain.onnx", pool_chain, -1.0, 1.0),
    ("pool_graph.onnx", pool_graph, -1.0, 1.0),
    ("pad_opset10.onnx", pad_opset10, -1.0, 1.0),
]


def sparse_conv():
    """Conv 8x1x5x1, Relu, Conv 2x8x3x1, Relu, Flatten, Gemm: a chain whose convolutions are
    large enough (4.6 and 7.8 million dense entries) to be stored sparse."""
    return model("sparse_conv", [
        helper.make_node("Conv", ["x", "K1", "c1"], ["k1"]),
        helper.make_node("Relu", ["k1"], ["r1"]),
        helper.make_node("Conv", ["r1", "K2", "c2"], ["k2"]),
        helper.make_node("Relu", ["k2"], ["r2"]),
        helper.make_node("Flatten", ["r2"], ["f"]),
        helper.make_node("Gemm", ["f", "W", "b"], ["y"], transB=1),
    ], [1, 1, 40, 20], [1, 2], [
        init("K1", weights(8, 1, 5, 1, generator=sparse_rng)), init("c1", weights(8, generator=sparse_rng)),
        init("K2", weights(2, 8, 3, 1, scale=0.5, generator=sparse_rng)), init("c2", weights(2, generator=sparse_rng)),
        init("W", weights(2, 1360, scale=0.05, generator=sparse_rng)), init("b", weights(2, generator=sparse_rng)),
    ])


def sparse_conv_properties():
    """sparse_conv_unsat.vnnlib asks for Y_0 above a float64 interval bound of it on [-1, 1]^800
    plus 0.01 (unsat by construction); sparse_conv_sat.vnnlib for Y_0 at most its value at the
    box's centre plus 0.05 (sat)."""
    name = "sparse_conv.onnx"
    m = onnx.load(os.path.join(OUT, name))
    p = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in m.graph.initializer}

    def conv(lo, hi, kernel, bias):
        out_channels, in_channels, k, _ = kernel.shape
        rows = lo.shape[1] - k + 1
        new_lo = np.zeros((out_channels, rows, lo.shape[2])) + bias[:, None, None]
        new_hi = new_lo.copy()
        for o in range(out_channels):
            for c in range(in_channels):
                for t in range(k):
                    w = kernel[o, c, t, 0]
                    a, b = w * lo[c, t:t + rows, :], w * hi[c, t:t + rows, :]
                    new_lo[o] += np.minimum(a, b)
                    new_hi[o] += np.maximum(a, b)
        return new_lo, new_hi

    lo, hi = -np.ones((1, 40, 20)), np.ones((1, 40, 20))
    lo, hi = conv(lo, hi, p["K1"], p["c1"])
    lo, hi = np.maximum(lo, 0), np.maximum(hi, 0)
    lo, hi = conv(lo, hi, p["K2"], p["c2"])
    lo, hi = np.maximum(lo, 0).flatten(), np.maximum(hi, 0).flatten()
    w, b = p["W"][0], p["b"][0]
    bound = float(b + np.where(w > 0, w * hi, w * lo).sum())
    write_bound_and_centre_properties(name, "interval arithmetic", bound, [1, 1, 40, 20], 2)


def smooth_graph():
    """x -> relu(Gemm) -> Gemm, added to x (a residual block, the input crossing a ReLU), Gemm,
    Tanh (nothing skips over it), a second residual block around a ReLU on the tanh's output,
    then a small Gemm and a Sigmoid head."""
    w = lambda *shape, scale=1.0: weights(*shape, scale=scale, generator=smooth_graph_rng)
    return model("smooth_graph", [
        helper.make_node("Gemm", ["x", "W1", "b1"], ["g1"], transB=1),
        helper.make_node("Relu", ["g1"], ["r1"]),
        helper.make_node("Gemm", ["r1", "W2", "b2"], ["g2"], transB=1),
        helper.make_node("Add", ["x", "g2"], ["s1"]),
        helper.make_node("Gemm", ["s1", "W3", "b3"], ["g3"], transB=1),
        helper.make_node("Tanh", ["g3"], ["t3"]),
        helper.make_node("Gemm", ["t3", "W4", "b4"], ["g4"], transB=1),
        helper.make_node("Relu", ["g4"], ["r4"]),
        helper.make_node("Gemm", ["r4", "W5", "b5"], ["g5"], transB=1),
        helper.make_node("Add", ["t3", "g5"], ["s2"]),
        helper.make_node("Gemm", ["s2", "W6", "b6"], ["g6"], transB=1),
        helper.make_node("Sigmoid", ["g6"], ["y"]),
    ], [1, 4], [1, 2], [
        init("W1", w(8, 4)), init("b1", w(8)), init("W2", w(4, 8)), init("b2", w(4)),
        init("W3", w(6, 4)), init("b3", w(6)), init("W4", w(6, 6)), init("b4", w(6)),
        init("W5", w(6, 6)), init("b5", w(6)), init("W6", w(2, 6, scale=0.3)), init("b6", w(2, scale=0.3)),
    ])


def smooth_skip():
    """x + W2·tanh(W1·x + b1) + b2 (the input skips over the Tanh node), then a ReLU of it
    beside a Sigmoid of it at the same depth, summed after a Gemm each."""
    w = lambda *shape: weights(*shape, generator=smooth_graph_rng)
    return model("smooth_skip", [
        helper.make_node("Gemm", ["x", "W1", "b1"], ["g1"], transB=1),
        helper.make_node("Tanh", ["g1"], ["t1"]),
        helper.make_node("Gemm", ["t1", "W2", "b2"], ["g2"], transB=1),
        helper.make_node("Add", ["x", "g2"], ["s"]),
        helper.make_node("Relu", ["s"], ["r"]),
        helper.make_node("Sigmoid", ["s"], ["q"]),
        helper.make_node("Gemm", ["r", "W3", "b3"], ["g3"], transB=1),
        helper.make_node("Gemm", ["q", "W4", "b4"], ["g4"], transB=1),
        helper.make_node("Add", ["g3", "g4"], ["y"]),
    ], [1, 3], [1, 2], [init("W1", w(4, 3)), init("b1", w(4)), init("W2", w(3, 4)), init("b2", w(3)),
                        init("W3", w(2, 3)), init("b3", w(2)), init("W4", w(2, 3)), init("b4", w(2))])


def smooth_split_property():
    """smooth_split_unsat.vnnlib for smooth_chain.onnx: see the module's docstring."""
    m = onnx.load(os.path.join(OUT, "smooth_chain.onnx"))
    p = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in m.graph.initializer}
    gemm = {k: interval_gemm(p, k) for k in range(1, 4)}
    steps = np.linspace(-1, 1, 13)
    bound = -np.inf
    for a in range(12):
        for b in range(12):
            for c in range(12):
                lo = np.array([steps[a], steps[b], steps[c]])
                hi = np.array([steps[a + 1], steps[b + 1], steps[c + 1]])
                lo, hi = gemm[1](lo, hi)
                lo, hi = gemm[2](1 / (1 + np.exp(-lo)), 1 / (1 + np.exp(-hi)))
                _, hi = gemm[3](np.tanh(lo), np.tanh(hi))
                bound = max(bound, float(hi[0]))
    threshold = round(bound + 0.01, 3)
    with open(os.path.join(OUT, "smooth_split_unsat.vnnlib"), "w") as f:
        f.write(f"; smooth_chain.onnx: interval arithmetic on 1728 sub-boxes bounds Y_0 by {bound:.4f} on the box\n")
        f.write(property_text(-1.0, 1.0, 3, 2, f"(assert (>= Y_0 {threshold!r}))"))


def interval_gemm(parameters, k):
    """Float64 interval image of the Gemm with weights W{k} and bias b{k} of `parameters`."""
    w, b = parameters[f"W{k}"], parameters[f"b{k}"]

    def image(lo, hi):
        centre, radius = (lo + hi) / 2, (hi - lo) / 2
        mid, rad = w @ centre + b, np.abs(w) @ radius
        return mid - rad, mid + rad
    return image


def smooth_graph_properties():
    """Properties of smooth_graph.onnx on [-1, 1]^4: float64 interval arithmetic through the
    graph (each sum of intervals loses the correlation of its operands, which only widens the
    bound) gives an upper bound of Y_0; see `write_bound_and_centre_properties`."""
    name = "smooth_graph.onnx"
    p = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in onnx.load(os.path.join(OUT, name)).graph.initializer}
    gemm = {k: interval_gemm(p, k) for k in range(1, 7)}

    def relu(lo, hi):
        return np.maximum(lo, 0), np.maximum(hi, 0)

    x = (-np.ones(4), np.ones(4))
    g2 = gemm[2](*relu(*gemm[1](*x)))
    s1 = (x[0] + g2[0], x[1] + g2[1])
    lo, hi = gemm[3](*s1)
    t3 = (np.tanh(lo), np.tanh(hi))
    g5 = gemm[5](*relu(*gemm[4](*t3)))
    s2 = (t3[0] + g5[0], t3[1] + g5[1])
    _, hi = gemm[6](*s2)
    bound = float(1 / (1 + np.exp(-hi[0])))
    assert bound + 0.01 < 0.99, "the head saturates: the unsat property would follow from the sigmoid's range alone"
    write_bound_and_centre_properties(name, "interval arithmetic", bound, [1, 4], 2)


def smooth_skip_properties():
    """Properties of smooth_skip.onnx on [-1, 1]^3 from a float64 interval bound of Y_0, as for
    smooth_graph.onnx."""
    name = "smooth_skip.onnx"
    p = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in onnx.load(os.path.join(OUT, name)).graph.initializer}
    gemm = {k: interval_gemm(p, k) for k in range(1, 5)}

    x = (-np.ones(3), np.ones(3))
    lo, hi = gemm[1](*x)
    g2 = gemm[2](np.tanh(lo), np.tanh(hi))
    s = (x[0] + g2[0], x[1] + g2[1])
    g3 = gemm[3](np.maximum(s[0], 0), np.maximum(s[1], 0))
    g4 = gemm[4](1 / (1 + np.exp(-s[0])), 1 / (1 + np.exp(-s[1])))
    bound = float(g3[1][0] + g4[1][0])
    write_bound_and_centre_properties(name, "interval arithmetic", bound, [1, 3], 2)


def session(path):
    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    return onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def property_text(low, high, count, outputs, constraint):
    lines = [f"(declare-const X_{i} Real)" for i in range(count)]
    lines += [f"(declare-const Y_{j} Real)" for j in range(outputs)]
    for i in range(count):
        lines.append(f"(assert (>= X_{i} {low!r}))")
        lines.append(f"(assert (<= X_{i} {high!r}))")
    lines.append(constraint)
    return "\n".join(lines) + "\n"


def write_models(models, generator, references):
    """Saves each model and records onnxruntime's outputs on random points of its box."""
    for name, build, low, high in models:
        path = os.path.join(OUT, name)
        onnx.save(build(), path)
        run = session(path)
        shape = [d for d in run.get_inputs()[0].shape]
        points = []
        for _ in range(POINTS_PER_MODEL):
            x = (np.round(generator.uniform(low, high, size=shape) * 256) / 256).astype(np.float32)
            (y,) = run.run(None, {"x": x})
            points.append({"input": [float(v) for v in x.flatten()], "output": [float(v) for v in y.flatten()]})
        references[name] = {"lower": low, "upper": high, "points": points}


def pool_chain_properties():
    """Two properties of pool_chain.onnx on the box [-1, 1]^25 whose answers are known by
    construction. Up to its ReLU the network is affine, p = A·x + c (read off onnxruntime at 0
    and at the unit vectors), so p lies in [c − |A|·1, c + |A|·1] and Y_0 = W_0·relu(p) + b_0 is
    at most the interval bound below; the unsat property asks for Y_0 above that bound plus
    0.01 (far beyond float32 rounding). The sat property asks for Y_0 at most its value at the
    box's centre plus 0.05."""
    name = "pool_chain.onnx"
    full = onnx.load(os.path.join(OUT, name))
    truncated = onnx.load(os.path.join(OUT, name))
    keep = [node for node in truncated.graph.node if node.op_type not in ("Relu", "Flatten", "Gemm")]
    del truncated.graph.node[:]
    truncated.graph.node.extend(keep)
    used = [t for t in truncated.graph.initializer if t.name not in ("W", "b")]
    del truncated.graph.initializer[:]
    truncated.graph.initializer.extend(used)
    del truncated.graph.output[:]
    truncated.graph.output.append(helper.make_tensor_value_info("p", TensorProto.FLOAT, None))
    prefix = onnxruntime.InferenceSession(truncated.SerializeToString(), providers=["CPUExecutionProvider"])

    def affine_part(x):
        return prefix.run(None, {"x": x.astype(np.float32).reshape(1, 1, 5, 5)})[0].astype(np.float64).flatten()

    c = affine_part(np.zeros(25))
    a = np.stack([affine_part(np.eye(25)[k]) - c for k in range(25)], axis=1)
    radius = np.abs(a).sum(axis=1)
    high = np.maximum(c + radius, 0)
    low = np.maximum(c - radius, 0)
    initial = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in full.graph.initializer}
    w, b = initial["W"][0], initial["b"][0]
    bound = float(b + np.where(w > 0, w * high, w * low).sum())
    write_bound_and_centre_properties(name, "interval arithmetic on its affine part", bound, [1, 1, 5, 5], 3)


def write_bound_and_centre_properties(name, how, bound, input_shape, outputs):
    """NAME_unsat.vnnlib asks for Y_0 at least `bound` (a sound upper bound of Y_0 on [-1, 1]^n,
    found by `how`) plus 0.01; NAME_sat.vnnlib for Y_0 at most its value at the box's centre
    plus 0.05."""
    stem, count = name[:-len(".onnx")], int(np.prod(input_shape))
    threshold = round(bound + 0.01, 3)
    with open(os.path.join(OUT, f"{stem}_unsat.vnnlib"), "w") as f:
        f.write(f"; {name}: {how} bounds Y_0 by {bound:.4f} on the box\n")
        f.write(property_text(-1.0, 1.0, count, outputs, f"(assert (>= Y_0 {threshold!r}))"))
    run = session(os.path.join(OUT, name))
    centre = float(run.run(None, {"x": np.zeros(input_shape, dtype=np.float32)})[0].flatten()[0])
    with open(os.path.join(OUT, f"{stem}_sat.vnnlib"), "w") as f:
        f.write(f"; {name}: Y_0 at the centre is {centre:.6f}, so Y_0 <= {round(centre + 0.05, 3)} is reachable\n")
        f.write(property_text(-1.0, 1.0, count, outputs, f"(assert (<= Y_0 {round(centre + 0.05, 3)!r}))"))


def smooth_properties():
    """Robustness properties of smooth_chain.onnx: the input centre x0 is the sampled point of
    [-1, 1]^3 where Y_0 − Y_1 is largest. smooth_unsat.vnnlib asks for Y_1 >= Y_0 on the box
    x0 ± eps with the largest eps (halving from 0.5) where float64 interval arithmetic, with a
    margin of 0.01 for its rounding, shows Y_0 − Y_1 > 0: unsat by construction.
    smooth_sat.vnnlib asks the same on [-1, 1]^3, where a sampled point has Y_1 > Y_0 + 0.01."""
    path = os.path.join(OUT, "smooth_chain.onnx")
    m = onnx.load(path)
    p = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in m.graph.initializer}
    run = session(path)

    def margin_interval(low, high):
        lo, hi = interval_gemm(p, 1)(low, high)
        lo, hi = 1 / (1 + np.exp(-lo)), 1 / (1 + np.exp(-hi))
        lo, hi = interval_gemm(p, 2)(lo, hi)
        lo, hi = np.tanh(lo), np.tanh(hi)
        d, db = p["W3"][0] - p["W3"][1], p["b3"][0] - p["b3"][1]
        return float(db + np.where(d > 0, d * lo, d * hi).sum())

    samples = smooth_rng.uniform(-1, 1, size=(4000, 1, 3)).astype(np.float32)
    outputs = np.array([run.run(None, {"x": s})[0][0] for s in samples])
    differences = outputs[:, 0] - outputs[:, 1]
    x0 = np.round(samples[int(np.argmax(differences))][0].astype(np.float64) * 64) / 64
    eps = 0.5
    while margin_interval(x0 - eps, x0 + eps) <= 0.01:
        eps /= 2
    robust = "(assert (>= Y_1 Y_0))"
    with open(os.path.join(OUT, "smooth_unsat.vnnlib"), "w") as f:
        f.write(f"; smooth_chain.onnx: interval arithmetic shows Y_0 - Y_1 >= {margin_interval(x0 - eps, x0 + eps):.4f} on this box\n")
        lines = [f"(declare-const X_{i} Real)" for i in range(3)] + [f"(declare-const Y_{j} Real)" for j in range(2)]
        for i in range(3):
            lines.append(f"(assert (>= X_{i} {float(x0[i] - eps)!r}))")
            lines.append(f"(assert (<= X_{i} {float(x0[i] + eps)!r}))")
        f.write("\n".join(lines + [robust]) + "\n")
    flipped = float(-differences.min())
    assert flipped > 0.01, "no sampled point of the box has class 1 winning"
    with open(os.path.join(OUT, "smooth_sat.vnnlib"), "w") as f:
        f.write(f"; smooth_chain.onnx: a sampled point of the box has Y_1 - Y_0 = {flipped:.4f}\n")
        f.write(property_text(-1.0, 1.0, 3, 2, robust))


def main():
    os.makedirs(OUT, exist_ok=True)
    references = {}
    write_models(MODELS, rng, references)

    # Properties of residual.onnx on its box.
    run = session(os.path.join(OUT, "residual.onnx"))
    samples = rng.uniform(-1, 1, size=(20000, 1, 4)).astype(np.float32)
    values = np.array([run.run(None, {"x": s})[0][0, 0] for s in samples])
    top, spread = float(values.max()), float(values.max() - values.min())
    bound = round(top + 0.5 * spread, 3)
    with open(os.path.join(OUT, "residual_unsat.vnnlib"), "w") as f:
        f.write(f"; residual.onnx: Y_0 never reaches {bound} on the box (sampled maximum {top:.4f})\n")
        f.write(property_text(-1.0, 1.0, 4, 2, f"(assert (>= Y_0 {bound!r}))"))
    centre = float(run.run(None, {"x": np.zeros([1, 4], dtype=np.float32)})[0][0, 0])
    with open(os.path.join(OUT, "residual_sat.vnnlib"), "w") as f:
        f.write(f"; residual.onnx: Y_0 at the centre is {centre:.6f}, so Y_0 <= {round(centre + 0.05, 3)} is reachable\n")
        f.write(property_text(-1.0, 1.0, 4, 2, f"(assert (<= Y_0 {round(centre + 0.05, 3)!r}))"))

    write_models(POOL_MODELS, pool_rng, references)
    pool_chain_properties()
    write_models([("smooth_chain.onnx", smooth_chain, -1.0, 1.0)], smooth_rng, references)
    smooth_properties()
    smooth_split_property()
    write_models([("sparse_conv.onnx", sparse_conv, -1.0, 1.0)], sparse_rng, references)
    sparse_conv_properties()
    write_models([("smooth_graph.onnx", smooth_graph, -1.0, 1.0)], smooth_graph_rng, references)
    smooth_graph_properties()
    write_models([("smooth_skip.onnx", smooth_skip, -1.0, 1.0)], smooth_graph_rng, references)
    smooth_skip_properties()
    with open(os.path.join(OUT, "reference-outputs.json"), "w") as f:
        json.dump(references, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
