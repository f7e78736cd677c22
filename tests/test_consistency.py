"""Consistency between the NumPy models themselves, and the per-example loop of 1.2.4 against
the vectorized logistic regression."""
import numpy as np
import pytest

from conftest import toy_data
from tf_models import initializers, models
from tf_models.reference import deep, logistic, shallow


def test_loop_version_equals_vectorized_logistic_regression():
    """1.2.4: the explicit for-loop over examples and features gives the vectorized dw, db, J."""
    X, Y = toy_data(n_x=4, m=30, seed=5)
    p = {"w": np.random.RandomState(1).randn(4, 1), "b": np.float64(-0.2)}
    grads_loop, J_loop = logistic.propagate_loop(p, X, Y)
    grads_vec = logistic.propagate(p, X, Y)
    assert J_loop == pytest.approx(logistic.cost(p, X, Y), rel=1e-13)
    np.testing.assert_allclose(grads_loop["dw"], grads_vec["dw"], rtol=1e-12, err_msg="dw")
    assert grads_loop["db"] == pytest.approx(grads_vec["db"], rel=1e-12)


def test_deep_with_no_hidden_layer_is_logistic_regression():
    """layer_dims [n_x, 1]: W1 = wᵀ, b1 = [[b]]; same costs and parameters step for step."""
    X, Y = toy_data(n_x=3, m=25, seed=2)
    w = np.random.RandomState(0).randn(3, 1) * 0.1
    p_log, c_log = logistic.model(X, Y, {"w": w, "b": np.float64(0.05)}, 0.3, 200, 10)
    p_deep, c_deep = deep.model(X, Y, {"W1": w.T.copy(), "b1": np.array([[0.05]])}, "relu",
                                0.3, 200, 10)
    np.testing.assert_allclose(np.array(c_log), np.array(c_deep), rtol=1e-13)
    np.testing.assert_allclose(p_deep["W1"], p_log["w"].T, rtol=1e-13)
    assert p_deep["b1"][0, 0] == pytest.approx(p_log["b"], rel=1e-13)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_deep_with_one_hidden_layer_is_the_shallow_network(activation):
    X, Y = toy_data(n_x=2, m=40, seed=3)
    p0 = initializers.initialize_parameters([2, 5, 1], "xavier", seed=4)
    p_sh, c_sh = shallow.model(X, Y, p0, activation, 0.5, 300, 50)
    p_dp, c_dp = deep.model(X, Y, p0, activation, 0.5, 300, 50)
    np.testing.assert_allclose(np.array(c_sh), np.array(c_dp), rtol=1e-13)
    for k in p0:
        np.testing.assert_allclose(p_dp[k], p_sh[k], rtol=1e-12, atol=1e-15, err_msg=k)


def test_training_does_not_modify_the_callers_parameters():
    X, Y = toy_data()
    p0 = models.initial_parameters("shallow", [3, 4, 1], seed=1)
    before = {k: v.copy() for k, v in p0.items()}
    models.train_numpy("shallow", X, Y, p0, 0.5, 20, "tanh")
    models.train_tf("shallow", X, Y, p0, 0.5, 20, "tanh")
    for k in p0:
        np.testing.assert_array_equal(p0[k], before[k], err_msg=k)


def test_same_seed_same_run_different_seed_different_run():
    X, Y = toy_data()
    run = lambda seed: models.train_numpy(  # noqa: E731
        "deep", X, Y, models.initial_parameters("deep", [3, 4, 3, 1], "he", seed), 0.1, 30, "relu")[1]
    assert run(7) == run(7)
    assert run(7) != run(8)
