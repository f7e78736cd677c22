"""The benchmark (benchmarks/benchmark.py with workloads.py and report.py) runs and reports.

Only that it works: run at tiny sizes (--quick), it must print its table, write its JSON with
every part measured (the end-to-end parts once) and name every target. No timing is asserted: these machines are shared and timings are noise here.
"""
import glob
import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, load_script

benchmark = load_script("workloads", folder="benchmarks")


def test_matmul_shapes_follow_forward_and_backward_passes():
    """Per layer: W A_prev, dZ A_prevᵀ; and Wᵀ dZ for every layer but the first (no dX)."""
    shapes = benchmark.matmul_shapes([2, 4, 1], 400)
    assert [s[:3] for s in shapes] == [(4, 2, 400), (4, 400, 2),             # layer 1
                                       (1, 4, 400), (1, 400, 4), (4, 1, 400)]  # layer 2
    assert benchmark.gemm_flops(shapes) == 2.0 * 400 * (8 + 8 + 4 + 4 + 4)


def test_gemm_runners_compute_the_products_of_those_shapes():
    workload = benchmark.QUICK_CAT
    X, Y = benchmark.make_data(workload)
    assert X.shape == (256, 32) and X.dtype == workload.dtype and Y.dtype == workload.dtype
    for make in benchmark.GEMM_RUNNERS.values():
        run, close = make(workload, X, Y)
        run(2)
        close()


@pytest.mark.time_limit(600)
def test_quick_benchmark_prints_the_table_and_writes_json(tmp_path):
    out = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "benchmark.py"),
                          "--quick", "--results-dir", str(tmp_path)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, timeout=600)
    assert out.returncode == 0, out.stderr.decode()[-2000:]
    table = out.stdout.decode()
    for implementation in ("tf loop", "tf feed", "numpy", "sklearn"):
        assert implementation in table
    assert "Targets:" in table
    [path] = glob.glob(str(tmp_path / "benchmark-*-quick.json"))
    with open(path) as f:
        results = json.load(f)
    assert results["quick"] is True
    for workload in results["workloads"].values():
        times = workload["seconds_per_iteration"]
        assert set(times) == {"tf loop", "tf feed", "numpy", "sklearn", "gemm tf", "gemm numpy",
                              "read X tf", "read X numpy"}
        assert all(t > 0 for t in times.values())
    assert {w["workload"]["dtype"] for w in list(results["workloads"].values())[1:]} == {
        "float32", "float64"}  # the cat-shaped network in both precisions
    parts = results["end_to_end"]
    for part in ("startup", "bare_loop", "train_shallow", "tf_train_seconds",
                 "numpy_train_seconds", "sklearn_fit"):
        assert len(parts[part]) == 1 and parts[part][0] > 0, part
    assert {(r["implementation"], r["m"], r["dtype"]) for r in results["scale"]} == {
        (i, m, d) for i in ("tf loop", "numpy") for m in benchmark.QUICK_SCALE_MS
        for d in benchmark.SCALE_DTYPES}
    assert all(r["peak_rss"] > 0 for r in results["scale"])
    assert len(results["targets"]) >= 6 and all("met" in t for t in results["targets"])
    names = " | ".join(t["target"] for t in results["targets"])
    for target in ("end to end / (start-up + import tf + bare loop) <= 1.25",
                   "train_seconds: tf / numpy <= 1", "train_seconds: tf / sklearn fit <= 1",
                   "deep float64: tf loop / memory floor", "deep float32: tf loop / memory floor"):
        assert target in names, target
