"""A run survives a hard kill (SIGKILL: the OOM killer, a power cut, a preempted job).

While it trains, a run keeps params.h5 and metrics.json ("status": "running") current on disk;
killed at any moment, ``--resume`` goes on from there and ends on the numbers of an unbroken
run (float64, to rounding). The lock a killed run leaves is recognised as dead and taken over;
a live one still refuses a second run (exit 2).
"""
import fcntl
import os
import signal
import subprocess
import sys

import numpy as np
import pytest

from conftest import (metrics_of, assert_one_error_line, call_script, run_script, signals_when_printed,
                      start_script, wait_for)
from tf_models.run import params_io, rundir

pytestmark = pytest.mark.slow  # starts processes: not in the fast run (-m "not slow")

N = 30000  # iterations of the shallow network on the flower: a few seconds with either backend


def progress_of(run_dir):
    """The iteration of the parameters a running run saved (0 until it saved past its start)."""
    try:
        return params_io.load_params(os.path.join(run_dir, "params.h5"))[1]["iterations_completed"]
    except ValueError:  # not written yet
        return 0


def killed_run(run_dir, backend):
    """A shallow run of N iterations killed with SIGKILL once it saved progress past its start;
    returns the iteration its params.h5 holds."""
    proc = start_script("train_shallow", "--backend", backend, "--iterations", N,
                        "--print-every", "1000", "--progress-seconds", "0.2", "--run-dir", run_dir)
    try:
        wait_for(lambda: progress_of(run_dir) > 0 or proc.poll() is not None,
                 "progress saved past the start")
        proc.kill()
    finally:
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    metrics = metrics_of(run_dir)
    _, attrs = params_io.load_params(os.path.join(run_dir, "params.h5"))
    assert metrics["status"] == "running" and os.path.exists(os.path.join(run_dir, rundir.LOCK))
    assert 0 < attrs["iterations_completed"] <= metrics["iterations_completed"] < N
    return attrs["iterations_completed"]


@pytest.mark.time_limit(300)
@pytest.mark.parametrize("backend", ["numpy", "tf"])
def test_a_killed_run_resumes_to_the_numbers_of_an_unbroken_run(tmp_path, backend):
    killed, resumed, unbroken = (str(tmp_path / name) for name in ("killed", "resumed", "unbroken"))
    at = killed_run(killed, backend)
    ran = run_script("train_shallow", "--resume", killed, "--run-dir", resumed)
    assert ran.status == 0, ran.err
    assert "resuming %s at iteration %d" % (killed, at) in ran.out
    assert not os.path.exists(os.path.join(killed, rundir.LOCK)), "the dead lock was taken over"
    assert call_script("train_shallow", "--backend", backend, "--iterations", N, "--print-every",
                       "1000", "--run-dir", unbroken).status == 0
    assert metrics_of(resumed)["resumed_from"]["run_dir"] == killed
    assert_same_record(resumed, unbroken, at)


def assert_same_record(resumed, unbroken, at):
    """The parameters and the record of costs of ``resumed`` (resumed from iteration ``at``)
    equal ``unbroken``'s; a run resumed between two records also holds the cost at ``at``."""
    got, want = metrics_of(resumed), metrics_of(unbroken)
    assert got["status"] == "completed" and got["iterations"] == want["iterations"]
    assert got["resumed_from"]["iteration"] == at
    p_got = params_io.load_params(os.path.join(resumed, "params.h5"))[0]
    p_want = params_io.load_params(os.path.join(unbroken, "params.h5"))[0]
    for key in sorted(p_want):
        np.testing.assert_allclose(p_got[key], p_want[key], rtol=1e-9, atol=1e-12,
                                   err_msg="%s: resumed vs unbroken" % key)
    costs, iterations = dict(got["costs"]), [i for i, _ in want["costs"]]
    assert sorted(costs) == sorted(set(iterations) | {at}), "records where an unbroken run has none"
    np.testing.assert_allclose([costs[i] for i in iterations], [J for _, J in want["costs"]],
                               rtol=1e-9, err_msg="costs: resumed vs unbroken")
    assert got["train_accuracy"] == want["train_accuracy"]


