"""The demonstrations (tf_models.demos) compute the right things; no timing is asserted.

Each demo is checked against an independent computation (TensorFlow against NumPy, a sum against
math.fsum, a derivative against a finite difference), then its plot and script are run once on a
small problem.
"""
import math

import numpy as np
import pytest

from conftest import call_script
from tf_models import activations, datasets, models
from tf_models.demos import (activation_functions, computation_graph, hidden_units,
                             initialization, learning_rate, vectorization)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def is_png(path):
    with open(path, "rb") as f:
        return f.read(8) == PNG_MAGIC


# ---- 1.2.3 computation graph -----------------------------------------------------------------

def test_computation_graph_forward_values_at_the_texts_inputs():
    hand = computation_graph.by_hand(7.0, 4.0, 2.0)
    # forward: u = bc, v = a + u, J = 3v
    assert (hand["u"], hand["v"], hand["J"]) == (8.0, 15.0, 45.0)


def test_computation_graph_derivatives_hand_equal_tf_gradients_exactly():
    result = computation_graph.computation_graph(7.0, 4.0, 2.0)
    for name in computation_graph.NAMES:
        assert result["hand"][name] == result["tf"][name], name
    # the chain rule's products: dJ/db = 3c, dJ/dc = 3b
    assert (result["hand"]["dJ/da"], result["hand"]["dJ/db"], result["hand"]["dJ/dc"]) == (3, 6, 12)


def test_computation_graph_erratum_dJ_dc_is_not_nine():
    result = computation_graph.computation_graph()
    assert result["text"]["dJ/dc"] == 9.0
    assert result["hand"]["dJ/dc"] != result["text"]["dJ/dc"]
    assert result["nudge"]["dJ/dc"] == pytest.approx(result["hand"]["dJ/dc"], abs=1e-6)
    # where the 9 came from: the classic example a = 5, b = 3, c = 2 has dJ/dc = 3b = 9
    assert computation_graph.by_hand(5.0, 3.0, 2.0)["dJ/dc"] == 9.0


def test_computation_graph_nudging_matches_the_chain_rule_at_other_inputs():
    hand = computation_graph.by_hand(1.5, -2.0, 0.25)
    nudge = computation_graph.by_nudging(1.5, -2.0, 0.25, h=1e-6)
    for name in nudge:
        assert nudge[name] == pytest.approx(hand[name], abs=1e-5), name


# ---- 1.2.4.1 vectorization ---------------------------------------------------------------------

def test_dot_product_loop_numpy_and_tf_agree():
    result = vectorization.dot_product(n=20000, seed=3, repeats=1)
    rng = np.random.RandomState(3)
    a, b = rng.rand(20000), rng.rand(20000)
    exact = math.fsum(a * b)  # correctly rounded sum of the products: the independent reference
    for method in vectorization.METHODS:
        assert result["values"][method] == pytest.approx(exact, rel=1e-12), method
    assert set(result["seconds"]) == set(vectorization.METHODS)
    assert min(vectorization.ratios(result["seconds"]).values()) == 1.0


def test_training_step_loop_vectorized_and_tf_agree():
    X, Y, parameters = vectorization.digits_problem()
    X, Y = X[:, :150], Y[:, :150]  # the loop is slow by design: a small slice is enough here
    result = vectorization.training_step(X, Y, parameters, repeats=1)
    reference = result["grads"]["numpy"]
    assert np.max(np.abs(reference["dw"])) > 1e-4  # the gradient is not trivially zero
    for method in ("loop", "tf"):
        np.testing.assert_allclose(result["grads"][method]["dw"], reference["dw"], rtol=0,
                                   atol=1e-12 * np.max(np.abs(reference["dw"])),
                                   err_msg="dw: %s vs numpy" % method)
        assert result["grads"][method]["db"] == pytest.approx(reference["db"], rel=1e-12, abs=1e-15)
        assert result["costs"][method] == pytest.approx(result["costs"]["numpy"], rel=1e-12)


# ---- 1.3.4 activation functions ----------------------------------------------------------------

def test_activation_curves_numpy_equal_tensorflow_including_the_kink():
    z = np.linspace(-4, 4, 33)  # contains z = 0 exactly
    assert 0.0 in z
    ours, theirs = activation_functions.curves(z), activation_functions.by_tensorflow(z)
    for name in activation_functions.NAMES:
        np.testing.assert_allclose(ours[name][0], theirs[name][0], rtol=1e-12, atol=1e-15,
                                   err_msg="g: " + name)
        np.testing.assert_allclose(ours[name][1], theirs[name][1], rtol=1e-12, atol=1e-15,
                                   err_msg="g': " + name)


