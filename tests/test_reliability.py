"""A run is a transaction: real scripts in subprocesses, real signals, a full disk, a memory limit.

Each test checks the scripts (tf_models.run) against the contract of README "Exit statuses":
nothing trained is lost (params.h5 loadable from the run directory or from the place the one
error line names), no traceback, the documented exit status.
"""
import json
import os
import resource
import signal
import subprocess
import sys
import time

import h5py
import numpy as np
import pytest

from bad_inputs import course_h5
from conftest import ROOT, needs_catvnoncat, CAT_TRAIN, CAT_TEST
from tf_models import models
from tf_models.run import params_io, rundir

ENV = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", PYTHONPATH=ROOT)


def script(name, *args, **kw):
    """Run scripts/<name> with ``args``; returns (status, stdout, stderr)."""
    env = dict(ENV, **kw.pop("env", {}))
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", name)] + list(args),
                          stdout=kw.pop("stdout", subprocess.PIPE), stderr=subprocess.PIPE,
                          env=env, cwd=kw.pop("cwd", ROOT), timeout=kw.pop("timeout", 300), **kw)
    out = proc.stdout.decode("utf-8", "replace") if proc.stdout else ""
    return proc.returncode, out, proc.stderr.decode("utf-8", "replace")


def one_error_line(err, status):
    """The stderr of a failed script: no traceback, and its last line the one ``error:``."""
    assert "Traceback" not in err, err
    lines = [l for l in err.splitlines() if l.strip()]
    assert lines and lines[-1].startswith("error: "), err
    assert status == 2, (status, err)
    return lines[-1]


def metrics_of(run_dir):
    with open(os.path.join(run_dir, "metrics.json")) as f:
        return json.load(f)


def limit(**limits):
    """preexec_fn setting resource limits (RLIMIT_<NAME>=bytes) in the child; SIGXFSZ ignored,
    so that a write over RLIMIT_FSIZE fails with EFBIG as a full disk fails with ENOSPC."""
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        for name, value in limits.items():
            resource.setrlimit(getattr(resource, "RLIMIT_" + name), (value, value))
    return apply


# ---- a run owns its directory --------------------------------------------------------------------

def test_a_claimed_directory_is_refused_before_any_data_is_read(tmp_path):
    """A second run into a directory held by a live run ends at once with exit 2 (here its
    --data does not even exist: the directory is checked first); the holder's lock is untouched,
    and once released the directory counts as used only if the run left files."""
    held = rundir.claim(str(tmp_path / "R"), "x")
    status, _, err = script("train_logistic.py", "--backend", "numpy", "--data",
                            str(tmp_path / "missing.h5"), "--run-dir", held.path)
    assert "in use by another run" in one_error_line(err, status)
    assert os.listdir(held.path) == [rundir.LOCK]
    with pytest.raises(ValueError, match="in use"):
        rundir.claim(held.path, "x")
    held.release()
    assert os.listdir(held.path) == []
    status, _, err = script("train_logistic.py", "--backend", "numpy", "--iterations", "5",
                            "--run-dir", held.path)
    assert status == 0, err
    assert sorted(os.listdir(held.path)) == ["cost.png", "metrics.json", "params.h5"]
    status, _, err = script("train_logistic.py", "--backend", "numpy", "--iterations", "5",
                            "--run-dir", held.path)
    assert "not empty" in one_error_line(err, status)


def test_a_run_that_fails_before_training_leaves_no_directory(tmp_path):
    bad = course_h5(str(tmp_path / "bad.h5"), labels=[0, 1, 2, 0, 1, 0])
    status, _, err = script("train_logistic.py", "--backend", "numpy", "--data", bad,
                            "--run-dir", str(tmp_path / "R"))
    one_error_line(err, status)
    assert not os.path.exists(str(tmp_path / "R"))


# ---- one stop path: SIGINT and SIGTERM at any moment ---------------------------------------------

def signalled(args, signals_, after="iteration      0", delay=0.5):
    """Start a training script, wait for the line ``after``, then send ``signals_`` 50 ms apart.
    Returns (status, stderr)."""
    proc = subprocess.Popen([sys.executable] + args, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=ENV, cwd=ROOT, universal_newlines=True)
    if after:
        for line in proc.stdout:
            if after in line:
                break
    time.sleep(delay)
    for s in signals_:
        proc.send_signal(s)
        time.sleep(0.05)
    _, err = proc.communicate(timeout=120)  # 20000 cat steps would take minutes: stopped early
    return proc.returncode, err


