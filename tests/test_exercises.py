"""tf_models.exercises: the exercises' names, signatures and return types, checked against the
exercises' own published values and against the NumPy references they wrap."""
import numpy as np
import pytest

from conftest import toy_data
from tf_models import initializers
from tf_models.exercises import deep, logistic, shallow
from tf_models.reference import deep as ref_deep
from tf_models.reference import shallow as ref_shallow


def test_logistic_matches_the_exercise_published_values():
    """propagate on the Week 2 exercise's test inputs gives the exercise's expected dw, db, cost."""
    w, b = np.array([[1.], [2.], [-1]]), 2.5
    X = np.array([[1., 2., -1., 0], [3., 4., -3.2, 1], [3., 4., -3.2, -3.5]])
    Y = np.array([[1, 1, 0, 0]])  # integer labels, as the exercise passes them
    grads, cost = logistic.propagate(w, b, X, Y)
    np.testing.assert_allclose(grads["dw"], [[-0.03909333], [0.12501464], [-0.99960809]], atol=1e-8)
    assert type(grads["db"]) is np.float64 and abs(grads["db"] - 0.288106326429569) < 1e-12
    assert np.shape(cost) == () and abs(cost - 2.0424567983978403) < 1e-12
    np.testing.assert_allclose(logistic.sigmoid(np.array([0, 2])), [0.5, 0.88079708], atol=1e-8)


def test_initialize_with_zeros_returns_a_python_float_b():
    w, b = logistic.initialize_with_zeros(3)
    assert type(b) is float and b == 0.0
    assert w.shape == (3, 1) and not np.any(w)
    with pytest.raises(ValueError, match="dim"):
        logistic.initialize_with_zeros(0)


def test_optimize_records_costs_before_each_hundredth_update():
    """costs[k] is the cost of the parameters before update 100·k; grads are those of the last step."""
    X, Y = toy_data(n_x=3, m=12)
    w, b = logistic.initialize_with_zeros(3)
    params, grads, costs = logistic.optimize(w, b, X, Y, num_iterations=201, learning_rate=0.1)
    assert len(costs) == 3 and abs(costs[0] - np.log(2)) < 1e-12  # zeros: ŷ = 0.5 before update 0
    after_200, _, _ = logistic.optimize(w, b, X, Y, num_iterations=200, learning_rate=0.1)
    expected_grads, expected_cost = logistic.propagate(after_200["w"], after_200["b"], X, Y)
    assert abs(costs[2] - expected_cost) < 1e-12
    np.testing.assert_allclose(grads["dw"], expected_grads["dw"], rtol=1e-12)
    assert type(params["b"]) is float and not np.any(w)  # the caller's w untouched


def test_model_returns_the_exercise_dict():
    X, Y = toy_data(n_x=3, m=12)
    d = logistic.model(X, Y, X[:, :5], Y[:, :5], num_iterations=150, learning_rate=0.1)
    assert set(d) == {"costs", "Y_prediction_test", "Y_prediction_train", "w", "b",
                      "learning_rate", "num_iterations"}
    assert d["Y_prediction_test"].shape == (1, 5) and set(np.unique(d["Y_prediction_train"])) <= {0.0, 1.0}
    assert len(d["costs"]) == 2


def test_shallow_initialize_parameters_is_the_exercise_seed_2_draw():
    """The exercise's expected W1 for (2, 4, 1) starts -0.00416758; equal to the project's randn initializer."""
    p = shallow.initialize_parameters(2, 4, 1)
    assert abs(p["W1"][0, 0] - (-0.00416758)) < 1e-8
    same = initializers.initialize_parameters([2, 4, 1], "randn", seed=2)
    for k in same:
        np.testing.assert_array_equal(p[k], same[k], err_msg=k)


def test_shallow_functions_agree_with_the_reference():
    X, Y = toy_data(n_x=2, m=15)
    assert shallow.layer_sizes(X, Y) == (2, 4, 1)
    p = initializers.initialize_parameters([2, 4, 1], "xavier", seed=4)
    A2, cache = shallow.forward_propagation(X, p)
    assert set(cache) == {"Z1", "A1", "Z2", "A2"}
    ref_A2, ref_cache = ref_shallow.forward_propagation(X, p)
    np.testing.assert_array_equal(A2, ref_A2)
    assert abs(shallow.compute_cost(A2, Y) - ref_shallow.compute_cost(ref_cache, Y)) < 1e-12
    grads = shallow.backward_propagation(p, cache, X, Y)
    ref_grads = ref_shallow.backward_propagation(p, ref_cache, X, Y)
    for k in ref_grads:
        np.testing.assert_array_equal(grads[k], ref_grads[k], err_msg=k)
    new = shallow.update_parameters(p, grads, 1.2)
    np.testing.assert_allclose(new["W1"], p["W1"] - 1.2 * grads["dW1"])
    assert shallow.predict(p, X).dtype == bool and shallow.predict(p, X).shape == (1, 15)


