"""Parity: each NumPy reference (tf_models.reference) checked against its TF graph
(tf_models.graphs) on the same inputs and the same starting parameters.

For every model, activation and dtype, in this order: the forward pass (A), the cost J, every
gradient (NumPy's backward formulas vs tf.gradients), then the parameters after training.
Tolerances are relative to each array's largest entry: float64 1e-10, float32 1e-5 for one
pass; after 1000 iterations 1e-10 (float64) and 1e-4 (float32, where rounding accumulates).
"""
import numpy as np
import pytest

from conftest import RTOL, assert_close_dicts, toy_data
from tf_models import datasets, models
from tf_models.graphs import session

DTYPES = ["float64", "float32"]
CASES = ([("logistic", None)] +
         [("shallow", g) for g in ("tanh", "sigmoid", "relu", "leaky_relu")] +
         [("deep", g) for g in ("relu", "tanh", "sigmoid", "leaky_relu")])
DIMS = {"logistic": [3, 1], "shallow": [3, 5, 1], "deep": [3, 6, 4, 1]}


def make_case(model, activation, dtype, seed=0):
    X, Y = toy_data(n_x=3, m=40, seed=seed, dtype=dtype)
    init = "he" if model == "deep" else "randn"
    p0 = models.initial_parameters(model, DIMS[model], init, seed=seed + 1, dtype=dtype)
    if model == "logistic":  # zeros would make the first pass trivial: start somewhere generic
        p0 = {"w": np.random.RandomState(seed).randn(3, 1).astype(dtype) * 0.5,
              "b": np.dtype(dtype).type(0.1)}
    graph = models.build_graph(model, p0, 0.1, activation, dtype)
    return X, Y, p0, graph


def numpy_pass(model, p0, X, Y, activation):
    entry = models.get(model)
    module, kw = entry.numpy(), entry.options(activation)
    A, cache = module.forward_propagation(X, p0, **kw)
    J = module.compute_cost(cache, Y)
    grads = module.propagate(p0, X, Y, **kw)
    return A, J, grads


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("model,activation", CASES)
def test_forward_cost_and_gradients(model, activation, dtype):
    X, Y, p0, graph = make_case(model, activation, dtype)
    A_np, J_np, grads_np = numpy_pass(model, p0, X, Y, activation)
    sess = session.open_session(graph, X, Y)
    try:
        A_tf, J_tf, grads_tf = sess.run([graph.A, graph.cost, graph.grads])
    finally:
        sess.close()
    rtol = RTOL[dtype]
    # forward: A = ŷ
    assert A_tf.dtype == np.dtype(dtype) and A_np.dtype == np.dtype(dtype)
    assert_close_dicts({"A": A_np}, {"A": A_tf}, rtol)
    # cost J
    assert J_np == pytest.approx(float(J_tf), rel=rtol)
    # gradients: NumPy's backward pass vs TF autodiff, key by key
    assert sorted(grads_np) == sorted(grads_tf) == sorted("d" + k for k in p0)
    for k in grads_np:
        assert np.asarray(grads_np[k]).dtype == np.dtype(dtype), "%s must stay %s" % (k, dtype)
    assert_close_dicts(grads_np, grads_tf, rtol)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("model,activation", CASES)
def test_parameters_after_training_steps(model, activation, dtype):
    X, Y, p0, _ = make_case(model, activation, dtype)
    p_np, costs_np = models.train_numpy(model, X, Y, p0, 0.1, 50, activation, record_every=10)
    p_tf, costs_tf = models.train_tf(model, X, Y, p0, 0.1, 50, activation, record_every=10)
    assert [i for i, _ in costs_np] == [i for i, _ in costs_tf] == [0, 10, 20, 30, 40, 50]
    np.testing.assert_allclose([c for _, c in costs_np], [c for _, c in costs_tf],
                               rtol=RTOL[dtype], err_msg="costs: NumPy vs TF")
    assert_close_dicts(p_np, p_tf, RTOL[dtype])


LONG_RTOL = {"float64": 1e-10, "float32": 1e-4}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("model,activation,learning_rate", [
    ("shallow", "tanh", 1.2), ("deep", "relu", 0.1), ("logistic", None, 1.2)])
def test_1000_iterations_on_flower(model, activation, learning_rate, dtype):
    """1000 iterations on real data from identical parameters: the parameters still agree."""
    ds = datasets.load_dataset("flower", seed=1).astype(dtype)
    dims = {"logistic": [2, 1], "shallow": [2, 4, 1], "deep": [2, 8, 4, 1]}[model]
    p0 = models.initial_parameters(model, dims, "he" if model == "deep" else "randn", 2, dtype)
    p_np, c_np = models.train_numpy(model, ds.X_train, ds.Y_train, p0, learning_rate, 1000,
                                    activation, record_every=250)
    p_tf, c_tf = models.train_tf(model, ds.X_train, ds.Y_train, p0, learning_rate, 1000,
                                 activation, record_every=250)
    assert_close_dicts(p_np, p_tf, LONG_RTOL[dtype])
    assert c_np[-1][1] == pytest.approx(c_tf[-1][1], rel=LONG_RTOL[dtype])
    assert c_np[-1][1] < c_np[0][1], "training should lower the cost"
