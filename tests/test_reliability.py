"""A run is a transaction: real scripts in subprocesses, a full disk, a memory limit, hostile files.

Each test checks the scripts (tf_models.run) against the contract of README "Exit statuses":
nothing trained is lost (params.h5 loadable from the run directory or from the place the one
error line names), no traceback, the documented exit status. (Signals: tests/test_signals.py;
a hard kill: tests/test_hard_kill.py.)
"""
import json
import os
import resource
import signal
import socket
import subprocess
import time

import h5py
import numpy as np
import pytest

from bad_inputs import course_h5
from conftest import (metrics_of, ROOT, CAT_TRAIN, assert_one_error_line, call_script, needs_catvnoncat,
                      run_script, start_script)
from tf_models.run import params_io, rundir

pytestmark = pytest.mark.slow  # starts processes: not in the fast run (-m "not slow")


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
    """A second run into a directory held by a live run ends at once with exit 2, before its
    data is read (here none could be); the holder's lock is untouched,
    and once released the directory counts as used only if the run left files."""
    held = rundir.claim(str(tmp_path / "R"), "x")
    data = str(tmp_path / "train.h5")
    with open(data, "w") as f:
        f.write("not HDF5")  # were it read first, the error would say so
    status, _, err = run_script("train_logistic", "--backend", "numpy", "--data", data,
                                "--run-dir", held.path)
    assert "in use by a running training" in assert_one_error_line(status, err)
    assert os.listdir(held.path) == [rundir.LOCK]
    with pytest.raises(ValueError, match="in use"):
        rundir.claim(held.path, "x")
    held.release()
    assert os.listdir(held.path) == []
    status, _, err = run_script("train_logistic", "--backend", "numpy", "--iterations", "5",
                            "--run-dir", held.path)
    assert status == 0, err
    assert sorted(os.listdir(held.path)) == ["cost.png", "metrics.json", "params.h5"]
    status, _, err = run_script("train_logistic", "--backend", "numpy", "--iterations", "5",
                            "--run-dir", held.path)
    assert "not empty" in assert_one_error_line(status, err)


def test_a_run_that_fails_before_training_leaves_no_directory(tmp_path):
    bad = course_h5(str(tmp_path / "bad.h5"), labels=[0, 1, 2, 0, 1, 0])
    status, _, err = run_script("train_logistic", "--backend", "numpy", "--data", bad,
                            "--run-dir", str(tmp_path / "R"))
    assert_one_error_line(status, err)
    assert not os.path.exists(str(tmp_path / "R"))


# ---- outputs in order of value, each failure contained --------------------------------------------

def test_a_full_disk_costs_the_pictures_not_the_parameters(tmp_path):
    """Files over 8 KB fail (RLIMIT_FSIZE, as a nearly full disk): cost.png is not written
    (and no partial one is left), params.h5 and metrics.json are; exit 2 naming cost.png."""
    run = str(tmp_path / "R")
    status, _, err = run_script("train_logistic", "--backend", "numpy", "--iterations", "20",
                            "--run-dir", run, preexec_fn=limit(FSIZE=8192))
    line = assert_one_error_line(status, err, alone=False)
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
        status, _, err = run_script("train_shallow", "--backend", "numpy", "--dataset", "digits",
                                "--hidden-units", "400", "--iterations", "5",
                                "--run-dir", str(disk / "R"), env={"TMPDIR": str(rescue)})
    finally:
        subprocess.call(["umount", str(disk)])
    line = assert_one_error_line(status, err, alone=False)
    saved = [p.strip() for p in line.split("; saved ", 1)[1].split(",")]
    assert any(p.startswith(str(rescue)) and p.endswith("params.h5") for p in saved), line
    params_io.load_params([p for p in saved if p.endswith("params.h5")][0])


@pytest.mark.parametrize("name, how", [("train_logistic", "dev_full"),
                                       ("train_logistic", "closed_pipe"),
                                       ("train_shallow", "closed_pipe"),
                                       ("train_logistic", "no_display")])
def test_stdout_and_pictures_never_cost_the_parameters(tmp_path, name, how):
    run = str(tmp_path / "R")
    args = ["--backend", "numpy", "--iterations", "3000", "--print-every", "1", "--run-dir", run]
    if how == "dev_full":
        with open("/dev/full", "w") as full:
            status, _, err = run_script("train_logistic", *args, stdout=full)
        assert "standard output failed" in assert_one_error_line(status, err)
    elif how == "closed_pipe":
        proc = start_script(name, *args)
        proc.stdout.readline()
        proc.stdout.close()  # as `| head -1` does
        status, err = proc.wait(timeout=120), proc.stderr.read()
        assert status == 0 and err == "", err
    else:
        env = {"MPLBACKEND": "TkAgg", "DISPLAY": ""}
        status, _, err = run_script("train_logistic", *args, env=env)
        if status == 0:  # matplotlib 3 falls back to Agg by itself
            assert os.path.isfile(os.path.join(run, "cost.png")), err
        else:            # matplotlib 2 fails to draw: contained, named
            assert "cost.png" in assert_one_error_line(status, err, alone=False)
    assert metrics_of(run)["status"] == "completed"
    params_io.load_params(os.path.join(run, "params.h5"))


