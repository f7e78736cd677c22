"""The performance benchmark as a whole: every workload measured, the targets, the table, the JSON.

The runners and workloads are in ``workloads``; ``benchmark.py`` is the command.
"""
import collections
import json
import os
import platform
import tempfile
import time

import numpy as np

import end_to_end as e2e
import peers as peer_runs
from tf_models.run import outputs
from workloads import (CAT, CAT64, MAIN, QUICK_CAT, QUICK_CAT64, QUICK_MAIN, QUICK_SCALE_MS,
                       RUNNERS, SCALE_DTYPES, SCALE_MS, gemm_flops, matmul_shapes, memory_floor,
                       run_scale_child, time_workload)


# ---- the whole benchmark -------------------------------------------------------------------

def run_benchmark(quick=False, end_to_end=True, log=print, torch_python=None, all_stacks=False):
    """Measure everything; returns the results dict (what the JSON file holds). ``torch_python``
    and ``all_stacks``: which peers measure the cat network beside this stack (peers.run)."""
    main, cat, cat64 = (QUICK_MAIN, QUICK_CAT, QUICK_CAT64) if quick else (MAIN, CAT, CAT64)
    ms = QUICK_SCALE_MS if quick else SCALE_MS
    repeats = 3 if quick else 7
    main_K = {"tf loop": 1000, "tf feed": 200, "numpy": 1000, "sklearn": 300, "gemm": 2000}
    cat_K = {"tf loop": 10, "tf feed": 10, "numpy": 10, "sklearn": 10, "gemm": 10}
    if quick:
        main_K = dict.fromkeys(main_K, 20)
        cat_K = dict.fromkeys(cat_K, 2)
    results = {"quick": quick, "environment": environment(), "workloads": collections.OrderedDict()}
    for workload, K in ((main, main_K), (cat, cat_K), (cat64, cat_K)):
        log("timing %s ..." % workload.name)
        load = os.getloadavg()[0]
        seconds = time_workload(workload, K, repeats)
        results["workloads"][workload.name] = {
            "workload": workload._asdict(), "iterations": K, "seconds_per_iteration": seconds,
            "gemm_flops": gemm_flops(matmul_shapes(workload.layer_dims, workload.m)),
            "load": [load, os.getloadavg()[0]]}
    results["peers"] = peer_runs.run(quick, torch_python, all_stacks, log)
    budget = 2 * 10 ** 5 if quick else 4 * 10 ** 6
    results["scale"] = []
    # The interpreter baseline: the peak RSS of the same program on 10 examples (Python, the
    # library, and for TF its runtime, graph and session), so that peak − baseline is what the
    # data and the training of m examples cost.
    # (--quick, to save two interpreter start-ups, takes the smallest m's peak instead.)
    baseline = {}
    for dtype in SCALE_DTYPES:
        for implementation in ("tf loop", "numpy"):
            if not quick:
                baseline[implementation, dtype] = run_scale_child(implementation, 10, 1000, 1,
                                                                  dtype)["peak_rss"]
            for m in ms:
                log("timing 2-4-1 %s at m = %d (%s, subprocess) ..." % (dtype, m, implementation))
                row = run_scale_child(implementation, m, budget, 2 if quick else 3, dtype)
                row["baseline_rss"] = baseline.setdefault((implementation, dtype), row["peak_rss"])
                results["scale"].append(row)
    if end_to_end:
        log("timing python scripts/train_shallow.py against start-up + the bare loop ...")
        tmp = tempfile.mkdtemp(prefix="benchmark-")
        results["end_to_end"] = e2e.measure(
            tmp, 1 if quick else 5, iterations=200 if quick else None, log=log)
    results["targets"] = check_targets(results)
    return results


def environment():
    info = outputs.versions()
    try:
        import sklearn
        info["sklearn"] = sklearn.__version__
    except ImportError:
        info["sklearn"] = None
    info.update(machine=platform.machine(), cpus=os.cpu_count(),
                date=time.strftime("%Y-%m-%d %H:%M:%S"), load=os.getloadavg()[0],
                openblas_coretype=os.environ.get("OPENBLAS_CORETYPE"))
    return info


# ---- targets and the table -----------------------------------------------------------------

def _scale_row(results, implementation, m, dtype):
    for row in results["scale"]:
        if (row["implementation"], row["m"], row["dtype"]) == (implementation, m, dtype):
            return row
    return None


