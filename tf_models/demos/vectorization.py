"""Vectorization (1.2.4.1): the same arithmetic as a Python loop, as one NumPy call, and in TensorFlow.

Two experiments, each timed (best of a few runs) and returned with its results, so that a test
can check that all three ways compute the same numbers while the demo shows how long each takes:

    dot_product(n)        c = Σ_i a_i b_i for two vectors of n random numbers (the text's example)
    training_step(...)    one forward and backward pass of logistic regression on (X, Y):
                          ``reference.logistic.propagate_loop`` (1.2.4's per-example pseudo-code),
                          ``reference.logistic.propagate`` (1.2.4.2's vectorized form),
                          and the TF graph's cost and gradients.
"""
import numpy as np

from tf_models.demos import common

METHODS = ("loop", "numpy", "tf")
LABELS = {"loop": "Python for loop", "numpy": "NumPy (vectorized)", "tf": "TensorFlow graph"}


def dot_product(n=10 ** 6, seed=1, repeats=3):
    """c = a · b for a, b of n uniform random numbers, three ways.

    Returns {"n", "values": {method: c}, "seconds": {method: best wall time}}. The loop runs once
    (it is the slow one); np.dot and the TF session ``repeats`` times. TF's time is one
    Session.run of the already built graph, with a and b already inside it.
    """
    rng = np.random.RandomState(seed)
    a, b = rng.rand(n), rng.rand(n)

    def loop():
        c = 0.0
        for i in range(n):
            c += a[i] * b[i]
        return c

    seconds, values = {}, {}
    seconds["loop"], values["loop"] = common.best_time(loop, 1)
    seconds["numpy"], values["numpy"] = common.best_time(lambda: np.dot(a, b), repeats)
    with _TFDot(a, b) as run:
        run()  # the first run allocates and warms up; time the later ones
        seconds["tf"], values["tf"] = common.best_time(run, repeats)
    return {"n": n, "values": {k: float(v) for k, v in values.items()}, "seconds": seconds}


class _TFDot(object):
    """A session holding a and b as variables and the node c = Σ a_i b_i; calling it runs c."""

    def __init__(self, a, b):
        from tf_models.graphs.tfcompat import tf
        self.graph = tf.Graph()
        with self.graph.as_default():
            feed_a = tf.placeholder(tf.float64, a.shape)
            feed_b = tf.placeholder(tf.float64, b.shape)
            va = tf.Variable(feed_a, name="a")  # filled once by feeding, not stored in the graph
            vb = tf.Variable(feed_b, name="b")
            self.c = tf.tensordot(va, vb, 1, name="c")
            init = tf.global_variables_initializer()
        self.sess = tf.Session(graph=self.graph)
        self.sess.run(init, {feed_a: a, feed_b: b})

    def __enter__(self):
        return lambda: self.sess.run(self.c)

    def __exit__(self, *exc):
        self.sess.close()


def training_step(X, Y, parameters, repeats=3):
    """One logistic-regression forward/backward pass on X (n_x, m), Y (1, m), three ways.

    parameters: {"w": (n_x, 1), "b": scalar}. Returns {"n_x", "m", "seconds": {method: time},
    "grads": {method: {"dw": (n_x, 1), "db": float}}, "costs": {method: J}}.
    """
    from tf_models.graphs import session
    from tf_models.reference import logistic
    from tf_models import models

    seconds, grads, costs = {}, {}, {}
    seconds["loop"], (g, J) = common.best_time(lambda: logistic.propagate_loop(parameters, X, Y), 1)
    grads["loop"], costs["loop"] = g, J

    def vectorized():
        _, cache = logistic.forward_propagation(X, parameters)
        return logistic.backward_propagation(cache, X, Y), logistic.compute_cost(cache, Y)

    seconds["numpy"], (grads["numpy"], costs["numpy"]) = common.best_time(vectorized, repeats)

    graph = models.build_graph("logistic", parameters, learning_rate=0.01, dtype=X.dtype)
    sess = session.open_session(graph, X, Y)
    try:
        step = lambda: sess.run([graph.grads, graph.cost])  # noqa: E731
        step()  # warm-up
        seconds["tf"], (grads["tf"], costs["tf"]) = common.best_time(step, repeats)
    finally:
        sess.close()
    grads = {k: {"dw": np.asarray(g["dw"]).reshape(-1, 1), "db": float(g["db"])}
             for k, g in grads.items()}
    return {"n_x": X.shape[0], "m": X.shape[1], "seconds": seconds, "grads": grads,
            "costs": {k: float(v) for k, v in costs.items()}}


def digits_problem(seed=1):
    """The demo's data for ``training_step``: the digits training split (64 features) and small
    random w, b (so that the gradients are not trivial). Returns X, Y, parameters."""
    from tf_models import datasets
    ds = datasets.load_dataset("digits", seed=seed)
    rng = np.random.RandomState(seed)
    parameters = {"w": rng.randn(ds.n_x, 1) * 0.01, "b": np.float64(0.1)}
    return ds.X_train, ds.Y_train, parameters


def ratios(seconds):
    """Each method's time divided by the fastest one's: {method: ≥ 1}."""
    fastest = min(seconds.values())
    return {k: v / fastest for k, v in seconds.items()}


def table(result, title):
    """Lines of text: method, milliseconds, × the fastest."""
    r = ratios(result["seconds"])
    lines = [title, "%-20s %12s %12s" % ("method", "time (ms)", "× fastest")]
    for k in METHODS:
        lines.append("%-20s %12.3f %12.1f" % (LABELS[k], 1000 * result["seconds"][k], r[k]))
    return lines


def plot_vectorization(dot, step, path=None):
    """Two bar charts (log scale) of the times: the dot product and the training step."""
    from tf_models import plots
    fig, axes = plots.plt.subplots(1, 2, figsize=(10, 3.8))
    for ax, result, title in ((axes[0], dot, "dot product, n = %d" % dot["n"]),
                              (axes[1], step, "logistic step, n_x = %d, m = %d"
                               % (step["n_x"], step["m"]))):
        ms = [1000 * result["seconds"][k] for k in METHODS]
        bars = ax.bar(range(3), ms, color=["#c0392b", "#1f77b4", "#ff7f0e"])
        ax.set_yscale("log")
        ax.set_xticks(range(3))
        ax.set_xticklabels([LABELS[k] for k in METHODS], fontsize=9)
        ax.set_ylabel("time in ms (log scale); × the fastest")
        ax.set_title("1.2.4.1 " + title, fontsize=11)
        r = ratios(result["seconds"])
        for bar, k in zip(bars, METHODS):
            ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height(), "%.0f×" % r[k]
                    if r[k] >= 10 else "%.1f×" % r[k], ha="center", va="bottom", fontsize=9)
    return common.finish(fig, path)
