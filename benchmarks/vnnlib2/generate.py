#!/usr/bin/env python3
"""Writes VNN-LIB 2.0 instances of VNN-COMP 2026's multi-network kinds from the ACAS Xu
networks: equivalence against a pruned copy, monotonicity in one input (two equal copies of
the network, and of a copy made monotone in that input), and bounds on a hidden layer. Output: OUT/onnx, OUT/vnnlib, OUT/instances.csv with columns
kind,query,networks(name=model;...),expected,timeout. Data stays outside the repository.

Expected answers come from this script only where they are certain: `sat` where a concrete
input found here satisfies the query (Certus must then find and check its own), `unsat`
where a bound computed here rules it out or the network is monotone by construction
(nonnegative weights on every path from the input; Certus's answer is then also run with
--engine exact by the runner). Everything else is `?`.

Usage: python3 benchmarks/vnnlib2/generate.py OUT [--networks 1_1 2_3 ...] [--timeout S]
Needs: pip install numpy onnx
"""
import argparse, csv, os, sys
import numpy as np
import onnx
from onnx import numpy_helper

BOX = [(0.6, 0.679857769), (-0.5, 0.5), (-0.5, 0.5), (0.45, 0.5), (-0.5, -0.45)]  # ACAS Xu property 1-4 style box


def load(path):
    model = onnx.load(path)
    weights = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in model.graph.initializer}
    return model, weights


def layers(model, weights):
    """The (W, b) pairs of the MatMul/Add chain, ReLU between them (ACAS Xu's structure)."""
    out, W = [], None
    for node in model.graph.node:
        if node.op_type == "MatMul":
            W = weights[node.input[1]]
        elif node.op_type == "Add" and W is not None:
            out.append((W, weights[node.input[1]]))
            W = None
    return out


def forward(ls, x, upto=None):
    """Outputs of the network (or, with upto=k, of the k-th ReLU) for inputs x (rows); the
    ACAS Xu graph subtracts a zero mean image first, so it is the identity here."""
    h = x
    for i, (W, b) in enumerate(ls):
        h = h @ W + b
        if i < len(ls) - 1:
            h = np.maximum(h, 0)
            if upto == i:
                return h
    return h


def monotone_copy(source, k, path):
    """The network with every weight on a path from input k made nonnegative: |W| in the first
    layer's row k and in every later layer. ReLU is nondecreasing, so every output is then
    nondecreasing in input k: a monotonicity query on it is unsat by construction."""
    model = onnx.load(source)
    initializers = {t.name: t for t in model.graph.initializer}
    first = True
    for node in model.graph.node:
        if node.op_type != "MatMul" or node.input[1] not in initializers:
            continue
        t = initializers[node.input[1]]
        a = numpy_helper.to_array(t).copy()
        if first:
            a[k, :] = np.abs(a[k, :])
            first = False
        else:
            a = np.abs(a)
        t.CopyFrom(numpy_helper.from_array(a, t.name))
    onnx.save(model, path)
    return layers(model, {t.name: numpy_helper.to_array(t).astype(np.float64) for t in model.graph.initializer})


def interval_upper(ls, lo, hi, upto):
    """Interval upper bound of ReLU layer `upto` over the box (float64 with a relative margin)."""
    for i, (W, b) in enumerate(ls):
        c, r = (lo + hi) / 2, (hi - lo) / 2
        mid, rad = c @ W + b, r @ np.abs(W)
        lo, hi = np.maximum(mid - rad, 0), np.maximum(mid + rad, 0)
        if i == upto:
            return hi * (1 + 1e-6) + 1e-6


def num(x):
    """A numeral the VNN-LIB 2.0 grammar reads (shortest round-trip decimal)."""
    return repr(float(x))


def header(networks):
    text = "(vnnlib-version <2.0>)\n"
    for name, extra, inp, hidden, out in networks:
        text += f"(declare-network {name}\n" + "".join(f"    {e}\n" for e in extra)
        text += f"    (declare-input {inp} Real [1,5])\n" + "".join(f"    {h}\n" for h in hidden)
        text += f"    (declare-output {out} Real [1,5])\n)\n"
    return text