def run_peers_only(quick=False, log=print, torch_python=None, all_stacks=False, one_thread=False):
    """Only the cat network beside its peers (benchmark.py --only-peers): the results dict."""
    results = {"quick": quick, "environment": environment(),
               "peers": peer_runs.run(quick, torch_python, all_stacks, log, one_thread)}
    results["targets"] = [{"target": name, "value": value, "limit": limit, "met": value <= limit}
                          for name, value, limit in peer_ratios(results["peers"])]
    return results


def check_targets(results):
    """The performance targets, each with its measured value and whether it is met."""
    targets = []
    workloads = list(results["workloads"].values())
    main, cat = workloads[0]["seconds_per_iteration"], workloads[1]["seconds_per_iteration"]

    def target(name, value, limit, met):
        targets.append({"target": name, "value": value, "limit": limit, "met": bool(met)})
    if "end_to_end" in results:
        for name, value, limit in end_to_end_ratios(results["end_to_end"]):
            target(name, value, limit, value <= limit)
    for name, value, limit in peer_ratios(results["peers"]):
        target(name, value, limit, value <= limit)
    r = main["tf loop"] / main["numpy"]
    target("main job: tf loop / numpy <= 1", r, 1.0, r <= 1.0)
    r = main["tf loop"] / main["sklearn"]
    target("main job: tf loop / sklearn <= 1/3", r, 1 / 3.0, r <= 1 / 3.0)
    for w in workloads[1:]:
        s, dtype = w["seconds_per_iteration"], w["workload"]["dtype"]
        r = s["tf loop"] / memory_floor(s)
        target("deep %s: tf loop / memory floor (2 reads of X) <= 2" % dtype, r, 2.0, r <= 2.0)
    r = cat["tf loop"] / cat["gemm tf"]
    target("deep float32: tf loop / its GEMM limit <= 1.25", r, 1.25, r <= 1.25)
    ms = sorted({row["m"] for row in results["scale"]})
    big, flat_from = ms[-1], (ms[1] if len(ms) > 2 else ms[0])
    for dtype in SCALE_DTYPES:
        row = lambda implementation, m: _scale_row(results, implementation, m, dtype)  # noqa
        r = row("numpy", big)["seconds_per_iteration"] / row("tf loop", big)["seconds_per_iteration"]
        target("2-4-1 %s m=%d: numpy / tf loop >= 3" % (dtype, big), r, 3.0, r >= 3.0)
        per_example = [row("tf loop", m)["seconds_per_example"] for m in ms if m >= flat_from]
        r = max(per_example) / min(per_example)
        target("2-4-1 %s tf loop time/example, m=%d..%d: max/min <= 1.3" % (dtype, flat_from, big),
               r, 1.3, r <= 1.3)
        for implementation in ("tf loop", "numpy"):
            one = row(implementation, big)
            r = (one["peak_rss"] - one["baseline_rss"]) / float(one["data_bytes"])
            target("2-4-1 %s m=%d %s: (peak RSS - baseline) / data bytes < 3"
                   % (dtype, big, implementation), r, 3.0, r < 3.0)
    if "end_to_end" in results and not results["quick"]:
        s = float(np.median(results["end_to_end"]["train_shallow"]))
        target("python scripts/train_shallow.py: seconds < 3 (absolute)", s, 3.0, s < 3.0)
    return targets


def peer_ratios(peers):
    """(target, ratio, limit) of the cat network against its peers: TF per step / PyTorch's
    (each stack's TF), and each TF 1.x stack's NumPy / the modern stack's NumPy (float64)."""
    found = []
    for dtype, entry in peers["workloads"].items():
        to_pytorch = entry.get("to_pytorch", {})
        for label in to_pytorch:
            if label.startswith("TF "):
                found.append(("cat %s: %s / PyTorch per step <= 1" % (dtype, label),
                              to_pytorch[label], 1.0))
        times = entry["per_step"]
        if dtype == "float64" and "NumPy modern" in times:
            for stack in ("pinned", "tf1"):
                label = "NumPy " + stack
                if label in times:
                    r = float(np.median(np.asarray(times[label]) / times["NumPy modern"]))
                    found.append(("cat float64: %s / NumPy modern per step <= 1.25" % label,
                                  r, 1.25))
    return found


