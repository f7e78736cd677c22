"""Ctrl-C (SIGINT) and SIGTERM at every moment of a script: never a death by signal, never a
traceback, never a lost or half-written output.

The signals are real (conftest.send_signals waits until each is delivered, so two Ctrl-C are two)
and each is sent at a moment named by a state: a line the script printed, the signal mask it
holds, never a guessed delay. Checked against README "Exit statuses and what a run guarantees":
130 after SIGINT, 143 after SIGTERM, the parameters so far saved, metrics.json marked.
"""
import ast
import os
import signal

import numpy as np
import pytest

from conftest import (metrics_of, CAT_TEST, CAT_TRAIN, ROOT, blocks, call_script, needs_catvnoncat, read_until,
                      send_signals, signals_when_printed, start_script, toy_data, wait_for)
from tf_models import datasets, models
from tf_models import stopping
from tf_models.run import endings, params_io, rundir

pytestmark = pytest.mark.slow  # starts processes: not in the fast run (-m "not slow")

STATUS = {signal.SIGINT: 130, signal.SIGTERM: 143}


def finish(proc):
    """(exit status, the rest of stdout, stderr) of a process being stopped."""
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out, err


def assert_outputs_whole(run_dir):
    """Whatever a stopped run left is whole: no temporary file, and if it saved, params.h5
    loadable and metrics.json saying which iteration it holds."""
    if not os.path.isdir(run_dir):
        return
    left = sorted(os.listdir(run_dir))
    assert not [f for f in left if f.startswith(".") and f != rundir.LOCK], left
    assert rundir.LOCK not in left, "the run ended without releasing its directory"
    if "metrics.json" in left:
        m = metrics_of(run_dir)
        assert m["status"] in ("completed", "interrupted"), m["status"]
        assert m["costs"][-1][0] == m.get("iterations_completed", m["iterations"])
        params_io.load_params(os.path.join(run_dir, "params.h5"))


# ---- the training loops, called as a library (in-process) ----------------------------------------

def _ctrl_c_at(record, times=1):
    """on_record that sends SIGINT to this process ``times`` times at iteration ``record``."""
    def on_record(i, J, _):
        if i == record:
            send_signals(os.getpid(), *[signal.SIGINT] * times)
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


# ---- a script called in-process (a test, a notebook) ---------------------------------------------

def _signal_state():
    return ({s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)},
            signal.pthread_sigmask(signal.SIG_BLOCK, []))


@pytest.mark.parametrize("argv", [
    ["--backend", "numpy", "--iterations", "5"],                    # a run that completes
    ["--backend", "numpy", "--iterations", "5", "--seed", "x"],     # a usage error (SystemExit)
    ["--backend", "numpy", "--iterations", "0"],                    # a checked flag (exit 2)
])
def test_a_script_called_in_process_gives_the_handlers_and_the_mask_back(tmp_path, argv):
    before = _signal_state()
    ran = call_script("train_logistic", *(argv + ["--run-dir", str(tmp_path / "R")]))
    assert ran.status in (0, 2), ran.err
    assert _signal_state() == before


def test_a_signal_stops_an_in_process_script_and_the_caller_keeps_its_handlers(tmp_path):
    """SIGTERM during an in-process run (sent by the run's own printing): 143, the parameters of
    the iteration reached saved, the caller's handlers untouched."""
    before = _signal_state()
    with signals_when_printed("iteration    100", signal.SIGTERM):
        ran = call_script("train_shallow", "--backend", "numpy", "--iterations", "100000",
                          "--print-every", "100", "--run-dir", str(tmp_path / "R"))
    assert ran.status == 143, ran.err
    assert "terminated (SIGTERM) at iteration" in ran.err and "Traceback" not in ran.err
    m = metrics_of(str(tmp_path / "R"))
    assert m["status"] == "interrupted" and 100 <= m["iterations_completed"] < 100000
    assert _signal_state() == before


