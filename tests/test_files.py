"""No run and no saved file is ever lost.

- an existing run directory is never overwritten;
- params.h5 and metrics.json are written atomically: a crash mid-write leaves the previous file
  whole and no temporary file behind;
- Ctrl-C (SIGINT) stops training between two whole updates and hands back consistent parameters
  (in-process, both backends); a script interrupted mid-run saves them, writes metrics.json with
  "status": "interrupted", and exits with 130 (subprocess, both backends).
"""
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from conftest import ROOT, toy_data
from tf_models import models
from tf_models.run import stopping
from tf_models.run import outputs, params_io, rundir


# ---- run directories ------------------------------------------------------------------------------

def test_an_existing_run_directory_is_never_overwritten(tmp_path):
    old = tmp_path / "run1"
    old.mkdir()
    (old / "metrics.json").write_text(u'{"status": "completed"}')
    with pytest.raises(ValueError) as info:
        rundir.make_run_dir(str(old), "shallow-tf")
    assert "already exists" in str(info.value) and "never overwritten" in str(info.value)
    assert os.listdir(str(old)) == ["metrics.json"]
    assert (old / "metrics.json").read_text() == u'{"status": "completed"}'


def test_a_file_or_an_unwritable_place_is_refused(tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text(u"keep me")
    with pytest.raises(ValueError, match="already exists"):
        rundir.make_run_dir(str(a_file), "x")
    with pytest.raises(ValueError, match="cannot create run directory"):
        rundir.make_run_dir(str(a_file / "run"), "x")  # a directory inside a file
    with pytest.raises(ValueError, match="cannot create a run directory"):
        rundir.make_run_dir(None, "x", root=str(a_file))
    assert a_file.read_text() == u"keep me"


def test_an_empty_directory_is_used_and_default_names_never_collide(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert rundir.make_run_dir(str(empty), "x") == str(empty)
    made = [rundir.make_run_dir(None, "deep-tf", root=str(tmp_path / "runs")) for _ in range(5)]
    assert len(set(made)) == 5 and all(os.path.isdir(d) for d in made)


# ---- atomic writes ---------------------------------------------------------------------------------

def _params(value):
    return {"W1": np.full((2, 3), value), "b1": np.zeros((2, 1)),
            "W2": np.full((1, 2), value), "b2": np.zeros((1, 1))}


ATTRS = {"model": "shallow", "layer_dims": [3, 2, 1], "activation": "tanh", "dtype": "float64"}


@pytest.mark.parametrize("crash", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_a_crash_mid_write_leaves_the_previous_file_whole(tmp_path, crash):
    path = str(tmp_path / "params.h5")
    params_io.save_params(path, _params(1.0), ATTRS)

    def half_write_then_crash(tmp):
        with open(tmp, "wb") as f:
            f.write(b"\x89HDF\r\n\x1a\n half a file")
        raise crash
    with pytest.raises(type(crash)):
        params_io.atomic_write(path, half_write_then_crash)
    assert os.listdir(str(tmp_path)) == ["params.h5"], "a temporary file was left behind"
    loaded, _ = params_io.load_params(path)
    np.testing.assert_array_equal(loaded["W1"], _params(1.0)["W1"])


def test_save_params_failing_inside_h5py_keeps_the_old_parameters(tmp_path):
    path = str(tmp_path / "params.h5")
    params_io.save_params(path, _params(1.0), ATTRS)
    unstorable = dict(_params(2.0), W2=np.array([object()]))  # h5py cannot store object arrays
    with pytest.raises(Exception):
        params_io.save_params(path, unstorable, ATTRS)
    assert os.listdir(str(tmp_path)) == ["params.h5"]
    loaded, attrs = params_io.load_params(path)
    np.testing.assert_array_equal(loaded["W2"], _params(1.0)["W2"])
    assert attrs["layer_dims"] == [3, 2, 1]


def test_metrics_json_is_written_atomically(tmp_path):
    path = str(tmp_path / "metrics.json")
    outputs.write_json(path, {"status": "completed", "final_cost": 0.25})
    with pytest.raises(TypeError):
        outputs.write_json(path, {"status": "completed", "bad": object()})  # fails mid-dump
    assert os.listdir(str(tmp_path)) == ["metrics.json"]
    with open(path) as f:
        assert json.load(f) == {"status": "completed", "final_cost": 0.25}


# ---- Ctrl-C inside the training loops (in-process) ---------------------------------------------

def _ctrl_c_at(record, times=1):
    """on_record that sends SIGINT to this process ``times`` times at iteration ``record``."""
    def on_record(i, J, _):
        if i == record:
            for _ in range(times):
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.01)
    return on_record


def test_numpy_training_stops_between_whole_updates():
    X, Y = toy_data(3, 20)
    p0 = models.initial_parameters("shallow", [3, 4, 1], "randn", 1)
    handler = signal.getsignal(signal.SIGINT)
    with pytest.raises(stopping.Interrupted) as info:
        models.train_numpy("shallow", X, Y, p0, 0.5, 10 ** 6, "tanh", record_every=10,
                           on_record=_ctrl_c_at(20))
    e = info.value
    assert isinstance(e, KeyboardInterrupt) and "interrupted at iteration" in str(e)
    assert signal.getsignal(signal.SIGINT) is handler, "the previous SIGINT handler is restored"
    assert 20 < e.iteration < 30 and e.costs[-1][0] == e.iteration
    # Exactly the parameters after e.iteration whole updates: no half-applied step.
    redo, costs = models.train_numpy("shallow", X, Y, p0, 0.5, e.iteration, "tanh", record_every=10)
    for k in redo:
        np.testing.assert_array_equal(e.parameters[k], redo[k], err_msg=k)
    assert e.costs[-1][1] == costs[-1][1]


def test_a_second_ctrl_c_stops_at_once_with_the_last_recorded_parameters():
    X, Y = toy_data(3, 20)
    p0 = models.initial_parameters("shallow", [3, 4, 1], "randn", 1)
    with pytest.raises(stopping.Interrupted) as info:
        models.train_numpy("shallow", X, Y, p0, 0.5, 10 ** 6, "tanh", record_every=10,
                           on_record=_ctrl_c_at(20, times=2))
    e = info.value
    assert e.iteration == 20
    redo, _ = models.train_numpy("shallow", X, Y, p0, 0.5, 20, "tanh", record_every=10)
    for k in redo:
        np.testing.assert_array_equal(e.parameters[k], redo[k], err_msg=k)


@pytest.mark.parametrize("mode", ["loop", "step"])
def test_tf_training_stops_after_the_running_session_call(mode):
    X, Y = toy_data(3, 20)
    p0 = models.initial_parameters("shallow", [3, 4, 1], "randn", 1)
    with pytest.raises(stopping.Interrupted) as info:
        models.train_tf("shallow", X, Y, p0, 0.5, 10 ** 6, "tanh", record_every=10,
                        on_record=_ctrl_c_at(20), mode=mode)
    e = info.value
    assert e.iteration == 20 and e.costs[-1][0] == 20
    redo, _ = models.train_numpy("shallow", X, Y, p0, 0.5, 20, "tanh", record_every=10)
    for k in redo:
        np.testing.assert_allclose(e.parameters[k], redo[k], rtol=1e-10, err_msg=k)


# ---- Ctrl-C on a script (subprocess) -----------------------------------------------------------

def interrupt_script(script, args, timeout=120):
    """Start ``script`` with ``args``, wait for its first progress line, send SIGINT.

    Returns (exit status, stdout, stderr)."""
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "scripts", script)] + args,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                            universal_newlines=True)
    seen = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        line = proc.stdout.readline()
        seen.append(line)
        if line.startswith("iteration") or not line:
            break
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, "".join(seen) + out, err


