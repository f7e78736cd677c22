"""Numerics at the edges, in both backends and both dtypes.

- the cost is finite for logits of ±1000 (computed from the logits, never from log(σ));
- σ(±1000) raises no overflow, divide or invalid-value warning (underflow of e^(−1000) to 0
  is the exact answer and is allowed);
- divergence stops training with a message naming the learning rate and keeps the last good
  parameters; a large but stable learning rate is not mistaken for divergence.
"""
import math
import warnings

import numpy as np
import pytest

from conftest import toy_data
from tf_models import activations, datasets, losses, models
from tf_models import stopping
from tf_models.reference import deep as np_deep
from tf_models.reference import logistic as np_logistic
from tf_models.reference import shallow as np_shallow
from tf_models.graphs.tfcompat import tf

DTYPES = ["float32", "float64"]
# Logits ±1000 with labels that make two examples right and two wrong by 1000:
# J = (0 + 0 + 1000 + 1000) / 4 = 500 exactly.
Z_EDGE = [[1000.0, -1000.0, 1000.0, -1000.0]]
Y_EDGE = [[1.0, 0.0, 0.0, 1.0]]


class strict_floats(object):
    """Turn NumPy's overflow, division and invalid-value signals, and every warning, into errors."""

    def __enter__(self):
        self._err = np.seterr(over="raise", divide="raise", invalid="raise")
        self._warn = warnings.catch_warnings()
        self._warn.__enter__()
        warnings.simplefilter("error")

    def __exit__(self, *exc):
        self._warn.__exit__(*exc)
        np.seterr(**self._err)


def run_tf(build, feed_values, dtype):
    """Evaluate ``build(*placeholders)`` in a fresh graph and session."""
    graph = tf.Graph()
    with graph.as_default():
        dt = tf.as_dtype(np.dtype(dtype))
        phs = [tf.placeholder(dt, np.shape(v)) for v in feed_values]
        out = build(*phs)
    with tf.Session(graph=graph) as sess:
        return sess.run(out, dict(zip(phs, [np.asarray(v, dtype) for v in feed_values])))


# ---- the cost at logits ±1000 -------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_numpy_cost_is_finite_at_logits_of_1000(dtype):
    Z, Y = np.array(Z_EDGE, dtype), np.array(Y_EDGE, dtype)
    with strict_floats():
        J = losses.cross_entropy_cost(Z, Y)
    assert J == pytest.approx(500.0, rel=1e-6)


@pytest.mark.parametrize("dtype", DTYPES)
def test_tf_cost_and_its_gradient_are_finite_at_logits_of_1000(dtype):
    from tf_models.graphs import layers

    def build(Z, Y):
        J = layers.cross_entropy_cost(Z, Y)
        return J, tf.gradients(J, Z)[0]
    J, dZ = run_tf(build, [Z_EDGE, Y_EDGE], dtype)
    assert J == pytest.approx(500.0, rel=1e-6)
    # dJ/dZ = (σ(Z) − Y) / m: exactly (0, 0, 1, −1) / 4 once σ saturates
    np.testing.assert_allclose(dZ, [[0.0, 0.0, 0.25, -0.25]], atol=1e-7)


def test_the_texts_formula_is_what_fails():
    """Control: the cost written from A = σ(Z) is inf at the same logits (why we use the logits)."""
    A = activations.sigmoid(np.array(Z_EDGE))
    with np.errstate(divide="ignore", invalid="ignore"):
        J = np.mean(losses.logistic_loss(A, np.array(Y_EDGE)))
    assert not np.isfinite(J)


# ---- sigmoid without overflow ---------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_sigmoid_has_no_overflow_at_the_extremes(dtype):
    info = np.finfo(dtype)
    Z = np.array([[-1000.0, -710.0, -89.0, -1.0, 0.0, 1.0, 89.0, 710.0, 1000.0]], dtype)
    Z = np.hstack([Z, np.array([[info.min, info.max]], dtype)])
    with strict_floats():
        A = activations.sigmoid(Z)
    assert A.dtype == np.dtype(dtype)
    assert np.isfinite(A).all() and (A >= 0).all() and (A <= 1).all()
    assert A[0, 0] == 0.0 and A[0, 8] == 1.0 and A[0, 4] == 0.5


