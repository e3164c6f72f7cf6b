#!/usr/bin/env python3
"""Marabou as a verifier for `certus soundness run` (a command template).

    certus soundness run --bench DIR \\
        --verifier 'marabou=python3 benchmarks/soundness/marabou_verifier.py {onnx} {vnnlib} {result} {timeout}'

Reads the ONNX network with maraboupy (`pip install maraboupy`), loads the VNN-LIB property
with Marabou's own parser (MarabouCore.loadProperty), solves with Marabou's default options and
the given timeout, and writes a VNN-COMP result file: `sat` with Marabou's assignment as the
witness ((X_i v) ... (Y_j v)), `unsat`, `timeout`, `unknown`, or `error`. The witness is passed on
as Marabou states it; the runner checks it by running the network, so this script does not.
"""
import sys


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def main(argv):
    if len(argv) != 5:
        print("usage: marabou_verifier.py ONNX VNNLIB RESULT TIMEOUT", file=sys.stderr)
        return 2
    onnx, vnnlib, result, timeout = argv[1:5]
    try:
        from maraboupy import Marabou, MarabouCore
    except ImportError as error:
        print(f"marabou_verifier.py: maraboupy is not installed ({error}); pip install maraboupy", file=sys.stderr)
        write(result, "error\n")
        return 1
    try:
        seconds = max(1, int(float(timeout)))
        network = Marabou.read_onnx(onnx)
        query = network.getInputQuery()
        MarabouCore.loadProperty(query, vnnlib)
        options = Marabou.createOptions(timeoutInSeconds=seconds, verbosity=0)
        exit_code, values, _ = MarabouCore.solve(query, options, "")
    except Exception as error:  # Marabou's parsers raise plain exceptions on unsupported input
        print(f"marabou_verifier.py: {type(error).__name__}: {error}", file=sys.stderr)
        write(result, "error\n")
        return 1
    if exit_code == "sat":
        pairs = [f"(X_{i} {float(values[int(v)])!r})" for i, v in enumerate(network.inputVars[0].flatten())]
        pairs += [f"(Y_{j} {float(values[int(v)])!r})" for j, v in enumerate(network.outputVars[0].flatten())]
        write(result, "sat\n(" + "\n ".join(pairs) + ")\n")
    elif exit_code == "unsat":
        write(result, "unsat\n")
    elif exit_code == "TIMEOUT":
        write(result, "timeout\n")
    elif exit_code == "ERROR":
        write(result, "error\n")
    else:
        write(result, "unknown\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
