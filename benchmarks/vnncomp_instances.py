"""Shared pieces of the VNN-COMP benchmark scripts (run_instances.py, side_by_side.py).

Both scripts select instances the same way, compare with the same truth.csv, check `sat`
witnesses with the same `certus check`, and run each tool as a child process whose wall time
and peak memory (ru_maxrss from os.wait4, that process alone) are measured the same way.
Standard library only.
"""
import csv
import math
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
from fractions import Fraction

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def add_instance_arguments(parser):
    """The options both scripts share: which instances, which binary, which time limit."""
    parser.add_argument("category", help="a benchmark folder of one competition year: acasxu, mnistfc, test (2021), "
                                         "oval21 (2022), cora (2024), ...")
    # The data lives outside the repository: the folder comes from the option or the variable.
    parser.add_argument("--benchmarks", default=os.environ.get("CERTUS_BENCHMARKS"),
                        required=not os.environ.get("CERTUS_BENCHMARKS"),
                        help="folder holding vnncomp2021, vnncomp2022, ... (default: $CERTUS_BENCHMARKS)")
    parser.add_argument("--certus", default=os.path.join(ROOT, ".build", "release", "certus"))
    parser.add_argument("--every", type=int, default=1, help="take every N-th instance, starting with the first")
    parser.add_argument("--first", type=int, default=0,
                        help="index of the first instance taken (--every 2 --first 1 is the other half)")
    parser.add_argument("--select", default=None, help="regex on the vnnlib file name")
    parser.add_argument("--nets", default=None, help="regex on the onnx file name")
    parser.add_argument("--timeout", type=float, default=None, help="override the instances' own timeouts")


def year_dir(args):
    """The competition-year folder (vnncomp2021, vnncomp2022, ...) that holds the category; the
    earliest year wins when several do."""
    years = sorted(d for d in os.listdir(args.benchmarks) if d.startswith("vnncomp"))
    for year in years:
        if os.path.isdir(os.path.join(args.benchmarks, year, args.category)):
            return os.path.join(args.benchmarks, year)
    raise SystemExit(f"error: {args.benchmarks}: no year folder ({', '.join(years) or 'none'}) holds '{args.category}'")


def category_dir(args):
    return os.path.join(year_dir(args), args.category)


def load_instances(args):
    """(onnx, vnnlib, timeout) rows of the category's instances CSV, filtered by the options."""
    base = category_dir(args)
    listing = [f for f in os.listdir(base) if f.endswith("instances.csv")][0]
    with open(os.path.join(base, listing)) as f:
        # normpath: some lists write "./onnx/x.onnx" where truth.csv writes "onnx/x.onnx".
        rows = [[os.path.normpath(r[0]), os.path.normpath(r[1])] + r[2:] for r in csv.reader(f) if r]
    rows = rows[args.first :: args.every]
    if args.select:
        rows = [r for r in rows if re.search(args.select, r[1])]
    if args.nets:
        rows = [r for r in rows if re.search(args.nets, r[0])]
    return rows


def load_truth(args):
    """(category, onnx, vnnlib) -> "sat" / "unsat"; undecided instances are absent."""
    truth = {}
    with open(os.path.join(year_dir(args), "truth.csv")) as f:
        for r in csv.DictReader(f):
            truth[(r["category"], os.path.normpath(r["onnx"]), os.path.normpath(r["vnnlib"]))] = r["truth"]
    return truth


_VERDICTS = {"sat": "sat", "violated": "sat", "unsat": "unsat", "holds": "unsat"}


def published_results(args, instances):
    """The published per-tool results of the category's year on the selected instances:
    [(label, tool, {(onnx, vnnlib): (verdict or None, seconds)})], label being the year folder's
    results sub-folder ("" for the competition itself). Result files name instances with the
    organisers' prefixes (./benchmarks/<category>/..., vnncomp2022_benchmarks/benchmarks/<category>/...);
    the part after "<category>/" is what instances.csv names. Categories match by name or by a
    "<year>_" prefix (the 2023 re-run of 2022 benchmarks writes 2022_oval21)."""
    wanted = {(r[0], r[1]) for r in instances}
    root = os.path.join(year_dir(args), "results")
    found = []
    if not os.path.isdir(root):
        return found
    for folder, _, files in sorted(os.walk(root)):
        label = os.path.relpath(folder, root)
        for name in sorted(f for f in files if f.endswith(".csv")):
            rows = {}
            with open(os.path.join(folder, name)) as f:
                for r in csv.reader(f):
                    if len(r) < 6 or not (r[0] == args.category or r[0].endswith("_" + args.category)):
                        continue
                    key = tuple(os.path.normpath(path.split(args.category + "/", 1)[-1]) for path in r[1:3])
                    if key in wanted:
                        try:
                            seconds = float(r[5])
                        except ValueError:
                            seconds = float("nan")
                        rows[key] = (_VERDICTS.get(r[4].strip().lower()), seconds)
            if rows:
                found.append(("" if label == "." else label, name[:-4], rows))
    return found


