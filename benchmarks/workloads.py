"""The workloads and runners of the performance benchmark (benchmarks/benchmark.py): the project's TF and NumPy trainers beside their peers and beside
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
    read X     the memory floor: two full reads of X per iteration (np.sum, or tf.reduce_sum on
               all cores; the faster counts), as every step reads X for Z[1] and for dW[1]

Workloads: the main job (2-4-1 tanh on the 400-point flower, float64), the course's cat-size deep
network [12288, 20, 7, 5, 1] (relu, float32 and float64, 209 random examples: the real images are
never read), and 2-4-1 tanh with m = 10³ … 10⁶ (each measured in a fresh subprocess, for its peak RSS).

Timing: one warm-up, then the median of repeated measurements of K iterations each. Other jobs
on the machine move absolute times between runs; ratios within one run move much less.
``run_benchmark(quick=True)`` does the same at tiny sizes, in seconds (the tests use it).
"""
import collections
import json
import os
import resource
import subprocess
import sys
import time
import warnings

import numpy as np

from tf_models import datasets, models
from tf_models.reference import gradient_descent

HERE = os.path.dirname(os.path.abspath(__file__))

Workload = collections.namedtuple(
    "Workload", "name model layer_dims activation dtype m learning_rate")

MAIN = Workload("main: 2-4-1 tanh, flower m=400, float64", "shallow", [2, 4, 1], "tanh",
                "float64", 400, 1.2)
CAT = Workload("deep: 12288-20-7-5-1 relu, m=209, float32", "deep", [12288, 20, 7, 5, 1],
               "relu", "float32", 209, 0.0075)
CAT64 = CAT._replace(name="deep: 12288-20-7-5-1 relu, m=209, float64", dtype="float64")
SCALE_MS = (10 ** 3, 10 ** 4, 10 ** 5, 10 ** 6)
# Both precisions: float64 is the course's; in float32 TF 1.8's tanh is vectorized, in float64
# it is the same scalar libm call as NumPy's, which caps TF's lead at the number of cores.
SCALE_DTYPES = ("float64", "float32")

# Tiny stand-ins for --quick: the same code paths, in a few seconds.
QUICK_MAIN = MAIN._replace(name="main (quick): 2-4-1 tanh, m=400, float64")
QUICK_CAT = CAT._replace(name="deep (quick): 256-20-7-5-1 relu, m=32, float32",
                         layer_dims=[256, 20, 7, 5, 1], m=32)
QUICK_CAT64 = QUICK_CAT._replace(name="deep (quick): 256-20-7-5-1 relu, m=32, float64",
                                 dtype="float64")
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
    entry = models.get(workload.model)
    module, kwargs = entry.numpy(), entry.options(workload.activation)
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
    from tf_models.graphs.tfcompat import tf
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


def torch_runner(workload, X, Y, threads=None):
    """The peer: PyTorch's idiom for the same step, in its own environment (benchmarks/peers.py).

    From the same starting parameters and data: Z[l] = b[l] + W[l] A[l−1] as one ``addmm`` (what
    ``nn.Linear`` runs), g = ReLU or tanh, the output's cost from the logits
    (``binary_cross_entropy_with_logits``, the mean over the m examples, as the course's J),
    autograd, then ``torch.optim.SGD`` without momentum: θ := θ − α dθ. X needs no gradient, so
    autograd forms no dX, as neither of ours does. Threads: torch's default (one per core), or
    ``threads``."""
    import torch
    if threads:
        torch.set_num_threads(threads)
    F = torch.nn.functional
    X_t, Y_t = torch.from_numpy(X), torch.from_numpy(Y)
    start = start_parameters(workload)
    L = len(workload.layer_dims) - 1
    W = [torch.tensor(start["W%d" % l], requires_grad=True) for l in range(1, L + 1)]
    b = [torch.tensor(start["b%d" % l], requires_grad=True) for l in range(1, L + 1)]
    optimizer = torch.optim.SGD(W + b, lr=workload.learning_rate)
    g = {"relu": torch.relu, "tanh": torch.tanh}[workload.activation]

    def run(K):
        for _ in range(K):
            A = X_t
            for l in range(L):
                Z = torch.addmm(b[l], W[l], A)
                A = g(Z) if l < L - 1 else Z
            J = F.binary_cross_entropy_with_logits(A, Y_t)
            optimizer.zero_grad(set_to_none=True)
            J.backward()
            optimizer.step()
    return run, lambda: None


