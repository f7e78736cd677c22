"""The training scripts end to end, as a user runs them (subprocesses, fresh run directories)."""
import json
import os

import pytest

from conftest import CAT_TEST, CAT_TRAIN, needs_catvnoncat, run_script

pytestmark = pytest.mark.slow  # starts processes: not in the fast run (-m "not slow")

METRICS_KEYS = {"model", "backend", "dtype", "dataset", "layer_dims", "activation", "learning_rate",
                "iterations", "seed", "costs", "final_cost", "train_accuracy", "test_accuracy",
                "train_seconds", "versions"}


def train(name, tmp_path, *args):
    """Run scripts/<name>.py with ``args`` into a new run dir (from ``tmp_path``, as a user's
    working directory); returns (metrics, stdout, run_dir)."""
    run_dir = str(tmp_path / ("%s-%d" % (name, len(os.listdir(str(tmp_path))))))
    ran = run_script(name, "--run-dir", run_dir, *args, cwd=str(tmp_path), timeout=600)
    assert ran.status == 0, ran.err
    with open(os.path.join(run_dir, "metrics.json")) as f:
        return json.load(f), ran.out, run_dir


def assert_complete_run_dir(run_dir, metrics, two_d):
    assert METRICS_KEYS <= set(metrics)
    assert 0 <= metrics["train_accuracy"] <= 1 and 0 <= metrics["test_accuracy"] <= 1
    assert metrics["costs"][-1] == [metrics["iterations"], metrics["final_cost"]]
    assert set(metrics["versions"]) >= {"python", "numpy", "tensorflow"}
    files = set(os.listdir(run_dir))
    assert {"metrics.json", "params.h5", "cost.png"} <= files
    assert ("decision_boundary.png" in files) == two_d
    if metrics["backend"] == "tf":
        events = [f for _, _, fs in os.walk(run_dir) for f in fs if "tfevents" in f]
        assert events, "TensorBoard event files missing"
        from tf_models.run.rundir import CHECKPOINT_DIR
        assert os.listdir(os.path.join(run_dir, CHECKPOINT_DIR)), "checkpoint missing"


def test_train_shallow_default_is_the_main_job(tmp_path):
    """No arguments: flower, n_h = 4, tanh, TF; ≥ 0.85 test accuracy, beside logistic regression."""
    metrics, out, run_dir = train("train_shallow", tmp_path)
    assert (metrics["model"], metrics["backend"], metrics["dataset"]) == ("shallow", "tf", "flower")
    assert metrics["layer_dims"] == [2, 4, 1] and metrics["activation"] == "tanh"
    assert metrics["test_accuracy"] >= 0.85
    assert "logistic regression" in out and "tensorboard --logdir" in out
    assert_complete_run_dir(run_dir, metrics, two_d=True)


@pytest.mark.parametrize("backend", ["tf", "numpy"])
def test_train_logistic_default_reaches_095_on_breast_cancer(tmp_path, backend):
    metrics, _, run_dir = train("train_logistic", tmp_path, "--backend", backend)
    assert metrics["dataset"] == "breast_cancer" and metrics["test_accuracy"] >= 0.95
    assert_complete_run_dir(run_dir, metrics, two_d=False)


def test_train_logistic_backends_agree_in_float64(tmp_path):
    costs = {}
    for backend in ("tf", "numpy"):
        metrics, _, _ = train("train_logistic", tmp_path, "--backend", backend,
                                   "--dtype", "float64", "--iterations", "500")
        costs[backend] = metrics["final_cost"]
    assert costs["tf"] == pytest.approx(costs["numpy"], rel=1e-10)


@pytest.mark.parametrize("backend", ["tf", "numpy"])
def test_train_deep_runs_with_both_backends_in_float32(tmp_path, backend):
    metrics, _, run_dir = train("train_deep", tmp_path, "--backend", backend, "--dtype",
                                     "float32", "--dataset", "moons", "--iterations", "300",
                                     "--layer-dims", "8,4,1", "--init", "he",
                                     "--learning-rate", "0.1")
    assert metrics["dtype"] == "float32" and metrics["layer_dims"] == [2, 8, 4, 1]
    assert metrics["final_cost"] < metrics["costs"][0][1]
    assert_complete_run_dir(run_dir, metrics, two_d=True)


@needs_catvnoncat()
@pytest.mark.parametrize("backend", ["tf", "numpy"])
def test_train_logistic_on_the_cat_files(tmp_path, backend):
    """The course's exercise: α = 0.005, 2000 iterations; the course reports cost 0.1356 and
    70 % test accuracy."""
    metrics, _, _ = train("train_logistic", tmp_path, "--backend", backend, "--data", CAT_TRAIN,
                               "--test-data", CAT_TEST, "--learning-rate", "0.005",
                               "--iterations", "2000", "--print-every", "500")
    assert metrics["final_cost"] == pytest.approx(0.135608, abs=1e-5)
    assert metrics["train_accuracy"] >= 0.95 and metrics["test_accuracy"] >= 0.65


@needs_catvnoncat()
@pytest.mark.time_limit(600)  # 2500 steps of the cat network
def test_train_deep_on_the_cat_files_reaches_070(tmp_path):
    metrics, _, _ = train("train_deep", tmp_path, "--data", CAT_TRAIN, "--test-data", CAT_TEST,
                               "--layer-dims", "20,7,5,1", "--print-every", "500")
    assert metrics["layer_dims"] == [12288, 20, 7, 5, 1]
    assert metrics["test_accuracy"] >= 0.7