def test_a_run_stopped_between_two_records_resumes_on_the_unbroken_runs_records(tmp_path):
    """Ctrl-C at the record of iteration 100 stops the NumPy loop after update 101 (records
    every 10): resumed from there, up to its planned 300, the run records at 110, 120, ... as an
    unbroken run does, and ends on its numbers."""
    stopped, resumed, unbroken = (str(tmp_path / n) for n in ("stopped", "resumed", "unbroken"))
    args = ["--backend", "numpy", "--iterations", "300", "--print-every", "100"]
    with signals_when_printed("iteration    100", signal.SIGINT):
        assert call_script("train_shallow", *(args + ["--run-dir", stopped])).status == 130
    at = metrics_of(stopped)["iterations_completed"]
    assert at % 10 != 0, "the premise: stopped between two records"
    assert call_script("train_shallow", "--resume", stopped, "--run-dir", resumed).status == 0
    assert call_script("train_shallow", *(args + ["--run-dir", unbroken])).status == 0
    assert_same_record(resumed, unbroken, at)


def hold_lock(run_dir):
    """A lock on ``run_dir`` held by this (live) process, as a running training holds it."""
    fd = os.open(os.path.join(run_dir, rundir.LOCK), os.O_CREAT | os.O_RDWR, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.write(fd, ("%d\n" % os.getpid()).encode())
    return fd


def test_a_live_lock_refuses_resume_and_a_dead_one_is_taken_over(tmp_path):
    old = str(tmp_path / "old")
    assert call_script("train_shallow", "--backend", "numpy", "--iterations", "20",
                       "--run-dir", old).status == 0
    fd = hold_lock(old)
    try:
        ran = call_script("train_shallow", "--resume", old, "--run-dir", str(tmp_path / "new"))
        assert "in use by a running training (process %d" % os.getpid() in \
            assert_one_error_line(ran.status, ran.err)
        assert not os.path.exists(str(tmp_path / "new"))
    finally:
        os.close(fd)  # the holder is gone: its lock file stays, dead
    assert os.path.exists(os.path.join(old, rundir.LOCK))
    ran = call_script("train_shallow", "--resume", old, "--iterations", "10",
                      "--run-dir", str(tmp_path / "new"))
    assert ran.status == 0, ran.err
    assert not os.path.exists(os.path.join(old, rundir.LOCK))


def test_a_directory_holding_only_a_dead_lock_is_claimed_and_a_live_one_refused(tmp_path):
    run = str(tmp_path / "R")
    os.mkdir(run)
    # a process that held the lock and died without releasing it (as SIGKILL leaves it)
    dies = ("import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_CREAT | os.O_RDWR); "
            "fcntl.flock(fd, fcntl.LOCK_EX); os.write(fd, b'%d' % os.getpid()); os._exit(9)")
    assert subprocess.call([sys.executable, "-c", dies, os.path.join(run, rundir.LOCK)]) == 9
    assert os.listdir(run) == [rundir.LOCK]
    os.mkdir(str(tmp_path / "R2"))
    fd = hold_lock(str(tmp_path / "R2"))
    try:
        ran = call_script("train_logistic", "--backend", "numpy", "--iterations", "5",
                          "--run-dir", str(tmp_path / "R2"))
        assert "in use by a running training" in assert_one_error_line(ran.status, ran.err)
    finally:
        os.close(fd)
    ran = call_script("train_logistic", "--backend", "numpy", "--iterations", "5", "--run-dir", run)
    assert ran.status == 0, ran.err
    assert sorted(os.listdir(run)) == ["cost.png", "metrics.json", "params.h5"]


def test_resume_of_a_run_that_saved_nothing_says_so(tmp_path):
    run = str(tmp_path / "R")
    os.mkdir(run)
    open(os.path.join(run, rundir.LOCK), "w").close()  # killed while it read its data
    ran = call_script("train_shallow", "--resume", run, "--run-dir", str(tmp_path / "R2"))
    assert "saved no progress yet" in assert_one_error_line(ran.status, ran.err)


def test_the_saves_are_counted_and_the_last_record_is_the_runs(tmp_path):
    """In-process, progress every 0.05 s: metrics.json says how many saves there were and what
    they took; at the end params.h5 and metrics.json are the finished run's."""
    run = str(tmp_path / "R")
    assert call_script("train_shallow", "--backend", "numpy", "--iterations", "3000",
                       "--progress-seconds", "0.05", "--run-dir", run).status == 0
    m = metrics_of(run)
    saves = m["progress_saves"]
    assert m["status"] == "completed" and saves["count"] >= 1
    assert saves["seconds"] < m["train_seconds"]
    _, attrs = params_io.load_params(os.path.join(run, "params.h5"))
    assert attrs["iterations_completed"] == m["iterations"] == 3000