@needs_catvnoncat()
@pytest.mark.parametrize("sig, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_tf_answers_a_signal_whatever_the_record_interval(tmp_path, sig, status):
    """TF, one record per 20000 steps: the run stops between bounded chunks of steps, saves
    the parameters of the iteration it reached (equal to a NumPy run of that many steps) and
    exits 128 + the signal."""
    run = str(tmp_path / "R")
    got, err = signalled([os.path.join(ROOT, "scripts", "train_deep.py"), "--data", CAT_TRAIN,
                          "--test-data", CAT_TEST, "--iterations", "20000", "--print-every",
                          "20000", "--run-dir", run], [sig])
    assert got == status and "Traceback" not in err, err
    m = metrics_of(run)
    n = m["iterations_completed"]
    assert m["status"] == "interrupted" and 0 < n < 20000 and m["costs"][-1][0] == n
    trained, attrs = params_io.load_params(os.path.join(run, "params.h5"))
    ds_X, ds_Y = _cat_train()
    p0 = models.initial_parameters("deep", attrs["layer_dims"], "xavier", 1)
    redo, _ = models.train_numpy("deep", ds_X, ds_Y, p0, m["learning_rate"], n, "relu",
                                 record_every=n)
    for k in redo:
        np.testing.assert_allclose(trained[k], redo[k], rtol=1e-9, atol=1e-12, err_msg=k)


def _cat_train():
    from tf_models.run import h5files
    ds = h5files.load(CAT_TRAIN, CAT_TEST)
    return ds.X_train, ds.Y_train


@pytest.mark.parametrize("delay", [0.0, 0.3])
def test_ctrl_c_twice_at_the_end_of_a_run_never_costs_its_outputs(tmp_path, delay):
    """Ctrl-C twice right after the last record (the saving): exit 130, and params.h5 and
    metrics.json whole, saying what they hold."""
    run = str(tmp_path / "R")
    status, err = signalled([os.path.join(ROOT, "scripts", "train_shallow.py"), "--backend",
                             "numpy", "--iterations", "200", "--print-every", "100",
                             "--run-dir", run], [signal.SIGINT, signal.SIGINT],
                            after="iteration    200", delay=delay)
    assert status == 130 and "Traceback" not in err, err
    m = metrics_of(run)
    assert m["status"] in ("completed", "interrupted")
    held = m.get("iterations_completed", m["iterations"])
    assert m["costs"][-1][0] == held
    params_io.load_params(os.path.join(run, "params.h5"))


def test_a_signal_before_training_leaves_nothing(tmp_path):
    run = str(tmp_path / "R")
    status, err = signalled([os.path.join(ROOT, "scripts", "train_deep.py"), "--backend", "tf",
                             "--iterations", "50", "--run-dir", run], [signal.SIGTERM],
                            after=None, delay=1.0)
    assert status == 143 and "Traceback" not in err, err
    assert "nothing was trained" in err or os.path.exists(os.path.join(run, "params.h5"))


# ---- outputs in order of value, each failure contained --------------------------------------------

def test_a_full_disk_costs_the_pictures_not_the_parameters(tmp_path):
    """Files over 8 KB fail (RLIMIT_FSIZE, as a nearly full disk): cost.png is not written
    (and no partial one is left), params.h5 and metrics.json are; exit 2 naming cost.png."""
    run = str(tmp_path / "R")
    status, _, err = script("train_logistic.py", "--backend", "numpy", "--iterations", "20",
                            "--run-dir", run, preexec_fn=limit(FSIZE=8192))
    line = one_error_line(err, status)
    assert "cost.png" in line and "params.h5" in line.split("saved", 1)[1]
    assert sorted(os.listdir(run)) == ["metrics.json", "params.h5"]
    params_io.load_params(os.path.join(run, "params.h5"))


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root; the test above "
                    "covers a full disk with RLIMIT_FSIZE")
