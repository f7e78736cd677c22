"""The course's claims about networks, demonstrated by training (NumPy references; the TF
graphs train identically, see test_parity.py)."""
import numpy as np

from tf_models import datasets, initializers, models
from tf_models.reference import deep, logistic, shallow


def test_zero_initialization_keeps_every_hidden_unit_identical():
    """1.4.3.3: with W = 0 every unit of a layer gets the same gradient, forever."""
    ds = datasets.load_dataset("flower", seed=1)
    p0 = initializers.initialize_parameters([2, 4, 3, 1], "zeros")
    trained, _ = deep.model(ds.X_train, ds.Y_train, p0, "tanh", 0.5, 500)
    for l in (1, 2):
        W, b = trained["W%d" % l], trained["b%d" % l]
        assert np.all(W == W[0:1, :]) and np.all(b == b[0]), "layer %d units differ" % l
    assert np.all(trained["W3"] == trained["W3"][0, 0])
    # randn·0.01 breaks the symmetry
    p_rand = initializers.initialize_parameters([2, 4, 3, 1], "randn", seed=1)
    trained_r, _ = deep.model(ds.X_train, ds.Y_train, p_rand, "tanh", 0.5, 50)
    assert not np.allclose(trained_r["W1"], trained_r["W1"][0:1, :])


def test_linear_activations_collapse_to_one_linear_model():
    """1.3.4.1: with g(z) = z, a[L] = σ(W' x + b') where W' = W3 W2 W1 and
    b' = W3 (W2 b1 + b2) + b3, for any weights (trained ones included)."""
    ds = datasets.load_dataset("moons", seed=2)
    p0 = initializers.initialize_parameters([2, 5, 4, 1], "xavier", seed=3)
    trained, _ = deep.model(ds.X_train, ds.Y_train, p0, "linear", 0.1, 300)
    W1, b1, W2, b2, W3, b3 = (trained[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    w_eff = np.dot(W3, np.dot(W2, W1))
    b_eff = np.dot(W3, np.dot(W2, b1) + b2) + b3
    A_deep = deep.predict_proba(trained, ds.X_test, "linear")
    A_linear = logistic.predict_proba({"w": w_eff.T, "b": b_eff[0, 0]}, ds.X_test)
    np.testing.assert_allclose(A_deep, A_linear, rtol=1e-12)


def test_shallow_tanh_network_separates_the_flower_far_better_than_logistic_regression():
    """1.3: n_h = 4 tanh reaches ≥ 85 % on held-out flower points; logistic regression ~50 %."""
    ds = datasets.load_dataset("flower", seed=1)
    p0 = initializers.initialize_parameters([2, 4, 1], "randn", seed=1)
    net, _ = shallow.model(ds.X_train, ds.Y_train, p0, "tanh", 1.2, 10000, 10000)
    lin, _ = logistic.model(ds.X_train, ds.Y_train, initializers.initialize_logistic(2), 1.2, 10000,
                            10000)
    acc_net = np.mean(shallow.predict(net, ds.X_test) == ds.Y_test)
    acc_lin = np.mean(logistic.predict(lin, ds.X_test) == ds.Y_test)
    assert acc_net >= 0.85
    assert acc_lin <= 0.65
    assert acc_net - acc_lin >= 0.25


def test_logistic_regression_learns_breast_cancer():
    """Small α: the cost decreases at every record and the test accuracy is high."""
    ds = datasets.load_dataset("breast_cancer", seed=1)
    p, costs = logistic.model(ds.X_train, ds.Y_train, initializers.initialize_logistic(30), 0.01,
                              1000, 100)
    J = [c for _, c in costs]
    assert all(b < a for a, b in zip(J, J[1:]))
    assert models.accuracy("logistic", p, ds.X_test, ds.Y_test) >= 0.95
