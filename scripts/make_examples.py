#!/usr/bin/env python3
"""Generates the small example networks and properties shipped with Certus.

Writes benchmarks/examples/*.onnx and vnnlib/*.vnnlib. Deterministic (fixed seeds), so running it
again reproduces the committed files. Needs numpy and onnx (PyPI); Certus itself needs neither.

Examples:
  mlp_5x20x20x5.onnx   a 5-input MLP shaped like a small ACAS Xu network (Gemm + Relu)
  robust_small.vnnlib  a box of radius 0.01 around a point: the top class cannot change (unsat)
  robust_large.vnnlib  the same point with radius 0.5: sampling finds a class change (sat)
  acas_style.vnnlib    an ACAS-Xu-style property: "output 0 is minimal" is unsafe
"""
import os
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def mlp(sizes, seed):
    rng = np.random.default_rng(seed)
    nodes, inits = [], []
    prev = "input"
    for k in range(len(sizes) - 1):
        w = (rng.standard_normal((sizes[k + 1], sizes[k])) / np.sqrt(sizes[k])).astype(np.float32)
        b = (0.1 * rng.standard_normal(sizes[k + 1])).astype(np.float32)
        inits += [numpy_helper.from_array(w, f"W{k}"), numpy_helper.from_array(b, f"B{k}")]
        out = f"h{k}" if k < len(sizes) - 2 else "output"
        nodes.append(helper.make_node("Gemm", [prev, f"W{k}", f"B{k}"], [out + ("_pre" if k < len(sizes) - 2 else "")],
                                      transB=1, name=f"gemm{k}"))
        if k < len(sizes) - 2:
            nodes.append(helper.make_node("Relu", [out + "_pre"], [out], name=f"relu{k}"))
        prev = out
    graph = helper.make_graph(nodes, "mlp",
                              [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, sizes[0]])],
                              [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, sizes[-1]])],
                              inits)
    model = helper.make_model(graph, producer_name="certus-examples", opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def forward(model, x):
    ws = {i.name: numpy_helper.to_array(i).astype(np.float64) for i in model.graph.initializer}
    k = 0
    h = x
    while f"W{k}" in ws:
        h = ws[f"W{k}"] @ h + ws[f"B{k}"]
        if f"W{k+1}" in ws:
            h = np.maximum(h, 0)
        k += 1
    return h


def box_lines(center, radius):
    lines = []
    for i, c in enumerate(center):
        lines.append(f"(assert (>= X_{i} {c - radius:.6f}))")
        lines.append(f"(assert (<= X_{i} {c + radius:.6f}))")
    return lines


def declarations(n, m):
    return [f"(declare-const X_{i} Real)" for i in range(n)] + [f"(declare-const Y_{j} Real)" for j in range(m)]


def robustness(center, radius, label, m, title):
    out = [f"; {title}", f"; Unsafe: some output other than Y_{label} is at least as large as Y_{label}."]
    out += declarations(len(center), m) + [""] + box_lines(center, radius) + [""]
    out.append("(assert (or")
    out += [f"    (and (>= Y_{j} Y_{label}))" for j in range(m) if j != label]
    out.append("))")
    return "\n".join(out) + "\n"


def main():
    model = mlp([5, 20, 20, 5], seed=7)
    onnx.save(model, os.path.join(ROOT, "benchmarks/examples/mlp_5x20x20x5.onnx"))
    center = np.array([0.1, -0.2, 0.3, 0.0, 0.25])
    y = forward(model, center)
    label = int(np.argmax(y))
    rng = np.random.default_rng(1)

    def sampled_violation(radius):
        xs = center + rng.uniform(-radius, radius, size=(20000, 5))
        return any(int(np.argmax(forward(model, x))) != label for x in xs)

    assert not sampled_violation(0.01), "small box should look robust"
    assert sampled_violation(0.5), "large box should contain a class change"
    with open(os.path.join(ROOT, "vnnlib/robust_small.vnnlib"), "w") as f:
        f.write(robustness(center, 0.01, label, 5, "Robustness of mlp_5x20x20x5 at a point, radius 0.01 (expected unsat)"))
    with open(os.path.join(ROOT, "vnnlib/robust_large.vnnlib"), "w") as f:
        f.write(robustness(center, 0.5, label, 5, "Robustness of mlp_5x20x20x5 at a point, radius 0.5 (expected sat)"))
    # ACAS-Xu-style: unsafe if output 0 is minimal over a box.
    lines = ["; ACAS-Xu-style property for mlp_5x20x20x5: unsafe if Y_0 is minimal.",
             "; Inputs are a box; the output constraint is a conjunction (one case)."]
    lines += declarations(5, 5) + [""] + box_lines([0.0, 0.0, 0.0, 0.0, 0.0], 0.05) + [""]
    lines += [f"(assert (<= Y_0 Y_{j}))" for j in range(1, 5)]
    with open(os.path.join(ROOT, "vnnlib/acas_style.vnnlib"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("label", label, "outputs at centre", y)
    print("outputs at 0", forward(model, np.zeros(5)))


if __name__ == "__main__":
    main()