def test_a_run_directory_that_cannot_take_the_parameters_sends_them_elsewhere(tmp_path):
    """A 64 KB tmpfs as the run's disk: params.h5 goes to a new folder under TMPDIR, and the
    one error line says where."""
    disk, rescue = tmp_path / "disk", tmp_path / "tmp"
    disk.mkdir()
    rescue.mkdir()
    subprocess.check_call(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)])
    try:
        status, _, err = script("train_shallow.py", "--backend", "numpy", "--dataset", "digits",
                                "--hidden-units", "400", "--iterations", "5",
                                "--run-dir", str(disk / "R"), env={"TMPDIR": str(rescue)})
    finally:
        subprocess.call(["umount", str(disk)])
    line = one_error_line(err, status)
    saved = [p.strip() for p in line.split("; saved ", 1)[1].split(",")]
    assert any(p.startswith(str(rescue)) and p.endswith("params.h5") for p in saved), line
    params_io.load_params([p for p in saved if p.endswith("params.h5")][0])


@pytest.mark.parametrize("how", ["dev_full", "closed_pipe", "no_display"])
def test_stdout_and_pictures_never_cost_the_parameters(tmp_path, how):
    run = str(tmp_path / "R")
    args = ["--backend", "numpy", "--iterations", "3000", "--print-every", "1", "--run-dir", run]
    if how == "dev_full":
        with open("/dev/full", "w") as full:
            status, _, err = script("train_logistic.py", *args, stdout=full)
        assert "standard output failed" in one_error_line(err, status)
    elif how == "closed_pipe":
        proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "scripts",
                                                              "train_logistic.py")] + args,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
        proc.stdout.readline()
        proc.stdout.close()  # as `| head -1` does
        status, err = proc.wait(timeout=120), proc.stderr.read().decode()
        assert status == 0 and err == "", err
    else:
        env = {"MPLBACKEND": "TkAgg", "DISPLAY": ""}
        status, _, err = script("train_logistic.py", *args, env=env)
        if status == 0:  # matplotlib 3 falls back to Agg by itself
            assert os.path.isfile(os.path.join(run, "cost.png")), err
        else:            # matplotlib 2 fails to draw: contained, named
            assert "cost.png" in one_error_line(err, status)
    assert metrics_of(run)["status"] == "completed"
    params_io.load_params(os.path.join(run, "params.h5"))


def test_a_prediction_csv_is_whole_or_absent(tmp_path):
    run = str(tmp_path / "R")
    assert script("train_logistic.py", "--backend", "numpy", "--iterations", "5",
                  "--run-dir", run)[0] == 0
    out = str(tmp_path / "p.csv")
    status, _, err = script("predict.py", "--params", os.path.join(run, "params.h5"), "--out",
                            out, preexec_fn=limit(FSIZE=1024))
    assert "nothing was written" in one_error_line(err, status)
    assert not os.path.exists(out) and [f for f in os.listdir(str(tmp_path))
                                        if f.startswith(".p.csv")] == []
    status, _, err = script("predict.py", "--params", os.path.join(run, "params.h5"), "--out", out)
    assert status == 0, err
    with open(out) as f:
        assert len(f.read().splitlines()) == 1 + 142  # the header and breast_cancer's test split


# ---- data fingerprints ----------------------------------------------------------------------------

def test_changed_data_is_refused_on_resume_and_flagged_by_predict(tmp_path):
    data = course_h5(str(tmp_path / "train.h5"), m=20)
    run = str(tmp_path / "R")
    assert script("train_logistic.py", "--backend", "numpy", "--data", data, "--iterations",
                  "5", "--run-dir", run)[0] == 0
    assert list(metrics_of(run)["data_fingerprints"]) == [data]
    with h5py.File(data, "r+") as f:
        f["train_set_y"][...] = 1 - f["train_set_y"][...]
    status, _, err = script("train_logistic.py", "--resume", run, "--iterations", "5",
                            "--run-dir", str(tmp_path / "R2"))
    assert "changed since" in one_error_line(err, status)
    status, _, err = script("predict.py", "--params", os.path.join(run, "params.h5"),
                            "--data", data)
    assert status == 0 and "changed since" in err


# ---- memory checked before it is spent ------------------------------------------------------------

def test_a_huge_declared_shape_is_refused_without_reading_it(tmp_path):
    """A few KB of gzip declaring 2 × 150 million features: refused from the declared shape."""
    path = str(tmp_path / "huge.h5")
    with h5py.File(path, "w") as f:
        f.create_dataset("train_set_x", shape=(2, 150000000), dtype="uint8",
                         compression="gzip", chunks=(1, 10 ** 6))
        f["train_set_y"] = np.array([0, 1])
    assert os.path.getsize(path) < 100000
    status, _, err = script("train_logistic.py", "--backend", "numpy", "--data", path,
                            "--run-dir", str(tmp_path / "R"), preexec_fn=limit(AS=2 * 2 ** 30))
    assert "huge.h5" in one_error_line(err, status)


