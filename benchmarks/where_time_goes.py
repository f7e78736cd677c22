"""Where a run's time goes: the measurements behind docs/performance.md's analysis.

    python benchmarks/where_time_goes.py imports     # import times of scripts/train_shallow.py
    python benchmarks/where_time_goes.py phases      # its phases: graph, records, loop, outputs
    python benchmarks/where_time_goes.py products    # the cat network's two big products, by layout

``imports`` is a small ``-X importtime`` for Python 3.6 (a ``builtins.__import__`` wrapper):
each module first loaded by the run, its inclusive time and its importer. ``phases`` wraps the
functions of one run with timers. ``products`` times W1 X and dW1 = dZ1 X^T (12288 x 209) in
TF (1 and 2 intra-op threads) and NumPy, each layout, interleaved, minimum over the rounds.
"""
import builtins
import collections
import contextlib
import io
import os
import runpy
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCRIPT = os.path.join(ROOT, "scripts", "train_shallow.py")


def run_script(argv):
    """Run scripts/train_shallow.py's main(argv) here, its output swallowed."""
    module = runpy.run_path(SCRIPT, run_name="train_shallow")
    with contextlib.redirect_stdout(io.StringIO()):
        module["main"](argv)


def imports(argv, depth=4, threshold=0.01):
    """Print each module the run loads (inclusive seconds >= threshold, nesting <= depth)."""
    original, records, stack = builtins.__import__, [], []

    def timed(name, globals=None, locals=None, fromlist=(), level=0):
        full = name
        if level:
            package = (globals or {}).get("__package__") or ""
            full = package.rsplit(".", level - 1)[0] + ("." + name if name else "")
        if full in sys.modules:
            return original(name, globals, locals, fromlist, level)
        index = len(records)
        records.append(None)
        stack.append(full)
        start = time.perf_counter()
        try:
            return original(name, globals, locals, fromlist, level)
        finally:
            stack.pop()
            records[index] = (len(stack), full, time.perf_counter() - start,
                              (globals or {}).get("__name__", "?"))
    builtins.__import__ = timed
    start = time.perf_counter()
    try:
        run_script(argv)
    finally:
        builtins.__import__ = original
    for level, name, seconds, importer in filter(None, records):
        if level < depth and seconds >= threshold:
            print("%s%-40s %6.3f s   (from %s)" % ("  " * level, name, seconds, importer))
    print("whole run %.3f s; loaded: %s" % (time.perf_counter() - start, " ".join(sorted(
        {m.split(".")[0] for m in sys.modules} & {"sklearn", "scipy", "matplotlib", "h5py",
                                                 "tensorboard", "tensorflow", "PIL"}))))


def phases(argv):
    """Print the seconds of each phase of one run (imports first, then the run's functions)."""
    spent = collections.OrderedDict()

    def clock(label, start):
        n, s = spent.get(label, (0, 0.0))
        spent[label] = (n + 1, s + time.perf_counter() - start)

    def wrap(owner, attr, label):
        f = getattr(owner, attr)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return f(*args, **kwargs)
            finally:
                clock(label, start)
        setattr(owner, attr, timed)
    start = time.perf_counter()
    from tf_models.graphs.tfcompat import tf
    clock("import tensorflow (and numpy)", start)
    from tf_models import models, plots
    from tf_models.run import execute, outputs
    from tf_models.graphs import session, summaries
    for owner, attr, label in [
            (models, "graph_of", "build the graph"),
            (summaries.TensorBoardLogger, "__init__", "TensorBoardLogger (event files, graph)"),
            (session, "open_session", "open the session"),
            (session, "train", "session.train (loop and records)"),
            (summaries.TensorBoardLogger, "record", "  of which TensorBoard records"),
            (summaries.TensorBoardLogger, "close", "logger.close (waits for the pictures)"),
            (tf.train.Saver, "save", "checkpoints"),
            (plots, "decision_boundary", "decision boundaries (pictures and the output)"),
            (plots, "cost_curve", "cost curve"),
            (outputs, "write_outputs", "write_outputs"),
            (execute, "execute", "execute (train_seconds and outputs)")]:
        wrap(owner, attr, label)
    start = time.perf_counter()
    run_script(argv)
    clock("the script's main()", start)
    for label, (n, seconds) in spent.items():
        print("%-48s %3d x  %7.3f s" % (label, n, seconds))


