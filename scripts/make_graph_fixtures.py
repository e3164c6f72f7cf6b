#!/usr/bin/env python3
"""Builds the graph (non-chain) ONNX fixtures of ONNXImportTests and CertusCLITests.

Writes into Tests/Fixtures/graph/:
  * small models whose graphs are not single chains: skip connections from the input and from
    hidden layers, Add/Sub of two computed tensors, Concat, Slice, Split, a convolutional residual
    block, LeakyRelu/Clip/Max/Min, MaxPool, and a chain with Dropout (*.onnx);
  * reference-outputs.json: for every model, its input box and onnxruntime outputs (float32) on
    random points of the box;
  * residual_unsat.vnnlib / residual_sat.vnnlib: properties of residual.onnx, one whose unsafe
    set lies above every output the box can reach (twice the sampled range above the sampled
    maximum), one that the box's centre violates.

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


def weights(*shape, scale=1.0):
    return (rng.uniform(-1, 1, size=shape) * scale).astype(np.float32)


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


MODELS = [
    ("residual.onnx", residual, -1.0, 1.0),
    ("skip_concat.onnx", skip_concat, -0.5, 1.5),
    ("split_branches.onnx", split_branches, -2.0, 1.0),
    ("conv_residual.onnx", conv_residual, -1.0, 1.0),
    ("dropout_chain.onnx", dropout_chain, -1.0, 1.0),
    ("piecewise.onnx", piecewise, -1.5, 1.5),
    ("maxpool_cnn.onnx", maxpool_cnn, -1.0, 1.0),
]


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


def main():
    os.makedirs(OUT, exist_ok=True)
    references = {}
    for name, build, low, high in MODELS:
        path = os.path.join(OUT, name)
        onnx.save(build(), path)
        run = session(path)
        shape = [d for d in run.get_inputs()[0].shape]
        points = []
        for _ in range(POINTS_PER_MODEL):
            x = (np.round(rng.uniform(low, high, size=shape) * 256) / 256).astype(np.float32)
            (y,) = run.run(None, {"x": x})
            points.append({"input": [float(v) for v in x.flatten()], "output": [float(v) for v in y.flatten()]})
        references[name] = {"lower": low, "upper": high, "points": points}

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
    with open(os.path.join(OUT, "reference-outputs.json"), "w") as f:
        json.dump(references, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