# ---- a script as a program (subprocess) -----------------------------------------------------------

@pytest.mark.parametrize("backend", ["numpy", "tf"])
def test_ctrl_c_on_a_long_run_saves_it_and_exits_130(tmp_path, backend):
    run_dir = str(tmp_path / "run")
    proc = start_script("train_shallow", "--backend", backend, "--iterations", "100000000",
                        "--print-every", "1000", "--run-dir", run_dir)
    read_until(proc, "iteration   1000")
    send_signals(proc, signal.SIGINT)
    status, out, err = finish(proc)
    assert status == 130, (out, err)
    assert "Traceback" not in err, err
    assert "interrupted at iteration" in err and run_dir in err, err
    parameters, attrs = params_io.load_params(os.path.join(run_dir, "params.h5"))
    assert sorted(parameters) == ["W1", "W2", "b1", "b2"] and attrs["model"] == "shallow"
    assert all(np.isfinite(v).all() for v in parameters.values())
    metrics = metrics_of(run_dir)
    assert metrics["status"] == "interrupted"
    assert metrics["iterations_completed"] == metrics["costs"][-1][0] < 100000000
    assert attrs["iterations_completed"] == metrics["iterations_completed"]
    assert metrics["final_cost"] == metrics["costs"][-1][1]
    if backend == "tf":  # the interrupted session's state is checkpointed at the same iteration
        assert os.path.isfile(os.path.join(run_dir, rundir.CHECKPOINT_DIR, "model.ckpt-%d.index"
                                           % metrics["iterations_completed"]))
    # The saved parameters are the ones the metrics describe.
    ds = datasets.load_dataset("flower")
    acc = models.accuracy("shallow", parameters, ds.X_train, ds.Y_train, "tanh")
    assert acc == pytest.approx(metrics["train_accuracy"])
    assert_outputs_whole(run_dir)


@needs_catvnoncat()
@pytest.mark.time_limit(300)  # the cat data and TensorFlow's start on a loaded machine
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_tf_answers_a_signal_whatever_the_record_interval(tmp_path, sig):
    """TF, one record per 20000 steps: the run stops between bounded chunks of steps, saves
    the parameters of the iteration it reached (equal to a NumPy run of that many steps) and
    exits 128 + the signal."""
    run = str(tmp_path / "R")
    proc = start_script("train_deep", "--data", CAT_TRAIN, "--test-data", CAT_TEST,
                        "--iterations", "20000", "--print-every", "20000", "--run-dir", run)
    read_until(proc, "iteration      0")
    send_signals(proc, sig)
    status, _, err = finish(proc)  # 20000 cat steps would take minutes: stopped early
    assert status == STATUS[sig] and "Traceback" not in err, err
    m = metrics_of(run)
    n = m["iterations_completed"]
    assert m["status"] == "interrupted" and 0 <= n < 20000 and m["costs"][-1][0] == n
    trained, attrs = params_io.load_params(os.path.join(run, "params.h5"))
    from tf_models.run import h5files
    ds = h5files.load(CAT_TRAIN, CAT_TEST)
    p0 = models.initial_parameters("deep", attrs["layer_dims"], "xavier", 1)
    redo = models.train_numpy("deep", ds.X_train, ds.Y_train, p0, m["learning_rate"], n, "relu",
                              record_every=max(n, 1))[0] if n else p0
    for k in redo:
        np.testing.assert_allclose(trained[k], redo[k], rtol=1e-9, atol=1e-12, err_msg=k)