def test_a_prediction_csv_is_whole_or_absent(tmp_path):
    run = str(tmp_path / "R")
    assert run_script("train_logistic", "--backend", "numpy", "--iterations", "5",
                  "--run-dir", run)[0] == 0
    out = str(tmp_path / "p.csv")
    status, _, err = run_script("predict", "--params", os.path.join(run, "params.h5"), "--out",
                            out, preexec_fn=limit(FSIZE=1024))
    assert "nothing was written" in assert_one_error_line(status, err)
    assert not os.path.exists(out) and [f for f in os.listdir(str(tmp_path))
                                        if f.startswith(".p.csv")] == []
    status, _, err = run_script("predict", "--params", os.path.join(run, "params.h5"), "--out", out)
    assert status == 0, err
    with open(out) as f:
        assert len(f.read().splitlines()) == 1 + 142  # the header and breast_cancer's test split


# ---- data fingerprints ----------------------------------------------------------------------------

def test_changed_data_is_refused_on_resume_and_flagged_by_predict(tmp_path):
    data = course_h5(str(tmp_path / "train.h5"), m=20)
    run = str(tmp_path / "R")
    assert run_script("train_logistic", "--backend", "numpy", "--data", data, "--iterations",
                  "5", "--run-dir", run)[0] == 0
    assert list(metrics_of(run)["data_fingerprints"]) == [data]
    with h5py.File(data, "r+") as f:
        f["train_set_y"][...] = 1 - f["train_set_y"][...]
    status, _, err = run_script("train_logistic", "--resume", run, "--iterations", "5",
                            "--run-dir", str(tmp_path / "R2"))
    assert "changed since" in assert_one_error_line(status, err)
    status, _, err = run_script("predict", "--params", os.path.join(run, "params.h5"),
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
    status, _, err = run_script("train_logistic", "--backend", "numpy", "--data", path,
                            "--run-dir", str(tmp_path / "R"), preexec_fn=limit(AS=2 * 2 ** 30))
    assert "huge.h5" in assert_one_error_line(status, err)


@needs_catvnoncat()
def test_a_model_too_large_for_the_memory_limit_is_refused_before_training(tmp_path):
    status, _, err = run_script("train_shallow", "--backend", "numpy", "--data", CAT_TRAIN,
                            "--hidden-units", "8000", "--run-dir", str(tmp_path / "R"),
                            preexec_fn=limit(AS=2 * 2 ** 30))
    assert "MB of memory" in assert_one_error_line(status, err)
    assert not os.path.exists(str(tmp_path / "R"))


# ---- every script, every flag, every locale -------------------------------------------------------

SCRIPTS = sorted(f[:-3] for f in os.listdir(os.path.join(ROOT, "scripts")) if f.endswith(".py"))


@pytest.mark.parametrize("name", SCRIPTS)
def test_every_help_encodes_in_an_ascii_locale_and_states_the_exit_statuses(name):
    status, out, err = run_script(name, "--help", env={"LC_ALL": "C", "LANG": "C"})
    assert status == 0 and err == "", err
    assert "130" in out and "143" in out and "exit status" in out


@pytest.mark.parametrize("args, words", [
    (["--iterations", "3000000000"], "at most 2147483647"),
    (["--print-every", "3e9"], "whole number"),
    (["--learning-rate", "nan"], "finite"),
])
def test_bad_flags_give_one_ascii_line(tmp_path, args, words):
    status, _, err = run_script("train_logistic", *args, env={"LC_ALL": "C"})
    assert words in assert_one_error_line(status, err)


def test_a_damaged_resume_source_ends_in_one_line(tmp_path):
    run = str(tmp_path / "R")
    assert run_script("train_logistic", "--backend", "numpy", "--iterations", "5",
                  "--run-dir", run)[0] == 0
    m = metrics_of(run)
    for bad in ({"costs": []}, {"costs": [5]}, {"layer_dims": 5}):
        with open(os.path.join(run, "metrics.json"), "w") as f:
            json.dump(dict(m, **bad), f)
        status, _, err = run_script("train_logistic", "--resume", run, "--run-dir",
                                str(tmp_path / "R2"))
        assert "metrics.json has" in assert_one_error_line(status, err)
        assert not os.path.exists(str(tmp_path / "R2"))
    with h5py.File(os.path.join(run, "params.h5"), "r+") as f:
        f.attrs["dtype"] = '"garbage"'
    status, _, err = run_script("predict", "--params", os.path.join(run, "params.h5"),
                            env={"LC_ALL": "C"})
    assert "attribute dtype" in assert_one_error_line(status, err)


def test_compare_backends_checks_its_output_before_training(tmp_path):
    for out, words in ((str(tmp_path / "plot.xyz"), "must end in"),
                       ("/dev/null/x.png", "not a directory")):
        status, stdout, err = run_script("compare_backends", "--model", "logistic", "--out", out)
        assert words in assert_one_error_line(status, err) and stdout == ""


def test_float32_overflow_names_the_file(tmp_path):
    x = np.full((4, 2, 1, 1), 1e39)
    path = course_h5(str(tmp_path / "big.h5"), m=4, x=x, labels=[0, 1, 0, 1])
    status, _, err = run_script("train_logistic", "--backend", "numpy", "--data", path,
                            "--dtype", "float32", "--run-dir", str(tmp_path / "R"))
    line = assert_one_error_line(status, err)
    assert "big.h5" in line and "float32" in line


# ---- divergence: the hard stop stays, a rising cost is remarked once ------------------------------

def test_a_rising_cost_is_remarked_once(tmp_path):
    run = str(tmp_path / "R")
    status, _, err = run_script("train_shallow", "--backend", "numpy", "--learning-rate", "500",
                            "--iterations", "300", "--print-every", "100", "--run-dir", run)
    assert status == 0, err
    costs = [J for _, J in metrics_of(run)["costs"]]
    assert max(costs[1:]) > costs[0]  # the premise: the cost did rise above its start
    assert err.count("above its starting value") == 1 and "learning rate 500" in err


# ---- input files are regular files ---------------------------------------------------------------

@pytest.fixture
def not_regular(tmp_path):
    """{what it is: path} of a FIFO, a directory, a device and a socket (none can be read as a
    file: the FIFO would wait for a writer for ever, /dev/zero never ends)."""
    fifo, folder, sock_path = (str(tmp_path / n) for n in ("pipe.h5", "folder.h5", "sock.h5"))
    os.mkfifo(fifo)
    os.mkdir(folder)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(sock_path)
    yield {"a named pipe (FIFO)": fifo, "a directory": folder, "a character device": "/dev/zero",
           "a socket": sock_path}
    sock.close()


# script, its arguments with {} for the path (predict.py's --params also takes a run directory:
# there the directory case is not an error)
WHERE = {"--data": ("train_logistic", ["--backend", "numpy", "--data", "{}"]),
         "--test-data": ("train_logistic", ["--backend", "numpy", "--data", "{train}",
                                            "--test-data", "{}"]),
         "predict --params": ("predict", ["--params", "{}"]),
         "predict --data": ("predict", ["--params", "{train}", "--data", "{}"]),
         "a learner's file": ("check_mine", ["{}"])}


KINDS = ["a named pipe (FIFO)", "a directory", "a character device", "a socket"]


@pytest.mark.parametrize("flag, kind", [(flag, kind) for flag in sorted(WHERE) for kind in KINDS
                                        if (flag, kind) != ("predict --params", "a directory")])
def test_a_path_that_is_not_a_regular_file_is_refused_at_once(tmp_path, not_regular, flag, kind):
    name, args = WHERE[flag]
    train = course_h5(str(tmp_path / "train.h5"))
    argv = [a.replace("{}", not_regular[kind]).replace("{train}", train) for a in args]
    started = time.time()
    ran = call_script(name, *(argv + ["--run-dir", str(tmp_path / "R")] if name != "predict" and
                             name != "check_mine" else argv))
    took = time.time() - started
    line = assert_one_error_line(ran.status, ran.err)
    assert kind in line and not_regular[kind] in line and "not a regular file" in line
    assert took < 1.0, "refused after %.2f s" % took
    assert not os.path.exists(str(tmp_path / "R"))


@pytest.mark.parametrize("kind", ["a named pipe (FIFO)", "a directory", "a character device"])
def test_a_process_given_a_fifo_a_directory_or_a_device_ends_at_once(tmp_path, not_regular, kind):
    ran = run_script("train_deep", "--data", not_regular[kind], "--run-dir", str(tmp_path / "R"))
    assert kind in assert_one_error_line(ran.status, ran.err)


def test_a_data_file_replaced_by_a_fifo_is_refused_on_resume(tmp_path):
    """The resumed run reads its data from the old run's record, not from a flag: the same check."""
    data = course_h5(str(tmp_path / "train.h5"), m=20)
    run = str(tmp_path / "R")
    assert call_script("train_logistic", "--backend", "numpy", "--data", data, "--iterations", "5",
                       "--run-dir", run).status == 0
    os.remove(data)
    os.mkfifo(data)
    ran = call_script("train_logistic", "--resume", run, "--run-dir", str(tmp_path / "R2"))
    assert "named pipe" in assert_one_error_line(ran.status, ran.err)
    assert not os.path.exists(str(tmp_path / "R2"))
