#!/usr/bin/env python3
"""Summarises `certus bounds --json` results written by run.sh (standard library only).

Per category and method: instances, cases proved, instances with every case proved, instances
known to be sat (truth.csv) that a method proved (a soundness failure: the script then exits 1),
median and total seconds, and the mean number of unstable ReLUs per case.
"""
import argparse
import csv
import json
import os
import statistics
import sys


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--truth", required=True)
    p.add_argument("out")
    p.add_argument("categories", nargs="+")
    args = p.parse_args()
    truth = {}
    with open(args.truth) as f:
        for row in csv.DictReader(f):
            truth[(row["onnx"], row["vnnlib"])] = row["truth"]
    failures = 0
    print(f"{'category':9} {'method':10} {'inst':>5} {'cases proved':>13} {'inst proved':>12} "
          f"{'sat proved':>10} {'median s':>9} {'total s':>8} {'unstable/case':>14}")
    for category in args.categories:
        folder = os.path.join(args.out, category)
        if not os.path.isdir(folder):
            continue
        stats = {}
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".json"):
                continue
            model, prop = name[:-5].split("__")
            with open(os.path.join(folder, name)) as f:
                report = json.load(f)
            known = truth.get((model + ".onnx", prop + ".vnnlib"))
            for m in report["methods"]:
                s = stats.setdefault(m["method"], {"inst": 0, "cases": 0, "proved": 0, "full": 0, "sat": 0,
                                                   "seconds": [], "unstable": []})
                cases = m["cases"]
                proved = sum(1 for c in cases if c["proved"])
                s["inst"] += 1
                s["cases"] += len(cases)
                s["proved"] += proved
                s["full"] += 1 if cases and proved == len(cases) else 0
                s["seconds"].append(m["seconds"])
                s["unstable"] += [sum(c["unstable"]) for c in cases]
                if known == "sat" and proved > 0:
                    s["sat"] += 1
                    failures += 1
                    print(f"UNSOUND: {m['method']} proved a case of known-sat {model} {prop}", file=sys.stderr)
        for method, s in stats.items():
            print(f"{category:9} {method:10} {s['inst']:5} {s['proved']:6}/{s['cases']:<6} {s['full']:12} {s['sat']:10} "
                  f"{statistics.median(s['seconds']):9.4f} {sum(s['seconds']):8.2f} "
                  f"{statistics.mean(s['unstable']) if s['unstable'] else 0:14.1f}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
