"""Shared test helpers. Each test builds its own tf.Graph and Session (through ModelGraph).

The package is installed into each stack's environment (``pip install -e .``, done by env.sh),
so ``import tf_models`` needs no path setting here.

Scripts: ``run_script`` (a subprocess), ``call_script`` (in-process), ``start_script`` with
``read_until`` (a running process); ``send_signals`` (signals, each waited for until delivered);
``signals_when_printed`` (an in-process script, signalled when it prints a line); ``wait_for``
(a state: a file, a value); ``assert_one_error_line`` (the one ``error:`` line).
Every test has a time limit (TIME_LIMIT seconds; ``@pytest.mark.time_limit(s)`` for a long one).
"""
import collections
import contextlib
import faulthandler
import importlib.util
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SHARED_DATA = os.path.join(ROOT, "..", "shared", "data", "catvnoncat")
CAT_TRAIN = os.path.join(SHARED_DATA, "train_catvnoncat.h5")
CAT_TEST = os.path.join(SHARED_DATA, "test_catvnoncat.h5")

# Parity tolerances (relative) by dtype: float64 to rounding, float32 to its seven digits.
RTOL = {"float64": 1e-10, "float32": 1e-5}


def needs_catvnoncat():
    """Skip (with the reason) where the course's cat/non-cat files are not beside the project."""
    return pytest.mark.skipif(not (os.path.isfile(CAT_TRAIN) and os.path.isfile(CAT_TEST)),
                              reason="../shared/data/catvnoncat/ is absent (a user's clone has no copy)")


_LOADED = {}


def load_script(name, folder="scripts"):
    """The program ``<folder>/<name>.py`` as a module, imported once, so that a test can call its
    ``main(argv)`` in-process (a subprocess costs a TensorFlow import each)."""
    path = os.path.join(ROOT, folder, name + ".py")
    if path not in _LOADED:
        spec = importlib.util.spec_from_file_location("%s_%s" % (folder, name), path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _LOADED[path] = module
    return _LOADED[path]


def toy_data(n_x=3, m=20, seed=0, dtype="float64"):
    """Small random X (n_x, m) and 0/1 labels Y (1, m) with both classes present."""
    rng = np.random.RandomState(seed)
    X = rng.randn(n_x, m)
    Y = (rng.rand(1, m) > 0.5).astype(np.float64)
    Y[0, 0], Y[0, 1] = 0, 1
    return X.astype(dtype), Y.astype(dtype)


def assert_close_dicts(mine, theirs, rtol, label_mine="NumPy", label_theirs="TF", atol_scale=1e-12):
    """Every key of ``mine`` close to ``theirs``: |a − b| ≤ rtol·max|b| (+ a floor for all-zero arrays).

    The tolerance is relative to the array's largest entry, so tiny entries of a gradient are
    held to the precision of its big ones. The message names the tensor and both values."""
    for key in sorted(mine):
        a = np.asarray(mine[key], dtype=np.float64)
        b = np.asarray(theirs[key], dtype=np.float64)
        assert a.shape == b.shape, "%s: shape %s (%s) vs %s (%s)" % (key, a.shape, label_mine,
                                                                      b.shape, label_theirs)
        scale = max(np.max(np.abs(b)) if b.size else 0.0, atol_scale)
        np.testing.assert_allclose(a, b, rtol=0, atol=rtol * scale,
                                   err_msg="%s: %s vs %s" % (key, label_mine, label_theirs))


def assert_same_training(results, reference="loop"):
    """Every {mode: (parameters, costs)} of ``results`` equals ``reference``'s bit for bit: the
    costs at every record, then each parameter (the message names the mode and the tensor)."""
    p_ref, costs_ref = results[reference]
    for mode in sorted(m for m in results if m != reference):
        p_mode, costs_mode = results[mode]
        assert costs_mode == costs_ref, "costs: %s vs %s" % (mode, reference)
        for name in sorted(p_ref):
            np.testing.assert_array_equal(p_mode[name], p_ref[name],
                                          err_msg="%s: %s vs %s" % (name, mode, reference))


# Property tests (hypothesis): in CI (CI=true), a fixed example sequence, so that a landing never
# depends on luck; locally, fresh random examples every run, and the example database in
# .hypothesis/ replays a failure found here on the next run (print_blob shows how to reproduce it).
try:
    from hypothesis import settings as _hypothesis_settings
    from hypothesis.database import DirectoryBasedExampleDatabase
    _hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
    _hypothesis_settings.register_profile("dev", print_blob=True, database=DirectoryBasedExampleDatabase(
        os.path.join(ROOT, ".hypothesis", "examples")))
    _hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")
except ImportError:  # pragma: no cover - hypothesis is in every stack's requirements
    pass


# ---- a time limit for every test ------------------------------------------------------------------
# A hang fails that test in seconds, not at CI's limit: SIGALRM raises TimeLimitExceeded in the
# test after TIME_LIMIT seconds of each phase (setup, call, teardown); if the test is stuck where
# Python cannot raise (a C call that never returns), faulthandler ends the whole run
# TIME_LIMIT_GRACE seconds later with every thread's traceback. (pytest-timeout does the same;
# this needs no new dependency.)
TIME_LIMIT = 120.0  # seconds per phase: ten times what the slowest unmarked test takes quietly
TIME_LIMIT_GRACE = 60.0


class TimeLimitExceeded(Exception):
    """A test ran past its time limit."""


def pytest_configure(config):
    config.addinivalue_line("markers", "time_limit(seconds): this test's longer time limit "
                                       "(default %d s per phase)" % TIME_LIMIT)


def _time_limit(item):
    marker = item.get_closest_marker("time_limit")
    return float(marker.args[0]) if marker else TIME_LIMIT


@contextlib.contextmanager
def _limited(item, phase):
    seconds = _time_limit(item)

    def expire(signum, frame):
        raise TimeLimitExceeded("%s of %s took over %g s (its time limit; "
                                "@pytest.mark.time_limit(s) sets a longer one)"
                                % (phase, item.nodeid, seconds))
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    faulthandler.dump_traceback_later(seconds + TIME_LIMIT_GRACE, exit=True)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        faulthandler.cancel_dump_traceback_later()
        signal.signal(signal.SIGALRM, previous)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    with _limited(item, "setup"):
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    with _limited(item, "the test"):
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item):
    with _limited(item, "teardown"):
        yield