# The moments of a run, each named by the state that marks it: (what the test waits for, the
# backend, the statuses the run may end with). Two signals are sent at each.
MOMENTS = {
    "the imports": ("blocked", "tf", "stop"),
    "before training": ("layer_dims", "tf", "stop"),
    "training": ("iteration      0", "numpy", "stop"),
    "the saving": ("iteration   3000", "numpy", "stop"),
    "after the saving": ("train accuracy", "numpy", "stop"),
    "the very end": ("outputs in", "tf", "stop or success"),
}


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("moment", sorted(MOMENTS))
def test_two_signals_at_any_moment_end_in_the_documented_status(tmp_path, moment, sig):
    """Never a death by signal (a negative status) or a traceback; the outputs whole."""
    state, backend, outcome = MOMENTS[moment]
    run = str(tmp_path / "R")
    proc = start_script("train_shallow", "--backend", backend, "--iterations", "3000",
                        "--print-every", "1000", "--run-dir", run)
    if state == "blocked":  # program.begin holds the signals while the imports run
        wait_for(lambda: proc.poll() is not None or blocks(proc, signal.SIGINT),
                 "the script to hold its signals")
    else:
        read_until(proc, state)
    send_signals(proc, sig, sig)
    status, out, err = finish(proc)
    assert "Traceback" not in err, err
    assert status in ((STATUS[sig], 0) if outcome == "stop or success" else (STATUS[sig],)), \
        (status, out, err)
    assert_outputs_whole(run)


def test_sigterm_before_training_leaves_nothing(tmp_path):
    run = str(tmp_path / "R")
    proc = start_script("train_deep", "--backend", "tf", "--iterations", "50", "--run-dir", run)
    read_until(proc, "layer_dims")  # the data are read; the graph is being built
    send_signals(proc, signal.SIGTERM)
    status, _, err = finish(proc)
    assert status == 143 and "Traceback" not in err, err
    assert "nothing was trained" in err or os.path.exists(os.path.join(run, "params.h5"))
    assert_outputs_whole(run)


# ---- every script ends through one exit -----------------------------------------------------------

SCRIPTS = sorted(f for f in os.listdir(os.path.join(ROOT, "scripts")) if f.endswith(".py"))


def _is_main_block(node):
    return isinstance(node, ast.If) and "__main__" in ast.dump(node.test)


@pytest.mark.parametrize("name", SCRIPTS)
def test_every_script_holds_its_signals_from_its_first_import_and_exits_through_program(name):
    """The first import is tf_models.run.program, then ``program.begin()`` when run as the
    main module, before any other import (NumPy's starts OpenBLAS's threads); the last
    statement ``program.exit(main)``."""
    with open(os.path.join(ROOT, "scripts", name), "rb") as f:
        body = ast.parse(f.read()).body
    body = body[1:] if isinstance(body[0], ast.Expr) else body  # the docstring
    first, second, last = body[0], body[1], body[-1]
    assert isinstance(first, ast.ImportFrom) and first.module == "tf_models.run" and \
        [a.name for a in first.names] == ["program"], name
    assert _is_main_block(second) and "program" in ast.dump(second) and \
        "begin" in ast.dump(second), name
    assert _is_main_block(last) and len(last.body) == 1, name
    call = last.body[0].value
    assert isinstance(call, ast.Call) and ast.dump(call.func).count("exit") == 1 and \
        "program" in ast.dump(call.func) and [ast.dump(a) for a in call.args] == \
        [ast.dump(ast.Name(id="main", ctx=ast.Load()))], name


def test_a_ctrl_c_that_python_3_6_wraps_in_a_system_error_is_still_a_ctrl_c():
    """Python 3.6 turns a KeyboardInterrupt raised while ``compile`` runs (a lazy import) into
    "SystemError: ... returned a result with an error set", caused by it: the ending is 130, not a
    bug's 1. A SystemError of its own stays a bug."""
    def wrapped(cause):
        try:
            try:
                raise cause
            except BaseException as k:
                raise SystemError("<built-in function compile> returned a result with an error set") from k
        except SystemError as e:
            return e
    assert endings.ending(wrapped(KeyboardInterrupt("interrupted"))) == 130
    assert endings.ending(wrapped(RuntimeError("boom"))) == 1