def test_the_naive_sigmoid_would_overflow():
    """Control: 1 / (1 + e^(−Z)) raises under the same settings, so the test above means something."""
    with pytest.raises(FloatingPointError):
        with strict_floats():
            1 / (1 + np.exp(-np.array([-1000.0])))


@pytest.mark.parametrize("dtype", DTYPES)
def test_saturated_models_run_without_warnings_in_numpy(dtype):
    """Cost, forward and backward pass of every model at output logits in the thousands."""
    X, Y = toy_data(3, 8, dtype=dtype)
    big = np.array([[400.0], [-400.0], [300.0]], dtype)
    cases = [("logistic", {"w": big, "b": np.dtype(dtype).type(0)}, {})]
    for model, dims in [("shallow", [3, 4, 1]), ("deep", [3, 4, 3, 1])]:
        p = models.initial_parameters(model, dims, "he", 1, dtype)
        L = len(dims) - 1
        p["W%d" % L] = p["W%d" % L] * 1000  # output logits in the thousands
        cases.append((model, p, {"activation": "tanh" if model == "shallow" else "relu"}))
    for model, p, kw in cases:
        module = {"logistic": np_logistic, "shallow": np_shallow, "deep": np_deep}[model]
        with strict_floats():
            J = module.cost(p, X, Y, **kw)
            grads = module.propagate(p, X, Y, **kw)
        assert np.isfinite(J) and J > 10, model
        assert all(np.isfinite(g).all() for g in grads.values()), model


def test_a_diverging_numpy_run_prints_no_warnings():
    """Overflow inside a blown-up step is left to the divergence check: one message, no warnings."""
    ds = datasets.load_dataset("moons").astype("float32")
    p0 = models.initial_parameters("deep", [2, 8, 5, 1], "he", 1, "float32")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(stopping.Diverged, match="nan"):
            models.train_numpy("deep", ds.X_train, ds.Y_train, p0, 1e30, 20, "relu",
                               record_every=5)


@pytest.mark.parametrize("dtype", DTYPES)
def test_saturated_logistic_graph_gives_finite_cost_and_gradients(dtype):
    from tf_models.graphs import session
    X, Y = toy_data(3, 8, dtype=dtype)
    p = {"w": np.array([[400.0], [-400.0], [300.0]], dtype), "b": np.dtype(dtype).type(0)}
    graph = models.build_graph("logistic", p, 0.01, dtype=dtype)
    sess = session.open_session(graph, X, Y)
    try:
        J, grads = sess.run([graph.cost, graph.grads])
    finally:
        sess.close()
    _, cache = np_logistic.forward_propagation(X, p)
    assert np.isfinite(J) and J > 10
    assert J == pytest.approx(np_logistic.compute_cost(cache, Y), rel=1e-5)
    assert all(np.isfinite(g).all() for g in grads.values())


# ---- divergence ---------------------------------------------------------------------------------

def train(backend, *args, **kwargs):
    fn = models.train_numpy if backend == "numpy" else models.train_tf
    return fn(*args, **kwargs)


def diverge(backend, model, ds, p0, lr, iterations, activation=None, record_every=10):
    with pytest.raises(stopping.Diverged) as info:
        train(backend, model, ds.X_train, ds.Y_train, p0, lr, iterations, activation,
              record_every=record_every)
    return info.value


@pytest.mark.parametrize("backend", ["numpy", "tf"])
def test_logistic_regression_with_a_huge_learning_rate_stops(backend):
    """α = 1e6 on breast_cancer: the stable cost jumps by thousands, not to NaN; it is caught."""
    ds = datasets.load_dataset("breast_cancer")
    p0 = models.initial_parameters("logistic", [ds.n_x, 1])
    e = diverge(backend, "logistic", ds, p0, 1e6, 200)
    message = str(e)
    assert isinstance(e, ValueError) and "\n" not in message
    assert "learning rate 1e+06 is probably too large" in message, message
    assert "iteration 10" in message and "grew" in message, message
    # The last good parameters are those of iteration 0 (the start), costs up to there.
    assert e.iteration == 0 and e.costs == [[0, pytest.approx(math.log(2))]]
    np.testing.assert_array_equal(e.parameters["w"], p0["w"])