def test_activation_derivatives_match_finite_differences_away_from_the_kink():
    z = np.array([-3.0, -0.7, 0.4, 2.5])
    h = 1e-6
    for name, (_A, dA) in activation_functions.curves(z).items():
        g = activations.get(name)[0]
        np.testing.assert_allclose(dA, (g(z + h) - g(z - h)) / (2 * h), rtol=1e-6, atol=1e-9,
                                   err_msg=name)


# ---- 1.4.3.3 initialization --------------------------------------------------------------------

def test_initialization_trains_each_method_from_its_own_start():
    result = initialization.initialization(iterations=40, record_every=20)
    assert list(result) == list(initialization.METHODS)
    for method, run in result.items():
        assert [i for i, _ in run["costs"]] == [0, 20, 40], method
        assert all(np.isfinite(J) for _, J in run["costs"]), method
    starts = {m: r["initial_parameters"]["W1"] for m, r in result.items()}
    assert not np.any(starts["zeros"])
    assert np.all(starts["uniform"] >= 0) and np.any(starts["randn"] < 0)  # ERRATA 5
    # large weights: the first cost is far above the small-weight start (saturated outputs)
    assert result["large"]["costs"][0][1] > 10 * result["randn"]["costs"][0][1]
    # zero weights with ReLU: every dW is 0, so W stays 0 and only the output bias learns
    ds = datasets.load_dataset("flower")
    zeros = models.initial_parameters("deep", [2, 10, 5, 1], "zeros", 1)
    trained, _ = models.train_numpy("deep", ds.X_train, ds.Y_train, zeros, 0.05, 20, "relu")
    assert not any(np.any(trained["W%d" % l]) for l in (1, 2, 3))
    assert trained["b3"][0, 0] != 0


# ---- 1.4.3.2 hidden layer size -----------------------------------------------------------------

def test_hidden_units_numpy_and_tf_train_the_same_networks():
    ds, np_runs = hidden_units.hidden_units(sizes=(1, 3), iterations=100)
    _, tf_runs = hidden_units.hidden_units(sizes=(1, 3), iterations=100, backend="tf")
    for a, b in zip(np_runs, tf_runs):
        assert a["parameters"]["W1"].shape == (a["n_h"], ds.n_x)
        for key in a["parameters"]:
            np.testing.assert_allclose(a["parameters"][key], b["parameters"][key], rtol=0,
                                       atol=1e-10, err_msg="%s, n_h = %d" % (key, a["n_h"]))
        assert a["test_accuracy"] == b["test_accuracy"]
        assert 0.0 <= a["train_accuracy"] <= 1.0


# ---- learning rate -----------------------------------------------------------------------------

@pytest.mark.parametrize("costs, expected", [
    ([[0, 0.7], [10, 0.5], [20, 0.4]], "converges"),
    ([[0, 0.7], [10, 0.9], [20, 0.4]], "oscillates"),
    ([[0, 0.7], [10, 0.5], [20, 3.0]], "diverges"),
    ([[0, 0.7], [10, float("inf")], [20, 0.1]], "diverges"),
])
def test_learning_rate_status(costs, expected):
    assert learning_rate.status(costs) == expected


def test_learning_rates_a_huge_step_does_not_converge_and_stays_finite():
    result = learning_rate.learning_rates(rates=(1.2, 100.0), iterations=200, record_every=20)
    good, huge = result[1.2], result[100.0]
    assert good["status"] == "converges"
    assert huge["status"] in ("oscillates", "diverges")
    J = [c for _, c in huge["costs"]]
    assert all(np.isfinite(J)) and max(J) > 5 * J[0]  # the stable cost: large, never NaN


# ---- plots and scripts -------------------------------------------------------------------------

@pytest.mark.parametrize("name, args", [
    ("computation_graph", []),
    ("activations", []),
    ("vectorization", ["--n", "2000", "--repeats", "1"]),
    ("initialization", ["--iterations", "20"]),
    ("hidden_units", ["--sizes", "1,4", "--iterations", "20"]),
    ("learning_rate", ["--rates", "0.1,100", "--iterations", "20"]),
])
def test_demo_script_writes_its_figure(name, args, tmp_path):
    out = str(tmp_path / ("%s.png" % name))
    ran = call_script("demo_" + name, *(args + ["--out", out]))
    assert ran.status == 0, ran.err
    assert is_png(out)
    assert "figure: " + out in ran.out
