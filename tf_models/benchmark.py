"""The performance benchmark: the project's TF and NumPy trainers beside their peers and beside
the machine's GEMM limit, every figure a ratio to a baseline measured in the same run.

Implementations, each running full-batch gradient descent on the same network and data:

    tf loop    the project's fast TF path: data held in the graph, K steps per Session.run
               (graphs.session mode "loop", graph built with a static m)
    tf feed    the naive TF 1.x tutorial loop: a default Session, and per iteration one
               ``sess.run([train, cost], feed_dict={X: X, Y: Y})``
    numpy      the project's NumPy reference: propagate + update_parameters per iteration
    sklearn    scikit-learn's MLPClassifier, same layers and activation, full-batch SGD
               (batch_size = m, constant rate, no momentum, no L2, no early stop)
    gemm       only the matrix products one iteration needs (np.dot / tf.matmul of the same
               shapes): forward W[l] A[l−1] per layer; backward dW[l] = dZ[l] A[l−1]ᵀ per layer
               and dA[l−1] = W[l]ᵀ dZ[l] for l ≥ 2. No training can be faster than this.

Workloads: the main job (2-4-1 tanh on the 400-point flower, float64), the course's cat-size deep
network [12288, 20, 7, 5, 1] (relu, float32, 209 random examples: the real images are never
read), and 2-4-1 tanh with m = 10³ … 10⁶ (each measured in a fresh subprocess, for its peak RSS).

Timing: one warm-up, then the median of repeated measurements of K iterations each. Other jobs
on the machine move absolute times between runs; ratios within one run move much less.
``run_benchmark(quick=True)`` does the same at tiny sizes, in seconds (the tests use it).
"""
import collections
import json
import os
import platform
import resource
import subprocess
import sys
import time
import warnings

import numpy as np

from tf_models import datasets, models
from tf_models.reference import gradient_descent

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

Workload = collections.namedtuple(
    "Workload", "name model layer_dims activation dtype m learning_rate")

MAIN = Workload("main: 2-4-1 tanh, flower m=400, float64", "shallow", [2, 4, 1], "tanh",
                "float64", 400, 1.2)
CAT = Workload("deep: 12288-20-7-5-1 relu, m=209, float32", "deep", [12288, 20, 7, 5, 1],
               "relu", "float32", 209, 0.0075)
SCALE_MS = (10 ** 3, 10 ** 4, 10 ** 5, 10 ** 6)
# Both precisions: float64 is the course's; in float32 TF 1.8's tanh is vectorized, in float64
# it is the same scalar libm call as NumPy's, which caps TF's lead at the number of cores.
SCALE_DTYPES = ("float64", "float32")

# Tiny stand-ins for --quick: the same code paths, in a few seconds.
QUICK_MAIN = MAIN._replace(name="main (quick): 2-4-1 tanh, m=400, float64")
QUICK_CAT = CAT._replace(name="deep (quick): 256-20-7-5-1 relu, m=32, float32",
                         layer_dims=[256, 20, 7, 5, 1], m=32)
QUICK_SCALE_MS = (10 ** 2, 10 ** 3)


# ---- timing -------------------------------------------------------------------------------

def measure(run, iterations, repeats, warmup=1):
    """Median seconds per iteration of ``run(iterations)`` over ``repeats`` measurements, after
    ``warmup`` unmeasured calls. Returns (median, all samples)."""
    for _ in range(warmup):
        run(iterations)
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        run(iterations)
        samples.append((time.perf_counter() - start) / iterations)
    return float(np.median(samples)), samples