@pytest.mark.parametrize("backend", ["numpy", "tf"])
def test_ctrl_c_on_a_long_run_saves_it_and_exits_130(tmp_path, backend):
    run_dir = str(tmp_path / "run")
    status, out, err = interrupt_script("train_shallow.py", [
        "--backend", backend, "--iterations", "100000000", "--print-every", "1000",
        "--run-dir", run_dir])
    assert status == 130, (out, err)
    assert "Traceback" not in err, err
    assert "interrupted at iteration" in err and run_dir in err, err
    parameters, attrs = params_io.load_params(os.path.join(run_dir, "params.h5"))
    assert sorted(parameters) == ["W1", "W2", "b1", "b2"] and attrs["model"] == "shallow"
    assert all(np.isfinite(v).all() for v in parameters.values())
    with open(os.path.join(run_dir, "metrics.json")) as f:
        metrics = json.load(f)
    assert metrics["status"] == "interrupted"
    assert metrics["iterations_completed"] == metrics["costs"][-1][0] < 100000000
    assert metrics["final_cost"] == metrics["costs"][-1][1]
    if backend == "tf":  # the interrupted session's state is checkpointed at the same iteration
        folder = rundir.CHECKPOINT_DIR
        assert os.path.isfile(os.path.join(run_dir, folder, "model.ckpt-%d.index"
                                           % metrics["iterations_completed"]))
    # The saved parameters are the ones the metrics describe.
    from tf_models import datasets
    ds = datasets.load_dataset("flower")
    acc = models.accuracy("shallow", parameters, ds.X_train, ds.Y_train, "tanh")
    assert acc == pytest.approx(metrics["train_accuracy"])