def published_summary(args, instances, truth):
    """Lines comparing the published tools on the selected instances: solved (agreeing with
    truth.csv), sat, unsat, wrong, and the median time of the solved ones; best first."""
    lines = []
    for label, tool, rows in published_results(args, instances):
        solved = [(v, t) for key, (v, t) in rows.items()
                  if v is not None and truth.get((args.category,) + key) == v]
        wrong = sum(is_wrong(v or "", truth.get((args.category,) + key, "?")) for key, (v, _) in rows.items())
        times = sorted(t for _, t in solved if t == t)
        median = times[len(times) // 2] if times else float("nan")
        lines.append((len(solved), f"  {(label + '/' if label else '') + tool:32s} solved {len(solved):3d} "
                                   f"(sat {sum(v == 'sat' for v, _ in solved)}, unsat {sum(v == 'unsat' for v, _ in solved)})"
                                   f"  wrong {wrong}  median time (solved) {median:.1f}s  rows {len(rows)}"))
    return [line for _, line in sorted(lines, key=lambda x: -x[0])]


def is_wrong(word, expected):
    return word in ("sat", "unsat") and expected in ("sat", "unsat") and word != expected


def check_witness(certus, onnx_path, vnnlib_path, result_file):
    """`certus check` on a sat result file: "valid" (exit 0) or "INVALID" (anything else)."""
    return check_witness_verbose(certus, onnx_path, vnnlib_path, result_file)[0]


def check_witness_verbose(certus, onnx_path, vnnlib_path, result_file):
    """("valid" or "INVALID", first line of certus check's report)."""
    c = subprocess.run([certus, "check", onnx_path, vnnlib_path, result_file], capture_output=True, text=True)
    return ("valid" if c.returncode == 0 else "INVALID"), first_line(c.stdout or c.stderr)


_BOUND = re.compile(r"\(\s*assert\s*\(\s*(<=|>=)\s*(X_(\d+)\s+([-+0-9.eE]+)|([-+0-9.eE]+)\s+X_(\d+))\s*\)\s*\)")
_PAIR = re.compile(r"\(\s*X_(\d+)\s+([^\s()]+)\s*\)")


def input_box(vnnlib_path):
    """{i: [lower, upper]} (exact Fractions or None) from the top-level `(assert (<= X_i c))`
    style bounds; bounds inside (or ...) or on sums are not read."""
    box = {}
    with open(vnnlib_path) as f:
        text = re.sub(r";[^\n]*", "", f.read())
    for m in _BOUND.finditer(text):
        relation = m.group(1)
        if m.group(3) is not None:
            index, value, upper = int(m.group(3)), Fraction(m.group(4)), relation == "<="
        else:
            index, value, upper = int(m.group(6)), Fraction(m.group(5)), relation == ">="
        entry = box.setdefault(index, [None, None])
        if upper:
            entry[1] = value if entry[1] is None else min(entry[1], value)
        else:
            entry[0] = value if entry[0] is None else max(entry[0], value)
    return box


def nudge_into_box(result_file, vnnlib_path, nudged_file):
    """Writes result_file's witness inputs to nudged_file, each input that lies outside its
    exact bound (a decimal bound's nearest double can sit just outside it) moved to the nearest
    double inside; returns the largest move, or None when there is no witness to read."""
    with open(result_file) as f:
        text = f.read()
    pairs = {int(i): float(v) for i, v in _PAIR.findall(text)}
    if not pairs:
        return None
    box = input_box(vnnlib_path)
    largest = 0.0
    for i, x in pairs.items():
        lower, upper = box.get(i, (None, None))
        moved = x
        if lower is not None and Fraction(moved) < lower:
            moved = float(lower)
            if Fraction(moved) < lower:
                moved = math.nextafter(moved, math.inf)
        if upper is not None and Fraction(moved) > upper:
            moved = float(upper)
            if Fraction(moved) > upper:
                moved = math.nextafter(moved, -math.inf)
        largest = max(largest, abs(moved - x))
        pairs[i] = moved
    with open(nudged_file, "w") as f:
        f.write("sat\n(" + "\n ".join(f"(X_{i} {pairs[i]!r})" for i in sorted(pairs)) + ")\n")
    return largest


class Run:
    """One finished child process: exit code (None when killed), wall seconds, peak RSS, output."""

    def __init__(self, returncode, elapsed, maxrss_kib, killed, stdout, stderr):
        self.returncode = returncode
        self.elapsed = elapsed
        self.maxrss_kib = maxrss_kib
        self.killed = killed
        self.stdout = stdout
        self.stderr = stderr


def run_limited(cmd, kill_after, env=None):
    """Runs cmd in its own process group and kills the whole group after kill_after seconds.

    The child's output goes to temporary files (no pipe can fill up and stall it); os.wait4
    reaps it, which gives its own ru_maxrss rather than the sum over all children so far.
    A run counts as killed only when it actually died of the SIGKILL sent here.
    """
    with open(os.devnull, "rb") as stdin, tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdin=stdin, stdout=out, stderr=err, env=env, start_new_session=True)
        lock = threading.Lock()
        state = {"reaped": False, "sent": False}

        def kill():
            with lock:
                if state["reaped"]:
                    return  # the group id may already belong to someone else
                state["sent"] = True
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

        timer = threading.Timer(kill_after, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # Ctrl-C: the child is in its own session and would outlive us
            timer.cancel()
            kill()
            os.wait4(proc.pid, 0)
            raise
        finally:
            with lock:
                state["reaped"] = True
            timer.cancel()
        elapsed = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        killed = state["sent"] and proc.returncode == -signal.SIGKILL
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    return Run(None if killed else proc.returncode, elapsed, usage.ru_maxrss, killed, stdout, stderr)


def first_line(text):
    return text.split("\n", 1)[0].strip()


def mib(kib):
    return kib / 1024.0