def box(var):
    return "".join(f"(assert (>= {var}[0,{i}] {num(lo)}))\n(assert (<= {var}[0,{i}] {num(hi)}))\n" for i, (lo, hi) in enumerate(BOX))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--networks", nargs="*", default=["1_1", "2_3", "4_5"])
    parser.add_argument("--timeout", type=int, default=60)
    args = parser.parse_args()
    base = os.environ.get("CERTUS_BENCHMARKS")
    if not base:
        sys.exit("set CERTUS_BENCHMARKS to the folder holding vnncomp2021/acasxu (the data is not in the repository)")
    folder = os.path.join(base, "vnncomp2021", "acasxu")
    if not os.path.isdir(folder):
        sys.exit(f"ACAS Xu networks not found in {folder}; set CERTUS_BENCHMARKS")
    os.makedirs(os.path.join(args.out, "onnx"), exist_ok=True)
    os.makedirs(os.path.join(args.out, "vnnlib"), exist_ok=True)
    rng = np.random.default_rng(0)
    lo, hi = np.array([b[0] for b in BOX]), np.array([b[1] for b in BOX])
    samples = lo + (hi - lo) * rng.random((20000, 5))
    rows = []

    def emit(kind, name, text, nets, expected):
        timeout = args.timeout
        path = os.path.join(args.out, "vnnlib", name + ".vnnlib")
        with open(path, "w") as f:
            f.write(text)
        rows.append([kind, path, ";".join(f"{k}={v}" for k, v in nets), expected, timeout])

    for tag in args.networks:
        source = os.path.join(folder, f"ACASXU_run2a_{tag}_batch_2000.onnx")
        model, weights = load(source)
        ls = layers(model, weights)

        # Equivalence: prune weights below a threshold; compare all outputs within eps.
        pruned = onnx.load(source)
        for t in pruned.graph.initializer:
            a = numpy_helper.to_array(t)
            if a.ndim == 2:
                a = np.where(np.abs(a) < 0.05, 0, a).astype(a.dtype)
                t.CopyFrom(numpy_helper.from_array(a, t.name))
        pruned_path = os.path.join(args.out, "onnx", f"acasxu_{tag}_pruned.onnx")
        onnx.save(pruned, pruned_path)
        pls = layers(pruned, {t.name: numpy_helper.to_array(t).astype(np.float64) for t in pruned.graph.initializer})
        diff = np.abs(forward(ls, samples) - forward(pls, samples)).max()
        nets = [("f", source), ("g", pruned_path)]
        decl = header([("f", [], "X", [], "Y"), ("g", ["(isomorphic-to f)"], "Z", [], "W")])
        same = "".join(f"(assert (== X[0,{i}] Z[0,{i}]))\n" for i in range(5))
        for label, eps, expected in [("small", diff / 2, "sat"), ("large", 1e4, "unsat?")]:
            differ = "(assert (or\n" + "".join(f"    (> (- Y[0,{j}] W[0,{j}]) {num(eps)})\n    (< (- Y[0,{j}] W[0,{j}]) {num(-eps)})\n" for j in range(5)) + "))\n"
            emit("equivalence", f"equiv_{tag}_{label}", decl + box("X") + same + differ, nets, expected)

        # Monotonicity in input k: x <= x' in k, equal elsewhere, score of output 0 decreases.
        decl = header([("f", [], "X", [], "Y"), ("f2", ["(equal-to f)"], "U", [], "V")])
        for k in (0, 3):
            order = f"(assert (<= X[0,{k}] U[0,{k}]))\n" + "".join(f"(assert (== X[0,{i}] U[0,{i}]))\n" for i in range(5) if i != k)
            # Known sat when sampled pairs already show a decrease.
            x = samples[:5000].copy(); u = x.copy(); u[:, k] = np.minimum(x[:, k] + 0.02, hi[k])
            expected = "sat" if (forward(ls, x)[:, 0] > forward(ls, u)[:, 0]).any() else "?"
            emit("monotonicity", f"mono_{tag}_x{k}", decl + box("X") + box("U") + order + "(assert (> Y[0,0] V[0,0]))\n",
                 [("f", source)], expected)
            monotone_path = os.path.join(args.out, "onnx", f"acasxu_{tag}_monotone_x{k}.onnx")
            mls = monotone_copy(source, k, monotone_path)
            assert not (forward(mls, x)[:, 0] > forward(mls, u)[:, 0]).any(), "the monotone copy is not monotone"
            emit("monotonicity", f"mono_{tag}_x{k}_monotone", decl + box("X") + box("U") + order + "(assert (> Y[0,0] V[0,0]))\n",
                 [("f", monotone_path)], "unsat")

        # Hidden layer: the first ReLU layer's neuron j above what sampling reaches (sat) or
        # above the interval bound (unsat).
        h = forward(ls, samples, upto=0)
        j = int(np.argmax(h.max(axis=0)))
        upper = interval_upper(ls, lo.copy(), hi.copy(), 0)[j]
        decl = header([("f", [], "X", ['(declare-hidden H Real [1,50] "relu_1")'], "Y")])
        emit("hidden", f"hidden_{tag}_reached", decl + box("X") + f"(assert (>= H[0,{j}] {num(h.max(axis=0)[j] * 0.999)}))\n", [("f", source)], "sat")
        emit("hidden", f"hidden_{tag}_beyond", decl + box("X") + f"(assert (>= H[0,{j}] {num(upper)}))\n", [("f", source)], "unsat")
        mid = (h.max(axis=0)[j] + upper) / 2
        emit("hidden", f"hidden_{tag}_between", decl + box("X") + f"(assert (>= H[0,{j}] {num(mid)}))\n", [("f", source)], "?")

    with open(os.path.join(args.out, "instances.csv"), "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    print(f"{len(rows)} instances in {args.out}")


if __name__ == "__main__":
    main()
