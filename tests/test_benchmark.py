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
# peers and report import their neighbours by name (as benchmark.py runs them)
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
import peers  # noqa: E402
import report  # noqa: E402

pytestmark = pytest.mark.slow  # starts processes: not in the fast run (-m "not slow")


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
    assert_peers_measured(results["peers"], table)
    assert len(results["targets"]) >= 6 and all("met" in t for t in results["targets"])
    names = " | ".join(t["target"] for t in results["targets"])
    for target in ("end to end / (start-up + import tf + bare loop) <= 1.25",
                   "train_seconds: tf / numpy <= 1", "train_seconds: tf / sklearn fit <= 1",
                   "deep float64: tf loop / memory floor", "deep float32: tf loop / memory floor"):
        assert target in names, target


def assert_peers_measured(measured, table):
    """The cat network beside its peers: this stack's TF and NumPy in both precisions, and
    PyTorch where an environment has it, else the one line that says it is absent."""
    stack = peers.stack_of()
    for dtype in ("float32", "float64"):
        times = measured["workloads"][dtype]["per_step"]
        for label in ("TF " + stack, "NumPy " + stack):
            assert len(times[label]) == 2 and all(t > 0 for t in times[label]), label
        if measured["torch_absent"] is None:
            assert measured["workloads"][dtype]["to_pytorch"]["PyTorch"] == 1.0
    if measured["torch_absent"] is not None:
        assert measured["torch_absent"].startswith("PyTorch: not measured: ")
        assert [line for line in table.splitlines() if "PyTorch" in line] == [
            measured["torch_absent"]]


def test_without_pytorch_one_line_says_so(tmp_path):
    missing = str(tmp_path / "no-such-python")
    path, line = peers.find_torch(missing)
    assert path is None and line.startswith("PyTorch: not measured: no %s (" % missing)
    assert "\n" not in line and ".venv-torch" in line
    not_torch = tmp_path / "python-without-torch"
    not_torch.write_text(u"#!/bin/sh\nexit 1\n")
    not_torch.chmod(0o755)
    path, line = peers.find_torch(str(not_torch))
    assert path is None and "cannot import torch" in line


def test_the_tf1_stacks_numpy_is_compared_with_the_modern_stacks_round_by_round():
    """NumPy pinned / NumPy modern: the median of the ratios of the same rounds; TF / PyTorch from
    the ratios measured in the same way."""
    entry = {"per_step": {"NumPy modern": [1.0, 2.0, 4.0], "NumPy pinned": [1.1, 2.6, 4.4],
                          "TF modern": [0.5, 1.0, 9.0], "PyTorch": [1.0, 2.0, 3.0]}}
    entry["to_pytorch"] = peers.ratios_to(entry["per_step"], "PyTorch")
    assert entry["to_pytorch"]["TF modern"] == 0.5
    found = {name: value for name, value, _ in report.peer_ratios({"workloads": {"float64": entry}})}
    assert found["cat float64: NumPy pinned / NumPy modern per step <= 1.25"] == 1.1
    assert found["cat float64: TF modern / PyTorch per step <= 1"] == 0.5


def test_the_class_benchmark_grades_its_class_and_prints_the_ratio():
    """benchmarks/grade_class.py at a tiny size: it checks the gradebook itself (every planted file
    failed, every correct one passed) and prints both timings and their ratio."""
    done = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "grade_class.py"),
                           "-n", "4", "--alone", "1"], cwd=ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE)
    out = done.stdout.decode("utf-8")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert "grade_class.py, 4 files" in out and "2 with a planted mistake, all found" in out
    ratio = float(out.rsplit("=", 1)[1])
    assert ratio > 0


@pytest.mark.time_limit(600)  # three runs of the main job: seconds each on a quiet machine
def test_the_hard_kill_benchmark_resumes_to_the_unbroken_run():
    """benchmarks/hard_kill.py on the main job, short: the killed run resumed to completion and
    ended on the unbroken run's parameters (float64, to 1e-9 relative)."""
    done = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "hard_kill.py"), "--jobs",
                           "main", "--iterations", "60000", "--kill-at", "0.5"], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = done.stdout.decode("utf-8")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    row = next(line for line in out.splitlines() if line.startswith("main "))
    assert "resumed: completed" in row and float(row.rsplit(" ", 1)[1]) <= 1e-9, row
