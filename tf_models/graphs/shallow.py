"""The shallow network n_x → n_h → 1 as a TF1 graph (course 1.3), hidden g = tanh by default.

Parameters: {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (1, n_h), "b2": (1, 1)} as tf.Variables.
Twin: ``tf_models.reference.shallow``. The backward pass is TensorFlow's autodiff
(``ModelGraph.grads``), which the tests compare with the NumPy formulas of 1.3.5.
``graphs.model_graph.build`` assembles the whole graph from these functions.
"""
from tf_models.graphs import layers


def forward_propagation(X, parameters, reenter=False, activation="tanh"):
    """Z1 = W1 X + b1;  A1 = g(Z1);  Z2 = W2 A1 + b2;  A2 = σ(Z2). Returns A2 and the cache."""
    Z1, A1 = layers.dense(X, parameters["W1"], parameters["b1"], 1, activation, reenter)
    Z2, A2 = layers.dense(A1, parameters["W2"], parameters["b2"], 2, "sigmoid", reenter)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def output_logits(cache):
    """Z2, the output unit's logits (1, m)."""
    return cache["Z2"]


def compute_cost(cache, Y):
    """J = −(1/m) Σ [y log a2 + (1 − y) log(1 − a2)], from Z2 (no log(0))."""
    return layers.cross_entropy_cost(output_logits(cache), Y)