def iterations_for(m, budget_examples):
    """K such that K·m ≈ budget_examples (at least 1): equal work per measurement for every m."""
    return max(1, int(budget_examples // m))


# ---- data ---------------------------------------------------------------------------------

def make_data(workload, seed=1):
    """X (n_x, m), Y (1, m) of the workload's dtype: the flower for 2-D inputs, otherwise random
    pixels in [0, 1) with random labels (the shape of the course's cat images, not the images)."""
    n_x, m = workload.layer_dims[0], workload.m
    if n_x == 2:
        X, Y = datasets.flower(m, seed)
    else:
        rng = np.random.RandomState(seed)
        X = rng.rand(n_x, m)
        Y = (rng.rand(1, m) > 0.5).astype(np.float64)
    return X.astype(workload.dtype), Y.astype(workload.dtype)


def start_parameters(workload):
    init = "he" if workload.model == "deep" else "randn"
    return models.initial_parameters(workload.model, workload.layer_dims, init, 2, workload.dtype)


# ---- the implementations: each returns run(K), which performs K iterations ----------------

def numpy_runner(workload, X, Y):
    """The NumPy reference's iteration: grads = propagate(θ, X, Y); θ := θ − α dθ."""
    module = models._np_module(workload.model)
    kwargs = models._np_kwargs(workload.model, workload.activation)
    parameters = {k: np.array(v) for k, v in start_parameters(workload).items()}

    def run(K):
        for _ in range(K):
            grads = module.propagate(parameters, X, Y, **kwargs)
            gradient_descent.update_parameters(parameters, grads, workload.learning_rate)
    return run, lambda: None


def tf_loop_runner(workload, X, Y):
    """The project's TF path: K steps in one Session.run of ``train_loop``."""
    from tf_models.graphs import session
    graph = models.build_graph(workload.model, start_parameters(workload), workload.learning_rate,
                               workload.activation, workload.dtype, m=X.shape[1])
    sess = session.open_session(graph, X, Y)

    def run(K):
        sess.run(graph.train_loop, {graph.n_steps: K})
    return run, sess.close


def tf_feed_runner(workload, X, Y):
    """The TF 1.x tutorials' loop: default Session, the batch fed and the cost fetched each step."""
    from tf_models.tfcompat import tf
    graph = models.build_graph(workload.model, start_parameters(workload), workload.learning_rate,
                               workload.activation, workload.dtype)
    sess = tf.Session(graph=graph.graph)
    sess.run(graph.init)
    sess.run(graph.data_init, {graph.X_train: X[:, :1], graph.Y_train: Y[:, :1]})
    feed = {graph.X: X, graph.Y: Y}

    def run(K):
        for _ in range(K):
            sess.run([graph.train, graph.cost], feed)
    return run, sess.close


def sklearn_runner(workload, X, Y):
    """MLPClassifier with the same layers, trained by full-batch SGD for exactly K epochs."""
    from sklearn.neural_network import MLPClassifier
    Xt, y = np.ascontiguousarray(X.T), Y.ravel().astype(np.int64)
    options = dict(hidden_layer_sizes=tuple(workload.layer_dims[1:-1]),
                   activation=workload.activation, solver="sgd", batch_size=X.shape[1],
                   learning_rate="constant", learning_rate_init=workload.learning_rate,
                   momentum=0.0, nesterovs_momentum=False, alpha=0.0, shuffle=False,
                   early_stopping=False, random_state=0)
    if "n_iter_no_change" in MLPClassifier().get_params():  # scikit-learn >= 0.20
        options.update(tol=0.0)
        no_stop = lambda K: {"n_iter_no_change": K + 1}  # noqa: E731
    else:  # 0.18: stops after 2 epochs without a gain of tol; -inf never counts one
        options.update(tol=-np.inf)
        no_stop = lambda K: {}  # noqa: E731

    def run(K):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ConvergenceWarning: K epochs is what we asked for
            MLPClassifier(max_iter=K, **dict(options, **no_stop(K))).fit(Xt, y)
    return run, lambda: None


RUNNERS = collections.OrderedDict([("tf loop", tf_loop_runner), ("tf feed", tf_feed_runner),
                                   ("numpy", numpy_runner), ("sklearn", sklearn_runner)])


# ---- the GEMM limit -----------------------------------------------------------------------

def matmul_shapes(layer_dims, m):
    """The products of one iteration as (rows, inner, cols, name): layer l has W (n_l, n_{l−1})
    and A[l−1] (n_{l−1}, m). Forward Z = W A_prev; backward dW = dZ A_prevᵀ and, for l ≥ 2
    (no gradient of X is needed), dA_prev = Wᵀ dZ."""
    shapes = []
    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        shapes.append((n, n_prev, m, "W%d A%d" % (l, l - 1)))
        shapes.append((n, m, n_prev, "dZ%d A%dT" % (l, l - 1)))
        if l >= 2:
            shapes.append((n_prev, n, m, "W%dT dZ%d" % (l, l)))
    return shapes


def gemm_flops(shapes):
    return sum(2.0 * r * k * c for r, k, c, _ in shapes)


def _gemm_operands(shapes, dtype, seed=0):
    """For each product: left, right operands laid out as the trainers use them (the transposed
    ones as transposed views: dZ A_prevᵀ reads A_prev (n_prev, m), Wᵀ dZ reads W (n, n_prev))."""
    rng = np.random.RandomState(seed)
    operands = []
    for r, k, c, name in shapes:
        if name.startswith("dZ"):
            operands.append((rng.rand(r, k).astype(dtype), rng.rand(c, k).astype(dtype), "b"))
        elif "T" in name.split()[0]:
            operands.append((rng.rand(k, r).astype(dtype), rng.rand(k, c).astype(dtype), "a"))
        else:
            operands.append((rng.rand(r, k).astype(dtype), rng.rand(k, c).astype(dtype), ""))
    return operands


def numpy_gemm_runner(workload, X, Y):
    """np.dot of exactly one iteration's products, into preallocated outputs."""
    operands = _gemm_operands(matmul_shapes(workload.layer_dims, X.shape[1]), workload.dtype)
    outs = [np.empty((a.shape[1] if t == "a" else a.shape[0],
                      b.shape[0] if t == "b" else b.shape[1]), workload.dtype)
            for a, b, t in operands]

    def run(K):
        for _ in range(K):
            for (a, b, t), out in zip(operands, outs):
                np.dot(a.T if t == "a" else a, b.T if t == "b" else b, out=out)
    return run, lambda: None


def tf_gemm_runner(workload, X, Y):
    """tf.matmul of one iteration's products, K times in a tf.while_loop (as ``train_loop``)."""
    from tf_models.graphs import session
    from tf_models.tfcompat import tf
    operands = _gemm_operands(matmul_shapes(workload.layer_dims, X.shape[1]), workload.dtype)
    graph = tf.Graph()
    with graph.as_default():
        pairs = [(tf.Variable(a), tf.Variable(b), t) for a, b, t in operands]
        n_steps = tf.placeholder(tf.int32, ())

        def body(i, total):
            with tf.control_dependencies([i]):  # each iteration computes its products anew
                products = [tf.matmul(tf.identity(a), b, transpose_a=(t == "a"),
                                      transpose_b=(t == "b")) for a, b, t in pairs]
            # One entry of each product flows on, so that the optimizer cannot drop them.
            return i + 1, total + tf.add_n([p[0, 0] for p in products])
        zero = tf.constant(0, dtype=pairs[0][0].dtype.base_dtype)
        loop = tf.while_loop(lambda i, total: i < n_steps, body, [tf.constant(0), zero],
                             parallel_iterations=1, back_prop=False)
        init = tf.global_variables_initializer()
    sess = tf.Session(graph=graph, config=session.session_config())
    sess.run(init)

    def run(K):
        sess.run(loop, {n_steps: K})
    return run, sess.close


GEMM_RUNNERS = collections.OrderedDict([("tf", tf_gemm_runner), ("numpy", numpy_gemm_runner)])


# ---- one workload in this process ---------------------------------------------------------

def time_workload(workload, iterations, repeats, implementations=None):
    """{implementation: seconds per iteration} for every runner and for both GEMM limits."""
    X, Y = make_data(workload)
    results = collections.OrderedDict()
    todo = [(name, RUNNERS[name], iterations[name]) for name in (implementations or RUNNERS)]
    todo += [("gemm " + name, runner, iterations["gemm"]) for name, runner in GEMM_RUNNERS.items()]
    for name, make_runner, K in todo:
        run, close = make_runner(workload, X, Y)
        try:
            results[name], _ = measure(run, K, repeats)
        finally:
            close()
    return results


# ---- the m sweep, one subprocess per (implementation, m) -----------------------------------

def peak_rss_bytes():
    """This process's peak resident set size.

    On Linux from /proc/self/status (VmHWM): getrusage's ru_maxrss would do in a process started
    from a shell, but Linux carries the parent's peak across fork + exec into ru_maxrss, so a
    child of this (large) benchmark process would report the parent's size. Elsewhere
    ru_maxrss (KiB on Linux, bytes on macOS)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (IOError, OSError, ValueError):
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def scale_child(implementation, m, budget_examples, repeats, dtype="float64"):
    """Measured inside the subprocess: seconds per iteration, RSS after the imports, peak RSS."""
    if implementation.startswith("tf"):
        from tf_models.tfcompat import tf  # noqa: F401
    after_imports = peak_rss_bytes()
    workload = MAIN._replace(m=m, dtype=dtype)
    X, Y = make_data(workload)
    run, close = RUNNERS[implementation](workload, X, Y)
    K = iterations_for(m, budget_examples)
    seconds, _ = measure(run, K, repeats)
    close()
    return {"implementation": implementation, "m": m, "dtype": dtype,
            "seconds_per_iteration": seconds,
            "seconds_per_example": seconds / m, "iterations": K, "import_rss": after_imports,
            "peak_rss": peak_rss_bytes(), "data_bytes": X.nbytes + Y.nbytes}


def run_scale_child(implementation, m, budget_examples, repeats, dtype="float64"):
    """``scale_child`` in a fresh interpreter, so that its peak RSS is this workload's alone."""
    code = ("import json, sys; from tf_models import benchmark; "
            "print(json.dumps(benchmark.scale_child(*json.loads(sys.argv[1]))))")
    args = json.dumps([implementation, m, budget_examples, repeats, dtype])
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.check_output([sys.executable, "-c", code, args], cwd=ROOT, env=env)
    return json.loads(out.decode().strip().splitlines()[-1])


# ---- end to end ----------------------------------------------------------------------------

def time_main_script(run_dir):
    """Wall seconds of ``python scripts/train_shallow.py`` (the main job, all outputs written)."""
    start = time.perf_counter()
    subprocess.check_call([sys.executable, os.path.join(ROOT, "scripts", "train_shallow.py"),
                           "--run-dir", run_dir], cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


# ---- the whole benchmark -------------------------------------------------------------------

def run_benchmark(quick=False, end_to_end=True, log=print):
    """Measure everything; returns the results dict (what the JSON file holds)."""
    main, cat = (QUICK_MAIN, QUICK_CAT) if quick else (MAIN, CAT)
    ms = QUICK_SCALE_MS if quick else SCALE_MS
    repeats = 3 if quick else 7
    main_K = {"tf loop": 1000, "tf feed": 200, "numpy": 1000, "sklearn": 300, "gemm": 2000}
    cat_K = {"tf loop": 10, "tf feed": 10, "numpy": 10, "sklearn": 10, "gemm": 10}
    if quick:
        main_K = dict.fromkeys(main_K, 20)
        cat_K = dict.fromkeys(cat_K, 2)
    results = {"quick": quick, "environment": environment(), "workloads": collections.OrderedDict()}
    for workload, K in ((main, main_K), (cat, cat_K)):
        log("timing %s ..." % workload.name)
        seconds = time_workload(workload, K, repeats)
        results["workloads"][workload.name] = {
            "workload": workload._asdict(), "iterations": K, "seconds_per_iteration": seconds,
            "gemm_flops": gemm_flops(matmul_shapes(workload.layer_dims, workload.m))}
    budget = 2 * 10 ** 5 if quick else 4 * 10 ** 6
    results["scale"] = []
    # The interpreter baseline: the peak RSS of the same program on 10 examples (Python, the
    # library, and for TF its runtime, graph and session), so that peak − baseline is what the
    # data and the training of m examples cost.
    # (--quick, to save two interpreter start-ups, takes the smallest m's peak instead.)
    baseline = {}
    for dtype in SCALE_DTYPES:
        for implementation in ("tf loop", "numpy"):
            if not quick:
                baseline[implementation, dtype] = run_scale_child(implementation, 10, 1000, 1,
                                                                  dtype)["peak_rss"]
            for m in ms:
                log("timing 2-4-1 %s at m = %d (%s, subprocess) ..." % (dtype, m, implementation))
                row = run_scale_child(implementation, m, budget, 2 if quick else 3, dtype)
                row["baseline_rss"] = baseline.setdefault((implementation, dtype), row["peak_rss"])
                results["scale"].append(row)
    if end_to_end and not quick:
        import tempfile
        log("timing python scripts/train_shallow.py ...")
        tmp = tempfile.mkdtemp(prefix="benchmark-")
        results["train_shallow_seconds"] = [time_main_script(os.path.join(tmp, "run%d" % i))
                                            for i in range(3)]
    results["targets"] = check_targets(results)
    return results


def environment():
    from tf_models.run import versions
    info = versions()
    try:
        import sklearn
        info["sklearn"] = sklearn.__version__
    except ImportError:
        info["sklearn"] = None
    info.update(machine=platform.machine(), cpus=os.cpu_count(),
                date=time.strftime("%Y-%m-%d %H:%M:%S"))
    return info


# ---- targets and the table -----------------------------------------------------------------

def _scale_row(results, implementation, m, dtype):
    for row in results["scale"]:
        if (row["implementation"], row["m"], row["dtype"]) == (implementation, m, dtype):
            return row
    return None


def check_targets(results):
    """The issue's targets, each with its measured value and whether it is met."""
    targets = []
    workloads = list(results["workloads"].values())
    main, cat = workloads[0]["seconds_per_iteration"], workloads[1]["seconds_per_iteration"]

    def target(name, value, limit, met):
        targets.append({"target": name, "value": value, "limit": limit, "met": bool(met)})
    r = main["tf loop"] / main["numpy"]
    target("main job: tf loop / numpy <= 1", r, 1.0, r <= 1.0)
    r = main["tf loop"] / main["sklearn"]
    target("main job: tf loop / sklearn <= 1/3", r, 1 / 3.0, r <= 1 / 3.0)
    r = cat["tf loop"] / cat["gemm tf"]
    target("deep float32: tf loop / its GEMM limit <= 1.25", r, 1.25, r <= 1.25)
    ms = sorted({row["m"] for row in results["scale"]})
    big, flat_from = ms[-1], (ms[1] if len(ms) > 2 else ms[0])
    for dtype in SCALE_DTYPES:
        row = lambda implementation, m: _scale_row(results, implementation, m, dtype)  # noqa
        r = row("numpy", big)["seconds_per_iteration"] / row("tf loop", big)["seconds_per_iteration"]
        target("2-4-1 %s m=%d: numpy / tf loop >= 3" % (dtype, big), r, 3.0, r >= 3.0)
        per_example = [row("tf loop", m)["seconds_per_example"] for m in ms if m >= flat_from]
        r = max(per_example) / min(per_example)
        target("2-4-1 %s tf loop time/example, m=%d..%d: max/min <= 1.3" % (dtype, flat_from, big),
               r, 1.3, r <= 1.3)
        for implementation in ("tf loop", "numpy"):
            one = row(implementation, big)
            r = (one["peak_rss"] - one["baseline_rss"]) / float(one["data_bytes"])
            target("2-4-1 %s m=%d %s: (peak RSS - baseline) / data bytes < 3"
                   % (dtype, big, implementation), r, 3.0, r < 3.0)
    if "train_shallow_seconds" in results:
        s = float(np.median(results["train_shallow_seconds"]))
        target("python scripts/train_shallow.py: seconds < 3", s, 3.0, s < 3.0)
    return targets


def format_table(results):
    """The results as text tables: every figure a ratio to a baseline of the same run."""
    lines = []
    names = list(RUNNERS)
    lines.append("Time per iteration / NumPy reference's (lower is faster), and / the GEMM limit")
    lines.append("of the same library (np.dot or tf.matmul of the iteration's matrix products).")
    header = "%-44s" % "workload" + "".join("%10s" % n for n in names)
    header += "%14s%14s" % ("tf/gemm tf", "np/gemm np")
    lines += ["", header, "-" * len(header)]
    for name, w in results["workloads"].items():
        s = w["seconds_per_iteration"]
        row = "%-44s" % name + "".join("%10.2f" % (s[n] / s["numpy"]) for n in names)
        row += "%14.2f%14.2f" % (s["tf loop"] / s["gemm tf"], s["numpy"] / s["gemm numpy"])
        lines.append(row)
    lines.append("")
    lines.append("Baselines of this run: NumPy reference %s; GEMM limits (tf, numpy) %s."
                 % ("; ".join("%s %.1f us/iteration" % (n.split(":")[0], w["seconds_per_iteration"]["numpy"] * 1e6)
                              for n, w in results["workloads"].items()),
                    "; ".join("%s %.1f, %.1f us (%.2f, %.2f GFLOP/s)"
                              % (n.split(":")[0], w["seconds_per_iteration"]["gemm tf"] * 1e6,
                                 w["seconds_per_iteration"]["gemm numpy"] * 1e6,
                                 w["gemm_flops"] / w["seconds_per_iteration"]["gemm tf"] / 1e9,
                                 w["gemm_flops"] / w["seconds_per_iteration"]["gemm numpy"] / 1e9)
                              for n, w in results["workloads"].items())))
    lines += ["", "2-4-1 tanh on m examples (each cell from a fresh subprocess): time per example",
              "/ the same implementation's at the first m >= 10^4 (flatness), NumPy time / TF",
              "time, and (peak RSS - interpreter baseline) / dataset bytes (X and Y).", ""]
    ms = sorted({row["m"] for row in results["scale"]})
    ref_m = next((m for m in ms if m >= 10 ** 4), ms[0])
    header = "%8s%10s%12s%12s%12s%12s%12s" % ("dtype", "m", "tf/ex", "numpy/ex", "numpy/tf",
                                              "tf RSS", "numpy RSS")
    lines += [header, "-" * len(header)]
    rss = lambda r: (r["peak_rss"] - r["baseline_rss"]) / float(r["data_bytes"])  # noqa: E731
    baselines = []
    for dtype in SCALE_DTYPES:
        row = lambda implementation, m: _scale_row(results, implementation, m, dtype)  # noqa
        tf_ref, np_ref = row("tf loop", ref_m), row("numpy", ref_m)
        for m in ms:
            tf_row, np_row = row("tf loop", m), row("numpy", m)
            lines.append("%8s%10d%12.2f%12.2f%12.2f%12.2f%12.2f" % (
                dtype, m, tf_row["seconds_per_example"] / tf_ref["seconds_per_example"],
                np_row["seconds_per_example"] / np_ref["seconds_per_example"],
                np_row["seconds_per_iteration"] / tf_row["seconds_per_iteration"], rss(tf_row),
                rss(np_row)))
        baselines.append("%s at m = %d: tf %.1f, numpy %.1f ns/example" % (
            dtype, ref_m, tf_ref["seconds_per_example"] * 1e9, np_ref["seconds_per_example"] * 1e9))
    lines.append("")
    lines.append("Baselines: %s; interpreter baseline RSS tf %.0f MB, numpy %.0f MB." % (
        "; ".join(baselines), tf_ref["baseline_rss"] / 1e6, np_ref["baseline_rss"] / 1e6))
    if "train_shallow_seconds" in results:
        lines.append("python scripts/train_shallow.py end to end: %s s (median of %d runs; an "
                     "absolute time, the one figure that is not a ratio)"
                     % (", ".join("%.2f" % s for s in results["train_shallow_seconds"]),
                        len(results["train_shallow_seconds"])))
    lines += ["", "Targets:"]
    for t in results["targets"]:
        lines.append("  [%s] %-66s %.3g (limit %.3g)" % ("met " if t["met"] else "MISS",
                                                           t["target"], t["value"], t["limit"]))
    return "\n".join(lines)


def write_results(results, directory):
    """results.json and table.txt under ``directory`` (a timestamped pair); returns the paths."""
    os.makedirs(directory, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S") + ("-quick" if results["quick"] else "")
    json_path = os.path.join(directory, "benchmark-%s.json" % stamp)
    table_path = os.path.join(directory, "benchmark-%s.txt" % stamp)
    with open(json_path, "w") as f:
        json.dump(results, f, indent=1)
        f.write("\n")
    with open(table_path, "w") as f:
        f.write(format_table(results) + "\n")
    return json_path, table_path
