#!/usr/bin/env python3
"""How far Certus's root bounds are from the triangle (Planet) LP optimum on an MNIST fc network.

Builds the LP relaxation of a fully connected ReLU network over the property's input box
(Ehlers 2017, "Formal Verification of Piece-wise Linear Feed-forward Neural Networks": each
unstable ReLU y = relu(z) with l < 0 < u relaxed to y >= 0, y >= z, y <= u (z - l) / (u - l)),
tightens every unstable neuron's pre-activation bounds layer by layer with two LPs each, and
then minimises y_label - y_j for every other class j. Prints the unstable counts per layer, the
final bounds and the time, to set beside the root line of
`certus verify NET PROP --verbose` (its optimised intermediate bounds and case bounds).

Floating-point LP values, for comparison only (not sound bounds). Needs numpy, scipy and onnx.

    python3 benchmarks/bounds/lp_gap.py $CERTUS_BENCHMARKS/vnncomp2021/mnistfc/mnist-net_256x4.onnx \\
        $CERTUS_BENCHMARKS/vnncomp2021/mnistfc/prop_0_0.03.vnnlib
"""
import re
import sys
import time

import numpy as np
import onnx
from onnx import numpy_helper
from scipy.optimize import linprog
from scipy.sparse import coo_matrix


def read_network(path):
    """The Gemm layers (weights, bias) of a Flatten/Gemm/Relu chain."""
    model = onnx.load(path)
    tensors = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in model.graph.initializer}
    layers = []
    for node in model.graph.node:
        if node.op_type == "Gemm":
            layers.append((tensors[node.input[1]], tensors[node.input[2]]))
        elif node.op_type not in ("Flatten", "Relu"):
            sys.exit(f"error: {path}: operator {node.op_type} is not handled by this script")
    return layers


def read_property(path, inputs):
    """The input box and the label of an MNIST fc robustness property."""
    text = open(path).read()
    lower, upper = np.zeros(inputs), np.zeros(inputs)
    for relation, index, value in re.findall(r"\(assert \((<=|>=) X_(\d+) ([-\d.e]+)\)\)", text):
        (upper if relation == "<=" else lower)[int(index)] = float(value)
    return lower, upper, int(re.search(r"label: (\d+)", text).group(1))


class TriangleLP:
    """Variables: x, then z_j and y_j for each hidden layer j < depth."""

    def __init__(self, layers, depth, lower, upper, pre_lower, pre_upper):
        n0 = len(lower)
        self.offsets = []
        columns = n0
        for weights, _ in layers[:depth]:
            self.offsets.append(columns)
            columns += 2 * weights.shape[0]
        self.columns = columns
        eq_rows, eq_cols, eq_vals, eq_rhs = [], [], [], []
        ub_rows, ub_cols, ub_vals, ub_rhs = [], [], [], []
        self.box = [(lower[i], upper[i]) for i in range(n0)]
        row, previous = 0, np.arange(n0)
        for j, (weights, bias) in enumerate(layers[:depth]):
            n = weights.shape[0]
            z0, y0 = self.offsets[j], self.offsets[j] + n
            r, c = np.nonzero(weights)
            eq_rows += list(r + row) + list(range(row, row + n))
            eq_cols += list(previous[c]) + list(range(z0, z0 + n))
            eq_vals += list(weights[r, c]) + [-1.0] * n
            eq_rhs += list(-bias)
            row += n
            l, u = pre_lower[j], pre_upper[j]
            self.box += [(l[i], u[i]) for i in range(n)]
            for i in range(n):
                if u[i] <= 0:
                    self.box.append((0, 0))
                elif l[i] >= 0:
                    self.box.append((l[i], u[i]))
                    eq_rows += [row, row]; eq_cols += [y0 + i, z0 + i]; eq_vals += [1, -1]; eq_rhs.append(0); row += 1
                else:
                    self.box.append((0, u[i]))
                    k = len(ub_rhs)
                    slope = u[i] / (u[i] - l[i])
                    ub_rows += [k, k, k + 1, k + 1]
                    ub_cols += [z0 + i, y0 + i, y0 + i, z0 + i]
                    ub_vals += [1, -1, 1, -slope]
                    ub_rhs += [0, -slope * l[i]]
            previous = np.arange(y0, y0 + n)
        self.outputs = previous
        self.a_eq = coo_matrix((eq_vals, (eq_rows, eq_cols)), shape=(row, columns)).tocsr()
        self.b_eq = np.array(eq_rhs)
        self.a_ub = coo_matrix((ub_vals, (ub_rows, ub_cols)), shape=(len(ub_rhs), columns)).tocsr()
        self.b_ub = np.array(ub_rhs)

    def minimum(self, coefficients, constant):
        """min coefficients · y_last + constant over the relaxation."""
        c = np.zeros(self.columns)
        c[self.outputs] = coefficients
        result = linprog(c, A_ub=self.a_ub, b_ub=self.b_ub, A_eq=self.a_eq, b_eq=self.b_eq, bounds=self.box, method="highs")
        if result.status != 0:
            sys.exit(f"error: LP failed: {result.message}")
        return result.fun + constant


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    layers = read_network(sys.argv[1])
    lower, upper, label = read_property(sys.argv[2], layers[0][0].shape[1])
    started = time.time()
    weights, bias = layers[0]
    centre, radius = (lower + upper) / 2, (upper - lower) / 2
    pre_lower = [weights @ centre + bias - np.abs(weights) @ radius]
    pre_upper = [weights @ centre + bias + np.abs(weights) @ radius]
    for depth in range(1, len(layers) - 1):
        weights, bias = layers[depth]
        post_lower, post_upper = np.maximum(pre_lower[-1], 0), np.maximum(pre_upper[-1], 0)
        centre, radius = (post_lower + post_upper) / 2, (post_upper - post_lower) / 2
        low = weights @ centre + bias - np.abs(weights) @ radius
        high = weights @ centre + bias + np.abs(weights) @ radius
        lp = TriangleLP(layers, depth, lower, upper, pre_lower, pre_upper)
        for i in np.nonzero((low < 0) & (high > 0))[0]:
            low[i] = max(low[i], lp.minimum(weights[i], bias[i]))
            high[i] = min(high[i], -lp.minimum(-weights[i], -bias[i]))
        pre_lower.append(low)
        pre_upper.append(high)
        print(f"layer {depth + 1}: {time.time() - started:.0f} s", flush=True)
    unstable = [int(np.sum((l < 0) & (u > 0))) for l, u in zip(pre_lower, pre_upper)]
    weights, bias = layers[-1]
    lp = TriangleLP(layers, len(layers) - 1, lower, upper, pre_lower, pre_upper)
    bounds = [lp.minimum(weights[label] - weights[j], bias[label] - bias[j]) for j in range(weights.shape[0]) if j != label]
    print(f"unstable ReLUs per layer: {unstable}")
    print("LP bounds of y_label - y_j: " + " ".join(f"{b:.4f}" for b in bounds))
    print(f"time: {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