def end_to_end_ratios(parts):
    """(target, ratio, limit) of the end-to-end figures: each part's minimum over the rounds
    (the load of other jobs only ever adds time), so that one slow round does not decide."""
    best = {k: min(v) for k, v in parts.items() if k != "load"}
    return [
        ("train_shallow.py end to end / (start-up + import tf + bare loop) <= 1.25",
         best["train_shallow"] / (best["startup"] + best["bare_loop"]), 1.25),
        ("main job train_seconds: tf / numpy <= 1",
         best["tf_train_seconds"] / best["numpy_train_seconds"], 1.0),
        ("main job train_seconds: tf / sklearn fit <= 1",
         best["tf_train_seconds"] / best["sklearn_fit"], 1.0),
    ]


def format_table(results):
    """The results as text tables: every figure a ratio to a baseline of the same run."""
    if "workloads" not in results:  # --only-peers
        return "\n".join(format_peers(results["peers"]) + format_targets(results["targets"]))
    lines = []
    names = list(RUNNERS)
    lines.append("Time per iteration / NumPy reference's (lower is faster), and / the GEMM limit")
    lines.append("of the same library (np.dot or tf.matmul of the iteration's matrix products).")
    header = "%-44s" % "workload" + "".join("%10s" % n for n in names)
    header += "%14s%14s%12s%12s" % ("tf/gemm tf", "np/gemm np", "tf/floor", "np/floor")
    lines += ["", header, "-" * len(header)]
    for name, w in results["workloads"].items():
        s = w["seconds_per_iteration"]
        row = "%-44s" % name + "".join("%10.2f" % (s[n] / s["numpy"]) for n in names)
        row += "%14.2f%14.2f%12.2f%12.2f" % (s["tf loop"] / s["gemm tf"],
                                             s["numpy"] / s["gemm numpy"],
                                             s["tf loop"] / memory_floor(s),
                                             s["numpy"] / memory_floor(s))
        lines.append(row)
    lines += ["", "floor: the memory floor, two full reads of X (the faster of np.sum and "
              "tf.reduce_sum).", "Baselines of this run (us per iteration; GEMM GFLOP/s):"]
    for name, w in results["workloads"].items():
        s, flops = w["seconds_per_iteration"], w["gemm_flops"]
        lines.append("  %-44s numpy %.1f; gemm tf %.1f (%.1f GFLOP/s), gemm numpy %.1f (%.1f "
                     "GFLOP/s); floor %.1f; load %.1f-%.1f"
                     % (name, s["numpy"] * 1e6, s["gemm tf"] * 1e6, flops / s["gemm tf"] / 1e9,
                        s["gemm numpy"] * 1e6, flops / s["gemm numpy"] / 1e9,
                        memory_floor(s) * 1e6, min(w["load"]), max(w["load"])))
    lines += ["", "2-4-1 tanh on m examples (each cell from a fresh subprocess): time per example",
              "/ the same implementation's at the first m >= 10^4 (flatness), NumPy time / TF",
              "time, and (peak RSS - interpreter baseline) / dataset bytes (X and Y).", ""]
    ms = sorted({row["m"] for row in results["scale"]})
    ref_m = next((m for m in ms if m >= 10 ** 4), ms[0])
    header = "%8s%10s%12s%12s%12s%12s%12s" % ("dtype", "m", "tf/ex", "numpy/ex", "numpy/tf",
                                              "tf RSS", "numpy RSS")
    lines += [header, "-" * len(header)]
    rss = lambda r: (r["peak_rss"] - r["baseline_rss"]) / float(r["data_bytes"])  # noqa: E731
    baselines = []
    for dtype in SCALE_DTYPES:
        row = lambda implementation, m: _scale_row(results, implementation, m, dtype)  # noqa
        tf_ref, np_ref = row("tf loop", ref_m), row("numpy", ref_m)
        for m in ms:
            tf_row, np_row = row("tf loop", m), row("numpy", m)
            lines.append("%8s%10d%12.2f%12.2f%12.2f%12.2f%12.2f" % (
                dtype, m, tf_row["seconds_per_example"] / tf_ref["seconds_per_example"],
                np_row["seconds_per_example"] / np_ref["seconds_per_example"],
                np_row["seconds_per_iteration"] / tf_row["seconds_per_iteration"], rss(tf_row),
                rss(np_row)))
        baselines.append("%s at m = %d: tf %.1f, numpy %.1f ns/example" % (
            dtype, ref_m, tf_ref["seconds_per_example"] * 1e9, np_ref["seconds_per_example"] * 1e9))
    lines.append("")
    lines.append("Baselines: %s; interpreter baseline RSS tf %.0f MB, numpy %.0f MB." % (
        "; ".join(baselines), tf_ref["baseline_rss"] / 1e6, np_ref["baseline_rss"] / 1e6))
    lines += format_peers(results["peers"])
    if "end_to_end" in results:
        lines += format_end_to_end(results["end_to_end"])
    lines += format_targets(results["targets"])
    return "\n".join(lines)


