#!/usr/bin/env python3
"""Measures proof certificates: for every instance, `certus verify --proof` and, for each `unsat`,
`certus certify` on the certificate; reports certificate size and checking time against
verification time, and whether every `unsat` was certified. Standard library only.

Examples (from the repository root, after `swift build -c release`):
  python3 benchmarks/certificates.py acasxu --timeout 60
  python3 benchmarks/certificates.py acasxu --select 'prop_[34]' --nets '1_[1-9]'
  python3 benchmarks/certificates.py mnistfc --every 2 --timeout 60      # ReLU-split trees
  python3 benchmarks/certificates.py mnistfc --every 2 --timeout 60 --baseline   # + verify without --proof
"""
import argparse
import csv
import os
import re
import sys
import tempfile

from vnncomp_instances import ROOT, add_instance_arguments, category_dir, first_line, load_instances, run_limited


def main():
    p = argparse.ArgumentParser()
    add_instance_arguments(p)
    p.add_argument("--out", default=None, help="per-instance CSV (default benchmarks/out/<category>-certificates.csv)")
    p.add_argument("--certify-limit", type=float, default=None,
                   help="kill certify after this many seconds (default: 5 times the verification time plus 30 s)")
    p.add_argument("--baseline", action="store_true",
                   help="for each unsat, also time verify without --proof (the cost of recording)")
    args = p.parse_args()

    base = category_dir(args)
    rows = load_instances(args)
    out = args.out or os.path.join(ROOT, "benchmarks", "out", f"{args.category}-certificates.csv")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    fields = ["onnx", "vnnlib", "verdict", "verify_s", "certificate_bytes", "records", "z3_leaves", "certify", "certify_s", "ratio",
              "verify_plain_s", "note"]
    results = []
    with open(out, "w", newline="") as f, tempfile.TemporaryDirectory() as tmp:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        for onnx, vnnlib, timeout in rows:
            t = args.timeout or float(timeout)
            proof = os.path.join(tmp, "proof.jsonl")
            if os.path.exists(proof):
                os.remove(proof)
            onnx_path, vnnlib_path = os.path.join(base, onnx), os.path.join(base, vnnlib)
            run = run_limited([args.certus, "verify", onnx_path, vnnlib_path, "--timeout", str(t), "--proof", proof], t + 30)
            verdict = first_line(run.stdout) if not run.killed else "killed"
            row = {"onnx": onnx, "vnnlib": vnnlib, "verdict": verdict, "verify_s": f"{run.elapsed:.2f}",
                   "certificate_bytes": "", "records": "", "z3_leaves": "", "certify": "", "certify_s": "", "ratio": "",
                   "verify_plain_s": "", "note": ""}
            if verdict == "unsat":
                if not os.path.exists(proof):
                    row["certify"] = "missing"
                    row["note"] = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else ""
                else:
                    row["certificate_bytes"] = str(os.path.getsize(proof))
                    with open(proof, "rb") as pf:
                        row["records"] = str(sum(1 for _ in pf))
                    limit = args.certify_limit or 5 * run.elapsed + 30
                    check = run_limited([args.certus, "certify", onnx_path, vnnlib_path, proof], limit)
                    word = first_line(check.stdout) if not check.killed else "killed"
                    row["certify"] = word.split(":")[0]
                    solved = re.search(r"(\d+) solver refutations", check.stderr)
                    row["z3_leaves"] = solved.group(1) if solved else ""
                    row["certify_s"] = f"{check.elapsed:.2f}"
                    row["ratio"] = f"{check.elapsed / max(run.elapsed, 1e-3):.2f}"
                    if word != "valid":
                        row["note"] = word
                if args.baseline:
                    plain = run_limited([args.certus, "verify", onnx_path, vnnlib_path, "--timeout", str(t)], t + 30)
                    row["verify_plain_s"] = f"{plain.elapsed:.2f}" if first_line(plain.stdout) == "unsat" else "not unsat"
            elif not os.path.exists(proof) and verdict != "killed":
                row["note"] = "no certificate (as it should be)"
            elif os.path.exists(proof):
                row["note"] = "CERTIFICATE LEFT FOR A NON-UNSAT VERDICT"
            writer.writerow(row)
            f.flush()
            results.append(row)
            print(",".join(row[k] for k in fields), flush=True)
    summarize(results)


def summarize(results):
    unsat = [r for r in results if r["verdict"] == "unsat"]
    valid = [r for r in unsat if r["certify"] == "valid"]
    print(f"\n{len(results)} instances, {len(unsat)} unsat, {len(valid)} certified valid")
    if valid:
        sizes = sorted(int(r["certificate_bytes"]) for r in valid)
        ratios = sorted(float(r["ratio"]) for r in valid)
        verify = sum(float(r["verify_s"]) for r in valid)
        certify = sum(float(r["certify_s"]) for r in valid)
        print(f"certificate size: median {sizes[len(sizes) // 2] / 1e6:.3f} MB, largest {sizes[-1] / 1e6:.1f} MB")
        print(f"certify/verify time: median {ratios[len(ratios) // 2]:.2f}, largest {ratios[-1]:.2f}; "
              f"totals {certify:.1f} s against {verify:.1f} s")
        plain = [(float(r["verify_s"]), float(r["verify_plain_s"])) for r in valid
                 if r["verify_plain_s"] not in ("", "not unsat")]
        if plain:
            print(f"verify with --proof {sum(a for a, _ in plain):.1f} s, without {sum(b for _, b in plain):.1f} s "
                  f"({len(plain)} instances)")
    for r in unsat:
        if r["certify"] != "valid":
            print(f"NOT CERTIFIED: {r['onnx']} {r['vnnlib']}: {r['certify']} {r['note']}")
    sys.exit(0 if len(valid) == len(unsat) else 1)


if __name__ == "__main__":
    main()