# ---- running the scripts ------------------------------------------------------------------------

Ran = collections.namedtuple("Ran", "status out err")
SCRIPT_ENV = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")


def script_path(name):
    """scripts/<name>.py (``name`` without .py)."""
    return os.path.join(ROOT, "scripts", name + ".py")


def run_script(name, *args, **options):
    """Run scripts/<name>.py in a subprocess; returns Ran(status, out, err) (text).

    options: ``env`` (added to the environment), ``cwd`` (default the project's root),
    ``timeout`` (s), ``stdout`` (a file instead of a pipe), ``stdin``, ``preexec_fn``."""
    env = dict(SCRIPT_ENV, **options.pop("env", {}))
    timeout = options.pop("timeout", 300)
    proc = subprocess.Popen([sys.executable, script_path(name)] + [str(a) for a in args],
                            stdout=options.pop("stdout", subprocess.PIPE), stderr=subprocess.PIPE,
                            stdin=options.pop("stdin", subprocess.DEVNULL), env=env,
                            cwd=options.pop("cwd", ROOT), **options)
    try:
        out, err = proc.communicate(timeout=timeout)
    except BaseException:  # the time limit, a timeout: the script does not outlive its test
        proc.kill()
        proc.wait()
        raise
    return Ran(proc.returncode, (out or b"").decode("utf-8", "replace"),
               err.decode("utf-8", "replace"))