def format_targets(targets):
    lines = ["", "Targets:"]
    for t in targets:
        lines.append("  [%s] %-66s %.3g (limit %.3g)" % ("met " if t["met"] else "MISS",
                                                           t["target"], t["value"], t["limit"]))
    return lines


def format_peers(peers):
    """The cat network beside its peers: per step (ms, min and median over the interleaved
    rounds) and / PyTorch's (median of the rounds' ratios), float32 then float64."""
    lines = [""]
    entries = peers["workloads"]
    first = next(iter(entries.values()))
    lines.append("%s, each implementation in its own process, %d interleaved rounds of %d steps%s:"
                 % (first["workload"]["name"].split(",")[0], first["rounds"], first["K"],
                    ", every library on one thread" if peers.get("one_thread") else ""))
    if peers["torch_absent"]:
        lines.append(peers["torch_absent"])
    header = "%-34s" % "per step, ms: min / median" + "".join(
        "%26s" % (dtype + ("" if peers["torch_absent"] else "  (/ PyTorch)")) for dtype in entries)
    lines += ["", header, "-" * len(header)]
    for label, info in peers["ready"].items():
        row = "%-34s" % describe_peer(label, info)
        for entry in entries.values():
            times = entry["per_step"].get(label)
            if not times:
                row += "%26s" % "-"
                continue
            ratio = entry.get("to_pytorch", {}).get(label)
            row += "%26s" % ("%.2f / %.2f%s" % (min(times) * 1e3, float(np.median(times)) * 1e3,
                                               "  (%.2f)" % ratio if ratio is not None else ""))
        lines.append(row)
    for label, message in peers["failed"].items():
        lines.append("  %s: not measured: %s" % (label, message))
    lines.append("  load average (1 min) before and after: %s" % "; ".join(
        "%s %.1f-%.1f" % (dtype, min(e["load"]), max(e["load"])) for dtype, e in entries.items()))
    return lines


def describe_peer(label, info):
    """A peer's row label with its library's version, e.g. "TF modern (2.21.0)"."""
    if "torch" in info:
        return "PyTorch %s (%d thread%s)" % (info["torch"].split("+")[0], info["threads"],
                                            "s" if info["threads"] > 1 else "")
    version = info.get("tensorflow") if label.startswith("TF ") else info["numpy"]
    core = info.get("openblas_coretype")
    return "%s (%s%s)" % (label, version, ", " + core if core and label.startswith("NumPy")
                          else "")


def format_end_to_end(parts):
    """The end-to-end rounds as lines: each part's seconds per round, min and median."""
    lines = ["", "What a user waits for, main job (seconds; each round runs every part once):", ""]
    labels = [("startup", "python + import tensorflow"), ("bare_loop", "bare loop (train_loop)"),
              ("train_shallow", "train_shallow.py, tf, end to end"),
              ("tf_train_seconds", "  its train_seconds"),
              ("numpy_train_seconds", "train_shallow.py --backend numpy: train_seconds"),
              ("sklearn_fit", "MLPClassifier.fit, same steps")]
    for key, label in labels:
        v = parts[key]
        lines.append("  %-50s %s   min %.3f  median %.3f" % (
            label, " ".join("%.3f" % x for x in v), min(v), float(np.median(v))))
    lines.append("  load average (1 min) at each round's start and at the end: %s"
                 % " ".join("%.1f" % x for x in parts["load"]))
    return lines


def write_results(results, directory):
    """results.json and table.txt under ``directory`` (a timestamped pair); returns the paths."""
    os.makedirs(directory, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S") + ("-quick" if results["quick"] else "")
    json_path = os.path.join(directory, "benchmark-%s.json" % stamp)
    table_path = os.path.join(directory, "benchmark-%s.txt" % stamp)
    with open(json_path, "w") as f:
        json.dump(results, f, indent=1)
        f.write("\n")
    with open(table_path, "w") as f:
        f.write(format_table(results) + "\n")
    return json_path, table_path
