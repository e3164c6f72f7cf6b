#!/usr/bin/env python3
"""Generates the networks of the ReLU-split certificate tests (Tests/CertifyTests).

Writes Tests/Fixtures/certify/relu_split_20.onnx: 20 inputs (more than Certus's input-split
limit of 16, so branch and bound splits ReLUs), of which x0..x3 matter:
    a = x0 + x1, b = x0 - x1, c = x2 + x3, d = x2 - x3          (layer 0, then ReLU)
    p = relu(a) + relu(b) - 1, q = relu(c) + relu(d) - 1        (layer 2, then ReLU)
    y = relu(p) + relu(q)                                       (layer 4)
Over [0, 1]^20, relu(a) + relu(b) is 2*x0 when x0 >= x1 and x0 + x1 otherwise, at most 2, so
p, q <= 1 and y <= 2,
while the root's linear relaxation allows y up to about 3: proving y < 2.05 needs ReLU splits.
And relu_split_20_changed.onnx, the same with the output weight on relu(p) 1.125 instead of 1
(then y reaches 2.125, so the property no longer holds). And relu_hint_20.onnx (see
save_hinted), whose proof needs the root's optimised intermediate bounds. Weights are small dyadic numbers, exact
in float32. Deterministic; Certus does not need Python.
"""
import os
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INPUTS = 20


def save(name, output_weight):
    w0 = np.zeros((4, INPUTS), dtype=np.float32)
    w0[0, 0], w0[0, 1] = 1, 1
    w0[1, 0], w0[1, 1] = 1, -1
    w0[2, 2], w0[2, 3] = 1, 1
    w0[3, 2], w0[3, 3] = 1, -1
    w2 = np.array([[1, 1, 0, 0], [0, 0, 1, 1]], dtype=np.float32)
    w4 = np.array([[output_weight, 1]], dtype=np.float32)
    write(name, w0, np.zeros(4, dtype=np.float32), w2, np.full(2, -1, dtype=np.float32), w4)


def save_hinted():
    """relu_hint_20.onnx: a network whose proof needs the root's optimised intermediate bounds.

        a = x0 + x1, c = x0 + 1, b = x0 - x1                     (layer 0, then ReLU)
        p = relu(a) - relu(c) + 2*relu(b) - 0.5 = x1 - 1.5 + 2*relu(x0 - x1),  m = -p   (layer 2)
        y = 0.5*relu(p) + 0.5*relu(m) = |p| / 2                  (layer 4)

    p lies in [-1.5, 0.5], so y <= 0.75. CROWN's adaptive slope 1 at b gives p >= -2.5, and with
    that the relaxation of relu(p) and relu(m) allows y up to about 0.92; a slope of at most 1/2
    (what α-CROWN finds) gives p >= -1.5 and proves y < 0.8 at the root.
    """
    w0 = np.zeros((3, INPUTS), dtype=np.float32)
    w0[0, 0], w0[0, 1] = 1, 1
    w0[1, 0] = 1
    w0[2, 0], w0[2, 1] = 1, -1
    b0 = np.array([0, 1, 0], dtype=np.float32)
    w2 = np.array([[1, -1, 2], [-1, 1, -2]], dtype=np.float32)
    b2 = np.array([-0.5, 0.5], dtype=np.float32)
    w4 = np.array([[0.5, 0.5]], dtype=np.float32)
    write("relu_hint_20", w0, b0, w2, b2, w4)


def write(name, w0, b0, w2, b2, w4):
    tensors = [numpy_helper.from_array(w0, "W0"), numpy_helper.from_array(b0, "B0"),
               numpy_helper.from_array(w2, "W2"), numpy_helper.from_array(b2, "B2"),
               numpy_helper.from_array(w4, "W4"), numpy_helper.from_array(np.zeros(1, dtype=np.float32), "B4")]
    nodes = [helper.make_node("Gemm", ["x", "W0", "B0"], ["h0"], transB=1, name="gemm0"),
             helper.make_node("Relu", ["h0"], ["r0"], name="relu0"),
             helper.make_node("Gemm", ["r0", "W2", "B2"], ["h2"], transB=1, name="gemm2"),
             helper.make_node("Relu", ["h2"], ["r2"], name="relu2"),
             helper.make_node("Gemm", ["r2", "W4", "B4"], ["y"], transB=1, name="gemm4")]
    graph = helper.make_graph(nodes, name,
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, INPUTS])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1])], tensors)
    model = helper.make_model(graph, producer_name="certus-tests", opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    path = os.path.join(ROOT, "Tests", "Fixtures", "certify", name + ".onnx")
    onnx.save(model, path)
    print("wrote", path)


def main():
    save("relu_split_20", 1.0)
    save("relu_split_20_changed", 1.125)
    save_hinted()


if __name__ == "__main__":
    main()