def call_script(name, *args):
    """scripts/<name>.py's ``main(argv)`` in this process (no TensorFlow import per call);
    returns Ran(status, out, err), SystemExit included."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = load_script(name).main([str(a) for a in args])
        except SystemExit as e:
            status = e.code
    return Ran(status, out.getvalue(), err.getvalue())


_STARTED = []  # the processes start_script started, ended with their test (_no_script_left)


def start_script(name, *args, **options):
    """scripts/<name>.py started in a subprocess (text pipes for stdout and stderr); killed at
    the end of the test if it is still running."""
    proc = subprocess.Popen([sys.executable, script_path(name)] + [str(a) for a in args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=dict(SCRIPT_ENV, **options.pop("env", {})),
                            cwd=options.pop("cwd", ROOT), universal_newlines=True, **options)
    _STARTED.append(proc)
    return proc


@pytest.fixture(autouse=True)
def _python_answers_ctrl_c():
    """Each test starts with Python's own answer to SIGINT (KeyboardInterrupt), as in an
    interpreter or a notebook, also when the test run itself was started with SIGINT ignored
    (a background job of a script, nohup, some CI runners: Python then keeps it ignored, and the
    library leaves an ignored SIGINT alone). The tests that press Ctrl-C in their own process
    rely on it; the disposition the run had is put back after each test."""
    before = signal.getsignal(signal.SIGINT)
    if before is not signal.default_int_handler:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    if before is not None:  # None: a handler set outside Python, which cannot be put back
        signal.signal(signal.SIGINT, before)


@pytest.fixture(autouse=True)
def _no_script_left():
    yield
    while _STARTED:
        proc = _STARTED.pop()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            stream.close()


def read_until(proc, text):
    """Read ``proc``'s stdout up to and including the first line holding ``text``; the lines
    read. AssertionError when stdout ends first (the test's time limit bounds the wait)."""
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if text in line:
            return seen
    raise AssertionError("%r never came; the output was:\n%s%s" % (text, "".join(seen),
                                                                  proc.stderr.read()))


def wait_for(condition, what, timeout=120.0, every=0.01):
    """Wait until ``condition()`` is true (a state: a file, a value); return what it returned."""
    deadline = time.time() + timeout
    while True:
        found = condition()
        if found:
            return found
        if time.time() > deadline:
            raise AssertionError("waited %g s for %s" % (timeout, what))
        time.sleep(every)  # the poll's interval, not a guess at how long something takes


def send_signals(pid, *signums):
    """Send each signal to the process ``pid`` (a Popen or a pid), waiting after each until the
    kernel delivered it (it is no longer pending) or the process ended: two Ctrl-C are then two,
    never merged into one pending signal."""
    pid = getattr(pid, "pid", pid)
    for signum in signums:
        os.kill(pid, signum)
        wait_for(lambda s=signum: not _pending(pid, s), "signal %d to be delivered" % signum)


@contextlib.contextmanager
def signals_when_printed(text, *signums):
    """While inside, the first line a script prints (``console.say``) holding ``text`` sends
    ``signums`` to this process: a script called in-process is signalled at that moment."""
    from tf_models.run import console
    say, sent = console.say, []

    def say_then_signal(line=""):
        say(line)
        if text in line and not sent:
            sent.append(line)
            send_signals(os.getpid(), *signums)
    console.say = say_then_signal
    try:
        yield sent
    finally:
        console.say = say


def _pending(pid, signum):
    """Whether ``signum`` is pending for process ``pid`` (False once it has ended)."""
    try:
        with open("/proc/%d/status" % pid) as f:
            status = f.read()
    except (IOError, OSError):
        return False
    if "\nState:\tZ" in status or "\nState:\tX" in status:
        return False
    for line in status.splitlines():
        if line.startswith(("ShdPnd:", "SigPnd:")) and int(line.split()[1], 16) >> (signum - 1) & 1:
            return True
    return False


def blocks(pid, signum):
    """Whether the main thread of process ``pid`` blocks ``signum`` (/proc/PID/status SigBlk)."""
    with open("/proc/%d/status" % getattr(pid, "pid", pid)) as f:
        for line in f:
            if line.startswith("SigBlk:"):
                return bool(int(line.split()[1], 16) >> (signum - 1) & 1)
    return False


def assert_one_error_line(status, err, *words, **kw):
    """A script that failed on its input: exit 2, no traceback, the last stderr line
    ``error: ...`` holding ``words``, and (unless ``alone=False``: warnings may come first) no
    other line. Returns that line."""
    assert "Traceback" not in err, err
    lines = [l for l in err.splitlines() if l.strip()]
    assert lines and lines[-1].startswith("error: "), err
    if kw.get("alone", True):
        assert len(lines) == 1, err
    assert status == kw.get("status", 2), (status, err)
    for w in words:
        assert w in lines[-1], "%r not in %s" % (w, lines[-1])
    return lines[-1]


def metrics_of(run_dir):
    """A run directory's metrics.json, read."""
    with open(os.path.join(run_dir, "metrics.json")) as f:
        return json.load(f)


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
