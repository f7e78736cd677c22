"""Logistic regression as a TF1 graph (course 1.2): ŷ = σ(wᵀX + b).

Parameters: {"w": tf.Variable (n_x, 1), "b": tf.Variable ()}. X: (n_x, None), Y: (1, None).
Twin: ``tf_models.reference.logistic``. ``graphs.model_graph.build`` assembles the whole graph
(placeholders, variables, this forward pass and cost, the update) from these functions.
"""
from tf_models.graphs import layers
from tf_models.graphs.tfcompat import tf


def forward_propagation(X, parameters, reenter=False):
    """Z = wᵀX + b (1, m);  A = σ(Z). Returns A and the cache {"Z", "A"}."""
    w, b = parameters["w"], parameters["b"]
    with layers.layer_scope(1, reenter):
        Z = tf.add(tf.matmul(w, X, transpose_a=True), b, name="Z")
        A = tf.sigmoid(Z, name="A")
    return A, {"Z": Z, "A": A}


def output_logits(cache):
    """Z, the output unit's logits (1, m)."""
    return cache["Z"]


def compute_cost(cache, Y):
    """J = −(1/m) Σ [y log a + (1 − y) log(1 − a)], from Z (no log(0))."""
    return layers.cross_entropy_cost(output_logits(cache), Y)