def test_compute_cost_from_saturated_probabilities_stays_finite():
    """A = exactly 1.0 for y = 0: the exercise's formula gives inf; the clipped one a large finite cost."""
    cost = deep.compute_cost(np.array([[1.0, 0.5]]), np.array([[0, 1]]))
    assert np.isfinite(cost) and cost > 10


def test_nn_model_learns_the_flower():
    from tf_models import datasets
    d = datasets.load_dataset("flower")
    p = shallow.nn_model(d.X_train, d.Y_train, 4, num_iterations=1500)
    assert np.mean(shallow.predict(p, d.X_train) == d.Y_train) > 0.8


def test_deep_initializers_are_the_exercise_draws():
    """Exercise values: initialize_parameters_deep([5, 4, 3]) W1[0, 0] = 0.01788628 (seed 3), with
    3 output units; initialize_parameters(3, 2, 1) W1[0, 0] = 0.01624345 (seed 1)."""
    p = deep.initialize_parameters_deep([5, 4, 3])
    assert abs(p["W1"][0, 0] - 0.01788628) < 1e-8 and p["W2"].shape == (3, 4) and p["b2"].shape == (3, 1)
    assert abs(deep.initialize_parameters(3, 2, 1)["W1"][0, 0] - 0.01624345) < 1e-8


def test_deep_forward_and_backward_agree_with_the_reference():
    """L_model_backward (from dAL, the exercise's way) equals the reference (from dZ[L] = AL − Y)."""
    X, Y = toy_data(n_x=4, m=9)
    p = initializers.initialize_parameters([4, 5, 3, 1], "he", seed=3)
    AL, caches = deep.L_model_forward(X, p)
    assert len(caches) == 3 and len(caches[0]) == 2 and len(caches[0][0]) == 3
    ref_AL, ref_caches = ref_deep.forward_propagation(X, p, "relu")
    np.testing.assert_array_equal(AL, ref_AL)
    grads = deep.L_model_backward(AL, Y, caches)
    assert {"dA0", "dA1", "dA2", "dW3", "db1"} <= set(grads)
    ref_grads = ref_deep.backward_propagation(ref_AL, Y, ref_caches, "relu")
    for k in ref_grads:
        np.testing.assert_allclose(grads[k], ref_grads[k], rtol=1e-10, atol=1e-14, err_msg=k)
    Z, cache = deep.linear_forward(X, p["W1"], p["b1"])
    dA_prev, dW, db = deep.linear_backward(np.ones_like(Z), cache)
    assert dA_prev.shape == X.shape and dW.shape == p["W1"].shape and db.shape == (5, 1)


def test_L_layer_model_returns_parameters_and_costs():
    X, Y = toy_data(n_x=4, m=20)
    p, costs = deep.L_layer_model(X, Y, [4, 5, 3, 1], learning_rate=0.1, num_iterations=250)
    assert len(costs) == 3 and costs[-1] < costs[0] and p["W3"].shape == (1, 3)
    p, costs = deep.two_layer_model(X, Y, (4, 5, 1), learning_rate=0.1, num_iterations=100)
    assert len(costs) == 1 and set(p) == {"W1", "b1", "W2", "b2"}


@pytest.mark.parametrize("call", [
    lambda: logistic.propagate(np.zeros((3, 1)), 0.0, np.zeros((2, 4)), np.zeros((1, 4))),
    lambda: shallow.layer_sizes(np.zeros((2, 4)), np.zeros((1, 5))),
    lambda: deep.initialize_parameters_deep([3, 0, 1]),
    lambda: deep.linear_activation_forward(np.zeros((2, 3)), np.zeros((1, 2)), np.zeros((1, 1)), "tanh"),
    lambda: shallow.update_parameters({"W1": np.zeros(1)}, {}, 0.1),
])
def test_what_is_truly_wrong_is_one_clear_value_error(call):
    with pytest.raises(ValueError):
        call()