# What benchmarks/peers.py runs, each in the environment that has it. PyTorch on one thread too:
# its default two threads meet at a barrier in every op, which on a loaded 2-core machine waits
# for a descheduled thread (measured: 4-30x slower per step under a load average of 10).
PEER_RUNNERS = collections.OrderedDict([
    ("tf loop", tf_loop_runner), ("numpy", numpy_runner), ("torch", torch_runner),
    ("torch, 1 thread", lambda workload, X, Y: torch_runner(workload, X, Y, threads=1))])


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


def _tf_loop_runner(make_values):
    """run(K): K iterations of a tf.while_loop that computes a list of tensors afresh each
    iteration, in a session configured as the trainer's; returns (run, close).
    ``make_values()`` runs in the new graph: it creates the Variables and returns (build, dtype),
    build() making the iteration's tensors inside the loop body."""
    from tf_models.graphs import session
    from tf_models.graphs.tfcompat import tf
    graph = tf.Graph()
    with graph.as_default():
        build, dtype = make_values()
        n_steps = tf.placeholder(tf.int32, ())

        def body(i, total):
            with tf.control_dependencies([i]):  # each iteration computes its values anew
                values = build()
            # One entry of each value flows on, so that the optimizer cannot drop them.
            return i + 1, total + tf.add_n([tf.reshape(v, [-1])[0] for v in values])
        zero = tf.constant(0, dtype=tf.as_dtype(dtype))
        loop = tf.while_loop(lambda i, total: i < n_steps, body, [tf.constant(0), zero],
                             parallel_iterations=1, back_prop=False)
        init = tf.global_variables_initializer()
    sess = tf.Session(graph=graph, config=session.session_config())
    sess.run(init)

    def run(K):
        sess.run(loop, {n_steps: K})
    return run, sess.close


def tf_gemm_runner(workload, X, Y):
    """tf.matmul of one iteration's products, K times in a tf.while_loop (as ``train_loop``)."""
    from tf_models.graphs.tfcompat import tf
    operands = _gemm_operands(matmul_shapes(workload.layer_dims, X.shape[1]), workload.dtype)

    def make_values():
        pairs = [(tf.Variable(a), tf.Variable(b), t) for a, b, t in operands]

        def build():
            return [tf.matmul(tf.identity(a), b, transpose_a=(t == "a"), transpose_b=(t == "b"))
                    for a, b, t in pairs]
        return build, operands[0][0].dtype
    return _tf_loop_runner(make_values)


GEMM_RUNNERS = collections.OrderedDict([("tf", tf_gemm_runner), ("numpy", numpy_gemm_runner)])


# ---- the memory floor: two full reads of X --------------------------------------------------

def numpy_read_runner(workload, X, Y):
    """Two full reads of X per iteration (np.sum, one core): what a step must at least read,
    once for Z[1] = W[1] X and once for dW[1] = dZ[1] Xᵀ."""
    def run(K):
        for _ in range(K):
            X.sum()
            X.sum()
    return run, lambda: None


def tf_read_runner(workload, X, Y):
    """Two full reads of X per iteration with tf.reduce_sum (all cores), in a tf.while_loop."""
    from tf_models.graphs.tfcompat import tf

    def make_values():
        data = tf.Variable(X)

        def build():
            return [tf.reduce_sum(tf.identity(data)) for _ in range(2)]
        return build, X.dtype
    return _tf_loop_runner(make_values)


READ_RUNNERS = collections.OrderedDict([("read X tf", tf_read_runner),
                                        ("read X numpy", numpy_read_runner)])


# ---- one workload in this process ---------------------------------------------------------

def time_workload(workload, iterations, repeats, implementations=None):
    """{implementation: seconds per iteration} for every runner and for both GEMM limits."""
    X, Y = make_data(workload)
    results = collections.OrderedDict()
    todo = [(name, RUNNERS[name], iterations[name]) for name in (implementations or RUNNERS)]
    todo += [("gemm " + name, runner, iterations["gemm"]) for name, runner in GEMM_RUNNERS.items()]
    todo += [(name, runner, iterations["gemm"]) for name, runner in READ_RUNNERS.items()]
    for name, make_runner, K in todo:
        run, close = make_runner(workload, X, Y)
        try:
            results[name], _ = measure(run, K, repeats)
        finally:
            close()
    return results


def memory_floor(seconds):
    """Seconds per iteration of two full reads of X: the faster of the two ways measured."""
    return min(seconds[name] for name in READ_RUNNERS)


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
        from tf_models.graphs.tfcompat import tf  # noqa: F401
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
    code = ("import json, sys; import workloads; "
            "print(json.dumps(workloads.scale_child(*json.loads(sys.argv[1]))))")
    args = json.dumps([implementation, m, budget_examples, repeats, dtype])
    out = subprocess.check_output([sys.executable, "-c", code, args], cwd=HERE)
    return json.loads(out.decode().strip().splitlines()[-1])
