#!/usr/bin/env python3
"""Generates the tiny network used by the command-line tests of hostile properties.

Writes Tests/Fixtures/cli/relu_sum_diff.onnx: y0 = relu(x0 + x1), y1 = relu(x0 - x1), with
weights 1 and -1 only, so that float32, float64 and exact real evaluation agree on dyadic
inputs (0.25 + 0.25 is exactly 0.5 in all three); and Tests/Fixtures/cli/wide_1000.onnx,
y = relu(W x) with 1000 inputs and 2 outputs (W: first row all 1, second row all -1), for
properties whose normal form is large. Deterministic; Certus does not need Python.
"""
import os
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def save(name, w):
    """Saves y = relu(w x) (no bias) as Tests/Fixtures/cli/<name>.onnx."""
    w = np.asarray(w, dtype=np.float32)
    b = np.zeros(w.shape[0], dtype=np.float32)
    graph = helper.make_graph(
        [helper.make_node("Gemm", ["x", "W", "B"], ["h"], transB=1, name="gemm"),
         helper.make_node("Relu", ["h"], ["y"], name="relu")],
        name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, w.shape[1]])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, w.shape[0]])],
        [numpy_helper.from_array(w, "W"), numpy_helper.from_array(b, "B")])
    model = helper.make_model(graph, producer_name="certus-tests", opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    path = os.path.join(ROOT, "Tests", "Fixtures", "cli", name + ".onnx")
    onnx.save(model, path)
    print("wrote", path)


def main():
    save("relu_sum_diff", [[1, 1], [1, -1]])
    save("wide_1000", np.stack([np.ones(1000), -np.ones(1000)]))


if __name__ == "__main__":
    main()
