"""What a user waits for: ``python scripts/train_shallow.py`` from start to exit, and the
``train_seconds`` it reports, beside the limits measured in the same run.

    startup        a fresh interpreter that imports TensorFlow (through tf_models.graphs.tfcompat) and exits
    bare loop      the main job's 10 000 steps alone: one Session.run of the graph's train_loop,
                   timed in a fresh process after the graph is built and warmed up
    train_shallow  the script itself, TF backend (TensorBoard records, checkpoints, pictures, all
                   outputs), and the same script with --backend numpy
    sklearn fit    MLPClassifier.fit on the same data, network and number of full-batch steps

The targets compare train_shallow with startup + bare loop, and the TF run's train_seconds (graph,
TensorBoard records, checkpoints, loop) with the NumPy run's and with scikit-learn's fit.
Each round runs every part once, so the parts of one round share the machine's load.
"""
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCRIPT = os.path.join(ROOT, "scripts", "train_shallow.py")

_BARE_LOOP = r"""
import sys, time
from tf_models import datasets, models
from tf_models.graphs import session
n = int(sys.argv[1])
ds = datasets.load_dataset("flower", seed=1)
p = models.initial_parameters("shallow", [ds.n_x, 4, 1], "randn", 1, "float64")
g = models.build_graph("shallow", p, 1.2, "tanh", "float64", m=ds.X_train.shape[1])
sess = session.open_session(g, ds.X_train, ds.Y_train)
sess.run(g.train_loop, {g.n_steps: 10})
start = time.perf_counter()
sess.run(g.train_loop, {g.n_steps: n})
print(time.perf_counter() - start)
"""


def _env():
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    env["PYTHONPATH"] = ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _wall(command):
    start = time.perf_counter()
    subprocess.check_call(command, cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def startup_seconds():
    """Wall seconds of a fresh interpreter importing TensorFlow (as every TF run does)."""
    return _wall([sys.executable, "-c", "from tf_models.graphs.tfcompat import tf"])


def bare_loop_seconds(iterations):
    """Seconds of one Session.run of the main job's train_loop for ``iterations`` steps."""
    out = subprocess.check_output([sys.executable, "-c", _BARE_LOOP, str(iterations)], cwd=ROOT,
                                  env=_env(), stderr=subprocess.DEVNULL)
    return float(out.decode().split()[-1])


def script_seconds(run_dir, backend="tf", iterations=None):
    """(wall seconds, train_seconds from metrics.json) of scripts/train_shallow.py."""
    command = [sys.executable, SCRIPT, "--run-dir", run_dir, "--backend", backend]
    if iterations is not None:
        command += ["--iterations", str(iterations)]
    wall = _wall(command)
    with open(os.path.join(run_dir, "metrics.json")) as f:
        return wall, json.load(f)["train_seconds"]


def sklearn_fit_seconds(iterations):
    """Wall seconds of MLPClassifier.fit: the main job's network, data and steps."""
    import numpy as np
    from tf_models import datasets
    from workloads import MAIN, sklearn_runner
    ds = datasets.load_dataset("flower", seed=1)
    X, Y = ds.X_train, ds.Y_train
    run, _ = sklearn_runner(MAIN._replace(m=X.shape[1]), X, Y.astype(np.float64))
    start = time.perf_counter()
    run(iterations)
    return time.perf_counter() - start


def measure(tmp, rounds, iterations=None, log=print):
    """Every part, ``rounds`` times, interleaved; returns {part: [seconds, ...]} and the loads."""
    steps = iterations or 10000
    parts = {k: [] for k in ("startup", "bare_loop", "train_shallow", "tf_train_seconds",
                             "numpy_train_seconds", "sklearn_fit")}
    parts["load"] = []
    for r in range(rounds):
        log("  end to end, round %d of %d ..." % (r + 1, rounds))
        parts["load"].append(os.getloadavg()[0])
        parts["startup"].append(startup_seconds())
        parts["bare_loop"].append(bare_loop_seconds(steps))
        wall, tf_train = script_seconds(os.path.join(tmp, "tf%d" % r), "tf", iterations)
        parts["train_shallow"].append(wall)
        parts["tf_train_seconds"].append(tf_train)
        parts["numpy_train_seconds"].append(
            script_seconds(os.path.join(tmp, "np%d" % r), "numpy", iterations)[1])
        parts["sklearn_fit"].append(sklearn_fit_seconds(steps))
    parts["load"].append(os.getloadavg()[0])
    return parts
