#!/usr/bin/env python3
"""Marabou as a verifier for `certus soundness run` (a command template).

    certus soundness run --bench DIR \\
        --verifier 'marabou=python3 benchmarks/soundness/marabou_verifier.py {onnx} {vnnlib} {result} {timeout}'

benchmarks/side_by_side.py runs it the same way (plus --stats) and kills it from outside.

Reads the ONNX network with maraboupy (`pip install maraboupy`), loads the VNN-LIB property
with Marabou's own parser (MarabouCore.loadProperty), solves with Marabou's default options (one
worker unless --workers says otherwise) and the given timeout, and writes a VNN-COMP result
file: `sat` with Marabou's assignment as the witness ((X_i v) ... (Y_j v)), `unsat`, `timeout`,
`unknown`, or `error`. The witness is passed on as Marabou states it; the runner checks it by
running the network, so this script does not.
"""
import argparse
import json
import sys
import time


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def parse(argv):
    p = argparse.ArgumentParser(prog="marabou_verifier.py", description="Run Marabou on one VNN-COMP instance.")
    p.add_argument("onnx")
    p.add_argument("vnnlib")
    p.add_argument("result", help="VNN-COMP result file to write")
    p.add_argument("timeout", help="seconds (Marabou takes whole seconds, at least 1)")
    p.add_argument("--workers", type=int, default=1, help="Marabou's numWorkers (default 1, its own default)")
    p.add_argument("--stats", default=None,
                   help="also write JSON {read_seconds, solve_seconds, exit_code}: time inside Marabou, "
                        "without the interpreter and import start-up")
    return p.parse_args(argv[1:])


def main(argv):
    args = parse(argv)
    onnx, vnnlib, result = args.onnx, args.vnnlib, args.result
    try:
        from maraboupy import Marabou, MarabouCore
    except ImportError as error:
        print(f"marabou_verifier.py: maraboupy is not installed ({error}); pip install maraboupy", file=sys.stderr)
        write(result, "error\n")
        return 1
    try:
        seconds = max(1, int(float(args.timeout)))
        start = time.monotonic()
        network = Marabou.read_onnx(onnx)
        query = network.getInputQuery()
        MarabouCore.loadProperty(query, vnnlib)
        read = time.monotonic() - start
        options = Marabou.createOptions(numWorkers=args.workers, timeoutInSeconds=seconds, verbosity=0)
        start = time.monotonic()
        exit_code, values, _ = MarabouCore.solve(query, options, "")
        solve = time.monotonic() - start
    except Exception as error:  # Marabou's parsers raise plain exceptions on unsupported input
        print(f"marabou_verifier.py: {type(error).__name__}: {error}", file=sys.stderr)
        write(result, "error\n")
        return 1
    if args.stats:
        write(args.stats, json.dumps({"read_seconds": read, "solve_seconds": solve, "exit_code": exit_code}) + "\n")
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
