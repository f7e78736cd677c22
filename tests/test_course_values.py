"""The course's exact values and the corrections of ERRATA.md, each demonstrated."""
import numpy as np
import pytest

from tf_models import initializers, losses
from tf_models.activations import sigmoid


def test_sigma_of_zero():
    assert sigmoid(np.zeros((1, 1)))[0, 0] == 0.5


def test_computation_graph_hand_chain_rule_and_tf_gradients_agree():
    """1.2.3.2–1.2.3.3 at a = 7, b = 4, c = 2: the library's hand chain rule (NumPy/Python) against
    tf.gradients on the same graph. ERRATA 2: dJ/dc = 3b = 12, not the text's 9."""
    from tf_models.demos import computation_graph as cg
    hand, tf_ = cg.by_hand(7.0, 4.0, 2.0), cg.by_tensorflow(7.0, 4.0, 2.0)
    assert (hand["u"], hand["v"], hand["J"]) == (8.0, 15.0, 45.0)
    assert [hand[k] for k in ("dJ/dv", "dJ/da", "dJ/du", "dJ/db", "dJ/dc")] == [3, 3, 3, 6, 12]
    assert dict(tf_) == dict(hand), "tf.gradients vs the hand chain rule"
    assert tf_["dJ/dc"] != cg.TEXT_VALUES["dJ/dc"] == 9, "the text's dJ/dc = 9 is a leftover"


@pytest.mark.parametrize("y_hat", [0.1, 0.5, 0.9])
def test_loss_for_y_zero_is_minus_log_one_minus_y_hat(y_hat):
    """ERRATA 1: for y = 0 the loss is −log(1 − ŷ) (positive), not the text's log(1 − ŷ)."""
    loss = losses.logistic_loss(y_hat, 0)
    assert loss == pytest.approx(-np.log(1 - y_hat), rel=1e-15)
    assert loss > 0 and np.log(1 - y_hat) < 0


def test_loss_for_y_one_is_minus_log_y_hat():
    assert losses.logistic_loss(0.8, 1) == pytest.approx(-np.log(0.8), rel=1e-15)


def test_stable_cost_equals_the_texts_formula_where_that_is_finite():
    """The cost from logits (what we train with) equals −(1/m) Σ [y log a + (1 − y) log(1 − a)]."""
    rng = np.random.RandomState(3)
    Z = rng.randn(1, 50) * 4
    Y = (rng.rand(1, 50) > 0.5).astype(float)
    A = sigmoid(Z)
    texts = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    assert losses.cross_entropy_cost(Z, Y) == pytest.approx(texts, rel=1e-13)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_stable_cost_is_finite_where_the_texts_formula_is_not(dtype):
    Z = np.array([[1000.0, -1000.0, 40.0, -40.0]], dtype=dtype)
    Y = np.array([[0.0, 1.0, 0.0, 1.0]], dtype=dtype)
    J = losses.cross_entropy_cost(Z, Y)
    assert np.isfinite(J)
    assert J == pytest.approx((1000 + 1000 + 40 + 40) / 4.0, rel=1e-6)


def test_uniform_init_of_the_text_is_all_positive_and_randn_is_not():
    """ERRATA 5: np.random.rand(...) * 0.01 gives only positive weights; randn is the method meant."""
    uniform = initializers.initialize_parameters([50, 40, 1], "uniform", seed=0)
    randn = initializers.initialize_parameters([50, 40, 1], "randn", seed=0)
    assert (uniform["W1"] > 0).all() and uniform["W1"].max() < 0.01
    assert (randn["W1"] < 0).any() and (randn["W1"] > 0).any()
    assert abs(randn["W1"].std() - 0.01) < 0.001


def test_single_example_dW_needs_the_transpose():
    """ERRATA 4: dW[l] = dZ[l] · a[l−1]ᵀ has W[l]'s shape (n_l, n_{l−1}); without ᵀ it is not defined."""
    from tf_models.reference import deep
    dZ = np.ones((3, 1))
    a_prev = np.arange(5.0).reshape(5, 1)
    _, dW, _ = deep.linear_backward(dZ, (a_prev, np.zeros((3, 5)), None, None))
    assert dW.shape == (3, 5)
    np.testing.assert_array_equal(dW, np.dot(dZ, a_prev.T))
    with pytest.raises(ValueError):
        np.dot(dZ, a_prev)
