#!/usr/bin/env python3
"""Generates the networks and queries of the VNN-LIB 2.0 command-line tests.

Writes into Tests/Fixtures/query/, every weight a small dyadic number so that float32, float64
and exact real evaluation agree:
  small.onnx         y = relu(x0 + x1) - relu(x0 - x1) + 0.5 relu(x1 - 0.25)
                     (its first Gemm is the node "layer1", output tensor "h")
  small_pruned.onnx  the same with the third hidden neuron's weight pruned to 0: differs from
                     small wherever x1 > 0.25
  monotone.onnx      y = relu(x0 + x1) + 2 relu(x0) - x1, increasing in x0
  non_monotone.onnx  y = relu(x0) - 2 relu(x0 - 0.5), falling for x0 > 0.5
  equivalence.vnnlib, monotonicity.vnnlib, hidden_reached.vnnlib, hidden_beyond.vnnlib
                     the queries run on them.
Deterministic; Certus does not need Python.
"""
import os
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "query")


def save(name, w1, b1, w2):
    """y = w2 relu(w1 x + b1) as OUT/<name>.onnx, input [1, 2], output [1, 1]."""
    w1, b1, w2 = (np.asarray(a, dtype=np.float32) for a in (w1, b1, w2))
    graph = helper.make_graph(
        [helper.make_node("Gemm", ["x", "W1", "B1"], ["h"], transB=1, name="layer1"),
         helper.make_node("Relu", ["h"], ["r"], name="relu1"),
         helper.make_node("Gemm", ["r", "W2", "B2"], ["y"], transB=1, name="layer2")],
        name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, w1.shape[1]])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, w2.shape[0]])],
        [numpy_helper.from_array(w1, "W1"), numpy_helper.from_array(b1, "B1"),
         numpy_helper.from_array(w2, "W2"), numpy_helper.from_array(np.zeros(w2.shape[0], np.float32), "B2")])
    model = helper.make_model(graph, producer_name="certus-tests", opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, name + ".onnx"))


QUERIES = {
    # Some input where the two outputs differ by more than 0.01: unsat exactly when g = f.
    "equivalence": """(vnnlib-version <2.0>)
(declare-network f (declare-input X Real [2]) (declare-output Y Real [1]))
(declare-network g (isomorphic-to f) (declare-input Z Real [2]) (declare-output W Real [1]))
(assert (and (== X[0] Z[0]) (== X[1] Z[1])))
(assert (and (>= X[0] -1) (<= X[0] 1) (>= X[1] 0) (<= X[1] 1)))
(assert (or (> (- Y[0] W[0]) 0.01) (< (- Y[0] W[0]) -0.01)))
""",
    # f(x) > f(u) with x0 <= u0 and x1 = u1: unsat exactly when f is increasing in x0.
    "monotonicity": """(vnnlib-version <2.0>)
(declare-network f (declare-input X Real [2]) (declare-output Y Real []))
(declare-network f2 (equal-to f) (declare-input U Real [2]) (declare-output V Real []))
(assert (and (>= X[0] -1) (<= X[0] 1) (>= U[0] -1) (<= U[0] 1) (>= X[1] 0) (<= X[1] 1)))
(assert (<= X[0] U[0]))
(assert (== X[1] U[1]))
(assert (> Y V))
""",
    # The first layer's third pre-activation, x1 - 0.25, reaches 0.75 on the unit box and no more.
    "hidden_reached": """(vnnlib-version <2.0>)
(declare-network f (declare-input X Real [2]) (declare-hidden H Real [1,3] "layer1") (declare-output Y Real [1,1]))
(assert (and (>= X[0] 0) (<= X[0] 1) (>= X[1] 0) (<= X[1] 1)))
(assert (>= H[0,2] 0.75))
""",
}
QUERIES["hidden_beyond"] = QUERIES["hidden_reached"].replace("0.75", "0.7500001")


def main():
    os.makedirs(OUT, exist_ok=True)
    save("small", [[1, 1], [1, -1], [0, 1]], [0, 0, -0.25], [[1, -1, 0.5]])
    save("small_pruned", [[1, 1], [1, -1], [0, 0]], [0, 0, -0.25], [[1, -1, 0.5]])
    save("monotone", [[1, 1], [1, 0], [0, 1]], [0, 0, 0], [[1, 2, -1]])
    save("non_monotone", [[1, 0], [1, 0]], [0, -0.5], [[1, -2]])
    for name, text in QUERIES.items():
        with open(os.path.join(OUT, name + ".vnnlib"), "w") as f:
            f.write(text)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