@pytest.mark.parametrize("backend", ["numpy", "tf"])
@pytest.mark.parametrize("dtype, lr, words", [("float64", 1e6, "grew"),
                                              ("float32", 1e30, "nan")])
def test_a_deep_relu_network_that_blows_up_stops_with_its_last_good_parameters(backend, dtype,
                                                                                lr, words):
    ds = datasets.load_dataset("moons").astype(dtype)
    p0 = models.initial_parameters("deep", [2, 8, 5, 1], "he", 1, dtype)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        e = diverge(backend, "deep", ds, p0, lr, 50, "relu", record_every=1)
    assert words in str(e) and "learning rate" in str(e)
    assert e.parameters is not None and all(np.isfinite(v).all() for v in e.parameters.values())
    assert all(np.isfinite(c) for _, c in e.costs) and e.costs[-1][0] == e.iteration
    # They are the parameters after e.iteration updates: training that far reproduces them.
    if e.iteration == 0:
        redo = p0
    else:
        redo, _ = models.train_numpy("deep", ds.X_train, ds.Y_train, p0, lr, e.iteration, "relu",
                                     record_every=1)
    for k in redo:
        np.testing.assert_allclose(e.parameters[k], redo[k], rtol=1e-4, err_msg=k)


@pytest.mark.parametrize("backend", ["numpy", "tf"])
def test_a_large_but_stable_learning_rate_is_not_called_divergence(backend):
    ds = datasets.load_dataset("breast_cancer")
    p0 = models.initial_parameters("logistic", [ds.n_x, 1])
    _, costs = train(backend, "logistic", ds.X_train, ds.Y_train, p0, 10.0, 300, record_every=50)
    assert costs[-1][1] < costs[0][1]


def test_the_divergence_rule():
    """NaN, inf, non-finite parameters, or J above 1000 × max(J₀, ln 2) stop; less does not."""
    p = {"W1": np.ones((2, 2))}
    g = stopping.Guard(0.5)
    g.check(0, 0.01, p, [])             # a small start (e.g. a resumed run) ...
    g.check(1, 0.5, p, [[0, 0.01]])      # ... may rise to ln 2-ish without alarm
    with pytest.raises(stopping.Diverged) as info:
        g.check(2, 1000 * math.log(2) + 1, p, [[0, 0.01], [1, 0.5]])
    assert info.value.iteration == 1 and info.value.costs == [[0, 0.01], [1, 0.5]]
    for bad_J, bad_p, words in [(float("nan"), p, "nan"), (float("inf"), p, "inf"),
                                (1.0, {"W1": np.array([[np.inf]])}, "parameters")]:
        g = stopping.Guard(0.5)
        g.check(0, 0.7, p, [])
        with pytest.raises(stopping.Diverged) as info:
            g.check(1, bad_J, bad_p, [[0, 0.7]])
        assert words in str(info.value)
    g = stopping.Guard(0.5)
    with pytest.raises(stopping.Diverged) as info:  # already blown up at the start
        g.check(0, float("inf"), p, [])
    assert info.value.parameters is None and "no good parameters" in str(info.value)


def test_the_caller_parameters_are_never_modified_by_a_stop():
    ds = datasets.load_dataset("breast_cancer")
    p0 = models.initial_parameters("logistic", [ds.n_x, 1])
    before = {k: np.array(v, copy=True) for k, v in p0.items()}
    with pytest.raises(stopping.Diverged):
        models.train_numpy("logistic", ds.X_train, ds.Y_train, p0, 1e6, 50, record_every=5)
    for k in before:
        np.testing.assert_array_equal(p0[k], before[k], err_msg=k)