@needs_catvnoncat()
def test_a_model_too_large_for_the_memory_limit_is_refused_before_training(tmp_path):
    status, _, err = script("train_shallow.py", "--backend", "numpy", "--data", CAT_TRAIN,
                            "--hidden-units", "8000", "--run-dir", str(tmp_path / "R"),
                            preexec_fn=limit(AS=2 * 2 ** 30))
    assert "MB of memory" in one_error_line(err, status)
    assert not os.path.exists(str(tmp_path / "R"))


# ---- every script, every flag, every locale -------------------------------------------------------

SCRIPTS = sorted(f for f in os.listdir(os.path.join(ROOT, "scripts")) if f.endswith(".py"))


@pytest.mark.parametrize("name", SCRIPTS)
def test_every_help_encodes_in_an_ascii_locale_and_states_the_exit_statuses(name):
    status, out, err = script(name, "--help", env={"LC_ALL": "C", "LANG": "C"})
    assert status == 0 and err == "", err
    assert "130" in out and "143" in out and "exit status" in out


@pytest.mark.parametrize("args, words", [
    (["--iterations", "3000000000"], "at most 2147483647"),
    (["--print-every", "3e9"], "whole number"),
    (["--learning-rate", "nan"], "finite"),
])
def test_bad_flags_give_one_ascii_line(tmp_path, args, words):
    status, _, err = script("train_logistic.py", *args, env={"LC_ALL": "C"})
    assert words in one_error_line(err, status)


def test_a_damaged_resume_source_ends_in_one_line(tmp_path):
    run = str(tmp_path / "R")
    assert script("train_logistic.py", "--backend", "numpy", "--iterations", "5",
                  "--run-dir", run)[0] == 0
    m = metrics_of(run)
    for bad in ({"costs": []}, {"costs": [5]}, {"layer_dims": 5}):
        with open(os.path.join(run, "metrics.json"), "w") as f:
            json.dump(dict(m, **bad), f)
        status, _, err = script("train_logistic.py", "--resume", run, "--run-dir",
                                str(tmp_path / "R2"))
        assert "metrics.json has" in one_error_line(err, status)
        assert not os.path.exists(str(tmp_path / "R2"))
    with h5py.File(os.path.join(run, "params.h5"), "r+") as f:
        f.attrs["dtype"] = '"garbage"'
    status, _, err = script("predict.py", "--params", os.path.join(run, "params.h5"),
                            env={"LC_ALL": "C"})
    assert "attribute dtype" in one_error_line(err, status)


def test_compare_backends_checks_its_output_before_training(tmp_path):
    for out, words in ((str(tmp_path / "plot.xyz"), "must end in"),
                       ("/dev/null/x.png", "not a directory")):
        status, stdout, err = script("compare_backends.py", "--model", "logistic", "--out", out)
        assert words in one_error_line(err, status) and stdout == ""


def test_float32_overflow_names_the_file(tmp_path):
    x = np.full((4, 2, 1, 1), 1e39)
    path = course_h5(str(tmp_path / "big.h5"), m=4, x=x, labels=[0, 1, 0, 1])
    status, _, err = script("train_logistic.py", "--backend", "numpy", "--data", path,
                            "--dtype", "float32", "--run-dir", str(tmp_path / "R"))
    line = one_error_line(err, status)
    assert "big.h5" in line and "float32" in line


# ---- divergence: the hard stop stays, a rising cost is remarked once ------------------------------

def test_a_rising_cost_is_remarked_once(tmp_path):
    run = str(tmp_path / "R")
    status, _, err = script("train_shallow.py", "--backend", "numpy", "--learning-rate", "500",
                            "--iterations", "300", "--print-every", "100", "--run-dir", run)
    assert status == 0, err
    costs = [J for _, J in metrics_of(run)["costs"]]
    assert max(costs[1:]) > costs[0]  # the premise: the cost did rise above its start
    assert err.count("above its starting value") == 1 and "learning rate 500" in err