def products(rounds=12, K=10):
    """Min seconds of the cat network's big products, each layout, TF and NumPy."""
    import numpy as np
    from tf_models.graphs.tfcompat import tf
    for dtype in ("float64", "float32"):
        rng = np.random.RandomState(0)
        X = rng.rand(12288, 209).astype(dtype)
        XT = np.ascontiguousarray(X.T)
        W1, dZ1 = rng.rand(20, 12288).astype(dtype), rng.rand(20, 209).astype(dtype)
        graph = tf.Graph()
        with graph.as_default():
            v = {k: tf.Variable(a) for k, a in (("X", X), ("XT", XT), ("W1", W1), ("dZ1", dZ1))}
            n = tf.placeholder(tf.int32, ())

            def loop(product):
                def body(i, total):
                    with tf.control_dependencies([i]):
                        r = product()
                    return i + 1, total + r[0, 0]
                zero = tf.constant(0, dtype=v["X"].dtype.base_dtype)
                return tf.while_loop(lambda i, t: i < n, body, [tf.constant(0), zero],
                                     parallel_iterations=1, back_prop=False)[1]
            ops = collections.OrderedDict([
                ("W1 X", loop(lambda: tf.matmul(tf.identity(v["W1"]), v["X"]))),
                ("W1 XT^T", loop(lambda: tf.matmul(tf.identity(v["W1"]), v["XT"],
                                                   transpose_b=True))),
                ("dZ1 X^T", loop(lambda: tf.matmul(tf.identity(v["dZ1"]), v["X"],
                                                   transpose_b=True))),
                ("dZ1 XT", loop(lambda: tf.matmul(tf.identity(v["dZ1"]), v["XT"])))])
            init = tf.global_variables_initializer()
        cases = collections.OrderedDict()
        for threads in (1, 2):
            sess = tf.Session(graph=graph, config=tf.ConfigProto(
                inter_op_parallelism_threads=1, intra_op_parallelism_threads=threads))
            sess.run(init)
            for name, op in ops.items():
                sess.run(op, {n: 1})
                cases["tf %s, %d thread(s)" % (name, threads)] = (
                    lambda sess=sess, op=op: sess.run(op, {n: K}))
        for name, (a, b) in (("W1 X", (W1, X)), ("dZ1 X^T", (dZ1, X.T)), ("dZ1 XT", (dZ1, XT))):
            cases["numpy " + name] = lambda a=a, b=b: [np.dot(a, b) for _ in range(K)]
        cases["memory floor: X read twice (np.sum)"] = lambda: [X.sum() + X.sum() for _ in range(K)]
        best, loads = collections.defaultdict(lambda: float("inf")), []
        for _ in range(rounds):
            loads.append(os.getloadavg()[0])
            for name, f in cases.items():
                start = time.perf_counter()
                f()
                best[name] = min(best[name], (time.perf_counter() - start) / K)
        print("%s, min of %d interleaved rounds, load %.1f-%.1f:" % (dtype, rounds, min(loads),
                                                                      max(loads)))
        for name, seconds in best.items():
            print("  %-40s %7.2f ms" % (name, seconds * 1e3))


def main(argv=None):
    from tf_models.run import cli
    parser = cli.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("imports", "phases", "products"),
                        help="imports or phases of one train_shallow.py run, or the cat "
                             "network's products by layout")
    args = parser.parse_args(argv)
    run_dir = ["--run-dir", tempfile.mkdtemp(prefix="where-time-goes-")]
    if args.what == "imports":
        imports(run_dir)
    elif args.what == "phases":
        phases(run_dir)
    else:
        products()
    return 0


if __name__ == "__main__":
    sys.exit(main())
